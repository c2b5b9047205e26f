"""Engines of the per-document stages: the Dask engine on a real local cluster gives the local
engine's tables; engine names are checked; progress and stage lines go to stderr on request."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from distributed import Client, LocalCluster, get_task_stream

import phrasedrift as pdr
from phrasedrift.cli import main
from phrasedrift.config import EngineConfig
from phrasedrift.errors import PhrasedriftError

BENCH = Path(__file__).resolve().parents[1] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import synth  # noqa: E402

TABLES = (
    "documents",
    "removed",
    "duplicates",
    "sentences",
    "tokens",
    "occurrences",
    "families",
)


def test_dask_engine_gives_the_same_tables_as_the_local_engine() -> None:
    corpus = synth.generate(150, seed=11)
    local = pdr.analyze(corpus.documents, config=pdr.Config(engine=EngineConfig(workers=1)))
    with (
        LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
        get_task_stream(client) as stream,
    ):
        engine = EngineConfig(kind="dask", scheduler=cluster.scheduler_address, min_part=15)
        on_dask = pdr.analyze(corpus.documents, config=pdr.Config(engine=engine))
        workers = set(client.nthreads())
    # the parts ran on the cluster, on both worker processes (8 parts per stage here)
    assert len(workers) == 2
    assert {task["worker"] for task in stream.data} == workers
    assert not local.duplicates.empty  # reprints found across parts: the sketches were joined
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(local, table), getattr(on_dask, table), obj=table)


def test_an_unknown_engine_is_refused_with_the_known_names() -> None:
    with pytest.raises(PhrasedriftError, match=r"unknown engine 'spark'.*local, dask"):
        pdr.analyze(
            pd.DataFrame({"text": ["One text."]}),
            config=pdr.Config(engine=EngineConfig(kind="spark")),
        )


def test_the_dask_engine_without_dask_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(PhrasedriftError, match=r"pip install 'phrasedrift\[dask\]'"):
        pdr.analyze(
            pd.DataFrame({"text": ["One text."]}),
            config=pdr.Config(engine=EngineConfig(kind="dask")),
        )


def test_cli_engine_errors_print_one_line(
    sample_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["families", str(sample_path), "--engine", "spark"]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        "phrasedrift: error: unknown engine 'spark'; choose one of: local, dask"
    ]


def test_stage_lines_and_progress_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    corpus = synth.generate(40, seed=3).documents
    pdr.analyze(corpus, config=pdr.Config(engine=EngineConfig(workers=1, progress=False)))
    assert capsys.readouterr().err == ""
    pdr.analyze(corpus, config=pdr.Config(engine=EngineConfig(workers=1)))  # auto: not a TTY
    assert capsys.readouterr().err == ""
    pdr.analyze(
        corpus, config=pdr.Config(engine=EngineConfig(workers=2, min_part=10, progress=True))
    )
    err = capsys.readouterr().err
    for stage in ("corpus", "clean", "tokens", "mine", "group", "attribute", "drift"):
        assert f"phrasedrift: {stage} done in " in err
    assert "clean: 100%" in err and "tokens: 100%" in err  # the bars over the parts
