"""Benchmark ``phrasedrift.analyze()`` (no rendering) on synthetic corpora of growing size.

    .venv/bin/python bench/bench_analyze.py                          # 1k and 10k documents
    .venv/bin/python bench/bench_analyze.py --sizes 1000,10000,100000 --timeout 900
    .venv/bin/python bench/bench_analyze.py --sizes 10000 --engines local,dask   # side by side

Each size runs in a fresh subprocess, so its peak RSS (``ru_maxrss`` of the child) is its own.
The child generates the corpus with ``bench/synth.py`` (``--words`` words per document; not
timed as part of analyze), runs ``analyze()`` and reports documents/s, tokens/s, peak RSS, the
per-stage ``result.timings``, and, for sizes up to ``--score-max`` documents, the B-cubed F1 and
recall of the families against the synthetic gold. Beside it, the grouping step is redone the
naive way as a baseline: all pairs of mined phrases scored by ``rapidfuzz.process.cdist``
(``fuzz.token_set_ratio``, one worker, in row blocks), thresholded at the group stage's
threshold, then connected components; it is skipped (with a note) above ``--baseline-max``
phrases. The growth factor is the ratio of analyze times for 10x the documents (target <= 11x).
With ``--engines local,dask`` each size runs once per engine (``dask``: a LocalCluster of
``--workers`` worker processes started by ``analyze()``), one after the other, and the ratio of
their times is printed.

While a child runs it logs each stage's start and end, and its RSS every few seconds, to
stderr; a size that exceeds ``--timeout`` is killed and reported with the stage it was in.
Prints a markdown table (for BENCHMARKS.md) with the machine and the command.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent

TARGETS = "10k docs <= 30 s; 100k docs <= 5 min and <= 4 GB peak RSS; 10x docs <= 11x time"


# --- the child: one size ---------------------------------------------------------------------


def _rss_mb() -> float:
    """Current resident set size in MB (Linux /proc; 0 where unavailable)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError):
        return 0.0


def _peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak RSS in MB of this process (or of its largest finished child process)."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes vs KB


class _Progress:
    """Logs stage starts and ends and samples RSS to stderr, so a killed run says where it was."""

    def __init__(self, label: str, every: float) -> None:
        self.label, self.began, self.stage = label, time.perf_counter(), "setup"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(every,), daemon=True)
        self._thread.start()

    def log(self, message: str) -> None:
        elapsed = time.perf_counter() - self.began
        print(
            f"[{self.label} {elapsed:8.1f}s rss {_rss_mb():7.0f} MB] {message}",
            file=sys.stderr,
            flush=True,
        )

    def wrap_timer(
        self, timed: Callable[..., AbstractContextManager[None]]
    ) -> Callable[..., AbstractContextManager[None]]:
        """A stage timer like ``pipeline._timed`` that also logs the stage's start and end."""

        @contextmanager
        def logged(timings: dict[str, float], stage: str, **kwargs: Any) -> Iterator[None]:
            self.stage = stage
            self.log(f"stage {stage} start")
            with timed(timings, stage, **kwargs):
                yield
            self.log(f"stage {stage} end")

        return logged

    def _sample(self, every: float) -> None:
        while not self._stop.wait(every):
            self.log(f"in {self.stage}")

    def close(self) -> None:
        self._stop.set()


def run_child(args: argparse.Namespace) -> dict[str, Any]:
    sys.path.insert(0, str(BENCH))
    import numpy as np
    from rapidfuzz import fuzz, process
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    import phrasedrift as pdr
    from phrasedrift import pipeline
    from phrasedrift.config import Config, EngineConfig, GroupConfig
    from phrasedrift.evaluate import score_families
    from synth import generate

    n = args.child
    if args.max_memory_gb:  # a MemoryError in the child, not a machine that swaps or OOMs
        limit = int(args.max_memory_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    progress = _Progress(f"{n:>6}", args.log_every)
    # analyze() times each stage with pipeline._timed: log the stages as they start and end
    # (the stage functions themselves are left alone: worker processes must pickle them)
    if callable(getattr(pipeline, "_timed", None)):
        setattr(pipeline, "_timed", progress.wrap_timer(pipeline._timed))  # noqa: B010
    out: dict[str, Any] = {"docs": n, "engine": args.engine}
    began = time.perf_counter()
    progress.stage = "synth"
    progress.log("generating the corpus")
    synth = generate(n, seed=args.seed, words_per_doc=args.words)
    out["synth_s"] = round(time.perf_counter() - began, 2)
    out["rss_before_mb"] = round(_rss_mb())
    progress.log(f"generated {n} documents in {out['synth_s']} s")
    began = time.perf_counter()
    try:
        engine = EngineConfig(kind=args.engine, workers=args.workers)
        result = pdr.analyze(synth.documents, config=Config(engine=engine))
    except MemoryError:
        progress.log(f"MemoryError in stage {progress.stage} (limit {args.max_memory_gb} GB)")
        raise
    elapsed = time.perf_counter() - began
    out["peak_rss_mb"] = round(_peak_mb())  # before the baseline and the scoring
    out["peak_rss_workers_mb"] = round(_peak_mb(resource.RUSAGE_CHILDREN))
    out["analyze_s"] = round(elapsed, 2)
    out["tokens"] = len(result.tokens)
    out["timings"] = dict(result.timings)
    out["phrases"] = len(result.phrases)
    out["families"] = len(result.families)
    out["occurrences"] = len(result.occurrences)
    progress.log(f"analyze done in {elapsed:.1f} s")
    phrases = result.phrases["phrase"].astype(str).tolist()
    if len(phrases) <= args.baseline_max:
        progress.stage = "baseline cdist"
        cutoff = round(GroupConfig.threshold * 100)
        began = time.perf_counter()
        rows, cols = [], []
        block = 2000
        for first in range(0, len(phrases), block):
            scores = process.cdist(
                phrases[first : first + block],
                phrases,
                scorer=fuzz.token_set_ratio,
                score_cutoff=cutoff,
                dtype=np.uint8,
                workers=1,
            )
            r, c = np.nonzero(scores >= cutoff)
            rows.append(r + first)
            cols.append(c)
        i, j = np.concatenate(rows), np.concatenate(cols)
        graph = coo_matrix((np.ones(len(i), dtype=np.int8), (i, j)), (len(phrases),) * 2)
        n_components, _ = connected_components(graph, directed=False)
        out["baseline_s"] = round(time.perf_counter() - began, 2)
        out["baseline_families"] = int(n_components)
        progress.log(f"baseline cdist done in {out['baseline_s']} s")
    else:
        out["baseline_note"] = f"skipped: {len(phrases)} phrases > {args.baseline_max}"
    if n <= args.score_max:
        progress.stage = "scoring"
        score = score_families(result.occurrences, synth.gold, result.documents)
        out["score"] = score.as_dict()
        matches = score.matches.assign(kinds=synth.gold["kinds"].to_numpy())
        out["recall_by_kind"] = {
            kind: round(float(matches.loc[matches["kinds"].str.contains(kind), "found"].mean()), 3)
            for kind in ("modifier", "form", "inflection", "extension", "scare", "typo")
        }
        out["recall_canonical"] = round(
            float(matches.loc[matches["kinds"] == "", "found"].mean()), 3
        )
    progress.close()
    return out


# --- the parent: every size, the table -------------------------------------------------------


def machine() -> str:
    ram = "?"
    try:
        with open("/proc/meminfo") as meminfo:
            kb = int(meminfo.readline().split()[1])
            ram = f"{kb / 2**20:.1f} GB"
    except (OSError, ValueError, IndexError):
        pass
    import numpy
    import pandas
    import rapidfuzz

    return (
        f"{platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, {ram} RAM, "
        f"Python {platform.python_version()}, pandas {pandas.__version__}, "
        f"numpy {numpy.__version__}, rapidfuzz {rapidfuzz.__version__}"
    )


def code_version() -> str:
    """The phrasedrift version and the git commit measured (``rev-parse``: reads only; the
    working tree may hold uncommitted changes on top of it)."""
    import phrasedrift

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=BENCH.parent,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = "unknown commit"
    return f"phrasedrift {phrasedrift.__version__}, HEAD {commit}"


def run_size(n: int, engine: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable, __file__, "--child", str(n), "--seed", str(args.seed),
        "--words", str(args.words), "--baseline-max", str(args.baseline_max),
        "--score-max", str(args.score_max), "--log-every", str(args.log_every),
        "--max-memory-gb", str(args.max_memory_gb), "--engine", engine,
    ] + (["--workers", str(args.workers)] if args.workers else [])  # fmt: skip
    log: list[str] = []
    began = time.perf_counter()
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as child:

        def relay() -> None:
            assert child.stderr is not None
            for line in child.stderr:
                log.append(line.rstrip("\n"))
                print(line, end="", file=sys.stderr, flush=True)

        reader = threading.Thread(target=relay, daemon=True)
        reader.start()
        try:
            child.wait(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            reader.join(5)
            return {
                "docs": n,
                "engine": engine,
                "failed": f"killed after {args.timeout:.0f} s; {_last_stage(log)}",
                "log_tail": log[-12:],
            }
        reader.join(5)
        assert child.stdout is not None
        stdout = child.stdout.read()  # one line of JSON: the pipe never fills
    if child.returncode != 0:
        return {
            "docs": n,
            "engine": engine,
            "failed": f"exit status {child.returncode} after {time.perf_counter() - began:.0f} s; "
            + _last_stage(log),
            "log_tail": log[-12:],
        }
    result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    return result


def _last_stage(log: list[str]) -> str:
    """Where a child that did not finish was: its last stage line and its last RSS sample."""
    stages = [line for line in log if "] stage " in line or "] generat" in line]
    error = [line for line in log if "Error" in line]
    parts = [f"last stage line: {stages[-1]}" if stages else "no stage started"]
    if log:
        parts.append(f"last log line: {log[-1]}")
    if error:
        parts.append(error[-1].strip())
    return "; ".join(parts)


def _fmt_int(x: float) -> str:
    return f"{x:,.0f}"


def table(results: list[dict[str, Any]]) -> str:
    stages = sorted({s for r in results for s in r.get("timings", {})}, key=_stage_order)
    head = (
        ["docs", "engine", "tokens", "analyze s", "docs/s", "tokens/s", "peak RSS MB"]
        + ["worker peak MB"]
        + [f"{s} s" for s in stages]
        + ["phrases", "cdist baseline s", "baseline / group", "B-cubed F1", "recall"]
    )
    lines = ["| " + " | ".join(head) + " |", "|" + "---:|" * len(head)]
    for r in results:
        if "failed" in r:
            failed = r["failed"].replace("|", "/")
            lines.append(f"| {_fmt_int(r['docs'])} | {r.get('engine', '')} | {failed} |")
            continue
        group = r["timings"].get("group", 0.0)
        baseline = f"{r['baseline_s']:.2f}" if "baseline_s" in r else r.get("baseline_note", "")
        ratio = f"{r['baseline_s'] / group:.1f}x" if "baseline_s" in r and group else ""
        score = r.get("score", {})
        cells = (
            [
                _fmt_int(r["docs"]),
                r.get("engine", "local"),
                _fmt_int(r["tokens"]),
                f"{r['analyze_s']:.1f}",
                f"{r['docs'] / r['analyze_s']:.1f}",
                _fmt_int(r["tokens"] / r["analyze_s"]),
                _fmt_int(r["peak_rss_mb"]),
                _fmt_int(r.get("peak_rss_workers_mb", 0)),
            ]
            + [f"{r['timings'].get(s, float('nan')):.1f}" for s in stages]
            + [
                _fmt_int(r["phrases"]),
                baseline,
                ratio,
                f"{score['bcubed_f1']:.3f}" if score else "",
                f"{score['recall']:.3f}" if score else "",
            ]
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _stage_order(stage: str) -> int:
    order = ["corpus", "clean", "tokens", "attribute", "mine", "group", "drift"]
    return order.index(stage) if stage in order else len(order)


def growth(results: list[dict[str, Any]]) -> list[str]:
    lines = []
    done = [r for r in results if "failed" not in r]
    for a, b in itertools.combinations(done, 2):
        if a["docs"] == b["docs"] and a["engine"] != b["engine"]:
            lines.append(
                f"- {_fmt_int(a['docs'])} documents: {b['engine']} / {a['engine']} time "
                f"{b['analyze_s'] / a['analyze_s']:.2f} ({b['analyze_s']:.1f} s vs "
                f"{a['analyze_s']:.1f} s; peak RSS {b['peak_rss_mb']:,} vs {a['peak_rss_mb']:,} MB)"
            )
    done = [r for r in done if r["engine"] == done[0]["engine"]] if done else []
    for a, b in itertools.pairwise(done):
        factor = b["docs"] / a["docs"]
        ratio = b["analyze_s"] / a["analyze_s"]
        exponent = math.log(ratio) / math.log(factor)
        lines.append(
            f"- {_fmt_int(a['docs'])} -> {_fmt_int(b['docs'])} documents ({factor:.0f}x): "
            f"time x{ratio:.1f} (exponent {exponent:.2f}; target <= 11x for 10x), "
            + ", ".join(
                f"{s} x{b['timings'][s] / a['timings'][s]:.1f}"
                for s in sorted(b["timings"], key=_stage_order)
                if a["timings"].get(s)
            )
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated document counts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--words", type=int, default=600, help="mean words per document")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per size")
    parser.add_argument("--baseline-max", type=int, default=20000, help="most phrases for cdist")
    parser.add_argument("--score-max", type=int, default=10000, help="most docs to score")
    parser.add_argument("--log-every", type=float, default=15.0, help="seconds between RSS logs")
    parser.add_argument(
        "--max-memory-gb",
        type=float,
        default=16.0,
        help="address-space limit of each child (RLIMIT_AS; 0: none)",
    )
    parser.add_argument(
        "--engines", default="local", help="comma-separated engines to run each size on"
    )
    parser.add_argument("--workers", type=int, help="worker processes (default: one per core)")
    parser.add_argument("--engine", default="local", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(run_child(args)), flush=True)
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    results = []
    for n in sizes:
        for engine in args.engines.split(","):
            results.append(run_size(n, engine.strip(), args))
            if args.json:
                args.json.write_text(json.dumps(results, indent=1))
    print(table(results))
    print()
    for line in growth(results):
        print(line)
    for r in results:
        if "recall_by_kind" in r:
            print(
                f"- recall by variant kind at {_fmt_int(r['docs'])} docs ({r['engine']}): "
                f"canonical {r['recall_canonical']}, "
                + ", ".join(f"{k} {v}" for k, v in r["recall_by_kind"].items())
                + f"; precision {r['score']['bcubed_precision']:.3f}, "
                f"B-cubed recall {r['score']['bcubed_recall']:.3f}"
            )
        if "failed" in r:
            print(f"- {_fmt_int(r['docs'])} docs: {r['failed']}")
        elif "synth_s" in r:
            print(
                f"- {_fmt_int(r['docs'])} docs ({r['engine']}): corpus generated in "
                f"{r['synth_s']} s (RSS {r['rss_before_mb']} MB before analyze); "
                f"{r['families']} families, "
                f"{_fmt_int(r['occurrences'])} occurrences"
                + (
                    f"; baseline found {r['baseline_families']} components"
                    if "baseline_families" in r
                    else ""
                )
            )
    print()
    print(f"- Targets: {TARGETS}")
    print(f"- Machine: {machine()}")
    print(f"- Code: {code_version()}")
    print(f"- Command: `.venv/bin/python bench/bench_analyze.py {' '.join(argv or sys.argv[1:])}`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
