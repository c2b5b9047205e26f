"""analyze(): the one place that knows the order of the stages.

    corpus -> clean -> tokens -> (later: attribute -> mine -> group -> drift)

It returns a :class:`Result` holding every table; reports are rendered from a Result and never
compute analysis themselves.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from phrasedrift._version import __version__
from phrasedrift.clean import clean_documents
from phrasedrift.config import Config, options
from phrasedrift.corpus import Corpus, load_corpus
from phrasedrift.tokens import tokenize


@dataclass(frozen=True)
class Result:
    """Every table of one analysis run (columns in :mod:`phrasedrift.schema`)."""

    name: str
    documents: pd.DataFrame
    problems: pd.DataFrame
    removed: pd.DataFrame
    duplicates: pd.DataFrame
    sentences: pd.DataFrame
    tokens: pd.DataFrame
    config: Config
    corpus_hash: str
    version: str = __version__
    timings: dict[str, float] = field(default_factory=dict)


def corpus_hash(documents: pd.DataFrame) -> str:
    """A short hash of the loaded corpus: ids, dates, sources and texts, in doc_id order."""
    digest = hashlib.sha256()
    for row in documents.sort_values("doc_id").itertuples(index=False):
        for value in (row.doc_id, row.source, row.date, row.text):
            digest.update(str(value).encode("utf-8", "surrogatepass"))
            digest.update(b"\x1f")
    return digest.hexdigest()[:16]


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    timings[stage] = round(time.perf_counter() - start, 3)


def analyze(
    corpus: Corpus | pd.DataFrame | str | Path,
    *,
    config: Config | None = None,
) -> Result:
    """Run every stage on ``corpus`` (a :class:`Corpus`, a DataFrame with a text column, or a
    path that :func:`load_corpus` accepts) and return the tables."""
    config = config or Config()
    timings: dict[str, float] = {}
    with _timed(timings, "corpus"):
        if not isinstance(corpus, Corpus):
            corpus = load_corpus(corpus, **options(config.corpus))
    with _timed(timings, "clean"):
        cleaned = clean_documents(corpus.documents, **options(config.clean))
    with _timed(timings, "tokens"):
        sentences, tokens = tokenize(cleaned.documents, **options(config.tokens))
    return Result(
        name=corpus.name,
        documents=cleaned.documents,
        problems=corpus.problems,
        removed=cleaned.removed,
        duplicates=cleaned.duplicates,
        sentences=sentences,
        tokens=tokens,
        config=config,
        corpus_hash=corpus_hash(corpus.documents),
        timings=timings,
    )
