"""render_report(): a Result in, report.html, report.pdf and csv/*.csv out.

Everything is rendered in memory first (HTML, then the PDF from the same HTML, then the CSV
exports); only then is each file written atomically, so a run that fails never leaves a
half-written report behind.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2
import pandas as pd
from markupsafe import Markup

from phrasedrift import schema
from phrasedrift.errors import PhrasedriftWarning, ReportError, SchemaError
from phrasedrift.pipeline import Result
from phrasedrift.report._files import write_atomic
from phrasedrift.report.figures import drawing
from phrasedrift.report.pdf import PdfUnavailable, html_to_pdf
from phrasedrift.report.sections import (
    MAX_FAMILIES,
    MAX_VARIANTS,
    MEMBER_COLUMNS,
    SECTIONS,
    Heading,
    ReportContext,
    Section,
    SectionContent,
    date_range,
)
from phrasedrift.report.tables import Table, csv_text

__all__ = ["CSV_FOLDER", "FORMATS", "HTML_NAME", "PDF_NAME", "render_html", "render_report"]

#: The formats render_report() writes, each to its own place in the output folder.
FORMATS: tuple[str, ...] = ("html", "pdf", "csv")
HTML_NAME = "report.html"
PDF_NAME = "report.pdf"
#: Folder (inside the output folder) of the CSV exports, one file per table.
CSV_FOLDER = "csv"

_TABLES = (
    "documents",
    "problems",
    "removed",
    "duplicates",
    "sentences",
    "tokens",
    "families",
    "occurrences",
)


@dataclass(frozen=True)
class _Rendered:
    section: Section
    content: SectionContent
    html: Markup


def render_report(
    result: Result,
    out_dir: str | Path,
    *,
    formats: Iterable[str] | None = None,
    max_listed: int | None = None,
    max_families: int | None = None,
    max_variants: int | None = None,
    max_family_pages: int | None = None,
    max_concordance: int | None = None,
    context_chars: int | None = None,
    workers: int | None = None,
    sections: Sequence[Section] = SECTIONS,
) -> dict[str, Path]:
    """Write the report of ``result`` into ``out_dir`` (created if needed) and return
    ``{format: path}``.

    formats: any of ``html`` (``report.html``, one self-contained file), ``pdf``
        (``report.pdf``, the same content laid out for A4) and ``csv`` (``csv/<table>.csv``,
        every row of every table in the report; its path is the folder). Default:
        ``result.config.report.formats``.
    max_listed: the most rows a table shows; the CSV export has them all. Default:
        ``result.config.report.max_listed``.
    max_families: the most formula families shown with a block of their own (variants and
        why they were grouped); the others are in the families table. Default:
        ``result.config.report.max_families`` when the config has it, else
        :data:`~phrasedrift.report.sections.MAX_FAMILIES` (25).
    max_variants: the most variants, and grouped phrases, listed in one family's block.
        Default: ``result.config.report.max_variants`` when the config has it, else
        :data:`~phrasedrift.report.sections.MAX_VARIANTS` (12).
    max_family_pages, max_concordance, context_chars: the most families with a page of their
        own, the most concordance lines on one page, and the characters of context on each
        side of a match. Default: those of ``result.config.report``.
    workers: processes that draw the figures while the rest is built (1: draw them here).
        Default: ``result.config.report.workers``, else one per CPU core.
    sections: the sections, in order (default :data:`~phrasedrift.report.sections.SECTIONS`).

    When WeasyPrint cannot be loaded (the Pango library is missing), the HTML is written
    anyway, ``pdf`` is left out of the returned paths and a :class:`PhrasedriftWarning` says
    what to install. Raises :class:`ReportError` for an unknown format or an unusable folder.
    """
    report_config = result.config.report
    wanted = _check_formats(report_config.formats if formats is None else formats)
    limits = _limits(
        result,
        max_listed=max_listed,
        max_families=max_families,
        max_variants=max_variants,
        max_family_pages=max_family_pages,
        max_concordance=max_concordance,
        context_chars=context_chars,
    )
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ReportError(f"cannot write the report into {out}: it is a file, not a folder")

    html, rendered = _render(result, sections, limits, csv="csv" in wanted, workers=workers)
    files: dict[Path, bytes] = {}
    written: dict[str, Path] = {}
    if "pdf" in wanted:
        try:
            files[out / PDF_NAME] = html_to_pdf(html, base_url=out.resolve().as_uri() + "/")
            written["pdf"] = out / PDF_NAME
        except PdfUnavailable as error:
            warnings.warn(
                f"{error} (the HTML report is written to {out / HTML_NAME})",
                PhrasedriftWarning,
                stacklevel=2,
            )
            wanted = (*wanted, "html")
    if "html" in wanted:
        files[out / HTML_NAME] = html.encode("utf-8")
        written["html"] = out / HTML_NAME
    if "csv" in wanted:
        for table in _tables(rendered):
            if table.export:
                files[out / CSV_FOLDER / table.csv_name] = csv_text(table.export_frame()).encode(
                    "utf-8"
                )
        written["csv"] = out / CSV_FOLDER

    try:
        _write_all(out, files)
    except OSError as error:
        raise ReportError(f"cannot write the report into {out}: {error}") from error
    return {name: written[name] for name in FORMATS if name in written}


def _write_all(out: Path, files: dict[Path, bytes]) -> None:
    """Write ``files`` (paths under ``out``) so that ``out`` holds either the previous report
    or the whole new one: everything is written into a staging folder inside ``out`` first
    (where a full disk or a failing write stops, leaving the previous report untouched), then
    renamed into place (the CSV folder as a whole, so no table of an earlier run lingers)."""
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out, prefix=".phrasedrift-"))
    try:
        for path, data in files.items():
            target = staging / path.relative_to(out)
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, data)
        for entry in sorted(staging.iterdir()):
            destination = out / entry.name
            if entry.is_dir() and destination.is_dir():
                os.replace(destination, staging / f".previous-{entry.name}")
            os.replace(entry, destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def render_html(
    result: Result,
    *,
    max_listed: int | None = None,
    max_families: int | None = None,
    max_variants: int | None = None,
    max_family_pages: int | None = None,
    max_concordance: int | None = None,
    context_chars: int | None = None,
    workers: int | None = None,
    csv: bool = True,
    sections: Sequence[Section] = SECTIONS,
) -> str:
    """The report as one self-contained HTML page (what ``report.html`` holds); the options are
    those of :func:`render_report`.

    csv: whether the CSV exports are written beside it (the notes under shortened tables
        point to them).
    """
    limits = _limits(
        result,
        max_listed=max_listed,
        max_families=max_families,
        max_variants=max_variants,
        max_family_pages=max_family_pages,
        max_concordance=max_concordance,
        context_chars=context_chars,
    )
    html, _ = _render(result, sections, limits, csv=csv, workers=workers)
    return html


def _limits(result: Result, **given: int | None) -> dict[str, int]:
    """The display limits: given, else from the result's report config, else the defaults."""
    config = result.config.report
    defaults = {"max_families": MAX_FAMILIES, "max_variants": MAX_VARIANTS}
    limits: dict[str, int] = {}
    for name, value in given.items():
        limit = getattr(config, name, defaults.get(name)) if value is None else value
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise ReportError(f"{name} must be a whole number >= 0, got {limit!r}")
        limits[name] = limit
    return limits


def _check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    if isinstance(formats, str):
        formats = (formats,)
    wanted = tuple(dict.fromkeys(formats))
    unknown = [name for name in wanted if name not in FORMATS]
    if unknown:
        raise ReportError(
            f"unknown report format(s): {', '.join(map(repr, unknown))}; "
            f"valid formats are {', '.join(FORMATS)}"
        )
    if not wanted:
        raise ReportError(f"no report format given; valid formats are {', '.join(FORMATS)}")
    return wanted


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("phrasedrift.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _asset(name: str) -> Markup:
    """A CSS or JS file of ``templates/``, inlined as is (it is ours, not user data)."""
    text = resources.files("phrasedrift.report").joinpath("templates", name).read_text("utf-8")
    if "</style" in text.lower() or "</script" in text.lower():
        raise ReportError(f"templates/{name} must not contain a closing style or script tag")
    return Markup(text)  # our own stylesheet or script, not user data


def _render(
    result: Result,
    sections: Sequence[Section],
    limits: dict[str, int],
    *,
    csv: bool,
    workers: int | None = None,
) -> tuple[str, list[_Rendered]]:
    _check_result(result)
    env = _environment()
    workers = workers or result.config.report.workers or os.cpu_count() or 1
    with drawing(workers) as drawer:  # figures are drawn while the sections are built
        return _render_sections(result, sections, limits, csv=csv, env=env, drawer=drawer)


def _render_sections(
    result: Result,
    sections: Sequence[Section],
    limits: dict[str, int],
    *,
    csv: bool,
    env: jinja2.Environment,
    drawer: Executor | None,
) -> tuple[str, list[_Rendered]]:
    context = ReportContext(
        result=result,
        max_listed=limits["max_listed"],
        max_families=limits["max_families"],
        max_variants=limits["max_variants"],
        max_family_pages=limits["max_family_pages"],
        max_concordance=limits["max_concordance"],
        context_chars=limits["context_chars"],
        drawer=drawer,
    )
    csv_folder = CSV_FOLDER if csv else None
    rendered: list[_Rendered] = []
    for section in sections:
        content = section.build(context)
        template = env.get_template(section.template)
        views = {key: table.view(csv_folder=csv_folder) for key, table in content.tables.items()}
        html = template.render(
            section=section,
            content=content,
            tables=views,
            figures=content.figures,
            headings=content.headings,
            csv_folder=csv_folder,
            **content.values,
        )
        rendered.append(_Rendered(section, content, Markup(html)))
    _check_unique(rendered)
    page = env.get_template("report.html.j2").render(
        result=result,
        title=result.name,
        date_range=date_range(result.documents),
        toc=[(r.section, _headings_in_order(r)) for r in rendered],
        sections=[r.html for r in rendered],
        css=_asset("report.css"),
        js=_asset("sortable.js"),
    )
    return page, rendered


def _headings_in_order(rendered: _Rendered) -> list[Heading]:
    """The section's sub-headings in the order its template shows them (those it left out, such
    as an optional sub-section, are not listed)."""
    html = str(rendered.html)
    found = [(html.find(f'id="{h.id}"'), h) for h in rendered.content.headings.values()]
    return [h for position, h in sorted(found, key=lambda item: item[0]) if position >= 0]


def _tables(rendered: Iterable[_Rendered]) -> list[Table]:
    return [table for r in rendered for table in r.content.tables.values()]


def _check_result(result: Result) -> None:
    if not isinstance(result, Result):
        raise ReportError(f"render_report() needs a phrasedrift Result, got {type(result)!r}")
    for name in _TABLES:
        schema.check(getattr(result, name), name, stage="report")
    # members has no entry in phrasedrift.schema; an empty frame without columns means "none"
    members = result.members
    if not isinstance(members, pd.DataFrame):
        raise SchemaError(f"report: expected a pandas DataFrame of members, got {type(members)!r}")
    missing = [name for name in MEMBER_COLUMNS if name not in members.columns]
    if missing and not members.empty:
        raise SchemaError(f"report: the members table lacks column(s) {', '.join(missing)}")


def _check_unique(rendered: list[_Rendered]) -> None:
    """Section ids, heading ids and table names must be unique (a programming error if not)."""
    ids: list[str] = []
    names: list[str] = []
    for r in rendered:
        ids.append(r.section.id)
        ids.extend(h.id for h in r.content.headings.values())
        ids.extend(t.id for t in r.content.tables.values())
        ids.extend(f.id for f in r.content.figures.values())
        names.extend(t.name for t in r.content.tables.values() if t.export)
    for label, values in (("id", ids), ("table name", names)):
        repeated = sorted({v for v in values if values.count(v) > 1})
        if repeated:
            raise ValueError(f"report sections repeat the {label}(s) {', '.join(repeated)}")
