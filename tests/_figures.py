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
