"""The explorer views' fast render paths give exactly the pixels of the plain ones: bands drawn
as one patch (not a one-polygon PolyCollection), empty artists skipped."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.patches import Polygon

from s400lab.plots.explorer import ExplorerFigure, _drawn

T0, T1 = 2026.75, 2032.75
T = T0 + 0.25 * np.arange(24)


def _band(k: float) -> np.ndarray:
    mid = np.linspace(40, 30, 24) + k
    return np.vstack([mid - 6, mid - 2, mid, mid + 3, mid + 7])


def _fill(fig: ExplorerFigure, k: float, compare: bool) -> None:
    base = np.linspace(40, 33, 24) if compare else None
    diff_band = (_band(k) - np.linspace(40, 33, 24)) / 4 if compare else None
    fig.stock.update(
        T, np.linspace(40, 30, 24) + k, np.full(24, 35.0), baseline=base, band=_band(k), diff_band=diff_band
    )
    fig.india.update(["5th squadron"], [2026.75], [2027.5 + k], texts=["2027Q3 - 90%"])
    fig.track.update(["Verified divestiture", "CAATSA lifted"], [2027.25 + k, np.nan], note="x")


def _plain_pixels(panel) -> np.ndarray:
    """The data layer drawn the plain way over the cached background: every animated artist,
    empty or not, and each band patch as the one-polygon PolyCollection it replaces."""
    panel.canvas.restore_region(panel._background)
    for a in panel._dynamic:
        if isinstance(a, Polygon):
            if not a.get_visible():
                continue
            coll = PolyCollection(
                [a.get_xy()], facecolors=[a.get_facecolor()[:3]], alpha=a.get_alpha(), linewidths=0
            )
            a.axes.add_collection(coll, autolim=False)
            coll.set_animated(True)
            panel.fig.draw_artist(coll)
            coll.remove()
        else:
            panel.fig.draw_artist(a)
    return np.asarray(panel.canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("compare", [True, False])
@pytest.mark.parametrize("name", ["stock", "india", "track"])
def test_fast_render_equals_the_plain_render_pixel_for_pixel(name, compare):
    fig = ExplorerFigure(T0, T1)
    panel = fig.panels[name]
    for k in (0.0, 0.25, 3.0):
        _fill(fig, k, compare)
        panel.png()
        fast = np.asarray(panel.canvas.buffer_rgba()).copy()
        np.testing.assert_array_equal(fast, _plain_pixels(panel))


def test_only_empty_or_hidden_artists_are_skipped():
    fig = ExplorerFigure(T0, T1)
    stock = fig.stock
    _fill(fig, 0.0, compare=False)
    skipped = {a for a in stock._dynamic if not _drawn(a)}
    assert skipped == {stock.base_line, stock.diff_line, stock.diff_band}
    _fill(fig, 0.0, compare=True)
    assert all(_drawn(a) for a in stock._dynamic)
    assert _drawn(fig.track.missed)  # one milestone not reached: its cross is drawn
    fig.track.update(["Verified divestiture", "CAATSA lifted"], [2027.25, 2028.0], note="x")
    assert not _drawn(fig.track.missed)


def _legend_texts(panel) -> list[str]:
    return [t.get_text() for t in panel.legend.get_texts()]


def test_stock_legend_is_rebuilt_only_when_its_entries_change():
    fig = ExplorerFigure(T0, T1)
    _fill(fig, 0.0, compare=True)
    legend = fig.stock.legend
    assert _legend_texts(fig.stock) == ["scenario", "50/90% of draws", "status quo", "requirement"]
    _fill(fig, 30.0, compare=True)  # new y-limits: a new static layer, the same legend
    assert fig.stock.legend is legend
    _fill(fig, 0.0, compare=False)
    assert _legend_texts(fig.stock) == ["scenario", "50/90% of draws", "requirement"]
    assert legend not in fig.stock.fig.legends and len(fig.stock.fig.legends) == 1


def test_india_axis_is_the_horizon_and_an_earlier_promise_is_pinned_at_its_edge():
    """One time axis for the three views (issue 21, item 4): a promise before the horizon no
    longer widens the India view; it is drawn at the left edge and named in the note."""
    fig = ExplorerFigure(T0, T1)
    india = fig.india

    def show(promised: float) -> None:
        india.update(["5th squadron"], [promised], [2028.0])

    show(2025.25)
    assert india.ax.get_xlim() == (T0, T1) == fig.stock.ax.get_xlim()
    assert list(india.promised_early.get_xdata()) == [T0] and len(india.promised.get_xdata()) == 0
    assert any("promised 2025Q2" in lab["text"] for lab in india.labels)
    fig.set_horizon(2027.0, 2035.0)
    show(2025.75)
    assert india.ax.get_xlim() == (2027.0, 2035.0)
    show(2029.0)
    assert india.ax.get_xlim() == (2027.0, 2035.0)
    assert list(india.promised.get_xdata()) == [2029.0] and len(india.promised_early.get_xdata()) == 0


def test_a_line_whose_points_stay_keeps_its_path():
    """A lever moves the scenario, not the status quo: the status quo and requirement lines
    keep matplotlib's cached path; the moved line gets a new one."""
    fig = ExplorerFigure(T0, T1)
    stock = fig.stock
    _fill(fig, 0.0, compare=True)
    stock.png()
    kept = {a: a._path for a in (stock.base_line, stock.req_line, stock.line)}
    _fill(fig, 0.25, compare=True)
    stock.png()
    assert stock.base_line._path is kept[stock.base_line] and stock.req_line._path is kept[stock.req_line]
    assert stock.line._path is not kept[stock.line]
    np.testing.assert_array_equal(stock.line.get_ydata(), np.linspace(40, 30, 24) + 0.25)
