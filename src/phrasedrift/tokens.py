"""Split clean documents into sentences and word tokens, each with offsets and a normal form.

    sentences, tokens = tokenize(documents)

Input: any DataFrame with ``doc_id`` and ``text`` (the clean text); other columns are ignored and
the frame is not modified.

Output tables (see :mod:`phrasedrift.schema`)
---------------------------------------------
sentences   ``doc_id``, ``sent_id`` (0-based within the document), ``start``, ``end``, ``text``
            (``text == doc_text[start:end]``, no surrounding whitespace).
tokens      ``doc_id``, ``sent_id``, ``tok_id`` (0-based within the document), ``start``,
            ``end``, ``token`` (``doc_text[start:end]``), ``norm``. ``doc_id``, ``token`` and
            ``norm`` are ``category`` columns with lexically sorted string categories: a token
            row costs 38 bytes instead of 70 with string columns (BENCHMARKS.md), and
            ``norm.cat.codes`` is a ready integer vocabulary. Do not pass this table through
            :func:`phrasedrift.schema.coerce`, which would turn them back into strings.

Sentences never overlap, come in text order and together cover every non-space character; every
token lies inside its sentence.

Sentence rules
--------------
* A line break is always a boundary (paragraphs, headlines, bylines are never joined).
* Within a line, NLTK's Punkt (:class:`~nltk.tokenize.punkt.PunktSentenceTokenizer`) decides,
  built from :class:`~nltk.tokenize.punkt.PunktParameters` whose ``abbrev_types`` are the
  ``abbreviations`` option: no training data, nothing downloaded. A period after a listed
  abbreviation ("Brig. Gen.", "U.S.", "Washington, D.C.") or after a single capital initial
  followed by a capitalised word ("Antony J. Blinken") does not end a sentence.
* Closing quotation marks and brackets after the final ``.``/``?``/``!`` belong to the sentence
  they close (``...calm." Next`` splits after the ``"``; straight and curly quotes alike), so a
  sentence that is wholly quoted keeps both of its quotation marks, and a quote of several
  sentences ends with the one that carries its closing mark.
* A break is dropped when the next sentence would start with a lowercase letter
  (``"Are we done?" he asked.`` stays one sentence).

Token rules
-----------
Tokens are the matches of :data:`TOKEN_PATTERN` (NLTK's :class:`~nltk.tokenize.RegexpTokenizer`,
see :data:`WORD_TOKENIZER`), tried in this order:

* dotted abbreviations: "U.S.", "D.C.", "e.g.";
* numbers with separators or a percent sign: "1,000", "3.5", "10:30", "40%";
* an apostrophe-s after a word, as its own token: "Israel's" -> "Israel", "'s" (so also
  "it's" -> "it", "'s", as Treebank does);
* words, keeping inner hyphens and apostrophes: "de-escalate", "two-state", "won't",
  "O'Brien", "2021-05-12", "F-16" are one token each;
* any other non-space character is a token of its own (punctuation, symbols, emoji).

Chosen by measurement (BENCHMARKS.md, "Tokenizers (issue 2)"): computed in bulk, this pattern's
spans come about 6x faster than ``NLTKWordTokenizer().span_tokenize`` (10.6 against 1.7 MB/s) and
nearly 3x faster than ``RegexpTokenizer.span_tokenize`` itself, and unlike the Treebank tokenizers
it keeps "won't" whole instead of "wo" + "n't". The bulk offsets: no token holds a space, so a
text's tokens are those of its space-separated pieces; each distinct piece is tokenized once (one
``split`` of them all, joined by spaces, with the pattern in a capturing group returns tokens and
the gaps between them), and cumulative lengths give the same spans as
``WORD_TOKENIZER.span_tokenize`` without a Python tuple per token.

Normal form (``norm``)
----------------------
Computed once per distinct surface, in this order:

1. Unicode case folding (``str.casefold``), then NFC composition;
2. quote variants folded to ASCII: ’ ‘ ‛ ʼ ′ -> ``'`` and “ ” „ ‟ -> ``"`` (so the possessive
   "’s" becomes "'s");
3. in a token with a letter, hyphens (- ‐ ‑ ‒ − and the soft hyphen) are removed:
   "de-escalate" and "deescalate" -> "deescalate", "cease-fire" -> "ceasefire", "F-16" -> "f16";
   in other tokens ("2021-05-12") they become ASCII "-";
4. ``spelling_variants`` (variant, normal) pairs are applied to each hyphen-separated part and
   to the whole word: "adviser" -> "advisor", "self-defence" -> "selfdefense";
5. with ``stem=True``, the Porter stem (:class:`nltk.stem.PorterStemmer`) of the result.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from nltk import redos
from nltk.stem import PorterStemmer
from nltk.tokenize import RegexpTokenizer
from nltk.tokenize.punkt import (
    PunktLanguageVars,
    PunktParameters,
    PunktSentenceTokenizer,
    PunktToken,
)

from phrasedrift import schema
from phrasedrift.config import TokensConfig
from phrasedrift.errors import SchemaError

__all__ = ["TOKEN_PATTERN", "WORD_TOKENIZER", "normal_form", "tokenize"]

#: Characters joining the parts of one word, and folded or removed in the normal form.
APOSTROPHES = "'’ʼ′"
HYPHENS = "-‐‑‒−\u00ad"

# A word character that is not an apostrophe (U+02BC "ʼ" is a letter to Unicode).
_W = rf"[^\W{APOSTROPHES}]"
#: The token pattern, one alternative per token kind (tried in this order; see module docstring).
TOKEN_PATTERN = "|".join(
    (
        r"(?:[^\W\d_]\.){2,}",
        r"\d+(?:[.,:/]\d+)+%?|\d+%",
        rf"(?<=[\w.])[{APOSTROPHES}][sS]\b",
        rf"{_W}+(?:(?:[{re.escape(HYPHENS)}]|[{APOSTROPHES}](?![sS]\b)){_W}+)*",
        r"\S",
    )
)
#: Flags of :class:`~nltk.tokenize.RegexpTokenizer` (its defaults), used for the bulk split too.
TOKEN_FLAGS = re.UNICODE | re.MULTILINE | re.DOTALL
#: The NLTK tokenizer whose tokens :func:`tokenize` reports.
WORD_TOKENIZER = RegexpTokenizer(TOKEN_PATTERN, flags=TOKEN_FLAGS)
# The same pattern compiled the way RegexpTokenizer compiles it (nltk.redos, the `regex` engine),
# as one capturing group so that split() returns tokens and gaps. Our pattern is a fixed constant
# without nested quantifiers, so we drop redos' per-match wall-clock guard, which costs 2.5x here.
_TOKEN_SPLIT = redos.compile(f"({TOKEN_PATTERN})", TOKEN_FLAGS, timeout=None)

#: Line boundaries (those of ``str.splitlines``): a sentence never crosses one.
_LINE = re.compile("[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")

_QUOTE_FOLDS = str.maketrans({**dict.fromkeys("’‘‛ʼ′", "'"), **dict.fromkeys("“”„‟", '"')})
_HYPHEN = re.compile(f"[{re.escape(HYPHENS)}]")

_IntArray = npt.NDArray[np.int64]


def tokenize(
    documents: pd.DataFrame,
    *,
    abbreviations: Iterable[str] = TokensConfig.abbreviations,
    spelling_variants: Iterable[tuple[str, str]] = TokensConfig.spelling_variants,
    stem: bool = TokensConfig.stem,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split ``documents`` (``doc_id`` and clean ``text``) into ``(sentences, tokens)``.

    abbreviations: words after which a period does not end a sentence (any case, with or
        without the final period).
    spelling_variants: (variant, normal form) pairs folded in ``norm``.
    stem: make ``norm`` the Porter stem of the normal form.
    """
    doc_ids, texts = _doc_ids_and_texts(documents)
    doc_codes, doc_categories = pd.factorize(doc_ids, sort=True)
    splitter = _sentence_splitter(abbreviations)

    # One pass over the text for the sentences. Each document's sentences, joined by single
    # spaces, are cut at those spaces into pieces, and each distinct piece is stored once
    # (``pieces`` maps it to its code, numbered as first seen): see _piece_tokens.
    sents_per_doc, sent_starts, sent_ends, sent_texts = array("q"), array("q"), array("q"), []
    piece_codes = array("q")
    pieces: defaultdict[str, int] = defaultdict()
    pieces.default_factory = pieces.__len__
    for text in texts:
        spans = _sentence_spans(text, splitter)
        in_doc = [text[start:end] for start, end in spans]
        sents_per_doc.append(len(spans))
        sent_starts.extend(start for start, _ in spans)
        sent_ends.extend(end for _, end in spans)
        sent_texts += in_doc
        if in_doc:
            piece_codes.extend(map(pieces.__getitem__, " ".join(in_doc).split(" ")))

    n_sents = np.frombuffer(sents_per_doc, dtype=np.int64)
    sent_start = np.frombuffer(sent_starts, dtype=np.int64)
    sent_end = np.frombuffer(sent_ends, dtype=np.int64)
    sent_doc = np.repeat(np.arange(len(texts)), n_sents)
    sent_id = _ranks(n_sents)
    sentences = schema.coerce(
        pd.DataFrame(
            {
                "doc_id": pd.Categorical.from_codes(doc_codes[sent_doc], doc_categories),
                "sent_id": sent_id,
                "start": sent_start,
                "end": sent_end,
                "text": pd.array(sent_texts, dtype="string"),
            }
        ),
        "sentences",
    )
    del sent_texts

    # Each piece's tokens where the piece occurs: lay every sentence end to end, each followed by
    # one space (the joined texts, one after the other). A token's sentence is the last to
    # start at or before it, which places it in its document.
    distinct = list(pieces)
    del pieces
    counts, surfaces_in_pieces, start_in_piece, length_in_piece = _piece_tokens(distinct)
    piece_slot = np.fromiter(map(len, distinct), dtype=np.int64, count=len(distinct)) + 1
    del distinct
    occurrence = np.frombuffer(piece_codes, dtype=np.int64)
    n_toks = counts[occurrence]
    # each token's index among the tokens of the distinct pieces: its piece's first, plus its rank
    which = np.repeat((np.cumsum(counts) - counts)[occurrence], n_toks) + _ranks(n_toks)
    piece_start = np.cumsum(piece_slot[occurrence])
    piece_start -= piece_slot[occurrence]
    del occurrence, piece_codes
    tok_start = np.repeat(piece_start, n_toks)
    del piece_start, n_toks
    tok_start += start_in_piece[which]
    tok_end = tok_start + length_in_piece[which]
    # surfaces in lexical order, each token's as a code
    surface_codes, surfaces = pd.factorize(np.array(surfaces_in_pieces, dtype=object), sort=True)
    del surfaces_in_pieces
    codes = surface_codes[which]
    del which
    slot = sent_end - sent_start + 1
    slot_start = np.cumsum(slot) - slot
    tok_sent = np.searchsorted(slot_start, tok_start, side="right") - 1
    shift = (sent_start - slot_start)[tok_sent]
    tok_start += shift
    tok_end += shift
    del shift
    tok_doc = sent_doc[tok_sent]
    columns: dict[str, Any] = {
        "doc_id": pd.Categorical.from_codes(doc_codes[tok_doc], doc_categories),
        "sent_id": sent_id[tok_sent].astype(np.int32),
    }
    per_doc = np.bincount(tok_doc, minlength=len(texts))
    del tok_doc, tok_sent
    # 32-bit positions (a document would need 2**31 characters to overflow them) halve the
    # memory of the largest table: tens of millions of rows in a big corpus
    offset = np.int32 if len(tok_end) == 0 or tok_end.max() < 2**31 else np.int64
    columns["tok_id"] = _ranks(per_doc).astype(offset)
    columns["start"] = tok_start.astype(offset)
    del tok_start
    columns["end"] = tok_end.astype(offset)
    del tok_end

    # Norms computed once per surface, and both as categories in lexical order.
    norms = _normal_forms(surfaces, _variants(spelling_variants), stem)
    norm_of_surface, norm_categories = pd.factorize(np.array(norms, dtype=object), sort=True)
    columns["token"] = pd.Categorical.from_codes(codes, _string_index(surfaces))
    columns["norm"] = pd.Categorical.from_codes(
        norm_of_surface[codes], _string_index(norm_categories)
    )
    del codes
    tokens = pd.DataFrame(columns, copy=False)
    schema.check(sentences, "sentences", stage="tokens")
    schema.check(tokens, "tokens", stage="tokens")
    return sentences, tokens


def _piece_tokens(pieces: list[str]) -> tuple[_IntArray, list[str], _IntArray, _IntArray]:
    """The tokens of each piece of text, without a call per piece.

    Returns the number of tokens of each piece, and for each token (pieces in order) its surface,
    its start in its piece and its length. The pattern runs once, over the pieces joined by single
    spaces: it never matches a space, and a space looks to each of its lookarounds like the end
    of the text, so each piece gets the tokens that ``WORD_TOKENIZER`` would find in it alone.
    That is also why cutting a text at its spaces and joining the tokens of the pieces gives the
    tokens of the text.
    """
    parts = _TOKEN_SPLIT.split(" ".join(pieces))  # gap, token, gap, ..., token, gap
    parts.pop()
    gap_and_length = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    gap_length = gap_and_length.reshape(-1, 2)
    length = gap_length[:, 1].copy()
    start = np.cumsum(gap_length.sum(axis=1)) - length
    slot = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces)) + 1
    piece_start = np.cumsum(slot) - slot
    piece = np.searchsorted(piece_start, start, side="right") - 1
    counts = np.bincount(piece, minlength=len(pieces))
    return counts, parts[1::2], start - piece_start[piece], length


def normal_form(
    surface: str,
    *,
    spelling_variants: Iterable[tuple[str, str]] = TokensConfig.spelling_variants,
    stem: bool = TokensConfig.stem,
) -> str:
    """The ``norm`` of one token surface (rules in the module docstring)."""
    return _normal_forms([surface], _variants(spelling_variants), stem)[0]


def _normal_forms(surfaces: Iterable[str], variants: Mapping[str, str], stem: bool) -> list[str]:
    stemmer = PorterStemmer() if stem else None
    norms = []
    for surface in surfaces:
        norm = unicodedata.normalize("NFC", surface.casefold()).translate(_QUOTE_FOLDS)
        if any(char.isalpha() for char in norm):
            norm = "".join(variants.get(part, part) for part in _HYPHEN.split(norm))
            norm = variants.get(norm, norm)
        else:
            norm = _HYPHEN.sub("-", norm)
        norms.append(stemmer.stem(norm) if stemmer is not None else norm)
    return norms


def _variants(spelling_variants: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {variant.casefold(): normal.casefold() for variant, normal in spelling_variants}


def _doc_ids_and_texts(documents: pd.DataFrame) -> tuple[pd.Series, list[str]]:
    if not isinstance(documents, pd.DataFrame):
        raise SchemaError(
            f"tokens: expected a pandas DataFrame of documents, got {type(documents)!r}"
        )
    missing = [name for name in ("doc_id", "text") if name not in documents.columns]
    if missing:
        raise SchemaError(f"tokens: the documents table lacks column(s) {', '.join(missing)}")
    texts = []
    for doc_id, text in zip(documents["doc_id"], documents["text"], strict=True):
        if isinstance(text, str):
            texts.append(text)
        elif text is None or text is pd.NA or (isinstance(text, float) and np.isnan(text)):
            texts.append("")
        else:
            raise SchemaError(
                f"tokens: the text of document {doc_id!r} is a {type(text).__name__}, not a string"
            )
    return documents["doc_id"].astype("string"), texts


def _unlimited(pattern: Any) -> Any:
    """The same compiled pattern with no wall-clock limit (``nltk.redos`` checks the clock
    on every call, which costs several times the match itself on Punkt's short strings)."""
    return redos.compile(pattern, timeout=None)


class _PunktVariables(PunktLanguageVars):  # type: ignore[misc]
    """Punkt's English variables, with no wall-clock limit on their patterns.

    nltk.redos bounds the search for sentence ends (a lazy ``finditer`` over the whole line) to
    5 seconds in total, Punkt's own work between matches included, so a line of a few megabytes
    on a busy machine would fail with TimeoutError; and its per-call guard makes the short
    matches (word tokens of a context, closing marks after a break) several times slower. The
    patterns are NLTK's own constants, not user input.
    """

    re_boundary_realignment = _unlimited(PunktLanguageVars.re_boundary_realignment)

    def __init__(self) -> None:
        self._unlimited_period_context = _unlimited(super().period_context_re())
        self._unlimited_word_tokenizer = _unlimited(super()._word_tokenizer_re())

    def period_context_re(self) -> Any:
        return self._unlimited_period_context

    def _word_tokenizer_re(self) -> Any:
        return self._unlimited_word_tokenizer


class _PunktToken(PunktToken):  # type: ignore[misc]
    """Punkt's token, its patterns without a wall-clock limit (as in :class:`_PunktVariables`)."""

    __slots__ = ()
    _RE_ELLIPSIS = _unlimited(PunktToken._RE_ELLIPSIS)
    _RE_NUMERIC = _unlimited(PunktToken._RE_NUMERIC)
    _RE_INITIAL = _unlimited(PunktToken._RE_INITIAL)
    _RE_ALPHA = _unlimited(PunktToken._RE_ALPHA)


class _MemoPunkt(PunktSentenceTokenizer):  # type: ignore[misc]
    """Punkt whose decision at each candidate break is remembered by its context.

    Punkt decides whether a candidate ("said. The") ends a sentence from its context string
    alone (the word before, the mark, the next word) with fixed parameters, so the answer for
    a context seen before is reused instead of re-annotating its tokens: news text repeats
    most contexts (82% of 118k candidates in 3,000 synthetic documents), and this decision
    is most of the tokens stage's time. At most ``max_contexts`` are kept (then it starts
    over), so memory stays bounded on any corpus.
    """

    def __init__(
        self, params: PunktParameters, lang_vars: PunktLanguageVars, max_contexts: int = 1 << 18
    ) -> None:
        super().__init__(params, lang_vars=lang_vars, token_cls=_PunktToken)
        self._breaks: dict[str, bool] = {}
        self._max_contexts = max_contexts

    def text_contains_sentbreak(self, text: str) -> bool:
        found = self._breaks.get(text)
        if found is None:
            if len(self._breaks) >= self._max_contexts:
                self._breaks.clear()
            found = self._breaks[text] = bool(super().text_contains_sentbreak(text))
        return found


def _sentence_splitter(abbreviations: Iterable[str]) -> _MemoPunkt:
    """The splitter for ``abbreviations``, kept for later calls in this process: a worker
    tokenizes several parts of a corpus, and its memo of decisions serves them all."""
    return _splitter_for(frozenset(word.lower().rstrip(".") for word in abbreviations))


@functools.lru_cache(maxsize=4)
def _splitter_for(abbrev_types: frozenset[str]) -> _MemoPunkt:
    params = PunktParameters()
    params.abbrev_types = set(abbrev_types)
    return _MemoPunkt(params, lang_vars=_PunktVariables())


#: The first characters of Punkt's realignment pattern (closing quotes and brackets): it can only
#: match where one of these starts the next sentence.
_CLOSERS = frozenset("\"')]}\u2018\u2019\u201c\u201d\xab\xbb")


def _sentence_spans(text: str, splitter: _MemoPunkt) -> list[tuple[int, int]]:
    """The sentence spans of ``text``: each line's ``splitter.span_tokenize`` spans, stripped,
    a span starting lowercase joined to the one before in its line (module docstring).

    Punkt's own ``span_tokenize`` runs five nested generators per line and a regex match per
    break; this is the same computation in one loop, with the same patterns and decisions, and
    gives exactly the same spans (tests compare them with Punkt's on random and real text):

    * candidates: Punkt's ``period_context_re`` (a mark, then punctuation or spaces and the next
      token, in a lookahead), read with one ``split`` of the line (gap, ``after_tok``,
      ``next_tok``, gap, ...); a mark is one character, so positions follow from the lengths;
    * ``_match_potential_end_contexts``: a candidate's word starts after the last ASCII space or
      tab (no other ``string.whitespace`` is inside a line) since the previous candidate, past
      the line's first character, else where the previous candidate's word starts; a candidate
      is dropped when the next one's word starts before its mark; its context is the text from
      its word to the end of the lookahead (the mark and ``after_tok`` follow it in the text);
    * ``_slices_from_text``: ``text_contains_sentbreak`` of the context (memoised) decides; a
      break ends a slice after the mark and starts the next at ``next_tok`` (or after the mark);
    * ``_realign_boundaries``: the realignment pattern is tried only at a slice starting with
      one of :data:`_CLOSERS` (it cannot match elsewhere); empty slices, which Punkt drops,
      are dropped here with the blank ones.
    """
    lang = splitter._lang_vars
    split = lang.period_context_re()._rx.split
    realign_match = lang.re_boundary_realignment._rx.match
    breaks = splitter._breaks
    decide = splitter.text_contains_sentbreak
    spans: list[tuple[int, int]] = []
    for line_match in _LINE.finditer(text):
        offset = line_match.start()
        line = line_match.group()
        parts = split(line)
        slices = []
        if len(parts) > 1:
            tabs = "\t" in line
            rfind = line.rfind
            last_break = 0
            at = len(parts[0])  # the first candidate's mark
            # the pending candidate (Punkt yields one when it sees the next): its mark, the
            # start of its word, the end of its context, where a sentence after it starts
            prev_at = -1
            prev_word = prev_end = prev_next = 0
            since = 1  # where to look for a space: after the previous mark, or the first character
            for after, next_tok, gap in zip(parts[1::3], parts[2::3], parts[3::3], strict=True):
                space = rfind(" ", since, at)
                if tabs:
                    space = max(space, rfind("\t", since, at))
                word = space + 1 if space > 0 else prev_word
                if prev_at >= 0 and prev_at <= word:
                    context = line[prev_word:prev_end]
                    found = breaks.get(context)
                    if found is None:
                        found = decide(context)
                    if found:
                        slices.append((last_break, prev_at + 1))
                        last_break = prev_next
                end = at + 1 + len(after)
                prev_at, prev_word, prev_end = at, word, end
                prev_next = end - len(next_tok) if next_tok else at + 1
                since = at + 1
                at = since + len(gap)
            context = line[prev_word:prev_end]
            found = breaks.get(context)
            if found is None:
                found = decide(context)
            if found:
                slices.append((last_break, prev_at + 1))
                last_break = prev_next
            slices.append((last_break, len(line.rstrip())))
        else:
            slices.append((0, len(line.rstrip())))
        first = len(spans)
        realign = 0
        last = len(slices) - 1
        for j, (start, end) in enumerate(slices):
            start += realign
            realign = 0
            if j < last:
                next_start, next_end = slices[j + 1]
                if next_start < next_end and line[next_start] in _CLOSERS:
                    closing = realign_match(line[next_start:next_end])
                    if closing:
                        end = next_start + len(closing.group().rstrip())
                        realign = closing.end()
            chunk = line[start:end]
            stripped = chunk.strip()
            if not stripped:
                continue
            start = offset + start + len(chunk) - len(chunk.lstrip())
            end = start + len(stripped)
            if len(spans) > first and stripped[0].islower():
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    return spans


def _ranks(counts: _IntArray) -> _IntArray:
    """The rank of each item within its group, for groups of ``counts`` items laid end to end."""
    total = int(counts.sum())
    return np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)


def _string_index(values: npt.NDArray[Any]) -> pd.Index:
    index: pd.Index = pd.Index(values, dtype="string")
    return index
