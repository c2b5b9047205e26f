"""Group recurring phrases into formula families and find every occurrence's variant span.

    grouped = group_variants(mined, tokens, documents)
    grouped.families      # one row per family
    grouped.occurrences   # one row per occurrence, with its variant and provenance
    grouped.members       # one row per phrase: its family and why it was put there
    grouped.slots         # where a family's variants differ in one place, and the fillers

Families
--------
Phrases (from :func:`phrasedrift.mine.mine_phrases`: sequences of content-word stems) are
compared only within *blocks*: phrases that share a content stem that is not too common (at
most ``max_block`` phrases per stem), or whose occurrences overlap in the text. A pair's
similarity is the largest of

``containment``  the IDF-weighted share of the smaller phrase's content stems that the other
                 one has ("support israel" in "unwavering support israel security"), stems
                 counted with their repeats, when they share at least ``min_shared``
                 distinct stems;
``token edit``   the normalised Levenshtein similarity of the two stem sequences, computed by
                 rapidfuzz over token lists ("ironclad support" / "unwavering support");
``overlap``      the share of the rarer phrase's occurrences that overlap an occurrence of the
                 other by at least half its length (two parts of one formula).

Phrases are then placed in order of how widespread they are (watched phrases first): each
joins the family of the placed phrase it is most similar to (at least ``threshold``), or founds
a family. A phrase similar to two families joins them into one only when it is nearly as
widespread as both (``1 / split_ratio`` of their founders' documents); a rarer phrase two
formulas share cannot chain them. Cost follows the number of phrases and their blocks, never
all pairs.

Occurrences and variants
------------------------
Each phrase occurrence is mapped to its family. In a sentence the most widespread phrases claim
their words first; an occurrence of the same family that overlaps or lies within ``max_gap``
tokens joins it, one of another family keeps only what is left. Each occurrence then grows to
its *variant span* by aligning its context with other occurrences of its family (see
:func:`_grow`): what they share around it belongs to the variant ("and its people, while
protecting civilians", "from indiscriminate rocket attacks"); where nothing aligns, lowercase
modifiers on its left ("strong support") and a possessive or article with its noun on its
right ("defend its sovereignty") are taken, and so is a following list of short items. The
variant is the span's normal form; the family's label (its canonical wording) is the commonest
wording of its founding phrase.

Tables
------
``families``: ``family_id`` (a slug of the label: stable across runs and input order),
``label``, ``n_variants``, ``n_occurrences``, ``n_docs``, ``n_sources``, ``first_date``,
``last_date``.
``occurrences``: ``family_id``, ``variant``, ``surface`` (the exact text), ``doc_id``,
``sent_id``, ``start``, ``end`` (offsets into the clean text), ``date``, ``source``, ``phrase``
(the mined phrase it grew from), ``how`` (why that phrase is in the family: ``core``,
``containment``, ``token edit``, ``overlap``, ``extension``, ``watch``), ``score`` (that
link's similarity, or for an extension the share of its occurrences that follow the family).
``members``: ``family_id``, ``phrase``, ``n_docs``, ``how``, ``score``, ``linked_to``.
``slots``: ``family_id``, ``pattern`` (the variant wording with ``_`` at the slot),
``filler`` (empty when the slot is left out), ``n_occurrences``, ``n_docs``.
"""

from __future__ import annotations

import concurrent.futures
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from scipy import sparse

from phrasedrift import schema
from phrasedrift.config import GroupConfig, MineConfig
from phrasedrift.mine import (
    COORDINATORS,
    Mined,
    NonContent,
    distinct,
    non_content,
    packed_lexsort,
    stems_of,
    word_classes,
)

_I64 = npt.NDArray[np.int64]
#: Per-token integers of :class:`_Words`: 32-bit while the tokens table has fewer than 2**31
#: rows, halving their memory on a large corpus; values gathered from them are widened to
#: 64 bits wherever they enter arithmetic or an output table.
_Index = npt.NDArray[np.signedinteger[Any]]
_MEMBER_COLUMNS = ["family_id", "phrase", "n_docs", "how", "score", "linked_to"]
_SLOT_COLUMNS = ["family_id", "pattern", "filler", "n_occurrences", "n_docs"]


@dataclass(frozen=True)
class Grouped:
    """Families, their occurrences, the membership of each phrase, and variant slots."""

    families: pd.DataFrame
    occurrences: pd.DataFrame
    members: pd.DataFrame
    slots: pd.DataFrame


def group_variants(
    mined: Mined,
    tokens: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    threshold: float = GroupConfig.threshold,
    max_block: int = GroupConfig.max_block,
    max_gap: int = GroupConfig.max_gap,
    max_modifiers: int = GroupConfig.max_modifiers,
    max_extension: int = GroupConfig.max_extension,
    min_alignment: float = GroupConfig.min_alignment,
    max_partners: int = GroupConfig.max_partners,
    max_aligned: int = GroupConfig.max_aligned,
    extension_share: float = GroupConfig.extension_share,
    extension_min_docs: int = GroupConfig.extension_min_docs,
    stopwords: tuple[str, ...] = MineConfig.stopwords,
    edge_words: tuple[str, ...] = MineConfig.edge_words,
    attribution_verbs: tuple[str, ...] = MineConfig.attribution_verbs,
    min_content: int = MineConfig.min_content,
    split_ratio: float = MineConfig.split_ratio,
    min_docs: int = MineConfig.min_docs,
    rare_threshold: float = GroupConfig.rare_threshold,
    min_shared: int = GroupConfig.min_shared,
) -> Grouped:
    """Group ``mined`` phrases into families and turn their hits into variant occurrences.

    ``tokens`` is the tokens table the phrases were mined from (``mined.hits`` point into it by
    position) and ``documents`` the clean documents (for texts, dates and outlets).
    """
    schema.check(documents, "documents", stage="group")
    phrases = mined.phrases.reset_index(drop=True)
    if phrases.empty:
        return _empty()
    # two pieces of independent work run on a second thread while this one goes on: the
    # tables of the words (while phrases are paired and clustered) and the families'
    # labels (while occurrences are claimed and grown); most of either is NumPy and pandas
    # work that lets the other thread run, and each gives the same result whenever it runs
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as ahead:
        words_ahead = ahead.submit(
            _Words.of, tokens, non_content(stopwords, edge_words, attribution_verbs)
        )
        stems = [p.split() for p in phrases["phrase"]]
        hits = _Hits.of(
            pd.Categorical(mined.hits["phrase"], categories=phrases["phrase"]).codes.astype(
                np.int64
            ),
            mined.hits["row_first"].to_numpy(np.int64),
            mined.hits["row_last"].to_numpy(np.int64),
        )
        overlaps = _overlap_counts(hits)
        frequency = {str(k): int(v) for k, v in mined.document_frequency.items()}
        pairs = np.concatenate(
            [
                _candidate_pairs(stems, frequency, max_block),
                overlaps[:, :2],
            ]
        )
        edges = _score_pairs(pairs, stems, _idf(stems, mined), overlaps, hits.pid, min_shared)
        edges = edges.assign(a=edges["a"].astype(np.int64), b=edges["b"].astype(np.int64))
        labels = _cluster(phrases, edges, threshold, split_ratio)
        words = words_ahead.result()
        labels, attached = _attach_extensions(
            labels,
            phrases,
            hits,
            words.sentence_first,
            max_extension,
            extension_share,
            extension_min_docs,
        )
        members = _members(phrases, labels, edges, attached)
        options = _SpanOptions(
            max_gap,
            max_modifiers,
            max_extension,
            min_alignment,
            max_partners,
            max_aligned,
            min_content,
        )
        labels_ahead = ahead.submit(_labels, hits, members, words, documents)
        spans = _occurrences(hits, members, phrases, words, options)
        if spans.empty:
            return _empty()
        wording = labels_ahead.result()
    return _tables(spans, members, wording, words, documents, edges, min_docs, rare_threshold)


@dataclass(frozen=True)
class _Hits:
    """The phrase occurrences of ``mined.hits`` as arrays (views of its columns, not a copy of
    the table: it has tens of millions of rows on a large corpus): each one's phrase number in
    the phrases table, its first and last token rows, and their order by first, then last
    row."""

    pid: _I64
    first: _I64
    last: _I64
    by_row: _I64

    @classmethod
    def of(cls, pid: _I64, first: _I64, last: _I64) -> _Hits:
        return cls(pid=pid, first=first, last=last, by_row=packed_lexsort((last, first)))

    def sorted(self) -> tuple[_Index, _Index, _Index]:
        """Phrase number, first and last row of each hit in ``by_row`` order, in 32 bits
        where rows and phrase numbers fit (half the memory traffic of the step loops that
        read them)."""
        size = max([len(self.pid), *(int(a.max()) + 1 for a in (self.pid, self.last) if len(a))])
        small = np.int32 if size < 2**31 else np.int64
        order = self.by_row
        return (
            self.pid[order].astype(small),
            self.first[order].astype(small),
            self.last[order].astype(small),
        )


def _empty() -> Grouped:
    return Grouped(
        schema.empty("families"),
        schema.empty("occurrences"),
        pd.DataFrame(columns=_MEMBER_COLUMNS),
        pd.DataFrame(columns=_SLOT_COLUMNS),
    )


# --- arrays ----------------------------------------------------------------------------------


def _factorize_text(values: pd.Series) -> tuple[_I64, npt.NDArray[np.object_]]:
    """``pd.factorize(values.astype(str))``: a code per value in order of first appearance, and
    the distinct values as text; for a categorical without missing values, from its integer
    codes (no text per row)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        if len(codes) == 0 or codes.min() >= 0:
            order, uniques = pd.factorize(codes)
            names = np.asarray(values.cat.categories.astype(str), dtype=object)[uniques]
            return order.astype(np.int64), names
    order, text = pd.factorize(values.astype(str))
    return order.astype(np.int64), np.asarray(text, dtype=object)


def _factorize_rows(rows: _I64) -> tuple[_I64, _I64]:
    """A code per row of a 2-D array of non-negative integers (equal rows, equal codes;
    numbered in order of first appearance) and the index of each code's first row. Columns
    are packed into one integer while it fits and then renumbered by a hash-based factorize,
    instead of sorting the rows as ``np.unique(axis=0)`` does."""
    code = np.zeros(len(rows), dtype=np.int64)
    bound = 1  # code < bound
    for column in rows.T:
        base = int(column.max()) + 1 if len(column) else 1
        if bound * base >= 2**62:
            code = pd.factorize(code)[0].astype(np.int64)
            bound = int(code.max()) + 1
        code, bound = code * base + column, bound * base
    code = pd.factorize(code)[0].astype(np.int64)
    first = np.empty(int(code.max()) + 1 if len(code) else 0, dtype=np.int64)
    first[code[::-1]] = np.arange(len(code) - 1, -1, -1)
    return code, first


# --- similarity ------------------------------------------------------------------------------


def _idf(stems: list[list[str]], mined: Mined) -> dict[str, float]:
    """Smoothed inverse document frequency of each stem that occurs in a phrase."""
    n_docs = max(mined.n_documents, 1)
    frequency = mined.document_frequency
    return {
        stem: math.log((n_docs + 1) / (int(frequency.get(stem, 0)) + 1)) + 1.0
        for stem in {stem for phrase in stems for stem in phrase}
    }


def _candidate_pairs(stems: list[list[str]], frequency: dict[str, int], max_block: int) -> _I64:
    """Pairs (a < b, as rows of an array) of phrases that share one of their two rarest
    stems, among stems that at most ``max_block`` phrases have (prefix filtering: a pair
    similar enough to matter shares the rare words of the smaller phrase)."""
    postings: dict[str, list[int]] = defaultdict(list)
    for index, phrase in enumerate(stems):
        for stem in sorted(set(phrase), key=lambda s: (frequency.get(s, 0), s))[:2]:
            postings[stem].append(index)
    blocks = [np.asarray(m, dtype=np.int64) for m in postings.values() if 1 < len(m) <= max_block]
    parts = []
    for size in sorted({len(block) for block in blocks}):
        i, j = np.triu_indices(size, k=1)
        same = np.stack([block for block in blocks if len(block) == size])
        parts.append(np.stack([same[:, i].ravel(), same[:, j].ravel()], axis=1))
    if not parts:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(parts)
    return np.sort(pairs, axis=1)


def _overlap_counts(hits: _Hits) -> _I64:
    """For phrase pairs whose occurrences overlap by at least half of the shorter one: how
    many occurrences do, as rows ``(a, b, n)`` with ``a < b``, sorted."""
    phrase, first, last = hits.sorted()
    n = len(phrase)
    size = int(phrase.max()) + 1 if n else 1
    # the pairs of each step are counted as a sparse phrase-by-phrase matrix (a linear
    # bucketing by row that sums repeats, not a sort of packed pair codes), summed over steps
    counted = sparse.csr_matrix((size, size), dtype=np.int64)
    a = np.arange(n, dtype=phrase.dtype)  # hits that may still touch one further on
    for step in range(1, n):
        a = a[: np.searchsorted(a, n - step)]  # ascending: those with a hit `step` on
        b = a + step
        last_a, first_b = last[a], first[b]
        touching = first_b <= last_a  # if not, no later hit touches a either
        if not touching.any():
            break
        a, b, last_a, first_b = a[touching], b[touching], last_a[touching], first_b[touching]
        last_b = last[b]
        shared = np.minimum(last_a, last_b) - first_b + 1
        shorter = np.minimum(last_a - first[a], last_b - first_b) + 1
        left, right = phrase[a], phrase[b]
        keep = (left != right) & (2 * shared >= shorter)
        left, right = left[keep], right[keep]
        ones = np.ones(len(left), dtype=np.int64)
        pairs = (np.minimum(left, right), np.maximum(left, right))
        counted = counted + sparse.csr_matrix((ones, pairs), shape=(size, size))
    counted.sum_duplicates()  # canonical: column indices sorted in each row
    rows = np.repeat(np.arange(size, dtype=np.int64), np.diff(counted.indptr))
    return np.stack([rows, counted.indices, counted.data], axis=1).astype(np.int64)


def _counted(codes: _I64, weights: _I64 | None = None) -> tuple[_I64, _I64]:
    """The distinct values of ``codes``, sorted, and how often each occurs (the sum of its
    ``weights`` if given)."""
    if weights is None:
        ordered = np.sort(codes)
    else:
        order = np.argsort(codes)
        ordered, weights = codes[order], weights[order]
    if len(ordered) == 0:
        return ordered, np.empty(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    if weights is None:
        counts = np.diff(np.r_[starts, len(ordered)])
    else:
        counts = np.add.reduceat(weights, starts)
    return ordered[starts], counts.astype(np.int64)


def _score_pairs(
    pairs: _I64,
    stems: list[list[str]],
    weights: dict[str, float],
    overlaps: _I64,
    pid: _I64,
    min_shared: int,
) -> pd.DataFrame:
    """Similarity and its kind for each candidate pair (columns a, b, score, how: a
    categorical), computed for all pairs at once: IDF-weighted containment from a sparse
    phrase-by-stem matrix, token edit similarity by rapidfuzz over stem sequences, and overlap
    shares."""
    if len(pairs) == 0:
        return pd.DataFrame({"a": [], "b": [], "score": [], "how": []})
    codes = distinct(pairs[:, 0] * len(stems) + pairs[:, 1])
    a, b = codes // len(stems), codes % len(stems)
    vocabulary = {stem: k for k, stem in enumerate(sorted(weights))}
    rows = [k for k, phrase in enumerate(stems) for _ in phrase]
    cols = [vocabulary[stem] for phrase in stems for stem in phrase]
    # stems counted with their repeats ("face to face" is two of "face", not one), so a
    # phrase of one repeated word is not contained in every phrase that has it once
    matrix = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(stems), len(vocabulary))
    )
    weight = np.array([weights[stem] for stem in sorted(weights)])
    totals = matrix @ weight
    common = matrix[a].minimum(matrix[b]).tocsr()
    common.eliminate_zeros()  # so that a row's stored entries are the stems it shares
    shared = np.asarray(common @ weight).ravel()
    containment = shared / np.maximum(np.minimum(totals[a], totals[b]), 1e-9)
    containment[np.diff(common.indptr) < min_shared] = 0.0
    coded = np.array(
        ["".join(chr(0x10000 + vocabulary[s]) for s in phrase) for phrase in stems], dtype=object
    )
    edit = process.cpdist(  # each pair apiece: the same scores on any number of threads
        coded[a], coded[b], scorer=Levenshtein.normalized_similarity, workers=2
    )
    n_hits = np.bincount(pid, minlength=len(stems))
    together = np.zeros(len(codes))
    if len(overlaps):
        overlap_codes = overlaps[:, 0] * len(stems) + overlaps[:, 1]  # sorted, as codes are
        at = np.minimum(np.searchsorted(overlap_codes, codes), len(overlap_codes) - 1)
        known = overlap_codes[at] == codes
        together[known] = overlaps[at[known], 2]
    overlap = together / np.maximum(np.minimum(n_hits[a], n_hits[b]), 1)
    scores = np.vstack([containment, edit, overlap])
    kinds = pd.CategoricalDtype(["containment", "token edit", "overlap"])
    how = pd.Categorical.from_codes(scores.argmax(axis=0), dtype=kinds)  # not 1M strings
    return pd.DataFrame({"a": a, "b": b, "score": scores.max(axis=0), "how": how})


def _cluster(
    phrases: pd.DataFrame, edges: pd.DataFrame, threshold: float, split_ratio: float
) -> _I64:
    """A family label per phrase, by placing phrases in order of how widespread they are
    (see the module docstring). Labels are positions in that order, so they do not depend on
    the order of the input."""
    order = phrases.sort_values(
        ["watch", "n_docs", "n_occurrences", "n_tokens", "phrase"],
        ascending=[False, False, False, False, True],
    ).index.to_numpy()
    rank = np.empty(len(phrases), dtype=np.int64)
    rank[order] = np.arange(len(order))
    docs = phrases["n_docs"].to_numpy().tolist()
    strong = edges[edges["score"] >= threshold]
    a, b = strong["a"].to_numpy(np.int64), strong["b"].to_numpy(np.int64)
    # each phrase's strong links, both ways, as slices of plain lists (no NumPy scalars below)
    ends, others = np.concatenate([a, b]), np.concatenate([b, a])
    by_end = np.argsort(ends, kind="stable")
    bounds = np.r_[0, np.cumsum(np.bincount(ends, minlength=len(phrases)))].tolist()
    other_of = others[by_end].tolist()
    score_of = np.tile(strong["score"].to_numpy(float), 2)[by_end].tolist()
    ranks = rank.tolist()
    founder = [-1] * len(phrases)
    merged: dict[int, int] = {}

    def root(family: int) -> int:
        while family in merged:
            family = merged[family]
        return family

    for phrase in order.tolist():
        best, best_key, families = -1, (-1.0, 0), set()
        for link in range(bounds[phrase], bounds[phrase + 1]):
            other = other_of[link]
            if founder[other] < 0:
                continue
            family = root(founder[other])
            families.add(family)
            key = (score_of[link], -ranks[other])
            if key > best_key:
                best, best_key = family, key
        if best < 0:
            founder[phrase] = phrase
            continue
        founder[phrase] = best
        for other in sorted(families - {best}):
            if docs[phrase] * split_ratio >= max(docs[best], docs[other]):
                merged[other] = best
    return np.array([ranks[root(f)] for f in founder], dtype=np.int64)


def _attach_extensions(
    labels: _I64,
    phrases: pd.DataFrame,
    hits: _Hits,
    sentence_of: _I64,
    max_extension: int,
    extension_share: float,
    extension_min_docs: int,
) -> tuple[_I64, dict[int, tuple[float, int]]]:
    """Fold into a family the phrases that only ever extend it.

    A family of at least ``extension_min_docs`` documents whose occurrences (at least
    ``extension_share`` of them) follow, within ``max_extension`` tokens of the same sentence,
    an occurrence of one other, at least as widespread family is an extension of that family
    (", while protecting civilians" after "the right to defend itself"), not a formula of its
    own. Two documents are too few to tell: they are often one statement reprinted. Returns
    the new labels and, for each folded phrase, the share of its occurrences that followed and
    the phrase they followed most.
    """
    phrase, first, last = hits.sorted()
    cluster = labels.astype(phrase.dtype)[phrase]
    lead = _leads(cluster, first, last, sentence_of[first], max_extension)
    totals = np.bincount(cluster)  # hits of each cluster
    follower = np.flatnonzero(lead >= 0)
    frame = pd.DataFrame(  # the hits that follow another: their cluster, its, and its phrase
        {
            "cluster": cluster[follower].astype(np.int64),
            "host": cluster[lead[follower]].astype(np.int64),
            "followed": phrase[lead[follower]].astype(np.int64),
        }
    )
    del phrase, cluster, first, last, lead, follower
    docs = phrases.groupby(labels)["n_docs"].max()
    hosted = (
        frame.groupby(["cluster", "host"])
        .size()
        .rename("n")
        .reset_index()
        .sort_values(["cluster", "n", "host"], ascending=[True, False, True])
        .drop_duplicates("cluster")
    )
    share = hosted["n"].to_numpy() / totals[hosted["cluster"].to_numpy()]
    folding = (
        (docs.reindex(hosted["cluster"]).to_numpy() >= extension_min_docs)
        & (share >= extension_share)
        & (docs.reindex(hosted["host"]).to_numpy() >= docs.reindex(hosted["cluster"]).to_numpy())
    )
    families = hosted["cluster"].to_numpy()[folding]
    hosts = hosted["host"].to_numpy()[folding]
    target = np.arange(len(labels))
    target[families] = hosts
    new = target[labels]
    host_of = np.full(len(labels), -2)
    host_of[families] = hosts
    hosting = frame[host_of[frame["cluster"].to_numpy()] == frame["host"].to_numpy()]
    followed_most = {  # each folded family has one host (grouped once, not filtered per family)
        int(family): int(rows.value_counts().index[0])
        for family, rows in hosting.groupby("cluster")["followed"]
    }
    fraction_of = dict(zip(families.tolist(), share[folding].tolist(), strict=True))
    folded = np.flatnonzero(np.isin(labels, families))
    attached: dict[int, tuple[float, int]] = {
        member: (float(fraction_of[family]), followed_most[family])
        for member, family in zip(folded.tolist(), labels[folded].tolist(), strict=True)
    }
    return new, attached


def _leads(cluster: _Index, first: _Index, last: _Index, sentence: _Index, gap: int) -> _Index:
    """For each hit (hits in order of first row, then last row): the nearest of the 15 hits
    before it that it follows, -1 if none. A hit follows one of another cluster that ends
    before it starts, at most ``gap`` rows before, in its sentence, if every hit between them
    starts so too (``sentence``: the first row of each hit's sentence)."""
    n = len(cluster)
    # first rows ascend, and so do their sentences: the hits that may follow one are the
    # next `reach`, those that start in its sentence at most `gap` rows after its last row
    bounds = np.flatnonzero(np.r_[sentence[1:] != sentence[:-1], True]) + 1
    sentence_end = np.repeat(bounds, np.diff(np.r_[0, bounds]))
    reach = np.minimum(np.searchsorted(first, last + gap, side="right"), sentence_end)
    reach = np.minimum(reach - np.arange(1, n + 1), 15)
    del sentence_end
    lead = np.full(n, -1, dtype=cluster.dtype)
    a = np.flatnonzero(reach > 0).astype(cluster.dtype)  # hits that a later one may follow
    for step in range(1, 16):  # nearest first: a hit keeps the first lead it finds
        a = a[reach[a] >= step]
        b = a + step
        fits = (lead[b] < 0) & (cluster[a] != cluster[b]) & (first[b] > last[a])
        lead[b[fits]] = a[fits]
    return lead


def _members(
    phrases: pd.DataFrame,
    labels: _I64,
    edges: pd.DataFrame,
    attached: dict[int, tuple[float, int]],
) -> pd.DataFrame:
    """One row per phrase: its cluster, and why: its strongest link inside the cluster, or the
    phrase it extends."""
    order = phrases.sort_values(
        ["watch", "n_docs", "n_occurrences", "n_tokens", "phrase"],
        ascending=[False, False, False, False, True],
    ).index.to_numpy()
    rank = np.empty(len(phrases), dtype=np.int64)
    rank[order] = np.arange(len(order))
    founder = labels == rank
    names = phrases["phrase"].astype(str).to_numpy()
    same = edges[labels[edges["a"].to_numpy()] == labels[edges["b"].to_numpy()]]
    both = pd.concat(
        [
            same.rename(columns={"a": "x", "b": "y"}),
            same.rename(columns={"b": "x", "a": "y"}),
        ]
    ).sort_values(["x", "score", "y"], ascending=[True, False, True])
    best = both.drop_duplicates("x").set_index("x").reindex(np.arange(len(phrases)))
    how = best["how"].astype(object).fillna("core").to_numpy(dtype=object).copy()
    score = best["score"].fillna(1.0).to_numpy(dtype=float).copy()
    linked = np.where(best["y"].isna(), "", names[best["y"].fillna(0).astype(int)]).astype(object)
    how[founder], score[founder], linked[founder] = "core", 1.0, ""
    for i, (share, anchor) in attached.items():
        how[i], score[i], linked[i] = "extension", share, names[anchor]
    how[phrases["watch"].to_numpy(dtype=bool)] = "watch"
    return phrases[["phrase", "n_docs", "n_occurrences", "watch"]].assign(
        cluster=labels, how=how, score=score, linked_to=linked, founder=founder
    )


# --- words -----------------------------------------------------------------------------------

#: Alignment keys of possessives and articles ("its" = "his", "the" = "a").
_DETERMINER_KEYS = frozenset({"<possessive>", "<article>"})
#: Punctuation that ends the context of an occurrence.
_STOPS = frozenset(".;:!?—–()[]")


@dataclass(frozen=True)
class _Words:
    """Per row of the tokens table: what the variant rules need to know, as arrays of codes
    and flags (no Python string per token: the table may hold tens of millions of rows)."""

    size: int
    doc: _Index  # document code of each row (``doc_names[doc]`` is its doc_id)
    doc_names: npt.NDArray[np.object_]
    sent_id: _Index
    norm_code: _Index  # ``vocabulary[norm_code]`` is the normal form
    vocabulary: npt.NDArray[np.object_]
    key_code: _Index  # compared in alignment: the stem, or a pronoun's kind, as a code
    determiner: npt.NDArray[np.bool_]  # a possessive or an article
    lower: npt.NDArray[np.bool_]  # starts with a lowercase letter
    word: npt.NDArray[np.bool_]  # a word (not punctuation)
    transparent: npt.NDArray[np.bool_]  # a quotation mark or bracket
    quote_mark: npt.NDArray[np.bool_]  # a double quotation mark
    quote_sum: _Index  # quote_sum[r]: double quotation marks among rows[:r]
    content: npt.NDArray[np.bool_]
    comma: npt.NDArray[np.bool_]
    joiner: npt.NDArray[np.bool_]  # a comma, "and" or "or" (between items of a list)
    coordinator: npt.NDArray[np.bool_]  # "and", "or", "but", "nor", a comma or semicolon
    closing_quote: npt.NDArray[np.bool_]  # a quotation mark not followed by a word
    stop: npt.NDArray[np.bool_]  # ends a context: clause punctuation, closing quote, frame
    start: _Index
    end: _Index
    sentence_first: _Index  # first row of each row's sentence
    sentence_last: _Index  # last row of each row's sentence

    @classmethod
    def of(cls, tokens: pd.DataFrame, stop: NonContent) -> _Words:
        index: type[np.signedinteger[Any]] = np.int32 if len(tokens) < 2**31 else np.int64
        norm = tokens["norm"].astype("category")
        norms = pd.Index(norm.cat.categories.astype(str))
        codes = norm.cat.codes.to_numpy().astype(index)
        word, transparent, content = word_classes(norms, stop)
        keys = stems_of(norms)
        frame = stop.verbs(norms, keys)
        surface = tokens["token"].astype("category")
        lowercase = np.array([str(t)[:1].islower() for t in surface.cat.categories], dtype=bool)
        doc_codes, doc_names = _factorize_text(tokens["doc_id"])
        doc = doc_codes.astype(index)
        del doc_codes  # 8 bytes per token, not kept
        sent = tokens["sent_id"].to_numpy().astype(index, copy=False)  # a view where it can be
        rows = np.arange(len(tokens), dtype=index)
        new = np.r_[True, (doc[1:] != doc[:-1]) | (sent[1:] != sent[:-1])]
        ends = np.r_[new[1:], True]
        quote = np.asarray(norms.isin(['"', "'"]), dtype=bool)[codes]
        start = tokens["start"].to_numpy().astype(index, copy=False)
        end = tokens["end"].to_numpy().astype(index, copy=False)
        attached = ~ends & (np.r_[start[1:], -1] == end)

        def flag(values: Iterable[str]) -> npt.NDArray[np.bool_]:
            result: npt.NDArray[np.bool_] = np.asarray(norms.isin(list(values)), bool)[codes]
            return result

        return cls(
            size=len(tokens),
            doc=doc,
            doc_names=doc_names,
            sent_id=sent,
            norm_code=codes,
            vocabulary=np.asarray(norms, dtype=object),
            key_code=pd.factorize(keys)[0].astype(index)[codes],
            determiner=np.asarray(keys.isin(list(_DETERMINER_KEYS)), dtype=bool)[codes],
            lower=lowercase[surface.cat.codes.to_numpy()],
            word=word[codes],
            transparent=transparent[codes],
            quote_mark=flag(['"']),
            quote_sum=np.r_[0, np.cumsum(flag(['"']), dtype=index)].astype(index),
            content=content[codes],
            comma=flag([","]),
            joiner=flag([",", "and", "or"]),
            coordinator=flag(COORDINATORS),
            closing_quote=quote & ~attached,
            stop=flag(_STOPS) | (quote & ~attached) | frame[codes],
            start=start,
            end=end,
            sentence_first=np.maximum.accumulate(np.where(new, rows, 0)),
            sentence_last=np.minimum.accumulate(np.where(ends, rows, len(rows))[::-1])[::-1],
        )


# --- occurrences -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _SpanOptions:
    max_gap: int
    max_modifiers: int
    max_extension: int
    min_alignment: float
    max_partners: int
    max_aligned: int
    min_content: int


def _occurrences(
    hits: _Hits,
    members: pd.DataFrame,
    phrases: pd.DataFrame,
    words: _Words,
    options: _SpanOptions,
) -> pd.DataFrame:
    """One row per occurrence: cluster, phrase, core rows, floor and ceiling, and the grown
    variant rows."""
    spans = _claim(hits, members, phrases, words, options)
    if spans.empty:
        return spans
    spans["row_first"], spans["row_last"] = _grow(spans, words, options)
    return _resolve(spans, words)


def _claim(
    hits: _Hits,
    members: pd.DataFrame,
    phrases: pd.DataFrame,
    words: _Words,
    options: _SpanOptions,
) -> pd.DataFrame:
    """The occurrences' cores: disjoint spans of words, each of one family.

    Every word belongs to the family of the most widespread (then longest) phrase occurrence
    that covers it; a span is a run of words of one family in a sentence, across gaps of at
    most ``max_gap`` words that no family holds, trimmed to content words, with at least
    ``min_content`` of them. Floor and ceiling are the bounds its growth may reach: the
    neighbouring spans or the sentence.
    """
    pid, first, last = hits.pid, hits.first, hits.last
    cluster = members["cluster"].to_numpy(np.int64)[pid]
    order = _claim_order(pid, first, phrases)
    # each row goes to the covering hit first in order: the least priority over the rows of
    # every hit, one row per (hit, row), in 32 bits where they fit (the largest arrays here)
    sizes = last - first + 1
    total = int(sizes.sum())
    index: type[np.signedinteger[Any]] = np.int32 if max(total, words.size) < 2**31 else np.int64
    priority = np.empty(len(order), dtype=index)
    priority[order] = np.arange(len(order), dtype=index)
    covered = np.repeat((first - np.cumsum(sizes) + sizes).astype(index), sizes)
    covered += np.arange(total, dtype=index)
    least = np.full(words.size, len(order), dtype=index)
    np.minimum.at(least, covered, np.repeat(priority, sizes))
    del covered
    rows = np.flatnonzero(least < len(order))
    if len(rows) == 0:
        return pd.DataFrame(columns=["cluster", "pid", "first", "last", "floor", "ceiling"])
    hit_of = order[least[rows]]
    family = cluster[hit_of]
    sentence = words.sentence_first[rows]
    new = np.r_[
        True,
        (family[1:] != family[:-1])
        | (sentence[1:] != sentence[:-1])
        | (np.diff(rows) - 1 > options.max_gap),
    ]
    # runs of one family, each kept to its content words (consecutive, as rows are sorted)
    content = words.content[rows]
    run = np.cumsum(new)[content]
    rows, family, held = rows[content], family[content], least[rows][content]
    starts = np.flatnonzero(np.r_[True, run[1:] != run[:-1]])
    ends = np.r_[starts[1:], len(run)] - 1
    spans = pd.DataFrame(
        {
            "cluster": family[starts],
            "first": rows[starts],
            "last": rows[ends],
            "size": ends - starts + 1,
            "priority": np.minimum.reduceat(held, starts) if len(starts) else starts,
        }
    )
    spans = spans[spans["size"] >= options.min_content].reset_index(drop=True)
    spans["pid"] = pid[order[spans["priority"].to_numpy()]]
    first_of, last_of = spans["first"].to_numpy(), spans["last"].to_numpy()
    sentence = words.sentence_first[first_of]
    same_before = np.r_[False, sentence[1:] == sentence[:-1]]
    same_after = np.r_[sentence[1:] == sentence[:-1], False]
    spans["floor"] = np.where(same_before, np.r_[0, last_of[:-1] + 1], sentence)
    spans["ceiling"] = np.where(
        same_after, np.r_[first_of[1:] - 1, 0], words.sentence_last[last_of]
    )
    return spans[["cluster", "pid", "first", "last", "floor", "ceiling"]]


def _claim_order(pid: _I64, row_first: _I64, phrases: pd.DataFrame) -> _I64:
    """Hits in the order they claim words: phrases of more documents first, then of more
    tokens, then by first row, ties in table order (``np.lexsort`` of those keys). Sorted by
    first row (nearly free: the hits come in that order), then stably by the rank of their
    phrase's (documents, tokens), which takes a radix sort where the ranks fit 16 bits."""
    n_tokens = phrases["n_tokens"].to_numpy(np.int64)
    key = -phrases["n_docs"].to_numpy(np.int64) * (int(n_tokens.max()) + 1) - n_tokens
    rank = np.unique(key, return_inverse=True)[1].reshape(-1)
    by_row = np.argsort(row_first, kind="stable")
    small = np.uint16 if len(rank) and rank.max() < 2**16 else np.int64
    order: _I64 = by_row[np.argsort(rank.astype(small)[pid[by_row]], kind="stable")]
    return order


def _resolve(spans: pd.DataFrame, words: _Words) -> pd.DataFrame:
    """Make the grown spans of a sentence disjoint and their quotation marks whole.

    Between two spans, the first one's growth ends before the "and", "or" or comma that joins
    them ("security | and legitimate right"), or else before the second core ("from
    indiscriminate | rocket attacks"); the second takes what is left. (Letting a span absorb
    the next one where their contexts align would merge formulas that reproduced statements
    happen to carry together.) A span then
    takes the opening quotation mark before it and the closing one after it when it holds an
    unmatched quotation mark.
    """
    firsts = spans["row_first"].to_numpy().copy()
    lasts = spans["row_last"].to_numpy().copy()
    core_first, core_last = spans["first"].to_numpy(), spans["last"].to_numpy()
    sentence = words.sentence_first[core_first]
    order = packed_lexsort((core_first, sentence.astype(np.int64)))
    before, after = order[:-1], order[1:]
    grown = (lasts[before] > core_last[before]) | (firsts[after] < core_first[after])
    # each pair of neighbours at once: a pair writes only its first span's last row and its
    # second span's first row, which no other pair reads
    pair = np.flatnonzero((sentence[after] == sentence[before]) & grown)
    previous, second = order[pair], order[pair + 1]
    content = np.flatnonzero(words.content)
    joint = _row_at_or_after(np.flatnonzero(words.coordinator), core_last[previous] + 1)
    at_joint = (joint < core_first[second]) & (lasts[previous] >= joint)
    cut = at_joint | (lasts[previous] >= core_first[second])
    reach = np.where(at_joint, joint, core_first[second]) - 1
    lasts[previous] = np.where(  # back to the last content word before the cut
        cut, np.maximum(_row_at_or_before(content, reach), core_last[previous]), lasts[previous]
    )
    start = np.minimum(np.maximum(firsts[second], lasts[previous] + 1), core_first[second])
    firsts[second] = np.minimum(_row_at_or_after(content, start), core_first[second])
    top = words.size - 1
    near_quotes = (
        words.quote_mark[np.maximum(firsts - 1, 0)]
        | words.quote_mark[np.minimum(lasts + 1, top)]
        | (words.quote_sum[lasts + 1] - words.quote_sum[firsts] > 0)
    )
    for k in np.flatnonzero(near_quotes).tolist():
        firsts[k], lasts[k] = _quoted(words, int(firsts[k]), int(lasts[k]))
    return spans.assign(row_first=firsts, row_last=lasts)


def _quoted(words: _Words, first: int, last: int) -> tuple[int, int]:
    """Widen a span by the quotation marks around it that its own marks leave unmatched, or
    that enclose it whole ('"ironclad" support', '"ironclad support"')."""
    marks = int(words.quote_mark[first : last + 1].sum())
    before = first - 1 >= words.sentence_first[first] and bool(words.quote_mark[first - 1])
    after = last + 1 <= words.sentence_last[last] and bool(words.quote_mark[last + 1])
    if marks % 2 and after:
        return first, last + 1
    if marks % 2 and before:
        return first - 1, last
    if before and after:
        return first - 1, last + 1
    return first, last


def _grow(spans: pd.DataFrame, words: _Words, options: _SpanOptions) -> tuple[_I64, _I64]:
    """Variant bounds of each span: the context it shares with other occurrences of its family.

    A context is up to ``max_extension`` words on one side of the core, within its clause:
    commas and opening quotation marks are skipped; clause punctuation, closing quotation
    marks and attribution verbs end it. Words are compared by stem, pronouns and articles by
    kind ("its"/"his", "itself"/"himself"). In a family of at most ``max_aligned``
    occurrences, each distinct window (core and contexts) is aligned (rapidfuzz Levenshtein
    opcodes) with up to ``max_partners`` others, those whose context on that side starts with
    one of the same two words first; from its core the occurrence grows on each side over the
    stretch that aligns best (a matching word scores 1, a word only one side has costs 1;
    function words count half; at least ``min_alignment``). In larger families, where the
    evidence is plentiful and alignment too slow, an occurrence grows over the longest run of
    context words that occurrences in another sentence share exactly. Either way it ends on a
    content word. Where nothing is shared the span takes modifiers, an object and a list, as
    the module docstring says.
    """
    firsts, lasts = spans["first"].to_numpy().copy(), spans["last"].to_numpy().copy()
    floors, ceilings = spans["floor"].to_numpy(), spans["ceiling"].to_numpy()
    cluster = spans["cluster"].to_numpy()
    sentence = words.sentence_first[firsts]
    width = options.max_extension
    left = _contexts(words, firsts - 1, words.sentence_first[firsts], width, -1)
    right = _contexts(words, lasts + 1, words.sentence_last[lasts], width, 1)
    reach_left = _shared_run(cluster, sentence, words.key_code, left)
    reach_right = _shared_run(cluster, sentence, words.key_code, right)
    sizes = pd.Series(cluster).map(pd.Series(cluster).value_counts()).to_numpy()
    small = np.flatnonzero(sizes <= options.max_aligned)
    windows = _Window.many(words, firsts[small], lasts[small], left[small], right[small])
    for _, members in pd.Series(np.arange(len(small))).groupby(cluster[small]):
        at = members.to_numpy()
        rows = small[at]
        family = [windows[i] for i in at.tolist()]
        for k, (grown_left, grown_right) in zip(
            rows, _family_reach(family, sentence[rows], options), strict=True
        ):
            reach_left[k], reach_right[k] = grown_left, grown_right
    lasts = _right_ends(words, lasts, ceilings, right, reach_right)
    firsts = _left_ends(words, firsts, floors, left, reach_left, options.max_modifiers)
    return firsts, lasts


def _within(contexts: _I64, bound: _I64, step: int) -> _I64:
    """How many leading context rows lie on this side of ``bound``."""
    inside = (contexts >= 0) & ((bound[:, None] - contexts) * step >= 0)
    if inside.shape[1] == 0:
        return np.zeros(len(contexts), dtype=np.int64)
    counted: _I64 = np.where(inside.all(axis=1), inside.shape[1], inside.argmin(axis=1))
    return counted


def _farthest_content(
    words: _Words, contexts: _I64, reach: _I64, default: _I64
) -> tuple[_I64, npt.NDArray[np.bool_]]:
    """The row of the farthest content word among the first ``reach`` context rows (else
    ``default``), and whether there was one."""
    columns = np.arange(contexts.shape[1])
    content = (columns < reach[:, None]) & (contexts >= 0) & words.content[np.maximum(contexts, 0)]
    found: npt.NDArray[np.bool_] = np.asarray(content.any(axis=1), dtype=bool)
    column = contexts.shape[1] - 1 - content[:, ::-1].argmax(axis=1)
    rows: _I64 = np.where(found, contexts[np.arange(len(contexts)), column], default)
    return rows, found


def _right_ends(words: _Words, lasts: _I64, ceilings: _I64, right: _I64, reach: _I64) -> _I64:
    """Last rows of the variants: the shared context's last content word, else an object
    ("defend its sovereignty"); then a list of short items that follows."""
    reach = np.minimum(reach, _within(right, ceilings, 1))
    ends, _ = _farthest_content(words, right, reach, lasts)
    top = words.size - 1
    after = np.minimum(lasts + 2, top)
    takes_object = (
        (reach == 0)
        & (lasts + 2 <= ceilings)
        & words.determiner[np.minimum(lasts + 1, top)]
        & words.content[after]
        & words.lower[after]
    )
    ends = np.where(takes_object, lasts + 2, ends)
    for k in np.flatnonzero(words.comma[np.minimum(ends + 1, top)]).tolist():
        ends[k] = _list_end(words, int(ends[k]), int(ceilings[k]))
    return ends


def _left_ends(
    words: _Words, firsts: _I64, floors: _I64, left: _I64, reach: _I64, max_modifiers: int
) -> _I64:
    """First rows of the variants: the shared context's farthest content word, else up to
    ``max_modifiers`` lowercase content words ("strong support")."""
    reach = np.minimum(reach, _within(left, floors, -1))
    starts, found = _farthest_content(words, left, reach, firsts)
    starts[~found] = _modifiers(words, firsts[~found], floors[~found], max_modifiers)
    return starts


def _contexts(words: _Words, start: _I64, bound: _Index, width: int, step: int) -> _Index:
    """For each start, the rows of up to ``width`` context words towards ``bound``
    (inclusive), nearest first, -1 where there are fewer (see :func:`_grow`); of the dtype of
    the rows of ``words``."""
    out = np.full((len(start), width), -1, dtype=words.sentence_first.dtype)
    # the spans still reading, with their next row, bound and words so far: all shrink
    # together, so each step touches only the spans left
    position = start.astype(np.int64)
    going = np.flatnonzero((bound - position) * step >= 0)
    position, bound, count = position[going], bound[going], np.zeros(len(going), dtype=np.int64)
    while len(going):
        stopped = words.stop[position]
        taken = ~stopped & words.word[position] & ~words.transparent[position]
        out[going[taken], count[taken]] = position[taken]
        count += taken
        position += step
        keep = ~stopped & (count < width) & ((bound - position) * step >= 0)
        going, position, bound, count = going[keep], position[keep], bound[keep], count[keep]
    return out


def _shared_run(cluster: _I64, sentence: _Index, keys: _Index, contexts: _Index) -> _I64:
    """How many first context words each occurrence shares exactly with an occurrence of its
    family in another sentence.

    Word by word, the occurrences still sharing are grouped by family and context so far; an
    occurrence shares one more word when its group holds two sentences. Whoever shares ``k``
    words shared ``k - 1``, so each step only looks at those left from the one before.
    """
    reach = np.zeros(len(cluster), dtype=np.int64)
    alive = np.arange(len(cluster))
    group = cluster.astype(np.int64)
    sentence = sentence.astype(
        np.int64
    )  # as ``lowest``: ufunc.at is many times slower on mixed types
    base = int(keys.max()) + 1 if len(keys) else 1
    for k in range(contexts.shape[1]):
        row = contexts[alive, k]
        valid = row >= 0
        alive, group, row = alive[valid], group[valid], row[valid]
        if len(alive) == 0:
            break
        group = pd.factorize(group * base + keys[row])[0].astype(np.int64)
        lowest = np.full(int(group.max()) + 1, np.iinfo(np.int64).max)
        highest = np.full(len(lowest), -1)
        where = sentence[alive]
        np.minimum.at(lowest, group, where)
        np.maximum.at(highest, group, where)
        shared = lowest[group] != highest[group]
        alive, group = alive[shared], group[shared]
        reach[alive] = k + 1
    return reach


def _family_reach(
    windows: list[_Window], sentence: _I64, options: _SpanOptions
) -> list[tuple[int, int]]:
    """How many context words on each side of each window align with the family's others."""
    distinct: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for k, window in enumerate(windows):
        distinct[window.signature].append(k)
    wordings = list(distinct)
    index = [_partner_index([windows[distinct[w][0]] for w in wordings], side) for side in (0, 1)]
    reach_of: dict[tuple[int, ...], tuple[int, int]] = {}
    for u, wording in enumerate(wordings):
        members = distinct[wording]
        window = windows[members[0]]
        if len({int(sentence[k]) for k in members}) > 1:  # the same words in two sentences
            reach_of[wording] = (window.n_left, window.n_right)
            continue
        best = [0, 0]
        aligned: dict[int, tuple[int, int]] = {}  # a partner of both sides is aligned once
        for side in (0, 1):
            for v in _partners(window, u, side, index[side], len(wordings), options.max_partners):
                if v not in aligned:
                    other = windows[distinct[wordings[v]][0]]
                    aligned[v] = window.aligned_with(other, options.min_alignment)
                best[side] = max(best[side], aligned[v][side])
        reach_of[wording] = (best[0], best[1])
    return [reach_of[window.signature] for window in windows]


@dataclass(frozen=True)
class _Window:
    """An occurrence's core and clause context, as the words alignment compares."""

    keys: list[int]  # context and core words, by alignment key code
    weight: list[float]  # 1 for content words, 0.5 for function words
    core_start: int  # index of the core's first word in ``keys``
    core_end: int  # index after the core's last word
    n_left: int
    n_right: int

    @classmethod
    def many(
        cls, words: _Words, firsts: _I64, lasts: _I64, left: _Index, right: _Index
    ) -> list[_Window]:
        """The window of each span (core rows ``firsts[i]..lasts[i]``, context rows as
        :func:`_contexts` gives them), the rows of all laid end to end and looked up at once:
        its left context farthest first, its core words (no quotation marks or brackets),
        its right context nearest first."""
        n_left, n_right = (left >= 0).sum(axis=1), (right >= 0).sum(axis=1)
        sizes = (lasts - firsts + 1).astype(np.int64)
        core = _ranges(firsts.astype(np.int64), sizes)
        owner = np.repeat(np.arange(len(firsts)), sizes)
        keep = words.word[core] & ~words.transparent[core]
        core, owner = core[keep], owner[keep]
        n_core = np.bincount(owner, minlength=len(firsts))
        ends = np.cumsum(n_left + n_core + n_right)
        starts = ends - (n_left + n_core + n_right)
        rows = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.int64)
        reversed_left = left[:, ::-1]
        rows[_ranges(starts, n_left)] = reversed_left[reversed_left >= 0]
        rows[_ranges(starts + n_left, n_core)] = core
        rows[_ranges(starts + n_left + n_core, n_right)] = right[right >= 0]
        keys = words.key_code[rows].tolist()
        weight = np.where(words.content[rows], 1.0, 0.5).tolist()
        return [
            cls(
                keys=keys[start:end],
                weight=weight[start:end],
                core_start=n,
                core_end=n + c,
                n_left=n,
                n_right=r,
            )
            for start, end, n, c, r in zip(
                starts.tolist(),
                ends.tolist(),
                n_left.tolist(),
                n_core.tolist(),
                n_right.tolist(),
                strict=True,
            )
        ]

    @property
    def signature(self) -> tuple[int, ...]:
        return (self.core_start, self.core_end, *self.keys)

    def context_keys(self, side: int) -> list[int]:
        """The context words of one side (0 left, 1 right), nearest first."""
        if side == 0:
            return self.keys[: self.core_start][::-1]
        return self.keys[self.core_end :]

    def aligned_with(self, other: _Window, min_alignment: float) -> tuple[int, int]:
        """Words of left and right context that align well with ``other``'s window."""
        size = len(self.keys)
        gain = [0.0] * size  # score of each own word in the alignment
        inserted = [0.0] * (size + 1)  # cost of other-only words before each own word
        for op in Levenshtein.opcodes(self.keys, other.keys):
            a_start, a_end, b_start, b_end = op.src_start, op.src_end, op.dest_start, op.dest_end
            if op.tag == "equal":
                gain[a_start:a_end] = self.weight[a_start:a_end]
            elif op.tag == "insert":
                inserted[a_start] += sum(other.weight[b_start:b_end])
            else:  # replace or delete: own words the other lacks
                gain[a_start:a_end] = [-w for w in self.weight[a_start:a_end]]
                extra = (b_end - b_start) - (a_end - a_start)
                if extra > 0:
                    inserted[a_end] += sum(other.weight[b_end - extra : b_end])
        right_steps = [gain[i] - inserted[i] for i in range(self.core_end, size)]
        left_steps = [gain[i] - inserted[i + 1] for i in range(self.core_start - 1, -1, -1)]
        return _best_run(left_steps, min_alignment), _best_run(right_steps, min_alignment)


def _ranges(starts: _I64, sizes: _I64) -> _I64:
    """The integers ``starts[k] .. starts[k] + sizes[k] - 1`` of every k, laid end to end."""
    ends = np.cumsum(sizes)
    out: _I64 = np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64)
    out += np.repeat(starts - (ends - sizes), sizes)
    return out


def _partner_index(windows: list[_Window], side: int) -> dict[int, list[int]]:
    """Windows by each of the first two context words on one side (0 left, 1 right)."""
    index: dict[int, list[int]] = defaultdict(list)
    for k, window in enumerate(windows):
        for key in window.context_keys(side)[:2]:
            index[key].append(k)
    return index


def _partners(
    window: _Window, k: int, side: int, index: dict[int, list[int]], count: int, limit: int
) -> list[int]:
    """Up to ``limit`` other windows: those whose context on ``side`` starts with one of the
    same two words, and in a family of at most twice ``limit`` windows, then any other."""
    found: list[int] = []
    candidates = [j for key in window.context_keys(side)[:2] for j in index.get(key, ())]
    if count <= limit * 2:  # a small family: any other occurrence may be evidence
        candidates += range(count)
    for j in candidates:
        if j != k and j not in found:
            found.append(j)
            if len(found) >= limit:
                break
    return found


def _best_run(steps: list[float], min_alignment: float) -> int:
    """Length of the prefix of ``steps`` with the best total (X-drop 2), 0 if under min."""
    score = best_score = 0.0
    best = 0
    for i, step in enumerate(steps):
        score += step
        if score > best_score:
            best_score, best = score, i + 1
        elif score < best_score - 2.0:
            break
    return best if best_score >= min_alignment else 0


def _row_at_or_after(rows: _I64, at: _I64) -> _I64:
    """For each of ``at``, the first of the sorted ``rows`` at or after it (else the largest
    int64)."""
    found: _I64 = np.r_[rows, np.iinfo(np.int64).max][np.searchsorted(rows, at, side="left")]
    return found


def _row_at_or_before(rows: _I64, at: _I64) -> _I64:
    """For each of ``at``, the last of the sorted ``rows`` at or before it (else -1)."""
    found: _I64 = np.r_[-1, rows][np.searchsorted(rows, at, side="right")]
    return found


def _list_end(words: _Words, last: int, ceiling: int) -> int:
    """The end of a list of short lowercase items after ``last`` (", security, and democracy")."""
    row, end = last + 1, last
    while row <= ceiling and words.comma[row]:
        separator = row
        while separator <= ceiling and words.joiner[separator]:
            separator += 1
        item = separator
        while item <= ceiling and item - separator < 2 and words.content[item]:
            if not words.lower[item]:
                return end
            item += 1
        if item == separator:
            break
        end, row = item - 1, item
    return end


def _modifiers(words: _Words, firsts: _I64, floors: _I64, max_modifiers: int) -> _I64:
    """New first rows: each takes up to ``max_modifiers`` lowercase content words on its left,
    not below its floor, passing over quotation marks (and takes an open quote before them).
    All spans step left together, each until a word that is not such a modifier."""
    firsts = firsts.copy()
    taken = np.zeros(len(firsts), dtype=np.int64)
    row = firsts - 1
    going = np.flatnonzero((row >= floors) & (max_modifiers > 0))
    while len(going):
        at = row[going]
        passed = words.transparent[at]
        modifier = ~passed & words.content[at] & words.lower[at]
        firsts[going[modifier]] = at[modifier]
        taken[going[modifier]] += 1
        row[going] -= 1
        going = going[(passed | modifier)]
        going = going[(row[going] >= floors[going]) & (taken[going] < max_modifiers)]
    before = np.maximum(firsts - 1, 0)
    quote = (firsts > floors) & words.transparent[before] & ~words.closing_quote[before]
    firsts[quote] -= 1  # the opening quote of a quoted modifier
    return firsts


def _variant_codes(words: _Words, first: _I64, last: _I64) -> tuple[_I64, npt.NDArray[np.object_]]:
    """The normal form of rows ``first[i]..last[i]`` for each i, quotation marks and brackets
    left out, as a code per span and the distinct texts (``texts[codes]``). Spans are grouped
    by their words (as code rows of one length, made unique together), so each distinct
    wording is joined into text once; wordings that are written alike ("israel 's" and
    "israel's") share a code."""
    transparent = np.flatnonzero(words.transparent)  # few: rows before x kept, x - those
    start = first - np.searchsorted(transparent, first)
    lengths = last + 1 - np.searchsorted(transparent, last + 1) - start
    codes = words.norm_code[~words.transparent]
    wording = np.empty(len(first), dtype=np.int64)  # a code per distinct row of word codes
    texts: list[str] = []
    for length in distinct(lengths).tolist():
        which = np.flatnonzero(lengths == length)
        if length == 0:
            wording[which] = len(texts)
            texts.append("")
            continue
        rows = codes[start[which, None] + np.arange(length)]
        numbered, first_row = _factorize_rows(rows)
        wording[which] = numbered + len(texts)
        texts += [" ".join(row) for row in words.vocabulary[rows[first_row]].tolist()]
    written = [  # only a text with " '" or " ," can hold what _JOIN_FIXES removes
        _JOIN_FIXES.sub("", text) if " '" in text or " ," in text else text for text in texts
    ]
    text_code, unique = pd.factorize(np.asarray(written, dtype=object))
    return text_code.astype(np.int64)[wording], np.asarray(unique, dtype=object)


#: A space before a possessive "'s" or a comma is not written.
_JOIN_FIXES = re.compile(r" (?='s\b)|(?<=\w) (?=,)")


# --- tables ----------------------------------------------------------------------------------


#: Occurrences of a founding phrase read to find its commonest wording.
_LABEL_SAMPLE = 200


def _labels(
    hits: _Hits, members: pd.DataFrame, words: _Words, documents: pd.DataFrame
) -> pd.Series:
    """Each cluster's canonical wording: the commonest wording (by normal form) of its
    founding phrase, written as it is most often written (quotation marks left out, a
    capital that only starts a sentence lowered)."""
    founder = members["founder"].to_numpy(dtype=bool)
    chosen = np.flatnonzero(founder[hits.pid])
    found = pd.DataFrame(
        {"pid": hits.pid[chosen], "row_first": hits.first[chosen], "row_last": hits.last[chosen]}
    )
    found = found.groupby("pid", sort=False).head(_LABEL_SAMPLE)  # enough to find the commonest
    first, last = found["row_first"].to_numpy(), found["row_last"].to_numpy()
    cluster = members["cluster"].to_numpy()[found["pid"].to_numpy()]
    key, keys = _variant_codes(words, first, last)
    best = _commonest(cluster, key, keys, shortest=True)
    chosen = np.flatnonzero(key == best[cluster])
    first, last, cluster = first[chosen], last[chosen], cluster[chosen]
    position = pd.Index(documents["doc_id"].astype(str)).get_indexer(pd.Index(words.doc_names))
    texts = documents["text"].tolist()
    raw = [
        texts[d][a:b]
        for d, a, b in zip(
            position[words.doc[first]].tolist(),
            words.start[first].tolist(),
            words.end[last].tolist(),
            strict=True,
        )
    ]
    at_start = first == words.sentence_first[first]
    spelling, spellings = pd.factorize(np.asarray(raw, dtype=object))
    codes, unique = pd.factorize(spelling * 2 + at_start)  # each spelling, at a start or not
    spelled_as = np.asarray(spellings, dtype=object)[unique // 2].tolist()
    written = [  # once per spelling
        _written(text, bool(start))
        for text, start in zip(spelled_as, (unique % 2).tolist(), strict=True)
    ]
    code_of, wordings = pd.factorize(np.asarray(written, dtype=object))
    wordings = np.asarray(wordings, dtype=object)
    best = _commonest(cluster, code_of[codes].astype(np.int64), wordings, shortest=False)
    clusters = np.flatnonzero(best >= 0)
    return pd.Series(
        wordings[best[clusters]], index=pd.Index(clusters, name="cluster"), name="written"
    )


def _commonest(
    cluster: _I64, code: _I64, texts: npt.NDArray[np.object_], *, shortest: bool
) -> _I64:
    """For each cluster (by number; -1 where it has no rows), the code its rows have most
    often (``texts[code]`` is its text); ties go to the shorter text when ``shortest``, then
    to the first text in order."""
    counts = (
        pd.DataFrame({"cluster": cluster, "code": code})
        .groupby(["cluster", "code"])
        .size()
        .rename("n")
        .reset_index()
    )
    counts["text"] = texts[counts["code"].to_numpy()]
    order = ["cluster", "n", "text"]
    if shortest:
        counts["length"] = counts["text"].str.len()
        order = ["cluster", "n", "length", "text"]
    best = counts.sort_values(order, ascending=[True, False, *[True] * (len(order) - 2)])
    best = best.drop_duplicates("cluster")
    out = np.full(int(cluster.max()) + 1 if len(cluster) else 0, -1, dtype=np.int64)
    out[best["cluster"].to_numpy()] = best["code"].to_numpy()
    return out


def _written(text: str, sentence_start: bool) -> str:
    """A span's text as a label: quotation marks and brackets out, spaces collapsed, and the
    first letter lowered when only its place at a sentence start capitalises it."""
    text = re.sub(r"\s+", " ", re.sub(r"[\"“”„‟«»()\[\]{}]", "", text)).strip()
    if sentence_start and len(text) > 1 and text[0].isupper() and text[1].islower():
        text = text[0].lower() + text[1:]
    return text


def _tables(
    spans: pd.DataFrame,
    members: pd.DataFrame,
    labels: pd.Series,
    words: _Words,
    documents: pd.DataFrame,
    edges: pd.DataFrame,
    min_docs: int,
    rare_threshold: float,
) -> Grouped:
    """The output tables, families whose occurrences no longer recur rehomed or left out."""
    first, last = spans["row_first"].to_numpy(), spans["row_last"].to_numpy()
    cluster, kept, members = _rehome_rare(
        spans["cluster"].to_numpy(),
        words.doc[first].astype(np.int64),
        members,
        edges,
        min_docs,
        rare_threshold,
    )
    # rows in their final order (document, start, end) before any text is made for them
    doc_rank = np.empty(len(words.doc_names), dtype=np.int64)
    doc_rank[np.argsort(words.doc_names, kind="stable")] = np.arange(len(words.doc_names))
    first, last, cluster = first[kept], last[kept], cluster[kept]
    pid = spans["pid"].to_numpy()[kept]
    start, end = words.start[first].astype(np.int64), words.end[last].astype(np.int64)
    order = packed_lexsort((end, start, doc_rank[words.doc[first]]))
    first, last, cluster, pid, start, end = (
        column[order] for column in (first, last, cluster, pid, start, end)
    )
    position = pd.Index(documents["doc_id"].astype(str)).get_indexer(pd.Index(words.doc_names))
    doc = position[words.doc[first]]  # each occurrence's row in documents
    texts = documents["text"].tolist()
    labels = labels[labels.index.isin(cluster)]
    ids = _slugs(labels)
    # text columns are taken by code from their distinct values, not made row by row
    family = pd.Index(labels.index).get_indexer(cluster)  # -1: a cluster without a label
    names = np.asarray([ids[int(c)] for c in labels.index.tolist()], dtype=object)
    variant, variants = _variant_codes(words, first, last)
    surface, surfaces = _cut(texts, doc, start, end)
    occurrences = pd.DataFrame(
        {
            "family_id": schema.take_text(names, family),
            "variant": schema.take_text(variants, variant),
            "surface": schema.take_text(surfaces, surface),
            "doc_id": schema.take_text(words.doc_names, words.doc[first]),
            "sent_id": words.sent_id[first].astype(np.int64),
            "start": start,
            "end": end,
            "date": documents["date"].to_numpy()[doc],
            "source": schema.take_text(documents["source"].to_numpy(dtype=object), doc),
            "phrase": schema.take_text(members["phrase"].astype(str).to_numpy(), pid),
            "how": schema.take_text(members["how"].to_numpy(dtype=object), pid),
            "score": members["score"].to_numpy(dtype=float)[pid],
        }
    )
    counts = _Counts.of(
        family, len(names), variant, words.doc[first].astype(np.int64), doc, documents
    )
    members_out = members.assign(family_id=members["cluster"].map(ids)).dropna(subset=["family_id"])
    return Grouped(
        families=schema.coerce(_family_table(counts, names, labels), "families"),
        occurrences=schema.coerce(occurrences, "occurrences"),
        members=members_out[_MEMBER_COLUMNS]
        .sort_values(["family_id", "n_docs", "phrase"], ascending=[True, False, True])
        .reset_index(drop=True),
        slots=_slots(counts.variant_table(names, variants)),
    )


def _cut(
    texts: list[str], doc: npt.NDArray[np.integer[Any]], start: _I64, end: _I64
) -> tuple[_I64, npt.NDArray[np.object_]]:
    """``texts[doc[k]][start[k]:end[k]]`` of each k, as a code per span and the distinct
    texts (``cut[codes]``). Only the distinct texts are kept: on a large corpus, millions of
    occurrences are written in far fewer ways, and a string per occurrence would be the
    largest thing in memory. (A dict numbers them faster than a hash table of Python
    objects in pandas would.)"""
    seen: dict[str, int] = {}
    spans = zip(doc.tolist(), start.tolist(), end.tolist(), strict=True)
    codes = np.fromiter(
        (seen.setdefault(texts[d][a:b], len(seen)) for d, a, b in spans),
        dtype=np.int64,
        count=len(doc),
    )
    return codes, np.asarray(list(seen), dtype=object)


@dataclass(frozen=True)
class _Counts:
    """What the families and slots tables count, per family and per variant of a family,
    from each occurrence's codes (no grouping by text)."""

    n_occurrences: _I64  # of each family
    n_docs: _I64  # of each family
    n_sources: _I64  # of each family, a missing outlet not counted
    first_date: npt.NDArray[np.datetime64]  # of each family (NaT: none dated)
    last_date: npt.NDArray[np.datetime64]
    pair: _I64  # each distinct (family, variant) as ``family * n_texts + variant``
    n_texts: int
    pair_occurrences: _I64  # of each pair
    pair_docs: _I64  # of each pair

    @classmethod
    def of(
        cls,
        family: _I64,
        n_families: int,
        variant: _I64,
        doc: _I64,
        row: _I64,
        documents: pd.DataFrame,
    ) -> _Counts:
        """Each occurrence's family (-1: none, left out), variant text and document code, and
        its row in ``documents`` (for its outlet and date)."""
        known = family >= 0
        family, variant, doc, row = family[known], variant[known], doc[known], row[known]
        n_texts = int(variant.max()) + 1 if len(variant) else 1
        pair_of, pair = pd.factorize(family * n_texts + variant)
        pair_of = pair_of.astype(np.int64)
        source = pd.factorize(documents["source"])[0].astype(np.int64)[row]  # missing: -1
        sourced = source >= 0
        dates = (
            pd.Series(documents["date"].to_numpy()[row])
            .groupby(family)
            .agg(["min", "max"])
            .reindex(np.arange(n_families))
        )
        return cls(
            n_occurrences=np.bincount(family, minlength=n_families).astype(np.int64),
            n_docs=_distinct_counts(family, doc, n_families),
            n_sources=_distinct_counts(family[sourced], source[sourced], n_families),
            first_date=dates["min"].to_numpy(),
            last_date=dates["max"].to_numpy(),
            pair=pair,
            n_texts=n_texts,
            pair_occurrences=np.bincount(pair_of, minlength=len(pair)).astype(np.int64),
            pair_docs=_distinct_counts(pair_of, doc, len(pair)),
        )

    def variant_table(
        self, names: npt.NDArray[np.object_], texts: npt.NDArray[np.object_]
    ) -> pd.DataFrame:
        """One row per variant of each family: ``family_id``, ``variant``, ``n_occurrences``,
        ``n_docs`` (as :func:`find_slots` counts them from an occurrences table)."""
        return pd.DataFrame(
            {
                "family_id": names[self.pair // self.n_texts],
                "variant": texts[self.pair % self.n_texts],
                "n_occurrences": self.pair_occurrences,
                "n_docs": self.pair_docs,
            }
        )


def _distinct_counts(groups: _I64, values: _I64, n_groups: int) -> _I64:
    """How many distinct ``values`` (non-negative) each group ``0 .. n_groups - 1`` has."""
    span = int(values.max()) + 1 if len(values) else 1
    pairs = distinct(groups * span + values)
    return np.bincount(pairs // span, minlength=n_groups).astype(np.int64)


def _rehome_rare(
    cluster: _I64,
    doc: _I64,
    members: pd.DataFrame,
    edges: pd.DataFrame,
    min_docs: int,
    rare_threshold: float,
) -> tuple[_I64, npt.NDArray[np.bool_], pd.DataFrame]:
    """Families that, once words were claimed, occur in fewer than ``min_docs`` documents
    (and were not founded by a watched phrase) are not formulas of their own: their
    occurrences join the recurring family whose phrase theirs is most similar to, if at
    least ``rare_threshold`` similar ("right to self-defense" to "right to defend"), and are
    left out otherwise. Takes each occurrence's cluster and document code; returns their new
    clusters, which occurrences stay, and the members with their new clusters."""
    size = int(doc.max()) + 1 if len(doc) else 1
    pairs = distinct(cluster * size + doc)  # each cluster's documents
    present, spread = np.unique(pairs // size, return_counts=True)
    watched = members.loc[members["watch"].astype(bool), "cluster"].unique()
    rare = present[(spread < min_docs) & ~np.isin(present, watched)]
    if len(rare) == 0:
        return cluster, np.ones(len(cluster), dtype=bool), members
    of_phrase = members["cluster"].to_numpy()
    rare_phrase = np.isin(of_phrase, rare)
    strong = (edges["score"] >= rare_threshold).to_numpy()
    links = pd.concat(
        [  # links from a phrase of a rare cluster to one of another cluster, either way round
            edges[rare_phrase[edges[x]] & ~rare_phrase[edges[y]] & strong].rename(
                columns={x: "x", y: "y"}
            )
            for x, y in (("a", "b"), ("b", "a"))
        ]
    )
    links = links.assign(
        source=of_phrase[links["x"].to_numpy()], target=of_phrase[links["y"].to_numpy()]
    )
    best = links.sort_values(
        ["source", "score", "y"], ascending=[True, False, True]
    ).drop_duplicates("source")
    home = pd.Series(best["target"].to_numpy(), index=best["source"].to_numpy())
    members = members.copy()
    moved = members["cluster"].isin(home.index).to_numpy()
    link = best.set_index("source").loc[members.loc[moved, "cluster"].to_numpy()]
    members.loc[moved, "how"] = link["how"].astype(str).to_numpy()
    members.loc[moved, "score"] = link["score"].astype(float).to_numpy()
    members.loc[moved, "linked_to"] = members["phrase"].astype(str).to_numpy()[link["y"]]
    members.loc[moved, "cluster"] = link["target"].to_numpy()
    target = np.arange(max(int(cluster.max()), int(of_phrase.max())) + 1)
    target[home.index.to_numpy()] = home.to_numpy()
    return target[cluster], ~np.isin(cluster, np.setdiff1d(rare, home.index)), members


def _family_table(
    counts: _Counts, names: npt.NDArray[np.object_], labels: pd.Series
) -> pd.DataFrame:
    """One row per family, most widespread first: ``names`` are the families' ids and
    ``labels`` their labels, both in the order of their codes."""
    families = pd.DataFrame(
        {
            "family_id": names,
            "label": labels.to_numpy(),
            "n_variants": np.bincount(counts.pair // counts.n_texts, minlength=len(names)),
            "n_occurrences": counts.n_occurrences,
            "n_docs": counts.n_docs,
            "n_sources": counts.n_sources,
            "first_date": counts.first_date,
            "last_date": counts.last_date,
        }
    )
    return families.sort_values(
        ["n_docs", "n_occurrences", "family_id"], ascending=[False, False, True]
    ).reset_index(drop=True)


def _slugs(labels: pd.Series) -> dict[int, str]:
    """A readable, stable id per cluster from its label; repeats get -2, -3 (by label)."""
    out: dict[int, str] = {}
    used: dict[str, int] = {}
    pairs = sorted(zip(labels.tolist(), labels.index.tolist(), strict=True))
    for text, cluster in pairs:
        slug = re.sub(r"[^a-z0-9]+", "-", str(text).lower().replace("'s", "s")).strip("-")[:60]
        slug = slug or "family"
        used[slug] = used.get(slug, 0) + 1
        out[int(cluster)] = slug if used[slug] == 1 else f"{slug}-{used[slug]}"
    return out


def find_slots(
    occurrences: pd.DataFrame,
    *,
    min_fillers: int = 2,
    max_words: int = 20,
    max_variants: int = 50,
) -> pd.DataFrame:
    """Where a family's variants differ in one place: the pattern and its fillers.

    Two variants share a slot when they are the same words but for one word, or but for one
    word that one of them lacks ("ironclad support for israel's security" / "unwavering
    support for israel's security" / "support for israel's security"). A pattern is reported
    when at least ``min_fillers`` different words fill it. A pattern and a filler make exactly
    one variant, so counts are that variant's. Only each family's ``max_variants`` commonest
    variants of at most ``max_words`` words are compared.
    """
    if occurrences.empty:
        return pd.DataFrame(columns=_SLOT_COLUMNS)
    variants = (
        occurrences.groupby(["family_id", "variant"])
        .agg(n_occurrences=("doc_id", "size"), n_docs=("doc_id", "nunique"))
        .reset_index()
    )
    return _slots(variants, min_fillers=min_fillers, max_words=max_words, max_variants=max_variants)


def _slots(
    variants: pd.DataFrame,
    *,
    min_fillers: int = 2,
    max_words: int = 20,
    max_variants: int = 50,
) -> pd.DataFrame:
    """:func:`find_slots` from one row per variant of each family (``family_id``,
    ``variant``, ``n_occurrences``, ``n_docs``)."""
    variants = (
        variants.sort_values(
            ["family_id", "n_occurrences", "variant"], ascending=[True, False, True]
        )
        .groupby("family_id", sort=False)
        .head(max_variants)
    )
    split = [str(variant).split() for variant in variants["variant"].tolist()]
    lengths = np.array([len(words) for words in split], dtype=np.int64)
    short = lengths <= max_words
    if not short.any():
        return pd.DataFrame(columns=_SLOT_COLUMNS)
    variants, lengths = variants[short], lengths[short]
    kept = [words for words, keep in zip(split, short.tolist(), strict=True) if keep]
    word_code, uniques = pd.factorize(np.asarray([w for words in kept for w in words], object))
    names = np.asarray(uniques, dtype=object)
    if "_" not in set(names.tolist()):  # the slot is written "_": one code with the word "_"
        names = np.append(names, "_")
    slot = names.tolist().index("_")
    # one row per variant and slot: its words but one (filler: that word), then its words with
    # a gap (filler: none), in the order of the table; each pattern numbered from word codes
    per = 2 * lengths + 1
    variant = np.repeat(np.arange(len(variants)), per)
    place = np.arange(len(variant)) - np.repeat(np.cumsum(per) - per, per)
    length = lengths[variant]
    gap = place >= length
    at = np.where(gap, place - length, place)
    start = (np.cumsum(lengths) - lengths)[variant]
    family = pd.factorize(variants["family_id"])[0][variant]
    size = length + gap  # words of the pattern, the slot included
    pattern = np.empty(len(variant), dtype=np.int64)
    numbered = 0
    for width in distinct(size).tolist():  # patterns of one width, as rows of word codes
        which = np.flatnonzero(size == width)
        column = np.arange(width)
        source = start[which, None] + column - (gap[which, None] & (column > at[which, None]))
        cells = word_code[np.minimum(source, len(word_code) - 1)]
        cells[np.arange(len(which)), at[which]] = slot
        codes, firsts = _factorize_rows(np.column_stack([family[which], cells]))
        pattern[which] = codes + numbered
        numbered += len(firsts)
    filler = np.where(gap, -1, word_code[np.minimum(start + at, len(word_code) - 1)])
    pairs = distinct(pattern[~gap] * len(names) + filler[~gap])  # words that fill a slot
    filled = np.bincount(pairs // len(names), minlength=numbered)
    rows = np.flatnonzero(filled[pattern] >= min_fillers)
    wanted, first = np.unique(pattern[rows], return_index=True)
    texts = np.empty(numbered, dtype=object)
    texts[wanted] = [
        " ".join([*kept[v][:i], "_", *kept[v][i + 1 - int(g) :]])
        for v, i, g in zip(
            variant[rows[first]].tolist(),
            at[rows[first]].tolist(),
            gap[rows[first]].tolist(),
            strict=True,
        )
    ]
    out = pd.DataFrame(
        {
            "family_id": variants["family_id"].to_numpy()[variant[rows]],
            "pattern": texts[pattern[rows]],
            "filler": np.where(gap[rows], "", names[np.maximum(filler[rows], 0)]),
            "n_occurrences": variants["n_occurrences"].to_numpy()[variant[rows]],
            "n_docs": variants["n_docs"].to_numpy()[variant[rows]],
        }
    ).astype({"family_id": str, "pattern": str, "filler": str})
    return out.sort_values(
        ["family_id", "pattern", "n_occurrences", "filler"], ascending=[True, True, False, True]
    ).reset_index(drop=True)
