"""Figures of the report: a matplotlib Figure turned into inline SVG markup.

Text stays text (``svg.fonttype: none``), so it is searchable in the HTML and the PDF and uses
the fonts of the page. Each SVG's ids get a prefix of its own, so several figures in one HTML
file never share an id (matplotlib numbers them the same way in every figure), and ids that
nothing refers to are dropped.
"""

from __future__ import annotations

import io
import multiprocessing
import re
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["FigureBlock", "drawing", "figure_block", "svg_markup"]

#: Matplotlib settings used while writing SVG; fixed salt and no date keep output reproducible.
SVG_RC: dict[Any, Any] = {"svg.fonttype": "none", "svg.hashsalt": "phrasedrift"}

_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_ID = re.compile(r'\sid="([^"]+)"')
_REFERENCE = re.compile(r'(url\(#|href="#)([^")]+)')


@dataclass(frozen=True)
class FigureBlock:
    """A figure ready for the ``figure`` macro: an id, a caption, the SVG (or the drawing of it
    under way in another process) and its description."""

    id: str
    caption: str
    drawn: Markup | Future[Markup]
    alt: str

    @property
    def svg(self) -> Markup:
        """The SVG markup (waiting for its drawing, if it is under way)."""
        return self.drawn if isinstance(self.drawn, Markup) else self.drawn.result()


def svg_markup(figure: Figure, *, prefix: str, alt: str) -> Markup:
    """``figure`` as an ``<svg>`` element to place inline in HTML.

    prefix: added to every id inside the SVG (must be unique in the page).
    alt: what the figure shows, for screen readers (``role="img"`` and ``aria-label``).
    """
    import matplotlib as mpl  # loaded only when a figure is drawn

    buffer = io.StringIO()
    with mpl.rc_context(SVG_RC):
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches=None)
    svg = _PROLOG.sub("", buffer.getvalue(), count=1)
    svg = _METADATA.sub("", svg, count=1)
    referenced = {match.group(2) for match in _REFERENCE.finditer(svg)}

    def rename(match: re.Match[str]) -> str:
        name = match.group(1)
        return f' id="{prefix}-{name}"' if name in referenced else ""

    svg = _ID.sub(rename, svg)
    svg = _REFERENCE.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)
    label = alt.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    svg = svg.replace("<svg ", f'<svg class="plot" role="img" aria-label="{label}" ', 1)
    # Safe as markup: matplotlib escapes the text (titles, labels, legend) it writes into SVG.
    return Markup(svg.strip())


def figure_block(
    draw: Callable[[], Figure],
    *,
    id: str,
    caption: str,
    alt: str,
    drawer: Executor | None = None,
) -> FigureBlock:
    """The figure that ``draw`` makes, rendered for the report: here, or in a worker process of
    ``drawer`` (drawing is most of a report's time; ``draw`` goes there with its data, a
    picklable callable such as a ``functools.partial`` of a :mod:`phrasedrift.plots` function,
    and this process goes on building the report meanwhile). A figure is made and drawn in
    one process: a pickled figure loses the links that tell its transforms to update when the
    layout moves the axes."""
    if drawer is None:
        drawn: Markup | Future[Markup] = _draw(draw, prefix=id, alt=alt)
    else:
        drawn = drawer.submit(_draw, draw, prefix=id, alt=alt)
    return FigureBlock(id=id, caption=caption, drawn=drawn, alt=alt)


def _draw(draw: Callable[[], Figure], *, prefix: str, alt: str) -> Markup:
    """:func:`svg_markup` of the figure ``draw`` makes, which is released after."""
    figure = draw()
    svg = svg_markup(figure, prefix=prefix, alt=alt)
    figure.clear()
    return svg


@contextmanager
def drawing(workers: int) -> Iterator[Executor | None]:
    """Worker processes that draw figures, or None (draw here) for one worker or where
    processes cannot be forked (they start from this process's state: its matplotlib
    settings and loaded fonts)."""
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield pool
