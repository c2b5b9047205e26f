"""Grouping phrases into families, variant spans, provenance and slots, on hand-made corpora."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import phrasedrift as pdr
from phrasedrift import schema
from phrasedrift.clean import clean_documents
from phrasedrift.corpus import load_corpus
from phrasedrift.group import Grouped, find_slots, group_variants
from phrasedrift.mine import mine_phrases
from phrasedrift.tokens import tokenize

TEXTS = [
    "The minister reaffirmed his ironclad support for Israel's security and Israel's "
    "legitimate right to defend itself and its people, while protecting civilians.",
    "The envoy conveyed the president's unwavering support for Israel's security on Monday.",
    "Officials stressed their steadfast support for Israel's security in Brussels.",
    "She repeated that Israel has the right to defend itself and its people, while "
    "protecting civilians.",
    "He said Israel has a legitimate right to defend itself against rocket fire.",
    "The statement backed the right to defend itself and its people, while protecting "
    "civilians, the spokesman said.",
    "Markets were calm as trading resumed in the capital after the holiday.",
    "Farmers in the valley reported a good harvest and stable prices this year.",
]


def group(texts: list[str], **options: object) -> tuple[Grouped, pd.DataFrame]:
    ids = [f"d{i}" for i in range(len(texts))]
    frame = pd.DataFrame(
        {"doc_id": ids, "text": texts, "source": [f"S{i % 3}" for i in range(len(texts))]}
    )
    documents = clean_documents(load_corpus(frame).documents).documents
    _, tokens = tokenize(documents)
    mined = mine_phrases(tokens, documents)
    return group_variants(mined, tokens, documents, **options), documents  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def grouped() -> Grouped:
    return group(TEXTS)[0]


def family_of(grouped: Grouped, doc_id: str, words: str) -> str:
    occ = grouped.occurrences
    rows = occ[(occ["doc_id"] == doc_id) & occ["variant"].str.contains(words, regex=False)]
    assert len(rows) == 1, occ[occ["doc_id"] == doc_id][["family_id", "variant"]]
    return str(rows.iloc[0]["family_id"])


def test_schemas(grouped: Grouped) -> None:
    schema.check(grouped.families, "families", stage="test")
    schema.check(grouped.occurrences, "occurrences", stage="test")
    assert set(grouped.members.columns) >= {"family_id", "phrase", "how", "score", "linked_to"}


def test_modifier_swaps_are_one_family(grouped: Grouped) -> None:
    ids = {family_of(grouped, d, "support for israel's security") for d in ("d0", "d1", "d2")}
    assert len(ids) == 1


def test_two_formulas_in_one_sentence_are_two_families(grouped: Grouped) -> None:
    support = family_of(grouped, "d0", "support for israel's security")
    right = family_of(grouped, "d0", "right to defend")
    assert support != right
    assert family_of(grouped, "d3", "right to defend") == right
    assert family_of(grouped, "d4", "right to defend") == right


def test_variants_keep_their_modifiers_and_extensions(grouped: Grouped) -> None:
    variants = set(grouped.occurrences["variant"])
    assert "ironclad support for israel's security" in variants
    assert "unwavering support for israel's security" in variants
    # the extension its statements share belongs to the variant
    assert any(
        "legitimate right to defend itself and its people, while protecting civilians" in v
        for v in variants
    )
    # and a phrase that only ever extends it is not a family of its own
    assert not grouped.occurrences["variant"].str.startswith("protecting").any()
    extension = grouped.members[grouped.members["how"] == "extension"]
    assert set(extension["phrase"]) == {"protect civilian"}


def test_surface_is_the_exact_text(grouped: Grouped) -> None:
    documents = group(TEXTS)[1].set_index("doc_id")["text"]
    for row in grouped.occurrences.itertuples():
        assert documents[row.doc_id][row.start : row.end] == row.surface


def test_provenance_says_why(grouped: Grouped) -> None:
    kinds = {"core", "containment", "token edit", "overlap", "extension", "watch"}
    assert set(grouped.members["how"]) <= kinds
    assert set(grouped.occurrences["how"]) <= set(grouped.members["how"])
    founders = grouped.members[grouped.members["how"] == "core"]
    assert set(founders["family_id"]) == set(grouped.families["family_id"])
    linked = grouped.members[grouped.members["how"] != "core"]
    assert (linked["linked_to"] != "").all()
    assert linked["score"].between(0, 1).all()


def test_families_count_their_occurrences(grouped: Grouped) -> None:
    counted = grouped.occurrences.groupby("family_id").agg(
        n=("doc_id", "size"), docs=("doc_id", "nunique"), variants=("variant", "nunique")
    )
    table = grouped.families.set_index("family_id").loc[counted.index]
    assert (table["n_occurrences"] == counted["n"]).all()
    assert (table["n_docs"] == counted["docs"]).all()
    assert (table["n_variants"] == counted["variants"]).all()


def test_the_same_corpus_in_another_order_gives_the_same_tables() -> None:
    first = group(TEXTS)[0]
    frame = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(TEXTS))], "text": TEXTS})
    shuffled = frame.sample(frac=1.0, random_state=3)
    documents = clean_documents(
        load_corpus(
            shuffled.assign(source=[f"S{int(d[1:]) % 3}" for d in shuffled["doc_id"]])
        ).documents
    ).documents
    _, tokens = tokenize(documents)
    second = group_variants(mine_phrases(tokens, documents), tokens, documents)
    pd.testing.assert_frame_equal(first.families, second.families)
    pd.testing.assert_frame_equal(first.occurrences, second.occurrences)


def test_slots_list_the_fillers() -> None:
    occurrences = pd.DataFrame(
        {
            "family_id": ["f"] * 4,
            "variant": [
                "ironclad support for security",
                "unwavering support for security",
                "support for security",
                "unwavering support for security",
            ],
            "doc_id": ["a", "b", "c", "d"],
        }
    )
    slots = find_slots(occurrences)
    slot = slots[slots["pattern"] == "_ support for security"].set_index("filler")
    assert slot.loc["unwavering", "n_occurrences"] == 2
    assert slot.loc["ironclad", "n_docs"] == 1
    assert "" in slot.index  # the slot left empty
    assert (slots["pattern"].str.count("_") == 1).all()


def test_nothing_recurs_nothing_is_grouped() -> None:
    grouped, _ = group(["One sentence about apples.", "Another about distant stars."])
    assert grouped.families.empty
    assert grouped.occurrences.empty
    schema.check(grouped.families, "families", stage="test")


def test_a_corpus_with_a_handful_of_hits_is_grouped() -> None:
    # fewer phrase hits than the extension search looks back over (it crashed on slicing)
    words = ("help", "support", "patience")
    texts = [f"We thank the people of the United States for {w}." for w in words]
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": texts})
    result = pdr.analyze(docs)
    assert result.families["label"].tolist() == ["thank the people of the United States"]


def test_a_phrase_of_one_repeated_word_is_not_contained_in_every_phrase_with_it() -> None:
    # "face to face" is two of "face": it must not link every phrase that has "face" once
    from phrasedrift.group import _score_pairs

    stems = [["face", "face"], ["problem", "face"], ["face", "danger"]]
    weights = {"face": 1.0, "problem": 1.0, "danger": 1.0}
    pairs = np.array([[0, 1], [0, 2]])
    pid = np.array([0, 1, 2])  # each phrase's one hit
    edges = _score_pairs(pairs, stems, weights, np.empty((0, 3), np.int64), pid, 1)
    assert (edges["score"] < 0.7).all(), edges


def test_min_shared_asks_for_that_many_stems_in_common_before_containment() -> None:
    from phrasedrift.group import _score_pairs

    stems = [["build", "sound"], ["sound", "state"]]
    weights = {"build": 1.0, "sound": 3.0, "state": 1.0}  # one rare word in common
    pairs, pid = np.array([[0, 1]]), np.array([0, 1])
    no_overlap = np.empty((0, 3), np.int64)
    one = _score_pairs(pairs, stems, weights, no_overlap, pid, 1)
    two = _score_pairs(pairs, stems, weights, no_overlap, pid, 2)
    assert one.loc[0, "how"] == "containment" and one.loc[0, "score"] == 0.75
    assert two.loc[0, "score"] < 0.75


def test_distinct_is_numpys_unique() -> None:
    from phrasedrift.mine import distinct

    values = np.random.default_rng(0).integers(-50, 50, 1000)
    assert np.array_equal(distinct(values), np.unique(values))
    assert len(distinct(np.empty(0, np.int64))) == 0


def test_factorize_rows_gives_equal_rows_equal_codes() -> None:
    from phrasedrift.group import _factorize_rows

    rows = np.random.default_rng(1).integers(0, 3, (500, 3))
    codes, first = _factorize_rows(rows)
    # equal codes, equal rows; as many codes as distinct rows; numbered by first appearance
    assert np.array_equal(rows[first][codes], rows)
    assert len(first) == len(np.unique(rows, axis=0))
    assert np.array_equal(codes[first], np.arange(len(first)))
    assert np.array_equal(first, np.sort(first))
    # (1, 2) and (2, 1), or (0, 12) and (1, 2) after a naive join, must stay apart
    codes, _ = _factorize_rows(np.array([[1, 2], [2, 1], [1, 2], [0, 12]]))
    assert codes.tolist() == [0, 1, 0, 2]


def test_factorize_text_matches_pandas_on_categoricals_and_text() -> None:
    from phrasedrift.group import _factorize_text

    values = pd.Series(["b", "a", "b", "c", "a"])
    expected_codes, expected_names = pd.factorize(values.astype(str))
    for series in (values, values.astype("category"), values.astype(object)):
        codes, names = _factorize_text(series)
        assert codes.tolist() == expected_codes.tolist()
        assert names.tolist() == list(expected_names)


def test_slots_are_found_within_a_family_only() -> None:
    occurrences = pd.DataFrame(
        {
            "family_id": ["f", "g", "g", "g"],
            "variant": ["strong support", "firm support", "support", "solid support"],
            "doc_id": ["a", "b", "c", "d"],
        }
    )
    slots = find_slots(occurrences)
    # "strong" (family f) does not fill g's slot, and f's one filler makes no slot
    assert set(slots["family_id"]) == {"g"}
    assert slots["pattern"].tolist() == ["_ support"] * 3
    assert slots["filler"].tolist() == ["", "firm", "solid"]
    assert find_slots(occurrences, min_fillers=3).empty


def test_shared_run_counts_the_context_words_shared_with_another_sentence() -> None:
    from phrasedrift.group import _shared_run

    rng = np.random.default_rng(2)
    n, width = 300, 4
    cluster, sentence = rng.integers(0, 3, n), rng.integers(0, 20, n)
    keys = rng.integers(0, 3, 50)
    contexts = rng.integers(0, 50, (n, width))
    lengths = rng.integers(0, width + 1, n)
    contexts[np.arange(width) >= lengths[:, None]] = -1  # fewer context words
    words = [tuple(keys[row[row >= 0]].tolist()) for row in contexts]
    expected = [
        max(
            (
                k
                for k in range(1, lengths[i] + 1)
                for j in range(n)
                if cluster[j] == cluster[i]
                and sentence[j] != sentence[i]
                and words[j][:k] == words[i][:k]
                and lengths[j] >= k
            ),
            default=0,
        )
        for i in range(n)
    ]
    assert _shared_run(cluster, sentence, keys, contexts).tolist() == expected


def test_overlap_counts_count_hit_pairs_overlapping_by_half_the_shorter() -> None:
    from collections import Counter

    from phrasedrift.group import _Hits, _overlap_counts

    rng = np.random.default_rng(4)
    first = rng.integers(0, 200, 400)
    hits = pd.DataFrame(
        {
            "pid": rng.integers(0, 12, 400),
            "row_first": first,
            "row_last": first + rng.integers(0, 5, 400),
        }
    )
    rows = list(hits.itertuples(index=False))
    expected: Counter[tuple[int, int]] = Counter()
    for i, x in enumerate(rows):
        for y in rows[i + 1 :]:
            shared = min(x.row_last, y.row_last) - max(x.row_first, y.row_first) + 1
            shorter = min(x.row_last - x.row_first, y.row_last - y.row_first) + 1
            if x.pid != y.pid and 2 * shared >= shorter:
                expected[(min(x.pid, y.pid), max(x.pid, y.pid))] += 1

    def arrays(table: pd.DataFrame) -> _Hits:
        return _Hits.of(*(table[c].to_numpy(np.int64) for c in ("pid", "row_first", "row_last")))

    found = _overlap_counts(arrays(hits))
    assert found.tolist() == [[a, b, n] for (a, b), n in sorted(expected.items())]
    assert _overlap_counts(arrays(hits.iloc[:1])).shape == (0, 3)


def test_leads_are_the_nearest_earlier_hit_each_follows() -> None:
    from phrasedrift.group import _leads

    rng = np.random.default_rng(11)
    n, gap = 600, 3
    first = np.sort(rng.integers(0, 400, n))
    last = first + rng.integers(0, 4, n)
    sentence = first - first % 25  # sentences of 25 rows: the first row of each hit's
    cluster = rng.integers(0, 4, n)
    expected = []
    for b in range(n):  # the first step at which a hit before b fits, every hit between near
        lead = -1
        for step in range(1, 16):
            a = b - step
            if a < 0:
                break
            near = all(
                sentence[a + t] == sentence[a] and first[a + t] - last[a] <= gap
                for t in range(1, step + 1)
            )
            if near and cluster[a] != cluster[b] and first[b] > last[a]:
                lead = a
                break
        expected.append(lead)
    found = _leads(cluster, first, last, sentence, gap)
    assert found.tolist() == expected
    assert (found >= 0).sum() > 50  # the draw has hits that follow others
    assert len(_leads(cluster[:0], first[:0], last[:0], sentence[:0], gap)) == 0


def test_counted_counts_distinct_codes_with_and_without_weights() -> None:
    from collections import Counter

    from phrasedrift.group import _counted

    rng = np.random.default_rng(7)
    codes = rng.integers(0, 30, 500)
    weights = rng.integers(1, 9, 500)
    values, counts = _counted(codes)
    assert dict(zip(values.tolist(), counts.tolist(), strict=True)) == Counter(codes.tolist())
    assert values.tolist() == sorted(set(codes.tolist()))
    summed: Counter[int] = Counter()
    for code, weight in zip(codes.tolist(), weights.tolist(), strict=True):
        summed[code] += weight
    values, counts = _counted(codes, weights)
    assert dict(zip(values.tolist(), counts.tolist(), strict=True)) == summed
    assert [len(x) for x in _counted(codes[:0], weights[:0])] == [0, 0]


def test_modifiers_take_lowercase_content_words_on_the_left() -> None:
    from types import SimpleNamespace

    from phrasedrift.group import _modifiers

    rng = np.random.default_rng(5)
    n = 400
    words = SimpleNamespace(
        transparent=rng.random(n) < 0.2,
        content=rng.random(n) < 0.7,
        lower=rng.random(n) < 0.7,
        closing_quote=rng.random(n) < 0.5,
    )

    def one(first: int, floor: int, most: int) -> int:  # the rule, one span at a time
        taken, row = 0, first - 1
        while row >= floor and taken < most:
            if words.transparent[row]:
                row -= 1
                continue
            if not words.content[row] or not words.lower[row]:
                break
            first, taken, row = row, taken + 1, row - 1
        if first > floor and words.transparent[first - 1] and not words.closing_quote[first - 1]:
            first -= 1
        return first

    firsts = rng.integers(1, n, 300)
    floors = np.maximum(firsts - rng.integers(0, 8, 300), 0)
    for most in (0, 1, 2, 3):
        expected = [one(int(f), int(g), most) for f, g in zip(firsts, floors, strict=True)]
        found = _modifiers(words, firsts, floors, most)  # type: ignore[arg-type]
        assert found.tolist() == expected


def test_row_at_or_after_and_before_find_the_nearest_flagged_row() -> None:
    from phrasedrift.group import _row_at_or_after, _row_at_or_before

    flags = np.random.default_rng(6).random(60) < 0.3
    rows = np.flatnonzero(flags)
    at = np.arange(60)
    after = [min((r for r in rows if r >= a), default=np.iinfo(np.int64).max) for a in at]
    before = [max((r for r in rows if r <= a), default=-1) for a in at]
    assert _row_at_or_after(rows, at).tolist() == after
    assert _row_at_or_before(rows, at).tolist() == before
    assert _row_at_or_before(rows[:0], at).tolist() == [-1] * 60


def test_text_columns_hold_a_reference_per_row_not_a_copy_of_the_text() -> None:
    # a repeated value is one string: the occurrences table of a large corpus repeats a few
    # thousand wordings millions of times
    column = schema.take_text(np.array(["ironclad support", "right to defend"]), [1, 0, 1, -1])
    assert column.tolist()[:3] == ["right to defend", "ironclad support", "right to defend"]
    assert column[3] is pd.NA
    rows = np.asarray(column, dtype=object)
    assert rows[0] is rows[2]
    counts = dict.fromkeys(["n_variants", "n_occurrences", "n_docs", "n_sources"], 1)
    dates = dict.fromkeys(["first_date", "last_date"], pd.NaT)
    families = pd.DataFrame({"family_id": column, "label": "x", **counts, **dates})
    kept = schema.coerce(families, "families")["family_id"]
    assert np.asarray(kept.array, dtype=object)[0] is rows[0]  # coerce keeps the storage
