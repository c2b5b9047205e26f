"""Benchmark NLTK word tokenizers against phrasedrift's tokens stage, on the same text.

    .venv/bin/python bench/bench_tokenizers.py [--corpus DIR] [--mb 5] [--repeat 3]

The sample corpus texts (front matter removed) are repeated until they reach ``--mb`` megabytes
(10**6 bytes of UTF-8), as one document per file copy. Every row tokenizes the same documents;
each time is the best of ``--repeat`` runs. Prints a markdown table (MB/s, tokens/s, speed
relative to NLTKWordTokenizer) with the machine and the command, for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import nltk
import pandas as pd
from nltk.tokenize import NLTKWordTokenizer, RegexpTokenizer, TreebankWordTokenizer

from phrasedrift import schema
from phrasedrift.config import ABBREVIATIONS
from phrasedrift.tokens import (
    _TOKEN_SPLIT,
    TOKEN_PATTERN,
    _sentence_spans,
    _sentence_splitter,
    tokenize,
)

ROOT = Path(__file__).resolve().parents[1]


def read_texts(folder: Path) -> list[str]:
    """The texts of the .txt files in ``folder``, without their YAML front matter."""
    texts = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            text = text[text.index("\n---\n", 4) + len("\n---\n") :]
        texts.append(text)
    return texts


def repeat_to_size(texts: list[str], megabytes: float) -> list[str]:
    """``texts`` repeated until their UTF-8 size reaches ``megabytes``."""
    docs: list[str] = []
    size = 0
    while size < megabytes * 1e6:
        docs.extend(texts)
        size += sum(len(text.encode("utf-8")) for text in texts)
    return docs


def best_time(run: Callable[[], int], repeat: int) -> tuple[float, int]:
    """The shortest wall-clock time of ``repeat`` calls of ``run``, and what it returned."""
    best, result = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def count_spans(span_tokenize: Callable[[str], Iterable[tuple[int, int]]], docs: list[str]) -> int:
    return sum(sum(1 for _ in span_tokenize(doc)) for doc in docs)


def count_split(docs: list[str]) -> int:
    """Spans the way tokenize() computes them: one split, tokens at the odd positions."""
    return sum(len(_TOKEN_SPLIT.split(doc)) // 2 for doc in docs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpora" / "gaza-2021-2023")
    parser.add_argument("--mb", type=float, default=5.0, help="megabytes of text (default 5)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per row, best kept")
    args = parser.parse_args(argv)

    docs = repeat_to_size(read_texts(args.corpus), args.mb)
    megabytes = sum(len(doc.encode("utf-8")) for doc in docs) / 1e6
    frame = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(docs))], "text": docs})
    tables: dict[str, pd.DataFrame] = {}

    def full() -> int:
        tables["sentences"], tables["tokens"] = tokenize(frame)
        return len(tables["tokens"])

    rows = [
        ("`NLTKWordTokenizer().span_tokenize`", NLTKWordTokenizer().span_tokenize),
        ("`TreebankWordTokenizer().span_tokenize`", TreebankWordTokenizer().span_tokenize),
        (
            "`RegexpTokenizer(TOKEN_PATTERN).span_tokenize`",
            RegexpTokenizer(TOKEN_PATTERN).span_tokenize,
        ),
    ]
    runs: list[tuple[str, Callable[[], int]]] = [
        (name, functools.partial(count_spans, method, docs)) for name, method in rows
    ]
    runs.append(
        ("same pattern, bulk `split` + cumulative lengths (used)", lambda: count_split(docs))
    )
    splitter = _sentence_splitter(ABBREVIATIONS)
    runs.append(
        (
            "sentences alone: Punkt per line, inside `tokenize()` (counts sentences/s)",
            lambda: sum(len(_sentence_spans(doc, splitter)) for doc in docs),
        )
    )
    runs.append(("full `tokenize()`: sentences + tokens + norms", full))

    results = [(name, *best_time(run, args.repeat)) for name, run in runs]
    baseline = megabytes / results[0][1]
    print(f"{len(docs)} documents, {megabytes:.2f} MB, best of {args.repeat} runs\n")
    print("| tokenizer | MB/s | tokens/s | vs NLTKWordTokenizer |")
    print("|---|---:|---:|---:|")
    for name, seconds, n_tokens in results:
        speed = megabytes / seconds
        print(f"| {name} | {speed:.2f} | {n_tokens / seconds:,.0f} | {speed / baseline:.2f}x |")

    tokens = tables["tokens"]
    as_strings = schema.coerce(tokens, "tokens")
    per_row = tokens.memory_usage(deep=True).sum() / len(tokens)
    per_row_strings = as_strings.memory_usage(deep=True).sum() / len(tokens)
    print(
        f"\nTokens table: {len(tokens):,} rows, {per_row:.0f} bytes/row as returned "
        f"(category doc_id/token/norm), {per_row_strings:.0f} bytes/row after schema.coerce "
        f"(string columns)."
    )
    print(
        f"\nMachine: {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, NLTK {nltk.__version__}, "
        f"pandas {pd.__version__}"
    )
    print(f"Command: `{os.path.relpath(sys.executable)} {' '.join(sys.argv)}`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
