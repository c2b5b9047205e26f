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
from typing import Any, Protocol, TypeVar

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals
from scipy import sparse
from tqdm import tqdm

from phrasedrift import drift, schema
from phrasedrift._version import __version__
from phrasedrift.attribute import attribute
from phrasedrift.cache import cached_map, folder_for
from phrasedrift.clean import Cleaned, Sketch, clean_texts, mark_duplicates, sketch_texts
from phrasedrift.config import Config, EngineConfig, options
from phrasedrift.corpus import Corpus, load_corpus
from phrasedrift.errors import PhrasedriftError
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


class _Executor(Protocol):
    """What an engine needs of a pool: ``submit`` one part, get a future with ``result()``."""

    def submit(self, function: Callable[[pd.DataFrame], Any], part: pd.DataFrame, /) -> Any: ...

    def shutdown(self) -> None: ...


@dataclass
class _Engine:
    """Runs the per-document work (cleaning, tokens, each document's reading for attribution)
    on consecutive parts of the corpus in worker processes, here or on a Dask cluster; the
    cross-document stages run in this process."""

    parts: int
    executor: _Executor | None = None
    progress: bool = False

    def map(
        self, function: Callable[[pd.DataFrame], _T], frame: pd.DataFrame, *, stage: str
    ) -> list[_T]:
        """``function`` applied to consecutive parts of ``frame``, results in order (a progress
        bar over the parts when ``progress``)."""
        if self.executor is None:
            return [function(frame)]
        bounds = np.linspace(0, len(frame), self.parts + 1).astype(int)
        chunks = [frame.iloc[a:b] for a, b in itertools.pairwise(bounds) if b > a]
        futures = [self.executor.submit(function, chunk) for chunk in chunks]
        bar = tqdm(futures, desc=stage, unit="part", file=sys.stderr, disable=not self.progress)
        return [future.result() for future in bar]


def _parts(workers: int, n_documents: int, min_part: int) -> int:
    """Four parts per worker, so a slow part does not hold the others up; none smaller than
    ``min_part`` documents."""
    return max(1, min(workers * 4, n_documents // max(min_part, 1)))


def _local_engine(engine: EngineConfig, n_documents: int, progress: bool) -> _Engine:
    workers = engine.workers or os.cpu_count() or 1
    parts = _parts(workers, n_documents, engine.min_part)
    if workers <= 1 or parts <= 1:
        return _Engine(parts=1)
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    pool = concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context)
    return _Engine(parts=parts, executor=pool, progress=progress)


@dataclass
class _DaskExecutor:
    """Parts go to the cluster with ``scatter`` (not inside the task), functions with
    ``submit``; the client (and cluster) are closed at the end only when the run started them."""

    client: Any
    owned: list[Any]

    def submit(self, function: Callable[[pd.DataFrame], Any], part: pd.DataFrame, /) -> Any:
        return self.client.submit(function, self.client.scatter(part))

    def shutdown(self) -> None:
        for thing in self.owned:
            thing.close()


def _dask_engine(engine: EngineConfig, n_documents: int, progress: bool) -> _Engine:
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:
        raise PhrasedriftError(
            "the dask engine needs Dask: pip install 'phrasedrift[dask]'"
        ) from error
    owned: list[Any] = []
    if isinstance(engine.scheduler, Client):
        client = engine.scheduler
    elif engine.scheduler is None:
        cluster = LocalCluster(
            n_workers=engine.workers or os.cpu_count() or 1,
            processes=True,
            threads_per_worker=1,
        )
        owned.append(cluster)
        client = Client(cluster)
    else:
        try:
            client = Client(engine.scheduler)
        except OSError as error:
            raise PhrasedriftError(
                f"cannot reach the Dask scheduler at {engine.scheduler}: {error}"
            ) from error
    owned.insert(0, client)
    workers = sum(client.nthreads().values()) or 1
    executor = _DaskExecutor(client=client, owned=owned)
    return _Engine(
        parts=_parts(workers, n_documents, engine.min_part), executor=executor, progress=progress
    )


#: The engines of :attr:`EngineConfig.kind`.
_ENGINES: dict[str, Callable[[EngineConfig, int, bool], _Engine]] = {
    "local": _local_engine,
    "dask": _dask_engine,
}


@contextmanager
def _engine(engine: EngineConfig, n_documents: int, progress: bool) -> Iterator[_Engine]:
    """The engine of ``engine.kind``, shut down when the per-document stages are done."""
    if engine.kind not in _ENGINES:
        raise PhrasedriftError(
            f"unknown engine {engine.kind!r}; choose one of: {', '.join(_ENGINES)}"
        )
    started = _ENGINES[engine.kind](engine, n_documents, progress)
    try:
        yield started
    finally:
        if started.executor is not None:
            started.executor.shutdown()


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


def _clean_frames(
    documents: pd.DataFrame, text_options: dict[str, Any], sketch_options: dict[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """:func:`_clean_part` as tables of one row per document or removed line (for the cache):
    clean texts, removed lines, and each document's shingle ids and MinHash signature."""
    cleaned, sketch = _clean_part(documents, text_options, sketch_options)
    shingles = sketch.shingles
    sketches = pd.DataFrame(
        {
            "doc_id": cleaned.documents["doc_id"],
            "shingles": [shingles.indices[a:b] for a, b in itertools.pairwise(shingles.indptr)],
            "signature": list(sketch.signatures),
        }
    )
    return cleaned.documents[["doc_id", "text", "n_removed"]], cleaned.removed, sketches


def _clean_stage(engine: _Engine, documents: pd.DataFrame, config: Config) -> Cleaned:
    """Clean texts and sketches in parts on the engine (or from the cache), then the
    near-duplicates of the whole corpus here."""
    clean_options = options(config.clean)
    text_options = {k: clean_options.pop(k) for k in _TEXT_OPTIONS}
    sketch_options = {
        "shingle_size": config.clean.shingle_size,
        "permutations": config.clean.minhash_permutations,
    }
    cache_dir = config.engine.cache_dir
    if cache_dir is None:
        parts = engine.map(
            functools.partial(
                _clean_part, text_options=text_options, sketch_options=sketch_options
            ),
            documents,
            stage="clean",
        )
        cleaned = Cleaned(
            documents=pd.concat([p.documents for p, _ in parts], ignore_index=True),
            removed=pd.concat([p.removed for p, _ in parts], ignore_index=True),
            duplicates=schema.empty("duplicates"),
        )
        sketch = Sketch.concat([s for _, s in parts])
    else:
        texts, removed, sketches = cached_map(
            functools.partial(engine.map, stage="clean"),
            functools.partial(
                _clean_frames, text_options=text_options, sketch_options=sketch_options
            ),
            documents,
            folder=folder_for(cache_dir, "clean", {**text_options, **sketch_options}),
        )
        out = documents.reset_index(drop=True)
        out["text"] = texts["text"].astype("string").array
        out["n_removed"] = texts["n_removed"].to_numpy(dtype="int64")
        cleaned = Cleaned(
            documents=schema.coerce(out, "documents"),
            removed=schema.coerce(removed, "removed"),
            duplicates=schema.empty("duplicates"),
        )
        lengths = [len(ids) for ids in sketches["shingles"]]
        ids = np.concatenate([np.zeros(0, np.int32), *sketches["shingles"]]).astype(np.int32)
        shape = (len(sketches), 1 << 30)
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        sketch = Sketch(
            shingles=sparse.csr_matrix((np.ones(len(ids), np.float32), ids, indptr), shape),
            signatures=np.array(list(sketches["signature"]), dtype=np.uint64).reshape(
                len(sketches), config.clean.minhash_permutations
            ),
        )
    return mark_duplicates(cleaned, **clean_options, sketch=sketch)


def _tokens_stage(
    engine: _Engine, documents: pd.DataFrame, config: Config
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sentences and tokens in parts on the engine (or from the cache)."""
    function = functools.partial(tokenize, **options(config.tokens))
    if config.engine.cache_dir is None:
        pieces = engine.map(function, documents, stage="tokens")
        sentences = pd.concat([p[0] for p in pieces], ignore_index=True)
        return sentences, _concat_categorical([p[1] for p in pieces])
    sentences, tokens = cached_map(
        functools.partial(engine.map, stage="tokens"),
        function,
        documents[["doc_id", "text"]],
        folder=folder_for(config.engine.cache_dir, "tokens", options(config.tokens)),
    )
    return sentences, tokens


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
def _timed(timings: dict[str, float], stage: str, *, show: bool) -> Iterator[None]:
    """Time ``stage`` into ``timings``; with ``show``, print a line on stderr when it ends."""
    start = time.perf_counter()
    yield
    timings[stage] = round(time.perf_counter() - start, 3)
    if show:
        tqdm.write(f"phrasedrift: {stage} done in {timings[stage]:.2f} s", file=sys.stderr)


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
    progress = config.engine.progress
    if progress is None:
        progress = sys.stderr.isatty()
    timings: dict[str, float] = {}
    timed = functools.partial(_timed, timings, show=progress)
    with timed("corpus"):
        if not isinstance(corpus, Corpus):
            corpus = load_corpus(corpus, **options(config.corpus))
    with _engine(config.engine, len(corpus.documents), progress) as engine:
        with timed("clean"):
            cleaned = _clean_stage(engine, corpus.documents, config)
        with timed("tokens"):
            sentences, tokens = _tokens_stage(engine, cleaned.documents, config)
        watched = tuple(dict.fromkeys([*config.mine.watch, *corpus.watch, *watch]))
        config = dataclasses.replace(config, mine=dataclasses.replace(config.mine, watch=watched))
        with timed("mine"):
            mined = mine_phrases(tokens, cleaned.documents, **options(config.mine))
        with timed("group"):
            grouped = group_variants(
                mined, tokens, cleaned.documents, **options(config.group), **_shared(config.mine)
            )
        phrases = mined.phrases
        del mined  # its hits, a row per phrase occurrence, are not needed after grouping
        with timed("attribute"):
            attributed = attribute(
                grouped.occurrences,
                cleaned.documents,
                sentences,
                roster=corpus_roster(corpus.root),
                **options(config.attribute),
                map_documents=functools.partial(engine.map, stage="attribute"),
            )
            occurrences, sentences = attributed.occurrences, attributed.sentences
    with timed("drift"):
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
        phrases=phrases,
        families=families,
        occurrences=occurrences,
        members=grouped.members,
        slots=grouped.slots,
        config=config,
        corpus_hash=corpus_hash(corpus.documents),
        timings=timings,
    )
