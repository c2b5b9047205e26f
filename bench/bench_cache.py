"""Benchmark incremental runs: ``analyze()`` with a cache folder after adding 1% documents,
against a full run without a cache, side by side in one process.

    .venv/bin/python bench/bench_cache.py                 # 2000 documents
    .venv/bin/python bench/bench_cache.py --docs 10000

Runs, on a synthetic corpus (``bench/synth.py``): (1) a full run without cache; (2) a run with
an empty cache on the first 99% of the documents (fills it); (3) the re-run on all documents,
which computes clean and tokens for the 1% only. Prints each run's stage times and the ratios
re-run / full for the per-document stages and for the whole run (which the cross-document
stages, run in full every time, bound).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import phrasedrift as pdr  # noqa: E402
from bench_analyze import machine  # noqa: E402
from phrasedrift.config import EngineConfig  # noqa: E402
from synth import generate  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    documents = generate(args.docs, seed=args.seed).documents
    first = documents.iloc[: args.docs * 99 // 100]
    runs = {}
    with tempfile.TemporaryDirectory() as cache:
        for name, corpus, cache_dir in (
            ("full, no cache", documents, None),
            ("99%, empty cache", first, cache),
            ("re-run +1%, cache", documents, cache),
        ):
            config = pdr.Config(engine=EngineConfig(cache_dir=cache_dir, progress=False))
            began = time.perf_counter()
            result = pdr.analyze(corpus, config=config)
            runs[name] = (time.perf_counter() - began, result.timings)
    stages = list(runs["full, no cache"][1])
    print("| run | analyze s | " + " | ".join(f"{s} s" for s in stages) + " |")
    print("|---|---:|" + "---:|" * len(stages))
    for name, (seconds, timings) in runs.items():
        cells = " | ".join(f"{timings[s]:.2f}" for s in stages)
        print(f"| {name} | {seconds:.2f} | {cells} |")
    full, rerun = runs["full, no cache"], runs["re-run +1%, cache"]
    per_doc = sum(full[1][s] for s in ("clean", "tokens"))
    per_doc_rerun = sum(rerun[1][s] for s in ("clean", "tokens"))
    print()
    print(f"- re-run / full, clean + tokens: {per_doc_rerun / per_doc:.2f}")
    print(f"- re-run / full, whole analyze: {rerun[0] / full[0]:.2f}")
    print(f"- Machine: {machine()}")
    print(f"- Command: `.venv/bin/python bench/bench_cache.py {' '.join(argv or sys.argv[1:])}`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
