"""The explorer's three panels: updated in place, re-rendered only on change, blitting is faithful."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from s400lab.plots.explorer import ExplorerFigure, quarter_text

T0, T1 = 2026.75, 2032.75
T = T0 + 0.25 * np.arange(24)
MILESTONES = ["Verified divestiture", "CAATSA lifted", "F-35 readmission", "First F-35"]


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def _full_draw(panel) -> np.ndarray:
    """Reference picture: every artist drawn normally (no cached background)."""
    for a in panel._dynamic:
        a.set_animated(False)
    panel.canvas.draw()
    out = np.asarray(panel.canvas.buffer_rgba())[..., :3].astype(np.int16)
    for a in panel._dynamic:
        a.set_animated(True)
    return out


def _fill(fig: ExplorerFigure, k: float = 0.0, top: float = 20.0) -> None:
    fig.stock.update(
        T, np.linspace(top, top - 5, 24) + k, np.full(24, 22.0), baseline=np.linspace(top, top - 6, 24)
    )
    fig.india.update(
        ["4th squadron", "5th squadron"], [2026.25, 2026.75], [2027.0 + k, np.nan], baseline=[2027.5, np.nan]
    )
    fig.track.update(
        MILESTONES,
        [2027.25 + k, 2027.75 + k, np.nan, np.nan],
        note="legal conditions met",
        baseline=[np.nan] * 4,
        good=True,
    )


def test_update_reports_change_only_when_data_change():
    fig = ExplorerFigure(T0, T1)
    _fill(fig)
    assert not fig.stock.update(
        T, np.linspace(20, 15, 24), np.full(24, 22.0), baseline=np.linspace(20, 14, 24)
    )
    assert fig.stock.update(T, np.linspace(20, 15, 24), np.full(24, 22.0), baseline=None)
    assert not fig.track.update(
        MILESTONES,
        [2027.25, 2027.75, np.nan, np.nan],
        note="legal conditions met",
        baseline=[np.nan] * 4,
        good=True,
    )
    assert fig.track.update(
        MILESTONES,
        [2027.25, 2027.75, np.nan, np.nan],
        note="legal conditions NOT met",
        baseline=[np.nan] * 4,
        good=False,
    )


def test_artists_are_updated_in_place():
    fig = ExplorerFigure(T0, T1)
    line = fig.stock.line
    n_artists = len(fig.stock.ax.get_children())
    for k in range(5):
        _fill(fig, k=0.25 * k)
        fig.stock.png()
    assert fig.stock.line is line
    assert len(fig.stock.ax.get_children()) == n_artists
    np.testing.assert_array_equal(line.get_ydata(), np.linspace(20, 15, 24) + 1.0)


@pytest.mark.parametrize("name", ["stock", "india", "track"])
def test_blitted_render_matches_a_full_draw(name):
    """After data and limits change, the cached-background render equals a full redraw."""
    fig = ExplorerFigure(T0, T1)
    panel = fig.panels[name]
    _fill(fig)
    panel.png()
    _fill(fig, k=0.5, top=60.0)  # new y-limits for the stock panel -> new background
    blit = _pixels(panel.png())
    full = _full_draw(panel)
    assert blit.shape == full.shape
    differing = np.mean(np.any(np.abs(blit - full) > 40, axis=-1))
    # Only the stacking of data lines over the legend may differ (a few pixels); a stale
    # background (old tick labels) differs in ~0.5% of the pixels.
    assert differing < 0.0005, f"{differing:.3%} of pixels differ"


def test_background_is_reused_while_limits_hold():
    fig = ExplorerFigure(T0, T1)
    _fill(fig)
    fig.stock.png()
    first = fig.stock.full_draws
    for k in range(1, 4):
        _fill(fig, k=0.1 * k)
        fig.stock.png()
    assert fig.stock.full_draws == first  # same y-limits: only the data layer was drawn
    _fill(fig, top=80.0)
    fig.stock.png()
    assert fig.stock.full_draws == first + 1


def test_a_frame_seen_before_reuses_its_cached_background_faithfully():
    """Going back to earlier limits (a preset chosen again) costs no full draw, and the
    picture still equals a full redraw; a new horizon drops the cached layers."""
    fig = ExplorerFigure(T0, T1)
    stock = fig.stock
    for top in (20.0, 60.0, 20.0, 60.0):
        _fill(fig, top=top)
        png = stock.png()
    assert stock.full_draws == 2  # 20 and 60: one static layer each, then reused
    full = _full_draw(stock)
    assert np.mean(np.any(np.abs(_pixels(png) - full) > 40, axis=-1)) < 0.0005
    for top in range(30, 30 + 10 * (stock.BACKGROUNDS_KEPT + 2), 10):  # more frames than kept
        _fill(fig, top=float(top))
        stock.png()
    assert len(stock._backgrounds) == stock.BACKGROUNDS_KEPT
    fig.set_horizon(2027.0, 2035.0)
    assert stock._backgrounds == {}
    _fill(fig, top=20.0)
    before = stock.full_draws
    stock.png()
    assert stock.full_draws == before + 1


def test_late_squadrons_and_missed_milestones_are_drawn_at_the_edge():
    fig = ExplorerFigure(T0, T1)
    _fill(fig)
    x, y = fig.india.late.get_data()
    assert len(x) == 1 and x[0] > T1 - 0.25 and y[0] == 0.0  # the 5th squadron (bottom row)
    (note,) = [lab["text"] for lab in fig.india.labels if lab["kind"] == "note"]
    assert note.endswith("1 not delivered by 2032Q3")
    mx, _ = fig.track.missed.get_data()
    assert len(mx) == 2


def test_horizon_change_moves_every_axis():
    fig = ExplorerFigure(T0, T1)
    _fill(fig)
    fig.set_horizon(2027.0, 2035.0)
    assert fig.stock.ax.get_xlim() == (2027.0, 2035.0)
    assert fig.track.ax.get_xlim() == (2027.0, 2035.0)
    _fill(fig)
    assert fig.india.ax.get_xlim()[1] == 2035.0


def test_quarter_text():
    assert quarter_text(2027.25) == "2027Q2"
    assert quarter_text(2027.0) == "2027Q1"
    assert quarter_text(float("nan")) == "-"


def test_panels_are_rendered_at_their_pixel_size():
    from s400lab.plots.explorer import SIZES

    for layout, sizes in SIZES.items():
        fig = ExplorerFigure(T0, T1, layout=layout)
        _fill(fig)
        for name, panel in fig.panels.items():
            assert Image.open(io.BytesIO(panel.png())).size == sizes[name]


def test_date_labels_sit_beside_their_markers():
    fig = ExplorerFigure(T0, T1)
    fig.track.update(
        MILESTONES,
        [2027.25, 2027.75, np.nan, np.nan],
        note="x",
        texts=["2027Q2 - 90%", "2027Q4 - 70%", "", ""],
    )
    dates = [lab for lab in fig.track.labels if lab["kind"] == "date"]
    assert [d["text"] for d in dates] == ["2027Q2 - 90%", "2027Q4 - 70%"]
    x_marker, _ = fig.track._px(fig.track.ax, 2027.25, 3.0)
    assert dates[0]["align"] == "left" and dates[0]["x"] > x_marker
    assert dates[0]["y"] < dates[1]["y"]  # rows top to bottom
    w, h = fig.track.size_px
    assert all(0 <= d["x"] <= w and 0 <= d["y"] <= h for d in dates)


def test_status_quo_markers_do_not_hide_under_the_scenario():
    fig = ExplorerFigure(T0, T1)
    fig.track.update(
        MILESTONES, [2027.25, 2027.75, 2028.0, 2028.5], note="", baseline=[2027.25, 2027.75, 2028.0, 2028.5]
    )
    xs, ys = fig.track.reached.get_data()
    bx, by = fig.track.base.get_data()
    np.testing.assert_array_equal(xs, bx)
    assert np.all(np.abs(np.asarray(ys) - np.asarray(by)) >= 0.25)  # own offset row


@pytest.mark.parametrize("screen", ["compact", "laptop", "wide"])
def test_no_view_cuts_its_text_or_legend_at_an_edge(screen):
    """At 1024x768 the India legend's "status quo" touched the picture's right edge and read
    as cut: every text (ticks, titles, legends) stays inside, legends 12 px from the sides."""
    from _figures import texts_outside

    from s400lab.ui.explorer import ScenarioExplorer

    ex = ScenarioExplorer(preset="full_return_cash", screen=screen, n_draws=50)
    for preset in ("full_return_cash", "early_return_india", "transfer_third_party"):
        ex.load_preset(preset)
        for name, panel in ex.figure.panels.items():
            assert texts_outside(panel.fig) == [], (screen, preset, name)
