"""The columns of every table that passes between stages, and the check each stage runs on entry.

Each table is a pandas DataFrame. A table may carry extra columns (metadata from front matter or
a manifest, say); the columns listed here must be present with the listed kind:

``str``      text (pandas string or object dtype; missing values allowed where noted)
``int``      integer
``float``    floating point
``datetime`` ``datetime64`` (missing as ``NaT``)

Text columns made by the stages have the ``string`` dtype; those that repeat a few values over
many rows (an occurrence's family, variant, document, outlet, official) store them as Python
strings, one per distinct value (:func:`take_text`), the others in Arrow.

Tables
------
documents   one row per document: ``doc_id`` (unique), ``path`` (file it came from, with
            ``#row`` for manifest rows), ``source`` (outlet), ``date`` (day, ``NaT`` when
            undated), ``date_basis`` (where the date came from, or ``none``), ``title``,
            ``url``, ``text`` (raw after loading, clean after cleaning), ``n_removed`` (lines
            removed by cleaning), ``duplicate_of`` (``doc_id`` of the document this one
            near-duplicates, missing otherwise).
problems    one row per problem met while loading: ``path``, ``problem``, ``action``.
removed     one row per line removed by cleaning: ``doc_id``, ``line`` (1-based line number in
            the loaded text), ``text``, ``rule``.
duplicates  one row per near-duplicate document: ``doc_id``, ``duplicate_of``, ``similarity``.
sentences   one row per sentence: ``doc_id``, ``sent_id`` (0-based within the document),
            ``start``, ``end`` (offsets into the clean text), ``text``; after
            :mod:`phrasedrift.attribute` (``analyze().sentences``) also ``principal``,
            ``speaker`` and ``mode`` as in ``attribution``, of the sentence as a whole.
occurrences one row per formula occurrence (made by :mod:`phrasedrift.group`): ``family_id``,
            ``variant``, ``surface``, ``doc_id``, ``sent_id``, ``start``, ``end``, ``date``,
            ``source``, ``phrase``, ``how``, ``score``; :mod:`phrasedrift.attribute` adds the
            columns of ``attribution``.
attribution the columns :mod:`phrasedrift.attribute` adds to occurrences: ``principal`` (whose
            position it states), ``speaker`` (who uttered or published it; empty for
            narration, or the document's own ``speaker`` where it names one), ``mode``
            (``quote``, ``reported`` or ``narration``); empty where unknown;
            ``utterance_id`` (one id for every mention of the same statement, in whichever
            outlet: ``<doc_id>:<start>`` of its first mention).
tokens      one row per word token: ``doc_id``, ``sent_id``, ``tok_id`` (0-based within the
            document), ``start``, ``end`` (offsets into the clean text), ``token`` (the surface,
            ``text[start:end]``), ``norm`` (normal form).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas.api import types as ptypes
from pandas.api.extensions import ExtensionArray

from phrasedrift.errors import SchemaError

TABLES: Mapping[str, Mapping[str, str]] = {
    "documents": {
        "doc_id": "str",
        "path": "str",
        "source": "str",
        "date": "datetime",
        "date_basis": "str",
        "title": "str",
        "url": "str",
        "text": "str",
        "n_removed": "int",
        "duplicate_of": "str",
    },
    "problems": {"path": "str", "problem": "str", "action": "str"},
    "removed": {"doc_id": "str", "line": "int", "text": "str", "rule": "str"},
    "duplicates": {"doc_id": "str", "duplicate_of": "str", "similarity": "float"},
    "sentences": {
        "doc_id": "str",
        "sent_id": "int",
        "start": "int",
        "end": "int",
        "text": "str",
    },
    "families": {
        "family_id": "str",
        "label": "str",
        "n_variants": "int",
        "n_occurrences": "int",
        "n_docs": "int",
        "n_sources": "int",
        "first_date": "datetime",
        "last_date": "datetime",
    },
    "occurrences": {
        "family_id": "str",
        "variant": "str",
        "surface": "str",
        "doc_id": "str",
        "sent_id": "int",
        "start": "int",
        "end": "int",
        "date": "datetime",
        "source": "str",
        "phrase": "str",
        "how": "str",
        "score": "float",
    },
    "attribution": {
        "principal": "str",
        "speaker": "str",
        "mode": "str",
        "utterance_id": "str",
    },
    "tokens": {
        "doc_id": "str",
        "sent_id": "int",
        "tok_id": "int",
        "start": "int",
        "end": "int",
        "token": "str",
        "norm": "str",
    },
}

_DTYPES: dict[str, Any] = {
    "str": "string",
    "int": "int64",
    "float": "float64",
    "datetime": "datetime64[ns]",
}

#: The dtype of text columns whose rows repeat a few values (an occurrence's family, variant,
#: document, outlet, official): the ``string`` dtype with Python storage. Arrow storage (the
#: default ``string``) writes every row's characters, ten times the memory of a reference on
#: the occurrences table of a large corpus; the values and their behaviour are the same.
_REPEATED = pd.StringDtype("python")

_KIND_CHECKS = {
    "str": lambda s: ptypes.is_string_dtype(s) or ptypes.is_object_dtype(s),
    "int": ptypes.is_integer_dtype,
    "float": ptypes.is_float_dtype,
    "datetime": ptypes.is_datetime64_any_dtype,
}


def empty(table: str) -> pd.DataFrame:
    """An empty table with the columns and dtypes of ``table``."""
    return pd.DataFrame(
        {name: pd.Series(dtype=_DTYPES[kind]) for name, kind in TABLES[table].items()}
    )


def take_text(values: npt.ArrayLike, codes: npt.ArrayLike | None = None) -> ExtensionArray:
    """A text column of ``str`` kind: ``values[codes]``, a code of -1 being missing, or
    ``values`` when no codes are given. Only the distinct ``values`` are converted; rows are
    taken from them by code, so a column of a million rows and a few thousand distinct texts
    costs a few thousand strings. It is stored as Python strings (``_REPEATED``), so each row
    holds a reference to its value, not a copy of its characters."""
    array: ExtensionArray = pd.array(np.asarray(values, dtype=object), dtype=_REPEATED)
    if codes is None:
        return array
    taken: ExtensionArray = array.take(np.asarray(codes, dtype=np.int64), allow_fill=True)
    return taken


def coerce(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """A copy of ``frame`` whose schema columns have the canonical dtypes, in schema order
    first (a text column already of the ``string`` dtype keeps its storage)."""
    columns = TABLES[table]
    out = frame.copy(deep=False)  # copy on write: setting a column leaves frame as it was
    for name, kind in columns.items():
        if name in out.columns and not (kind == "str" and _is_string(out[name].dtype)):
            out[name] = out[name].astype(_DTYPES[kind])
    extra = [c for c in out.columns if c not in columns]
    return out[[*columns, *extra]]


def _is_string(dtype: Any) -> bool:
    """Whether ``dtype`` is the ``string`` dtype (missing as ``pd.NA``), in either storage."""
    return isinstance(dtype, pd.StringDtype) and dtype.na_value is pd.NA


def check(frame: pd.DataFrame, table: str, *, stage: str) -> None:
    """Raise :class:`SchemaError` unless ``frame`` has the columns of ``table`` with their kinds."""
    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(f"{stage}: expected a pandas DataFrame of {table}, got {type(frame)!r}")
    columns = TABLES[table]
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise SchemaError(f"{stage}: the {table} table lacks column(s) {', '.join(missing)}")
    wrong = [
        f"{name} ({frame[name].dtype}, expected {kind})"
        for name, kind in columns.items()
        if not _KIND_CHECKS[kind](frame[name])
    ]
    if wrong:
        raise SchemaError(f"{stage}: the {table} table has wrong types: {', '.join(wrong)}")
