"""Clean documents: unicode repair, boilerplate removal, near-duplicate detection.

:func:`clean_documents` takes the ``documents`` table (raw text) and returns a :class:`Cleaned`:

``documents``   the same rows with ``text`` replaced by the clean text, ``n_removed`` (lines or
                line parts removed) and ``duplicate_of`` (the earliest document of its
                near-duplicate group, missing for the others) filled in;
``removed``     every removed piece: ``doc_id``, ``line`` (1-based, in the text after unicode
                repair), ``text``, ``rule`` (the boilerplate rule, ``byline``, ``photo caption``,
                ``trailing headlines`` or ``date line``);
``duplicates``  ``doc_id``, ``duplicate_of``, ``similarity`` (Jaccard of word shingles).

Unicode repair: mojibake and HTML entities are fixed with ftfy where a quick scan finds them;
curly quotes and apostrophes become ASCII, hyphen variants ``-``, figure dashes and horizontal
bars an em dash, non-breaking and other special spaces a plain space; zero-width characters and
soft hyphens are dropped; runs of spaces collapse; lines are stripped.

Boilerplate: a line (of at most ``max_boilerplate_words`` words) that one of the ``boilerplate``
rules matches in full is removed; so is a lone name in the first ``max_byline_line`` lines
(a byline), a line repeated as the start of a removed photo credit (its caption), and, after
the last boilerplate line of a document, a trailing list of short lines at least
``min_tail_headlines`` of which read like headlines (no final punctuation). A ``date 2021-05-12``
prefix opening the text is removed too (it is metadata, already read by the corpus stage).

Near duplicates: MinHash signatures of hashed word shingles, LSH banding for candidates, and the
exact Jaccard similarity to confirm them, so the cost grows with the number of documents, not
their pairs. Nothing is deleted: duplicates stay in the corpus, marked.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse

from phrasedrift import schema
from phrasedrift.config import CleanConfig
from phrasedrift.corpus import DATE_LINE

_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′ʼ`´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒−", "-"),
        **dict.fromkeys("―", "—"),
        **dict.fromkeys("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
                        "\u200a\u202f\u205f\u3000\t\f\v", " "),
        **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", None),
        "\r": None,
        "\u2028": "\n",
        "\u2029": "\n",
    }
)  # fmt: skip
#: What ``_TRANSLATE`` makes of each character it changes ("" for the dropped ones), and a pattern
#: that finds them: replacing the few a text holds costs a fraction of ``str.translate``, which
#: looks every character up in the table once a text is not pure ASCII.
_REPLACEMENTS = {chr(code): replacement or "" for code, replacement in _TRANSLATE.items()}
_TRANSLATED = re.compile(f"[{re.escape(''.join(_REPLACEMENTS))}]")
#: UTF-8 read as Latin-1/cp1252 ("â€™", "Ã¡") or HTML entities: worth ftfy's slower repair.
_NEEDS_FTFY = re.compile(
    r"[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    r"\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
    r"|&(?:[a-zA-Z]{2,8}|#\d{2,5}|#x[0-9a-fA-F]{2,4});"
)
_SPACES = re.compile(r" {2,}")
_BYLINE = re.compile(r"(?:[Bb]y\s+)?[A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]*){1,3}")
_SENTENCE_END = re.compile(r"[.!?:;\"')\]]$")


@dataclass(frozen=True)
class Cleaned:
    """The output of :func:`clean_documents` (columns in the module docstring)."""

    documents: pd.DataFrame
    removed: pd.DataFrame
    duplicates: pd.DataFrame


def repair_text(text: str) -> str:
    """Unicode repair of one text (see the module docstring); line count is kept."""
    if (not text.isascii() or "&" in text) and _NEEDS_FTFY.search(text):
        import ftfy  # deferred: only texts with mojibake or entities need it

        text = ftfy.fix_text(text, uncurl_quotes=False, fix_line_breaks=False)
    text = _TRANSLATED.sub(_replacement, text)  # text.translate(_TRANSLATE), faster
    if "  " in text:
        text = _SPACES.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


def _replacement(match: re.Match[str]) -> str:
    return _REPLACEMENTS[match.group()]


@lru_cache(maxsize=8)
def _compiled(rules: tuple[tuple[str, str], ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((name, re.compile(pattern, re.IGNORECASE)) for name, pattern in rules)


def _rule_for(
    line: str, rules: Sequence[tuple[str, re.Pattern[str]]], max_words: int
) -> str | None:
    if len(line.split(maxsplit=max_words)) > max_words:  # more than max_words words
        return None
    for name, pattern in rules:
        if pattern.fullmatch(line):
            return name
    return None


def clean_text(
    text: str,
    *,
    fix_unicode: bool = CleanConfig.fix_unicode,
    boilerplate: tuple[tuple[str, str], ...] = CleanConfig.boilerplate,
    max_boilerplate_words: int = CleanConfig.max_boilerplate_words,
    max_tail_words: int = CleanConfig.max_tail_words,
    min_tail_headlines: int = CleanConfig.min_tail_headlines,
    max_byline_line: int = CleanConfig.max_byline_line,
) -> tuple[str, list[tuple[int, str, str]]]:
    """Clean one text; return the clean text and the removed pieces as (line, text, rule)."""
    if fix_unicode:
        text = repair_text(text)
    lines = text.split("\n")
    rules = _compiled(tuple(boilerplate))
    pieces: list[tuple[int, str, str]] = []
    date_line = DATE_LINE.match(lines[0])
    if date_line is not None:
        pieces.append((1, date_line.group(0).strip(), "date line"))
        lines[0] = lines[0][date_line.end() :].strip()

    removed: dict[int, tuple[str, str]] = {}

    content = [i for i, line in enumerate(lines) if line]
    for i in content:
        rule = _rule_for(lines[i], rules, max_boilerplate_words)
        if rule is not None:
            removed[i] = (lines[i], rule)
        elif i < max_byline_line and _BYLINE.fullmatch(lines[i]):
            removed[i] = (lines[i], "byline")

    credits = [text for text, rule in removed.values() if rule == "photo credit"]
    for i in content:
        if i not in removed and any(c.startswith(lines[i]) and c != lines[i] for c in credits):
            removed[i] = (lines[i], "photo caption")

    if removed:
        tail = [i for i in content if i > max(removed) and i not in removed]
        short = all(len(lines[i].split()) <= max_tail_words for i in tail)
        headlines = sum(1 for i in tail if not _SENTENCE_END.search(lines[i]))
        if tail and short and headlines >= min_tail_headlines:
            for i in tail:
                removed[i] = (lines[i], "trailing headlines")

    clean = "\n".join(line for i, line in enumerate(lines) if i not in removed)
    if "\n\n\n" in clean:
        clean = re.sub(r"\n{3,}", "\n\n", clean)
    clean = clean.strip()
    pieces += [(i + 1, text, rule) for i, (text, rule) in removed.items()]
    return clean, sorted(pieces)


def clean_documents(
    documents: pd.DataFrame,
    *,
    fix_unicode: bool = CleanConfig.fix_unicode,
    boilerplate: tuple[tuple[str, str], ...] = CleanConfig.boilerplate,
    max_boilerplate_words: int = CleanConfig.max_boilerplate_words,
    max_tail_words: int = CleanConfig.max_tail_words,
    min_tail_headlines: int = CleanConfig.min_tail_headlines,
    max_byline_line: int = CleanConfig.max_byline_line,
    duplicate_threshold: float = CleanConfig.duplicate_threshold,
    shingle_size: int = CleanConfig.shingle_size,
    minhash_permutations: int = CleanConfig.minhash_permutations,
    lsh_bands: int = CleanConfig.lsh_bands,
) -> Cleaned:
    """Clean every document's text and mark near-duplicates; the input is not changed.

    The same as :func:`mark_duplicates` applied to :func:`clean_texts`, which works document
    by document and so can run on parts of a corpus in parallel.
    """
    cleaned = clean_texts(
        documents,
        fix_unicode=fix_unicode,
        boilerplate=boilerplate,
        max_boilerplate_words=max_boilerplate_words,
        max_tail_words=max_tail_words,
        min_tail_headlines=min_tail_headlines,
        max_byline_line=max_byline_line,
    )
    return mark_duplicates(
        cleaned,
        duplicate_threshold=duplicate_threshold,
        shingle_size=shingle_size,
        minhash_permutations=minhash_permutations,
        lsh_bands=lsh_bands,
    )


def clean_texts(
    documents: pd.DataFrame,
    *,
    fix_unicode: bool = CleanConfig.fix_unicode,
    boilerplate: tuple[tuple[str, str], ...] = CleanConfig.boilerplate,
    max_boilerplate_words: int = CleanConfig.max_boilerplate_words,
    max_tail_words: int = CleanConfig.max_tail_words,
    min_tail_headlines: int = CleanConfig.min_tail_headlines,
    max_byline_line: int = CleanConfig.max_byline_line,
) -> Cleaned:
    """Unicode repair and boilerplate removal of each document (duplicates not yet marked)."""
    schema.check(documents, "documents", stage="clean")
    texts, removed_rows, n_removed = [], [], []
    for doc_id, text in zip(documents["doc_id"], documents["text"], strict=True):
        clean, removed = clean_text(
            text,
            fix_unicode=fix_unicode,
            boilerplate=boilerplate,
            max_boilerplate_words=max_boilerplate_words,
            max_tail_words=max_tail_words,
            min_tail_headlines=min_tail_headlines,
            max_byline_line=max_byline_line,
        )
        texts.append(clean)
        n_removed.append(len(removed))
        removed_rows += [(doc_id, line, piece, rule) for line, piece, rule in removed]
    out = documents.copy()
    out["text"] = pd.array(texts, dtype="string")
    out["n_removed"] = np.asarray(n_removed, dtype="int64")
    removed_frame = pd.DataFrame(removed_rows, columns=list(schema.TABLES["removed"]))
    return Cleaned(
        documents=schema.coerce(out, "documents"),
        removed=schema.coerce(removed_frame, "removed"),
        duplicates=schema.empty("duplicates"),
    )


def mark_duplicates(
    cleaned: Cleaned,
    *,
    duplicate_threshold: float = CleanConfig.duplicate_threshold,
    shingle_size: int = CleanConfig.shingle_size,
    minhash_permutations: int = CleanConfig.minhash_permutations,
    lsh_bands: int = CleanConfig.lsh_bands,
    sketch: Sketch | None = None,
) -> Cleaned:
    """Find the near-duplicates among cleaned documents and fill ``duplicate_of``.

    ``sketch``: the documents' :func:`sketch_texts`, when already computed (in parts, in
    parallel); it must have been made with the same ``shingle_size`` and
    ``minhash_permutations``.
    """
    out = cleaned.documents.copy()
    duplicates = find_near_duplicates(
        out,
        threshold=duplicate_threshold,
        shingle_size=shingle_size,
        permutations=minhash_permutations,
        bands=lsh_bands,
        sketch=sketch,
    )
    out["duplicate_of"] = (
        out["doc_id"]
        .map(dict(zip(duplicates["doc_id"], duplicates["duplicate_of"], strict=True)))
        .astype("string")
    )
    return Cleaned(
        documents=schema.coerce(out, "documents"), removed=cleaned.removed, duplicates=duplicates
    )


# --- near duplicates -------------------------------------------------------------------------


def find_near_duplicates(
    documents: pd.DataFrame,
    *,
    threshold: float = CleanConfig.duplicate_threshold,
    shingle_size: int = CleanConfig.shingle_size,
    permutations: int = CleanConfig.minhash_permutations,
    bands: int = CleanConfig.lsh_bands,
    sketch: Sketch | None = None,
) -> pd.DataFrame:
    """Pairs of near-duplicate documents (the ``duplicates`` table).

    Each group of documents linked by Jaccard similarity >= ``threshold`` is represented by its
    earliest member (by date, then doc_id); every other member is listed with its similarity to
    that representative. ``sketch`` as in :func:`mark_duplicates`.
    """
    if permutations % bands:
        raise ValueError(f"minhash_permutations ({permutations}) must be a multiple of lsh_bands")
    if sketch is None:
        sketch = sketch_texts(
            documents["text"].tolist(), shingle_size=shingle_size, permutations=permutations
        )
    elif sketch.signatures.shape != (len(documents), permutations):
        raise ValueError(
            f"the sketch has {sketch.signatures.shape[0]} signatures of "
            f"{sketch.signatures.shape[1]} values for {len(documents)} documents and "
            f"{permutations} permutations"
        )
    shingles = sketch.shingles
    candidates = _lsh_candidates(sketch.signatures, bands)
    if len(candidates) == 0:
        return schema.empty("duplicates")
    similar = candidates[_jaccard(shingles, candidates[:, 0], candidates[:, 1]) >= threshold]
    groups = _components(len(documents), similar)
    order = (
        documents.assign(_pos=np.arange(len(documents)))
        .sort_values(["date", "doc_id"], na_position="last")["_pos"]
        .to_numpy()
    )
    rank = np.empty(len(documents), dtype=np.int64)
    rank[order] = np.arange(len(documents))
    members, representatives = [], []
    for group in groups:
        representative = min(group, key=lambda m: rank[m])
        members += [m for m in group if m != representative]
        representatives += [representative] * (len(group) - 1)
    member_index = np.array(members, dtype=np.int64)
    representative_index = np.array(representatives, dtype=np.int64)
    ids = documents["doc_id"].to_numpy()
    frame = pd.DataFrame(
        {
            "doc_id": ids[member_index],
            "duplicate_of": ids[representative_index],
            "similarity": _jaccard(shingles, member_index, representative_index),
        }
    )
    return schema.coerce(frame.sort_values("doc_id").reset_index(drop=True), "duplicates")


@dataclass(frozen=True)
class Sketch:
    """What near-duplicate detection needs of each document: its hashed word shingles (a
    documents x 2**30 binary sparse matrix) and their MinHash signature (documents x
    permutations). Made per document, so parts of a corpus can be sketched in parallel and
    joined with :meth:`concat`."""

    shingles: sparse.csr_matrix
    signatures: np.ndarray

    @staticmethod
    def concat(parts: Sequence[Sketch]) -> Sketch:
        """The sketches of consecutive parts as one, in order."""
        if len(parts) == 1:
            return parts[0]
        return Sketch(
            shingles=sparse.vstack([p.shingles for p in parts], format="csr"),
            signatures=np.concatenate([p.signatures for p in parts]),
        )


def sketch_texts(
    texts: Sequence[str],
    *,
    shingle_size: int = CleanConfig.shingle_size,
    permutations: int = CleanConfig.minhash_permutations,
) -> Sketch:
    """The :class:`Sketch` of each text (word shingles hashed the same way in any process)."""
    shingles = _shingle_matrix(list(texts), shingle_size)
    return Sketch(shingles=shingles, signatures=_minhash(shingles, permutations))


#: The words of shingles: those of scikit-learn's default ``token_pattern``, ``\b\w+\b`` (each
#: run of word characters is bounded by non-word ones, so ``\w+`` finds the same, faster).
_SHINGLE_WORD = re.compile(r"\w+")


def _shingles(text: str, size: int) -> Iterable[str]:
    """The word shingles of ``text``: each run of ``size`` of its lowercase words, joined by
    spaces; what ``HashingVectorizer(analyzer="word", ngram_range=(size, size))`` makes,
    without its Python loop over positions."""
    words = _SHINGLE_WORD.findall(text.lower())
    if size < 1:  # scikit-learn's slices, empty or wrapping around: kept as they were
        return [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]
    return map(" ".join, zip(*(words[i:] for i in range(size)), strict=False))


#: Bytes of a UTF-8 text as the shingle words see them: ASCII word characters lowercased, every
#: other ASCII character a space; bytes of other characters (128 and up) kept as they are.
_WORD_BYTES = bytes(
    code if code >= 128 else ord(chr(code).lower()) if _SHINGLE_WORD.match(chr(code)) else 32
    for code in range(256)
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _shingle_matrix(texts: list[str], size: int, *, chunk: int = 1000) -> sparse.csr_matrix:
    """The hashed shingles of each text, as ``HashingVectorizer(analyzer="word", binary=True,
    alternate_sign=False, n_features=2**30)`` makes them: the column of a shingle is
    ``abs(murmurhash3_32(shingle.encode()))`` modulo 2**30, as scikit-learn's hasher computes it
    (:func:`_shingle_columns`), for ``chunk`` texts at a time without a Python string per
    shingle; rows sorted, each column once, values 1."""
    from sklearn.feature_extraction import FeatureHasher

    if not texts:  # (the hasher cannot transform nothing)
        return sparse.csr_matrix((0, 1 << 30), dtype=np.float32)
    if size >= 1:
        parts = [
            _shingle_columns(texts[low : low + chunk], size) for low in range(0, len(texts), chunk)
        ]
        rows = np.concatenate([np.zeros(1, np.int64), *(part[0] for part in parts)])
        ids = np.concatenate([np.zeros(0, np.int32), *(part[1] for part in parts)])
        indptr = np.cumsum(rows)
        # the index dtypes scikit-learn's hasher gives: 32-bit unless there are 2**31 shingles
        if indptr[-1] <= np.iinfo(np.int32).max:
            indptr = indptr.astype(np.int32)
        else:
            ids = ids.astype(np.int64)
        return sparse.csr_matrix(
            (np.ones(len(ids), np.float32), ids, indptr), shape=(len(texts), 1 << 30)
        )
    hasher = FeatureHasher(
        n_features=1 << 30, input_type="pair", alternate_sign=False, dtype=np.float32
    )
    matrix = hasher.transform(zip(_shingles(t, size), itertools.repeat(1)) for t in texts).tocsr()
    matrix.data.fill(1)
    matrix.sort_indices()
    return matrix


def _shingle_columns(texts: list[str], size: int) -> tuple[np.ndarray, np.ndarray]:
    """For ``size >= 1``: how many distinct shingle columns each text has, and the columns, text
    by text in ascending order.

    Each text's words (:data:`_SHINGLE_WORD` of the lowercase text) are joined by single spaces
    and encoded, all texts one after the other: a shingle is then the bytes from the start of
    its first word to the end of its last, what ``" ".join(words[i : i + size]).encode()``
    would make. The words come from ``bytes.translate`` and ``split`` instead of a regex: a
    word character is one that ``str.isalnum`` accepts or ``_`` (so the few non-ASCII ones
    that are not become spaces first, lone surrogates among them, so encoding cannot fail
    where scikit-learn's encoding of the shingles would not). Texts of fewer than ``size``
    words have no shingles.
    """
    joined, counts = [], []
    for text in texts:
        if not text.isascii():
            text = text.lower()
            for char in set(_NON_ASCII.findall(text)):
                if not char.isalnum():
                    text = text.replace(char, " ")
        words = text.encode("utf-8").translate(_WORD_BYTES).split()
        if len(words) >= size:
            joined.append(b" ".join(words))
            counts.append(len(words))
        else:
            counts.append(0)
    data = b" ".join(joined)
    spaces = np.flatnonzero(np.frombuffer(data, np.uint8) == ord(" "))
    word_start = np.concatenate([np.zeros(1, np.int64), spaces + 1])
    word_end = np.concatenate([spaces, np.array([len(data)], np.int64)])
    words_in = np.array(counts, np.int64)
    shingles_in = np.maximum(words_in - size + 1, 0)
    total = int(shingles_in.sum())
    # each shingle's first word: its text's first word plus its rank in the text
    first = np.repeat(np.cumsum(words_in) - words_in, shingles_in) + (
        np.arange(total) - np.repeat(np.cumsum(shingles_in) - shingles_in, shingles_in)
    )
    start = word_start[first]
    hashes = _murmurhash3_32(data, start, word_end[first + size - 1] - start).astype(np.int64)
    # scikit-learn's column: abs(h) % n_features, and (2**31 - 1 - (n - 1)) % n for h = -2**31,
    # which with n = 2**30 is 0, as abs(-2**31) % 2**30 is
    key = np.repeat(np.arange(len(texts), dtype=np.int64) << 30, shingles_in)
    key |= np.abs(hashes) % (1 << 30)
    key.sort()
    key = key[np.diff(key, prepend=-1) != 0]  # each column of a text once
    per_text = np.bincount(key >> 30, minlength=len(texts))
    return per_text, (key & ((1 << 30) - 1)).astype(np.int32)


def _murmurhash3_32(data: bytes, start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """MurmurHash3_x86_32 with seed 0 of each ``data[start : start + length]``, as signed 32-bit
    integers: scikit-learn's ``murmurhash3_32(bytes, seed=0)``, for all of them at once.

    The 4-byte blocks are read little-endian from a view of ``data`` at every byte offset; the
    ranges are taken longest first, so the ones that still have a block ``k`` are a prefix.
    """
    padded = data + bytes(4)
    blocks = np.ndarray(shape=(len(padded) - 3,), dtype="<u4", buffer=padded, strides=(1,))
    n_blocks = length >> 2
    order = np.argsort(-n_blocks, kind="stable")
    at = start[order]
    sorted_blocks = n_blocks[order]
    longest = int(sorted_blocks[0]) if len(order) else 0
    with_block = np.searchsorted(-sorted_blocks, -np.arange(longest), side="left")
    h = np.zeros(len(order), np.uint32)
    for k, n in enumerate(with_block.tolist()):
        k1 = blocks[at[:n] + 4 * k]
        k1 *= np.uint32(0xCC9E2D51)
        k1 = (k1 << np.uint32(15)) | (k1 >> np.uint32(17))
        k1 *= np.uint32(0x1B873593)
        running = h[:n]
        running ^= k1
        running[:] = (running << np.uint32(13)) | (running >> np.uint32(19))
        running *= np.uint32(5)
        running += np.uint32(0xE6546B64)
    # the last length % 4 bytes (a tail of none mixes in 0, which changes nothing)
    lengths = length[order]
    tail_bits = ((lengths & 3) * 8).astype(np.uint64)
    tail = blocks[at + 4 * sorted_blocks].astype(np.uint64)
    k1 = (tail & ((np.uint64(1) << tail_bits) - np.uint64(1))).astype(np.uint32)
    k1 *= np.uint32(0xCC9E2D51)
    k1 = (k1 << np.uint32(15)) | (k1 >> np.uint32(17))
    k1 *= np.uint32(0x1B873593)
    h ^= k1
    h ^= lengths.astype(np.uint32)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    out = np.empty_like(h)
    out[order] = h
    return out.view(np.int32)


def _minhash(shingles: sparse.csr_matrix, permutations: int, *, block: int = 1 << 12) -> np.ndarray:
    """MinHash signatures (documents x permutations); rows of empty documents are all max.

    Each permutation is the splitmix64 finalizer applied to the shingle id xor a random
    seed: a bijection on 64-bit integers that mixes every input bit into every output bit,
    so the minimum falls on a different shingle for each seed. (A linear ``a*x + b`` that
    never wraps keeps the order of the ids and gives every permutation the same minimum.)

    The shingle ids are taken ``block`` at a time, all permutations at once: a block's
    (permutations x ids) arrays stay in the processor's cache, which makes this two to three
    times faster than one pass over all ids per permutation. A document's minimum is the least
    of its minima in the blocks it spans.
    """
    seeds = np.random.default_rng(0x5EED).integers(
        0, np.iinfo(np.uint64).max, size=permutations, dtype=np.uint64, endpoint=True
    )
    ids = shingles.indices.astype(np.uint64)
    signatures = np.full((shingles.shape[0], permutations), np.iinfo(np.uint64).max, np.uint64)
    rows = np.flatnonzero(np.diff(shingles.indptr) > 0)
    starts = shingles.indptr[rows]  # the ids of these documents tile 0..len(ids)
    for low in range(0, ids.size, block):
        high = min(low + block, ids.size)
        # the documents with ids in low..high, and where each begins in the block
        first, stop = np.searchsorted(starts, [low, high - 1], side="right")
        run = rows[first - 1 : stop]
        offsets = np.maximum(starts[first - 1 : stop], low) - low
        mixed = _mix(ids[low:high] ^ seeds[:, np.newaxis])
        minima = np.minimum.reduceat(mixed, offsets, axis=1).T
        signatures[run] = np.minimum(signatures[run], minima)
    return signatures


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer (uint64 arithmetic wraps, as the algorithm intends)."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    mixed: np.ndarray = x ^ (x >> np.uint64(31))
    return mixed


def _lsh_candidates(signatures: np.ndarray, bands: int) -> np.ndarray:
    """Pairs (i < j) of documents whose signatures agree on at least one whole band, sorted."""
    nonempty = np.flatnonzero(signatures[:, 0] != np.iinfo(np.uint64).max)
    rows = signatures.shape[1] // bands
    codes = [np.empty(0, dtype=np.int64)]  # pair (i, j) as i * n + j
    for band in range(bands if len(nonempty) > 1 else 0):
        block = signatures[nonempty, band * rows : (band + 1) * rows]
        order = np.lexsort(block.T[::-1])  # stable: equal bands in document order
        ordered = block[order]
        starts = np.flatnonzero(np.r_[True, (ordered[1:] != ordered[:-1]).any(axis=1)])
        left, right = _pairs_within(starts, len(order))
        codes.append(nonempty[order[left]] * len(signatures) + nonempty[order[right]])
    pairs = np.unique(np.concatenate(codes))
    return np.stack([pairs // len(signatures), pairs % len(signatures)], axis=1)


def _pairs_within(starts: np.ndarray, total: int) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of positions (a < b) in the same group, for groups of consecutive positions
    0..total beginning at ``starts``: (all a, all b), grouped by a, b ascending."""
    sizes = np.diff(np.r_[starts, total])
    later = np.repeat(starts + sizes, sizes) - np.arange(total) - 1  # partners after each a
    left = np.repeat(np.arange(total), later)
    right = left + 1 + np.arange(len(left)) - np.repeat(np.cumsum(later) - later, later)
    return left, right


def _jaccard(shingles: sparse.csr_matrix, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    if len(left) == 0:
        return np.empty(0)
    a, b = shingles[left], shingles[right]
    inter = np.asarray(a.multiply(b).sum(axis=1)).ravel()
    union = np.asarray(a.sum(axis=1)).ravel() + np.asarray(b.sum(axis=1)).ravel() - inter
    similarity: np.ndarray = np.divide(
        inter, union, out=np.zeros_like(inter, dtype=float), where=union > 0
    )
    return similarity


def _components(n: int, pairs: np.ndarray) -> list[list[int]]:
    """Connected groups (of two or more) of the graph whose edges are ``pairs``."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in pairs:
        parent[find(int(i))] = find(int(j))
    groups: dict[int, list[int]] = {}
    for x in range(n):
        groups.setdefault(find(x), []).append(x)
    return [members for members in groups.values() if len(members) > 1]
