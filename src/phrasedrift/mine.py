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

import bisect
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pandas as pd
from nltk.stem.porter import PorterStemmer

from phrasedrift.config import MineConfig
from phrasedrift.errors import SchemaError

_I64 = npt.NDArray[np.int64]
_U64 = npt.NDArray[np.uint64]
_F64 = npt.NDArray[np.float64]
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

    word: _I64  # vocabulary code of each kept token
    segment: _I64  # segment number (changes at punctuation, sentences, documents)
    doc: _I64  # document number (a near-duplicate has its original's)
    source: _I64  # outlet number of the document
    row: _I64  # row of the token in the tokens table
    capital: npt.NDArray[np.bool_]  # capitalised where it stands (not sentence-initial)
    capital_sum: _I64  # capital_sum[j]: capitalised words among word[:j]
    placed_sum: _I64  # placed_sum[j]: words among word[:j] that do not start a sentence
    content: npt.NDArray[np.bool_]  # a content word (not a function or edge word)
    coordinator: npt.NDArray[np.bool_]  # per row of the tokens table: "and", "or", a comma
    coordinator_sum: _I64  # coordinator_sum[r]: coordinators among rows[:r+1]
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
    frequent = _frequent_ngrams(stream, min_docs, min_sources, max_length)
    lookup = _Lookup(frequent)
    cores = _closed_phrases(frequent, _closed(frequent), min_content)
    units = _split_composites(
        cores, frequent, lookup, stream, split_ratio, split_margin, min_content, max_name_share
    )
    rows, hits = _kept_units(
        units, stream, lookup, min_docs, min_sources, min_content, max_name_share, min_cohesion
    )
    for text in watch:
        found = _watch_hits(stream, text, stop, watch_threshold)
        if found is not None:
            phrase, positions, n = found
            docs, sources = np.unique(stream.doc[positions]), np.unique(stream.source[positions])
            rows = [row for row in rows if row[0] != phrase]
            hits = [hit for hit in hits if hit[0] != phrase]
            rows.append((phrase, n, len(docs), len(sources), len(positions), 1.0, True))
            hits.append((phrase, positions, n))
    return _tables(tokens, stream, rows, hits)


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
    norm = tokens["norm"].astype("category")
    norms = pd.Index(norm.cat.categories.astype(str))
    norm_codes = norm.cat.codes.to_numpy().astype(np.int64)
    word_like, transparent, is_content = word_classes(norms, stop)
    word_like, transparent, is_content = (
        word_like[norm_codes],
        transparent[norm_codes],
        is_content[norm_codes],
    )
    stems = stems_of(norms)
    codes, vocabulary = norm_codes, norms
    if stem:
        stem_codes, vocabulary = pd.factorize(stems, sort=True)
        vocabulary = pd.Index(vocabulary.astype(str))
        codes = stem_codes[norm_codes].astype(np.int64)
    doc_categories = tokens["doc_id"].astype("category")
    doc_ids = pd.Index(doc_categories.cat.categories.astype(str))
    doc_codes = doc_categories.cat.codes.to_numpy().astype(np.int64)
    sent = tokens["sent_id"].to_numpy().astype(np.int64)
    surface = tokens["token"].astype("category")
    upper = np.array([str(t)[:1].isupper() for t in surface.cat.categories], dtype=bool)
    lower = np.array([str(t)[:1].islower() for t in surface.cat.categories], dtype=bool)
    upper_at, lower_at = upper[surface.cat.codes.to_numpy()], lower[surface.cat.codes.to_numpy()]
    # a segment ends at punctuation (not quotes or brackets), sentence and document ends, and
    # at an attribution verb that follows a name ("Sandoval underscored | his support")
    boundary = ~word_like & ~transparent
    new_sentence = np.r_[True, (doc_codes[1:] != doc_codes[:-1]) | (sent[1:] != sent[:-1])]
    verb = stop.verbs(norms, stems)[norm_codes]
    frame = verb & lower_at & np.r_[False, upper_at[:-1]] & ~new_sentence
    segment = np.cumsum(boundary | new_sentence | frame)
    keep = word_like & is_content
    capital = upper_at & ~new_sentence
    source = np.zeros(len(doc_ids), dtype=np.int64)
    independent = np.arange(len(doc_ids), dtype=np.int64)  # near-duplicates count once
    if documents is not None:
        meta = documents.set_index(documents["doc_id"].astype(str)).reindex(doc_ids)
        if "source" in meta.columns:
            source = pd.factorize(meta["source"].fillna("").astype(str))[0]
        if "duplicate_of" in meta.columns:
            original = meta["duplicate_of"].astype(object).where(meta["duplicate_of"].notna())
            independent = pd.factorize(original.fillna(pd.Series(doc_ids, index=meta.index)))[0]
    rows = np.flatnonzero(keep)
    return _Stream(
        prefix=_prefix_hashes(codes[rows]),
        word=codes[rows],
        segment=segment[rows],
        doc=independent[doc_codes[rows]].astype(np.int64),
        source=source[doc_codes[rows]].astype(np.int64),
        row=rows.astype(np.int64),
        capital=capital[rows],
        capital_sum=np.r_[0, np.cumsum(capital[rows])].astype(np.int64),
        placed_sum=np.r_[0, np.cumsum(~new_sentence[rows])].astype(np.int64),
        content=is_content[rows],
        coordinator=np.asarray(norm.isin(COORDINATORS), dtype=bool),
        coordinator_sum=np.cumsum(np.asarray(norm.isin(COORDINATORS), dtype=np.int64)),
        vocabulary=vocabulary,
    )


# --- counting --------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Level:
    """The frequent n-grams of one length: their start positions and counts."""

    positions: _I64  # every start position whose n-gram is frequent
    hashes: _U64  # the distinct frequent n-grams
    counts: _I64  # occurrences of each distinct n-gram
    position_hash: _U64  # hash at each of ``positions``
    n_docs: _I64  # documents of each distinct n-gram (aligned with ``hashes``)

    def positions_of(self, key: int) -> _I64:
        """Every start position of the n-gram with hash ``key``."""
        order, sorted_hashes = self._sorted
        lo = np.searchsorted(sorted_hashes, np.uint64(key), side="left")
        hi = np.searchsorted(sorted_hashes, np.uint64(key), side="right")
        return np.sort(self.positions[order[lo:hi]])

    @cached_property
    def _sorted(self) -> tuple[_I64, _U64]:
        order = np.argsort(self.position_hash, kind="stable")
        return order, self.position_hash[order]

    @cached_property
    def docs_of(self) -> dict[int, int]:
        return dict(zip(self.hashes.tolist(), self.n_docs.tolist(), strict=True))


def _prefix_hashes(word: _I64) -> _U64:
    """Rolling hashes of every prefix of ``word``: ``h(i, n) = P[i+n] - P[i] * BASE**n`` (mod
    2**64), the same value as hashing the n words one by one. Computed without a Python loop:
    ``P[j] = BASE**(j-1) * sum(w_k * BASE**-k)``, BASE being odd and so invertible."""
    size = len(word)
    prefix = np.zeros(size + 1, dtype=np.uint64)
    if size == 0:
        return prefix
    inverse = np.uint64(pow(int(_BASE), -1, 1 << 64))
    with np.errstate(over="ignore"):
        inverse_powers = np.cumprod(np.full(size, inverse, dtype=np.uint64))
        inverse_powers = np.r_[np.uint64(1), inverse_powers[:-1]]
        sums = np.cumsum((word.astype(np.uint64) + np.uint64(1)) * inverse_powers)
        del inverse_powers
        powers = np.cumprod(np.full(size, _BASE, dtype=np.uint64))
        prefix[1:] = np.r_[np.uint64(1), powers[:-1]] * sums
    return prefix


def _powers(n: int) -> _U64:
    with np.errstate(over="ignore"):
        powers: _U64 = np.cumprod(np.full(n + 1, _BASE, dtype=np.uint64), dtype=np.uint64)
    shifted: _U64 = np.r_[np.uint64(1), powers[:-1]].astype(np.uint64)
    return shifted


_POWERS = _powers(256)


def _hash_at(stream: _Stream, positions: _I64 | int, n: int | _I64) -> _U64:
    """Hashes of the n-grams (of length ``n``, one or one per position) at ``positions``."""
    starts = np.atleast_1d(positions)
    with np.errstate(over="ignore"):
        hashes: _U64 = stream.prefix[starts + n] - stream.prefix[starts] * _POWERS[n]
    return hashes


def _frequent_ngrams(
    stream: _Stream, min_docs: int, min_sources: int, max_length: int
) -> dict[int, _Level]:
    levels: dict[int, _Level] = {}
    size = len(stream.word)
    candidates = np.arange(size, dtype=np.int64)
    key = np.zeros(size, dtype=np.uint64)
    for n in range(1, max_length + 1):
        if n > 1:
            previous = levels[n - 1]
            frequent_at = np.zeros(size + 1, dtype=bool)
            frequent_at[previous.positions] = True
            starts = previous.positions
            ok = (starts + n - 1 < size) & frequent_at[np.minimum(starts + 1, size)]
            starts = starts[ok]
            ok = stream.segment[starts] == stream.segment[starts + n - 1]
            candidates = starts[ok]
            with np.errstate(over="ignore"):
                key = (
                    key[candidates] * _BASE
                    + stream.word[candidates + n - 1].astype(np.uint64)
                    + np.uint64(1)
                )
        else:
            key = stream.word.astype(np.uint64) + np.uint64(1)
        if len(candidates) == 0:
            break
        frame = pd.DataFrame(
            {"h": key, "d": stream.doc[candidates], "s": stream.source[candidates]}
        )
        grouped = frame.groupby("h", sort=False)
        support = grouped["d"].nunique()
        keep = support >= min_docs
        if min_sources > 1:
            keep &= grouped["s"].nunique() >= min_sources
        good = support.index[keep].to_numpy(dtype=np.uint64)
        mask = np.isin(key, good)
        if not mask.any():
            break
        counts = grouped.size()[keep]
        levels[n] = _Level(
            positions=candidates[mask],
            hashes=good,
            counts=np.asarray(counts.to_numpy(), dtype=np.int64),
            position_hash=key[mask],
            n_docs=np.asarray(support[keep].to_numpy(), dtype=np.int64),
        )
        # keep the full-length key array aligned with the next level's positions
        full = np.zeros(size, dtype=np.uint64)
        full[candidates[mask]] = key[mask]
        key = full
    return levels


def _closed(levels: dict[int, _Level]) -> dict[int, _U64]:
    """Hashes (sorted) of n-grams that no (n+1)-gram extension matches in number of
    occurrences."""
    closed: dict[int, _U64] = {}
    for n, level in levels.items():
        not_closed: list[_U64] = []
        longer = levels.get(n + 1)
        if longer is not None:
            count_of = pd.Series(level.counts, index=level.hashes)
            ext_count = pd.Series(longer.counts, index=longer.hashes)
            ext = pd.Series(longer.position_hash).map(ext_count).to_numpy()
            starts = longer.positions
            at = pd.Series(level.position_hash, index=level.positions)
            prefix = at.reindex(starts).to_numpy()
            suffix = at.reindex(starts + 1).to_numpy()
            for parts in (prefix, suffix):
                same = count_of.reindex(parts).to_numpy() == ext
                not_closed.append(parts[same].astype(np.uint64))
        closed[n] = np.setdiff1d(
            np.asarray(level.hashes, dtype=np.uint64),
            np.concatenate(not_closed) if not_closed else np.empty(0, np.uint64),
        )
    return closed


def _closed_phrases(
    levels: dict[int, _Level], closed: dict[int, _U64], min_length: int
) -> dict[tuple[int, int], _I64]:
    """The closed n-grams of at least ``min_length`` words: {(length, hash): positions}.
    (The stream holds content words only, so every n-gram starts and ends with one.)"""
    phrases: dict[tuple[int, int], _I64] = {}
    for n, level in levels.items():
        if n < min_length or not len(closed[n]):
            continue
        mask = np.isin(level.position_hash, closed[n])
        hashes, positions = level.position_hash[mask], level.positions[mask]
        order = np.lexsort((positions, hashes))
        hashes, positions = hashes[order], positions[order]
        bounds = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1], True])
        for lo, hi in itertools.pairwise(bounds.tolist()):
            phrases[(n, int(hashes[lo]))] = positions[lo:hi]
    return phrases


class _Lookup:
    """Documents and occurrences of every frequent n-gram, looked up in bulk by length and
    hash (sorted arrays and binary search)."""

    def __init__(self, levels: dict[int, _Level]) -> None:
        self._tables: dict[int, tuple[_U64, _I64, _I64]] = {}
        for n, level in levels.items():
            order = np.argsort(level.hashes)
            self._tables[n] = (level.hashes[order], level.n_docs[order], level.counts[order])

    def _get(self, lengths: _I64, hashes: _U64, column: int) -> _I64:
        out = np.zeros(len(hashes), dtype=np.int64)
        for n in np.unique(lengths).tolist():
            if n not in self._tables:
                continue
            keys, *values = self._tables[n]
            mask = lengths == n
            at = np.searchsorted(keys, hashes[mask]).clip(max=len(keys) - 1)
            found = keys[at] == hashes[mask]
            out[np.flatnonzero(mask)[found]] = values[column][at[found]]
        return out

    def docs(self, lengths: _I64, hashes: _U64) -> _I64:
        return self._get(lengths, hashes, 0)

    def counts(self, lengths: _I64, hashes: _U64) -> _I64:
        return self._get(lengths, hashes, 1)


def _split_composites(
    cores: dict[tuple[int, int], _I64],
    levels: dict[int, _Level],
    lookup: _Lookup,
    stream: _Stream,
    split_ratio: float,
    split_margin: int,
    min_content: int,
    max_name_share: float,
) -> dict[tuple[int, int], _I64]:
    """Replace each composite phrase by the formula units it is made of.

    A phrase is composite when sub-phrases that are each at least ``split_ratio`` times as
    widespread (in documents, and by at least ``split_margin``) and not names cover it,
    leaving two or more units: those sub-phrases plus the stretches between them that still
    have ``min_content`` content words and are joined to them by "and", "or" or a comma.
    "unwavering support for Israel's security and for its legitimate right to defend itself"
    is a chance combination of two formulas that also occur apart; "rocket attacks by Hamas
    and other terrorist groups" is not, because its parts are barely more widespread than the
    whole. All sub-phrases of all phrases are looked up at once.
    """
    units: dict[tuple[int, int], _I64] = {}
    pending = dict(cores)
    seen: set[tuple[int, int]] = set()
    while pending:
        batch = [(key, positions) for key, positions in pending.items() if key not in seen]
        seen.update(key for key, _ in batch)
        pending = {}
        if not batch:
            break
        lengths = np.array([n for (n, _), _ in batch], dtype=np.int64)
        firsts = np.array([positions[0] for _, positions in batch], dtype=np.int64)
        totals = lookup.docs(lengths, _hash_at(stream, firsts, lengths))
        owner, starts, ends = _sub_ranges(lengths, min_content)
        at = firsts[owner] + starts
        sizes = ends - starts
        docs = lookup.docs(sizes, _hash_at(stream, at, sizes))
        named = _named(stream, at, sizes, max_name_share)
        needed = np.maximum(split_ratio * totals, totals + split_margin)[owner]
        strong = (docs >= needed) & ~named
        # only a phrase with two disjoint widespread parts, or one and an "and" or a comma,
        # can split: find those without a Python loop over all phrases
        owners = owner[strong]
        min_end = np.full(len(batch), np.iinfo(np.int64).max)
        max_start = np.full(len(batch), -1)
        np.minimum.at(min_end, owners, ends[strong])
        np.maximum.at(max_start, owners, starts[strong])
        row_first = stream.row[firsts]
        row_last = stream.row[firsts + lengths - 1]
        joined = stream.coordinator_sum[row_last] - stream.coordinator_sum[row_first] > 0
        splittable = (max_start >= min_end) | (joined & (max_start >= 0))
        by_owner: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
        found: list[tuple[int, int]] = []  # the parts of split phrases: (start, length)
        for k in np.flatnonzero(strong & splittable[owner]).tolist():
            weight = float((docs[k] - 1) * sizes[k])
            by_owner[int(owner[k])].append((int(starts[k]), int(ends[k]), weight))
        for k, (key, positions) in enumerate(batch):
            parts = None
            if splittable[k]:
                parts = _segments(
                    int(firsts[k]), int(lengths[k]), by_owner.get(k, []), stream, min_content
                )
            if parts is None:
                units[key] = positions
                continue
            found.extend(parts)
        if found:
            starts_found = np.array([start for start, _ in found], dtype=np.int64)
            lengths_found = np.array([length for _, length in found], dtype=np.int64)
            part_keys = _hash_at(stream, starts_found, lengths_found).tolist()
            for key in set(zip(lengths_found.tolist(), part_keys, strict=True)) - seen:
                pending[key] = levels[key[0]].positions_of(key[1])
    return units


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
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty
    return (
        np.concatenate(owners).astype(np.int64),
        np.concatenate(starts).astype(np.int64),
        np.concatenate(ends).astype(np.int64),
    )


def _segments(
    first: int, n: int, strong: list[tuple[int, int, float]], stream: _Stream, min_content: int
) -> list[tuple[int, int]] | None:
    """The units (start, length) of the phrase at ``first`` given its widespread sub-phrases
    (start, end, weight), or None when it is one unit."""
    if not strong:
        return None
    chosen = _best_intervals(strong)
    units = [(first + i, j - i) for i, j in chosen]
    bounds = [0, *(x for i, j in chosen for x in (i, j)), n]
    for start, end in zip(bounds[::2], bounds[1::2], strict=True):  # the gaps between them
        if end - start >= min_content and _coordinated(stream, first, n, start, end - 1):
            units.append((first + start, end - start))
    return units if len(units) >= 2 else None


def _kept_units(
    units: dict[tuple[int, int], _I64],
    stream: _Stream,
    lookup: _Lookup,
    min_docs: int,
    min_sources: int,
    min_content: int,
    max_name_share: float,
    min_cohesion: float,
) -> tuple[list[tuple[str, int, int, int, int, float, bool]], list[tuple[str, _I64, int]]]:
    """The units that pass the filters of the module docstring, as phrase rows and hits."""
    items = sorted(units.items())
    if not items:
        return [], []
    lengths = np.array([n for (n, _), _ in items], dtype=np.int64)
    sizes = np.array([len(p) for _, p in items], dtype=np.int64)
    owner = np.repeat(np.arange(len(items)), sizes)
    positions = np.concatenate([p for _, p in items])
    hit_lengths = lengths[owner]
    named = _named(stream, positions, hit_lengths, max_name_share)
    frame = pd.DataFrame(
        {
            "owner": owner,
            "doc": stream.doc[positions],
            "source": stream.source[positions],
            "named": named,
        }
    )
    grouped = frame.groupby("owner")
    n_docs = grouped["doc"].nunique().to_numpy()
    n_sources = grouped["source"].nunique().to_numpy()
    is_name = grouped["named"].mean().to_numpy() > 0.5
    firsts = np.array([p[0] for _, p in items], dtype=np.int64)
    cohesion = _fair_scp(stream, lookup, firsts, lengths)
    keep = (
        (n_docs >= min_docs)
        & (n_sources >= min_sources)
        & (lengths >= min_content)
        & ~is_name
        & (cohesion >= min_cohesion)
    )
    rows, hits = [], []
    words = np.asarray(stream.vocabulary, dtype=object)
    for k in np.flatnonzero(keep).tolist():
        (n, _), found = items[k]
        phrase = " ".join(words[stream.word[found[0] : found[0] + n]])
        rows.append(
            (phrase, n, int(n_docs[k]), int(n_sources[k]), len(found), float(cohesion[k]), False)
        )
        hits.append((phrase, found, n))
    return rows, hits


def _coordinated(stream: _Stream, first: int, n: int, start: int, end: int) -> bool:
    """Whether the stretch ``start..end`` (indices in the phrase at ``first``) is joined to
    the rest of the phrase by "and", "or" or a comma, rather than modifying it ("bring a halt
    to the violence" in "de-escalate tensions and bring a halt to the violence", not
    "Israel's legitimate" in "Israel's legitimate right to defend itself")."""
    joints = []
    if start > 0:
        joints.append((stream.row[first + start - 1], stream.row[first + start]))
    if end < n - 1:
        joints.append((stream.row[first + end], stream.row[first + end + 1]))
    return any(stream.coordinator[a + 1 : b].any() for a, b in joints)


def _named(
    stream: _Stream, positions: _I64, lengths: _I64, max_name_share: float
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


def _best_intervals(intervals: list[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """Non-overlapping intervals of greatest total weight (weighted interval scheduling)."""
    ordered = sorted(intervals, key=lambda t: t[1])
    ends = [j for _, j, _ in ordered]
    best = [0.0] * (len(ordered) + 1)
    take = [False] * len(ordered)
    for k, (i, _, weight) in enumerate(ordered):
        before = bisect.bisect_right(ends, i, 0, k)
        with_it = best[before] + weight
        take[k] = with_it > best[k]
        best[k + 1] = max(best[k], with_it)
    chosen, k = [], len(ordered)
    while k > 0:
        if take[k - 1]:
            i, j, _ = ordered[k - 1]
            chosen.append((i, j))
            k = bisect.bisect_right(ends, i, 0, k - 1)
        else:
            k -= 1
    return sorted(chosen)


def _fair_scp(stream: _Stream, lookup: _Lookup, firsts: _I64, lengths: _I64) -> _F64:
    """Fair symmetric conditional probability (0..1) of the n-grams at ``firsts``: the square
    of an n-gram's probability over the mean, across its cut points, of the product of the
    probabilities of its two sides (Silva & Lopes 1999)."""
    total = max(len(stream.word), 1)
    own = lookup.counts(lengths, _hash_at(stream, firsts, lengths)) / total
    owner, cuts = _sub_ranges(lengths, 1)[0:2]
    inner = cuts > 0
    owner, cuts = owner[inner], cuts[inner]
    owner, index = np.unique(np.c_[owner, cuts], axis=0).T if len(owner) else (owner, cuts)
    cuts = index
    left = lookup.counts(cuts, _hash_at(stream, firsts[owner], cuts)) / total
    right_lengths = lengths[owner] - cuts
    right = lookup.counts(right_lengths, _hash_at(stream, firsts[owner] + cuts, right_lengths))
    products = left * (right / total)
    mean = np.bincount(owner, weights=products, minlength=len(firsts)) / np.maximum(lengths - 1, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(mean > 0, own * own / mean, 0.0)


def _tables(
    tokens: pd.DataFrame,
    stream: _Stream,
    rows: list[tuple[str, int, int, int, int, float, bool]],
    hits: list[tuple[str, _I64, int]],
) -> Mined:
    columns = ["phrase", "n_tokens", "n_docs", "n_sources", "n_occurrences", "cohesion", "watch"]
    phrases = pd.DataFrame(rows, columns=columns)
    doc_categories = tokens["doc_id"].astype("category")
    doc_codes = doc_categories.cat.codes.to_numpy()
    sent_id = tokens["sent_id"].to_numpy()
    tok_id = tokens["tok_id"].to_numpy()
    start = tokens["start"].to_numpy()
    end = tokens["end"].to_numpy()
    names = pd.Categorical.from_codes(
        np.repeat(np.arange(len(hits)), [len(h[1]) for h in hits]),
        categories=pd.Index([h[0] for h in hits], dtype=object),
    )
    starts = np.concatenate([h[1] for h in hits]) if hits else np.empty(0, np.int64)
    lengths = np.repeat([h[2] for h in hits], [len(h[1]) for h in hits]) if hits else starts
    first = stream.row[starts]
    last = stream.row[starts + lengths - 1]
    hit_frame = pd.DataFrame(
        {
            "phrase": names,
            "doc_id": pd.Categorical.from_codes(
                doc_codes[first], categories=doc_categories.cat.categories
            ),
            "sent_id": sent_id[first],
            "tok_start": tok_id[first],
            "tok_end": tok_id[last] + 1,
            "start": start[first],
            "end": end[last],
            "row_first": first,
            "row_last": last,
        }
    )
    pairs = pd.DataFrame({"w": stream.word, "d": stream.doc}).drop_duplicates()
    frequency = pairs.groupby("w").size()
    frequency.index = stream.vocabulary[frequency.index.to_numpy()]
    return Mined(
        document_frequency=frequency,
        n_documents=int(tokens["doc_id"].nunique()),
        phrases=phrases.sort_values(
            ["n_docs", "n_occurrences", "phrase"], ascending=[False, False, True]
        ).reset_index(drop=True),
        hits=hit_frame.sort_values(["doc_id", "start", "end"]).reset_index(drop=True),
    )
