"""Score predicted formula occurrences against hand-annotated gold occurrences.

Gold format (CSV, one row per annotated occurrence, like ``seed-formulas.csv``):
``doc`` (file name or doc_id), ``family``, ``variant`` (the exact text), ``nth`` (which
occurrence of that text in the document, counted lowercase with quotes folded), and optionally
``principal``, ``speaker``, ``mode``.

A gold occurrence is *found* when a predicted occurrence in the same document covers at least
``min_overlap`` of the gold span (the prediction with the largest cover is its match). Family
quality is the B-cubed precision, recall and F1 of the predicted ``family_id`` against the
gold ``family`` over the found occurrences. Attribution quality is the share of found
occurrences whose predicted principal, speaker and mode equal the gold ones (compared after
case folding; an empty gold speaker means narration).

Gold texts are located in each document's clean text (quotes folded, whitespace flexible), so
a gold file annotated on raw files scores predictions made on clean text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from phrasedrift.errors import PhrasedriftError

_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})
GOLD_COLUMNS = ("doc", "family", "variant", "nth")


@dataclass(frozen=True)
class Score:
    """The scores of one evaluation and the per-occurrence table behind them.

    ``matches`` has one row per gold occurrence: its doc_id, family, variant, located clean
    ``start``/``end`` (missing when the text was not found), ``found``, and the matched
    prediction's ``family_id`` and ``overlap``.
    """

    recall: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    n_gold: int
    n_found: int
    matches: pd.DataFrame

    def as_dict(self) -> dict[str, float | int]:
        return {
            "recall": round(self.recall, 4),
            "bcubed_precision": round(self.bcubed_precision, 4),
            "bcubed_recall": round(self.bcubed_recall, 4),
            "bcubed_f1": round(self.bcubed_f1, 4),
            "n_gold": self.n_gold,
            "n_found": self.n_found,
        }


def read_gold(path: str | Path) -> pd.DataFrame:
    """Read a gold CSV; ``doc_id`` is ``doc`` without a ``.txt``/``.md`` extension."""
    path = Path(path)
    try:
        gold = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as error:
        raise PhrasedriftError(f"{path}: cannot read the gold file: {error}") from error
    missing = [c for c in GOLD_COLUMNS if c not in gold.columns]
    if missing:
        raise PhrasedriftError(f"{path}: the gold file lacks column(s) {', '.join(missing)}")
    gold["nth"] = pd.to_numeric(gold["nth"], errors="coerce").fillna(1).astype(int)
    gold["doc_id"] = gold["doc"].str.replace(r"\.(txt|md|html?)$", "", regex=True)
    return gold


def locate(gold: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Add clean-text ``start``/``end`` to each gold row (missing where the text is absent)."""
    texts = documents.set_index("doc_id")["text"]
    starts: list[int | None] = []
    ends: list[int | None] = []
    rows = zip(gold["doc_id"].tolist(), gold["variant"].tolist(), gold["nth"].tolist(), strict=True)
    for doc_id, variant, nth in rows:
        span = None
        if doc_id in texts.index:
            pattern = _variant_pattern(str(variant))
            found = list(pattern.finditer(str(texts.at[doc_id]).translate(_FOLD)))
            if len(found) >= int(nth):
                span = found[int(nth) - 1].span()
        starts.append(span[0] if span else None)
        ends.append(span[1] if span else None)
    return gold.assign(start=pd.array(starts, dtype="Int64"), end=pd.array(ends, dtype="Int64"))


def _variant_pattern(variant: str) -> re.Pattern[str]:
    words = variant.translate(_FOLD).split()
    return re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)


def score_families(
    occurrences: pd.DataFrame,
    gold: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    min_overlap: float = 0.5,
    min_docs: int = 1,
) -> Score:
    """Recall and B-cubed family scores of ``occurrences`` against ``gold``.

    ``min_docs`` restricts the gold to families annotated in at least that many documents.
    """
    located = locate(gold, documents)
    doc_counts = located.groupby("family")["doc_id"].nunique()
    located = located[located["family"].map(doc_counts) >= min_docs].reset_index(drop=True)
    by_doc = {str(doc_id): frame for doc_id, frame in occurrences.groupby("doc_id")}
    family_ids: list[str | None] = []
    overlaps: list[float] = []
    attributed = [c for c in ("principal", "speaker", "mode") if c in occurrences.columns]
    predicted: dict[str, list[object]] = {c: [] for c in attributed}
    rows = zip(
        located["doc_id"].tolist(), located["start"].tolist(), located["end"].tolist(), strict=True
    )
    for doc_id, start, end in rows:
        best_family, best_overlap, best_row = None, 0.0, None
        candidates = by_doc.get(str(doc_id))
        if candidates is not None and not pd.isna(start):
            g_start, g_end = int(start), int(end)
            ends = candidates["end"].to_numpy().clip(max=g_end)
            starts = candidates["start"].to_numpy().clip(min=g_start)
            cover = (ends - starts).clip(min=0) / max(g_end - g_start, 1)
            if len(cover) and cover.max() > 0:
                best = int(cover.argmax())
                best_family = str(candidates["family_id"].iloc[best])
                best_overlap = float(cover[best])
                best_row = candidates.iloc[best]
        family_ids.append(best_family)
        overlaps.append(best_overlap)
        for column in attributed:
            predicted[column].append(None if best_row is None else best_row[column])
    matches = located.assign(family_id=pd.Series(family_ids, dtype=object), overlap=overlaps)
    for column in attributed:
        matches[f"predicted_{column}"] = pd.Series(predicted[column], dtype=object)
    matches["found"] = matches["overlap"] >= min_overlap
    found = matches[matches["found"]]
    precision, recall = _bcubed(found["family"].tolist(), found["family_id"].tolist())
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(
        recall=len(found) / len(matches) if len(matches) else 0.0,
        bcubed_precision=precision,
        bcubed_recall=recall,
        bcubed_f1=f1,
        n_gold=len(matches),
        n_found=len(found),
        matches=matches,
    )


def _bcubed(gold_labels: list[object], predicted: list[object]) -> tuple[float, float]:
    """B-cubed precision and recall of a predicted clustering against gold labels."""
    n = len(gold_labels)
    if n == 0:
        return 0.0, 0.0
    pairs = pd.DataFrame({"g": gold_labels, "p": [str(p) for p in predicted]})
    both = pairs.groupby(["g", "p"])["g"].transform("size")
    in_pred = pairs.groupby("p")["p"].transform("size")
    in_gold = pairs.groupby("g")["g"].transform("size")
    return float((both / in_pred).mean()), float((both / in_gold).mean())


def score_attribution(matches: pd.DataFrame) -> dict[str, float]:
    """Shares of found gold occurrences whose predicted principal, speaker and mode are right.

    ``matches`` is :attr:`Score.matches` of occurrences that carry ``principal``, ``speaker``
    and ``mode``; principals are scored where the gold principal is a person (in the roster or
    a two-word name), speakers everywhere (an empty gold speaker means narration).
    """
    found = matches[matches["found"]].copy()
    return {
        "principal": _share(found, "principal", person_only=True),
        "speaker": _share(found, "speaker"),
        "mode": _share(found, "mode"),
        "n": float(len(found)),
    }


def _fold(value: object) -> str:
    text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
    return re.sub(r"\s+", " ", text).strip().casefold()


def _share(found: pd.DataFrame, column: str, *, person_only: bool = False) -> float:
    gold = found[column].map(_fold)
    predicted = found[f"predicted_{column}"].map(_fold)
    if person_only:
        people = gold.str.match(r"^[a-z][a-z.'-]+( [a-z][a-z.'-]+)+$") & ~gold.str.contains(
            r"house|department|states|administration|nations|mission|government|pentagon"
        )
        gold, predicted = gold[people], predicted[people]
    return float((gold == predicted).mean()) if len(gold) else 0.0
