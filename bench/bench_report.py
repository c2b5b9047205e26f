"""Benchmark rendering the report: ``render_report()`` of a synthetic corpus, each format
timed on its own, with the figures drawn here (``workers=1``) and in worker processes, side
by side in one process.

    .venv/bin/python bench/bench_report.py                        # 2,000 documents
    .venv/bin/python bench/bench_report.py --docs 10000 --rounds 2

``analyze()`` runs once and is not timed. Each round renders HTML alone, then the CSV exports
alone, then the PDF alone, for each number of drawing processes, into a temporary folder.
Prints one row per render and the ratio of the drawing processes' HTML time to one process's.
Run it with ``PYTHONPATH=<other checkout>/src`` to time another version of the code.
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
from synth import generate  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--workers", default="1,2", help="drawing processes to compare")
    parser.add_argument("--formats", default="html,csv,pdf")
    args = parser.parse_args(argv)
    result = pdr.analyze(generate(args.docs, seed=args.seed).documents)
    counts = [int(w) for w in args.workers.split(",")]
    formats = args.formats.split(",")
    print(f"{args.docs:,} documents, {len(result.occurrences):,} occurrences, code {pdr.__file__}")
    print()
    print("| round | drawing processes | " + " | ".join(f"{f} s" for f in formats) + " |")
    print("|---:|---:|" + "---:|" * len(formats))
    html: dict[int, list[float]] = {w: [] for w in counts}
    with tempfile.TemporaryDirectory() as out:
        for round_ in range(1, args.rounds + 1):
            for workers in counts:
                seconds = []
                for name in formats:
                    began = time.perf_counter()
                    pdr.render_report(result, Path(out) / name, formats=(name,), workers=workers)
                    seconds.append(time.perf_counter() - began)
                    if name == "html":
                        html[workers].append(seconds[-1])
                cells = " | ".join(f"{s:.1f}" for s in seconds)
                print(f"| {round_} | {workers} | {cells} |", flush=True)
    if "html" in formats and len(counts) > 1:
        base = counts[0]
        print()
        for workers in counts[1:]:
            pairs = zip(html[base], html[workers], strict=True)
            ratios = ", ".join(f"{a / b:.2f}" for a, b in pairs)
            print(f"- HTML, {base} / {workers} drawing processes: {ratios} (per round)")
    print(f"- Machine: {machine()}")
    print(f"- Command: `{' '.join(['.venv/bin/python', 'bench/bench_report.py', *sys.argv[1:]])}`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
