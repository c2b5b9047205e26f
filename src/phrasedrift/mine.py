"""Mine recurring phrases: word n-grams that recur across documents.

    mined = mine_phrases(tokens, documents)
    mined.phrases    # one row per phrase
    mined.hits       # one row per occurrence of a phrase

Phrases are n-grams of the *content words* of a segment: a stretch of a sentence between
punctuation marks (quotation marks and brackets are transparent, so ``"unwavering support"
for`` runs on; commas, colons, dashes and full stops end a segment, and so does a lowercase
attribution verb right after a capitalised word: "Sandoval reaffirmed | unwavering support"
keeps the speaker out of the formula). Function words
(``stopwords``), ``edge_words`` and attribution verbs ("said", "reaffirmed", matched by stem)
are skipped rather than trimmed, and words are compared by Porter stem (``stem``), so
"restore a sustainable calm" and "restoring the sustainable calm" are one phrase,
``restor sustain calm``. A hit still spans the words between, from its first content word to
its last.

A phrase is kept when

- it occurs in at least ``min_docs`` documents (and ``min_sources`` outlets), a document and
  its near-duplicates (``duplicate_of``, the same wire copy) counting once;
- it is *closed*: no longer frequent n-gram has as many occurrences (a phrase contained in a
  longer one with the same support is listed once, as the longer one);
- it is not a chance combination of formulas: sub-phrases that are each ``split_ratio`` times
  as widespread (and by ``split_margin`` documents) split it into them (see
  :func:`_split_composites`);
- it has at least ``min_content`` words and at most ``max_length``;
- it is not a name: more than ``max_name_share`` of its words that do not start a sentence are
  capitalised, or it is two words led by a capitalised one, in most occurrences ("Secretary
  Blinken", "Sullivan condemned"; "support for Israel" stays);
- its cohesion (the fair symmetric conditional probability of Silva & Lopes, the n-gram
  generalisation of the association measures in ``nltk.collocations``) is at least
  ``min_cohesion`` (0 by default: off).

Counting is vectorised: n-grams are 64-bit rolling hashes of vocabulary codes, and an
(n+1)-gram is only counted where both of its n-grams are frequent (Apriori pruning), so the
work follows the number of recurring n-grams rather than all n-grams.

``phrases`` columns: ``phrase`` (the content stems joined by spaces), ``n_tokens`` (content
words), ``n_docs``,
``n_sources``, ``n_occurrences``, ``cohesion``, ``watch`` (a phrase the user asked to track).
``hits`` columns: ``phrase``, ``doc_id``, ``sent_id``, ``tok_start``, ``tok_end`` (token ids,
end exclusive), ``start``, ``end`` (character offsets into the clean text), ``row_first``,
``row_last`` (positions of its first and last token in the tokens table).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from nltk.stem.porter import PorterStemmer

from phrasedrift.config import MineConfig
from phrasedrift.errors import SchemaError

_I64 = npt.NDArray[np.int64]
_U64 = npt.NDArray[np.uint64]
_F64 = npt.NDArray[np.float64]
_Bools = npt.NDArray[np.bool_]
#: Integers per content word: 32-bit where they fit (:func:`_stream`), as they do unless the
#: tokens table has 2**31 rows, halving the stream's memory on a large corpus.
_Codes = npt.NDArray[np.signedinteger[Any]]
_EMPTY = np.empty(0, dtype=np.int64)
_BASE = np.uint64(0x9E3779B97F4A7C15)
_STEMMER = PorterStemmer()
#: Tokens that join coordinated phrases.
COORDINATORS = ("and", "or", "but", "nor", ",", ";")
#: Words compared by their kind, not their stem: "defend itself" = "defend himself".
WORD_KINDS = {
    **dict.fromkeys(("its", "his", "her", "their", "our", "my", "your"), "<possessive>"),
    **dict.fromkeys(
        ("itself", "himself", "herself", "themselves", "ourselves", "myself", "yourself"),
        "<reflexive>",
    ),
    **dict.fromkeys(("a", "an", "the"), "<article>"),
}
#: Marks that do not break a phrase: "unwavering support" for = unwavering support for.
TRANSPARENT = ('"', "'", "(", ")", "[", "]", "{", "}", "`")


@dataclass(frozen=True)
class Mined:
    """Recurring phrases and their occurrences (columns in the module docstring)."""

    phrases: pd.DataFrame
    hits: pd.DataFrame
    document_frequency: pd.Series  # documents in which each word (stem) occurs
    n_documents: int


@dataclass(frozen=True)
class _Stream:
    """The corpus as one array of word codes, with segment, document and token positions."""

    word: _Codes  # vocabulary code of each kept token
    segment: _Codes  # segment number (changes at punctuation, sentences, documents)
    doc: _Codes  # document number (a near-duplicate has its original's)
    source: _Codes  # outlet number of the document
    row: _Codes  # row of the token in the tokens table
    capital: npt.NDArray[np.bool_]  # capitalised where it stands (not sentence-initial)
    capital_sum: _Codes  # capital_sum[j]: capitalised words among word[:j]
    placed_sum: _Codes  # placed_sum[j]: words among word[:j] that do not start a sentence
    coordinator_sum: _Codes  # coordinator_sum[j]: coordinators ("and", "or", a comma) among
    # the rows of the tokens table up to row[j], inclusive
    coordinated: npt.NDArray[np.bool_]  # a coordinator stands between word j - 1 and word j
    prefix: _U64  # prefix[j]: rolling hash of word[:j], so any n-gram's hash is O(1)
    vocabulary: pd.Index  # the word of each code (a stem when mining on stems)


def mine_phrases(
    tokens: pd.DataFrame,
    documents: pd.DataFrame | None = None,
    *,
    min_docs: int = MineConfig.min_docs,
    min_sources: int = MineConfig.min_sources,
    min_content: int = MineConfig.min_content,
    max_length: int = MineConfig.max_length,
    min_cohesion: float = MineConfig.min_cohesion,
    max_name_share: float = MineConfig.max_name_share,
    stopwords: tuple[str, ...] = MineConfig.stopwords,
    edge_words: tuple[str, ...] = MineConfig.edge_words,
    attribution_verbs: tuple[str, ...] = MineConfig.attribution_verbs,
    stem: bool = MineConfig.stem,
    split_ratio: float = MineConfig.split_ratio,
    split_margin: int = MineConfig.split_margin,
    watch: tuple[str, ...] = MineConfig.watch,
    watch_threshold: float = MineConfig.watch_threshold,
) -> Mined:
    """Recurring phrases of ``tokens`` (the tokens table); ``documents`` supplies outlets.

    Each phrase of ``watch`` is tracked however often it occurs: its occurrences are found
    where the stems of a stretch of content words match it with a rapidfuzz ratio of at least
    ``watch_threshold`` (so inflections and misspellings count), and it is listed with
    ``watch`` true.
    """
    for column in ("doc_id", "sent_id", "tok_id", "start", "end", "token", "norm"):
        if column not in tokens.columns:
            raise SchemaError(f"mine: the tokens table lacks column {column!r}")
    if not 2 <= max_length < len(_POWERS):
        raise ValueError(f"max_length must be between 2 and {len(_POWERS) - 1}, not {max_length}")
    stop = non_content(stopwords, edge_words, attribution_verbs)
    stream = _stream(tokens, documents, stop, stem)
    found = _recurring(
        stream,
        min_docs=min_docs,
        min_sources=min_sources,
        min_content=min_content,
        max_length=max_length,
        min_cohesion=min_cohesion,
        max_name_share=max_name_share,
        split_ratio=split_ratio,
        split_margin=split_margin,
    )
    for text in watch:
        watched = _watch_hits(stream, text, stop, watch_threshold)
        if watched is not None:
            phrase, positions, n = watched
            docs, sources = np.unique(stream.doc[positions]), np.unique(stream.source[positions])
            found = found.without(phrase).plus(phrase, n, len(docs), len(sources), positions)
    frequency = _document_frequency(stream)
    row = stream.row
    del stream  # the hits need only the token rows of the words: the rest is freed first
    return _tables(tokens, row, found, frequency)


def _recurring(
    stream: _Stream,
    *,
    min_docs: int,
    min_sources: int,
    min_content: int,
    max_length: int,
    min_cohesion: float,
    max_name_share: float,
    split_ratio: float,
    split_margin: int,
) -> _Found:
    """The recurring phrases of ``stream`` that pass the filters (the frequent n-grams of
    every length, the largest structure here, are freed on return)."""
    frequent = _frequent_ngrams(stream, min_docs, min_sources, max_length, min_content)
    lookup = _Lookup(frequent)
    cores = _closed_phrases(frequent, _closed(frequent, min_content), min_content)
    units = _split_composites(
        cores, lookup, stream, split_ratio, split_margin, min_content, max_name_share
    )
    return _kept_units(
        units, stream, lookup, min_docs, min_sources, min_content, max_name_share, min_cohesion
    )


def phrase_key(text: str, config: MineConfig) -> str:
    """The phrase (content stems) that ``text`` is mined and tracked as."""
    from phrasedrift.tokens import TOKEN_PATTERN, normal_form

    stop = non_content(config.stopwords, config.edge_words, config.attribution_verbs)
    norms = pd.Index([normal_form(t) for t in re.findall(TOKEN_PATTERN, text)])
    _, _, content = word_classes(norms, stop)
    return " ".join(stems_of(norms[content]))


def _watch_hits(
    stream: _Stream, text: str, stop: NonContent, threshold: float
) -> tuple[str, _I64, int] | None:
    """The phrase key and the start positions of a watched phrase (None if it has no content
    words). Candidates are the stretches around occurrences of its two rarest stems."""
    from rapidfuzz import fuzz

    from phrasedrift.tokens import TOKEN_PATTERN, normal_form

    norms = pd.Index([normal_form(t) for t in re.findall(TOKEN_PATTERN, text)])
    _, _, content = word_classes(norms, stop)
    wanted = list(stems_of(norms[content]))
    if not wanted:
        return None
    n, phrase = len(wanted), " ".join(wanted)
    code = {word: k for k, word in enumerate(stream.vocabulary)}
    known = [code[w] for w in wanted if w in code]
    frequency = np.bincount(stream.word, minlength=len(stream.vocabulary))
    rare = sorted(known, key=lambda c: frequency[c])[:2]
    anchors = np.flatnonzero(np.isin(stream.word, rare))
    starts = np.unique((anchors[:, None] - np.arange(n)).ravel())
    starts = starts[(starts >= 0) & (starts + n <= len(stream.word))]
    starts = starts[stream.segment[starts] == stream.segment[starts + n - 1]]
    found: list[int] = []
    for start in starts:
        window = " ".join(stream.vocabulary[stream.word[start : start + n]])
        if fuzz.ratio(window, phrase) >= 100 * threshold and (not found or start >= found[-1] + n):
            found.append(int(start))
    return phrase, np.asarray(found, dtype=np.int64), n


# --- the token stream ------------------------------------------------------------------------


@dataclass(frozen=True)
class NonContent:
    """Words that are not content: by normal form; attribution verbs by stem (``stems``) or,
    for those also used as nouns, by form (``verb_forms``)."""

    words: frozenset[str]
    stems: frozenset[str]
    verb_forms: frozenset[str]

    def verbs(self, norms: pd.Index, stems: pd.Index | None = None) -> npt.NDArray[np.bool_]:
        """Which of ``norms`` (normal forms; ``stems``: their :func:`stems_of`, if at hand)
        are attribution verbs."""
        stems = stems_of(norms) if stems is None else stems
        flags: npt.NDArray[np.bool_] = np.asarray(
            stems.isin(list(self.stems)) | norms.isin(list(self.verb_forms)), bool
        )
        return flags


def non_content(
    stopwords: Iterable[str], edge_words: Iterable[str], attribution_verbs: Iterable[str]
) -> NonContent:
    """An attribution verb written with -ed or -ing ("stated", "according") is matched as
    written: the verb is also a noun ("state", "accord") that formulas are made of."""
    verbs = list(attribution_verbs)
    by_form = [v for v in verbs if v.endswith(("ed", "ing"))]
    return NonContent(
        words=frozenset(stopwords) | frozenset(edge_words) | frozenset(verbs),
        stems=frozenset(stems_of(pd.Index([v for v in verbs if v not in by_form]))),
        verb_forms=frozenset(by_form),
    )


def word_classes(
    norms: pd.Index, stop: NonContent
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """For each normal form: a word (not punctuation); a transparent mark (quotes, brackets);
    a content word (a word with a letter, not a function, edge or attribution word)."""
    word_like = np.asarray(norms.str.contains(r"\w", regex=True), dtype=bool)
    transparent = np.asarray(norms.isin(TRANSPARENT), dtype=bool)
    content = np.asarray(
        ~norms.isin(list(stop.words)) & ~stop.verbs(norms) & norms.str.contains(r"[^\W\d_]"),
        dtype=bool,
    )
    return word_like, transparent, content


def stems_of(words: pd.Index) -> pd.Index:
    """The Porter stem of each word (computed once per distinct word); pronouns and articles
    stand for their kind ("itself" and "himself" are both ``<reflexive>``)."""
    return pd.Index([WORD_KINDS.get(w) or _STEMMER.stem(w) for w in words.astype(str)])


def _stream(
    tokens: pd.DataFrame, documents: pd.DataFrame | None, stop: NonContent, stem: bool
) -> _Stream:
    """The content words of ``tokens`` as a :class:`_Stream`. Everything per token of the
    table is a small integer or a flag (properties of a norm or surface are computed per
    category and looked up), so that a large corpus costs a few bytes per token here."""
    norm = tokens["norm"].astype("category")
    norms = pd.Index(norm.cat.categories.astype(str))
    norm_codes = norm.cat.codes.to_numpy()
    word_like, transparent, is_content = word_classes(norms, stop)
    stems = stems_of(norms)
    codes, vocabulary = np.arange(len(norms)), norms
    if stem:
        codes, vocabulary = pd.factorize(stems, sort=True)
        vocabulary = pd.Index(vocabulary.astype(str))
    doc_categories = tokens["doc_id"].astype("category")
    doc_ids = pd.Index(doc_categories.cat.categories.astype(str))
    doc_codes = doc_categories.cat.codes.to_numpy()
    sent = tokens["sent_id"].to_numpy()
    surface = tokens["token"].astype("category")
    surface_codes = surface.cat.codes.to_numpy()
    upper_at = np.array([str(t)[:1].isupper() for t in surface.cat.categories], bool)[surface_codes]
    lower_at = np.array([str(t)[:1].islower() for t in surface.cat.categories], bool)[surface_codes]
    del surface_codes
    # a segment ends at punctuation (not quotes or brackets), sentence and document ends, and
    # at an attribution verb that follows a name ("Sandoval underscored | his support")
    new_sentence = np.r_[True, (doc_codes[1:] != doc_codes[:-1]) | (sent[1:] != sent[:-1])]
    breaks = stop.verbs(norms, stems)[norm_codes]
    breaks &= lower_at
    breaks[1:] &= upper_at[:-1]
    breaks[:1] = False
    breaks |= new_sentence
    breaks |= (~word_like & ~transparent)[norm_codes]
    del lower_at
    rows = np.flatnonzero((word_like & is_content)[norm_codes])
    small: type[np.signedinteger[Any]] = np.int32 if len(tokens) < 2**31 else np.int64
    segment = np.cumsum(breaks, dtype=small)[rows]
    del breaks
    capital = upper_at[rows] & ~new_sentence[rows]
    placed = ~new_sentence[rows]
    del upper_at, new_sentence
    coordinator_sum = np.cumsum(norm.isin(COORDINATORS).to_numpy(bool), dtype=small)
    kept_coordinators = coordinator_sum[rows]
    # a coordinator between each content word and the one before it
    coordinated = np.zeros(len(rows), dtype=bool)
    coordinated[1:] = coordinator_sum[rows[1:] - 1] > kept_coordinators[:-1]
    del coordinator_sum
    source = np.zeros(len(doc_ids), dtype=np.int64)
    independent = np.arange(len(doc_ids), dtype=np.int64)  # near-duplicates count once
    if documents is not None:
        meta = documents.set_index(documents["doc_id"].astype(str)).reindex(doc_ids)
        if "source" in meta.columns:
            source = pd.factorize(meta["source"].fillna("").astype(str))[0]
        if "duplicate_of" in meta.columns:
            original = meta["duplicate_of"].astype(object).where(meta["duplicate_of"].notna())
            independent = pd.factorize(original.fillna(pd.Series(doc_ids, index=meta.index)))[0]
    word = codes[norm_codes[rows]].astype(small)
    kept_docs = doc_codes[rows]
    return _Stream(
        prefix=_prefix_hashes(word),
        word=word,
        segment=segment,
        doc=independent[kept_docs].astype(small),
        source=source[kept_docs].astype(small),
        row=rows.astype(small),
        capital=capital,
        capital_sum=np.r_[0, np.cumsum(capital, dtype=small)],
        placed_sum=np.r_[0, np.cumsum(placed, dtype=small)],
        coordinator_sum=kept_coordinators,
        coordinated=coordinated,
        vocabulary=vocabulary,
    )


# --- counting --------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Level:
    """The frequent n-grams of one length: their start positions and counts. A frequent
    n-gram is known by its number here (its index in ``hashes``)."""

    positions: _Codes  # every start position whose n-gram is frequent, ascending
    ids: _Codes  # the number of the n-gram at each of ``positions`` (in order of first
    # occurrence: the first n-gram is 0, the next new one 1, ...)
    hashes: _U64  # the distinct frequent n-grams
    counts: _I64  # occurrences of each distinct n-gram
    n_docs: _I64  # documents of each distinct n-gram (aligned with ``hashes``)

    def firsts(self, ids: _I64) -> _Codes:
        """The first start position of each n-gram of ``ids``."""
        return self._firsts[ids]

    def occurrences(self, ids: _I64) -> tuple[_Codes, _Codes]:
        """Every start position of the n-grams of ``ids`` (distinct), ascending, and which of
        ``ids`` (its index there) occurs at each."""
        rank = np.full(len(self.hashes), -1, dtype=self.ids.dtype)
        rank[ids] = np.arange(len(ids))
        ranks = rank[self.ids]
        wanted = ranks >= 0
        return self.positions[wanted], ranks[wanted]

    @cached_property
    def _firsts(self) -> _Codes:
        """The first position of every n-gram. The n-grams are numbered in order of first
        occurrence (:func:`_frequent_ngrams`), so an n-gram first occurs where its number is
        greater than every number before it; no sort is needed."""
        seen = np.maximum.accumulate(self.ids)
        return self.positions[np.r_[True, seen[1:] > seen[:-1]]]


def _ranges(starts: _I64, sizes: _I64) -> _I64:
    """The indices ``starts[k] .. starts[k] + sizes[k] - 1`` of every k, laid end to end."""
    ends = np.cumsum(sizes)
    indices: _I64 = np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64)
    indices += np.repeat(starts - (ends - sizes), sizes)
    return indices


def distinct(values: _I64) -> _I64:
    """The sorted distinct values of a 1-D integer array: ``np.unique(values)`` by a sort and a
    mask. (NumPy's ``unique`` and ``pd.unique`` go through a hash table, several times slower
    on tens of millions of mostly distinct values, where the table no longer fits a cache.)"""
    ordered = np.sort(values)
    kept: _I64 = ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered
    return kept


def packed_lexsort(keys: tuple[npt.NDArray[np.integer[Any]], ...]) -> _I64:
    """``np.lexsort(keys)`` of non-negative integer keys (the last one primary): the keys
    packed into one integer while they fit and sorted stably, which is quick on rows that
    come nearly in order, as occurrences do; ``np.lexsort`` when they do not fit."""
    code = np.zeros(len(keys[0]), dtype=np.int64)
    bound = 1  # code < bound
    for key in reversed(keys):
        base = int(key.max()) + 1 if len(key) else 1
        if bound * base >= 2**62:
            return np.lexsort(keys)
        code *= base
        code += key
        bound *= base
    order: _I64 = np.argsort(code, kind="stable")
    return order


def _distinct_counts(groups: _Codes, values: _Codes, n_groups: int) -> _I64:
    """How many distinct ``values`` (non-negative) each group ``0 .. n_groups - 1`` has.

    Each (value, group) pair is packed into one integer, value first, and the pairs are
    sorted stably (timsort): the values here are documents, which follow the positions in the
    stream, so the pairs come nearly in order and the sort is several times quicker than a
    plain one. Few pairs in all (outlets of phrases) are marked in a table instead."""
    if not len(values):
        return np.zeros(n_groups, dtype=np.int64)
    span = int(values.max()) + 1
    if n_groups * span <= len(values):  # a table of every pair is no larger than the pairs
        seen = np.zeros((n_groups, span), dtype=bool)
        seen[groups, values] = True
        counts: _I64 = np.count_nonzero(seen, axis=1).astype(np.int64)
        return counts
    pairs = values.astype(np.int64) * n_groups + groups
    pairs.sort(kind="stable")
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]
    return np.bincount(pairs % n_groups, minlength=n_groups).astype(np.int64)


def _prefix_hashes(word: _Codes, chunk: int = 1 << 20) -> _U64:
    """Rolling hashes of every prefix of ``word``: ``h(i, n) = P[i+n] - P[i] * BASE**n`` (mod
    2**64), the same value as hashing the n words one by one. Computed without a Python loop
    over words: within a chunk of words from c, ``P[c+t] = P[c] * BASE**t + BASE**(t-1) *
    sum(w_k * BASE**-k, k < t)`` (BASE being odd and so invertible), ``chunk`` words at a time
    so that the temporaries stay small."""
    size = len(word)
    prefix = np.zeros(size + 1, dtype=np.uint64)
    m = min(size, chunk)
    if m == 0:
        return prefix
    inverse = np.uint64(pow(int(_BASE), -1, 1 << 64))
    with np.errstate(over="ignore"):
        up = np.cumprod(np.full(m, _BASE, dtype=np.uint64))  # BASE**1 .. BASE**m
        down = np.r_[np.uint64(1), np.cumprod(np.full(m - 1, inverse, dtype=np.uint64))]
        lead = np.r_[np.uint64(1), up[:-1]]  # BASE**0 .. BASE**(m-1)
        for c in range(0, size, chunk):
            values = word[c : c + chunk].astype(np.uint64) + np.uint64(1)
            t = len(values)
            local = lead[:t] * np.cumsum(values * down[:t])
            prefix[c + 1 : c + t + 1] = prefix[c] * up[:t] + local
    return prefix


def _powers(n: int) -> _U64:
    with np.errstate(over="ignore"):
        powers: _U64 = np.cumprod(np.full(n + 1, _BASE, dtype=np.uint64), dtype=np.uint64)
    shifted: _U64 = np.r_[np.uint64(1), powers[:-1]].astype(np.uint64)
    return shifted


_POWERS = _powers(256)


def _hash_at(stream: _Stream, positions: _Codes | int, n: int | _I64) -> _U64:
    """Hashes of the n-grams (of length ``n``, one or one per position) at ``positions``."""
    starts = np.atleast_1d(positions)
    with np.errstate(over="ignore"):
        hashes: _U64 = stream.prefix[starts + n] - stream.prefix[starts] * _POWERS[n]
    return hashes


def _frequent_ngrams(
    stream: _Stream, min_docs: int, min_sources: int, max_length: int, min_length: int = 1
) -> dict[int, _Level]:
    """The frequent n-grams of each length. Those shorter than ``min_length`` are never
    phrases: only their numbers and counts are kept once the longer ones are counted, not
    their positions (for unigrams, one per word of the stream)."""
    levels: dict[int, _Level] = {}
    size = len(stream.word)
    small = stream.word.dtype  # positions and numbers fit it (fewer than the tokens)
    candidates: _Codes = np.arange(size, dtype=small)
    key = stream.word.astype(np.uint64) + np.uint64(1)
    for n in range(1, max_length + 1):
        if n > 1:
            previous = levels[n - 1]
            frequent_at = np.zeros(size + 1, dtype=bool)
            frequent_at[previous.positions] = True
            starts = previous.positions
            ok = (starts + n - 1 < size) & frequent_at[np.minimum(starts + 1, size)]
            ok[ok] = stream.segment[starts[ok]] == stream.segment[starts[ok] + n - 1]
            candidates = starts[ok]
            with np.errstate(over="ignore"):
                key = (
                    previous.hashes[previous.ids[ok]] * _BASE
                    + stream.word[candidates + n - 1].astype(np.uint64)
                    + np.uint64(1)
                )
        if len(candidates) == 0:
            break
        codes, uniques = pd.factorize(key)
        del key
        support = _distinct_counts(codes, stream.doc[candidates], len(uniques))
        keep = support >= min_docs
        if min_sources > 1:
            keep &= _distinct_counts(codes, stream.source[candidates], len(uniques)) >= min_sources
        mask = keep[codes]
        if not mask.any():
            break
        # the number of each kept n-gram: in order of first occurrence, as pd.factorize
        # numbers the n-grams and the candidates come in order of position
        number = np.cumsum(keep) - 1
        levels[n] = _Level(
            positions=candidates[mask],
            ids=number[codes[mask]].astype(small),
            hashes=np.asarray(uniques[keep], dtype=np.uint64),
            counts=np.bincount(codes, minlength=len(uniques))[keep].astype(np.int64),
            n_docs=support[keep],
        )
        if n - 1 in levels and n - 1 < min_length:
            none = np.empty(0, dtype=small)
            levels[n - 1] = replace(levels[n - 1], positions=none, ids=none)
    return levels


def _closed(levels: dict[int, _Level], min_length: int) -> dict[int, npt.NDArray[np.bool_]]:
    """For each n-gram of each level of at least ``min_length`` words (the shorter are not
    phrases, and the unigrams the costliest to compare): whether no (n+1)-gram extension
    matches it in number of occurrences. (Both n-grams inside a frequent (n+1)-gram are
    frequent, by construction.)"""
    closed: dict[int, npt.NDArray[np.bool_]] = {}
    for n, level in levels.items():
        if n < min_length:
            continue
        is_closed = np.ones(len(level.hashes), dtype=bool)
        longer = levels.get(n + 1)
        if longer is not None:
            # per position, in the stream's dtype: counts and numbers fit it, as positions do
            small = level.ids.dtype
            at = np.full(int(longer.positions[-1]) + 2, -1, dtype=small)
            inside = level.positions < len(at)
            at[level.positions[inside]] = level.ids[inside]
            counts = level.counts.astype(small)
            extended = longer.counts.astype(small)[longer.ids]
            for shift in (0, 1):  # the n-gram at the start of the longer one, then the next
                parts = at[longer.positions + shift]
                is_closed[parts[counts[parts] == extended]] = False
        closed[n] = is_closed
    return closed


@dataclass(frozen=True)
class _Phrases:
    """Frequent n-grams by length and number in their level (see :class:`_Level`)."""

    lengths: _I64
    ids: _I64

    def __len__(self) -> int:
        return len(self.lengths)


def _closed_phrases(
    levels: dict[int, _Level], closed: dict[int, npt.NDArray[np.bool_]], min_length: int
) -> _Phrases:
    """The closed n-grams of at least ``min_length`` words. (The stream holds content words
    only, so every n-gram starts and ends with one.)"""
    chosen = [(n, np.flatnonzero(closed[n])) for n in levels if n >= min_length]
    return _Phrases(
        lengths=np.concatenate([np.full(len(ids), n) for n, ids in chosen] or [_EMPTY]),
        ids=np.concatenate([ids for _, ids in chosen] or [_EMPTY]).astype(np.int64),
    )


class _Lookup:
    """The frequent n-grams looked up in bulk by length and hash (sorted arrays and binary
    search): their number in their level, documents and occurrences."""

    def __init__(self, levels: dict[int, _Level]) -> None:
        self.levels = levels
        self._sorted: dict[int, tuple[_U64, _I64]] = {}
        for n, level in levels.items():
            order = np.argsort(level.hashes)
            self._sorted[n] = (level.hashes[order], order)

    def ids(self, lengths: _I64, hashes: _U64) -> _I64:
        """The number of each n-gram in its level, -1 for one that is not frequent."""
        out = np.full(len(hashes), -1, dtype=np.int64)
        for n in np.flatnonzero(np.bincount(lengths)).tolist() if len(lengths) else []:
            if n not in self._sorted:
                continue
            keys, order = self._sorted[n]
            where = np.flatnonzero(lengths == n)
            at = np.searchsorted(keys, hashes[where]).clip(max=len(keys) - 1)
            found = keys[at] == hashes[where]
            out[where[found]] = order[at[found]]
        return out

    def _get(self, lengths: _I64, hashes: _U64, column: str) -> _I64:
        ids = self.ids(lengths, hashes)
        out = np.zeros(len(hashes), dtype=np.int64)
        for n in np.flatnonzero(np.bincount(lengths)).tolist() if len(lengths) else []:
            if n in self.levels:
                where = np.flatnonzero((lengths == n) & (ids >= 0))
                out[where] = getattr(self.levels[n], column)[ids[where]]
        return out

    def docs(self, lengths: _I64, hashes: _U64) -> _I64:
        return self._get(lengths, hashes, "n_docs")

    def counts(self, lengths: _I64, hashes: _U64) -> _I64:
        return self._get(lengths, hashes, "counts")


def _split_composites(
    cores: _Phrases,
    lookup: _Lookup,
    stream: _Stream,
    split_ratio: float,
    split_margin: int,
    min_content: int,
    max_name_share: float,
    chunk: int = 1 << 16,
) -> _Phrases:
    """Replace each composite phrase by the formula units it is made of.

    A phrase is composite when sub-phrases that are each at least ``split_ratio`` times as
    widespread (in documents, and by at least ``split_margin``) and not names cover it,
    leaving two or more units: those sub-phrases plus the stretches between them that still
    have ``min_content`` content words and are joined to them by "and", "or" or a comma.
    "unwavering support for Israel's security and for its legitimate right to defend itself"
    is a chance combination of two formulas that also occur apart; "rocket attacks by Hamas
    and other terrorist groups" is not, because its parts are barely more widespread than the
    whole. All sub-phrases of ``chunk`` phrases are looked up at once, and the parts
    (themselves split in turn) of those phrases are chosen at once.
    """
    levels = lookup.levels
    seen = {n: np.zeros(len(level.hashes), dtype=bool) for n, level in levels.items()}
    units: list[_Phrases] = []
    pending = cores
    while len(pending):
        fresh = np.ones(len(pending), dtype=bool)
        for n in np.unique(pending.lengths).tolist():
            mine = pending.lengths == n
            fresh[mine] = ~seen[n][pending.ids[mine]]
            seen[n][pending.ids[mine]] = True
        batch = _Phrases(pending.lengths[fresh], pending.ids[fresh])
        found: list[_I64] = []  # the parts of split phrases, as keys (see below)
        # a slice of phrases at a time bounds the memory of their sub-ranges
        for lo in range(0, len(batch), chunk):
            part = _Phrases(batch.lengths[lo : lo + chunk], batch.ids[lo : lo + chunk])
            whole, at, sizes = _split_round(
                part, lookup, stream, split_ratio, split_margin, min_content, max_name_share
            )
            units.append(whole)
            found.append(lookup.ids(sizes, _hash_at(stream, at, sizes)) * _KEY + sizes)
        keys = np.unique(np.concatenate(found or [_EMPTY]))
        pending = _Phrases(keys % _KEY, keys // _KEY)
    return _Phrases(
        np.concatenate([u.lengths for u in units] or [_EMPTY]),
        np.concatenate([u.ids for u in units] or [_EMPTY]),
    )


#: (number, length) of an n-gram as one integer: number * _KEY + length.
_KEY = 1 << 9


def _split_round(
    batch: _Phrases,
    lookup: _Lookup,
    stream: _Stream,
    split_ratio: float,
    split_margin: int,
    min_content: int,
    max_name_share: float,
) -> tuple[_Phrases, _I64, _I64]:
    """The phrases of ``batch`` that are one unit, and the parts of the others (start
    position and length of their first occurrence), per :func:`_split_composites`."""
    levels = lookup.levels
    lengths = batch.lengths
    firsts = np.zeros(len(batch), dtype=np.int64)
    totals = np.zeros(len(batch), dtype=np.int64)
    for n in np.unique(lengths).tolist():
        mine = lengths == n
        firsts[mine] = levels[n].firsts(batch.ids[mine])
        totals[mine] = levels[n].n_docs[batch.ids[mine]]
    owner, starts, ends = _sub_ranges(lengths, min_content)
    at = firsts[owner] + starts
    sizes = ends - starts
    docs = lookup.docs(sizes, _hash_at(stream, at, sizes))
    named = _named(stream, at, sizes, max_name_share)
    del at
    needed = np.maximum(split_ratio * totals, totals + split_margin)[owner]
    strong = (docs >= needed) & ~named
    del needed, named
    # only a phrase with two disjoint widespread parts, or one and an "and" or a comma, can
    # split
    owners = owner[strong]
    min_end = np.full(len(batch), np.iinfo(np.int64).max)
    max_start = np.full(len(batch), -1)
    np.minimum.at(min_end, owners, ends[strong])
    np.maximum.at(max_start, owners, starts[strong])
    joined = stream.coordinator_sum[firsts + lengths - 1] > stream.coordinator_sum[firsts]
    splittable = (max_start >= min_end) | (joined & (max_start >= 0))
    pick = np.flatnonzero(strong & splittable[owner])
    weight = ((docs[pick] - 1) * sizes[pick]).astype(np.float64)
    chosen, chosen_start, chosen_end = _best_intervals(
        owner[pick], starts[pick], ends[pick], weight
    )
    part_owner, part_start, part_end = _with_gaps(
        chosen, chosen_start, chosen_end, firsts, lengths, stream, min_content
    )
    split = np.bincount(part_owner, minlength=len(batch)) >= 2
    parts = split[part_owner]
    return (
        _Phrases(lengths[~split], batch.ids[~split]),
        firsts[part_owner[parts]] + part_start[parts],
        (part_end - part_start)[parts],
    )


def _sub_ranges(lengths: _I64, min_content: int) -> tuple[_I64, _I64, _I64]:
    """For phrases of ``lengths`` words: every proper sub-range of at least ``min_content``
    words, as (phrase index, start, end)."""
    owners, starts, ends = [], [], []
    for n in np.unique(lengths).tolist():
        i, j = np.triu_indices(n + 1, k=min_content)
        proper = j - i < n
        i, j = i[proper], j[proper]
        phrases = np.flatnonzero(lengths == n)
        owners.append(np.repeat(phrases, len(i)))
        starts.append(np.tile(i, len(phrases)))
        ends.append(np.tile(j, len(phrases)))
    if not owners:
        return _EMPTY, _EMPTY, _EMPTY
    return (
        np.concatenate(owners).astype(np.int64),
        np.concatenate(starts).astype(np.int64),
        np.concatenate(ends).astype(np.int64),
    )


def _best_intervals(
    owner: _I64, starts: _I64, ends: _I64, weights: _F64
) -> tuple[_I64, _I64, _I64]:
    """For each owner, non-overlapping intervals ``starts..ends`` (end exclusive) of greatest
    total weight (weighted interval scheduling), as (owner, start, end) sorted by owner and
    start. Each owner has at most one interval with a given start and end.

    Dynamic programming over end positions for all owners at once: intervals are taken in
    order of end, then start; ``best[o, p]`` is the greatest weight of owner o's intervals
    that end by p, and ``last[o, p]`` the last interval that improved on it. Ties go as in the
    textbook version that scans the intervals one by one (an interval is taken only when it
    is strictly better), and the choice is read back from the last improving interval.
    """
    owners, owner = np.unique(owner, return_inverse=True)  # only those with intervals
    n_owners = len(owners)
    top = int(ends.max()) if len(ends) else 0
    best = np.zeros((n_owners, top + 1))
    last = np.full((n_owners, top + 1), -1, dtype=np.int64)
    running = np.zeros(n_owners)
    latest = np.full(n_owners, -1, dtype=np.int64)
    order = np.lexsort((starts, ends))
    key = ends[order] * (top + 1) + starts[order]
    done = 0  # best and last are final for positions below this
    for group in np.split(order, np.flatnonzero(np.diff(key)) + 1) if len(order) else []:
        i, j = int(starts[group[0]]), int(ends[group[0]])
        if j > done:
            best[:, done:j] = running[:, None]
            last[:, done:j] = latest[:, None]
            done = j
        o = owner[group]
        value = best[o, i] + weights[group]
        taken = value > running[o]
        running[o] = np.maximum(running[o], value)
        latest[o[taken]] = group[taken]
    best[:, done:] = running[:, None]
    last[:, done:] = latest[:, None]
    picked = []
    alive = np.arange(n_owners)
    at = np.full(n_owners, top)
    while len(alive):
        k = last[alive, at[alive]]
        alive, k = alive[k >= 0], k[k >= 0]
        picked.append(k)
        at[alive] = starts[k]
    chosen = np.concatenate(picked or [_EMPTY])
    chosen = chosen[np.lexsort((starts[chosen], owner[chosen]))]
    return owners[owner[chosen]], starts[chosen], ends[chosen]


def _with_gaps(
    owner: _I64,
    starts: _I64,
    ends: _I64,
    firsts: _I64,
    lengths: _I64,
    stream: _Stream,
    min_content: int,
) -> tuple[_I64, _I64, _I64]:
    """The chosen parts (owner, start, end; sorted by owner and start) of phrases at
    ``firsts`` of ``lengths`` words, with the stretches between and around them that have
    ``min_content`` words and are coordinated with the rest (:func:`_coordinated`)."""
    new_owner = np.r_[True, owner[1:] != owner[:-1]] if len(owner) else np.zeros(0, bool)
    last_of_owner = np.r_[owner[1:] != owner[:-1], True] if len(owner) else new_owner
    # the gap before each part, and the one after the last part of each phrase
    gap_owner = np.r_[owner, owner[last_of_owner]]
    gap_start = np.r_[np.where(new_owner, 0, np.r_[0, ends[:-1]]), ends[last_of_owner]]
    gap_end = np.r_[starts, lengths[owner[last_of_owner]]]
    ok = (gap_end - gap_start >= min_content) & _coordinated(
        stream, firsts[gap_owner], lengths[gap_owner], gap_start, gap_end
    )
    return (
        np.r_[owner, gap_owner[ok]],
        np.r_[starts, gap_start[ok]],
        np.r_[ends, gap_end[ok]],
    )


def _coordinated(
    stream: _Stream, first: _I64, n: _I64, start: _I64, end: _I64
) -> npt.NDArray[np.bool_]:
    """Whether each stretch ``start..end`` (end exclusive; indices in the phrase of ``n``
    words at ``first``) is joined to the rest of the phrase by "and", "or" or a comma, rather
    than modifying it ("bring a halt to the violence" in "de-escalate tensions and bring a
    halt to the violence", not "Israel's legitimate" in "Israel's legitimate right to defend
    itself"): a coordinator stands between its first word and the word before it, or between
    its last word and the word after it."""
    joined = np.zeros(len(first), dtype=bool)
    for inside, word in ((start > 0, first + start), (end < n, first + end)):
        joined[inside] |= stream.coordinated[word[inside]]
    return joined


def _named(
    stream: _Stream, positions: _Codes, lengths: _I64 | int, max_name_share: float
) -> npt.NDArray[np.bool_]:
    """Whether each n-gram is a name or led by one where it stands: more than
    ``max_name_share`` of its words that do not start a sentence are capitalised, or it is two
    words led by a capitalised one ("Secretary Blinken", "Sullivan condemned", "Palestinian
    officials"). A capital that starts a sentence says nothing, so it is not counted."""
    ends = positions + lengths
    capital = stream.capital_sum[ends] - stream.capital_sum[positions]
    placed = stream.placed_sum[ends] - stream.placed_sum[positions]
    share = np.divide(capital, placed, out=np.zeros(len(positions)), where=placed > 0)
    named: npt.NDArray[np.bool_] = (share > max_name_share) | (
        stream.capital[positions] & (lengths <= 2)
    )
    return named


@dataclass(frozen=True)
class _Found:
    """Phrases to list (columns of ``phrases`` but ``n_occurrences``) and the start positions
    of their hits in the stream, phrase after phrase (``n_hits`` each)."""

    phrase: list[str]
    n_tokens: _I64
    n_docs: _I64
    n_sources: _I64
    cohesion: _F64
    watch: npt.NDArray[np.bool_]
    n_hits: _I64
    starts: _Codes

    def without(self, phrase: str) -> _Found:
        keep = np.array([p != phrase for p in self.phrase], dtype=bool)
        owner = np.repeat(np.arange(len(keep)), self.n_hits)
        return _Found(
            phrase=[p for p, k in zip(self.phrase, keep, strict=True) if k],
            n_tokens=self.n_tokens[keep],
            n_docs=self.n_docs[keep],
            n_sources=self.n_sources[keep],
            cohesion=self.cohesion[keep],
            watch=self.watch[keep],
            n_hits=self.n_hits[keep],
            starts=self.starts[keep[owner]],
        )

    def plus(self, phrase: str, n: int, docs: int, sources: int, starts: _I64) -> _Found:
        """With a watched phrase (cohesion 1) at the end."""
        return _Found(
            phrase=[*self.phrase, phrase],
            n_tokens=np.r_[self.n_tokens, n],
            n_docs=np.r_[self.n_docs, docs],
            n_sources=np.r_[self.n_sources, sources],
            cohesion=np.r_[self.cohesion, 1.0],
            watch=np.r_[self.watch, True],
            n_hits=np.r_[self.n_hits, len(starts)],
            starts=np.r_[self.starts, starts].astype(np.int64),
        )


def _kept_units(
    units: _Phrases,
    stream: _Stream,
    lookup: _Lookup,
    min_docs: int,
    min_sources: int,
    min_content: int,
    max_name_share: float,
    min_cohesion: float,
) -> _Found:
    """The units that pass the filters of the module docstring, in order of length and hash."""
    levels = lookup.levels
    hashes = np.zeros(len(units), dtype=np.uint64)
    for n in np.unique(units.lengths).tolist():
        mine = units.lengths == n
        hashes[mine] = levels[n].hashes[units.ids[mine]]
    order = np.lexsort((hashes, units.lengths))
    lengths, ids = units.lengths[order], units.ids[order]
    firsts = np.zeros(len(lengths), dtype=np.int64)
    sizes, n_docs, n_sources, named = (np.zeros(len(lengths), dtype=np.int64) for _ in range(4))
    # the units of one length follow each other in this order, so the lengths are taken one
    # at a time, and what is computed per occurrence is held for one length only; the
    # occurrences are taken in order of position, where reading the stream is quick
    pieces: list[tuple[_I64, _Codes, _Codes]] = []
    for n in np.unique(lengths).tolist():
        mine = np.flatnonzero(lengths == n)
        positions, unit = levels[n].occurrences(ids[mine])
        sizes[mine] = np.bincount(unit, minlength=len(mine))
        firsts[mine] = levels[n].firsts(ids[mine])
        n_docs[mine] = _distinct_counts(unit, stream.doc[positions], len(mine))
        n_sources[mine] = _distinct_counts(unit, stream.source[positions], len(mine))
        named[mine] = np.bincount(
            unit[_named(stream, positions, n, max_name_share)], minlength=len(mine)
        )
        pieces.append((mine, positions, unit))
    is_name = 2 * named > sizes
    cohesion = _fair_scp(stream, lookup, firsts, lengths)
    keep = (
        (n_docs >= min_docs)
        & (n_sources >= min_sources)
        & (lengths >= min_content)
        & ~is_name
        & (cohesion >= min_cohesion)
    )
    words = stream.vocabulary.tolist()
    phrases = [
        " ".join(words[w] for w in stream.word[first : first + n].tolist())
        for first, n in zip(firsts[keep].tolist(), lengths[keep].tolist(), strict=True)
    ]
    return _Found(
        phrase=phrases,
        n_tokens=lengths[keep],
        n_docs=n_docs[keep],
        n_sources=n_sources[keep],
        cohesion=cohesion[keep],
        watch=np.zeros(int(keep.sum()), dtype=bool),
        n_hits=sizes[keep],
        starts=np.concatenate([_unit_after_unit(*piece, keep) for piece in pieces] or [_EMPTY]),
    )


def _unit_after_unit(mine: _I64, positions: _Codes, unit: _Codes, keep: _Bools) -> _Codes:
    """The ``positions`` of the kept units (``keep[mine[unit]]``), unit after unit (each in
    order of position)."""
    kept = keep[mine][unit]
    if not kept.any():
        return positions[kept]
    # sorted as (unit, position) packed into one integer: quicker than an argsort of units
    span = int(positions.max()) + 1
    packed = unit[kept].astype(np.int64) * span + positions[kept]
    packed.sort()
    return (packed % span).astype(positions.dtype)


def _fair_scp(stream: _Stream, lookup: _Lookup, firsts: _Codes, lengths: _I64) -> _F64:
    """Fair symmetric conditional probability (0..1) of the n-grams at ``firsts``: the square
    of an n-gram's probability over the mean, across its cut points, of the product of the
    probabilities of its two sides (Silva & Lopes 1999)."""
    total = max(len(stream.word), 1)
    own = lookup.counts(lengths, _hash_at(stream, firsts, lengths)) / total
    n_cuts = np.maximum(lengths - 1, 0)
    owner = np.repeat(np.arange(len(lengths)), n_cuts)
    cuts = _ranges(np.ones(len(lengths), dtype=np.int64), n_cuts)  # 1 .. n-1 for each
    left = lookup.counts(cuts, _hash_at(stream, firsts[owner], cuts)) / total
    right_lengths = lengths[owner] - cuts
    right = lookup.counts(right_lengths, _hash_at(stream, firsts[owner] + cuts, right_lengths))
    products = left * (right / total)
    mean = np.bincount(owner, weights=products, minlength=len(firsts)) / np.maximum(lengths - 1, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(mean > 0, own * own / mean, 0.0)


def _document_frequency(stream: _Stream) -> pd.Series:
    """In how many documents each word (stem) of the vocabulary occurs, if any."""
    per_word = _distinct_counts(stream.word, stream.doc, len(stream.vocabulary))
    present = np.flatnonzero(per_word)
    return pd.Series(per_word[present].astype(np.int64), index=stream.vocabulary[present])


def _tables(tokens: pd.DataFrame, row: _Codes, found: _Found, frequency: pd.Series) -> Mined:
    """The tables of the phrases and hits (``row``: the token row of each stream position)."""
    columns = ["phrase", "n_tokens", "n_docs", "n_sources", "n_occurrences", "cohesion", "watch"]
    rows = zip(
        found.phrase,
        found.n_tokens.tolist(),
        found.n_docs.tolist(),
        found.n_sources.tolist(),
        found.n_hits.tolist(),
        found.cohesion.tolist(),
        found.watch.tolist(),
        strict=True,
    )
    phrases = pd.DataFrame(list(rows), columns=columns)
    doc_categories = tokens["doc_id"].astype("category")
    doc_codes = doc_categories.cat.codes.to_numpy()
    sent_id = tokens["sent_id"].to_numpy()
    tok_id = tokens["tok_id"].to_numpy()
    start = tokens["start"].to_numpy()
    end = tokens["end"].to_numpy()
    # one integer per hit in the stream's dtype (positions, rows and phrase numbers fit it)
    starts = found.starts
    first = row[starts]
    last = row[starts + np.repeat((found.n_tokens - 1).astype(starts.dtype), found.n_hits)]
    # in order of document, start and end (stable, as DataFrame.sort_values), built in place
    order = packed_lexsort((end[last], start[first], doc_codes[first]))
    first, last = first[order], last[order]
    names = pd.Categorical.from_codes(
        np.repeat(np.arange(len(found.phrase), dtype=starts.dtype), found.n_hits)[order],
        categories=pd.Index(found.phrase, dtype=object),
    )
    del order
    labels = pd.DataFrame(
        {
            "phrase": names,
            "doc_id": pd.Categorical.from_codes(
                doc_codes[first], categories=doc_categories.cat.categories
            ),
        }
    )
    del names
    places = _gathered(
        {
            "sent_id": (sent_id, first, 0),
            "tok_start": (tok_id, first, 0),
            "tok_end": (tok_id, last, 1),
            "start": (start, first, 0),
            "end": (end, last, 0),
        }
    )
    in_table = pd.DataFrame(
        np.stack([first, last], dtype=np.int64).T, columns=["row_first", "row_last"], copy=False
    )
    del first, last
    # side by side without a copy: the blocks are those that pd.DataFrame(dict) would make
    hits = pd.concat([labels, places, in_table], axis=1)
    return Mined(
        document_frequency=frequency,
        n_documents=int(tokens["doc_id"].nunique()),
        phrases=phrases.sort_values(
            ["n_docs", "n_occurrences", "phrase"], ascending=[False, False, True]
        ).reset_index(drop=True),
        hits=hits,
    )


def _gathered(columns: dict[str, tuple[npt.NDArray[Any], _Codes, int]]) -> pd.DataFrame:
    """A frame of ``source[rows] + plus`` for each column ``name: (source, rows, plus)``.

    When the sources share a dtype, as the integer columns of a tokens table do, the values
    are written straight into the one 2-D block that pandas keeps such columns in: the
    DataFrame constructor would copy separate arrays into it, holding both at once."""
    dtypes = {source.dtype for source, _, _ in columns.values()}
    if len(dtypes) > 1:
        return pd.DataFrame(
            {name: source[rows] + plus for name, (source, rows, plus) in columns.items()}
        )
    size = len(next(iter(columns.values()))[1])
    block = np.empty((len(columns), size), dtype=dtypes.pop())
    for k, (source, rows, plus) in enumerate(columns.values()):
        np.take(source, rows, out=block[k])
        if plus:
            block[k] += plus
    return pd.DataFrame(block.T, columns=list(columns), copy=False)
