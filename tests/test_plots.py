"""Plots: a DataFrame in, a labelled matplotlib Figure out, global state left alone."""

from __future__ import annotations

import itertools

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from phrasedrift import plots


def documents(n: int, *, n_sources: int = 3, n_undated: int = 0, days: int = 700) -> pd.DataFrame:
    rng = np.random.default_rng(n)
    dates = pd.Series(
        pd.Timestamp("2021-05-01") + pd.to_timedelta(rng.integers(0, days, n), unit="D")
    )
    dates.iloc[:n_undated] = pd.NaT
    sources = [f"Outlet {i}" for i in rng.integers(0, n_sources, n)]
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "date": dates, "source": sources})


ONE = pd.DataFrame(
    {"doc_id": ["a"], "date": pd.to_datetime(["2023-05-10"]), "source": ["Al Arabiya English"]}
)


def drawn(figure: Figure) -> Figure:
    FigureCanvasAgg(figure).draw()
    return figure


def bar_total(ax: object) -> float:
    return float(sum(p.get_height() for p in ax.patches if isinstance(p, Rectangle)))  # type: ignore[attr-defined]


def assert_no_overlap(labels: list[object], renderer: object) -> None:
    boxes = [
        t.get_window_extent(renderer)  # type: ignore[attr-defined]
        for t in labels
        if t.get_visible() and t.get_text()  # type: ignore[attr-defined]
    ]
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), f"labels overlap: {a} and {b}"


@pytest.mark.parametrize(
    ("frame", "n_undated"),
    [(ONE, 0), (documents(200, n_undated=9), 9), (documents(200, n_sources=1), 0)],
    ids=["one document", "200 with undated", "200 one source"],
)
def test_documents_over_time_counts_every_document_on_labelled_axes(
    frame: pd.DataFrame, n_undated: int
) -> None:
    before = frame.copy()
    figure = drawn(plots.documents_over_time(frame))
    assert isinstance(figure, Figure)
    main = figure.axes[0]
    assert main.get_xlabel().startswith("Date") and main.get_ylabel().startswith("Documents")
    assert bar_total(main) == len(frame) - n_undated
    if n_undated:
        side = figure.axes[1]
        assert side.get_xlabel() == "No date"
        assert [t.get_text() for t in side.get_xticklabels()] == [plots.UNDATED_LABEL]
        assert bar_total(side) == n_undated
    else:
        assert len(figure.axes) == 1
    pd.testing.assert_frame_equal(frame, before)  # input untouched


def test_only_undated_documents_get_an_empty_time_axis_and_the_undated_bar() -> None:
    frame = pd.DataFrame({"date": pd.to_datetime([None, None, None]), "source": ["a", "b", "a"]})
    figure = drawn(plots.documents_over_time(frame))
    main, side = figure.axes
    assert main.get_xlabel() and main.get_ylabel()
    assert bar_total(main) == 0
    assert "no dated documents" in [t.get_text() for t in main.texts]
    assert bar_total(side) == 3


def test_time_bins_follow_the_span() -> None:
    def unit(frame: pd.DataFrame) -> str:
        return plots.documents_over_time(frame).axes[0].get_ylabel()

    assert unit(documents(50, days=20)) == "Documents per day"
    assert unit(documents(50, days=300)) == "Documents per week"
    assert unit(documents(200, days=700)) == "Documents per month"
    assert unit(documents(200, days=365 * 12)) == "Documents per quarter"
    assert unit(documents(200, days=365 * 80)) == "Documents per year"


@pytest.mark.parametrize("frame", [ONE, documents(200, n_undated=5), documents(3000, n_sources=40)])
def test_tick_and_legend_labels_do_not_overlap(frame: pd.DataFrame) -> None:
    figure = drawn(plots.documents_over_time(frame))
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    for ax in figure.axes:
        assert_no_overlap(ax.get_xticklabels(), renderer)
        assert_no_overlap(ax.get_yticklabels(), renderer)
    legend = figure.legends[0]
    assert_no_overlap(legend.get_texts(), renderer)
    inside = figure.bbox.padded(1)
    for text in [*legend.get_texts(), *(ax.xaxis.label for ax in figure.axes)]:
        box = text.get_window_extent(renderer)
        assert inside.x0 <= box.x0 and box.x1 <= inside.x1, f"{text.get_text()!r} is cut off"


def test_many_sources_share_one_other_colour() -> None:
    frame = documents(500, n_sources=20)
    figure = plots.documents_over_time(frame, max_sources=5)
    labels = [t.get_text() for t in figure.legends[0].get_texts()]
    assert len(labels) == 6
    assert labels[-1] == "other sources (15)"
    counts = frame["source"].value_counts()
    assert labels[:5] == sorted(counts.index, key=lambda s: (-counts[s], s))[:5]
    colours = [h.get_facecolor() for h in figure.legends[0].legend_handles]
    assert to_rgb(colours[-1]) == to_rgb(plots.OTHER_COLOUR)
    assert len({to_rgb(c) for c in colours}) == len(colours)


def test_palette_is_distinct_and_keeps_grey_for_other() -> None:
    rgb = [to_rgb(c) for c in plots.PALETTE]
    assert len(set(rgb)) == len(rgb) >= 8
    assert to_rgb(plots.OTHER_COLOUR) not in rgb


def test_global_matplotlib_state_is_left_alone() -> None:
    import matplotlib.pyplot as plt

    before = dict(mpl.rcParams)
    backend = mpl.get_backend()
    open_figures = plt.get_fignums()
    plots.documents_over_time(documents(50, n_undated=2))
    assert plt.get_fignums() == open_figures  # nothing registered with pyplot
    assert mpl.get_backend() == backend
    changed = {k for k in before if before[k] != mpl.rcParams[k] and k != "backend"}
    assert changed == set()


def test_missing_columns_are_named() -> None:
    with pytest.raises(ValueError, match="source"):
        plots.documents_over_time(pd.DataFrame({"date": pd.to_datetime(["2021-01-01"])}))
