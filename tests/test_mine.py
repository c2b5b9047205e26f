"""Mining recurring phrases on small hand-made corpora with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from phrasedrift.clean import clean_documents
from phrasedrift.corpus import load_corpus
from phrasedrift.errors import SchemaError
from phrasedrift.mine import Mined, mine_phrases, packed_lexsort
from phrasedrift.tokens import tokenize


def mine(texts: list[str], **options: object) -> tuple[Mined, pd.DataFrame]:
    frame = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})
    documents = clean_documents(load_corpus(frame).documents).documents
    _, tokens = tokenize(documents)
    return mine_phrases(tokens, documents, **options), documents  # type: ignore[arg-type]


def phrases(mined: Mined) -> set[str]:
    return set(mined.phrases["phrase"])


def test_a_phrase_in_two_documents_is_found_one_in_one_is_not() -> None:
    mined, _ = mine(
        [
            "The minister reaffirmed ironclad support for the alliance on Monday.",
            "Officials repeated their ironclad support for the alliance in Rome.",
            "A lonely phrase about harvest festivals appears only here.",
        ]
    )
    assert "ironclad support allianc" in phrases(mined)
    assert not any("harvest" in p for p in phrases(mined))
    row = mined.phrases.set_index("phrase").loc["ironclad support allianc"]
    assert (row["n_docs"], row["n_occurrences"], bool(row["watch"])) == (2, 2, False)


def test_min_docs_is_a_parameter() -> None:
    texts = [
        "Leaders urged a sustainable calm on Monday.",
        "Envoys hoped for a sustainable calm in Cairo.",
        "A sustainable calm remains elusive, analysts warned.",
    ]
    assert "sustain calm" in phrases(mine(texts[:2])[0])
    assert "sustain calm" not in phrases(mine(texts[:2], min_docs=3)[0])
    assert "sustain calm" in phrases(mine(texts, min_docs=3)[0])


def test_hits_point_at_the_words_in_the_clean_text() -> None:
    mined, documents = mine(
        [
            'He spoke of "unwavering support" for Israel\'s security today.',
            "She expressed unwavering support for Israel's security again.",
        ]
    )
    texts = documents.set_index("doc_id")["text"]
    hits = mined.hits[mined.hits["phrase"] == "unwav support israel secur"]
    surfaces = [
        texts[d][s:e] for d, s, e in zip(hits["doc_id"], hits["start"], hits["end"], strict=True)
    ]
    # quotation marks are transparent: the phrase runs through them
    assert surfaces == [
        "unwavering support\" for Israel's security",
        "unwavering support for Israel's security",
    ]


def test_closed_a_phrase_inside_a_longer_one_with_the_same_support_is_listed_once() -> None:
    mined, _ = mine(
        [
            "They want equal measures of freedom, and nothing else.",
            "All deserve equal measures of freedom, the envoy said.",
        ]
    )
    found = phrases(mined)
    assert "equal measur freedom" in found
    assert "equal measur" not in found  # same documents, same occurrences as the longer one


def test_a_chance_combination_of_two_formulas_is_split() -> None:
    texts = [
        "He backed a sustainable calm and a two-state solution today.",
        "She backed a sustainable calm and a two-state solution as well.",
        "They want a sustainable calm in the region.",
        "Observers hope for a sustainable calm soon.",
        "Diplomats discussed a two-state solution at length.",
        "Negotiators revived the two-state solution idea.",
    ]
    found = phrases(mine(texts)[0])
    assert {"sustain calm", "twostat solut"} <= found
    assert not any("calm" in p and "twostat" in p for p in found)


def test_a_phrase_that_is_one_formula_is_not_split() -> None:
    texts = [
        "He condemned rocket attacks by armed groups in the north.",
        "She condemned rocket attacks by armed groups again.",
        "They condemned rocket attacks by armed groups on Friday.",
        "Rocket attacks continued overnight.",
    ]
    found = phrases(mine(texts)[0])
    assert "condemn rocket attack arm group" in found
    assert "arm group" not in found


def test_names_and_attribution_frames_are_not_formulas() -> None:
    texts = [
        "Secretary Antony Blinken said the talks were useful.",
        "Secretary Antony Blinken said the visit was short.",
    ]
    found = phrases(mine(texts)[0])
    assert not any("blinken" in p for p in found)
    assert not any("said" in p.split() for p in found)


def test_watched_phrases_are_found_fuzzily_even_once() -> None:
    mined, _ = mine(
        ["The envoy voiced grave concern about the humanitarain situation."],
        watch=("grave concern about the humanitarian situation",),
    )
    watched = mined.phrases[mined.phrases["watch"]]
    assert len(watched) == 1
    assert watched.iloc[0]["n_docs"] == 1  # tracked below min_docs, misspelling and all


def test_missing_columns_are_a_clear_error() -> None:
    with pytest.raises(SchemaError, match="lacks column 'norm'"):
        columns = ["doc_id", "sent_id", "tok_id", "start", "end", "token"]
        mine_phrases(pd.DataFrame(columns=columns))


def test_a_dash_ends_a_phrase_and_an_article_does_not() -> None:
    # Words that share a stem ("supports", "supported") make the stem vocabulary smaller than
    # the word vocabulary; punctuation and articles must still be recognised as such.
    texts = [
        f"Leaders voiced {lead} support — renewed talks began. "
        f"They {verb} the plan and will defend the homeland."
        for lead, verb in [
            ("ironclad", "supports"),
            ("ironclad", "supported"),
            ("ironclad", "back"),
        ]
    ]
    found = phrases(mine(texts)[0])
    assert not any("support" in p and "renew" in p for p in found), found
    assert any("defend homeland" in p for p in found), found


def test_a_phrase_does_not_run_from_a_name_over_its_attribution_verb() -> None:
    texts = [
        f"{when}, Minister Helena Sandoval reaffirmed unwavering support for the accord."
        for when in ("On Monday", "Later", "In Rome")
    ]
    found = phrases(mine(texts)[0])
    assert any("unwav support" in p for p in found), found
    assert not any("sandov" in p and "support" in p for p in found), found


def test_verbs_that_are_also_nouns_do_not_cut_formulas() -> None:
    # "stated" frames speech, but "state", "States" and "accords" are the words of formulas
    texts = [
        f"{who} stated that the state of our Union is strong and the United States welcomed "
        "the peace accords."
        for who in ("The President", "Governor Lane", "The senator")
    ]
    found = phrases(mine(texts)[0])
    assert any("state" in p.split() and "union" in p.split() for p in found), found
    assert any("unit state" in p for p in found), found
    assert any("peac accord" in p for p in found), found


def _best_intervals_one_by_one(intervals: list[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """The textbook weighted interval scheduling that mine's batch version must match."""
    import bisect

    ordered = sorted(intervals, key=lambda t: t[1])
    ends = [j for _, j, _ in ordered]
    best = [0.0] * (len(ordered) + 1)
    take = [False] * len(ordered)
    for k, (i, _, weight) in enumerate(ordered):
        with_it = best[bisect.bisect_right(ends, i, 0, k)] + weight
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


def test_best_intervals_of_all_owners_at_once_match_one_by_one() -> None:
    from phrasedrift.mine import _best_intervals

    rng = np.random.default_rng(0)
    owner, starts, ends, weights = [], [], [], []
    expected: dict[int, list[tuple[int, int]]] = {}
    for o in range(400):
        n = int(rng.integers(3, 12))
        pairs = [(i, j) for i in range(n) for j in range(i + 1, n + 1) if j - i < n]
        picked = rng.choice(len(pairs), size=int(rng.integers(1, len(pairs))), replace=False)
        # sub-ranges come in order of start, then end; small integer weights make ties
        intervals = [
            (*pairs[k], float(rng.integers(1, 4) * (pairs[k][1] - pairs[k][0])))
            for k in sorted(picked)
        ]
        for i, j, w in intervals:
            owner.append(2 * o)  # owners need not be consecutive
            starts.append(i)
            ends.append(j)
            weights.append(w)
        expected[2 * o] = _best_intervals_one_by_one(intervals)
    got_owner, got_start, got_end = _best_intervals(
        np.array(owner), np.array(starts), np.array(ends), np.array(weights)
    )
    got: dict[int, list[tuple[int, int]]] = {}
    for o, i, j in zip(got_owner.tolist(), got_start.tolist(), got_end.tolist(), strict=True):
        got.setdefault(o, []).append((i, j))
    assert got == {o: chosen for o, chosen in expected.items() if chosen}


def test_distinct_counts_and_ranges() -> None:
    from phrasedrift.mine import _distinct_counts, _ranges

    groups = np.array([0, 2, 0, 2, 2, 0, 3])
    values = np.array([5, 1, 5, 2, 1, 0, 7])
    assert _distinct_counts(groups, values, 5).tolist() == [2, 0, 2, 1, 0]
    assert _distinct_counts(groups[:0], values[:0], 2).tolist() == [0, 0]
    assert _distinct_counts(np.sort(groups), values, 5).tolist() == [2, 0, 3, 1, 0]
    few = np.array([0, 1, 0, 1, 1, 0]), np.array([0, 1, 0, 0, 1, 1])  # counted in a table
    assert _distinct_counts(*few, 2).tolist() == [2, 2]
    assert _ranges(np.array([4, 0, 9]), np.array([2, 0, 3])).tolist() == [4, 5, 9, 10, 11]


def test_prefix_hashes_in_chunks_hash_word_by_word() -> None:
    from phrasedrift.mine import _BASE, _prefix_hashes

    words = np.random.default_rng(1).integers(0, 5000, 1003).astype(np.int32)
    expected = [0]
    for word in words.tolist():  # h = h * BASE + word + 1, mod 2**64
        expected.append((expected[-1] * int(_BASE) + word + 1) % (1 << 64))
    for chunk in (1, 7, 1000, 1 << 20):
        assert _prefix_hashes(words, chunk=chunk).tolist() == expected


@pytest.mark.parametrize("high", [3, 1000, 2**40])  # the last does not pack: np.lexsort
def test_packed_lexsort_orders_as_lexsort(high: int) -> None:
    rng = np.random.default_rng(high)
    keys = tuple(rng.integers(0, high, 5000) for _ in range(3))
    assert np.array_equal(packed_lexsort(keys), np.lexsort(keys))


def test_levels_find_the_first_and_every_position_of_their_ngrams() -> None:
    from phrasedrift.config import MineConfig
    from phrasedrift.mine import _frequent_ngrams, _stream, non_content

    rng = np.random.default_rng(3)
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", ",", "."]
    texts = [" ".join(rng.choice(words, size=60)) for _ in range(30)]
    frame = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})
    documents = clean_documents(load_corpus(frame).documents).documents
    _, tokens = tokenize(documents)
    config = MineConfig()
    stop = non_content(config.stopwords, config.edge_words, config.attribution_verbs)
    levels = _frequent_ngrams(_stream(tokens, documents, stop, True), 2, 1, 6)
    assert len(levels) >= 3
    for level in levels.values():
        everyone = np.arange(len(level.hashes))
        by_id = [level.positions[level.ids == k] for k in everyone]
        assert level.firsts(everyone).tolist() == [p[0] for p in by_id]
        some = rng.permutation(everyone)[: len(everyone) // 2]
        found, which = level.occurrences(some)
        assert found.tolist() == sorted(p for k in some for p in by_id[k].tolist())
        at = dict(zip(level.positions.tolist(), level.ids.tolist(), strict=True))
        assert [at[p] for p in found.tolist()] == some[which].tolist()
