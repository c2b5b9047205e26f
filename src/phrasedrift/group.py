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
                 one has ("support israel" in "unwavering support israel security");
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

import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

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
    non_content,
    stems_of,
    word_classes,
)

_I64 = npt.NDArray[np.int64]
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
) -> Grouped:
    """Group ``mined`` phrases into families and turn their hits into variant occurrences.

    ``tokens`` is the tokens table the phrases were mined from (``mined.hits`` point into it by
    position) and ``documents`` the clean documents (for texts, dates and outlets).
    """
    schema.check(documents, "documents", stage="group")
    phrases = mined.phrases.reset_index(drop=True)
    if phrases.empty:
        return _empty()
    stems = [p.split() for p in phrases["phrase"]]
    overlaps = _overlap_counts(mined.hits, phrases["phrase"])
    frequency = {str(k): int(v) for k, v in mined.document_frequency.items()}
    pairs = _candidate_pairs(stems, frequency, max_block) | set(overlaps)
    edges = _score_pairs(pairs, stems, _idf(stems, mined), overlaps, mined.hits, phrases)
    labels = _cluster(phrases, edges, threshold, split_ratio)
    labels, attached = _attach_extensions(
        labels, phrases, mined.hits, max_extension, extension_share, extension_min_docs
    )
    members = _members(phrases, labels, edges, attached)
    words = _Words.of(tokens, non_content(stopwords, edge_words, attribution_verbs))
    options = _SpanOptions(
        max_gap, max_modifiers, max_extension, min_alignment, max_partners, max_aligned, min_content
    )
    spans = _occurrences(mined.hits, members, phrases, words, options)
    if spans.empty:
        return _empty()
    wording = _labels(mined.hits, members, phrases, words)
    return _tables(spans, members, wording, words, documents)


def _empty() -> Grouped:
    return Grouped(
        schema.empty("families"),
        schema.empty("occurrences"),
        pd.DataFrame(columns=_MEMBER_COLUMNS),
        pd.DataFrame(columns=_SLOT_COLUMNS),
    )


# --- similarity ------------------------------------------------------------------------------


def _idf(stems: list[list[str]], mined: Mined) -> dict[str, float]:
    """Smoothed inverse document frequency of each stem that occurs in a phrase."""
    n_docs = max(mined.n_documents, 1)
    frequency = mined.document_frequency
    return {
        stem: math.log((n_docs + 1) / (int(frequency.get(stem, 0)) + 1)) + 1.0
        for stem in {stem for phrase in stems for stem in phrase}
    }


def _candidate_pairs(
    stems: list[list[str]], frequency: dict[str, int], max_block: int
) -> set[tuple[int, int]]:
    """Pairs of phrases that share one of their two rarest stems, among stems that at most
    ``max_block`` phrases have (prefix filtering: a pair similar enough to matter shares the
    rare words of the smaller phrase)."""
    postings: dict[str, list[int]] = defaultdict(list)
    for index, phrase in enumerate(stems):
        for stem in sorted(set(phrase), key=lambda s: (frequency.get(s, 0), s))[:2]:
            postings[stem].append(index)
    pairs: set[tuple[int, int]] = set()
    for members in postings.values():
        if 1 < len(members) <= max_block:
            pairs.update((a, b) for k, a in enumerate(members) for b in members[k + 1 :])
    return pairs


def _overlap_counts(hits: pd.DataFrame, names: pd.Series) -> dict[tuple[int, int], int]:
    """For phrase pairs whose occurrences overlap by at least half of the shorter one: how
    many occurrences do."""
    index = pd.Series(np.arange(len(names)), index=names.to_numpy())
    ordered = hits.sort_values(["row_first", "row_last"])
    phrase = index.reindex(ordered["phrase"].to_numpy()).to_numpy()
    first, last = ordered["row_first"].to_numpy(), ordered["row_last"].to_numpy()
    found: list[tuple[_I64, _I64]] = []
    for step in range(1, len(phrase)):
        a, b = slice(0, len(phrase) - step), slice(step, len(phrase))
        touching = first[b] <= last[a]
        if not touching.any():
            break
        shared = np.minimum(last[a], last[b]) - first[b] + 1
        shorter = np.minimum(last[a] - first[a], last[b] - first[b]) + 1
        keep = touching & (phrase[a] != phrase[b]) & (2 * shared >= shorter)
        found.append((phrase[a][keep], phrase[b][keep]))
    if not found:
        return {}
    left = np.concatenate([f[0] for f in found])
    right = np.concatenate([f[1] for f in found])
    pairs = pd.DataFrame({"a": np.minimum(left, right), "b": np.maximum(left, right)})
    counts = pairs.groupby(["a", "b"]).size().reset_index(name="n")
    return {
        (int(a), int(b)): int(n)
        for a, b, n in zip(
            counts["a"].tolist(), counts["b"].tolist(), counts["n"].tolist(), strict=True
        )
    }


def _score_pairs(
    pairs: Iterable[tuple[int, int]],
    stems: list[list[str]],
    weights: dict[str, float],
    overlaps: dict[tuple[int, int], int],
    hits: pd.DataFrame,
    phrases: pd.DataFrame,
) -> pd.DataFrame:
    """Similarity and its kind for each candidate pair (columns a, b, score, how), computed
    for all pairs at once: IDF-weighted containment from a sparse phrase-by-stem matrix, token
    edit similarity by rapidfuzz over stem sequences, and overlap shares."""
    ordered = sorted(pairs)
    if not ordered:
        return pd.DataFrame({"a": [], "b": [], "score": [], "how": []})
    a = np.fromiter((p[0] for p in ordered), dtype=np.int64, count=len(ordered))
    b = np.fromiter((p[1] for p in ordered), dtype=np.int64, count=len(ordered))
    vocabulary = {stem: k for k, stem in enumerate(sorted(weights))}
    rows = [k for k, phrase in enumerate(stems) for _ in set(phrase)]
    cols = [vocabulary[stem] for phrase in stems for stem in set(phrase)]
    matrix = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(stems), len(vocabulary))
    )
    weight = np.array([weights[stem] for stem in sorted(weights)])
    totals = matrix @ weight
    shared = np.asarray(matrix[a].multiply(matrix[b]) @ weight).ravel()
    containment = shared / np.maximum(np.minimum(totals[a], totals[b]), 1e-9)
    coded = ["".join(chr(0x10000 + vocabulary[s]) for s in phrase) for phrase in stems]
    edit = process.cpdist(
        [coded[i] for i in a], [coded[i] for i in b], scorer=Levenshtein.normalized_similarity
    )
    n_hits = hits.groupby("phrase").size().reindex(phrases["phrase"]).fillna(0).to_numpy()
    together = np.array([overlaps.get(pair, 0) for pair in ordered], dtype=float)
    overlap = together / np.maximum(np.minimum(n_hits[a], n_hits[b]), 1)
    scores = np.vstack([containment, edit, overlap])
    kinds = np.array(["containment", "token edit", "overlap"])
    return pd.DataFrame(
        {"a": a, "b": b, "score": scores.max(axis=0), "how": kinds[scores.argmax(axis=0)]}
    )


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
    docs = phrases["n_docs"].to_numpy()
    neighbours: dict[int, list[tuple[float, int]]] = defaultdict(list)
    strong = edges[edges["score"] >= threshold]
    for a, b, score in strong[["a", "b", "score"]].itertuples(index=False):
        neighbours[int(a)].append((float(score), int(b)))
        neighbours[int(b)].append((float(score), int(a)))
    founder = np.full(len(phrases), -1, dtype=np.int64)
    merged: dict[int, int] = {}

    def root(family: int) -> int:
        while family in merged:
            family = merged[family]
        return family

    for phrase in order.tolist():
        placed = sorted(
            (
                (score, -int(rank[other]), root(int(founder[other])))
                for score, other in neighbours[phrase]
                if founder[other] >= 0
            ),
            reverse=True,
        )
        if not placed:
            founder[phrase] = phrase
            continue
        best = placed[0][2]
        founder[phrase] = best
        for _, _, other in placed[1:]:
            if other != best and docs[phrase] * split_ratio >= max(docs[best], docs[other]):
                merged[other] = best
    return np.array([rank[root(int(f))] for f in founder], dtype=np.int64)


def _attach_extensions(
    labels: _I64,
    phrases: pd.DataFrame,
    hits: pd.DataFrame,
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
    index = pd.Series(np.arange(len(phrases)), index=phrases["phrase"].to_numpy())
    ordered = hits.sort_values(["row_first", "row_last"])
    phrase = index.reindex(ordered["phrase"].to_numpy()).to_numpy()
    cluster = labels[phrase]
    first, last = ordered["row_first"].to_numpy(), ordered["row_last"].to_numpy()
    sentence = pd.factorize(ordered["doc_id"].astype(str) + "#" + ordered["sent_id"].astype(str))[0]
    lead = np.full(len(phrase), -1, dtype=np.int64)  # the hit each hit follows, if any
    for step in range(1, 16):
        a, b = slice(0, len(phrase) - step), slice(step, len(phrase))
        gap = first[b] - last[a]
        fits = (
            (lead[b] < 0)
            & (sentence[a] == sentence[b])
            & (cluster[a] != cluster[b])
            & (gap > 0)
            & (gap <= max_extension)
        )
        lead[step:][fits] = np.flatnonzero(fits)
    frame = pd.DataFrame({"cluster": cluster, "lead": lead})
    frame["host"] = np.where(lead >= 0, cluster[np.maximum(lead, 0)], -1)
    frame["followed"] = np.where(lead >= 0, phrase[np.maximum(lead, 0)], -1)
    docs = phrases.groupby(labels)["n_docs"].max()
    new = labels.copy()
    attached: dict[int, tuple[float, int]] = {}
    for family, group in frame.groupby("cluster"):
        hosts = group.loc[group["host"] >= 0, "host"].value_counts()
        if hosts.empty:
            continue
        host, share = int(hosts.index[0]), float(hosts.iloc[0]) / len(group)
        wide = docs[family] >= extension_min_docs
        if wide and share >= extension_share and docs[host] >= docs[family]:
            new[labels == family] = host
            followed = group.loc[group["host"] == host, "followed"].value_counts().index[0]
            for member in np.flatnonzero(labels == family).tolist():
                attached[member] = (share, int(followed))
    return new, attached


def _members(
    phrases: pd.DataFrame,
    labels: _I64,
    edges: pd.DataFrame,
    attached: dict[int, tuple[float, int]],
) -> pd.DataFrame:
    """One row per phrase: its cluster, and why: its strongest link inside the cluster, or the
    phrase it extends."""
    frame = phrases[["phrase", "n_docs", "n_occurrences", "watch"]].assign(cluster=labels)
    best: dict[int, tuple[float, str, int]] = {}
    if len(edges):
        same = labels[edges["a"].to_numpy()] == labels[edges["b"].to_numpy()]
        for a, b, score, how in edges[same].itertuples(index=False):
            for x, y in ((int(a), int(b)), (int(b), int(a))):
                if float(score) > best.get(x, (-1.0, "", -1))[0]:
                    best[x] = (float(score), str(how), y)
    founders = set(labels.tolist())
    order = phrases.sort_values(
        ["watch", "n_docs", "n_occurrences", "n_tokens", "phrase"],
        ascending=[False, False, False, False, True],
    ).index.to_numpy()
    rank = {int(p): k for k, p in enumerate(order)}
    hows, scores, links = [], [], []
    for i in range(len(frame)):
        if i in attached:
            share, anchor = attached[i]
            hows.append("watch" if bool(frame.at[i, "watch"]) else "extension")
            scores.append(share)
            links.append(str(phrases.at[anchor, "phrase"]))
        elif rank[i] in founders and labels[i] == rank[i]:
            hows.append("watch" if bool(frame.at[i, "watch"]) else "core")
            scores.append(1.0)
            links.append("")
        else:
            score, how, other = best[i]
            hows.append("watch" if bool(frame.at[i, "watch"]) else how)
            scores.append(score)
            links.append(str(phrases.at[other, "phrase"]))
    return frame.assign(
        how=hows,
        score=scores,
        linked_to=links,
        founder=[rank[i] in founders and labels[i] == rank[i] for i in range(len(frame))],
    )


# --- words -----------------------------------------------------------------------------------

#: Alignment keys of possessives and articles ("its" = "his", "the" = "a").
_DETERMINER_KEYS = frozenset({"<possessive>", "<article>"})
#: Punctuation that ends the context of an occurrence.
_STOPS = frozenset(".;:!?—–()[]")


@dataclass(frozen=True)
class _Words:
    """Per row of the tokens table: what the variant rules need to know."""

    doc_id: npt.NDArray[np.object_]
    sent_id: _I64
    token: npt.NDArray[np.object_]
    norm: npt.NDArray[np.object_]
    key_code: _I64  # compared in alignment: the stem, or a pronoun's kind, as a code
    determiner: npt.NDArray[np.bool_]  # a possessive or an article
    word: npt.NDArray[np.bool_]  # a word (not punctuation)
    transparent: npt.NDArray[np.bool_]  # a quotation mark or bracket
    content: npt.NDArray[np.bool_]
    frame: npt.NDArray[np.bool_]  # an attribution verb ("said", "conveyed")
    closing_quote: npt.NDArray[np.bool_]  # a quotation mark not followed by a word
    stop: npt.NDArray[np.bool_]  # ends a context: clause punctuation, closing quote, frame
    start: _I64
    end: _I64
    sentence_first: _I64  # first row of each row's sentence
    sentence_last: _I64  # last row of each row's sentence

    @classmethod
    def of(cls, tokens: pd.DataFrame, stop: NonContent) -> _Words:
        norm = tokens["norm"].astype("category")
        norms = pd.Index(norm.cat.categories.astype(str))
        codes = norm.cat.codes.to_numpy()
        word, transparent, content = word_classes(norms, stop)
        keys = stems_of(norms)
        frame = np.asarray(keys.isin(list(stop.stems)), dtype=bool)
        doc = pd.factorize(tokens["doc_id"])[0]
        sent = tokens["sent_id"].to_numpy()
        rows = np.arange(len(tokens), dtype=np.int64)
        new = np.r_[True, (doc[1:] != doc[:-1]) | (sent[1:] != sent[:-1])]
        ends = np.r_[new[1:], True]
        quote = np.isin(np.asarray(norms)[codes], ['"', "'"])
        start, end = tokens["start"].to_numpy(np.int64), tokens["end"].to_numpy(np.int64)
        attached = ~ends & (np.r_[start[1:], -1] == end)
        return cls(
            doc_id=tokens["doc_id"].astype(str).to_numpy(dtype=object),
            sent_id=sent.astype(np.int64),
            token=tokens["token"].astype(str).to_numpy(dtype=object),
            norm=np.asarray(norms, dtype=object)[codes],
            key_code=pd.factorize(keys)[0].astype(np.int64)[codes],
            determiner=np.asarray(keys.isin(list(_DETERMINER_KEYS)), dtype=bool)[codes],
            word=word[codes],
            transparent=transparent[codes],
            content=content[codes],
            frame=frame[codes],
            closing_quote=quote & ~attached,
            stop=np.asarray(norms.isin(list(_STOPS)), dtype=bool)[codes]
            | (quote & ~attached)
            | frame[codes],
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
    hits: pd.DataFrame,
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
    hits: pd.DataFrame,
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
    member = members.set_index("phrase")
    rank = phrases.set_index("phrase")
    cluster = hits["phrase"].map(member["cluster"]).to_numpy(np.int64)
    order = np.lexsort(
        (
            hits["row_first"].to_numpy(),
            -hits["phrase"].map(rank["n_tokens"]).to_numpy(np.int64),
            -hits["phrase"].map(rank["n_docs"]).to_numpy(np.int64),
        )
    )
    first, last = hits["row_first"].to_numpy(np.int64), hits["row_last"].to_numpy(np.int64)
    owner = np.full(len(words.token), -1, dtype=np.int64)
    for hit in order[::-1].tolist():  # the first in order is painted last, and so wins
        owner[first[hit] : last[hit] + 1] = hit
    rows = np.flatnonzero(owner >= 0)
    if len(rows) == 0:
        return pd.DataFrame(columns=["cluster", "phrase", "first", "last", "floor", "ceiling"])
    hit_of = owner[rows]
    family = cluster[hit_of]
    sentence = words.sentence_first[rows]
    new = np.r_[
        True,
        (family[1:] != family[:-1])
        | (sentence[1:] != sentence[:-1])
        | (np.diff(rows) - 1 > options.max_gap),
    ]
    priority = np.empty(len(order), dtype=np.int64)
    priority[order] = np.arange(len(order))
    runs = pd.DataFrame(
        {
            "run": np.cumsum(new),
            "row": rows,
            "content": words.content[rows],
            "priority": priority[hit_of],
            "cluster": family,
        }
    )
    content = runs[runs["content"]]
    spans = content.groupby("run").agg(
        cluster=("cluster", "first"),
        first=("row", "min"),
        last=("row", "max"),
        size=("row", "size"),
        priority=("priority", "min"),
    )
    spans = spans[spans["size"] >= options.min_content].reset_index(drop=True)
    spans["phrase"] = hits["phrase"].astype(str).to_numpy()[order[spans["priority"].to_numpy()]]
    first_of, last_of = spans["first"].to_numpy(), spans["last"].to_numpy()
    sentence = words.sentence_first[first_of]
    same_before = np.r_[False, sentence[1:] == sentence[:-1]]
    same_after = np.r_[sentence[1:] == sentence[:-1], False]
    spans["floor"] = np.where(same_before, np.r_[0, last_of[:-1] + 1], sentence)
    spans["ceiling"] = np.where(
        same_after, np.r_[first_of[1:] - 1, 0], words.sentence_last[last_of]
    )
    return spans[["cluster", "phrase", "first", "last", "floor", "ceiling"]]


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
    order = np.lexsort((core_first, sentence))
    for previous, k in itertools.pairwise(order):
        if sentence[previous] != sentence[k]:
            continue
        gap = range(core_last[previous] + 1, core_first[k])
        joint = next((row for row in gap if words.norm[row] in COORDINATORS), None)
        if joint is not None and lasts[previous] >= joint:
            lasts[previous] = _content_end(words, core_last[previous], joint - 1, 1)
        elif lasts[previous] >= core_first[k]:
            lasts[previous] = _content_end(words, core_last[previous], core_first[k] - 1, 1)
        start = min(max(firsts[k], lasts[previous] + 1), core_first[k])
        firsts[k] = (
            _content_end(words, core_first[k], start, -1) if start < core_first[k] else start
        )
    for k in range(len(firsts)):
        firsts[k], lasts[k] = _quoted(words, int(firsts[k]), int(lasts[k]))
    return spans.assign(row_first=firsts, row_last=lasts)


def _quoted(words: _Words, first: int, last: int) -> tuple[int, int]:
    """Widen a span by the quotation marks around it that its own marks leave unmatched, or
    that enclose it whole ('"ironclad" support', '"ironclad support"')."""
    marks = sum(1 for row in range(first, last + 1) if words.norm[row] == '"')
    before = first - 1 >= words.sentence_first[first] and words.norm[first - 1] == '"'
    after = last + 1 <= words.sentence_last[last] and words.norm[last + 1] == '"'
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
    small = sizes <= options.max_aligned
    for _, members in pd.Series(np.flatnonzero(small)).groupby(cluster[small]):
        rows = members.to_numpy()
        windows = [_Window.of(words, firsts[k], lasts[k], left[k], right[k]) for k in rows]
        for k, (grown_left, grown_right) in zip(
            rows, _family_reach(windows, sentence[rows], options), strict=True
        ):
            reach_left[k], reach_right[k] = grown_left, grown_right
    for k in range(len(firsts)):
        first, last, floor, ceiling = (
            int(firsts[k]),
            int(lasts[k]),
            int(floors[k]),
            int(ceilings[k]),
        )
        on_left = left[k][(left[k] >= floor) & (left[k] >= 0)]
        on_right = right[k][(right[k] <= ceiling) & (right[k] >= 0)]
        n_left, n_right = (
            min(int(reach_left[k]), len(on_left)),
            min(int(reach_right[k]), len(on_right)),
        )
        end = (
            _content_end(words, last, int(on_right[n_right - 1]), 1)
            if n_right
            else _object(words, last, ceiling)
        )
        lasts[k] = _list_end(words, end, ceiling)
        firsts[k] = (
            _content_end(words, first, int(on_left[n_left - 1]), -1)
            if n_left
            else _modifiers(words, first, floor, options.max_modifiers)
        )
    return firsts, lasts


def _contexts(words: _Words, start: _I64, bound: _I64, width: int, step: int) -> _I64:
    """For each start, the rows of up to ``width`` context words towards ``bound``
    (inclusive), nearest first, -1 where there are fewer (see :func:`_grow`)."""
    out = np.full((len(start), width), -1, dtype=np.int64)
    count = np.zeros(len(start), dtype=np.int64)
    position = start.astype(np.int64).copy()
    alive = (bound - position) * step >= 0
    while alive.any():
        index = np.flatnonzero(alive)
        at = position[index]
        stopped = words.stop[at]
        alive[index[stopped]] = False
        taken = index[~stopped & words.word[at] & ~words.transparent[at]]
        out[taken, count[taken]] = position[taken]
        count[taken] += 1
        alive[taken[count[taken] >= width]] = False
        position[index] += step
        alive &= (bound - position) * step >= 0
    return out


def _shared_run(cluster: _I64, sentence: _I64, keys: _I64, contexts: _I64) -> _I64:
    """How many first context words each occurrence shares exactly with an occurrence of its
    family in another sentence."""
    reach = np.zeros(len(cluster), dtype=np.int64)
    code = np.zeros(len(cluster), dtype=np.uint64)
    for k in range(contexts.shape[1]):
        valid = contexts[:, k] >= 0
        if not valid.any():
            break
        with np.errstate(over="ignore"):
            code = code * np.uint64(0x9E3779B97F4A7C15) + np.where(
                valid, keys[np.maximum(contexts[:, k], 0)] + 1, 0
            ).astype(np.uint64)
        frame = pd.DataFrame(
            {
                "c": cluster[valid],
                "h": code[valid],
                "s": sentence[valid],
                "i": np.flatnonzero(valid),
            }
        )
        sentences = frame.drop_duplicates(["c", "h", "s"]).groupby(["c", "h"]).size()
        shared = frame.join(sentences.rename("n"), on=["c", "h"])
        rows = shared.loc[shared["n"] >= 2, "i"].to_numpy()
        if len(rows) == 0:
            break
        reach[rows] = k + 1
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
        for side in (0, 1):
            for v in _partners(window, u, side, index[side], len(wordings), options.max_partners):
                other = windows[distinct[wordings[v]][0]]
                best[side] = max(
                    best[side], window.aligned_with(other, options.min_alignment)[side]
                )
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
    def of(cls, words: _Words, first: int, last: int, left: _I64, right: _I64) -> _Window:
        left, right = left[left >= 0], right[right >= 0]
        core = np.arange(first, last + 1)
        core = core[words.word[core] & ~words.transparent[core]]
        rows = np.concatenate([left[::-1], core, right]).astype(np.int64)
        return cls(
            keys=words.key_code[rows].tolist(),
            weight=np.where(words.content[rows], 1.0, 0.5).tolist(),
            core_start=len(left),
            core_end=len(left) + len(core),
            n_left=len(left),
            n_right=len(right),
        )

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


def _content_end(words: _Words, anchor: int, reach: int, step: int) -> int:
    """The farthest content word from ``anchor`` towards ``reach`` (inclusive)."""
    row = reach
    while row != anchor and not words.content[row]:
        row -= step
    return row


def _object(words: _Words, last: int, ceiling: int) -> int:
    """Extend over "its"/"the" and a noun right after the span, if that is what follows."""
    if last >= ceiling:
        return last
    following = _contexts(words, np.array([last + 1]), np.array([ceiling]), 2, 1)[0]
    if (
        len(following) == 2
        and following[0] == last + 1
        and words.determiner[following[0]]
        and words.content[following[1]]
        and words.token[following[1]][:1].islower()
    ):
        return int(following[1])
    return last


def _list_end(words: _Words, last: int, ceiling: int) -> int:
    """The end of a list of short lowercase items after ``last`` (", security, and democracy")."""
    row, end = last + 1, last
    while row <= ceiling and words.norm[row] == ",":
        separator = row
        while separator <= ceiling and words.norm[separator] in (",", "and", "or"):
            separator += 1
        item = separator
        while item <= ceiling and item - separator < 2 and words.content[item]:
            if not words.token[item][:1].islower():
                return end
            item += 1
        if item == separator:
            break
        end, row = item - 1, item
    return end


def _modifiers(words: _Words, first: int, floor: int, max_modifiers: int) -> int:
    """Take up to ``max_modifiers`` lowercase content words on the left (and an open quote)."""
    taken, row = 0, first - 1
    while row >= floor and taken < max_modifiers:
        if words.transparent[row]:
            row -= 1
            continue
        if not words.content[row] or not words.token[row][:1].islower():
            break
        first, taken, row = row, taken + 1, row - 1
    if first > floor and words.transparent[first - 1] and not words.closing_quote[first - 1]:
        first -= 1  # the opening quote of a quoted modifier
    return first


def _variant_text(words: _Words, first: int, last: int) -> str:
    parts = [str(words.norm[row]) for row in range(first, last + 1) if not words.transparent[row]]
    return re.sub(r" (?='s\b)|(?<=\w) (?=,)", "", " ".join(parts))


# --- tables ----------------------------------------------------------------------------------


def _labels(
    hits: pd.DataFrame, members: pd.DataFrame, phrases: pd.DataFrame, words: _Words
) -> pd.Series:
    """Each cluster's canonical wording: the commonest wording of its founding phrase (or, for
    a watched phrase, the words the user gave)."""
    founders = members.loc[members["founder"], ["phrase", "cluster"]]
    founder_hits = hits.merge(founders, on="phrase")
    texts = [
        _variant_text(words, int(a), int(b))
        for a, b in zip(founder_hits["row_first"], founder_hits["row_last"], strict=True)
    ]
    counts = (
        founder_hits.assign(text=texts)
        .groupby(["cluster", "text"])
        .size()
        .rename("n")
        .reset_index()
        .assign(length=lambda f: f["text"].str.len())
        .sort_values(["cluster", "n", "length", "text"], ascending=[True, False, True, True])
    )
    return counts.groupby("cluster")["text"].first()


def _tables(
    spans: pd.DataFrame,
    members: pd.DataFrame,
    labels: pd.Series,
    words: _Words,
    documents: pd.DataFrame,
) -> Grouped:
    first, last = spans["row_first"].to_numpy(), spans["row_last"].to_numpy()
    meta = documents.set_index("doc_id")
    occurrences = spans.assign(
        variant=[_variant_text(words, int(a), int(b)) for a, b in zip(first, last, strict=True)],
        start=words.start[first],
        end=words.end[last],
    )
    occurrences["doc_id"] = words.doc_id[first]
    occurrences["sent_id"] = words.sent_id[first]
    texts = meta["text"].reindex(occurrences["doc_id"]).to_numpy()
    occurrences["surface"] = [
        str(text)[a:b]
        for text, a, b in zip(texts, occurrences["start"], occurrences["end"], strict=True)
    ]
    occurrences["date"] = meta["date"].reindex(occurrences["doc_id"]).to_numpy()
    occurrences["source"] = meta["source"].reindex(occurrences["doc_id"]).to_numpy()
    ids = _slugs(labels)
    occurrences["family_id"] = occurrences["cluster"].map(ids)
    link = members.set_index("phrase")
    occurrences["how"] = occurrences["phrase"].map(link["how"])
    occurrences["score"] = occurrences["phrase"].map(link["score"]).astype(float)
    families = _family_table(occurrences, labels)
    occurrences = occurrences.sort_values(["doc_id", "start", "end"]).reset_index(drop=True)
    members_out = members.assign(family_id=members["cluster"].map(ids)).dropna(subset=["family_id"])
    return Grouped(
        families=schema.coerce(families, "families"),
        occurrences=schema.coerce(occurrences[list(schema.TABLES["occurrences"])], "occurrences"),
        members=members_out[_MEMBER_COLUMNS]
        .sort_values(["family_id", "n_docs", "phrase"], ascending=[True, False, True])
        .reset_index(drop=True),
        slots=find_slots(occurrences),
    )


def _family_table(occurrences: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    grouped = occurrences.groupby("family_id")
    families = pd.DataFrame(
        {
            "label": grouped["cluster"].first().map(labels),
            "n_variants": grouped["variant"].nunique(),
            "n_occurrences": grouped.size(),
            "n_docs": grouped["doc_id"].nunique(),
            "n_sources": grouped["source"].nunique(),
            "first_date": grouped["date"].min(),
            "last_date": grouped["date"].max(),
        }
    ).reset_index()
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
    occurrences: pd.DataFrame, *, min_fillers: int = 2, max_words: int = 20
) -> pd.DataFrame:
    """Where a family's variants differ in one place: the pattern and its fillers.

    Two variants share a slot when they are the same words but for one word, or but for one
    word that one of them lacks ("ironclad support for israel's security" / "unwavering
    support for israel's security" / "support for israel's security"). A pattern is reported
    when at least ``min_fillers`` different words fill it. A pattern and a filler make exactly
    one variant, so counts are that variant's. Variants longer than ``max_words`` words are
    left out.
    """
    if occurrences.empty:
        return pd.DataFrame(columns=_SLOT_COLUMNS)
    variants = (
        occurrences.groupby(["family_id", "variant"])
        .agg(n_occurrences=("doc_id", "size"), n_docs=("doc_id", "nunique"))
        .reset_index()
    )
    rows = []
    for family_id, variant, n, docs in variants.itertuples(index=False):
        words = str(variant).split()
        if len(words) > max_words:
            continue
        for i, word in enumerate(words):
            rows.append((family_id, " ".join([*words[:i], "_", *words[i + 1 :]]), word, n, docs))
        for i in range(len(words) + 1):
            rows.append((family_id, " ".join([*words[:i], "_", *words[i:]]), "", n, docs))
    frame = pd.DataFrame(rows, columns=_SLOT_COLUMNS)
    filled = frame[frame["filler"] != ""].groupby(["family_id", "pattern"])["filler"].nunique()
    wanted = filled[filled >= min_fillers].index
    keys = pd.MultiIndex.from_frame(frame[["family_id", "pattern"]])
    out = frame[keys.isin(wanted)]
    return out.sort_values(
        ["family_id", "pattern", "n_occurrences", "filler"], ascending=[True, True, False, True]
    ).reset_index(drop=True)
