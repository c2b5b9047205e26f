"""Tests of the tokens stage: sentences, tokens, offsets and normal forms."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk import redos
from nltk.stem import PorterStemmer
from nltk.tokenize.punkt import PunktParameters

from phrasedrift import schema
from phrasedrift.errors import SchemaError
from phrasedrift.tokens import WORD_TOKENIZER, tokenize

BENCH = Path(__file__).resolve().parents[1] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import synth  # noqa: E402

TITLES = ("Brig. Gen. Pat Ryder", "U.S. Secretary", "Lt. Gen. Aviv Kochavi", "Antony J. Blinken")
ABBREVIATION_ENDINGS = ("Brig.", "Gen.", "Lt.", "U.S.", "J.", "Sec.")


def frame(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})


def sentences_of(text: str, **options: Any) -> list[str]:
    sentences, _ = tokenize(frame(text), **options)
    return list(sentences["text"])


def tokens_of(text: str, **options: Any) -> list[str]:
    _, tokens = tokenize(frame(text), **options)
    return [str(token) for token in tokens["token"]]


def norms_of(text: str, **options: Any) -> list[str]:
    _, tokens = tokenize(frame(text), **options)
    return [str(norm) for norm in tokens["norm"]]


def read_sample(folder: Path) -> pd.DataFrame:
    """The sample corpus as documents, front matter removed (the loader is tested elsewhere)."""
    ids, texts = [], []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            text = text[text.index("\n---\n", 4) + len("\n---\n") :]
        ids.append(path.stem)
        texts.append(text)
    return pd.DataFrame({"doc_id": ids, "text": texts})


@pytest.fixture(scope="module")
def sample(sample_path: Path) -> pd.DataFrame:
    return read_sample(sample_path)


@pytest.fixture(scope="module")
def sample_tables(sample: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    return tokenize(sample)


# --- sentences -------------------------------------------------------------------------------


@pytest.mark.parametrize("title", TITLES)
def test_no_sentence_boundary_inside_a_title(title: str) -> None:
    text = f"The call was made by {title} on Tuesday. Talks went on."
    assert sentences_of(text) == [f"The call was made by {title} on Tuesday.", "Talks went on."]


def test_no_sentence_boundary_after_dc_mid_sentence() -> None:
    text = "He flew to Washington, D.C. on Tuesday. Then he left."
    assert sentences_of(text) == ["He flew to Washington, D.C. on Tuesday.", "Then he left."]


def test_abbreviations_option_is_used() -> None:
    text = f"The call was made by {TITLES[0]} on Tuesday."
    assert len(sentences_of(text, abbreviations=())) > 1


def test_sample_has_no_sentence_ending_with_an_abbreviation(
    sample: pd.DataFrame, sample_tables: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    corpus = "\n".join(sample["text"])
    assert all(title in corpus for title in ("Brig. Gen. Pat Ryder", "Antony J. Blinken"))
    sentences, _ = sample_tables
    endings = [text.split()[-1] for text in sentences["text"]]
    assert [e for e in endings if e in ABBREVIATION_ENDINGS] == []


@pytest.mark.parametrize(("opening", "closing"), [('"', '"'), ("“", "”"), ("'", "'"), ("‘", "’")])
def test_closing_quote_belongs_to_the_sentence_it_closes(opening: str, closing: str) -> None:
    text = f"Austin urged {opening}a sustainable calm.{closing} Next, Ryder spoke."
    assert sentences_of(text) == [
        f"Austin urged {opening}a sustainable calm.{closing}",
        "Next, Ryder spoke.",
    ]


@pytest.mark.parametrize(("opening", "closing"), [('"', '"'), ("“", "”")])
def test_wholly_quoted_sentence_stays_one_sentence(opening: str, closing: str) -> None:
    text = f"{opening}Israel has the right to defend itself.{closing}"
    assert sentences_of(text) == [text]


def test_quote_of_several_sentences_keeps_its_closing_quote() -> None:
    text = '"We are deeply concerned. Israel has the right to defend itself," Price said. He left.'
    sentences = sentences_of(text)
    assert sentences[0] == '"We are deeply concerned.'
    assert sentences[-2:] == ['Israel has the right to defend itself," Price said.', "He left."]


def test_quoted_question_followed_by_lowercase_attribution_is_one_sentence() -> None:
    assert sentences_of('"Are we done?" he asked. Yes.') == ['"Are we done?" he asked.', "Yes."]


def test_line_breaks_are_always_sentence_boundaries() -> None:
    assert sentences_of("A headline without a period\nThe body, Mr.\nSmith said") == [
        "A headline without a period",
        "The body, Mr.",
        "Smith said",
    ]


def test_sentence_offsets_skip_surrounding_whitespace() -> None:
    text = "  \n\t First one.   Second one.  \n\n"
    sentences, _ = tokenize(frame(text))
    assert list(zip(sentences["start"], sentences["end"], strict=True)) == [(5, 15), (18, 29)]
    assert list(sentences["sent_id"]) == [0, 1]


# --- tokens ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("to de-escalate tensions", ["to", "de-escalate", "tensions"]),
        ("a two-state solution", ["a", "two-state", "solution"]),
        ("Israel won't allow", ["Israel", "won't", "allow"]),
        ("the U.S. and D.C. police", ["the", "U.S.", "and", "D.C.", "police"]),
        ("save 40% of 1,000 on 2021-05-12", ["save", "40%", "of", "1,000", "on", "2021-05-12"]),
        ("Israel's security", ["Israel", "'s", "security"]),
        ("Israel’s security", ["Israel", "’s", "security"]),
        ("the U.S.'s view", ["the", "U.S.", "'s", "view"]),
        ("calm.” Next", ["calm", ".", "”", "Next"]),
        ("(Hamas) [terrorist]!?", ["(", "Hamas", ")", "[", "terrorist", "]", "!", "?"]),
    ],
)
def test_token_rules(text: str, expected: list[str]) -> None:
    assert tokens_of(text) == expected


def test_token_ids_are_per_document_and_sentence_ids_match_sentences() -> None:
    sentences, tokens = tokenize(frame("One two. Three.", "Four."))
    assert list(tokens["tok_id"]) == [0, 1, 2, 3, 4, 0, 1]
    assert list(tokens["sent_id"]) == [0, 0, 0, 1, 1, 0, 0]
    assert list(sentences["doc_id"]) == ["d0", "d0", "d1"]
    assert [str(d) for d in tokens["doc_id"]] == ["d0"] * 5 + ["d1"] * 2


# --- normal form -----------------------------------------------------------------------------


def test_norm_is_case_folded() -> None:
    assert norms_of("Israel SECURITY") == ["israel", "security"]


def test_norm_folds_curly_apostrophes_in_possessives() -> None:
    assert norms_of("Israel’s") == norms_of("Israel's") == ["israel", "'s"]


@pytest.mark.parametrize("apostrophe", ["’", "ʼ", "′"])
def test_norm_folds_apostrophe_variants(apostrophe: str) -> None:
    assert norms_of(f"won{apostrophe}t") == ["won't"]


@pytest.mark.parametrize("quote", ["‘", "’"])
def test_norm_folds_single_quote_variants(quote: str) -> None:
    assert norms_of(quote) == ["'"]


@pytest.mark.parametrize("quote", ["“", "”", "„"])
def test_norm_folds_double_quote_variants(quote: str) -> None:
    assert norms_of(quote) == ['"']


def test_norm_removes_intra_word_hyphens() -> None:
    assert norms_of("de-escalate deescalate") == ["deescalate", "deescalate"]


def test_norm_of_cease_fire() -> None:
    assert norms_of("cease-fire") == norms_of("ceasefire") == ["ceasefire"]


@pytest.mark.parametrize("hyphen", ["‐", "‑", "‒", "−", "\u00ad"])
def test_norm_removes_every_hyphen_code_point(hyphen: str) -> None:
    assert norms_of(f"de{hyphen}escalate") == ["deescalate"]


def test_norm_keeps_hyphens_in_numbers() -> None:
    assert norms_of("2021‐05‐12") == ["2021-05-12"]


def test_norm_applies_spelling_variants() -> None:
    assert norms_of("Adviser defence") == ["advisor", "defense"]


def test_norm_applies_spelling_variants_inside_compounds() -> None:
    assert norms_of("self-defence") == ["selfdefense"]


def test_norm_uses_the_spelling_variants_option() -> None:
    assert norms_of("adviser Gaza", spelling_variants=[("gaza", "ghazza")]) == [
        "adviser",
        "ghazza",
    ]


def test_norm_with_stem_is_the_porter_stem_of_the_normal_form() -> None:
    stemmer = PorterStemmer()
    expected = [stemmer.stem(w) for w in ("officials", "deescalating", "advisors")]
    assert norms_of("Officials de-escalating advisers", stem=True) == expected


# --- whole sample corpus ---------------------------------------------------------------------


def test_sample_offsets_round_trip(
    sample: pd.DataFrame, sample_tables: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    sentences, tokens = sample_tables
    texts = dict(zip(sample["doc_id"], sample["text"], strict=True))
    assert len(tokens) > 1000
    for doc_id, start, end, text in sentences[["doc_id", "start", "end", "text"]].itertuples(
        index=False
    ):
        assert texts[doc_id][start:end] == text
    for doc_id, start, end, token in tokens[["doc_id", "start", "end", "token"]].itertuples(
        index=False
    ):
        assert texts[doc_id][start:end] == token
    assert_consistent(sample, sentences, tokens)


def test_outputs_pass_their_schemas(sample_tables: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    sentences, tokens = sample_tables
    schema.check(sentences, "sentences", stage="test")
    schema.check(tokens, "tokens", stage="test")


def test_empty_input_gives_empty_tables() -> None:
    sentences, tokens = tokenize(frame())
    assert len(sentences) == len(tokens) == 0
    schema.check(sentences, "sentences", stage="test")
    schema.check(tokens, "tokens", stage="test")


def test_missing_text_gives_no_sentences() -> None:
    documents = pd.DataFrame({"doc_id": ["a", "b"], "text": [None, "Hello."]})
    sentences, tokens = tokenize(documents)
    assert list(sentences["doc_id"]) == ["b"]
    assert len(tokens) == 2


def test_input_is_not_mutated(sample: pd.DataFrame) -> None:
    documents = sample.assign(extra=range(len(sample)))
    before = documents.copy(deep=True)
    tokenize(documents)
    pd.testing.assert_frame_equal(documents, before)


@pytest.mark.parametrize("column", ["text", "doc_id"])
def test_missing_column_raises_schema_error_naming_it(column: str) -> None:
    with pytest.raises(SchemaError, match=column):
        tokenize(frame("Hello.").drop(columns=column))


def test_non_string_text_raises_schema_error() -> None:
    with pytest.raises(SchemaError, match="text"):
        tokenize(pd.DataFrame({"doc_id": ["a"], "text": [3]}))


# --- properties on random text ---------------------------------------------------------------

FRAGMENTS = [
    " ", "  ", "\n", "\r\n", "\t", "\u2028", "\u00a0", "\u200b", "\u200d", "\u200f", "\u00ad",
    ".", "?", "!", "...", ",", '"', "'", "’", "‘", "“", "”", "„", "(", ")", "-", "‐", "−", "--",
    "%", "1,000", "3.5", "2021-05-12", "U.S.", "D.C.", "Gen.", "Brig.", "J.", "Mr.", "e\u0301",
    "\u0301", "’s", "'s", "de-escalate", "won't", "Israel", "calm", "he", "Said", "שלום", "سلام",
    "😀", "👍🏽", "🇮🇱", "\U0001f468\u200d\U0001f469",
]  # fmt: skip

random_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8), st.characters(codec="utf-8")),
    max_size=40,
).map("".join)


def assert_consistent(
    documents: pd.DataFrame, sentences: pd.DataFrame, tokens: pd.DataFrame
) -> None:
    """Every invariant of the two tables, for every document."""
    sentence_groups = dict(list(sentences.groupby("doc_id", sort=False)))
    token_groups = dict(list(tokens.groupby("doc_id", sort=False, observed=True)))
    for doc_id, text in zip(documents["doc_id"], documents["text"], strict=True):
        sents = sentence_groups.get(doc_id, sentences.iloc[:0])
        toks = token_groups.get(doc_id, tokens.iloc[:0])
        s_start, s_end = sents["start"].to_numpy(), sents["end"].to_numpy()
        t_start, t_end = toks["start"].to_numpy(), toks["end"].to_numpy()
        assert list(sents["sent_id"]) == list(range(len(sents)))
        assert list(toks["tok_id"]) == list(range(len(toks)))
        for spans in ((s_start, s_end), (t_start, t_end)):
            start, end = spans
            assert (start < end).all()
            assert (end[:-1] <= start[1:]).all()  # ordered, no overlap
            assert len(start) == 0 or (start[0] >= 0 and end[-1] <= len(text))
        for start, end, sentence in zip(s_start, s_end, sents["text"], strict=True):
            assert text[start:end] == sentence == sentence.strip()
            assert not any(c in sentence for c in "\n\r\u2028")
        for start, end, token in zip(t_start, t_end, toks["token"], strict=True):
            assert text[start:end] == token
        # tokens lie inside their sentences
        sent_ids = toks["sent_id"].to_numpy()
        assert (s_start[sent_ids] <= t_start).all()
        assert (t_end <= s_end[sent_ids]).all()
        # every non-space character is inside a token
        covered = np.zeros(len(text), dtype=bool)
        for start, end in zip(t_start, t_end, strict=True):
            covered[start:end] = True
        assert all(covered[i] or c.isspace() for i, c in enumerate(text))
        # the bulk offsets are those of the NLTK tokenizer, sentence by sentence
        for sent_id, (start, end) in enumerate(zip(s_start, s_end, strict=True)):
            expected = [
                (start + a, start + b) for a, b in WORD_TOKENIZER.span_tokenize(text[start:end])
            ]
            mine = sent_ids == sent_id
            assert list(zip(t_start[mine], t_end[mine], strict=True)) == expected
        assert all(str(norm) for norm in toks["norm"])


@settings(max_examples=300, deadline=None)
@given(st.lists(random_text, min_size=1, max_size=3))
def test_random_text_round_trips(texts: list[str]) -> None:
    documents = frame(*texts)
    sentences, tokens = tokenize(documents)
    schema.check(sentences, "sentences", stage="test")
    schema.check(tokens, "tokens", stage="test")
    assert_consistent(documents, sentences, tokens)


def test_a_long_line_is_not_cut_short_by_nltk_regex_time_limits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # nltk.redos limits a whole finditer to DEFAULT_TIMEOUT seconds; Punkt's search over a long
    # line lasts longer than this tiny limit, so it must run without one.
    monkeypatch.setattr(redos, "DEFAULT_TIMEOUT", 0.05)
    sentences = sentences_of("Talks went on. " * 50_000)
    assert len(sentences) == 50_000


def test_memoised_punkt_splits_as_plain_punkt() -> None:
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    from phrasedrift.tokens import _MemoPunkt, _PunktVariables

    params = PunktParameters()
    params.abbrev_types = {"gen", "u.s", "j"}
    plain = PunktSentenceTokenizer(params, lang_vars=_PunktVariables())
    text = (
        "Brig. Gen. Ryder said. The talks went on. Gen. Ryder said. The U.S. side agreed. "
        "Antony J. Blinken said. the talks went on! Ryder said. The end? Gen. Ryder said. "
    ) * 3
    expected = list(plain.span_tokenize(text))
    for max_contexts in (1, 3, 1 << 18):
        memo = _MemoPunkt(params, lang_vars=_PunktVariables(), max_contexts=max_contexts)
        assert list(memo.span_tokenize(text)) == expected
        assert list(memo.span_tokenize(text)) == expected  # answers now from the memo
        assert 0 < len(memo._breaks) <= max_contexts


# --- the fast paths against plain references ---------------------------------------------------

PUNKT_TOKEN_RES = ("_RE_ELLIPSIS", "_RE_NUMERIC", "_RE_INITIAL", "_RE_ALPHA")


def test_punkt_patterns_are_nltks_own_without_a_time_limit() -> None:
    from nltk.tokenize.punkt import PunktLanguageVars, PunktToken

    from phrasedrift.tokens import _PunktToken, _PunktVariables

    mine, stock = _PunktVariables(), PunktLanguageVars()
    pairs = [
        (mine.period_context_re(), stock.period_context_re()),
        (mine._word_tokenizer_re(), stock._word_tokenizer_re()),
        (mine.re_boundary_realignment, stock.re_boundary_realignment),
        *((getattr(_PunktToken, name), getattr(PunktToken, name)) for name in PUNKT_TOKEN_RES),
    ]
    for unlimited, original in pairs:
        assert unlimited._rx is original._rx
        assert unlimited._timeout is None


@settings(max_examples=200, deadline=None)
@given(random_text)
def test_punkt_without_time_limits_splits_as_stock_punkt(text: str) -> None:
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    from phrasedrift.tokens import _PunktToken, _PunktVariables

    params = PunktParameters()
    params.abbrev_types = {"gen", "u.s", "j", "mr"}
    stock = PunktSentenceTokenizer(params)
    unlimited = PunktSentenceTokenizer(params, lang_vars=_PunktVariables(), token_cls=_PunktToken)
    text = f"{text} Gen. Ryder said. The U.S. side agreed... J. Blinken said! {text}"
    assert list(unlimited.span_tokenize(text)) == list(stock.span_tokenize(text))


spaceless_text = random_text.map(lambda text: text.replace(" ", ""))


@settings(max_examples=300, deadline=None)
@given(st.lists(spaceless_text, max_size=8))
def test_piece_tokens_are_each_pieces_own_tokens(pieces: list[str]) -> None:
    from phrasedrift.tokens import _piece_tokens

    counts, surfaces, starts, lengths = _piece_tokens(pieces)
    expected = [list(WORD_TOKENIZER.span_tokenize(piece)) for piece in pieces]
    assert list(counts) == [len(spans) for spans in expected]
    spans = [span for piece_spans in expected for span in piece_spans]
    assert list(zip(starts, starts + lengths, strict=True)) == spans
    assert surfaces == [p[a:b] for p, ps in zip(pieces, expected, strict=True) for a, b in ps]


@settings(max_examples=300, deadline=None)
@given(random_text)
def test_a_texts_tokens_are_those_of_its_space_separated_pieces(text: str) -> None:
    from phrasedrift.tokens import _piece_tokens

    pieces = text.split(" ")
    counts, _, starts, lengths = _piece_tokens(pieces)
    slots = np.array([len(piece) + 1 for piece in pieces])
    piece_starts = np.repeat(np.cumsum(slots) - slots, counts)
    spans = list(zip(piece_starts + starts, piece_starts + starts + lengths, strict=True))
    assert spans == list(WORD_TOKENIZER.span_tokenize(text))


# Punkt's own spans: each line's span_tokenize, stripped, a lowercase start joined to the sentence
# before in its line (the rules of the module docstring, as tokenize computed them before it read
# Punkt's candidates and breaks in one loop of its own).
REFERENCE_ABBREVIATIONS = ("gen", "brig", "u.s", "j", "mr", "lt", "sec")


def punkt_sentence_spans(text: str) -> list[tuple[int, int]]:
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    from phrasedrift.tokens import _LINE

    params = PunktParameters()
    params.abbrev_types = set(REFERENCE_ABBREVIATIONS)
    punkt = PunktSentenceTokenizer(params)
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        offset, line_text = line.start(), line.group()
        first = len(spans)
        for start, end in punkt.span_tokenize(line_text):
            chunk = line_text[start:end]
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


def fast_sentence_spans(texts: list[str], max_contexts: int = 1 << 18) -> list[list[Any]]:
    from phrasedrift.tokens import _MemoPunkt, _PunktVariables, _sentence_spans

    params = PunktParameters()
    params.abbrev_types = set(REFERENCE_ABBREVIATIONS)
    splitter = _MemoPunkt(params, lang_vars=_PunktVariables(), max_contexts=max_contexts)
    return [_sentence_spans(text, splitter) for text in texts]


# pieces that make candidate breaks, overlapping candidates, realigned closing marks, lowercase
# starts, tabs and the characters on which Python's and the regex engine's whitespace differ
PUNKT_FRAGMENTS = [
    ".", "?", "!", "!!", "...", ". ", "? ", "! ", "  ", " ", "\t", "\n", "\x1f", "\x1c", "\x85",
    "\u00a0", "\u2028", "\u3000", '"', "'", ")", "]", "}", "(", "“", "”", "‘", "’", "«", "»", "--",
    ",", ";", ":", "*", "@", "%", "a", "A", "the", "The", "said", "Gen", "Gen.", "U.S.", "J.",
    "Mr.", "e.g.", "1.", "3.5", "Blinken", "quiet", "ok", "é", "É", "שלום", "😀",
]  # fmt: skip

punkt_text = st.lists(
    st.one_of(st.sampled_from(PUNKT_FRAGMENTS), st.characters(codec="utf-8")), max_size=60
).map("".join)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.one_of(punkt_text, random_text), min_size=1, max_size=4))
def test_sentence_spans_are_punkts_on_random_text(texts: list[str]) -> None:
    expected = [punkt_sentence_spans(text) for text in texts]
    assert fast_sentence_spans(texts) == expected
    assert fast_sentence_spans(texts, max_contexts=1) == expected


def test_sentence_spans_are_punkts_on_the_sample_and_synthetic_corpora(
    sample: pd.DataFrame,
) -> None:
    texts = [*sample["text"], *synth.generate(300, seed=5).documents["text"]]
    texts += [text.replace(" ", "\t", 50) for text in texts[::7]]
    expected = [punkt_sentence_spans(text) for text in texts]
    assert sum(map(len, expected)) > 10_000
    assert fast_sentence_spans(texts) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        ". Next.",
        " Word. Next one.",
        "\tWord. Next one.",
        "Very bad acting!!! I promise.",
        "Very bad acting!!!I promise. ok!",
        "(Sent1.) Sent2.",
        '"Are we done?" he asked. "Yes." Then "no."',
        "He said “calm.” Next. «Oui.» Non.",
        "a.b. c. D.\x1f E.\x1fe. x",
        "End.\x85Next. line.\u2028Other.",
        "Tab.\tNext.\t\tAnd. then.",
        "Gen. Ryder said. The U.S. side agreed... J. Blinken said! The end?",
        "!" * 500 + " A." + "?" * 300,
        ".  .  .  ",
        ".\"'\"'. A.",
    ],
)
def test_sentence_spans_are_punkts_on_awkward_text(text: str) -> None:
    assert fast_sentence_spans([text]) == [punkt_sentence_spans(text)]


def test_punkt_realigns_only_at_a_closing_mark() -> None:
    # _sentence_spans tries the realignment pattern only where a character of _CLOSERS starts
    # the next sentence; the pattern must match nothing else.
    from phrasedrift.tokens import _CLOSERS, _PunktVariables

    realign = _PunktVariables().re_boundary_realignment
    starts = {chr(code) for code in range(0x110000) if realign.match(chr(code) + " ")}
    assert starts == _CLOSERS


def test_only_space_and_tab_of_punkts_whitespace_occur_inside_a_line() -> None:
    # Punkt looks for the word before a mark after the last character of string.whitespace;
    # _sentence_spans looks only for spaces and tabs, the others always end a line.
    import string

    from phrasedrift.tokens import _LINE

    assert {char for char in string.whitespace if _LINE.fullmatch(char)} == {" ", "\t"}
