"""The quality bars of issues 3 and 4 on the hand-annotated gold: measured here, reported in
BENCHMARKS.md. The thresholds are the bar, not the current values (where a bar is not met yet,
the assertion holds the level reached and says the bar)."""

from __future__ import annotations

from pathlib import Path

import pytest

from phrasedrift import analyze
from phrasedrift.evaluate import read_gold, score_attribution, score_families
from phrasedrift.pipeline import Result

from .conftest import GOLD


@pytest.fixture(scope="module")
def result(sample_path: Path) -> Result:
    return analyze(sample_path)


def test_gold_recall_and_bcubed(result: Result) -> None:
    score = score_families(result.occurrences, read_gold(GOLD), result.documents, min_docs=2)
    assert score.n_gold == 94
    assert score.recall >= 0.90, score.matches[~score.matches["found"]]
    assert score.bcubed_f1 >= 0.85


def test_no_family_is_a_name_or_an_attribution_frame(result: Result) -> None:
    labels = set(result.families["label"])
    assert not any(label.split()[-1] in {"said", "told", "added"} for label in labels)
    assert "secretary of state antony blinken" not in labels


def test_gold_attribution(result: Result) -> None:
    score = score_families(result.occurrences, read_gold(GOLD), result.documents)
    shares = score_attribution(score.matches)
    assert shares["n"] >= 80
    # the bars are principal >= 0.90, speaker >= 0.80, mode >= 0.80 (issue 4); held here at
    # the level reached so far
    assert shares["principal"] >= 0.90
    assert shares["speaker"] >= 0.82
    assert shares["mode"] >= 0.83


def test_utterances_on_the_sample(result: Result) -> None:
    """The White House readout of Sullivan's call of 11 May 2021 (in 003 and 004) is one
    utterance; Austin's readouts of 2021 (002) and 2023 (000) are two."""
    occ = result.occurrences
    unwavering = occ[
        occ["doc_id"].str[:3].isin(["003", "004"])
        & occ["variant"].str.contains("unwavering support for israel", case=False)
    ]
    assert len(unwavering) == 2 and unwavering["utterance_id"].nunique() == 1
    # the translated readout (001) is the same utterance; Biden's call of the next day (002),
    # in the same words, is another
    same_words = occ[occ["variant"].str.contains("unwavering support for israel", case=False)]
    by_doc = {
        d: set(g["utterance_id"]) for d, g in same_words.groupby(same_words["doc_id"].str[:3])
    }
    assert by_doc["003"] <= by_doc["001"] and not by_doc["002"] & by_doc["003"]
    austin = occ[(occ["principal"] == "Lloyd Austin") & occ["family_id"].str.contains("support")]
    years = [set(g["utterance_id"]) for _, g in austin.groupby(austin["date"].dt.year)]
    assert len(years) == 2 and not years[0] & years[1]
