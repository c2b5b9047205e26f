"""analyze(): the one place that knows the order of the stages.

    corpus -> clean -> tokens -> mine -> group -> (later: attribute, drift)

It returns a :class:`Result` holding every table; reports are rendered from a Result and never
compute analysis themselves.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from phrasedrift import schema
from phrasedrift._version import __version__
from phrasedrift.clean import clean_documents
from phrasedrift.config import Config, options
from phrasedrift.corpus import Corpus, load_corpus
from phrasedrift.group import group_variants
from phrasedrift.mine import mine_phrases
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
    phrases: pd.DataFrame = field(default_factory=pd.DataFrame)
    families: pd.DataFrame = field(default_factory=lambda: schema.empty("families"))
    occurrences: pd.DataFrame = field(default_factory=lambda: schema.empty("occurrences"))
    members: pd.DataFrame = field(default_factory=pd.DataFrame)
    slots: pd.DataFrame = field(default_factory=pd.DataFrame)


def corpus_hash(documents: pd.DataFrame) -> str:
    """A short hash of the loaded corpus: ids, dates, sources and texts, in doc_id order."""
    digest = hashlib.sha256()
    for row in documents.sort_values("doc_id").itertuples(index=False):
        for value in (row.doc_id, row.source, row.date, row.text):
            digest.update(str(value).encode("utf-8", "surrogatepass"))
            digest.update(b"\x1f")
    return digest.hexdigest()[:16]


def _shared(mine: Any) -> dict[str, Any]:
    """The mining options that grouping needs to see the same words the same way."""
    names = (
        "stopwords",
        "edge_words",
        "attribution_verbs",
        "min_content",
        "split_ratio",
        "min_docs",
    )
    return {name: getattr(mine, name) for name in names}


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    timings[stage] = round(time.perf_counter() - start, 3)


def analyze(
    corpus: Corpus | pd.DataFrame | str | Path,
    *,
    config: Config | None = None,
    watch: Sequence[str] = (),
) -> Result:
    """Run every stage on ``corpus`` (a :class:`Corpus`, a DataFrame with a text column, or a
    path that :func:`load_corpus` accepts) and return the tables.

    ``watch`` phrases are tracked however rare, with those of ``config.mine.watch`` and the
    corpus folder's ``watch.txt``.
    """
    config = config or Config()
    timings: dict[str, float] = {}
    with _timed(timings, "corpus"):
        if not isinstance(corpus, Corpus):
            corpus = load_corpus(corpus, **options(config.corpus))
    with _timed(timings, "clean"):
        cleaned = clean_documents(corpus.documents, **options(config.clean))
    with _timed(timings, "tokens"):
        sentences, tokens = tokenize(cleaned.documents, **options(config.tokens))
    watched = tuple(dict.fromkeys([*config.mine.watch, *corpus.watch, *watch]))
    config = dataclasses.replace(config, mine=dataclasses.replace(config.mine, watch=watched))
    with _timed(timings, "mine"):
        mined = mine_phrases(tokens, cleaned.documents, **options(config.mine))
    with _timed(timings, "group"):
        grouped = group_variants(
            mined, tokens, cleaned.documents, **options(config.group), **_shared(config.mine)
        )
    return Result(
        name=corpus.name,
        documents=cleaned.documents,
        problems=corpus.problems,
        removed=cleaned.removed,
        duplicates=cleaned.duplicates,
        sentences=sentences,
        tokens=tokens,
        phrases=mined.phrases,
        families=grouped.families,
        occurrences=grouped.occurrences,
        members=grouped.members,
        slots=grouped.slots,
        config=config,
        corpus_hash=corpus_hash(corpus.documents),
        timings=timings,
    )
