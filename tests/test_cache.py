"""The cache of per-document stage outputs (EngineConfig.cache_dir): a re-run computes only new
documents and the stages whose options changed, and gives the tables of a run without it."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import phrasedrift as pdr
from phrasedrift import pipeline
from phrasedrift.config import EngineConfig, TokensConfig

BENCH = Path(__file__).resolve().parents[1] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import synth  # noqa: E402

TABLES = ("documents", "removed", "duplicates", "sentences", "tokens", "occurrences", "families")


def test_a_rerun_computes_only_new_documents_and_changed_stages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    computed = {"clean": 0, "tokens": 0}
    clean_part, tokenize = pipeline._clean_part, pipeline.tokenize

    def counted_clean(documents: pd.DataFrame, *args: Any, **kwargs: Any) -> Any:
        computed["clean"] += len(documents)
        return clean_part(documents, *args, **kwargs)

    def counted_tokenize(documents: pd.DataFrame, **kwargs: Any) -> Any:
        computed["tokens"] += len(documents)
        return tokenize(documents, **kwargs)

    monkeypatch.setattr(pipeline, "_clean_part", counted_clean)
    monkeypatch.setattr(pipeline, "tokenize", counted_tokenize)

    def run(documents: pd.DataFrame, config: pdr.Config) -> tuple[pdr.Result, dict[str, int]]:
        computed.update(clean=0, tokens=0)
        return pdr.analyze(documents, config=config), dict(computed)

    corpus = synth.generate(100, seed=13).documents
    plain, _ = run(corpus, pdr.Config(engine=EngineConfig(workers=1)))
    cached = pdr.Config(engine=EngineConfig(workers=1, cache_dir=tmp_path))

    assert run(corpus.iloc[:95], cached)[1] == {"clean": 95, "tokens": 95}
    again, counts = run(corpus, cached)  # 5 documents added
    assert counts == {"clean": 5, "tokens": 5}
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(plain, table), getattr(again, table), obj=table)
    from_cache, counts = run(corpus, cached)
    assert counts == {"clean": 0, "tokens": 0}
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(plain, table), getattr(from_cache, table), obj=table)

    stemmed = dataclasses.replace(cached, tokens=TokensConfig(stem=True))
    assert run(corpus, stemmed)[1] == {"clean": 0, "tokens": 100}  # tokens only
    edited = corpus.assign(text=corpus["text"].where(corpus.index != 7, "A new text."))
    assert run(edited, cached)[1] == {"clean": 1, "tokens": 1}  # the edited document only
