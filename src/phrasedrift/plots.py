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

import math
import textwrap
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
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, PercentFormatter

from phrasedrift.config import DECADE, PERIODS
from phrasedrift.drift import period_alias, period_starts

__all__ = [
    "OTHER_COLOUR",
    "PALETTE",
    "UNDATED_LABEL",
    "UNKNOWN_LABEL",
    "documents_over_time",
    "occurrences_over_time",
    "official_heatmap",
    "style",
    "variant_shares",
    "variant_timeline",
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
#: Name shown for uses whose official is not known.
UNKNOWN_LABEL = "(unknown)"

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

# Bin widths of a time axis, from finest to coarsest: (period alias, label, days in one bin,
# pandas offset from the start of one bin to the next).
_PERIODS: tuple[tuple[str, str, float, str], ...] = (
    ("D", "day", 1.0, "D"),
    ("W", "week", 7.0, "W-MON"),
    ("M", "month", 30.4, "MS"),
    ("Q", "quarter", 91.3, "QS"),
    ("Y", "year", 365.25, "YS"),
    (DECADE, "decade", 3652.5, "10YS"),
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
        quarter, year and decade that keeps within it.
    min_bins: the time axis spans at least this many bins, so a corpus of one day is not drawn
        as one bar across the whole plot.
    max_label_chars: longer source names are shortened in the legend.
    width, height: size of the figure in inches.
    """
    _require(documents, ("date", "source"), "documents_over_time")
    return _over_time(
        documents,
        noun="Documents",
        max_sources=max_sources,
        max_bins=max_bins,
        min_bins=min_bins,
        max_label_chars=max_label_chars,
        width=width,
        height=height,
    )


def occurrences_over_time(
    occurrences: pd.DataFrame,
    *,
    max_sources: int = 8,
    max_bins: int = 60,
    min_bins: int = 12,
    max_label_chars: int = 28,
    width: float = 7.0,
    height: float = 3.0,
) -> Figure:
    """Volume of a formula over time by outlet: occurrences (mentions) per period, stacked and
    coloured by source; undated ones in a side bar. Options as in :func:`documents_over_time`.

    occurrences: a table with ``date`` and ``source`` columns (one family's, or several).
    """
    _require(occurrences, ("date", "source"), "occurrences_over_time")
    return _over_time(
        occurrences,
        noun="Occurrences",
        max_sources=max_sources,
        max_bins=max_bins,
        min_bins=min_bins,
        max_label_chars=max_label_chars,
        width=width,
        height=height,
    )


def _over_time(
    table: pd.DataFrame,
    *,
    noun: str,
    max_sources: int,
    max_bins: int,
    min_bins: int,
    max_label_chars: int,
    width: float,
    height: float,
) -> Figure:
    dates = pd.to_datetime(table["date"], errors="coerce")
    sources = table["source"].astype("string").fillna("(no source)").astype(str)
    limit = max(1, min(max_sources, len(PALETTE)))
    order, colours = _categories(sources, max_coloured=limit)
    other = f"other sources ({len(order) - limit})" if len(order) > limit else ""
    frame = pd.DataFrame(
        {
            "date": dates.to_numpy(),
            "source": [s if s in colours else other for s in sources.tolist()],
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
            ax.set_ylabel(f"{noun} per {label}")
        else:
            _draw_empty(ax, f"no dated {noun.lower()}")
            ax.set_xlabel("Date")
            ax.set_ylabel(noun)

        if side is not None:
            _draw_undated_bar(side, undated, order=order, colours=colours)
            side.set_xlabel("No date")
            side.tick_params(axis="y", labelleft=False)
            side.set_ylabel("")

        ax.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=2))
        ax.set_ylim(bottom=0)
        present = set(frame["source"])
        _legend(
            fig,
            [s for s in order if s in present],
            colours,
            width=width,
            max_label_chars=max_label_chars,
            title="Source",
        )
    return fig


def variant_timeline(
    occurrences: pd.DataFrame,
    *,
    max_variants: int = 12,
    max_officials: int = 7,
    wrap_chars: int = 34,
    max_lines: int = 3,
    width: float = 7.0,
) -> Figure:
    """Every dated use of a family's variants: one row per variant (in order of first use), a dot
    per official and day, sized by the number of uses and coloured by official (``principal``).

    occurrences: a table with ``date``, ``variant`` and, when attributed, ``principal`` (missing
        or empty: unknown, drawn as a hollow grey dot).
    max_variants: the most used variants that get a row of their own; the rest share one.
    max_officials: the officials (by number of uses) that get a colour of their own (at most
        ``len(PALETTE)``); the rest are drawn together in grey.
    wrap_chars, max_lines: variant labels are wrapped at this many characters, on at most
        this many lines (then shortened with "…").
    width: width of the figure in inches; the height follows the number of rows.
    """
    _require(occurrences, ("date", "variant"), "variant_timeline")
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(occurrences["date"], errors="coerce").to_numpy(),
            "variant": occurrences["variant"].astype("string").fillna("").astype(str).to_numpy(),
            "official": _officials(occurrences).to_numpy(),
        }
    )
    dated = frame[frame["date"].notna()]
    rows = _variant_rows(dated, max_variants=max_variants)
    dated = dated.assign(row=dated["variant"].map(rows.get))
    order = list(dict.fromkeys(rows.values()))
    officials, colours = _official_colours(dated["official"], max_officials=max_officials)
    other = next((o for o in officials if o.startswith("other officials")), "")
    dated = dated.assign(
        official=[o if o in colours else other for o in dated["official"].tolist()]
    )
    labels = [_wrap(label, wrap_chars, max_lines) for label in order]
    lines = sum(label.count("\n") + 1 for label in labels)
    n_undated = len(frame) - len(dated)

    with style():
        height = 1.0 + 0.2 * lines + 0.12 * len(order) + _legend_height(officials, width)
        fig = Figure(figsize=(width, max(height, 2.4)), layout="constrained")
        ax = fig.add_subplot()
        undated_note = f" — {n_undated:,} undated not shown" if n_undated else ""
        ax.set_xlabel(f"Date of use{undated_note}")
        ax.set_ylabel("Variant (in order of first use)")
        if dated.empty:
            _draw_empty(ax, "no dated uses")
            ax.set_yticks([])
            return fig
        position = {row: i for i, row in enumerate(order)}
        uses = dated.groupby(["row", "official", "date"], sort=True).size().reset_index(name="n")
        for row, own in uses.groupby("row", sort=False):
            used = set(own["official"].tolist())
            present = [o for o in officials if o in used]
            step = min(0.18, 0.7 / max(len(present), 1))
            for j, official in enumerate(present):
                mine = own[own["official"] == official]
                offset = (j - (len(present) - 1) / 2) * step
                unknown = official == UNKNOWN_LABEL
                ax.scatter(
                    _date_numbers(pd.DatetimeIndex(mine["date"])),
                    np.full(len(mine), position[str(row)] + offset),
                    s=_dot_sizes(mine["n"]),
                    facecolors="none" if unknown else colours[official],
                    edgecolors=colours[official],
                    linewidths=1.0,
                    alpha=0.9,
                    zorder=3,
                )
        ax.set_yticks(range(len(order)), labels)
        ax.set_ylim(len(order) - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
        for boundary in range(1, len(order)):
            ax.axhline(boundary - 0.5, color="#eeeeee", linewidth=0.8, zorder=1)
        _date_axis(ax, pd.DatetimeIndex(dated["date"]))
        shown = [o for o in officials if o in set(dated["official"].tolist())]
        handles = [
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=6,
                markerfacecolor="none" if o == UNKNOWN_LABEL else colours[o],
                markeredgecolor=colours[o],
            )
            for o in shown
        ]
        _legend(
            fig,
            shown,
            colours,
            width=width,
            max_label_chars=28,
            title="Official (dot size: uses that day)",
            handles=handles,
        )
    return fig


def official_heatmap(
    counts: pd.DataFrame,
    *,
    value: str = "n_utterances",
    max_officials: int = 15,
    max_variants: int = 15,
    wrap_chars: int = 40,
    max_lines: int = 2,
    width: float = 7.0,
) -> Figure:
    """How often each official used each variant of a family: variants down, officials across,
    the count written in each cell used (empty cells: never).

    counts: a table with ``principal``, ``variant`` and the ``value`` column, such as
        :func:`phrasedrift.drift.count_variants` ``by="principal"`` of one family.
    value: the count drawn (``n_utterances`` or ``n_mentions``).
    max_officials, max_variants: the most used officials and variants shown; the others are
        summed into an "other" column and row.
    wrap_chars, max_lines: variant labels are wrapped at this many characters, on at most
        this many lines.
    width: width of the figure in inches; the height follows the number of variants.
    """
    _require(counts, ("principal", "variant", value), "official_heatmap")
    frame = pd.DataFrame(
        {
            "official": _officials(counts).to_numpy(),
            "variant": counts["variant"].astype("string").fillna("").astype(str).to_numpy(),
            "n": pd.to_numeric(counts[value], errors="coerce").fillna(0).to_numpy(),
        }
    )
    frame = frame[frame["n"] > 0]
    frame = frame.assign(
        official=_keep_top(frame, "official", max_officials, "other officials"),
        variant=_keep_top(frame, "variant", max_variants, "other variants"),
    )
    matrix = frame.pivot_table(
        index="variant", columns="official", values="n", aggfunc="sum", fill_value=0
    )
    matrix = matrix.loc[_by_total(matrix.sum(axis=1)), _by_total(matrix.sum(axis=0))]
    labels = [_wrap(str(v), wrap_chars, max_lines) for v in matrix.index]
    lines = sum(label.count("\n") + 1 for label in labels)
    longest = max((len(str(o)) for o in matrix.columns), default=0)
    rotate = len(matrix.columns) * max(longest, 3) * 0.075 > width * 0.55

    with style():
        height = (
            1.3 + 0.19 * lines + 0.1 * len(labels) + (0.07 * min(longest, 24) if rotate else 0.0)
        )
        fig = Figure(figsize=(width, max(height, 2.4)), layout="constrained")
        ax = fig.add_subplot()
        ax.set_xlabel("Official (principal)")
        ax.set_ylabel("Variant")
        if matrix.empty:
            _draw_empty(ax, "no attributed uses")
            ax.set_yticks([])
            return fig
        sns.heatmap(
            matrix,
            mask=matrix.to_numpy() == 0,
            annot=matrix.size <= 400,
            fmt=".0f",
            cmap=sns.color_palette("mako_r", as_cmap=True),
            vmin=0,
            linewidths=0.6,
            linecolor="white",
            cbar_kws={"label": value.replace("n_", "").capitalize(), "shrink": 0.8},
            ax=ax,
        )
        ax.set_facecolor("#f7f7f7")
        ax.grid(visible=False)
        colourbar = ax.collections[0].colorbar
        if colourbar is not None:
            colourbar.locator = MaxNLocator(integer=True)
            colourbar.update_ticks()
            colourbar.outline.set_visible(False)
        ax.set_xlabel("Official (principal)")
        ax.set_ylabel("Variant")
        ax.set_yticks(np.arange(len(labels)) + 0.5, labels, rotation=0)
        ax.set_xticks(
            np.arange(len(matrix.columns)) + 0.5,
            [_shorten(str(o), 24) for o in matrix.columns],
            # Upright when they fit, else vertical: slanted labels' boxes overlap.
            rotation=90 if rotate else 0,
            ha="right" if rotate else "center",
            va="center" if rotate else "top",
            rotation_mode="anchor",
        )
        ax.tick_params(length=0)
    return fig


def variant_shares(
    timeline: pd.DataFrame,
    *,
    freq: str | None = None,
    max_variants: int = 8,
    wrap_chars: int = 40,
    max_lines: int = 2,
    width: float = 7.0,
    height: float = 2.6,
) -> Figure:
    """Each variant's share of its family's uses per period, as stacked bars.

    timeline: one family's :func:`phrasedrift.drift.count_by_period` (``period``, ``variant``,
        ``share``; ``n_utterances`` orders the variants when present).
    freq: the period of the table (an alias or name of :data:`phrasedrift.config.PERIODS`),
        for the axis and tick labels ("1790s" for a decade); None labels each bar with its
        first day.
    max_variants: the most used variants that get a colour of their own (at most
        ``len(PALETTE)``); the rest are stacked together in grey.
    wrap_chars, max_lines: legend labels are wrapped at this many characters, on at most
        this many lines.
    width, height: size of the figure in inches, without the legend below it (which adds to
        the height as it needs).
    """
    _require(timeline, ("period", "variant", "share"), "variant_shares")
    if "family_id" in timeline.columns and timeline["family_id"].nunique() > 1:
        raise ValueError(
            f"variant_shares draws one family; the timeline has "
            f"{timeline['family_id'].nunique()} (select one family's rows)"
        )
    weight = "n_utterances" if "n_utterances" in timeline.columns else "share"
    frame = pd.DataFrame(
        {
            "period": pd.to_datetime(timeline["period"], errors="coerce").to_numpy(),
            "variant": timeline["variant"].astype("string").fillna("").astype(str).to_numpy(),
            "share": pd.to_numeric(timeline["share"], errors="coerce").fillna(0).to_numpy(),
            "weight": pd.to_numeric(timeline[weight], errors="coerce").fillna(0).to_numpy(),
        }
    ).dropna(subset=["period"])
    limit = max(1, min(max_variants, len(PALETTE)))
    totals = frame.groupby("variant")["weight"].sum()
    ranked = _by_total(totals)
    other = f"other variants ({len(ranked) - limit})" if len(ranked) > limit else ""
    colours = {v: PALETTE[i] for i, v in enumerate(ranked[:limit])}
    if other:
        colours[other] = OTHER_COLOUR
    frame = frame.assign(variant=[v if v in colours else other for v in frame["variant"].tolist()])
    shares = frame.pivot_table(
        index="period", columns="variant", values="share", aggfunc="sum", fill_value=0
    ).sort_index()
    shown = [v for v in colours if v in shares.columns]
    legend_labels = [_wrap(v, wrap_chars, max_lines) for v in shown]

    with style():
        legend_height = _legend_height(legend_labels, width)
        fig = Figure(figsize=(width, height + legend_height), layout="constrained")
        ax = fig.add_subplot()
        name = PERIODS.get(period_alias(freq), "") if freq else ""
        ax.set_xlabel(f"Period (one bar per {name})" if name else "Period (first day)")
        ax.set_ylabel("Share of uses")
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
        ax.set_ylim(0, 1)
        if shares.empty:
            _draw_empty(ax, "no dated uses")
            return fig
        x = np.arange(len(shares))
        bottom = np.zeros(len(shares))
        for variant in shown:
            values = shares[variant].to_numpy(dtype=np.float64)
            ax.bar(x, values, bottom=bottom, width=0.8, color=colours[variant], edgecolor="white")
            bottom += values
        ticks = [_period_label(pd.Timestamp(p), freq) for p in shares.index]
        per_tick = max(len(t) for t in ticks) * 0.075 + 0.15
        step = max(1, math.ceil(len(ticks) * per_tick / (width * 0.85)))
        ax.set_xticks(x[::step], ticks[::step])
        pad = max(4 - len(x), 0) / 2  # a bar or two are not drawn across the whole width
        ax.set_xlim(-0.6 - pad, len(x) - 0.4 + pad)
        ax.grid(axis="x", visible=False)
        _legend(
            fig,
            shown,
            colours,
            width=width,
            max_label_chars=10_000,
            title="Variant",
            shown=legend_labels,
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
    for freq, label, days, _ in _PERIODS:
        if span_days / days <= max_bins:
            return freq, label
    return _PERIODS[-1][0], _PERIODS[-1][1]


def _bin_edges(dates: pd.Series, freq: str) -> pd.DatetimeIndex:
    """Edges of the periods from the first to the last date: the start of each, then the end."""
    first, last = period_starts(pd.Series([dates.min(), dates.max()]), freq)
    step = next(offset for alias, _, _, offset in _PERIODS if alias == freq)
    starts = pd.date_range(first, last, freq=step)
    return pd.DatetimeIndex([*starts, starts[-1] + pd.tseries.frequencies.to_offset(step)])


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
    used = set(dated["source"].tolist())
    present = [s for s in order if s in used]
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
    title: str,
    handles: Sequence[Any] | None = None,
    shown: Sequence[str] | None = None,
) -> None:
    if not labels:
        return
    shown = list(shown or [_shorten(label, max_label_chars) for label in labels])
    if handles is None:
        handles = [Patch(facecolor=colours[label], edgecolor="none") for label in labels]
    # Columns that fit the width: ~0.55 em per character at the legend's font size, plus the
    # colour patch and the gap between columns.
    ncol = _legend_columns(shown, width)
    fig.legend(
        handles,
        shown,
        loc="outside lower center",
        ncol=ncol,
        title=title,
        title_fontsize=8,
        handlelength=1.0,
        handleheight=1.0,
        columnspacing=1.2,
    )


def _legend_columns(shown: Sequence[str], width: float) -> int:
    """Legend columns that fit the width: ~0.55 em per character at the legend's font size,
    plus the colour patch and the gap between columns."""
    char_inches = 0.55 * float(mpl.rcParams["legend.fontsize"]) / 72
    column_inches = max(len(line) for s in shown for line in s.split("\n")) * char_inches + 0.45
    return int(np.clip(width // column_inches, 1, max(len(shown), 1)))


def _legend_height(shown: Sequence[str], width: float) -> float:
    """Inches a legend of ``shown`` labels takes below the plot (title included)."""
    if not shown:
        return 0.0
    ncol = _legend_columns(shown, width)
    rows = [shown[i : i + ncol] for i in range(0, len(shown), ncol)]
    lines = sum(max(label.count("\n") + 1 for label in row) for row in rows)
    return 0.3 + 0.16 * lines + 0.06 * len(rows)


def _shorten(text: str, max_chars: int) -> str:
    return text if len(text) <= max_chars else text[: max_chars - 1].rstrip() + "…"


def _officials(table: pd.DataFrame) -> pd.Series:
    """The ``principal`` of each row, :data:`UNKNOWN_LABEL` when missing or empty."""
    if "principal" not in table.columns:
        return pd.Series(UNKNOWN_LABEL, index=table.index)
    names = table["principal"].astype("string").fillna("").astype(str).str.strip()
    return names.mask(names == "", UNKNOWN_LABEL)


def _official_colours(
    officials: pd.Series, *, max_officials: int
) -> tuple[list[str], dict[str, str]]:
    """Officials by number of uses, a palette colour for the first few, grey for the rest
    (drawn as one "other officials" category, always the last) and for the unknown."""
    known = officials[officials != UNKNOWN_LABEL]
    limit = max(1, min(max_officials, len(PALETTE)))
    order, colours = _categories(known, max_coloured=limit)
    out = order[:limit]
    if len(order) > limit:
        other = f"other officials ({len(order) - limit})"
        colours[other] = OTHER_COLOUR
        out.append(other)
    if (officials == UNKNOWN_LABEL).any():
        colours[UNKNOWN_LABEL] = OTHER_COLOUR
        out.append(UNKNOWN_LABEL)
    return out, colours


def _variant_rows(dated: pd.DataFrame, *, max_variants: int) -> dict[str, str]:
    """The row each variant is drawn in: the most used get their own, in order of first use;
    the rest share an "other variants" row at the bottom."""
    if dated.empty:
        return {}
    ranked = _by_total(dated["variant"].value_counts())
    kept = ranked[: max(1, max_variants)]
    first = dated.groupby("variant")["date"].min()
    rows = {v: v for v in sorted(kept, key=lambda v: (first[v], v))}
    rest = ranked[len(kept) :]
    for variant in rest:
        rows[variant] = f"other variants ({len(rest)})"
    return rows


def _keep_top(frame: pd.DataFrame, column: str, limit: int, other: str) -> list[str]:
    """``column`` with all but its ``limit`` largest (by ``n``) values named ``other (k)``."""
    ranked = _by_total(frame.groupby(column)["n"].sum())
    if len(ranked) <= limit:
        return frame[column].tolist()
    kept = set(ranked[:limit])
    name = f"{other} ({len(ranked) - limit})"
    return [v if v in kept else name for v in frame[column].tolist()]


def _by_total(totals: pd.Series) -> list[str]:
    """Names by descending total, ties by name; "other ..." and unknown last."""

    def key(name: Any) -> tuple[bool, float, str]:
        last = str(name).startswith("other ") or name == UNKNOWN_LABEL
        return (last, -float(totals[name]), str(name))

    return [str(name) for name in sorted(totals.index, key=key)]


def _dot_sizes(counts: pd.Series) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Marker areas (points²) in proportion to the number of uses, up to 40 uses."""
    return np.asarray(18.0 * np.minimum(counts.to_numpy(dtype=np.float64), 40.0))


def _date_axis(ax: Axes, dates: pd.DatetimeIndex) -> None:
    """A date x axis over ``dates`` with a little room either side and concise tick labels."""
    first, last = dates.min(), dates.max()
    pad = max((last - first) * 0.04, pd.Timedelta(days=1))
    limits = _date_numbers(pd.DatetimeIndex([first - pad, last + pad]))
    ax.set_xlim(float(limits[0]), float(limits[1]))
    locator = mdates.AutoDateLocator(minticks=3, maxticks=7)  # type: ignore[no-untyped-call]
    formatter = mdates.ConciseDateFormatter(locator, show_offset=True)  # type: ignore[no-untyped-call]
    formatter.formats[1] = formatter.zero_formats[1] = "%b %Y"
    formatter.offset_formats[1] = ""
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(formatter)


def _period_label(start: pd.Timestamp, freq: str | None) -> str:
    formats = {"D": "%d %b %Y", "W": "wk %d %b %Y", "M": "%b %Y", "Y": "%Y", DECADE: "%Ys"}
    return start.strftime(formats.get(period_alias(freq) if freq else "", "%Y-%m-%d"))


def _wrap(text: str, width: int, max_lines: int) -> str:
    """``text`` on lines of at most ``width`` characters, at most ``max_lines`` of them."""
    lines = textwrap.wrap(text, width=max(width, 8)) or [""]
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = [*lines[: max_lines - 1], _shorten(rest, width)]
    return "\n".join(lines)
