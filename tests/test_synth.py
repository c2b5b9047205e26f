"""The synthetic benchmark corpus (bench/synth.py): determinism, gold integrity, realism checks,
and the quality bar of analyze() on it (B-cubed F1 of families >= 0.95)."""

from __future__ import annotations

import itertools
import re
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

import phrasedrift as pdr
from phrasedrift.config import ATTRIBUTION_VERBS, EDGE_WORDS, FUNCTION_WORDS, EngineConfig
from phrasedrift.evaluate import locate, read_gold, score_families
from phrasedrift.mine import non_content, stems_of

BENCH = Path(__file__).resolve().parents[1] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import synth  # noqa: E402

#: The quality bar of issue 3, on a ~300-document synthetic corpus.
MIN_BCUBED_F1 = 0.95
N_QUALITY_DOCS = 300


@pytest.fixture(scope="module")
def corpus() -> synth.Synth:
    return synth.generate(N_QUALITY_DOCS, seed=0)


@pytest.fixture(scope="module")
def result(corpus: synth.Synth) -> pdr.Result:
    return pdr.analyze(corpus.documents)


def test_same_seed_same_corpus_other_seed_other_corpus() -> None:
    a, b = synth.generate(40, seed=7), synth.generate(40, seed=7)
    pd.testing.assert_frame_equal(a.documents, b.documents)
    pd.testing.assert_frame_equal(a.gold, b.gold)
    c = synth.generate(40, seed=8)
    assert not a.documents["text"].equals(c.documents["text"])


def test_cli_output_is_byte_identical_and_loads(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert synth.main(["25", "--seed", "3", "--out", str(tmp_path / name)]) == 0
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(files) == 26 and "gold.csv" in files
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    with pytest.warns(pdr.CorpusWarning, match="gold.csv"):  # the gold file is no document
        loaded = pdr.load_corpus(tmp_path / "a")
    docs = loaded.documents
    assert len(docs) == 25
    assert set(docs["date_basis"]) == {"front matter"}
    assert docs["principal"].notna().all()
    gold = read_gold(tmp_path / "a" / "gold.csv")
    assert locate(gold, docs)["start"].notna().all()


def test_gold_offsets_point_at_the_variant(corpus: synth.Synth) -> None:
    texts = corpus.documents.set_index("doc_id")["text"]
    gold = corpus.gold
    assert list(gold.columns[:10]) == [
        "doc", "doc_id", "family", "variant", "nth", "start", "end", "principal", "speaker", "mode",
    ]  # fmt: skip
    columns = (gold["doc_id"], gold["start"], gold["end"], gold["variant"])
    for doc_id, start, end, variant in zip(*columns, strict=True):
        assert texts[doc_id][start:end] == variant
    assert set(gold["mode"]) == {"quote", "reported", "narration"}
    assert (gold.loc[gold["mode"] == "narration", "speaker"] == "").all()


def test_gold_nth_counts_like_the_scorer(corpus: synth.Synth) -> None:
    """locate() finds each variant's nth occurrence exactly where it was inserted."""
    located = locate(corpus.gold.drop(columns=["start", "end"]), corpus.documents)
    assert (located["start"].astype(int) == corpus.gold["start"]).all()
    assert (corpus.gold["nth"] >= 1).all()
    assert (corpus.gold["nth"] > 1).any()  # a document repeats a variant now and then


def test_corpus_shape(corpus: synth.Synth) -> None:
    docs, gold = corpus.documents, corpus.gold
    assert len(docs) == N_QUALITY_DOCS and docs["doc_id"].is_unique
    words = docs["text"].str.count(r"\S+")
    assert 540 <= words.mean() <= 660
    per_doc = gold.groupby("doc_id").size().reindex(docs["doc_id"], fill_value=0)
    assert per_doc.between(1, 6).all()
    assert 5 <= docs["source"].nunique() <= 20
    assert 10 <= gold["principal"].nunique() <= 40
    assert gold["family"].nunique() >= 35
    dates = pd.to_datetime(docs["date"])
    assert (dates.max() - dates.min()).days > 600
    # every kind of variation occurs
    kinds = Counter(k for ks in gold["kinds"] for k in ks.split("+") if k)
    for kind in ("modifier", "form", "inflection", "extension", "scare", "typo", "reorder"):
        assert kinds[kind] > 0, kind
    assert 0.02 <= kinds["typo"] / len(gold) <= 0.1  # a minority
    # wire copies: the same story in several outlets
    assert docs["title"].duplicated().sum() > 10


_STOP = non_content(FUNCTION_WORDS, EDGE_WORDS, ATTRIBUTION_VERBS)
_STEMS: dict[str, str | None] = {}


def _content_bigrams(text: str) -> list[tuple[str, str]]:
    """Adjacent content-word stems within punctuation-free stretches, as mining sees them."""
    out: list[tuple[str, str]] = []
    for segment in re.split(r"[,.;:!?\"]", text.lower()):
        words = re.findall(r"[a-z][a-z'-]*", segment)
        new = sorted({w for w in words if w not in _STEMS})
        if new:
            for word, stem in zip(new, stems_of(pd.Index(new)), strict=True):
                content = word not in _STOP.words and stem not in _STOP.stems
                _STEMS[word] = stem if content else None
        stems = [s for s in (_STEMS[w] for w in words) if s is not None]
        out += list(itertools.pairwise(stems))
    return out


def test_background_never_carries_a_family_core() -> None:
    cores: dict[tuple[str, str], str] = {}
    for family in synth.FAMILIES:
        form = re.sub(r"\{[A-Z]\}", " ", family.forms[0][0])
        if family.verb:
            form = f"{family.verb[0]} {form}"
        for bigram in _content_bigrams(form):
            cores.setdefault(bigram, family.key)
    assert len(set(cores.values())) == len(synth.FAMILIES)
    found = Counter(
        bigram
        for sentence in synth.background_sample(20000, seed=1)
        for bigram in _content_bigrams(sentence)
        if bigram in cores
    )
    assert not found, {f"{a} {b} ({cores[(a, b)]})": n for (a, b), n in found.items()}


def test_analyze_recovers_the_families(corpus: synth.Synth, result: pdr.Result) -> None:
    score = score_families(result.occurrences, corpus.gold, result.documents)
    matches = score.matches.assign(kinds=corpus.gold["kinds"].to_numpy())
    by_kind = {
        kind: round(float(matches.loc[matches["kinds"].str.contains(kind), "found"].mean()), 3)
        for kind in ("modifier", "form", "inflection", "extension", "scare", "typo")
    }
    report = f"{score.as_dict()}; recall by variant kind: {by_kind}"
    assert score.n_gold == len(corpus.gold)
    assert score.bcubed_f1 >= MIN_BCUBED_F1, report
    assert len(result.duplicates) > 0  # the wire copies are recognised as near-duplicates


def test_worker_processes_give_the_same_tables_as_one_process() -> None:
    corpus = synth.generate(120, seed=5)
    one = pdr.analyze(corpus.documents, config=pdr.Config(engine=EngineConfig(workers=1)))
    two = pdr.analyze(
        corpus.documents,
        config=pdr.Config(engine=EngineConfig(workers=2, min_part=15)),
    )
    assert not one.duplicates.empty  # the reprints are found, so the sketches were joined
    for table in ("documents", "removed", "duplicates", "sentences", "tokens", "occurrences"):
        pd.testing.assert_frame_equal(getattr(one, table), getattr(two, table), obj=table)
