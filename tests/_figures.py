"""Checks on rendered matplotlib figures shared by the unit and browser tests."""

from __future__ import annotations

from matplotlib.text import Text


def texts_outside(fig, margin_px: float = 4.0, legend_margin_px: float = 12.0) -> list[str]:
    """Visible, non-empty texts of ``fig`` (tick labels, legends, titles, axis labels) whose
    drawn extent is not inside the figure with ``margin_px`` to spare -- text the picture cuts
    -- and legend texts closer than ``legend_margin_px`` to the left or right edge (a legend
    entry touching the edge reads as cut on a projector). The figure is drawn first, so tick
    labels hold their final text."""
    from matplotlib.legend import Legend

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    w, h = fig.bbox.width, fig.bbox.height
    in_legend = {id(t) for leg in fig.findobj(Legend) for t in leg.get_texts()}
    not_drawn = _labels_of_ticks_outside_the_view(fig)
    bad = []
    for t in fig.findobj(Text):
        if not t.get_visible() or not t.get_text().strip() or id(t) in not_drawn:
            continue
        e = t.get_window_extent(renderer)
        side = legend_margin_px if id(t) in in_legend else margin_px
        if e.x0 < side or e.x1 > w - side or e.y0 < 1 or e.y1 > h - 1:
            where = f"x {e.x0:.0f}-{e.x1:.0f}, y {e.y0:.0f}-{e.y1:.0f}"
            bad.append(f"{t.get_text()!r} at {where} of {w:.0f}x{h:.0f}")
    return bad


def _labels_of_ticks_outside_the_view(fig) -> set[int]:
    """ids of tick labels matplotlib keeps but does not draw (their tick lies outside the
    axis's limits)."""
    out = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            tol = 1e-9 * max(1.0, abs(hi - lo))
            for tick, loc in zip(axis.get_major_ticks(), axis.get_majorticklocs(), strict=False):
                if not lo - tol <= loc <= hi + tol:
                    out.update({id(tick.label1), id(tick.label2)})
    return out


#: How the page draws an overlay label of the explorer's views (``.s400-ann`` in
#: ``s400lab.ui.explorer``): 18 px text, 3 px padding left and right, line height 1.1.
OVERLAY_FONT_PX, OVERLAY_PAD_PX, OVERLAY_LINE = 18.0, 3.0, 1.1


def overlay_box(label: dict, bold: bool = False) -> tuple[float, float, float, float]:
    """The box (left, top, right, bottom; px from the picture's top left) the page gives an
    overlay label (``x``, ``y``, ``align``, ``valign`` as in :mod:`s400lab.ui.overlay`). Its
    text is measured with matplotlib's DejaVu Sans at the page's size (the page's font here)."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(size=OVERLAY_FONT_PX, weight="bold" if bold else "normal")
    text_w, _h, _d = RendererAgg(10, 10, 72).get_text_width_height_descent(label["text"], prop, ismath=False)
    w, h = text_w + 2 * OVERLAY_PAD_PX, OVERLAY_FONT_PX * OVERLAY_LINE
    left = label["x"] if label["align"] == "left" else label["x"] - w
    top = label["y"] if label.get("valign", "middle") == "top" else label["y"] - h / 2
    return (left, top, left + w, top + h)


def artist_box_px(panel, artist) -> tuple[float, float, float, float] | None:
    """The pixel extent (left, top, right, bottom from the picture's top left) of the data a
    Line2D, a PolyCollection or a Polygon patch (a band; hidden = empty) of ``panel`` draws,
    clipped to its axes; None if empty."""
    import numpy as np
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Polygon

    if isinstance(artist, PolyCollection):
        paths = artist.get_paths()
        xy = np.concatenate([p.vertices for p in paths]) if paths else np.empty((0, 2))
    elif isinstance(artist, Polygon):
        xy = artist.get_xy() if artist.get_visible() else np.empty((0, 2))
    else:
        xy = np.column_stack([artist.get_xdata(), artist.get_ydata()]).astype(float)
    xy = xy[np.isfinite(xy).all(axis=1)]
    if not xy.size:
        return None
    px = artist.axes.transData.transform(xy)
    ax = artist.axes.bbox
    x0, x1 = max(px[:, 0].min(), ax.x0), min(px[:, 0].max(), ax.x1)
    y0, y1 = max(px[:, 1].min(), ax.y0), min(px[:, 1].max(), ax.y1)
    h = panel.size_px[1]
    return (float(x0), float(h - y1), float(x1), float(h - y0))


def boxes_overlap(a, b) -> bool:
    """Whether two (left, top, right, bottom) boxes share any area."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
