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
    assert unit(documents(200, days=365 * 50)) == "Documents per year"
    assert unit(documents(200, days=365 * 80)) == "Documents per decade"  # 80 bars: too many


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


# -- drift plots ------------------------------------------------------------------------------

LONG = "legitimate right to defend itself and its people while protecting civilians from harm"


def uses(n: int, *, n_variants: int = 4, n_officials: int = 3, n_undated: int = 0) -> pd.DataFrame:
    """n occurrences of one family: variants, dates over two years, officials (one unknown)."""
    rng = np.random.default_rng(n + n_variants)
    dates = pd.Series(
        pd.Timestamp("2021-05-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    )
    dates.iloc[:n_undated] = pd.NaT
    variants = [LONG if i == 0 else f"variant {i}" for i in rng.integers(0, n_variants, n)]
    officials = [f"Official {i}" if i else "" for i in rng.integers(0, n_officials + 1, n)]
    return pd.DataFrame(
        {
            "family_id": "f",
            "variant": variants,
            "date": dates,
            "source": [f"Outlet {i}" for i in rng.integers(0, 3, n)],
            "principal": officials,
        }
    )


def dots(ax: object) -> int:
    return sum(len(c.get_offsets()) for c in ax.collections)  # type: ignore[attr-defined]


def test_variant_timeline_draws_every_dated_use_by_variant_and_official() -> None:
    frame = uses(60, n_undated=5)
    before = frame.copy()
    figure = drawn(plots.variant_timeline(frame, wrap_chars=30))
    ax = figure.axes[0]
    assert ax.get_xlabel() == "Date of use — 5 undated not shown"
    assert ax.get_ylabel().startswith("Variant")
    dated = frame[frame["date"].notna()]
    # one dot per official and day in each variant's row
    assert dots(ax) == len(dated.drop_duplicates(["variant", "principal", "date"]))
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    first_use = dated.groupby("variant")["date"].min().sort_values()
    assert [t.replace("\n", " ") for t in ticks] == list(first_use.index)
    assert max(len(line) for t in ticks for line in t.split("\n")) <= 30
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert legend[-1] == plots.UNKNOWN_LABEL and len(legend) == 4
    pd.testing.assert_frame_equal(frame, before)


def test_variant_timeline_puts_rare_variants_and_officials_together() -> None:
    frame = uses(300, n_variants=20, n_officials=12)
    figure = drawn(plots.variant_timeline(frame, max_variants=5, max_officials=4))
    ticks = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert len(ticks) == 6 and ticks[-1] == "other variants (15)"
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert legend[4:] == ["other officials (8)", plots.UNKNOWN_LABEL]
    without_principal = drawn(plots.variant_timeline(frame.drop(columns="principal")))
    assert [t.get_text() for t in without_principal.legends[0].get_texts()] == [plots.UNKNOWN_LABEL]


def test_official_heatmap_writes_each_count_in_its_cell() -> None:
    counts = pd.DataFrame(
        {
            "principal": ["Blinken", "Blinken", "Price", ""],
            "variant": ["ironclad support", LONG, "ironclad support", LONG],
            "n_utterances": [3, 1, 2, 4],
        }
    )
    figure = drawn(plots.official_heatmap(counts))
    ax = figure.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Official (principal)", "Variant")
    cells = sorted(int(t.get_text()) for t in ax.texts)
    assert cells == [1, 2, 3, 4]  # the empty cell (Price, LONG) has no number
    officials = [t.get_text() for t in ax.get_xticklabels()]
    assert officials == ["Blinken", "Price", plots.UNKNOWN_LABEL]  # the unknown last
    many = pd.DataFrame(
        {"principal": [f"P{i}" for i in range(30)], "variant": "v", "n_utterances": 1}
    )
    labels = [
        t.get_text()
        for t in drawn(plots.official_heatmap(many, max_officials=5)).axes[0].get_xticklabels()
    ]
    assert len(labels) == 6 and labels[-1] == "other officials (25)"


def test_variant_shares_stack_to_one_per_period() -> None:
    timeline = pd.DataFrame(
        {
            "family_id": "f",
            "period": pd.to_datetime(["2021-05-01", "2021-05-01", "2021-07-01"]),
            "variant": ["a", LONG, "a"],
            "n_utterances": [3, 1, 2],
            "share": [0.75, 0.25, 1.0],
        }
    )
    figure = drawn(plots.variant_shares(timeline, freq="M"))
    ax = figure.axes[0]
    assert ax.get_xlabel() == "Period (one bar per month)"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["May 2021", "Jul 2021"]
    assert bar_total(ax) == pytest.approx(2.0)
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert legend[0] == "a" and legend[1].replace("\n", " ").startswith("legitimate right")
    with pytest.raises(ValueError, match="one family"):
        plots.variant_shares(pd.concat([timeline, timeline.assign(family_id="g")]))


def test_two_centuries_are_drawn_by_decade() -> None:
    days = (pd.Timestamp("2026-02-24") - pd.Timestamp("1790-01-08")).days
    frame = documents(300, days=days).assign(date=lambda f: f["date"] - pd.DateOffset(years=231))
    main = drawn(plots.documents_over_time(frame)).axes[0]
    assert main.get_xlabel() == "Date (one bar per decade)"
    assert bar_total(main) == 300
    timeline = pd.DataFrame(
        {
            "period": pd.to_datetime(["1790-01-01", "1800-01-01", "2020-01-01"]),
            "variant": ["a", "a", "b"],
            "share": [1.0, 1.0, 1.0],
        }
    )
    shares = drawn(plots.variant_shares(timeline, freq="decade")).axes[0]
    assert shares.get_xlabel() == "Period (one bar per decade)"
    assert [t.get_text() for t in shares.get_xticklabels()] == ["1790s", "1800s", "2020s"]


def test_occurrences_over_time_counts_dated_uses_by_outlet() -> None:
    frame = uses(80, n_undated=6)
    figure = drawn(plots.occurrences_over_time(frame))
    main, side = figure.axes
    assert main.get_ylabel().startswith("Occurrences per")
    assert bar_total(main) == 74 and bar_total(side) == 6


@pytest.mark.parametrize(
    "draw",
    [
        plots.variant_timeline,
        lambda f: plots.official_heatmap(f.assign(n_utterances=1)),
        lambda f: plots.variant_shares(f.assign(period=f["date"], share=1.0)),
        plots.occurrences_over_time,
    ],
    ids=["timeline", "heatmap", "shares", "volume"],
)
def test_drift_plots_say_no_data_on_empty_input(draw: object) -> None:
    figure = drawn(draw(uses(5).iloc[0:0]))  # type: ignore[operator]
    ax = figure.axes[0]
    assert ax.get_xlabel() and ax.get_ylabel()
    assert any(t.get_text().startswith("no ") for t in ax.texts)


@pytest.mark.parametrize("n_variants", [3, 20])
def test_drift_plot_labels_do_not_overlap_or_fall_off(n_variants: int) -> None:
    frame = uses(200, n_variants=n_variants, n_officials=10)
    counts = frame.groupby(["principal", "variant"]).size().reset_index(name="n_utterances")
    timeline = frame.assign(period=frame["date"].dt.to_period("Q").dt.start_time)
    shares = timeline.groupby(["period", "variant"]).size().reset_index(name="n_utterances")
    shares["share"] = shares["n_utterances"] / shares.groupby("period")["n_utterances"].transform(
        "sum"
    )
    for figure in (
        plots.variant_timeline(frame),
        plots.official_heatmap(counts),
        plots.variant_shares(shares),
    ):
        drawn(figure)
        renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        ax = figure.axes[0]
        assert_no_overlap(ax.get_xticklabels(), renderer)
        assert_no_overlap(ax.get_yticklabels(), renderer)
        texts = [*ax.get_yticklabels(), ax.xaxis.label, ax.yaxis.label]
        if figure.legends:
            assert_no_overlap(figure.legends[0].get_texts(), renderer)
            texts += figure.legends[0].get_texts()
        inside = figure.bbox.padded(1)
        for text in texts:
            box = text.get_window_extent(renderer)
            assert inside.x0 <= box.x0 and box.x1 <= inside.x1, f"{text.get_text()!r} is cut off"
            assert inside.y0 <= box.y0 and box.y1 <= inside.y1, f"{text.get_text()!r} is cut off"


def test_drift_plots_name_missing_columns() -> None:
    with pytest.raises(ValueError, match="variant"):
        plots.variant_timeline(pd.DataFrame({"date": pd.to_datetime(["2021-01-01"])}))
    with pytest.raises(ValueError, match="n_mentions"):
        plots.official_heatmap(
            pd.DataFrame({"principal": ["a"], "variant": ["v"]}), value="n_mentions"
        )
