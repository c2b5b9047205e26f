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
from rapidfuzz.distance import Levenshtein

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
    pairs = _candidate_pairs(stems, max_block) | set(overlaps)
    edges = _score_pairs(pairs, stems, _idf(stems, mined), overlaps, mined.hits, phrases)
    labels = _cluster(phrases, edges, threshold, split_ratio)
    labels, attached = _attach_extensions(
        labels, phrases, mined.hits, max_extension, extension_share, extension_min_docs
    )
    members = _members(phrases, labels, edges, attached)
    words = _Words.of(tokens, non_content(stopwords, edge_words, attribution_verbs))
    options = _SpanOptions(
        max_gap, max_modifiers, max_extension, min_alignment, max_partners, min_content
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


def _candidate_pairs(stems: list[list[str]], max_block: int) -> set[tuple[int, int]]:
    """Pairs of phrases that share a stem that at most ``max_block`` phrases have."""
    postings: dict[str, list[int]] = defaultdict(list)
    for index, phrase in enumerate(stems):
        for stem in set(phrase):
            postings[stem].append(index)
    pairs: set[tuple[int, int]] = set()
    for members in postings.values():
        if 1 < len(members) <= max_block:
            pairs.update((a, b) for k, a in enumerate(members) for b in members[k + 1 :])
    return pairs


def _overlap_counts(hits: pd.DataFrame, names: pd.Series) -> dict[tuple[int, int], int]:
    """For phrase pairs whose occurrences overlap by at least half of the shorter one: how
    many occurrences do."""
    index = {name: i for i, name in enumerate(names)}
    ordered = hits.sort_values(["row_first", "row_last"])
    phrase = ordered["phrase"].map(index).to_numpy()
    first, last = ordered["row_first"].to_numpy(), ordered["row_last"].to_numpy()
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for k in range(len(phrase)):
        j = k + 1
        while j < len(phrase) and first[j] <= last[k]:
            shared = min(last[k], last[j]) - first[j] + 1
            shorter = min(last[k] - first[k], last[j] - first[j]) + 1
            if phrase[j] != phrase[k] and 2 * shared >= shorter:
                a, b = sorted((int(phrase[k]), int(phrase[j])))
                counts[(a, b)] += 1
            j += 1
    return dict(counts)


def _score_pairs(
    pairs: Iterable[tuple[int, int]],
    stems: list[list[str]],
    weights: dict[str, float],
    overlaps: dict[tuple[int, int], int],
    hits: pd.DataFrame,
    phrases: pd.DataFrame,
) -> pd.DataFrame:
    """Similarity and its kind for each candidate pair (columns a, b, score, how)."""
    n_hits = hits.groupby("phrase").size().reindex(phrases["phrase"]).fillna(0).to_numpy()
    rows = []
    for a, b in sorted(pairs):
        set_a, set_b = set(stems[a]), set(stems[b])
        shared = sum(weights[s] for s in set_a & set_b)
        smaller = min(sum(weights[s] for s in set_a), sum(weights[s] for s in set_b))
        scores = (
            (shared / smaller if smaller else 0.0, "containment"),
            (Levenshtein.normalized_similarity(stems[a], stems[b]), "token edit"),
            (overlaps.get((a, b), 0) / max(min(n_hits[a], n_hits[b]), 1), "overlap"),
        )
        score, how = max(scores)
        rows.append((a, b, float(score), how))
    return pd.DataFrame(rows, columns=["a", "b", "score", "how"])


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
    cluster_of = dict(zip(phrases["phrase"], labels.tolist(), strict=True))
    docs = phrases.groupby(labels)["n_docs"].max()
    frame = hits.assign(cluster=hits["phrase"].map(cluster_of))
    frame["sentence"] = frame["doc_id"].astype(str) + "#" + frame["sent_id"].astype(str)
    frame = frame.sort_values(["sentence", "row_first"])
    before: dict[int, list[int | None]] = defaultdict(list)
    follows: dict[int, list[str]] = defaultdict(list)
    for _, sentence in frame.groupby("sentence", sort=False):
        rows = list(
            zip(
                sentence["cluster"].tolist(),
                sentence["row_first"].tolist(),
                sentence["row_last"].tolist(),
                sentence["phrase"].tolist(),
                strict=True,
            )
        )
        for k, (cluster, first, _, _) in enumerate(rows):
            lead = [
                (other, phrase)
                for other, _, last, phrase in rows[:k]
                if other != cluster and 0 < first - last <= max_extension
            ]
            before[cluster].append(lead[-1][0] if lead else None)
            if lead:
                follows[cluster].append(lead[-1][1])
    new = labels.copy()
    attached: dict[int, tuple[float, int]] = {}
    for cluster, leads in before.items():
        counts = pd.Series([lead for lead in leads if lead is not None], dtype=object)
        if counts.empty:
            continue
        host, n = counts.value_counts().index[0], int(counts.value_counts().iloc[0])
        share = n / len(leads)
        wide = docs[cluster] >= extension_min_docs
        if wide and share >= extension_share and docs[host] >= docs[cluster]:
            new[labels == cluster] = host
            followed = pd.Series(follows[cluster]).value_counts().index[0]
            anchor = int(phrases.index[phrases["phrase"] == followed][0])
            for member in np.flatnonzero(labels == cluster).tolist():
                attached[member] = (share, anchor)
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
    key: npt.NDArray[np.object_]  # compared in alignment: the stem, or a pronoun's kind
    word: npt.NDArray[np.bool_]  # a word (not punctuation)
    transparent: npt.NDArray[np.bool_]  # a quotation mark or bracket
    content: npt.NDArray[np.bool_]
    frame: npt.NDArray[np.bool_]  # an attribution verb ("said", "conveyed")
    closing_quote: npt.NDArray[np.bool_]  # a quotation mark not followed by a word
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
            key=np.asarray(keys, dtype=object)[codes],
            word=word[codes],
            transparent=transparent[codes],
            content=content[codes],
            frame=frame[codes],
            closing_quote=quote & ~attached,
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
    min_content: int


def _occurrences(
    hits: pd.DataFrame,
    members: pd.DataFrame,
    phrases: pd.DataFrame,
    words: _Words,
    options: _SpanOptions,
) -> pd.DataFrame:
    """One row per occurrence: cluster, phrase, core rows, and grown variant rows."""
    member = members.set_index("phrase")
    rank = phrases.set_index("phrase")
    frame = pd.DataFrame(
        {
            "cluster": hits["phrase"].map(member["cluster"]).to_numpy(np.int64),
            "phrase": hits["phrase"].astype(str).to_numpy(),
            "n_docs": hits["phrase"].map(rank["n_docs"]).to_numpy(np.int64),
            "n_tokens": hits["phrase"].map(rank["n_tokens"]).to_numpy(np.int64),
            "first": hits["row_first"].to_numpy(np.int64),
            "last": hits["row_last"].to_numpy(np.int64),
        }
    )
    frame["sentence"] = words.sentence_first[frame["first"].to_numpy()]
    frame = frame.sort_values(
        ["sentence", "n_docs", "n_tokens", "first"], ascending=[True, False, False, True]
    )
    columns = {name: frame[name].to_numpy() for name in frame.columns}
    bounds = np.flatnonzero(np.r_[True, np.diff(columns["sentence"]) != 0, True])
    spans: list[tuple[int, str, int, int, int, int]] = []
    for lo, hi in itertools.pairwise(bounds):
        claimed = _claim(columns, int(lo), int(hi), words, options)
        for k, (cluster, phrase, first, last) in enumerate(claimed):
            floor = claimed[k - 1][3] + 1 if k else int(words.sentence_first[first])
            ceiling = (
                claimed[k + 1][2] - 1 if k + 1 < len(claimed) else int(words.sentence_last[last])
            )
            spans.append((cluster, phrase, first, last, floor, ceiling))
    out = pd.DataFrame(spans, columns=["cluster", "phrase", "first", "last", "floor", "ceiling"])
    out["row_first"], out["row_last"] = _grow(out, words, options)
    return _resolve(out, words)


def _claim(
    columns: dict[str, np.ndarray], lo: int, hi: int, words: _Words, options: _SpanOptions
) -> list[tuple[int, str, int, int]]:
    """Non-overlapping spans (cluster, phrase, first_row, last_row) of one sentence, from
    its hits in claiming order (most widespread, then longest, first)."""
    taken: list[list[int | str]] = []
    for i in range(lo, hi):
        cluster, first, last = (
            int(columns["cluster"][i]),
            int(columns["first"][i]),
            int(columns["last"][i]),
        )
        near = [
            span
            for span in taken
            if span[0] == cluster
            and first <= int(span[3]) + 1 + options.max_gap
            and last >= int(span[2]) - 1 - options.max_gap
        ]
        if near:  # join, and so connect, the family's spans it touches
            near[0][2] = min(first, *(int(span[2]) for span in near))
            near[0][3] = max(last, *(int(span[3]) for span in near))
            taken = [span for span in taken if not any(span is other for other in near[1:])]
            continue
        for span in taken:
            if first <= int(span[3]) and last >= int(span[2]):
                if first >= int(span[2]):
                    first = int(span[3]) + 1
                else:
                    last = int(span[2]) - 1
        content = np.flatnonzero(words.content[first : last + 1]) + first
        if last >= first and len(content) >= options.min_content:
            phrase = str(columns["phrase"][i])
            taken.append([cluster, phrase, int(content[0]), int(content[-1])])
    return sorted(
        ((int(c), str(p), int(a), int(b)) for c, p, a, b in taken), key=lambda span: span[2]
    )


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
    """Variant bounds of each span: context shared with other occurrences of its family.

    Each occurrence's window (its core and up to ``max_extension`` words on each side, within
    its clause) is aligned (rapidfuzz Levenshtein opcodes) with the windows of up to
    ``max_partners`` occurrences of the same family in other sentences, those whose context
    on that side starts with one of the same two words first. Words are compared by stem,
    pronouns and articles by kind ("its"/"his", "itself"/"himself"); commas and opening
    quotation marks are skipped; clause punctuation, closing quotation marks and attribution
    verbs end a context. From its core, the occurrence grows on each side over the stretch
    that aligns best (a matching word scores 1, a word only one side has costs 1; function
    words count half; at least ``min_alignment``), ending on a content word. Where nothing
    aligns it takes modifiers, an object and a list, as the module docstring says.
    """
    firsts = spans["first"].to_numpy().copy()
    lasts = spans["last"].to_numpy().copy()
    for _, family in spans.groupby("cluster", sort=False):
        rows = family.index.to_numpy()
        windows = [
            _Window.of(words, int(first), int(last), int(floor), int(ceiling), options)
            for first, last, floor, ceiling in zip(
                family["first"], family["last"], family["floor"], family["ceiling"], strict=True
            )
        ]
        sentence = words.sentence_first[family["first"].to_numpy()]
        index = [_partner_index(windows, side) for side in (0, 1)]
        for k, row in enumerate(rows):
            reach = [0, 0]
            for side in (0, 1):
                for j in _partners(windows[k], k, side, index[side], sentence, options):
                    reach[side] = max(reach[side], windows[k].aligned_with(windows[j])[side])
            window = windows[k]
            first, last = window.core_first_row, window.core_last_row
            floor, ceiling = window.floor, window.ceiling
            if reach[1] >= 1:
                end = _content_end(words, last, int(window.right_rows[reach[1] - 1]), 1)
            else:
                end = _object(words, last, ceiling)
            lasts[row] = _list_end(words, end, ceiling)
            if reach[0] >= 1:
                firsts[row] = _content_end(words, first, int(window.left_rows[reach[0] - 1]), -1)
            else:
                firsts[row] = _modifiers(words, first, floor, options.max_modifiers)
    return firsts, lasts


@dataclass(frozen=True)
class _Window:
    """An occurrence's core and clause context, as the words alignment compares."""

    keys: list[str]
    weight: npt.NDArray[np.float64]  # 1 for content words, 0.5 for function words
    core_start: int  # index of the core's first word in ``keys``
    core_end: int  # index after the core's last word
    left_rows: _I64  # rows of the left context it may grow over, nearest first
    right_rows: _I64  # rows of the right context it may grow over, nearest first
    core_first_row: int
    core_last_row: int
    floor: int
    ceiling: int
    min_alignment: float

    @classmethod
    def of(
        cls, words: _Words, first: int, last: int, floor: int, ceiling: int, options: _SpanOptions
    ) -> _Window:
        width = options.max_extension
        left = _context(words, first - 1, int(words.sentence_first[first]), width, -1)
        right = _context(words, last + 1, int(words.sentence_last[last]), width, 1)
        core = np.arange(first, last + 1)
        core = core[words.word[core] & ~words.transparent[core]]
        rows = np.concatenate([left[::-1], core, right]).astype(np.int64)
        return cls(
            keys=list(words.key[rows]),
            weight=np.where(words.content[rows], 1.0, 0.5),
            core_start=len(left),
            core_end=len(left) + len(core),
            left_rows=left[: int(np.sum(left >= floor))] if len(left) else left,
            right_rows=right[: int(np.sum(right <= ceiling))] if len(right) else right,
            core_first_row=first,
            core_last_row=last,
            floor=floor,
            ceiling=ceiling,
            min_alignment=options.min_alignment,
        )

    def context_keys(self, side: int) -> list[str]:
        """The context words of one side (0 left, 1 right), nearest first."""
        if side == 0:
            return self.keys[: self.core_start][::-1]
        return self.keys[self.core_end :]

    def aligned_with(self, other: _Window) -> tuple[int, int]:
        """Words of left and right context that align well with ``other``'s window."""
        gain = np.zeros(len(self.keys))  # score of each own word in the alignment
        inserted = np.zeros(len(self.keys) + 1)  # cost of other-only words before each word
        for op in Levenshtein.opcodes(self.keys, other.keys):
            tag = op.tag
            a_start, a_end, b_start, b_end = op.src_start, op.src_end, op.dest_start, op.dest_end
            if tag == "equal":
                gain[a_start:a_end] = self.weight[a_start:a_end]
            elif tag == "insert":
                inserted[a_start] += other.weight[b_start:b_end].sum()
            else:  # replace or delete: own words the other lacks
                gain[a_start:a_end] = -self.weight[a_start:a_end]
                extra = (b_end - b_start) - (a_end - a_start)
                if extra > 0:
                    inserted[a_end] += other.weight[b_end - extra : b_end].sum()
        right = _best_run(gain[self.core_end :] - inserted[self.core_end : -1], self.min_alignment)
        left_steps = gain[: self.core_start][::-1] - inserted[1 : self.core_start + 1][::-1]
        left = _best_run(left_steps, self.min_alignment)
        return min(left, len(self.left_rows)), min(right, len(self.right_rows))


def _partner_index(windows: list[_Window], side: int) -> dict[str, list[int]]:
    """Occurrences by each of the first two context words on one side (0 left, 1 right)."""
    index: dict[str, list[int]] = defaultdict(list)
    for k, window in enumerate(windows):
        for key in window.context_keys(side)[:2]:
            index[key].append(k)
    return index


def _partners(
    window: _Window,
    k: int,
    side: int,
    index: dict[str, list[int]],
    sentence: _I64,
    options: _SpanOptions,
) -> list[int]:
    """Up to ``max_partners`` occurrences in other sentences, those whose context on ``side``
    starts with one of the same two words first, then any other."""
    found: list[int] = []
    candidates = [j for key in window.context_keys(side)[:2] for j in index.get(key, ())]
    for j in [*candidates, *range(len(sentence))]:
        if j != k and sentence[j] != sentence[k] and j not in found:
            found.append(j)
            if len(found) >= options.max_partners:
                break
    return found


def _best_run(steps: npt.NDArray[np.float64], min_alignment: float) -> int:
    """Length of the prefix of ``steps`` with the best total (X-drop 2), 0 if under min."""
    score = best_score = 0.0
    best = 0
    for i, step in enumerate(steps):
        score += float(step)
        if score > best_score:
            best_score, best = score, i + 1
        elif score < best_score - 2.0:
            break
    return best if best_score >= min_alignment else 0


def _context(words: _Words, start: int, stop: int, width: int, step: int) -> _I64:
    """Rows of up to ``width`` words from ``start`` towards ``stop`` (inclusive), in order;
    commas and opening quotation marks are skipped, clause punctuation, closing quotation
    marks and attribution verbs end it."""
    rows: list[int] = []
    row = start
    while (stop - row) * step >= 0 and len(rows) < width:
        if words.norm[row] in _STOPS or words.closing_quote[row] or words.frame[row]:
            break
        if words.word[row]:
            rows.append(row)
        row += step
    return np.asarray(rows, dtype=np.int64)


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
    following = _context(words, last + 1, ceiling, 2, 1)
    if (
        len(following) == 2
        and following[0] == last + 1
        and words.key[following[0]] in _DETERMINER_KEYS
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


def find_slots(occurrences: pd.DataFrame, *, min_fillers: int = 2) -> pd.DataFrame:
    """Where a family's variants differ in one place: the pattern and its fillers.

    Two variants share a slot when they are the same words but for one word, or but for one
    word that one of them lacks ("ironclad support for israel's security" / "unwavering
    support for israel's security" / "support for israel's security"). A pattern is reported
    when at least ``min_fillers`` different words fill it.
    """
    rows = []
    for (family_id, variant), group in occurrences.groupby(["family_id", "variant"]):
        tokens = str(variant).split()
        n, docs = len(group), set(group["doc_id"])
        for i in range(len(tokens)):
            rows.append(
                (family_id, " ".join([*tokens[:i], "_", *tokens[i + 1 :]]), tokens[i], n, docs)
            )
        for i in range(len(tokens) + 1):
            rows.append((family_id, " ".join([*tokens[:i], "_", *tokens[i:]]), "", n, docs))
    if not rows:
        return pd.DataFrame(columns=_SLOT_COLUMNS)
    frame = pd.DataFrame(rows, columns=["family_id", "pattern", "filler", "n", "docs"])
    fillers = frame[frame["filler"] != ""].groupby(["family_id", "pattern"])["filler"].nunique()
    wanted = fillers[fillers >= min_fillers].index
    frame = frame.set_index(["family_id", "pattern"]).loc[lambda f: f.index.isin(wanted)]
    if frame.empty:
        return pd.DataFrame(columns=_SLOT_COLUMNS)
    out = (
        frame.reset_index()
        .groupby(["family_id", "pattern", "filler"])
        .agg(n_occurrences=("n", "sum"), n_docs=("docs", lambda d: len(set().union(*d))))
        .reset_index()
    )
    return out.sort_values(
        ["family_id", "pattern", "n_occurrences", "filler"], ascending=[True, True, False, True]
    ).reset_index(drop=True)[_SLOT_COLUMNS]
