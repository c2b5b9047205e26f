"""Cleaning: unicode repair, boilerplate removal, near duplicates."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phrasedrift import schema
from phrasedrift.clean import Cleaned, clean_documents, clean_text, repair_text
from phrasedrift.corpus import load_corpus

QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " "})


def fold(text: str) -> str:
    """Quotes folded, spaces collapsed: 'up to quote normalisation'."""
    return re.sub(r"\s+", " ", text.translate(QUOTES)).strip()


@pytest.fixture(scope="module")
def cleaned(sample_path: Path) -> Cleaned:
    return clean_documents(load_corpus(sample_path).documents)


def removed_lines(cleaned: Cleaned, doc_id: str) -> set[str]:
    return set(cleaned.removed.loc[cleaned.removed["doc_id"] == doc_id, "text"])


def test_schemas(cleaned: Cleaned) -> None:
    schema.check(cleaned.documents, "documents", stage="test")
    schema.check(cleaned.removed, "removed", stage="test")
    schema.check(cleaned.duplicates, "duplicates", stage="test")


def test_seed_000_boilerplate_removed_and_listed(cleaned: Cleaned) -> None:
    expected = {
        "Advertisement",
        "For the latest headlines, follow our Google News channel online or via the app.",
        "Read more: Young Gaza man mourns fiancee killed in Israeli strikes",
    }
    assert expected <= removed_lines(cleaned, "000_d7d61aeda3016b93")
    text = cleaned.documents.set_index("doc_id").loc["000_d7d61aeda3016b93", "text"]
    for line in expected:
        assert line not in text
    assert text.rstrip().endswith("stay in touch in the coming days and weeks.")


def test_seed_002_boilerplate_removed_and_listed(cleaned: Cleaned) -> None:
    assert removed_lines(cleaned, "002_55488569d2b2b954") == {
        "Follow Israel Hayom on Facebook and Twitter",
        "Subscribe to Israel Hayom's daily newsletter and never miss our top stories!",
    }


def test_seed_003_boilerplate_and_trailing_headlines_removed(cleaned: Cleaned) -> None:
    removed = removed_lines(cleaned, "003_ea2461e2e1cff537")
    for line in (
        "U.S. National Security Advisor Jake Sullivan, two months ago.Credit: POOL/ REUTERS",
        "Jerusalem, united in violence, marks bloody anniversary today. LISTEN",
        "Click the alert icon to follow topics:",
        "Automatic approval of subscriber comments.",
        "Subscribe today and save 40%",
        "Already signed up? LOG IN",
        "Mohammed 'Moha' Alshawamreh.",
        "Yair Lapid's Journey: From Late-night Host to Israel's Prime Minister",
        "Roe v. Wade: The Supreme Court Leaves a Barely United States",
    ):
        assert line in removed
    text = cleaned.documents.set_index("doc_id").loc["003_ea2461e2e1cff537", "text"]
    assert text.rstrip().endswith('helpful in de-escalating tensions."')
    assert "U.S. delays UN Security Council statement" in text  # a real subheading stays
    rules = set(cleaned.removed["rule"])
    assert {"trailing headlines", "photo credit", "subscription"} <= rules


def test_documents_without_boilerplate_are_untouched(cleaned: Cleaned) -> None:
    assert removed_lines(cleaned, "001_29f7d6e07ed034f7") == set()
    n_removed = cleaned.documents.set_index("doc_id")["n_removed"]
    assert n_removed["001_29f7d6e07ed034f7"] == 0
    counts = cleaned.removed.groupby("doc_id").size()
    assert (n_removed[counts.index] == counts).all()


def test_date_line_prefix_removed_but_its_line_kept(cleaned: Cleaned) -> None:
    text = cleaned.documents.set_index("doc_id").loc["004_8e03b75251222fb2", "text"]
    assert text.startswith("US Secretary of State Antony Blinken spoke on Tuesday")
    assert "date 2021-05-12" in removed_lines(cleaned, "004_8e03b75251222fb2")


def test_no_gold_span_is_damaged(cleaned: Cleaned, gold: pd.DataFrame) -> None:
    texts = cleaned.documents.set_index("doc_id")["text"].map(fold)
    missing = [
        (row.doc_id, row.variant, row.nth)
        for row in gold.itertuples()
        if texts[row.doc_id].lower().count(fold(row.variant).lower()) < row.nth
    ]
    assert missing == []
    assert len(gold) == 94


def test_sample_has_no_near_duplicates(cleaned: Cleaned) -> None:
    # 001, 003 and 004 share one readout but are different articles
    assert cleaned.duplicates.empty
    assert cleaned.documents["duplicate_of"].isna().all()


# --- unicode repair --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Israel’s “ironclad” support", 'Israel\'s "ironclad" support'),
        ("de‑escalate – now — here", "de-escalate – now — here"),
        ("defend itself\u00a0 and", "defend itself and"),
        ("zero\u200bwidth soft\u00adhyphen", "zerowidth softhyphen"),
        ("Israelâ€™s security and JarrÃ¡h", "Israel's security and Jarráh"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("  spaced   out  \r\nline two ", "spaced out\nline two"),
    ],
)
def test_repair_text(raw: str, clean: str) -> None:
    assert repair_text(raw) == clean


def test_repair_keeps_the_line_count() -> None:
    raw = "a\u2028b\nc\r\nd"
    assert repair_text(raw).count("\n") == 3


# --- boilerplate beyond the seeds ------------------------------------------------------------

ARTICLE = """Officials Meet Again as Talks Resume

By Jane Q. Public

PARIS, June 3, 2024 — The foreign minister said on Monday that the talks would resume, and that both sides had agreed to a new framework for the negotiations ahead.

Photo: AFP
Sign up for our morning newsletter
Follow The Daily Planet on Instagram

"We will not rest until there is a lasting peace," the minister told reporters, adding that the next round would be held within weeks.

Share prices in the region rose on the news.

Related: Minister vows new push for peace

She said the framework would be published soon, and that several states had offered to host.

Most read
Storm Batters Coast as Thousands Lose Power
A Chef's Quest for the Perfect Loaf
Markets Rally After Surprise Rate Cut
"""


def test_boilerplate_rules_generalise_to_other_outlets() -> None:
    clean, removed = clean_text(ARTICLE)
    by_rule = {text: rule for _, text, rule in removed}
    assert by_rule["Photo: AFP"] == "photo credit"
    assert by_rule["Sign up for our morning newsletter"] == "subscription"
    assert by_rule["Follow The Daily Planet on Instagram"] == "follow us"
    assert by_rule["Related: Minister vows new push for peace"] == "read more"
    assert by_rule["Storm Batters Coast as Thousands Lose Power"] == "trailing headlines"
    assert by_rule["By Jane Q. Public"] == "byline"
    assert "Share prices in the region rose on the news." in clean
    assert "Officials Meet Again as Talks Resume" in clean
    assert clean.rstrip().endswith("several states had offered to host.")


def test_article_sentences_that_mention_social_media_stay() -> None:
    text = (
        "The minister urged his supporters to follow him on Twitter, where he has posted daily "
        "updates on the negotiations since the talks began in the spring of last year.\n"
        "Advertisement\n"
        "He said the talks would continue.\n"
        "Both sides agreed.\n"
    )
    clean, removed = clean_text(text)
    assert [r[1] for r in removed] == ["Advertisement"]
    assert "follow him on Twitter" in clean
    # short closing sentences after an ad are not a headline list
    assert clean.endswith("He said the talks would continue.\nBoth sides agreed.")


def test_removed_lines_are_numbered_in_the_repaired_text() -> None:
    _, removed = clean_text("First line of text.\nAdvertisement\nThird line.")
    assert removed == [(2, "Advertisement", "advertisement")]


# --- near duplicates -------------------------------------------------------------------------


def test_wire_copy_in_two_outlets_is_marked(sample_path: Path) -> None:
    docs = load_corpus(sample_path).documents
    original = docs.set_index("doc_id").loc["002_55488569d2b2b954"]
    lines = original["text"].split("\n")
    copy = "\n".join([*lines[:-3], "Some outlet added its own closing line here."])
    extra = pd.DataFrame(
        {
            "doc_id": ["z-copy", "a-earlier-copy"],
            "text": [copy.replace("Wednesday", "Thursday"), copy],
            "date": [pd.Timestamp("2021-05-13"), pd.Timestamp("2021-05-12")],
            "source": ["Other", "Another"],
        }
    )
    corpus = load_corpus(pd.concat([docs[["doc_id", "text", "date", "source"]], extra]))
    before = corpus.documents.copy()
    result = clean_documents(corpus.documents)
    pd.testing.assert_frame_equal(corpus.documents, before)
    dups = result.duplicates.set_index("doc_id")
    # the earliest (then first by id) of the three copies represents the group
    assert set(dups.index) == {"a-earlier-copy", "z-copy"}
    assert set(dups["duplicate_of"]) == {"002_55488569d2b2b954"}
    assert (dups["similarity"] >= 0.8).all()
    marked = result.documents.set_index("doc_id")["duplicate_of"]
    assert marked["z-copy"] == "002_55488569d2b2b954"
    assert pd.isna(marked["003_ea2461e2e1cff537"])


def test_duplicate_threshold_is_a_parameter() -> None:
    base = " ".join(f"word{i}" for i in range(200))
    docs = load_corpus(pd.DataFrame({"text": [base, base.replace("word100", "other")]})).documents
    assert len(clean_documents(docs).duplicates) == 1
    assert clean_documents(docs, duplicate_threshold=0.99).duplicates.empty


def test_lsh_bands_must_divide_the_signature() -> None:
    docs = load_corpus(pd.DataFrame({"text": ["One text here."]})).documents
    with pytest.raises(ValueError, match="multiple of lsh_bands"):
        clean_documents(docs, minhash_permutations=10, lsh_bands=3)


def test_minhash_agreement_estimates_jaccard() -> None:
    # Two documents sharing half their shingles: the share of signature columns that agree
    # estimates Jaccard (1/3 here). A hash that keeps the order of the shingle ids would
    # make every column agree or none.
    from phrasedrift.clean import _minhash, _shingle_matrix

    shared = " ".join(f"shared{i}" for i in range(200))
    left = shared + " " + " ".join(f"left{i}" for i in range(200))
    right = shared + " " + " ".join(f"right{i}" for i in range(200))
    signatures = _minhash(_shingle_matrix([left, right], 1), 256)
    agreement = (signatures[0] == signatures[1]).mean()
    assert 0.22 < agreement < 0.45


def test_unrelated_documents_are_not_lsh_candidates() -> None:
    # Documents that share ten common words out of 110 (Jaccard 0.05) must not collide.
    from phrasedrift.clean import _lsh_candidates, _minhash, _shingle_matrix

    common = " ".join(f"common{i}" for i in range(10))
    texts = [common + " " + " ".join(f"doc{d}w{i}" for i in range(100)) for d in range(50)]
    candidates = _lsh_candidates(_minhash(_shingle_matrix(texts, 1), 64), 16)
    assert len(candidates) == 0


# --- the fast paths against plain references ---------------------------------------------------

ODD_TEXTS = [
    "",
    "plain ascii  text\twith   runs\r\nof   spaces ",
    "‘Curly’ “quotes” ‚low‛ prime′ ʼmodifierʼ `grave´ ″double″ «guillemets»",
    "dashes ‐ ‑ ‒ − ― and\u00a0spaces\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u202f\u205f\u3000here\f\v",
    "zero\u200bwidth\u200cjoin\u200d\u2060ers\ufeff soft\u00adhyphen",
    "lines\u2028and\u2029paragraphs\n\n\n\nthree or more breaks\n\n  \n  indented",
    "Ã¡ mojibake â€™ and &amp; entities &#8217; stay for ftfy",
]


def reference_repair(text: str) -> str:
    """repair_text as it was: str.translate and a substitution per line."""
    from phrasedrift.clean import _NEEDS_FTFY, _SPACES, _TRANSLATE

    if (not text.isascii() or "&" in text) and _NEEDS_FTFY.search(text):
        import ftfy

        text = ftfy.fix_text(text, uncurl_quotes=False, fix_line_breaks=False)
    text = text.translate(_TRANSLATE)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_repair_text_is_the_translation_table_applied(text: str) -> None:
    assert repair_text(text) == reference_repair(text)


def test_repair_text_changes_every_character_of_the_table_as_the_table_says() -> None:
    from phrasedrift.clean import _TRANSLATE

    every = "".join(f"a{chr(code)}b" for code in _TRANSLATE)
    assert repair_text(every) == reference_repair(every)
    assert repair_text(every) != every


def reference_shingle_matrix(texts: list[str], size: int) -> Any:
    """Hashed shingles the way scikit-learn makes them with its own word analyzer."""
    from sklearn.feature_extraction.text import HashingVectorizer

    vectorizer = HashingVectorizer(
        analyzer="word",
        ngram_range=(size, size),
        token_pattern=r"(?u)\b\w+\b",
        n_features=1 << 30,
        alternate_sign=False,
        norm=None,
        binary=True,
        dtype=np.float32,
    )
    matrix = vectorizer.transform(texts).tocsr()
    matrix.sort_indices()
    return matrix


@pytest.mark.parametrize("size", [-2, 0, 1, 2, 5, 7])
def test_shingle_matrix_is_scikit_learns_word_ngrams(size: int) -> None:
    from phrasedrift.clean import _shingle_matrix

    texts = [*ODD_TEXTS, "one two three four five six", "Écoute Éric, l'été: 1,000 x_y", "a b"]
    mine, reference = _shingle_matrix(texts, size), reference_shingle_matrix(texts, size)
    assert mine.dtype == reference.dtype and mine.shape == reference.shape
    assert (mine.indptr == reference.indptr).all()
    assert (mine.indices == reference.indices).all()
    assert (mine.data == reference.data).all()


# words of every kind: non-ASCII letters and digits (which are word characters), marks, symbols
# and spaces (which are not), lowercasing that changes length ("İ"), underscores, long words
SHINGLE_FRAGMENTS = [
    " ", "  ", "\n", "\t", "\x1f", "\x85", "\u00a0", "\u3000", "_", "-", ".", ",", "'", "’", "—",
    "a", "B", "the", "Gaza", "1,000", "٣", "²", "½", "é", "e\u0301", "İstanbul", "ß", "ǅ", "שלום",
    "سلام", "中文", "😀", "\U0001d400", "\ud800", "x" * 37, "y" * 4001,
]  # fmt: skip

shingle_text = st.lists(
    st.one_of(st.sampled_from(SHINGLE_FRAGMENTS), st.text(max_size=6)), max_size=50
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(shingle_text, max_size=6), st.integers(1, 6), st.integers(1, 4))
def test_shingle_matrix_is_scikit_learns_on_random_text(
    texts: list[str], size: int, chunk: int
) -> None:
    from phrasedrift.clean import _shingle_matrix

    mine = _shingle_matrix(texts, size, chunk=chunk)
    if not texts:
        assert mine.shape == (0, 1 << 30)
        return
    reference = reference_shingle_matrix(texts, size)
    assert mine.dtype == reference.dtype and mine.shape == reference.shape
    assert mine.indptr.dtype == reference.indptr.dtype
    assert mine.indices.dtype == reference.indices.dtype
    assert (mine.indptr == reference.indptr).all()
    assert (mine.indices == reference.indices).all()
    assert (mine.data == reference.data).all()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=80), min_size=1, max_size=20), st.binary(max_size=3))
def test_murmurhash_is_scikit_learns(pieces: list[bytes], before: bytes) -> None:
    from sklearn.utils import murmurhash3_32

    from phrasedrift.clean import _murmurhash3_32

    data = before + b"".join(pieces)
    length = np.array([len(piece) for piece in pieces], dtype=np.int64)
    start = len(before) + np.cumsum(length) - length
    expected = [murmurhash3_32(piece, seed=0) for piece in pieces]
    assert _murmurhash3_32(data, start, length).tolist() == expected


def reference_minhash(shingles: Any, permutations: int) -> np.ndarray:
    """Each document's minimum for each permutation, one at a time."""
    from phrasedrift.clean import _mix

    seeds = np.random.default_rng(0x5EED).integers(
        0, np.iinfo(np.uint64).max, size=permutations, dtype=np.uint64, endpoint=True
    )
    signatures = np.full((shingles.shape[0], permutations), np.iinfo(np.uint64).max, np.uint64)
    for row in range(shingles.shape[0]):
        ids = shingles.indices[shingles.indptr[row] : shingles.indptr[row + 1]].astype(np.uint64)
        for j in range(permutations if len(ids) else 0):
            signatures[row, j] = _mix(ids ^ seeds[j]).min()
    return signatures


@pytest.mark.parametrize("block", [1, 3, 50, 1 << 12])
def test_minhash_by_blocks_of_ids_is_the_plain_minimum(block: int) -> None:
    from phrasedrift.clean import _minhash, _shingle_matrix

    words = [f"w{i % 37}" for i in range(400)]
    texts = ["", " ".join(words[:60]), "", "", " ".join(words[50:300]), "x", " ".join(words)]
    shingles = _shingle_matrix(texts, 2)
    assert (_minhash(shingles, 16, block=block) == reference_minhash(shingles, 16)).all()
    assert (_minhash(shingles[:0], 16, block=block) == reference_minhash(shingles[:0], 16)).all()


def reference_lsh_candidates(signatures: np.ndarray, bands: int) -> np.ndarray:
    """Every pair of non-empty documents compared band by band."""
    rows = signatures.shape[1] // bands
    empty = signatures[:, 0] == np.iinfo(np.uint64).max
    pairs = [
        (i, j)
        for i in range(len(signatures))
        for j in range(i + 1, len(signatures))
        if not empty[i]
        and not empty[j]
        and any(
            (
                signatures[i, b * rows : (b + 1) * rows] == signatures[j, b * rows : (b + 1) * rows]
            ).all()
            for b in range(bands)
        )
    ]
    return np.array(pairs, dtype=np.int64).reshape(-1, 2)


@pytest.mark.parametrize("seed", range(5))
def test_lsh_candidates_are_the_pairs_sharing_a_band(seed: int) -> None:
    from phrasedrift.clean import _lsh_candidates

    rng = np.random.default_rng(seed)
    # few distinct values, so that bands collide often, in groups of every size
    signatures = rng.integers(0, 3, size=(40, 12)).astype(np.uint64)
    signatures[rng.random(40) < 0.2] = np.iinfo(np.uint64).max  # empty documents
    for bands in (1, 3, 4, 12):
        expected = reference_lsh_candidates(signatures, bands)
        candidates = _lsh_candidates(signatures, bands)
        assert candidates.dtype == expected.dtype
        assert candidates.tolist() == expected.tolist()
    assert _lsh_candidates(signatures[:1], 4).shape == (0, 2)


@pytest.mark.parametrize("words", [0, 1, 2, 3, 4, 10])
@pytest.mark.parametrize("max_words", [0, 1, 3])
def test_a_rule_applies_only_to_lines_of_at_most_max_words(words: int, max_words: int) -> None:
    from phrasedrift.clean import _rule_for

    rules = [("any", re.compile(r".*"))]
    for line in (" ".join(["word"] * words), "\t".join(["word"] * words) + "  \u2003 "):
        expected = None if len(line.split()) > max_words else "any"
        assert _rule_for(line, rules, max_words) == expected


def test_no_documents_clean_to_no_documents() -> None:
    raw = pd.DataFrame({"doc_id": ["a"], "text": ["Some words here."], "date": ["2021-01-01"]})
    documents = load_corpus(raw).documents.iloc[:0]
    cleaned = clean_documents(documents)
    assert cleaned.documents.empty and cleaned.duplicates.empty
    assert list(cleaned.documents.columns) == list(
        clean_documents(load_corpus(raw).documents).documents.columns
    )
