"""The scorer: locating gold spans, the overlap rule, and B-cubed on known answers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from phrasedrift.errors import PhrasedriftError
from phrasedrift.evaluate import locate, read_gold, score_families

TEXT = 'He said: "ironclad support" for Israel\'s security. Then ironclad support again.'
DOCS = pd.DataFrame({"doc_id": ["d1"], "text": [TEXT]})


def gold_frame(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"doc_id": "d1", "doc": "d1.txt", "family": f, "variant": v, "nth": n} for f, v, n in rows]
    )


def test_locate_folds_quotes_and_counts_nth() -> None:
    gold = gold_frame(
        [("s", "“ironclad support”", 1), ("s", "ironclad support", 2), ("s", "absent", 1)]
    )
    located = locate(gold, DOCS)
    assert TEXT[located.at[0, "start"] : located.at[0, "end"]] == '"ironclad support"'
    second = TEXT[located.at[1, "start"] : located.at[1, "end"]]
    assert second == "ironclad support"
    assert located.at[1, "start"] > located.at[0, "start"]
    assert pd.isna(located.at[2, "start"])


def test_found_needs_half_of_the_gold_span() -> None:
    gold = gold_frame([("s", "ironclad support again", 1)])
    start = TEXT.index("ironclad support again")
    half = len("ironclad support again") // 2
    near = pd.DataFrame(
        {"doc_id": ["d1"], "start": [start], "end": [start + half + 1], "family_id": ["f"]}
    )
    short = near.assign(end=start + half - 2)
    assert score_families(near, gold, DOCS).recall == 1.0
    assert score_families(short, gold, DOCS).recall == 0.0


def test_bcubed_on_a_known_answer() -> None:
    # gold families a, a, b, b predicted as x, x, x, y:
    # precision (2/3 + 2/3 + 1/3 + 1) / 4 = 2/3; recall (1 + 1 + 1/2 + 1/2) / 4 = 3/4
    words = ["alpha", "beta", "gamma", "delta"]
    text = " ".join(words)
    docs = pd.DataFrame({"doc_id": ["d1"], "text": [text]})
    gold = pd.DataFrame(
        {"doc_id": "d1", "family": ["a", "a", "b", "b"], "variant": words, "nth": 1}
    )
    starts = [text.index(w) for w in words]
    predicted = pd.DataFrame(
        {
            "doc_id": "d1",
            "start": starts,
            "end": [s + len(w) for s, w in zip(starts, words, strict=True)],
            "family_id": ["x", "x", "x", "y"],
        }
    )
    score = score_families(predicted, gold, docs)
    assert score.recall == 1.0
    assert score.bcubed_precision == pytest.approx(2 / 3)
    assert score.bcubed_recall == pytest.approx(3 / 4)
    assert score.bcubed_f1 == pytest.approx(2 * (2 / 3) * (3 / 4) / (2 / 3 + 3 / 4))


def test_min_docs_restricts_the_gold(tmp_path: Path) -> None:
    docs = pd.DataFrame({"doc_id": ["d1", "d2"], "text": ["calm now", "calm now and peace"]})
    gold = pd.DataFrame(
        {
            "doc_id": ["d1", "d2", "d2"],
            "family": ["calm", "calm", "peace"],
            "variant": ["calm now", "calm now", "peace"],
            "nth": 1,
        }
    )
    empty = pd.DataFrame(columns=["doc_id", "start", "end", "family_id"])
    assert score_families(empty, gold, docs).n_gold == 3
    assert score_families(empty, gold, docs, min_docs=2).n_gold == 2


def test_read_gold_checks_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "gold.csv"
    path.write_text("doc,variant\nx.txt,y\n")
    with pytest.raises(PhrasedriftError, match="lacks column"):
        read_gold(path)
    path.write_text("doc,family,variant,nth\nx.txt,f,y,2\n")
    gold = read_gold(path)
    assert gold.at[0, "doc_id"] == "x"
    assert gold.at[0, "nth"] == 2
