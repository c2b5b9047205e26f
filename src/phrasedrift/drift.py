"""Drift: how each family's wording changes by official, by outlet and over time.

    timeline = count_by_period(occurrences, freq="M")
    officials = compare_officials(occurrences)
    edits = diff_variants(occurrences, families)

Every function reads the ``occurrences`` table (and where said ``families`` or ``slots``),
returns a new frame and leaves its input alone. ``principal``, ``speaker``, ``mode`` and
``utterance_id`` are optional: a missing principal is unknown (``""``), and without an
``utterance_id`` every occurrence is an utterance of its own. Undated occurrences count for
"by official" and "by outlet", never "over time".

Counts
------
Counted two ways: ``n_mentions`` (occurrences: every reproduction in an outlet) and
``n_utterances`` (distinct ``utterance_id``: a statement carried by three outlets counts once).
``share`` is a count's share of its group, in ``unit`` (``utterances`` or ``mentions``);
the period of a time table is ``freq`` (:data:`~phrasedrift.config.PERIODS`) or chosen from
the span by :func:`choose_period`.

Tables
------
:func:`count_variants`    ``family_id``, the ``by`` columns, ``variant``, ``n_mentions``,
                          ``n_utterances``, ``share`` (of the family within its ``by`` group),
                          ``first_date``, ``last_date``.
:func:`count_by_period`   ``family_id``, ``period`` (the period's first day), ``variant``,
                          ``n_mentions``, ``n_utterances``, ``share`` (of the family in that
                          period).
:func:`find_first_uses`   ``family_id``, ``variant``, ``first_date``, ``doc_id``, ``source``,
                          ``principal`` (of the first use: who introduced the variant),
                          ``last_date``, ``n_mentions``, ``n_utterances``.
:func:`diff_variants`     ``family_id``, ``label``, ``variant``, ``op`` (``insert``,
                          ``delete``, ``replace``; also ``equal`` when asked), ``position``
                          (word index in the label), ``removed`` (label words), ``added``
                          (variant words): one row per edit from label to variant.
:func:`score_drift`       ``family_id``, ``period``, ``previous_period``, ``n``,
                          ``n_previous``, ``divergence`` (Jensen–Shannon, base 2, 0..1, of the
                          variant distributions), ``rank`` (1: the biggest change of the
                          family).
:func:`measure_drift`     ``family_id``, ``drift`` (weighted mean divergence, see there),
                          ``n_periods``.
:func:`count_slot_fillers`  ``family_id``, ``pattern``, ``period``, ``filler``,
                          ``n_mentions``, ``n_utterances``, ``share`` (of the pattern in that
                          period).
:func:`score_signatures`  ``family_id``, the ``by`` column, ``variant``, ``count``,
                          ``count_others``, ``log_odds``, ``z``.
:func:`compare_officials` the :func:`count_variants` columns by ``principal`` (known officials
                          only) with ``log_odds`` and ``z`` of :func:`score_signatures`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas.api import types as ptypes
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from phrasedrift.config import DECADE, PERIODS, UNITS, DriftConfig
from phrasedrift.errors import PhrasedriftError, SchemaError

__all__ = [
    "add_drift",
    "choose_period",
    "compare_officials",
    "count_by_period",
    "count_slot_fillers",
    "count_variants",
    "diff_variants",
    "find_family",
    "find_first_uses",
    "measure_drift",
    "period_alias",
    "period_starts",
    "score_drift",
    "score_signatures",
]

#: Columns an occurrences table must have here; the others are optional.
_REQUIRED = ("family_id", "variant", "doc_id", "date", "source")
#: Optional columns, and what they are when absent.
_OPTIONAL = ("principal", "speaker", "mode")
_UTTERANCE = "_utterance"
_COUNTS = ["n_mentions", "n_utterances"]


def choose_period(dates: pd.Series, *, max_periods: int = DriftConfig.max_periods) -> str:
    """The shortest period of :data:`~phrasedrift.config.PERIODS` (day, week, month, year,
    decade) that cuts the span of ``dates`` into at most ``max_periods`` periods, else the
    longest; ``"D"`` when nothing is dated."""
    stamps = pd.to_datetime(pd.Series(dates), errors="coerce").dropna()
    if stamps.empty:
        return "D"
    first, last = stamps.min(), stamps.max()
    for freq in PERIODS:
        if freq == DECADE:
            n_periods = last.year // 10 - first.year // 10 + 1
        else:
            n_periods = (last.to_period(freq) - first.to_period(freq)).n + 1
        if n_periods <= max_periods:
            return freq
    return list(PERIODS)[-1]


def period_alias(freq: str) -> str:
    """The alias (``"10Y"``) of a period of :data:`~phrasedrift.config.PERIODS` given by its
    alias or its name (``"decade"``); a :class:`ValueError` naming the choices otherwise."""
    alias = _alias(freq)
    if alias not in PERIODS:
        choices = ", ".join(f"{a} ({n})" for a, n in PERIODS.items())
        raise ValueError(f"unknown period {freq!r}; choose one of {choices}")
    return alias


def period_starts(dates: pd.Series, freq: str) -> pd.Series:
    """The first day of the period of each date (``NaT`` stays ``NaT``): ``freq`` is an alias
    or a name of :data:`~phrasedrift.config.PERIODS`, or another pandas period alias. A
    decade starts in a year ending in 0 (1790-1799 is the 1790s)."""
    alias = _alias(freq)
    stamps = pd.to_datetime(pd.Series(dates), errors="coerce")
    if alias == DECADE:
        years = pd.DataFrame({"year": stamps.dt.year // 10 * 10, "month": 1, "day": 1})
        decades: pd.Series = pd.to_datetime(years)
        return decades
    return stamps.dt.to_period(alias).dt.start_time


def count_variants(
    occurrences: pd.DataFrame,
    *,
    by: str | Sequence[str] = (),
    unit: str = DriftConfig.unit,
) -> pd.DataFrame:
    """Uses of each variant of each family, by the ``by`` columns (``"principal"``,
    ``"source"``, ...), with the first and last dated use. Undated uses count."""
    keys = _keys(by)
    frame = _prepared(occurrences, "count_variants", extra=keys)
    counts = _count(frame, ["family_id", *keys, "variant"], unit=unit)
    dates = frame.groupby(["family_id", *keys, "variant"], sort=True)["date"].agg(["min", "max"])
    dates.columns = ["first_date", "last_date"]
    return counts.merge(dates.reset_index(), on=["family_id", *keys, "variant"], how="left")


def count_by_period(
    occurrences: pd.DataFrame,
    *,
    freq: str | None = DriftConfig.freq,
    max_periods: int = DriftConfig.max_periods,
    unit: str = DriftConfig.unit,
) -> pd.DataFrame:
    """Uses of each variant of each family per period (dated uses only); the period is ``freq``
    or chosen from the span of the dates (:func:`choose_period`)."""
    dated = _dated(_prepared(occurrences, "count_by_period"), freq, max_periods)
    return _count(dated, ["family_id", "period", "variant"], unit=unit)


def find_first_uses(occurrences: pd.DataFrame) -> pd.DataFrame:
    """Where and by whom each variant was first used: its earliest dated use, or for a variant
    never dated its first undated one. Among uses of that first day, one by a known principal
    comes first, then by document and offset."""
    frame = _prepared(occurrences, "find_first_uses")
    if "start" not in frame.columns:
        frame = frame.assign(start=0)
    order = frame.assign(_unknown=frame["principal"] == "").sort_values(
        ["date", "_unknown", "doc_id", "start"], na_position="last", kind="stable"
    )
    first = order.groupby(["family_id", "variant"], sort=False).head(1)
    first = first[["family_id", "variant", "date", "doc_id", "source", "principal"]].rename(
        columns={"date": "first_date"}
    )
    totals = count_variants(frame)[["family_id", "variant", "last_date", *_COUNTS]]
    out = first.merge(totals, on=["family_id", "variant"], how="left")
    return out.sort_values(
        ["family_id", "first_date", "variant"], na_position="last", kind="stable"
    ).reset_index(drop=True)


def diff_variants(
    occurrences: pd.DataFrame, families: pd.DataFrame, *, equal: bool = False
) -> pd.DataFrame:
    """Word-level edits that turn each family's label (its canonical wording) into each of its
    variants: Levenshtein edit operations over word lists, compared case-folded and without
    quotation marks or inner hyphens, as variants are written. ``equal`` also lists the
    unchanged stretches, so a whole variant can be shown with its edits marked."""
    frame = _prepared(occurrences, "diff_variants")
    _require(families, ("family_id", "label"), "diff_variants", "families")
    labels = dict(
        zip(families["family_id"].astype(str), families["label"].astype(str), strict=True)
    )
    unknown = sorted(set(frame["family_id"]) - set(labels))
    if unknown:
        raise SchemaError(
            f"diff_variants: the families table lacks the occurrences' families "
            f"{', '.join(unknown[:5])}{' ...' if len(unknown) > 5 else ''}"
        )
    rows = []
    pairs = frame[["family_id", "variant"]].drop_duplicates().sort_values(["family_id", "variant"])
    for family_id, variant in pairs.itertuples(index=False):
        label = labels[family_id]
        source, target = _words(label), _words(variant)
        for tag, position, removed, added in _edits(source, target):
            if tag != "equal" or equal:
                rows.append((family_id, label, variant, tag, position, removed, added))
    columns = ["family_id", "label", "variant", "op", "position", "removed", "added"]
    out = pd.DataFrame(rows, columns=columns)
    return out.astype({"position": "int64"})


def score_drift(
    occurrences: pd.DataFrame,
    *,
    freq: str | None = DriftConfig.freq,
    max_periods: int = DriftConfig.max_periods,
    unit: str = DriftConfig.unit,
) -> pd.DataFrame:
    """How much each family's wording changed from one period to the next it was used in: the
    Jensen–Shannon divergence (base 2: 0 the same shares of variants, 1 no variant in common)
    of the variant distributions of the two periods, counted in ``unit``. Periods without a
    use are skipped; ``rank`` 1 marks the family's biggest change."""
    # prepared as count_by_period prepares it (its errors name that stage, as they did)
    dated = _dated(_prepared(occurrences, "count_by_period"), freq, max_periods)
    return _scores(dated, unit)


def _scores(dated: pd.DataFrame, unit: str) -> pd.DataFrame:
    """:func:`score_drift` of a prepared frame of dated uses with their periods."""
    # families and variants as codes numbered in the order of their text, so that every
    # grouping, merge and sort below goes as it would by text, without hashing text
    family, names = pd.factorize(dated["family_id"], sort=True)
    variant = pd.factorize(dated["variant"], sort=True)[0]
    coded = dated.assign(family_id=family.astype(np.int64), variant=variant.astype(np.int64))
    counts = _count(coded, ["family_id", "period", "variant"], unit=unit)
    column = _unit_column(unit)
    # Number each family's periods in order; period k is compared with period k - 1 by
    # laying the shares of k - 1 beside those of k, variant by variant (0 where unused).
    summed = counts.groupby(["family_id", "period", "variant"], sort=True)[column].sum()
    used = summed[summed > 0].rename("n").reset_index()
    totals = (
        used.groupby(["family_id", "period"], sort=True)["n"].sum().rename("total").reset_index()
    )
    totals["k"] = totals.groupby("family_id").cumcount()
    used = used.merge(totals, on=["family_id", "period"])
    used["share"] = used["n"] / used["total"]
    current = used[["family_id", "k", "variant", "share"]]
    previous = used.assign(k=used["k"] + 1)[["family_id", "k", "variant", "share"]]
    pairs = current.merge(
        previous, on=["family_id", "k", "variant"], how="outer", suffixes=("", "_previous")
    ).fillna({"share": 0.0, "share_previous": 0.0})
    q, p = pairs["share"].to_numpy(), pairs["share_previous"].to_numpy()
    m = (p + q) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log2(p / m), 0.0) + np.where(q > 0, q * np.log2(q / m), 0.0)
    divergence = (
        pd.Series(terms / 2).groupby([pairs["family_id"].to_numpy(), pairs["k"].to_numpy()]).sum()
    )
    divergence.index.names = ["family_id", "k"]
    steps = totals.merge(
        totals.assign(k=totals["k"] + 1).rename(
            columns={"period": "previous_period", "total": "n_previous"}
        ),
        on=["family_id", "k"],
    )
    steps = steps.join(divergence.rename("divergence"), on=["family_id", "k"])
    out = pd.DataFrame(
        {
            "family_id": pd.Series(
                np.asarray(names, dtype=object)[steps["family_id"].to_numpy(np.int64)],
                index=steps.index,
            ).astype(str),
            "period": pd.to_datetime(steps["period"]),
            "previous_period": pd.to_datetime(steps["previous_period"]),
            "n": steps["total"].astype("int64"),
            "n_previous": steps["n_previous"].astype("int64"),
            # rounded so that ties (1.0: no variant in common) rank by period, not by the
            # last bits of a floating-point sum
            "divergence": steps["divergence"].astype("float64").round(12),
        }
    ).reset_index(drop=True)
    out["rank"] = (
        out.sort_values(["family_id", "divergence", "period"], ascending=[True, False, True])
        .groupby("family_id")
        .cumcount()
        .add(1)
        .reindex(out.index)
        .astype("int64")
    )
    return out


def measure_drift(
    occurrences: pd.DataFrame,
    *,
    freq: str | None = DriftConfig.freq,
    max_periods: int = DriftConfig.max_periods,
    unit: str = DriftConfig.unit,
) -> pd.DataFrame:
    """One drift value per family: the mean of :func:`score_drift`'s divergences between
    consecutive periods, each weighted by the smaller of its two periods' counts, so a period
    of one stray use weighs little. Missing (NaN) for a family used in fewer than two periods;
    ``n_periods`` says in how many it was used."""
    frame = _prepared(occurrences, "measure_drift", text=("family_id", "variant"))
    dated = _dated(frame, freq, max_periods)
    scores = _scores(dated, unit)
    families = pd.Index(sorted(frame["family_id"].unique()), name="family_id")
    n_periods = dated.groupby("family_id")["period"].nunique().reindex(families, fill_value=0)
    weights = scores[["n", "n_previous"]].min(axis=1).astype("float64")
    weighted = (scores["divergence"] * weights).groupby(scores["family_id"]).sum()
    total = weights.groupby(scores["family_id"]).sum()
    drift = (weighted / total).reindex(families)
    return pd.DataFrame(
        {"drift": drift.astype("float64"), "n_periods": n_periods.astype("int64")}
    ).reset_index()


def add_drift(
    families: pd.DataFrame,
    occurrences: pd.DataFrame,
    *,
    freq: str | None = DriftConfig.freq,
    max_periods: int = DriftConfig.max_periods,
    unit: str = DriftConfig.unit,
) -> pd.DataFrame:
    """``families`` with a ``drift`` column from :func:`measure_drift` (replaced if present)."""
    _require(families, ("family_id",), "add_drift", "families")
    drift = measure_drift(occurrences, freq=freq, max_periods=max_periods, unit=unit)
    out = families.drop(columns=["drift"], errors="ignore")
    values = dict(zip(drift["family_id"], drift["drift"], strict=True))
    return out.assign(drift=[values.get(f, math.nan) for f in out["family_id"].astype(str)])


def count_slot_fillers(
    occurrences: pd.DataFrame,
    slots: pd.DataFrame,
    *,
    freq: str | None = DriftConfig.freq,
    max_periods: int = DriftConfig.max_periods,
    unit: str = DriftConfig.unit,
) -> pd.DataFrame:
    """Uses of each filler of each slot (:func:`phrasedrift.group.find_slots`) per period: a
    pattern with its filler is one variant, so these are that variant's dated uses."""
    frame = _prepared(occurrences, "count_slot_fillers")
    _require(slots, ("family_id", "pattern", "filler"), "count_slot_fillers", "slots")
    fillers = slots[["family_id", "pattern", "filler"]].drop_duplicates().astype(str)
    fillers = fillers.assign(
        variant=pd.Series(
            [
                " ".join(pattern.replace("_", filler, 1).split())
                for pattern, filler in zip(fillers["pattern"], fillers["filler"], strict=True)
            ],
            index=fillers.index,
            dtype=object,  # text even when there are no slots, so the merge below works
        )
    )
    joined = _dated(frame, freq, max_periods).merge(fillers, on=["family_id", "variant"])
    return _count(joined, ["family_id", "pattern", "period", "filler"], unit=unit)


def score_signatures(
    occurrences: pd.DataFrame,
    *,
    by: str = "principal",
    unit: str = DriftConfig.unit,
    prior_strength: float = DriftConfig.prior_strength,
) -> pd.DataFrame:
    """Each official's (each value of ``by``) signature variants within each family: the
    log-odds ratio of a variant in the official's uses against all other officials' uses, with
    an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' words"), and its
    z-score. The prior spreads ``prior_strength`` pseudo-counts over the family's variants in
    proportion to their pooled use. Uses with an unknown ``by`` are left out; a family needs
    two officials and two variants to be compared. Every official gets a row for every variant
    of the family, used or not (a negative z: a wording the official avoids)."""
    if prior_strength <= 0:
        raise ValueError(f"score_signatures: prior_strength must be > 0, got {prior_strength}")
    frame = _prepared(occurrences, "score_signatures", extra=[by])
    known = frame[frame[by] != ""]
    counts = _count(known, ["family_id", by, "variant"], unit=unit)
    column = _unit_column(unit)
    summed = counts.groupby(["family_id", by, "variant"], sort=True)[column].sum().rename("y")
    used = summed[summed > 0].reset_index()
    # every official of a family against every variant of it, used or not, in one frame
    officials = used.groupby(["family_id", by])["y"].sum().rename("n").reset_index()
    variants = used.groupby(["family_id", "variant"])["y"].sum().rename("pooled").reset_index()
    sizes = officials.groupby("family_id").size().rename("n_officials").to_frame()
    sizes = sizes.join(variants.groupby("family_id").size().rename("n_variants"))
    comparable = sizes.index[(sizes["n_officials"] >= 2) & (sizes["n_variants"] >= 2)]
    grid = officials[officials["family_id"].isin(comparable)].merge(variants, on="family_id")
    grid = grid.merge(used, on=["family_id", by, "variant"], how="left").fillna({"y": 0})
    grid["total"] = grid.groupby("family_id")["y"].transform("sum")
    columns = ["family_id", by, "variant", "count", "count_others", "log_odds", "z"]
    if grid.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype="float64" if c in ("log_odds", "z") else "object") for c in columns}
        )
    y, n = grid["y"].to_numpy(np.float64), grid["n"].to_numpy(np.float64)
    pooled, total = grid["pooled"].to_numpy(np.float64), grid["total"].to_numpy(np.float64)
    alpha = prior_strength * pooled / total
    others, n_others = pooled - y, total - n
    log_odds = np.log((y + alpha) / (n + prior_strength - y - alpha)) - np.log(
        (others + alpha) / (n_others + prior_strength - others - alpha)
    )
    z = log_odds / np.sqrt(1 / (y + alpha) + 1 / (others + alpha))
    out = pd.DataFrame(
        {
            "family_id": grid["family_id"].to_numpy(),
            by: grid[by].to_numpy(),
            "variant": grid["variant"].to_numpy(),
            "count": y.astype("int64"),
            "count_others": others.astype("int64"),
            "log_odds": log_odds,
            "z": z,
        }
    )
    return out.sort_values(["family_id", by, "z"], ascending=[True, True, False]).reset_index(
        drop=True
    )


def compare_officials(
    occurrences: pd.DataFrame,
    *,
    unit: str = DriftConfig.unit,
    prior_strength: float = DriftConfig.prior_strength,
) -> pd.DataFrame:
    """Per family, each known official's variants with their counts, first and last use, and
    how much of a signature each is (``log_odds``, ``z`` of :func:`score_signatures`; missing
    where the family cannot be compared). Most distinctive first within each official."""
    frame = _prepared(occurrences, "compare_officials")
    counts = count_variants(frame[frame["principal"] != ""], by="principal", unit=unit)
    signatures = score_signatures(frame, unit=unit, prior_strength=prior_strength)
    keys = ["family_id", "principal", "variant"]
    out = counts.merge(signatures[[*keys, "log_odds", "z"]], on=keys, how="left")
    return out.sort_values(
        ["family_id", "principal", "z", _unit_column(unit), "variant"],
        ascending=[True, True, False, False, True],
        na_position="last",
    ).reset_index(drop=True)


def find_family(
    families: pd.DataFrame, family: str, *, occurrences: pd.DataFrame | None = None
) -> str:
    """The ``family_id`` that ``family`` names: a family id, a label (case-folded), or a variant
    of exactly one family (when ``occurrences`` is given). Otherwise a
    :class:`~phrasedrift.errors.PhrasedriftError` naming the closest ids and labels."""
    _require(families, ("family_id", "label"), "find_family", "families")
    ids = families["family_id"].astype(str).tolist()
    if family in ids:
        return family
    wanted = " ".join(_words(family))
    labels = families["label"].astype(str).tolist()
    by_label = {" ".join(_words(label)): i for i, label in zip(ids, labels, strict=True)}
    if wanted in by_label:
        return by_label[wanted]
    if occurrences is not None and len(occurrences):
        variants = occurrences[["family_id", "variant"]].astype(str).drop_duplicates()
        owners = set(variants.loc[variants["variant"] == wanted, "family_id"])
        if len(owners) == 1:
            return str(owners.pop())
    # Ids and labels both searched; each family named once, by its label.
    names = [*ids, *labels]
    found = process.extract(family, names, scorer=fuzz.WRatio, limit=6)
    close = list(dict.fromkeys(labels[index % len(ids)] for _, _, index in found))[:3]
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise PhrasedriftError(f"no formula family is called {family!r}{hint}")


# -- helpers ---------------------------------------------------------------------------------

#: Double quotation marks and brackets, which a variant's normal form leaves out.
_MARKS = re.compile(r"[\"“”„«»()\[\]]")
#: Hyphens inside a word, which a variant's normal form leaves out ("de-escalate").
_INNER_HYPHENS = re.compile(r"(?<=\w)[-‐‑–]+(?=\w)")


def _words(text: str) -> list[str]:
    """Words of a label or variant as variants are written: case-folded, curly apostrophes
    straightened, without quotation marks, brackets or inner hyphens."""
    text = _INNER_HYPHENS.sub("", _MARKS.sub(" ", text.replace("’", "'")))
    return text.casefold().split()


def _edits(source: list[str], target: list[str]) -> list[tuple[str, int, str, str]]:
    """(op, position in source, source words, target words) turning ``source`` into
    ``target``. Words are aligned without a possessive ``'s``, so "israel" -> "israel's"
    is one replacement, not a deletion and an insertion elsewhere."""

    def bare(words: list[str]) -> list[str]:
        return [w.removesuffix("'s") or w for w in words]

    out = []
    for op in Levenshtein.opcodes(bare(source), bare(target)):
        if op.tag != "equal":
            removed = " ".join(source[op.src_start : op.src_end])
            out.append(
                (op.tag, op.src_start, removed, " ".join(target[op.dest_start : op.dest_end]))
            )
            continue
        # Aligned words that differ in their 's: runs of replacements inside the equal block.
        offset = op.dest_start - op.src_start
        same = [source[i] == target[i + offset] for i in range(op.src_start, op.src_end)]
        start = op.src_start
        for i in range(op.src_start, op.src_end + 1):
            if i == op.src_end or (
                i > start and same[i - op.src_start] != same[start - op.src_start]
            ):
                tag = "equal" if same[start - op.src_start] else "replace"
                words = " ".join(source[start:i]), " ".join(target[start + offset : i + offset])
                out.append((tag, start, *words))
                start = i
    return out


def _keys(by: str | Sequence[str]) -> list[str]:
    return [by] if isinstance(by, str) else list(by)


def _require(frame: pd.DataFrame, columns: Sequence[str], stage: str, table: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(f"{stage}: expected a pandas DataFrame of {table}, got {type(frame)!r}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(f"{stage}: the {table} table lacks column(s) {', '.join(missing)}")


def _prepared(
    occurrences: pd.DataFrame,
    stage: str,
    *,
    extra: Sequence[str] = (),
    text: Sequence[str] | None = None,
) -> pd.DataFrame:
    """A copy with the optional columns filled in (unknown: ``""``), the ``text`` columns
    (default: the required and optional ones and ``extra``) as plain text, dates as
    datetimes, and a code per utterance (each row its own when there is no
    ``utterance_id``). A caller that reads few columns names them in ``text``: on the
    occurrences of a large corpus each conversion costs a pass over millions of rows."""
    _require(occurrences, _REQUIRED, stage, "occurrences")
    frame = occurrences.copy(deep=False)  # copy on write: the columns set below are new
    for column in _OPTIONAL:
        if column not in frame.columns:
            frame[column] = ""
    missing = [c for c in extra if c not in frame.columns]
    if missing:
        raise SchemaError(f"{stage}: the occurrences table lacks column(s) {', '.join(missing)}")
    if text is None:
        text = ("family_id", "variant", "doc_id", "source", *_OPTIONAL, *extra)
    for column in dict.fromkeys(text):
        frame[column] = frame[column].astype("string").fillna("").astype(str)
    if not ptypes.is_datetime64_any_dtype(frame["date"]):
        try:
            frame["date"] = pd.to_datetime(frame["date"], format="mixed")
        except (ValueError, TypeError) as error:
            raise SchemaError(
                f"{stage}: the occurrences' date column is not dates ({error})"
            ) from None
    frame[_UTTERANCE] = _utterances(frame)
    return frame


def _utterances(frame: pd.DataFrame) -> npt.NDArray[np.int64]:
    """A code per row for the statement it is a mention of: one per distinct
    ``utterance_id`` (as text), and one of its own for each row without one."""
    if "utterance_id" in frame.columns:
        ids = pd.factorize(frame["utterance_id"].astype("string"))[0].astype(np.int64)
    else:
        ids = np.full(len(frame), -1, dtype=np.int64)
    own = int(ids.max()) + 1 + np.arange(len(frame), dtype=np.int64) if len(ids) else ids
    codes: npt.NDArray[np.int64] = np.where(ids < 0, own, ids)
    return codes


def _unit_column(unit: str) -> str:
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; choose one of {', '.join(UNITS)}")
    return f"n_{unit}"


def _freq(freq: str | None, dates: pd.Series, max_periods: int) -> str:
    """A period alias from an alias or a name, or chosen from ``dates``."""
    if freq is None:
        return choose_period(dates, max_periods=max_periods)
    return period_alias(freq)


def _alias(freq: str) -> str:
    """The alias of a period name ("decade" -> "10Y"); an alias upper-cased."""
    names = {name: alias for alias, name in PERIODS.items()}
    return names.get(freq, freq.upper())


def _dated(frame: pd.DataFrame, freq: str | None, max_periods: int) -> pd.DataFrame:
    """The dated rows with a ``period`` column (the first day of each row's period)."""
    alias = _freq(freq, frame["date"], max_periods)
    dated = frame[frame["date"].notna()]
    return dated.assign(period=period_starts(dated["date"], alias))


def _count(frame: pd.DataFrame, keys: list[str], *, unit: str) -> pd.DataFrame:
    """Mentions and utterances per ``keys``, and the share of the last key within the others."""
    column = _unit_column(unit)
    grouped = frame.groupby(keys, sort=True, observed=True)
    out = pd.DataFrame(
        {
            "n_mentions": grouped.size().astype("int64"),
            "n_utterances": grouped[_UTTERANCE].nunique().astype("int64"),
        }
    ).reset_index()
    if out.empty:  # keep the key columns and count dtypes of an empty group-by
        empty = {k: pd.Series(dtype=frame[k].dtype) for k in keys}
        out = pd.DataFrame({**empty, **{c: pd.Series(dtype="int64") for c in _COUNTS}})
    totals = out.groupby(keys[:-1], sort=False)[column].transform("sum")
    return out.assign(share=(out[column] / totals).astype("float64"))


def _js_divergence(p: npt.NDArray[np.float64], q: npt.NDArray[np.float64]) -> float:
    """Jensen–Shannon divergence (base 2) of two count vectors, as distributions."""
    p, q = p / p.sum(), q / q.sum()
    m = (p + q) / 2

    def kl(a: npt.NDArray[np.float64]) -> float:
        nonzero = a > 0
        return float(np.sum(a[nonzero] * np.log2(a[nonzero] / m[nonzero])))

    return (kl(p) + kl(q)) / 2
