"""Time ``attribute_occurrences`` against the same function at an earlier commit, side by side.

    .venv/bin/python bench/bench_attribute.py --docs 1000 --baseline 19d06c0

Runs ``analyze()`` once on a synthetic corpus (``bench/synth.py``, seed 0; the sample corpus
with ``--sample``) to get its occurrences, documents and sentences, then times both versions of
the attribution stage on those tables in this process (best of ``--repeat`` CPU times) and
checks that they agree on every occurrence's ``principal``, ``speaker``, ``mode`` and
``utterance_id``. The earlier version is read with ``git show REV:src/phrasedrift/attribute.py``.
Prints a markdown row for BENCHMARKS.md with the machine and the command.
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pandas as pd

from phrasedrift import analyze
from phrasedrift.attribute import attribute_occurrences
from phrasedrift.roster import corpus_roster

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SAMPLE = ROOT / "corpora" / "gaza-2021-2023"
COMPARED = ["principal", "speaker", "mode", "utterance_id"]


def _baseline(rev: str) -> ModuleType:
    """``phrasedrift/attribute.py`` as it was at ``rev``, imported under another name."""
    source = subprocess.run(
        ["git", "show", f"{rev}:src/phrasedrift/attribute.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "attribute_baseline.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("attribute_baseline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _cpu(function: Callable[[], pd.DataFrame], repeat: int) -> tuple[float, pd.DataFrame]:
    best, out = float("inf"), pd.DataFrame()
    for _ in range(repeat):
        start = time.process_time()
        out = function()
        best = min(best, time.process_time() - start)
    return best, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--sample", action="store_true", help="the sample corpus instead")
    parser.add_argument("--baseline", default="19d06c0", help="git revision to compare with")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    sys.path.insert(0, str(BENCH))
    if args.sample:
        result, roster, name = analyze(SAMPLE), corpus_roster(SAMPLE), "sample"
    else:
        from synth import generate

        result, roster = analyze(generate(args.docs, seed=0).documents), None
        name = f"synthetic {args.docs} docs"
    grouped = result.occurrences.drop(columns=COMPARED)
    tables = (grouped, result.documents, result.sentences)
    old = _baseline(args.baseline)
    before, expected = _cpu(lambda: old.attribute_occurrences(*tables, roster=roster), args.repeat)
    after, got = _cpu(lambda: attribute_occurrences(*tables, roster=roster), args.repeat)
    differ = (expected[COMPARED].fillna("") != got[COMPARED].fillna("")).any(axis=1)
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"# .venv/bin/python bench/bench_attribute.py {' '.join(sys.argv[1:])}")
    print("| corpus | occurrences | before (s CPU) | after (s CPU) | ratio | rows differing |")
    print(
        f"| {name} | {len(grouped)} | {before:.2f} | {after:.2f} | "
        f"{before / after:.1f}x | {int(differ.sum())} |"
    )
    return 0 if not differ.any() else 1


if __name__ == "__main__":
    raise SystemExit(main())
