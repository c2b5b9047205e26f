"""Figures for the report: a DataFrame in, a :class:`matplotlib.figure.Figure` out.

This is the only module that imports seaborn. Every function

- takes the table(s) it draws (columns as in :mod:`phrasedrift.schema`) and keyword-only
  options with documented defaults, and never changes its input;
- builds a bare :class:`~matplotlib.figure.Figure` (no ``pyplot``, so nothing is registered
  with a GUI backend and nothing needs closing: the figure is freed with its last reference);
- applies its style inside :func:`style`, a context manager around ``matplotlib.rc_context``,
  so the caller's global matplotlib and seaborn settings are left as they were;
- labels both axes and uses :data:`PALETTE`, which is safe for colour-blind readers.

Only presentation is decided here (bin width of a time axis, which sources get their own colour);
nothing is analysed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

__all__ = [
    "OTHER_COLOUR",
    "PALETTE",
    "UNDATED_LABEL",
    "documents_over_time",
    "style",
]

#: Colours for categories (sources, later officials and variants), in order of use: seaborn's
#: colour-blind palette without its grey, which is kept for "other".
PALETTE: tuple[str, ...] = tuple(
    colour for colour in sns.color_palette("colorblind").as_hex() if colour != "#949494"
)
#: Colour of the category that collects everything beyond the first few ("other sources").
OTHER_COLOUR = "#949494"
#: Tick label of the bar that counts documents without a date.
UNDATED_LABEL = "undated"

#: Matplotlib settings of every figure (on top of seaborn's "whitegrid" style).
RC: dict[Any, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"],
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "axes.labelcolor": "#333333",
    "axes.edgecolor": "#bbbbbb",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "legend.fontsize": 8,
    "legend.frameon": False,
    "grid.color": "#e6e6e6",
    "figure.dpi": 100,
    "savefig.dpi": 100,
}

# Bin widths of a time axis, from finest to coarsest: (pandas period, label, days in one bin).
_PERIODS: tuple[tuple[str, str, float], ...] = (
    ("D", "day", 1.0),
    ("W", "week", 7.0),
    ("M", "month", 30.4),
    ("Q", "quarter", 91.3),
    ("Y", "year", 365.25),
)


@contextmanager
def style(rc: dict[Any, Any] | None = None) -> Iterator[None]:
    """Apply the report's figure style (seaborn "whitegrid" plus :data:`RC`) for a block only."""
    with sns.axes_style("whitegrid"), mpl.rc_context({**RC, **(rc or {})}):
        yield


def documents_over_time(
    documents: pd.DataFrame,
    *,
    max_sources: int = 8,
    max_bins: int = 60,
    min_bins: int = 12,
    max_label_chars: int = 28,
    width: float = 7.0,
    height: float = 3.0,
) -> Figure:
    """Documents per period, stacked and coloured by source; undated documents in a side bar.

    documents: a table with ``date`` (``NaT`` when undated) and ``source`` columns.
    max_sources: the most frequent sources that get a colour of their own (at most
        ``len(PALETTE)``); the rest are drawn together as "other sources".
    max_bins: the most bars on the time axis; the bin is the shortest of day, week, month,
        quarter and year that keeps within it.
    min_bins: the time axis spans at least this many bins, so a corpus of one day is not drawn
        as one bar across the whole plot.
    max_label_chars: longer source names are shortened in the legend.
    width, height: size of the figure in inches.
    """
    _require(documents, ("date", "source"), "documents_over_time")
    dates = pd.to_datetime(documents["date"], errors="coerce")
    sources = documents["source"].astype("string").fillna("(no source)").astype(str)
    limit = max(1, min(max_sources, len(PALETTE)))
    order, colours = _categories(sources, max_coloured=limit)
    other = f"other sources ({len(order) - limit})" if len(order) > limit else ""
    frame = pd.DataFrame(
        {
            "date": dates.to_numpy(),
            "source": [s if s in colours else other for s in sources],
        }
    )
    if other:
        order = [*order[:limit], other]
        colours = {**colours, other: OTHER_COLOUR}
    dated = frame[frame["date"].notna()]
    undated = frame[frame["date"].isna()]

    with style():
        fig = Figure(figsize=(width, height), layout="constrained")
        if len(undated):
            grid = fig.add_gridspec(1, 2, width_ratios=(9, 1), wspace=0.02)
            ax = fig.add_subplot(grid[0, 0])
            side = fig.add_subplot(grid[0, 1], sharey=ax)
        else:
            ax = fig.add_subplot()
            side = None

        if len(dated):
            label = _draw_time_histogram(
                ax, dated, order=order, colours=colours, max_bins=max_bins, min_bins=min_bins
            )
            ax.set_xlabel(f"Date (one bar per {label})")
            ax.set_ylabel(f"Documents per {label}")
        else:
            _draw_empty(ax, "no dated documents")
            ax.set_xlabel("Date")
            ax.set_ylabel("Documents")

        if side is not None:
            _draw_undated_bar(side, undated, order=order, colours=colours)
            side.set_xlabel("No date")
            side.tick_params(axis="y", labelleft=False)
            side.set_ylabel("")

        ax.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=2))
        ax.set_ylim(bottom=0)
        _legend(
            fig,
            [s for s in order if s in set(frame["source"])],
            colours,
            width=width,
            max_label_chars=max_label_chars,
        )
    return fig


def _require(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name}: the table lacks column(s) {', '.join(missing)}")


def _categories(values: pd.Series, *, max_coloured: int) -> tuple[list[str], dict[str, str]]:
    """Categories by descending frequency (ties by name) and a colour for the first few."""
    counts = values.value_counts()
    order = sorted(counts.index, key=lambda name: (-int(counts[name]), str(name)))
    colours = {str(name): PALETTE[i] for i, name in enumerate(order[:max_coloured])}
    return [str(name) for name in order], colours


def _choose_period(start: pd.Timestamp, end: pd.Timestamp, max_bins: int) -> tuple[str, str]:
    span_days = max((end - start).days, 0) + 1
    for freq, label, days in _PERIODS:
        if span_days / days <= max_bins:
            return freq, label
    return _PERIODS[-1][0], _PERIODS[-1][1]


def _bin_edges(dates: pd.Series, freq: str) -> pd.DatetimeIndex:
    """Edges of the periods from the first to the last date: the start of each, then the end."""
    first = dates.min().to_period(freq)
    last = dates.max().to_period(freq)
    periods = pd.period_range(first, last + 1, freq=freq)
    return pd.DatetimeIndex([p.start_time for p in periods])


def _draw_time_histogram(
    ax: Axes,
    dated: pd.DataFrame,
    *,
    order: list[str],
    colours: dict[str, str],
    max_bins: int,
    min_bins: int,
) -> str:
    freq, label = _choose_period(dated["date"].min(), dated["date"].max(), max_bins)
    edges = _bin_edges(dated["date"], freq)
    present = [s for s in order if s in set(dated["source"])]
    sns.histplot(
        data=dated,
        x="date",
        hue="source",
        hue_order=present,
        palette={s: colours[s] for s in present},
        multiple="stack",
        bins=_date_numbers(edges),
        edgecolor="white",
        linewidth=0.4,
        alpha=1.0,
        legend=False,
        ax=ax,
    )
    # A little room either side; with few bars, enough that the axis spans `min_bins` bins and
    # one bar does not fill the whole plot.
    n_bins = len(edges) - 1
    step = (edges[-1] - edges[0]) / n_bins
    pad = max(n_bins * 0.02, (min_bins - n_bins) / 2)
    limits = _date_numbers(pd.DatetimeIndex([edges[0] - step * pad, edges[-1] + step * pad]))
    ax.set_xlim(float(limits[0]), float(limits[1]))
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)  # type: ignore[no-untyped-call]
    formatter = mdates.ConciseDateFormatter(locator, show_offset=True)  # type: ignore[no-untyped-call]
    # Month ticks carry their year ("May 2021"), so an axis over several years is unambiguous.
    formatter.formats[1] = formatter.zero_formats[1] = "%b %Y"
    formatter.offset_formats[1] = ""
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(formatter)
    ax.grid(axis="x", visible=False)
    return label


def _date_numbers(dates: pd.DatetimeIndex) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Dates as matplotlib's date numbers (the units of a date axis)."""
    numbers = mdates.date2num(dates.to_pydatetime())  # type: ignore[no-untyped-call]
    return np.asarray(numbers, dtype=np.float64)


def _draw_undated_bar(
    ax: Axes, undated: pd.DataFrame, *, order: list[str], colours: dict[str, str]
) -> None:
    counts = undated["source"].value_counts()
    bottom = 0.0
    for source in order:
        n = int(counts.get(source, 0))
        if n:
            ax.bar([0], [n], bottom=[bottom], width=0.6, color=colours[source], edgecolor="white")
            bottom += n
    ax.set_xticks([0], [UNDATED_LABEL])
    ax.set_xlim(-0.6, 0.6)
    ax.grid(axis="x", visible=False)


def _draw_empty(ax: Axes, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#666666")
    ax.set_xticks([])


def _legend(
    fig: Figure,
    labels: list[str],
    colours: dict[str, str],
    *,
    width: float,
    max_label_chars: int,
) -> None:
    if not labels:
        return
    shown = [_shorten(label, max_label_chars) for label in labels]
    handles = [Patch(facecolor=colours[label], edgecolor="none") for label in labels]
    # Columns that fit the width: ~0.55 em per character at the legend's font size, plus the
    # colour patch and the gap between columns.
    char_inches = 0.55 * float(mpl.rcParams["legend.fontsize"]) / 72
    column_inches = max(len(s) for s in shown) * char_inches + 0.45
    ncol = int(np.clip(width // column_inches, 1, len(shown)))
    fig.legend(
        handles,
        shown,
        loc="outside lower center",
        ncol=ncol,
        title="Source",
        title_fontsize=8,
        handlelength=1.0,
        handleheight=1.0,
        columnspacing=1.2,
    )


def _shorten(text: str, max_chars: int) -> str:
    return text if len(text) <= max_chars else text[: max_chars - 1].rstrip() + "…"
