"""analyze(): the one place that knows the order of the stages.

    corpus -> clean -> tokens -> mine -> group -> attribute -> drift

It returns a :class:`Result` holding every table; reports are rendered from a Result and never
compute analysis themselves.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import functools
import hashlib
import itertools
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from phrasedrift import drift, schema
from phrasedrift._version import __version__
from phrasedrift.attribute import attribute
from phrasedrift.clean import Cleaned, Sketch, clean_texts, mark_duplicates, sketch_texts
from phrasedrift.config import Config, EngineConfig, options
from phrasedrift.corpus import Corpus, load_corpus
from phrasedrift.group import group_variants
from phrasedrift.mine import mine_phrases
from phrasedrift.roster import corpus_roster
from phrasedrift.tokens import tokenize

_T = TypeVar("_T")


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

    def timeline(self, family: str, *, freq: str | None = None) -> pd.DataFrame:
        """Uses of each variant of ``family`` (an id, a label or a variant) per period:
        :func:`phrasedrift.drift.count_by_period`, the period chosen from the corpus span unless
        ``freq`` (or ``config.drift.freq``) gives it."""
        freq = freq or self.period()
        return drift.count_by_period(self._family(family), freq=freq, unit=self.config.drift.unit)

    def by_official(self, family: str) -> pd.DataFrame:
        """Each official's variants of ``family`` with counts, first and last use and signature
        scores: :func:`phrasedrift.drift.compare_officials`."""
        options = self.config.drift
        return drift.compare_officials(
            self._family(family), unit=options.unit, prior_strength=options.prior_strength
        )

    def diffs(self, family: str) -> pd.DataFrame:
        """Word edits from the label of ``family`` to each of its variants:
        :func:`phrasedrift.drift.diff_variants`."""
        return drift.diff_variants(self._family(family), self.families)

    def period(self) -> str:
        """The alias of the period of time tables (:data:`~phrasedrift.config.PERIODS`):
        ``config.drift.freq``, else chosen from the corpus span."""
        options = self.config.drift
        if options.freq:
            return drift.period_alias(options.freq)
        return drift.choose_period(self.documents["date"], max_periods=options.max_periods)

    def _family(self, family: str) -> pd.DataFrame:
        family_id = drift.find_family(self.families, family, occurrences=self.occurrences)
        return self.occurrences[self.occurrences["family_id"] == family_id]


def corpus_hash(documents: pd.DataFrame) -> str:
    """A short hash of the loaded corpus: ids, dates, sources and texts, in doc_id order."""
    digest = hashlib.sha256()
    for row in documents.sort_values("doc_id").itertuples(index=False):
        for value in (row.doc_id, row.source, row.date, row.text):
            digest.update(str(value).encode("utf-8", "surrogatepass"))
            digest.update(b"\x1f")
    return digest.hexdigest()[:16]


#: The options of :func:`clean_texts` (the rest of the clean options mark duplicates).
_TEXT_OPTIONS = (
    "fix_unicode",
    "boilerplate",
    "max_boilerplate_words",
    "max_tail_words",
    "min_tail_headlines",
    "max_byline_line",
)


@dataclass
class _Engine:
    """Runs the per-document stages (cleaning, tokens) on parts of the corpus in worker
    processes; the cross-document stages run in this process."""

    workers: int
    parts: int
    pool: concurrent.futures.ProcessPoolExecutor | None = None

    @classmethod
    def of(cls, engine: EngineConfig, n_documents: int) -> _Engine:
        workers = engine.workers or os.cpu_count() or 1
        parts = max(1, min(workers * 4, n_documents // max(engine.min_part, 1)))
        if workers <= 1 or parts <= 1:
            return cls(workers=1, parts=1)
        context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        pool = concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context)
        return cls(workers=workers, parts=parts, pool=pool)

    def map(self, function: Callable[[pd.DataFrame], _T], frame: pd.DataFrame) -> list[_T]:
        """``function`` applied to consecutive parts of ``frame``, results in order."""
        if self.pool is None:
            return [function(frame)]
        bounds = np.linspace(0, len(frame), self.parts + 1).astype(int)
        chunks = [frame.iloc[a:b] for a, b in itertools.pairwise(bounds) if b > a]
        return list(self.pool.map(function, chunks))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()


def _clean_part(
    documents: pd.DataFrame, text_options: dict[str, Any], sketch_options: dict[str, Any]
) -> tuple[Cleaned, Sketch]:
    """One worker's part of the clean stage: the clean texts and their near-duplicate sketch."""
    cleaned = clean_texts(documents, **text_options)
    return cleaned, sketch_texts(cleaned.documents["text"].tolist(), **sketch_options)


def _concat_categorical(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate frames column by column, keeping categorical columns categorical (categories
    unioned); ``pd.concat`` would turn categoricals with different categories into strings
    first, which costs more than the rest of the join."""
    if len(frames) == 1:
        return frames[0]
    columns: dict[str, Any] = {}
    for column in frames[0].columns:
        if isinstance(frames[0][column].dtype, pd.CategoricalDtype):
            columns[column] = union_categoricals([f[column] for f in frames], sort_categories=True)
        else:
            columns[column] = np.concatenate([f[column].to_numpy() for f in frames])
    return pd.DataFrame(columns, copy=False)


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
    engine = _Engine.of(config.engine, len(corpus.documents))
    with _timed(timings, "clean"):
        clean_options = options(config.clean)
        text_options = {k: clean_options.pop(k) for k in _TEXT_OPTIONS}
        sketch_options = {
            "shingle_size": config.clean.shingle_size,
            "permutations": config.clean.minhash_permutations,
        }
        parts = engine.map(
            functools.partial(
                _clean_part, text_options=text_options, sketch_options=sketch_options
            ),
            corpus.documents,
        )
        cleaned = mark_duplicates(
            Cleaned(
                documents=pd.concat([p.documents for p, _ in parts], ignore_index=True),
                removed=pd.concat([p.removed for p, _ in parts], ignore_index=True),
                duplicates=parts[0][0].duplicates,
            ),
            **clean_options,
            sketch=Sketch.concat([s for _, s in parts]),
        )
    with _timed(timings, "tokens"):
        pieces = engine.map(
            functools.partial(tokenize, **options(config.tokens)), cleaned.documents
        )
        sentences = pd.concat([p[0] for p in pieces], ignore_index=True)
        tokens = _concat_categorical([p[1] for p in pieces])
    engine.close()
    watched = tuple(dict.fromkeys([*config.mine.watch, *corpus.watch, *watch]))
    config = dataclasses.replace(config, mine=dataclasses.replace(config.mine, watch=watched))
    with _timed(timings, "mine"):
        mined = mine_phrases(tokens, cleaned.documents, **options(config.mine))
    with _timed(timings, "group"):
        grouped = group_variants(
            mined, tokens, cleaned.documents, **options(config.group), **_shared(config.mine)
        )
    with _timed(timings, "attribute"):
        attributed = attribute(
            grouped.occurrences,
            cleaned.documents,
            sentences,
            roster=corpus_roster(corpus.root),
            **options(config.attribute),
        )
        occurrences, sentences = attributed.occurrences, attributed.sentences
    with _timed(timings, "drift"):
        families = drift.add_drift(
            grouped.families,
            occurrences,
            freq=config.drift.freq
            or drift.choose_period(corpus.documents["date"], max_periods=config.drift.max_periods),
            unit=config.drift.unit,
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
        families=families,
        occurrences=occurrences,
        members=grouped.members,
        slots=grouped.slots,
        config=config,
        corpus_hash=corpus_hash(corpus.documents),
        timings=timings,
    )
