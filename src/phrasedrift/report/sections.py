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

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from phrasedrift import drift
from phrasedrift.config import DECADE, ReportConfig
from phrasedrift.report.figures import FigureBlock, figure_block
from phrasedrift.report.tables import Column, Table
from phrasedrift.tokens import HYPHENS

if TYPE_CHECKING:
    from phrasedrift.pipeline import Result

__all__ = [
    "HOW",
    "MAX_FAMILIES",
    "MAX_VARIANTS",
    "MEMBER_COLUMNS",
    "SECTIONS",
    "Heading",
    "ReportContext",
    "Section",
    "SectionContent",
    "Stat",
    "member_table",
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


#: Default number of families that get a block of their own (variants and provenance).
MAX_FAMILIES = 25
#: Default number of variants, and of grouped phrases, listed in one family's block.
MAX_VARIANTS = 12


@dataclass
class ReportContext:
    """What every builder can use: the result, the display limits, and per-document counts.

    max_listed: the most rows of a table.
    max_families: the most families shown with a block of their own.
    max_variants: the most variants (and grouped phrases) listed in a family's block.
    max_family_pages, max_concordance, context_chars: as in
        :class:`~phrasedrift.config.ReportConfig`.
    drawer: worker processes that draw the figures (:func:`~phrasedrift.report.figures.drawing`),
        or None to draw them here.
    """

    result: Result
    max_listed: int
    max_families: int = MAX_FAMILIES
    max_variants: int = MAX_VARIANTS
    max_family_pages: int = ReportConfig.max_family_pages
    max_concordance: int = ReportConfig.max_concordance
    context_chars: int = ReportConfig.context_chars
    drawer: Executor | None = None
    _counts: pd.DataFrame | None = None

    @property
    def documents(self) -> pd.DataFrame:
        return self.result.documents

    @property
    def counts(self) -> pd.DataFrame:
        """``sentences`` and ``tokens`` per document (0 for a document with none), by doc_id."""
        if self._counts is None:
            index = pd.Index(self.documents["doc_id"].astype(str), name="doc_id")
            sentences = _per_document(self.result.sentences["doc_id"])
            tokens = _per_document(self.result.tokens["doc_id"])
            self._counts = pd.DataFrame(
                {
                    "sentences": sentences.reindex(index, fill_value=0).astype("int64"),
                    "tokens": tokens.reindex(index, fill_value=0).astype("int64"),
                },
                index=index,
            )
        return self._counts

    def documents_in_order(self) -> pd.DataFrame:
        """The documents in the order the documents table lists them (by date, source, id),
        with the HTML id of each listed row in ``anchor`` (``None`` past ``max_listed``)."""
        frame = self.documents.assign(doc_id=self.documents["doc_id"].astype(str))
        frame = _by_date(frame, "source", "doc_id").reset_index(drop=True)
        anchors = _safe_ids("doc-", frame["doc_id"])
        frame["anchor"] = [
            anchors[doc_id] if n < self.max_listed else None
            for n, doc_id in enumerate(frame["doc_id"])
        ]
        return frame


@dataclass(frozen=True)
class Section:
    """One section of the report (see the module docstring)."""

    id: str
    title: str
    template: str
    build: Callable[[ReportContext], SectionContent]


# -- helpers -------------------------------------------------------------------------------------


def _per_document(doc_ids: pd.Series) -> pd.Series:
    """Rows per document of a column of ``doc_id`` (counted before the ids are made text: a
    table of tokens has millions of rows and few documents)."""
    counts = doc_ids.value_counts()
    counts.index = counts.index.astype(str)
    return counts.groupby(level=0).sum()


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

        figures["timeline"] = figure_block(
            functools.partial(plots.documents_over_time, documents),
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
            drawer=context.drawer,
        )
    return SectionContent(
        tables={"sources": sources_table},
        figures=figures,
        headings={
            "timeline": Heading("overview-timeline", "Documents over time"),
            "sources": Heading("overview-sources", "Documents per source"),
        },
        values={
            "stats": stats,
            "counts": f"{_plural(n_docs, 'document')} from "
            f"{_plural(int(sources.nunique()), 'source')}",
            "date_range": date_range(documents),
        },
    )


# -- formula families ----------------------------------------------------------------------------

#: What each value of ``members.how`` (and ``occurrences.how``) means, for the report's legend.
HOW: Mapping[str, str] = {
    "core": "the phrase the family was built around (its most widespread phrase)",
    "containment": "the content words of the shorter of the two phrases (weighted by rarity) "
    "are mostly in the other one",
    "token edit": "the two phrases are the same words give or take a few (edit similarity)",
    "overlap": "its occurrences overlap the other phrase's occurrences in the text: two parts "
    "of one formula",
    "watch": "a phrase you asked to watch",
}

_NO_FAMILIES = (
    "No formula recurs in two or more documents of this corpus, so there are no families to "
    "show. A small or very varied corpus can have none; so can a very strict setting of the "
    "mining and grouping parameters (listed under Method)."
)

#: Quote marks and brackets, ignored when comparing how a variant was written with its wording.
_QUOTES = re.compile(r"[\"'“”‘’«»()\[\]]")


def _family_anchors(family_ids: Iterable[str]) -> dict[str, str]:
    """A unique HTML id per family: ``family-`` and the family_id, made safe for an id."""
    return _safe_ids("family-", family_ids)


def _safe_ids(prefix: str, keys: Iterable[str]) -> dict[str, str]:
    """A unique HTML id per key: ``prefix`` and the key, made safe for an id."""
    anchors: dict[str, str] = {}
    used: set[str] = set()
    for family_id in keys:
        base = prefix + (re.sub(r"[^A-Za-z0-9_-]+", "-", family_id).strip("-") or "x")
        anchor, n = base, 1
        while anchor in used:
            n += 1
            anchor = f"{base}-{n}"
        used.add(anchor)
        anchors[family_id] = anchor
    return anchors


def _span(first: Any, last: Any) -> str:
    """ "13 May 2021 to 10 May 2023", one day, or "undated"."""
    if pd.isna(first) or pd.isna(last):
        return "undated"
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    if first.normalize() == last.normalize():
        return _day(first)
    return f"{_day(first)} to {_day(last)}"


def _names(values: Iterable[str], *, most: int = 2) -> str:
    """ "A", "A and B", "A, B and 3 others"."""
    items = list(values)
    if len(items) > most + 1:
        return f"{', '.join(items[:most])} and {len(items) - most} others"
    if len(items) > 1:
        return f"{', '.join(items[:-1])} and {items[-1]}"
    return items[0] if items else ""


def _commonest(frame: pd.DataFrame, keys: list[str], column: str) -> pd.Series:
    """The most frequent value of ``column`` per ``keys`` group (ties: the first in text order)."""
    if frame.empty:
        return pd.Series(dtype=object)
    counts = frame.groupby([*keys, column], sort=False).size().rename("n").reset_index()
    counts = counts.sort_values(["n", column], ascending=[False, True], kind="stable")
    return counts.groupby(keys, sort=False)[column].first()


#: Hyphens inside a word, which tokens' normal forms leave out ("two-state" -> "twostate").
_INNER_HYPHENS = re.compile(f"(?<=\\w)[{re.escape(HYPHENS)}]+(?=\\w)")

#: Double quotation marks and brackets, left out when a variant is shown as it was written.
_MARKS = re.compile(r"[\"“”„«»()\[\]]")


@functools.lru_cache(maxsize=1 << 16)  # a family's label is compared with each of its variants
def _folded(text: str) -> str:
    """Text compared without quotation marks, brackets, hyphens (a variant's normal form has
    none), spacing or case."""
    return " ".join(_INNER_HYPHENS.sub("", _QUOTES.sub("", text)).split()).casefold()


def _written_differently(surface: Any, variant: str) -> bool:
    return isinstance(surface, str) and _folded(surface) != _folded(variant)


def _shown(variant: str, surface: Any, label: str | None) -> str:
    """A variant (a normal form, lowercase) as readers saw it: the family's label when it is
    that wording, else the commonest way it was written when that differs only in case."""
    if label is not None and _folded(label) == _folded(variant):
        return label
    if isinstance(surface, str) and not _written_differently(surface, variant):
        return " ".join(_MARKS.sub("", surface).split())
    return variant


def _variant_counts(occurrences: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """One row per family and variant: counts, first use and who used it first, the commonest
    way it was written, whether it is the family's label. Families in the order of ``labels``;
    in each, the label first, then the most used."""
    columns = [
        "family_id",
        "variant",
        "is_label",
        "occurrences",
        "documents",
        "sources",
        "first_date",
        "first_sources",
        "last_date",
        "as_written",
        "shown",
    ]
    if occurrences.empty:
        return pd.DataFrame(columns=columns)
    occ = occurrences.loc[:, ["family_id", "variant", "surface", "doc_id", "date", "source"]].copy()
    occ["family_id"] = occ["family_id"].astype(str)
    occ["variant"] = occ["variant"].astype("string").fillna("").astype(str)
    keys = ["family_id", "variant"]
    out = (
        occ.groupby(keys, sort=False)
        .agg(
            occurrences=("doc_id", "size"),
            documents=("doc_id", "nunique"),
            sources=("source", "nunique"),
            first_date=("date", "min"),
            last_date=("date", "max"),
        )
        .reset_index()
    )
    # who used it on its first day (several outlets can share that day)
    first = occ.merge(out[[*keys, "first_date"]], on=keys)
    first = first[first["date"].notna() & (first["date"] == first["first_date"])]
    first = first.assign(source=_sources(first))
    out = out.join(_first_sources(first, keys).rename("first_sources"), on=keys)
    out = out.join(_commonest(occ, keys, "surface").rename("as_written"), on=keys)
    # plain lists: iterating a column yields its values one call at a time
    family_ids, variants = out["family_id"].tolist(), out["variant"].tolist()
    written = out["as_written"].tolist()
    out["shown"] = [
        _shown(variant, surface, labels.get(family_id))
        for family_id, variant, surface in zip(family_ids, variants, written, strict=True)
    ]
    out["as_written"] = [
        surface if _written_differently(surface, variant) else None
        for surface, variant in zip(written, variants, strict=True)
    ]
    out["is_label"] = [
        family_id in labels and _folded(labels[family_id]) == _folded(variant)
        for family_id, variant in zip(family_ids, variants, strict=True)
    ]
    rank = {family_id: n for n, family_id in enumerate(labels)}
    out["rank"] = [rank.get(family_id, len(rank)) for family_id in family_ids]
    out = out.sort_values(
        ["rank", "family_id", "is_label", "occurrences", "documents", "first_date", "variant"],
        ascending=[True, True, False, False, False, True, True],
        na_position="last",
        kind="stable",
    )
    return out.loc[:, columns].reset_index(drop=True)


def _first_sources(first: pd.DataFrame, keys: list[str]) -> pd.Series:
    """The outlets of each ``keys`` group of ``first`` (rows with a ``source``), as
    :func:`_names` lists them in text order."""
    outlets: dict[tuple[Any, ...], dict[str, None]] = {}
    columns = [first[key].tolist() for key in keys]
    for *key, source in zip(*columns, first["source"].tolist(), strict=True):
        outlets.setdefault(tuple(key), {})[source] = None
    index = pd.MultiIndex.from_tuples(list(outlets), names=keys) if outlets else None
    if index is None:
        index = pd.MultiIndex.from_arrays([[] for _ in keys], names=keys)
    return pd.Series([_names(sorted(names)) for names in outlets.values()], index=index)


#: The columns of ``Result.members`` (one row per mined phrase put in a family).
MEMBER_COLUMNS: tuple[str, ...] = ("family_id", "phrase", "n_docs", "how", "score", "linked_to")


def member_table(members: pd.DataFrame) -> pd.DataFrame:
    """``members``, or an empty table with its columns when the result has none (a Result made
    without grouping holds a frame without columns)."""
    if members.empty and not set(MEMBER_COLUMNS) <= set(members.columns):
        return pd.DataFrame({name: pd.Series(dtype=object) for name in MEMBER_COLUMNS})
    return members


def _member_rows(members: pd.DataFrame, occurrences: pd.DataFrame) -> pd.DataFrame:
    """``members`` with an example of where each phrase was found (the commonest variant of the
    occurrences grown from it); core phrases first, then the weakest links (the ones to check),
    then the most widespread."""
    frame = members.copy()
    frame["family_id"] = frame["family_id"].astype(str)
    frame["phrase"] = frame["phrase"].astype(str)
    if len(occurrences):
        occ = occurrences.assign(
            family_id=occurrences["family_id"].astype(str),
            phrase=occurrences["phrase"].astype(str),
        )
        example = _commonest(occ, ["family_id", "phrase"], "variant").rename("example")
        frame = frame.join(example, on=["family_id", "phrase"])
    else:
        frame["example"] = None
    frame["linked"] = [
        text if isinstance(text, str) and text else None for text in frame["linked_to"]
    ]
    frame["how_order"] = (frame["how"].astype(str) != "core").astype(int)
    return frame.sort_values(
        ["family_id", "how_order", "score", "n_docs", "phrase"],
        ascending=[True, True, True, False, True],
        kind="stable",
    )


#: Columns of the variants frame used only to lay out the report, not exported.
_DISPLAY_ONLY = frozenset({"label_badge", "first_detail", "written_detail", "shown"})


def _links_note(n_blocks: int, n_families: int) -> str:
    if not n_blocks:
        return ""
    if n_blocks == n_families:
        return " A family's label links to its variants below."
    if n_blocks == 1:
        return " The label of the most widespread family links to its variants below."
    return f" The labels of the {n_blocks:,} most widespread families link to their variants below."


def build_families(context: ReportContext) -> SectionContent:
    result = context.result
    families = result.families.copy()
    families["family_id"] = families["family_id"].astype(str)
    families = families.sort_values(
        ["n_docs", "n_occurrences"], ascending=[False, False], kind="stable"
    ).reset_index(drop=True)
    occurrences = result.occurrences
    members = member_table(result.members)
    labels = dict(zip(families["family_id"], families["label"].astype(str), strict=True))
    anchors = _family_anchors(families["family_id"])
    n_blocks = min(len(families), context.max_families)
    block_ids = set(families["family_id"].iloc[:n_blocks])
    families["_block_href"] = [
        f"#{anchors[f]}" if f in block_ids else None for f in families["family_id"]
    ]

    variants = _variant_counts(occurrences, labels)
    variants["label_badge"] = ["label" if is_label else None for is_label in variants["is_label"]]
    variants["first_detail"] = variants["first_sources"]
    variants["written_detail"] = [
        f"as written: {text}" if isinstance(text, str) else None for text in variants["as_written"]
    ]
    member_rows = _member_rows(members, occurrences)

    tables: dict[str, Table] = {
        "families": Table(
            name="families",
            frame=families,
            columns=(
                Column("label", "Family", wide=True, link="_block_href"),
                Column("n_variants", "Variants", "int"),
                Column("n_occurrences", "Occurrences", "int"),
                Column("n_docs", "Documents", "int"),
                Column("n_sources", "Sources", "int"),
                Column("first_date", "First used", "date"),
                Column("last_date", "Last used", "date"),
            ),
            caption=(
                "One row per family, named by its label, most widespread (in most documents) "
                "first." + _links_note(n_blocks, len(families))
            ),
            empty=_NO_FAMILIES,
            noun="families",
            limit=context.max_listed,
            sort_note=", most widespread first",
            export_columns=tuple(c for c in result.families.columns),
        ),
        # exported only: every variant, occurrence and grouped phrase
        "variants": Table(
            name="variants",
            frame=variants,
            columns=(Column("variant", "Variant"),),
            noun="variants",
            limit=0,
            export_columns=tuple(c for c in variants.columns if c not in _DISPLAY_ONLY),
        ),
        "occurrences": Table(
            name="occurrences",
            frame=occurrences,
            columns=(Column("variant", "Variant"),),
            noun="occurrences",
            limit=0,
            export_columns=tuple(occurrences.columns),
        ),
        "members": Table(
            name="members",
            frame=members,
            columns=(Column("phrase", "Phrase"),),
            noun="phrases",
            limit=0,
            export_columns=tuple(members.columns),
        ),
    }

    by_family = {key: frame for key, frame in variants.groupby("family_id", sort=False)}
    members_of = {key: frame for key, frame in member_rows.groupby("family_id", sort=False)}
    blocks = []
    for row in families.iloc[:n_blocks].to_dict("records"):
        family_id = str(row["family_id"])
        anchor = anchors[family_id]
        own = by_family.get(family_id, variants.iloc[:0])
        variants_key = f"family-variants-{anchor.removeprefix('family-')}"
        members_key = f"family-members-{anchor.removeprefix('family-')}"
        tables[variants_key] = Table(
            name=variants_key,
            frame=own,
            columns=(
                Column("shown", "Variant", "long", badge="label_badge", detail="written_detail"),
                Column("occurrences", "Occurrences", "int"),
                Column("documents", "Documents", "int"),
                Column("sources", "Sources", "int"),
                Column("first_date", "First use", "date", detail="first_detail"),
            ),
            empty="No occurrence of this family is in the result.",
            noun="variants",
            limit=context.max_variants,
            sort_note=", the label first, then the most used",
            export=False,
            listed_in="variants",
        )
        tables[members_key] = Table(
            name=members_key,
            frame=members_of.get(family_id, member_rows.iloc[:0]),
            columns=(
                Column("phrase", "Mined phrase (stems)"),
                Column("how", "How"),
                Column("score", "Score", "float"),
                Column("linked", "Linked to"),
                Column("n_docs", "Documents", "int"),
                Column("example", "Grew into", "long"),
            ),
            empty="The result records no grouped phrases for this family.",
            noun="phrases",
            limit=context.max_variants,
            sort_note=", the core first, then the weakest links",
            export=False,
            listed_in="members",
        )
        label = labels[family_id]
        has_label_variant = bool(own["is_label"].any()) if len(own) else False
        blocks.append(
            {
                "anchor": anchor,
                "label": label,
                "family_id": family_id,
                "summary": (
                    f"{_plural(int(row['n_occurrences']), 'occurrence')} of "
                    f"{_plural(int(row['n_variants']), 'variant')} in "
                    f"{_plural(int(row['n_docs']), 'document')} from "
                    f"{_plural(int(row['n_sources']), 'source')}, "
                    f"{_span(row['first_date'], row['last_date'])}."
                ),
                "label_note": (
                    ""
                    if has_label_variant or not len(own)
                    else "No variant is worded exactly like the label, which is the commonest "
                    "wording of the phrase the family was built around."
                ),
                "variants": variants_key,
                "members": members_key,
            }
        )

    n_occurrences = len(occurrences)
    n_docs_with = int(occurrences["doc_id"].nunique()) if n_occurrences else 0
    stats = [
        Stat("Families", len(families), href="#families-list" if len(families) else ""),
        Stat("Variants", len(variants)),
        Stat("Occurrences", n_occurrences),
        Stat(
            "Documents with a formula",
            n_docs_with,
            note=f"of {_plural(len(context.documents), 'document')}",
        ),
    ]
    how_seen = set(member_rows["how"].astype(str)) if len(member_rows) else set()
    legend = [(how, text) for how, text in HOW.items() if how in how_seen]
    legend += [(how, "") for how in sorted(how_seen - set(HOW))]
    return SectionContent(
        tables=tables,
        headings={
            "list": Heading("families-list", "All families"),
            "details": Heading("families-details", "Variants and why they were grouped"),
        },
        values={
            "stats": stats,
            "n_families": len(families),
            "n_blocks": n_blocks,
            "n_left_out": len(families) - n_blocks,
            "blocks": blocks,
            "legend": legend,
            "no_families": _NO_FAMILIES,
            "max_variants": context.max_variants,
        },
    )


# -- family pages --------------------------------------------------------------------------------


def _ranked_families(families: pd.DataFrame) -> pd.DataFrame:
    """The families, most widespread first (the order of the families table)."""
    frame = families.assign(family_id=families["family_id"].astype(str))
    return frame.sort_values(
        ["n_docs", "n_occurrences"], ascending=[False, False], kind="stable"
    ).reset_index(drop=True)


def _page_anchors(families: pd.DataFrame, n_pages: int) -> dict[str, str]:
    """The HTML id of each family page (``page-`` and the family id), for the first
    ``n_pages`` families in the order of :func:`_ranked_families`."""
    ranked = _ranked_families(families)["family_id"].iloc[:n_pages]
    return _safe_ids("page-", ranked)


def _period_text(stamp: Any, freq: str) -> str:
    """A period by its first day and alias, as a reader names it: 1790s, 2021, 2021-05,
    week of 2021-05-10."""
    if pd.isna(stamp):
        return "undated"
    stamp = pd.Timestamp(stamp)
    if freq == DECADE:
        return f"{stamp.year}s"
    if freq.startswith("Y"):
        return f"{stamp.year}"
    if freq.startswith("Q"):
        return f"{stamp.year} Q{stamp.quarter}"
    if freq.startswith("M"):
        return f"{stamp.year}-{stamp.month:02d}"
    day = f"{stamp.year}-{stamp.month:02d}-{stamp.day:02d}"
    return f"week of {day}" if freq.startswith("W") else day


def _context(text: str, start: int, end: int, chars: int) -> tuple[str, str, str]:
    """The ``chars`` characters before and after ``text[start:end]``, cut at a space and
    marked with "…" where cut, on one line."""
    before = text[max(0, start - chars) : start]
    after = text[end : end + chars]
    if start - chars > 0 and " " in before:
        before = "…" + before[before.index(" ") + 1 :]
    if end + chars < len(text) and " " in after:
        after = after[: after.rindex(" ")] + "…"
    return " ".join(before.split()), " ".join(text[start:end].split()), " ".join(after.split())


def _concordance(
    occurrences: pd.DataFrame, context: ReportContext, labels: Mapping[str, str]
) -> pd.DataFrame:
    """One line per occurrence, by family, date, document and offset: the match in its
    context, when and where, who said it, and the link to its document."""
    columns = [
        "family_id",
        "label",
        "date",
        "source",
        "principal",
        "speaker",
        "mode",
        "variant",
        "left",
        "match",
        "right",
        "doc_id",
        "start",
        "end",
    ]
    documents = context.documents_in_order()
    texts = dict(zip(documents["doc_id"], documents["text"].astype(str), strict=True))
    # to the document's row in the documents table, when it is listed there
    links = {
        doc_id: f"#{anchor}"
        for doc_id, anchor in zip(documents["doc_id"], documents["anchor"], strict=True)
        if isinstance(anchor, str)
    }
    frame = occurrences.assign(
        family_id=occurrences["family_id"].astype(str), doc_id=occurrences["doc_id"].astype(str)
    )
    for name in ("principal", "speaker", "mode"):
        if name not in frame.columns:
            frame[name] = ""
    frame = frame.sort_values(
        ["family_id", "date", "doc_id", "start"], na_position="last", kind="stable"
    )
    parts = [
        _context(texts.get(doc_id, ""), int(start), int(end), context.context_chars)
        for doc_id, start, end in zip(frame["doc_id"], frame["start"], frame["end"], strict=True)
    ]
    out = frame.assign(
        label=[labels.get(f, f) for f in frame["family_id"]],
        left=[p[0] for p in parts],
        match=[p[1] for p in parts],
        right=[p[2] for p in parts],
    ).loc[:, columns]
    for name in ("principal", "speaker", "mode"):
        out[name] = out[name].astype("string").fillna("").astype(str)
    out["who"] = [p or None for p in out["principal"]]
    out["who_detail"] = [
        "; ".join(
            part
            for part in (f"said by {speaker}" if speaker and speaker != principal else "", mode)
            if part
        )
        or None
        for principal, speaker, mode in zip(
            out["principal"], out["speaker"], out["mode"], strict=True
        )
    ]
    out["doc_href"] = [links.get(doc_id) for doc_id in out["doc_id"]]
    return out.reset_index(drop=True)


def _diff_lines(diffs: pd.DataFrame, order: list[str]) -> list[dict[str, Any]]:
    """Each variant (in ``order``) as pieces to show: ``(op, removed, added)`` in text order."""
    by_variant = {v: own for v, own in diffs.groupby("variant", sort=False)}
    lines = []
    for variant in order:
        own = by_variant.get(variant)
        if own is None:
            continue
        pieces = [
            (str(op), str(removed), str(added))
            for op, removed, added in zip(own["op"], own["removed"], own["added"], strict=True)
        ]
        same = all(op == "equal" for op, _, _ in pieces)
        lines.append({"variant": variant, "pieces": pieces, "same": same})
    return lines


_CONCORDANCE_COLUMNS = (
    Column("date", "Date", "date", detail="source"),
    Column("who", "Official", detail="who_detail"),
    Column("left", "", "left"),
    Column("match", "Match", "match"),
    Column("right", "", "right"),
    Column("doc_id", "Document", "code", link="doc_href"),
)


def build_family_pages(context: ReportContext) -> SectionContent:
    result = context.result
    families = _ranked_families(result.families)
    n_pages = min(len(families), context.max_family_pages)
    pages = families.iloc[:n_pages]
    anchors = _page_anchors(result.families, n_pages)
    labels = dict(zip(families["family_id"], families["label"].astype(str), strict=True))
    paged = set(pages["family_id"])
    occurrences = result.occurrences[result.occurrences["family_id"].astype(str).isin(paged)]
    occurrences = occurrences.assign(family_id=occurrences["family_id"].astype(str))
    freq = result.period()
    unit = result.config.drift.unit

    concordance = _concordance(occurrences, context, labels)
    diffs = drift.diff_variants(occurrences, result.families, equal=True)
    slots = result.slots
    if {"family_id", "pattern", "filler"} <= set(slots.columns):
        fillers = drift.count_slot_fillers(occurrences, slots, freq=freq, unit=unit)
    else:
        fillers = pd.DataFrame(
            columns=["family_id", "pattern", "period", "filler", "n_mentions", "n_utterances"]
        )
    fillers = fillers.assign(period_text=[_period_text(p, freq) for p in fillers["period"]])
    by_period = drift.count_by_period(occurrences, freq=freq, unit=unit)
    by_period = by_period.assign(period_text=[_period_text(p, freq) for p in by_period["period"]])

    tables: dict[str, Table] = {
        # exported only: every concordance line, diff, slot filler and period count of the pages
        "concordance": Table(
            name="concordance",
            frame=concordance,
            columns=(Column("match", "Match"),),
            noun="lines",
            limit=0,
            export_columns=tuple(concordance.columns[:14]),
        ),
        "diffs": Table(
            name="diffs",
            frame=diffs,
            columns=(Column("variant", "Variant"),),
            noun="edits",
            limit=0,
            export_columns=tuple(diffs.columns),
        ),
        "slot_fillers": Table(
            name="slot-fillers",
            frame=fillers,
            columns=(Column("filler", "Filler"),),
            noun="fillers",
            limit=0,
            export_columns=(
                "family_id",
                "pattern",
                "period",
                "filler",
                "n_mentions",
                "n_utterances",
            ),
        ),
        "timeline": Table(
            name="variant-timeline",
            frame=by_period,
            columns=(Column("variant", "Variant"),),
            noun="counts",
            limit=0,
            export_columns=tuple(c for c in by_period.columns if c != "period_text"),
        ),
    }
    figures: dict[str, FigureBlock] = {}
    headings: dict[str, Heading] = {}
    concordance_of = {f: own for f, own in concordance.groupby("family_id", sort=False)}
    fillers_of = {f: own for f, own in fillers.groupby("family_id", sort=False)}
    occurrences_of = {f: own for f, own in occurrences.groupby("family_id", sort=False)}
    diffs_of = {f: own for f, own in diffs.groupby("family_id", sort=False)}
    pages_out = []
    for row in pages.to_dict("records"):
        family_id = str(row["family_id"])
        anchor = anchors[family_id]
        key = anchor.removeprefix("page-")
        label = labels[family_id]
        own = occurrences_of.get(family_id, occurrences.iloc[:0])
        headings[family_id] = Heading(anchor, label)
        order = own["variant"].astype(str).value_counts(sort=False)
        variants = sorted(order.index, key=lambda v: (-order[v], v))
        if len(own):
            from phrasedrift import plots

            figures[f"{family_id}/timeline"] = figure_block(
                functools.partial(plots.variant_timeline, own),
                id=f"figure-timeline-{key}",
                caption="Each dated use of a variant: one row per variant, a dot per official "
                "and day, sized by the number of uses.",
                alt=f"Timeline of the variants of {label} by official.",
                drawer=context.drawer,
            )
            figures[f"{family_id}/heatmap"] = figure_block(
                functools.partial(
                    plots.official_heatmap,
                    drift.count_variants(own, by="principal", unit=unit),
                    value=f"n_{unit}",
                ),
                id=f"figure-heatmap-{key}",
                caption=f"How often each official used each variant (in {unit}).",
                alt=f"Heat map of officials by variants of {label}.",
                drawer=context.drawer,
            )
            figures[f"{family_id}/shares"] = figure_block(
                functools.partial(
                    plots.variant_shares, result.timeline(family_id, freq=freq), freq=freq
                ),
                id=f"figure-shares-{key}",
                caption=f"Each variant's share of the family's {unit} per period.",
                alt=f"Stacked bars of the variant shares of {label} over time.",
                drawer=context.drawer,
            )
        tables[f"{family_id}/fillers"] = Table(
            name=f"page-fillers-{key}",
            frame=fillers_of.get(family_id, fillers.iloc[:0]),
            columns=(
                Column("pattern", "Pattern (_ is the slot)", wide=True),
                Column("filler", "Filler"),
                Column("period_text", "Period"),
                Column("n_utterances", "Utterances", "int"),
                Column("n_mentions", "Mentions", "int"),
            ),
            caption="Where the variants differ in one word: the words that fill the slot, "
            "per period.",
            empty="The variants of this family do not differ in a single slot.",
            noun="fillers",
            limit=context.max_listed,
            export=False,
            listed_in="slot-fillers",
        )
        tables[f"{family_id}/concordance"] = Table(
            name=f"page-concordance-{key}",
            frame=concordance_of.get(family_id, concordance.iloc[:0]),
            columns=_CONCORDANCE_COLUMNS,
            empty="No occurrence of this family is in the result.",
            noun="occurrences",
            limit=context.max_concordance,
            sort_note=" by date",
            export=False,
            listed_in="concordance",
        )
        lines = _diff_lines(diffs_of.get(family_id, diffs.iloc[:0]), variants)
        drift_value = row.get("drift")
        pages_out.append(
            {
                "family_id": family_id,
                "heading": headings[family_id],
                "label": label,
                "summary": (
                    f"{_plural(int(row['n_occurrences']), 'occurrence')} of "
                    f"{_plural(int(row['n_variants']), 'variant')} in "
                    f"{_plural(int(row['n_docs']), 'document')}, "
                    f"{_span(row['first_date'], row['last_date'])}."
                    + (
                        f" Drift between periods: {float(drift_value):.2f} (0: the same mix "
                        "of variants in every period, 1: no variant in common)."
                        if drift_value is not None and not pd.isna(drift_value)
                        else ""
                    )
                ),
                "family_href": f"#{_family_anchors([family_id])[family_id]}"
                if family_id in set(families["family_id"].iloc[: context.max_families])
                else "",
                "figures": [
                    figures[f"{family_id}/{name}"]
                    for name in ("timeline", "heatmap", "shares")
                    if f"{family_id}/{name}" in figures
                ],
                "diffs": lines[: context.max_variants],
                "diffs_left_out": max(0, len(lines) - context.max_variants),
                "fillers": f"{family_id}/fillers",
                "concordance": f"{family_id}/concordance",
            }
        )
    return SectionContent(
        tables=tables,
        figures=figures,
        headings=headings,
        values={
            "pages": pages_out,
            "n_left_out": len(families) - n_pages,
            "n_families": len(families),
            "no_families": _NO_FAMILIES,
        },
    )


# -- officials and outlets -----------------------------------------------------------------------


def _family_links(context: ReportContext) -> dict[str, str]:
    """The link of each family to its page (``#page-...``), for families that have one."""
    anchors = _page_anchors(context.result.families, context.max_family_pages)
    return {family_id: f"#{anchor}" for family_id, anchor in anchors.items()}


def _labels(families: pd.DataFrame) -> dict[str, str]:
    return dict(zip(families["family_id"].astype(str), families["label"].astype(str), strict=True))


def build_officials(context: ReportContext) -> SectionContent:
    result = context.result
    options = result.config.drift
    occurrences = result.occurrences
    labels = _labels(result.families)
    links = _family_links(context)
    compared = drift.compare_officials(
        occurrences, unit=options.unit, prior_strength=options.prior_strength
    )
    compared = compared.assign(
        family_id=compared["family_id"].astype(str),
        label=[labels.get(str(f), str(f)) for f in compared["family_id"]],
        family_href=pd.Series(
            [links.get(str(f)) for f in compared["family_id"]], index=compared.index, dtype=object
        ),
    )
    per_official = (
        compared.groupby("principal", sort=False)
        .agg(
            families=("family_id", "nunique"),
            variants=("variant", "size"),
            n_utterances=("n_utterances", "sum"),
            n_mentions=("n_mentions", "sum"),
            first_date=("first_date", "min"),
            last_date=("last_date", "max"),
        )
        .reset_index()
        .sort_values(["n_utterances", "principal"], ascending=[False, True], kind="stable")
    )
    # each official's rows together, the officials in the order of their table
    rank = {name: n for n, name in enumerate(per_official["principal"])}
    compared = compared.assign(_rank=[rank[name] for name in compared["principal"]])
    compared = compared.sort_values(
        ["_rank", "label", "z"], ascending=[True, True, False], na_position="last", kind="stable"
    )
    unit = options.unit
    n_unknown = (
        int((occurrences["principal"].astype("string").fillna("") == "").sum())
        if "principal" in occurrences.columns
        else len(occurrences)
    )
    tables = {
        "officials": Table(
            name="officials",
            frame=per_official,
            columns=(
                Column("principal", "Official", wide=True),
                Column("families", "Families", "int"),
                Column("variants", "Variants", "int"),
                Column("n_utterances", "Utterances", "int"),
                Column("n_mentions", "Mentions", "int"),
                Column("first_date", "First use", "date"),
                Column("last_date", "Last use", "date"),
            ),
            caption="One row per official whose position a formula states (the principal), "
            "most utterances first. An utterance is one statement; its mentions are the "
            "documents that reproduce it.",
            empty="No occurrence is attributed to a known official.",
            noun="officials",
            limit=context.max_listed,
            sort_note=", most utterances first",
        ),
        "official_variants": Table(
            name="official-variants",
            frame=compared,
            columns=(
                Column("principal", "Official"),
                Column("label", "Family", wide=True, link="family_href"),
                Column("variant", "Variant", wide=True),
                Column("n_utterances", "Utterances", "int"),
                Column("n_mentions", "Mentions", "int"),
                Column("first_date", "First use", "date"),
                Column("last_date", "Last use", "date"),
                Column("z", "Signature (z)", "float"),
            ),
            caption=(
                "Each official's variants of each family (officials in the order above), the "
                "most distinctive first: the "
                "signature score is the z-score of the log-odds ratio (informative Dirichlet "
                f"prior, strength {options.prior_strength:g}) of the official's use of the "
                f"variant against the other officials', in {unit}; above 2 the variant is the "
                "official's own wording, below −2 one the official avoids; — where the family "
                "has fewer than two officials or variants."
            ),
            empty="No occurrence is attributed to a known official.",
            noun="rows",
            limit=context.max_listed,
            sort_note=", by official (most utterances first), then family",
            export_columns=(
                "family_id",
                "label",
                "principal",
                "variant",
                "n_utterances",
                "n_mentions",
                "share",
                "first_date",
                "last_date",
                "log_odds",
                "z",
            ),
        ),
    }
    stats = [
        Stat("Officials", len(per_official)),
        Stat(
            "Occurrences without a known official",
            n_unknown,
            note=f"of {_plural(len(occurrences), 'occurrence')}",
        ),
    ]
    return SectionContent(
        tables=tables,
        headings={
            "list": Heading("officials-list", "Officials"),
            "variants": Heading("officials-variants", "Variants by official"),
        },
        values={"stats": stats},
    )


def build_outlets(context: ReportContext) -> SectionContent:
    result = context.result
    occurrences = result.occurrences
    unit = result.config.drift.unit
    labels = _labels(result.families)
    links = _family_links(context)
    counts = drift.count_variants(occurrences, by="source", unit=unit)
    counts = counts.assign(family_id=counts["family_id"].astype(str))
    by_family = (
        counts.groupby(["source", "family_id"], sort=False)
        .agg(
            variants=("variant", "size"),
            n_utterances=("n_utterances", "sum"),
            n_mentions=("n_mentions", "sum"),
            first_date=("first_date", "min"),
            last_date=("last_date", "max"),
        )
        .reset_index()
        .sort_values(
            ["source", "n_mentions", "family_id"], ascending=[True, False, True], kind="stable"
        )
    )
    by_family["label"] = [labels.get(f, f) for f in by_family["family_id"]]
    by_family["family_href"] = [links.get(f) for f in by_family["family_id"]]
    docs = occurrences.groupby("source", sort=False)["doc_id"].nunique().rename("documents")
    per_outlet = (
        by_family.groupby("source", sort=False)
        .agg(
            families=("family_id", "nunique"),
            n_mentions=("n_mentions", "sum"),
            first_date=("first_date", "min"),
            last_date=("last_date", "max"),
        )
        .join(docs)
        .reset_index()
        .sort_values(["n_mentions", "source"], ascending=[False, True], kind="stable")
    )
    # each outlet's rows together, the outlets in the order of their table
    rank = {name: n for n, name in enumerate(per_outlet["source"])}
    by_family = by_family.assign(_rank=[rank[name] for name in by_family["source"]])
    by_family = by_family.sort_values(
        ["_rank", "n_mentions"], ascending=[True, False], kind="stable"
    )
    tables = {
        "outlets": Table(
            name="outlets",
            frame=per_outlet,
            columns=(
                Column("source", "Outlet", wide=True),
                Column("documents", "Documents with a formula", "int"),
                Column("families", "Families", "int"),
                Column("n_mentions", "Occurrences", "int"),
                Column("first_date", "First use", "date"),
                Column("last_date", "Last use", "date"),
            ),
            caption="One row per outlet (source), most occurrences first.",
            empty="No formula occurs in the corpus.",
            noun="outlets",
            limit=context.max_listed,
            sort_note=", most occurrences first",
        ),
        "outlet_families": Table(
            name="outlet-families",
            frame=by_family,
            columns=(
                Column("source", "Outlet"),
                Column("label", "Family", wide=True, link="family_href"),
                Column("variants", "Variants", "int"),
                Column("n_mentions", "Occurrences", "int"),
                Column("n_utterances", "Utterances", "int"),
                Column("first_date", "First use", "date"),
                Column("last_date", "Last use", "date"),
            ),
            caption="Each outlet's families (outlets in the order above), most occurrences first.",
            empty="No formula occurs in the corpus.",
            noun="rows",
            limit=context.max_listed,
            sort_note=", by outlet (most occurrences first), then family",
            export_columns=(
                "source",
                "family_id",
                "label",
                "variants",
                "n_mentions",
                "n_utterances",
                "first_date",
                "last_date",
            ),
        ),
        "outlet_variants": Table(
            name="outlet-variants",
            frame=counts,
            columns=(Column("variant", "Variant"),),
            noun="rows",
            limit=0,
            export_columns=tuple(counts.columns),
        ),
    }
    figures: dict[str, FigureBlock] = {}
    if len(occurrences):
        from phrasedrift import plots  # matplotlib and seaborn load only when a report is drawn

        figures["volume"] = figure_block(
            functools.partial(plots.occurrences_over_time, occurrences),
            id="figure-occurrences-over-time",
            caption="Formula occurrences (all families) over time, coloured by outlet.",
            alt=f"Bar chart of {_plural(len(occurrences), 'occurrence')} by date and outlet.",
            drawer=context.drawer,
        )
    return SectionContent(
        tables=tables,
        figures=figures,
        headings={
            "volume": Heading("outlets-volume", "Volume over time"),
            "list": Heading("outlets-list", "Outlets"),
            "families": Heading("outlets-families", "Families by outlet"),
        },
    )


# -- documents -----------------------------------------------------------------------------------


def build_documents(context: ReportContext) -> SectionContent:
    counts = context.counts
    frame = (
        context.documents_in_order()
        .loc[
            :,
            [
                "anchor",
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
        ]
        .copy()
    )
    frame["sentences"] = counts["sentences"].reindex(frame["doc_id"]).to_numpy()
    frame["tokens"] = counts["tokens"].reindex(frame["doc_id"]).to_numpy()
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
        row_id="anchor",
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


#: The sections of the report, in order.
SECTIONS: tuple[Section, ...] = (
    Section("overview", "Overview", "section_overview.html.j2", build_overview),
    Section("families", "Formula families", "section_families.html.j2", build_families),
    Section("pages", "Family pages", "section_pages.html.j2", build_family_pages),
    Section("officials", "Officials", "section_officials.html.j2", build_officials),
    Section("outlets", "Outlets", "section_outlets.html.j2", build_outlets),
    Section("documents", "Documents", "section_documents.html.j2", build_documents),
    Section("quality", "Data quality", "section_quality.html.j2", build_quality),
    Section("method", "Method", "section_method.html.j2", build_method),
)
