"""Tables of the report: what a section shows, how each cell is formatted, and the CSV export.

A section describes a table once, as a :class:`Table` (a DataFrame plus :class:`Column` specs);
:meth:`Table.view` turns it into plain, already formatted strings for the ``table`` macro of
``templates/macros.html.j2`` (Jinja2 escapes them), and :func:`csv_text` writes every row of it,
not only the rows shown, for ``csv/<name>.csv``.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = [
    "FORMULA_PREFIXES",
    "Column",
    "Table",
    "TableView",
    "csv_text",
    "format_value",
    "neutralise_formula",
]

#: Column kinds: how a value is written and aligned, and how the column sorts in the browser.
Kind = Literal[
    "text",
    "code",
    "path",
    "long",
    "int",
    "float",
    "percent",
    "date",
    "seconds",
    "value",
    "left",
    "match",
    "right",
]

_NUMERIC_KINDS = frozenset({"int", "float", "percent", "seconds"})

#: First characters that make a spreadsheet read a cell as a formula (CSV injection).
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

MISSING = "—"

_BREAK_AFTER = re.compile(r"(?<=[_\-/.:\\])")


@dataclass(frozen=True)
class Column:
    """One column of a :class:`Table`.

    key: the column of the table's frame.
    label: the header shown in the report.
    kind: how values are written:
        ``text`` wraps; ``long`` (a removed line) takes the room and wraps;
        ``code`` is a monospace identifier, on one line on screen and broken only after
        ``_ - / . :`` in print; ``path`` is monospace and broken after separators;
        ``int``; ``float`` (``digits`` decimals); ``percent`` (a share between 0 and 1);
        ``date`` (a day); ``seconds``; ``value`` (a parameter of any type, see
        :func:`format_value`); ``left``, ``match`` and ``right`` are the three parts of a
        concordance line (the context before, aligned right; the match, highlighted; the
        context after). Numbers are right-aligned and sort numerically.
    digits: decimals of ``float``, ``percent`` and ``seconds`` columns.
    max_chars: longer text is cut in the report (the full text shows on hover and is in the
        CSV); ``None`` never cuts.
    wide: the column that should take the room (a title): it gets a minimum width.
    link: a column of the frame holding the in-page link (``#id``) of each cell; a missing
        or empty value leaves the cell without a link.
    badge: a column of the frame holding a short tag shown after the text (``label``).
    detail: a column of the frame holding a second, smaller line under the text (who first
        used a wording, how it was written); it does not change how the column sorts.
    """

    key: str
    label: str
    kind: Kind = "text"
    digits: int = 2
    max_chars: int | None = None
    wide: bool = False
    link: str | None = None
    badge: str | None = None
    detail: str | None = None

    @property
    def numeric(self) -> bool:
        return self.kind in _NUMERIC_KINDS

    @property
    def css(self) -> str:
        return (
            f"col-{self.kind}" + (" num" if self.numeric else "") + (" wide" if self.wide else "")
        )

    @property
    def sort_type(self) -> str:
        if self.numeric:
            return "number"
        return "date" if self.kind == "date" else "text"


@dataclass(frozen=True)
class Cell:
    """A formatted cell: its text, the key it sorts by (``None``: by its text), a hover title.

    ``parts`` is the text split where a line may break (after ``_ - / . :`` in identifiers and
    paths); the template joins them with ``<wbr>``. ``href``, ``badge`` and ``detail`` come
    from the column's ``link``, ``badge`` and ``detail`` (``None`` when it has none).
    """

    text: str
    sort: str | None = None
    title: str | None = None
    missing: bool = False
    href: str | None = None
    badge: str | None = None
    detail: str | None = None

    @property
    def parts(self) -> list[str]:
        return [self.text]


@dataclass(frozen=True)
class BreakableCell(Cell):
    """A cell of an identifier or a path, which may break only after a separator."""

    @property
    def parts(self) -> list[str]:
        return [part for part in _BREAK_AFTER.split(self.text) if part]


@dataclass(frozen=True)
class TableView:
    """A table ready for the ``table`` macro: formatted strings only."""

    id: str
    name: str
    caption: str
    columns: tuple[Column, ...]
    rows: list[list[Cell]]
    row_ids: list[str | None]
    n_total: int
    n_hidden: int
    more_note: str
    empty: str


@dataclass(frozen=True)
class Table:
    """A table of the report and of the CSV export.

    name: file name of the export (``csv/<name>.csv``) and, prefixed with ``table-``, the HTML id.
    frame: every row, in the order shown.
    columns: what the report shows, in order.
    caption: one sentence under the heading that says what a row is.
    empty: the sentence shown instead of an empty table.
    noun: what a row is, plural ("documents"), for "200 of 1,024 documents".
    limit: the most rows shown in the report (``None``: all); the CSV always has every row.
    export: write ``csv/<name>.csv``.
    export_columns: columns of the CSV (default: the keys of ``columns``), so the export can
        carry what the report leaves out (paths, URLs).
    sort_note: how the rows are ordered (" by date"), for the note under a shortened table.
    listed_in: for a table that is not exported itself (``export=False``), the name of the
        exported table whose CSV holds all its rows, for the note under a shortened table.
    row_id: a column of the frame holding each row's HTML id (so other sections can link to
        the row); a missing or empty value leaves the row without one.
    """

    name: str
    frame: pd.DataFrame
    columns: tuple[Column, ...]
    caption: str = ""
    empty: str = "Nothing to show."
    noun: str = "rows"
    limit: int | None = None
    export: bool = True
    export_columns: tuple[str, ...] | None = None
    sort_note: str = ""
    listed_in: str | None = None
    row_id: str | None = None

    @property
    def id(self) -> str:
        return f"table-{self.name}"

    @property
    def csv_name(self) -> str:
        return f"{self.name}.csv"

    def export_frame(self) -> pd.DataFrame:
        keys = list(self.export_columns or [c.key for c in self.columns])
        return self.frame.loc[:, keys].reset_index(drop=True)

    def view(self, *, csv_folder: str | None) -> TableView:
        """The rows to show, formatted; ``csv_folder`` names where the full export is (``None``
        when no CSV is written), for the note under a table that was cut."""
        n_total = len(self.frame)
        shown = self.frame if self.limit is None else self.frame.iloc[: self.limit]
        n_hidden = n_total - len(shown)
        keys = list(
            dict.fromkeys(
                key
                for c in self.columns
                for key in (c.key, c.link, c.badge, c.detail)
                if key is not None
            )
        )
        rows = [
            [_cell(dict(zip(keys, values, strict=True)), column) for column in self.columns]
            for values in shown.loc[:, keys].itertuples(index=False, name=None)
        ]
        row_ids: list[str | None] = (
            [_optional_text({"id": value}, "id") for value in shown[self.row_id]]
            if self.row_id is not None
            else [None] * len(rows)
        )
        csv_name = self.csv_name if self.export else (self.listed_in and f"{self.listed_in}.csv")
        note = ""
        if n_hidden and not len(shown):
            where = (
                f"they are in {csv_folder}/{csv_name}"
                if csv_folder is not None and csv_name
                else "write the csv format to get them"
            )
            note = f"{n_total:,} {self.noun} not listed: {where}."
        elif n_hidden:
            where = (
                f"all {n_total:,} are in {csv_folder}/{csv_name}"
                if csv_folder is not None and csv_name
                else "write the csv format to get them all"
            )
            note = (
                f"Showing the first {len(shown):,} of {n_total:,} {self.noun}"
                f"{self.sort_note}; {n_hidden:,} more not shown: {where}."
            )
        return TableView(
            id=self.id,
            name=self.name,
            caption=self.caption,
            columns=self.columns,
            rows=rows,
            row_ids=row_ids,
            n_total=n_total,
            n_hidden=n_hidden,
            more_note=note,
            empty=self.empty,
        )


def _cell(record: dict[str, Any], column: Column) -> Cell:
    """The cell of ``column`` in one row (``record``: the row's values by column key)."""
    cell = format_cell(record[column.key], column)
    if column.link is None and column.badge is None and column.detail is None:
        return cell
    return dataclasses.replace(
        cell,
        href=_optional_text(record, column.link),
        badge=_optional_text(record, column.badge),
        detail=_optional_text(record, column.detail),
    )


def _optional_text(record: dict[str, Any], key: str | None) -> str | None:
    """The text of ``record[key]``, or ``None`` when there is no key, no value or no text."""
    if key is None or is_missing(record[key]):
        return None
    return str(record[key]) or None


def is_missing(value: Any) -> bool:
    """True for ``None``, ``NaN``, ``NaT`` and ``pd.NA`` (and never raises on sequences)."""
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def format_cell(value: Any, column: Column) -> Cell:
    """Format one value of ``column`` for the report."""
    if column.kind != "value" and is_missing(value):
        return Cell(MISSING, sort="", missing=True)
    kind = column.kind
    if kind == "int":
        whole = int(value)
        return Cell(f"{whole:,}", sort=str(whole))
    if kind in ("float", "seconds"):
        number = float(value)
        return Cell(f"{number:,.{column.digits}f}", sort=repr(number))
    if kind == "percent":
        share = float(value)
        return Cell(f"{share * 100:.{column.digits}f}%", sort=repr(share))
    if kind == "date":
        stamp = pd.Timestamp(value)
        return Cell(format_day(stamp), sort=stamp.isoformat())
    text = format_value(value) if kind == "value" else str(value)
    if kind in ("code", "path"):
        return BreakableCell(text)
    if column.max_chars is not None and len(text) > column.max_chars:
        return Cell(text[: column.max_chars - 1].rstrip() + "…", sort=text, title=text)
    return Cell(text)


def format_day(stamp: pd.Timestamp) -> str:
    """``2023-05-10``, with the time only when there is one."""
    if stamp.hour or stamp.minute or stamp.second:
        return stamp.strftime("%Y-%m-%d %H:%M")
    return stamp.strftime("%Y-%m-%d")


def format_value(value: Any, *, inline_items: int = 40) -> str:
    """A parameter value as text: sequences as comma lists, pairs as ``a → b``, one per line when
    any item is longer than ``inline_items`` characters."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "none"
    if isinstance(value, str):
        return value if value else "''"
    if isinstance(value, dict):
        items = [f"{k}: {format_value(v)}" for k, v in value.items()]
        return _join(items, inline_items) if items else "{}"
    if isinstance(value, Sequence):
        items = [
            " → ".join(format_value(part) for part in item)
            if isinstance(item, Sequence) and not isinstance(item, str)
            else format_value(item)
            for item in value
        ]
        return _join(items, inline_items) if items else "(none)"
    return str(value)


def _join(items: list[str], inline_items: int) -> str:
    if any(len(item) > inline_items for item in items):
        return "\n".join(items)
    return ", ".join(items)


def neutralise_formula(value: str) -> str:
    """``value`` with a leading ``'`` when a spreadsheet would run it as a formula."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _csv_cell(value: Any) -> Any:
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return format_day(value)
    if isinstance(value, str):
        return neutralise_formula(value)
    if isinstance(value, (list, tuple, dict)):
        return neutralise_formula(json.dumps(value, ensure_ascii=False))
    return value


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text: dates as days, text cells safe from formula injection."""
    out = pd.DataFrame(index=range(len(frame)))
    for name in frame.columns:
        series = frame[name].reset_index(drop=True)
        if pd.api.types.is_numeric_dtype(series.dtype):  # numbers and booleans as they are
            out[name] = series
        else:
            out[name] = _csv_column(series)
    return str(out.to_csv(index=False, lineterminator="\n"))


def _csv_column(series: pd.Series) -> pd.Series:
    """:func:`_csv_cell` of each value of ``series`` (an object column value by value; any
    other once per distinct value, as occurrences repeat a few families, days and outlets over
    millions of rows)."""
    if series.dtype == object:
        return pd.Series([_csv_cell(v) for v in series.tolist()], dtype=object)
    codes, uniques = pd.factorize(series)  # missing values get code -1
    cells = np.fromiter([*map(_csv_cell, uniques.tolist()), None], dtype=object)
    return pd.Series(cells[codes], dtype=object)
