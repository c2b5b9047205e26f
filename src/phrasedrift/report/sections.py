"""The sections of the report, in order, and what each one shows.

A :class:`Section` is an anchor id, a title (for the heading and the table of contents), a
template in ``templates/`` and a ``build`` function that turns a :class:`ReportContext` into
:class:`SectionContent`: the tables (each also exported as CSV), the figures, the sub-headings
(listed in the table of contents) and any other values its template uses. Builders only count
and format what the :class:`~phrasedrift.pipeline.Result` holds; they never analyse.

To add a section: write ``templates/section_<id>.html.j2`` (use the ``section``, ``subsection``,
``table`` and ``figure`` macros of ``macros.html.j2``), write a builder here, and add a
:class:`Section` to :data:`SECTIONS` (or pass ``sections=`` to ``render_report``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from phrasedrift.report.figures import FigureBlock, figure_block
from phrasedrift.report.tables import Column, Table

if TYPE_CHECKING:
    from phrasedrift.pipeline import Result

__all__ = [
    "SECTIONS",
    "Heading",
    "ReportContext",
    "Section",
    "SectionContent",
    "Stat",
]


@dataclass(frozen=True)
class Heading:
    """A sub-heading: its anchor id and title (both in the page and the table of contents)."""

    id: str
    title: str


@dataclass(frozen=True)
class Stat:
    """One headline number: a label, the value, an optional note and link to where it is listed."""

    label: str
    value: int | str
    note: str = ""
    href: str = ""

    @property
    def text(self) -> str:
        return f"{self.value:,}" if isinstance(self.value, int) else self.value


@dataclass(frozen=True)
class SectionContent:
    """What a section's builder hands to its template."""

    tables: Mapping[str, Table] = field(default_factory=dict)
    figures: Mapping[str, FigureBlock] = field(default_factory=dict)
    headings: Mapping[str, Heading] = field(default_factory=dict)
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class ReportContext:
    """What every builder can use: the result, the display limits, and per-document counts."""

    result: Result
    max_listed: int
    _counts: pd.DataFrame | None = None

    @property
    def documents(self) -> pd.DataFrame:
        return self.result.documents

    @property
    def counts(self) -> pd.DataFrame:
        """``sentences`` and ``tokens`` per document (0 for a document with none), by doc_id."""
        if self._counts is None:
            index = pd.Index(self.documents["doc_id"].astype(str), name="doc_id")
            sentences = self.result.sentences["doc_id"].astype(str).value_counts()
            tokens = self.result.tokens["doc_id"].astype(str).value_counts()
            self._counts = pd.DataFrame(
                {
                    "sentences": sentences.reindex(index, fill_value=0).astype("int64"),
                    "tokens": tokens.reindex(index, fill_value=0).astype("int64"),
                },
                index=index,
            )
        return self._counts


@dataclass(frozen=True)
class Section:
    """One section of the report (see the module docstring)."""

    id: str
    title: str
    template: str
    build: Callable[[ReportContext], SectionContent]


# -- helpers -------------------------------------------------------------------------------------


def _plural(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


def _by_date(frame: pd.DataFrame, *also: str) -> pd.DataFrame:
    """Rows by date (undated last), then by ``also`` columns."""
    return frame.sort_values(["date", *also], na_position="last", kind="stable")


def _sources(documents: pd.DataFrame) -> pd.Series:
    return documents["source"].astype("string").fillna("(no source)").astype(str)


def date_range(documents: pd.DataFrame) -> str:
    """The span of the dated documents: "13 May 2021 to 10 May 2023", one day, or "no dated
    documents"."""
    dates = pd.to_datetime(documents["date"]).dropna()
    if dates.empty:
        return "no dated documents"
    first, last = dates.min(), dates.max()
    if first.normalize() == last.normalize():
        return _day(first)
    return f"{_day(first)} to {_day(last)}"


def _day(stamp: pd.Timestamp) -> str:
    return f"{stamp.day} {stamp.strftime('%B %Y')}"


# -- overview ------------------------------------------------------------------------------------


def build_overview(context: ReportContext) -> SectionContent:
    documents = context.documents
    counts = context.counts
    sources = _sources(documents)
    dated = documents["date"].notna()
    n_docs = len(documents)

    frame = pd.DataFrame(
        {
            "source": sources.to_numpy(),
            "dated": dated.to_numpy(),
            "date": documents["date"].to_numpy(),
            "sentences": counts["sentences"].to_numpy(),
            "tokens": counts["tokens"].to_numpy(),
        }
    )
    per_source = (
        frame.groupby("source", sort=False)
        .agg(
            documents=("dated", "size"),
            dated=("dated", "sum"),
            first_date=("date", "min"),
            last_date=("date", "max"),
            sentences=("sentences", "sum"),
            tokens=("tokens", "sum"),
        )
        .reset_index()
    )
    per_source["undated"] = per_source["documents"] - per_source["dated"]
    per_source["share"] = per_source["documents"] / max(n_docs, 1)
    per_source = per_source.sort_values(
        ["documents", "source"], ascending=[False, True], kind="stable"
    )
    sources_table = Table(
        name="sources",
        frame=per_source,
        columns=(
            Column("source", "Source"),
            Column("documents", "Documents", "int"),
            Column("share", "Share", "percent", digits=1),
            Column("dated", "Dated", "int"),
            Column("undated", "Undated", "int"),
            Column("first_date", "First date", "date"),
            Column("last_date", "Last date", "date"),
            Column("sentences", "Sentences", "int"),
            Column("tokens", "Tokens", "int"),
        ),
        caption="One row per source (outlet), most documents first.",
        empty="The corpus has no documents.",
        noun="sources",
        limit=context.max_listed,
        sort_note=", most documents first",
    )

    n_undated = int((~dated).sum())
    stats = [
        Stat("Documents", n_docs, href="#documents"),
        Stat("Sources", int(sources.nunique())),
        Stat("Sentences", len(context.result.sentences)),
        Stat("Tokens", len(context.result.tokens)),
        Stat("Dated documents", int(dated.sum())),
        Stat("Undated documents", n_undated, href="#quality-undated" if n_undated else ""),
    ]
    figures: dict[str, FigureBlock] = {}
    if n_docs:
        from phrasedrift import plots  # matplotlib and seaborn load only when a report is drawn

        figure = plots.documents_over_time(documents)
        figures["timeline"] = figure_block(
            figure,
            id="figure-documents-over-time",
            caption=(
                "Documents over time, coloured by source. "
                + (
                    f"The bar on the right counts the {_plural(n_undated, 'undated document')}."
                    if n_undated
                    else "Every document has a date."
                )
            ),
            alt=f"Bar chart of {_plural(n_docs, 'document')} by date and source.",
        )
    return SectionContent(
        tables={"sources": sources_table},
        figures=figures,
        headings={
            "timeline": Heading("overview-timeline", "Documents over time"),
            "sources": Heading("overview-sources", "Documents per source"),
        },
        values={"stats": stats, "date_range": date_range(documents)},
    )


# -- documents -----------------------------------------------------------------------------------


def build_documents(context: ReportContext) -> SectionContent:
    documents = context.documents
    counts = context.counts
    frame = documents.loc[
        :,
        [
            "doc_id",
            "source",
            "date",
            "date_basis",
            "title",
            "path",
            "url",
            "n_removed",
            "duplicate_of",
        ],
    ].copy()
    frame["doc_id"] = frame["doc_id"].astype(str)
    frame["sentences"] = counts["sentences"].to_numpy()
    frame["tokens"] = counts["tokens"].to_numpy()
    frame = _by_date(frame, "source", "doc_id")
    table = Table(
        name="documents",
        frame=frame,
        columns=(
            Column("doc_id", "Document", "code"),
            Column("source", "Source"),
            Column("date", "Date", "date"),
            Column("date_basis", "Date from", max_chars=28),
            Column("title", "Title", max_chars=90, wide=True),
            Column("sentences", "Sentences", "int"),
            Column("tokens", "Tokens", "int"),
            Column("n_removed", "Lines removed", "int"),
            Column("duplicate_of", "Duplicate of", "code"),
        ),
        caption="One row per document, by date.",
        empty="The corpus has no documents.",
        noun="documents",
        limit=context.max_listed,
        sort_note=" by date",
        export_columns=(
            "doc_id",
            "source",
            "date",
            "date_basis",
            "title",
            "path",
            "url",
            "sentences",
            "tokens",
            "n_removed",
            "duplicate_of",
        ),
    )
    return SectionContent(tables={"documents": table})


# -- data quality --------------------------------------------------------------------------------


def build_quality(context: ReportContext) -> SectionContent:
    result = context.result
    documents = context.documents
    limit = context.max_listed
    source_of = dict(zip(documents["doc_id"].astype(str), _sources(documents), strict=False))

    undated = documents.loc[
        documents["date"].isna(), ["doc_id", "source", "title", "path", "date_basis"]
    ].sort_values(["source", "doc_id"], kind="stable")
    problems = result.problems.loc[:, ["path", "problem", "action"]].sort_values(
        ["path"], kind="stable"
    )
    removed = result.removed.loc[:, ["doc_id", "line", "rule", "text"]].sort_values(
        ["doc_id", "line"], kind="stable"
    )
    by_rule = (
        removed.groupby("rule", sort=False)
        .agg(lines=("line", "size"), documents=("doc_id", "nunique"))
        .reset_index()
        .sort_values(["lines", "rule"], ascending=[False, True], kind="stable")
    )
    duplicates = result.duplicates.loc[:, ["doc_id", "duplicate_of", "similarity"]].copy()
    duplicates["source"] = [source_of.get(str(d), "") for d in duplicates["doc_id"]]
    duplicates["duplicate_source"] = [source_of.get(str(d), "") for d in duplicates["duplicate_of"]]
    duplicates = duplicates.sort_values(
        ["similarity", "doc_id"], ascending=[False, True], kind="stable"
    )

    tables = {
        "undated": Table(
            name="undated",
            frame=undated,
            columns=(
                Column("doc_id", "Document", "code"),
                Column("source", "Source"),
                Column("title", "Title", max_chars=120),
                Column("path", "Path", "path"),
            ),
            caption=(
                "No date was found in the front matter, the text or the file name. These "
                "documents count for officials and outlets, not for change over time."
            ),
            empty="Every document has a date.",
            noun="undated documents",
            limit=limit,
            export_columns=("doc_id", "source", "title", "path", "date_basis"),
        ),
        "problems": Table(
            name="problems",
            frame=problems,
            columns=(
                Column("path", "Path", "path"),
                Column("problem", "Problem", "long"),
                Column("action", "Action taken"),
            ),
            caption="Files or metadata that could not be used as given, and what was done.",
            empty="No problems were met while loading the corpus.",
            noun="problems",
            limit=limit,
        ),
        "removed_by_rule": Table(
            name="removed-by-rule",
            frame=by_rule,
            columns=(
                Column("rule", "Rule"),
                Column("lines", "Lines removed", "int"),
                Column("documents", "Documents", "int"),
            ),
            caption="Lines removed by each boilerplate rule.",
            empty="No lines were removed as boilerplate.",
            noun="rules",
        ),
        "removed": Table(
            name="removed",
            frame=removed,
            columns=(
                Column("doc_id", "Document", "code"),
                Column("line", "Line", "int"),
                Column("rule", "Rule"),
                Column("text", "Removed text", "long"),
            ),
            caption="Every removed line, by document and line number.",
            empty="No lines were removed as boilerplate.",
            noun="removed lines",
            limit=limit,
            sort_note=" by document and line",
        ),
        "duplicates": Table(
            name="duplicates",
            frame=duplicates,
            columns=(
                Column("doc_id", "Document", "code"),
                Column("source", "Source"),
                Column("duplicate_of", "Duplicate of", "code"),
                Column("duplicate_source", "Its source"),
                Column("similarity", "Similarity", "float", digits=3),
            ),
            caption=(
                "Documents whose text nearly repeats an earlier one (the same wire copy in "
                "several outlets), most similar first."
            ),
            empty="No near-duplicate documents were found.",
            noun="near-duplicates",
            limit=limit,
            sort_note=", most similar first",
        ),
    }
    n_removed_docs = int(removed["doc_id"].nunique())
    summary = [
        Stat("Undated documents", len(undated), href="#quality-undated"),
        Stat("Loading problems", len(problems), href="#quality-problems"),
        Stat(
            "Removed lines",
            len(removed),
            note=f"in {_plural(n_removed_docs, 'document')}",
            href="#quality-removed",
        ),
        Stat("Near-duplicates", len(duplicates), href="#quality-duplicates"),
    ]
    return SectionContent(
        tables=tables,
        headings={
            "undated": Heading("quality-undated", "Undated documents"),
            "problems": Heading("quality-problems", "Problems while loading"),
            "removed": Heading("quality-removed", "Removed boilerplate"),
            "duplicates": Heading("quality-duplicates", "Near-duplicates"),
        },
        values={"summary": summary},
    )


# -- method --------------------------------------------------------------------------------------


def build_method(context: ReportContext) -> SectionContent:
    result = context.result
    parameters = result.config.as_dict()
    rows = [
        {"stage": stage, "parameter": name, "value": value}
        for stage, values in parameters.items()
        for name, value in values.items()
    ]
    all_parameters = pd.DataFrame(rows, columns=["stage", "parameter", "value"])
    tables: dict[str, Table] = {
        "parameters": Table(
            name="parameters",
            frame=all_parameters,
            columns=(
                Column("stage", "Stage"),
                Column("parameter", "Parameter", "code"),
                Column("value", "Value", "value"),
            ),
            noun="parameters",
        )
    }
    stages = []
    for stage in parameters:
        name = f"parameters-{stage}"
        tables[name] = Table(
            name=name,
            frame=all_parameters[all_parameters["stage"] == stage],
            columns=(
                Column("parameter", "Parameter", "code"),
                Column("value", "Value", "value"),
            ),
            empty="This stage has no parameters.",
            noun="parameters",
            export=False,
        )
        stages.append((stage, name))
    timings = pd.DataFrame(
        {"stage": list(result.timings), "seconds": [float(v) for v in result.timings.values()]},
        columns=["stage", "seconds"],
    )
    tables["timings"] = Table(
        name="timings",
        frame=timings,
        columns=(Column("stage", "Stage"), Column("seconds", "Seconds", "seconds", digits=3)),
        caption="Wall-clock time of each stage of the analysis, in the order they ran.",
        empty="No stage timings were recorded.",
        noun="stages",
    )
    return SectionContent(
        tables=tables,
        headings={
            "provenance": Heading("method-provenance", "Provenance"),
            "parameters": Heading("method-parameters", "Parameters"),
            "timings": Heading("method-timings", "Stage timings"),
        },
        values={
            "stages": stages,
            "total_seconds": sum(float(v) for v in result.timings.values()),
            "provenance": [
                ("Corpus", result.name),
                ("Corpus hash", result.corpus_hash),
                ("phrasedrift version", result.version),
                ("Documents", f"{len(result.documents):,}"),
                ("Date range", date_range(result.documents)),
            ],
        },
    )


#: The sections of the report, in order. Later issues add families, officials and outlets.
SECTIONS: tuple[Section, ...] = (
    Section("overview", "Overview", "section_overview.html.j2", build_overview),
    Section("documents", "Documents", "section_documents.html.j2", build_documents),
    Section("quality", "Data quality", "section_quality.html.j2", build_quality),
    Section("method", "Method", "section_method.html.j2", build_method),
)
