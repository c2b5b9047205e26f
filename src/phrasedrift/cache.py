"""A folder of per-document stage outputs, so a re-run computes only new or changed documents.

    tables = cached_map(run, function, documents, folder=cache_dir / "tokens-<options hash>")

``function`` takes a part of ``documents`` and returns a tuple of tables, each with a ``doc_id``
column, whose rows belong to one document each (sentences, tokens, removed lines...). A
document is known by the hash of its ``doc_id`` and ``text``; a stage's folder is named by a
hash of its options and the phrasedrift version (:func:`folder_for`), so changing an option of
one stage invalidates that stage only, and a document whose clean text changed gets new tokens.

Layout of a stage folder: per run that computed anything, ``<batch>-<i>.parquet`` for each
table ``i`` (with a ``key`` column) and, written last, ``<batch>-keys.parquet`` listing the
documents the batch holds; a batch without its keys file (an interrupted run) is ignored.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from phrasedrift._version import __version__

Tables = tuple[pd.DataFrame, ...]


def folder_for(cache_dir: str | Path, stage: str, stage_options: dict[str, Any]) -> Path:
    """The folder of ``stage``'s outputs made with ``stage_options`` (by their ``repr``)."""
    digest = hashlib.sha256(repr((__version__, sorted(stage_options.items()))).encode())
    return Path(cache_dir) / f"{stage}-{digest.hexdigest()[:16]}"


def document_keys(documents: pd.DataFrame) -> pd.Series:
    """A hash of each document's ``doc_id`` and ``text``."""
    return pd.Series(
        [
            hashlib.sha256(f"{doc_id}\x1f{text}".encode("utf-8", "surrogatepass")).hexdigest()[:32]
            for doc_id, text in zip(documents["doc_id"], documents["text"], strict=True)
        ],
        index=documents.index,
    )


def cached_map(
    run: Callable[[Callable[[pd.DataFrame], Tables], pd.DataFrame], Sequence[Tables]],
    function: Callable[[pd.DataFrame], Tables],
    documents: pd.DataFrame,
    *,
    folder: Path,
) -> Tables:
    """``function``'s tables for ``documents``, in document order, as if it had run on all of
    them: documents found in ``folder`` are read, the others computed with ``run(function,
    missing)`` (parts joined in order) and added to ``folder``."""
    keys = document_keys(documents)
    done, stored = _read(folder, set(keys))
    missing = documents[~keys.isin(done)]
    tables = stored
    if len(missing) or not stored:
        parts = run(function, missing)
        new = [pd.concat([p[i] for p in parts], ignore_index=True) for i in range(len(parts[0]))]
        key_of = dict(zip(missing["doc_id"], keys[missing.index], strict=True))
        new = [t.assign(key=t["doc_id"].map(key_of).astype(str)) for t in new]
        _write(folder, new, keys[missing.index])
        tables = [[*old, t] for old, t in zip(tables or [[] for _ in new], new, strict=True)]
    position = pd.Series(range(len(keys)), index=keys.to_numpy())
    return tuple(_in_order(frames, position) for frames in tables)


def _read(folder: Path, wanted: set[str]) -> tuple[set[str], list[list[pd.DataFrame]]]:
    """The wanted documents found in ``folder`` and, for each table, their rows in each batch
    ([] if none; not joined here, which would turn categorical columns into strings)."""
    done: set[str] = set()
    found: list[list[pd.DataFrame]] = []
    for keys_path in sorted(folder.glob("*-keys.parquet")) if folder.is_dir() else []:
        take = set(pd.read_parquet(keys_path)["key"]) & wanted - done
        if not take:
            continue
        done |= take
        batch = keys_path.name.removesuffix("-keys.parquet")
        frames, i = [], 0
        while (path := folder / f"{batch}-{i}.parquet").exists():
            table = pd.read_parquet(path)
            frames.append(table[table["key"].isin(take)])
            i += 1
        found.append(frames)
    return done, [list(tables) for tables in zip(*found, strict=True)]


def _write(folder: Path, tables: list[pd.DataFrame], keys: pd.Series) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    batch = uuid.uuid4().hex
    named = [(f"{batch}-{i}", t) for i, t in enumerate(tables)]
    named.append((f"{batch}-keys", pd.DataFrame({"key": keys.astype(str).to_numpy()})))
    for name, table in named:  # the keys file last: a batch counts once it is complete
        temporary = folder / f".{name}.tmp"
        table.to_parquet(temporary, index=False)
        os.replace(temporary, folder / f"{name}.parquet")


def _in_order(frames: list[pd.DataFrame], position: pd.Series) -> pd.DataFrame:
    """Rows of ``frames`` by document position (stable within a document), without ``key``;
    categorical columns get the sorted categories their values use, as one run gives."""
    frame = pd.concat(frames, ignore_index=True)
    order = position[frame["key"].to_numpy()].to_numpy().argsort(kind="stable")
    frame = frame.iloc[order].drop(columns="key").reset_index(drop=True)
    for column in frame.columns:  # string categories, as tokens.py makes them (Parquet
        if any(isinstance(f[column].dtype, pd.CategoricalDtype) for f in frames):  # loses that)
            values = frame[column].astype("string")
            categories = pd.Index(values.unique(), dtype="string").sort_values()
            frame[column] = pd.Categorical(values, categories=categories)
    return frame
