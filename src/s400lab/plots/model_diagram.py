"""Stocks-and-flows diagram of the scenario model (matplotlib boxes and arrows).

The diagram is drawn from a small declarative table (boxes and arrows) so the picture and the
equations in :mod:`s400lab.model.core` can be checked side by side.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from s400lab.plots.style import ACTOR_COLOURS, OKABE_ITO

__all__ = ["BOXES", "ARROWS", "draw_model_diagram"]

#: name -> (x, y, text, colour, kind) ; kind "stock" (thick border) or "flow"/"outcome".
BOXES: dict[str, tuple[float, float, str, str, str]] = {
    "production": (0.11, 0.84, "Production\nproduction_bn_per_year", ACTOR_COLOURS["Russia"], "flow"),
    "losses": (0.11, 0.42, "Losses (Ukrainian strikes)\nloss_rate_bn_per_year", ACTOR_COLOURS["Ukraine"], "flow"),
    "stock": (0.38, 0.63, "Russian S-400 stock S\nshortfall = max(0, R - S)", ACTOR_COLOURS["Russia"], "stock"),
    "turkiye": (0.30, 0.14, "Turkiye's S-400s\ntr_holding_bn (2 or 4)", ACTOR_COLOURS["Turkiye"], "stock"),
    "exports": (0.63, 0.84, "Export capacity\nP x export_share x f(shortfall)", ACTOR_COLOURS["Russia"], "flow"),
    "india": (0.88, 0.63, "India's squadrons\n4th, 5th (2 bn each)", ACTOR_COLOURS["India"], "outcome"),
    "us": (0.63, 0.14, "US track: sanctions lifted ->\nF-35 readmission -> first jet", ACTOR_COLOURS["United States"], "outcome"),
    "money": (0.88, 0.30, "Money & alliance\nscorecard", OKABE_ITO["grey"], "outcome"),
}

#: (from, to, label)
ARROWS: list[tuple[str, str, str]] = [
    ("production", "stock", "+ P/4"),
    ("losses", "stock", "- L/4"),
    ("stock", "exports", "shortfall squeezes\nexports"),
    ("exports", "india", "2 bn = 1 squadron"),
    ("turkiye", "stock", "return (after removal\n+ refurbishment)"),
    ("turkiye", "india", "ru_use_returned = india"),
    ("turkiye", "us", "full divestiture only"),
    ("us", "money", "work share"),
    ("turkiye", "money", "refund"),
]


def _edge(x0: float, y0: float, x1: float, y1: float, w: float, h: float) -> tuple[float, float]:
    """Point where the segment from a box centre (x0, y0) towards (x1, y1) leaves the box."""
    dx, dy = x1 - x0, y1 - y0
    pad = 0.015
    tx = (w / 2 + pad) / abs(dx) if dx else float("inf")
    ty = (h / 2 + pad) / abs(dy) if dy else float("inf")
    t = min(tx, ty, 1.0)
    return x0 + t * dx, y0 + t * dy


def draw_model_diagram(ax: Axes) -> Axes:
    """Draw the stocks-and-flows diagram on ``ax``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes

    Returns
    -------
    matplotlib.axes.Axes
        The same axes, with boxes (stocks have a thick border) and labelled arrows.
    """
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    w, h = 0.21, 0.13
    for name, (x, y, text, colour, kind) in BOXES.items():
        box = FancyBboxPatch(
            (x - w / 2, y - h / 2), w, h,
            boxstyle="round,pad=0.01",
            facecolor=colour, alpha=0.18,
            edgecolor=colour, linewidth=3.0 if kind == "stock" else 1.2,
        )
        ax.add_patch(box)
        ax.text(x, y, text, ha="center", va="center", fontsize=9, wrap=True)
    for a, b, label in ARROWS:
        (xa, ya), (xb, yb) = BOXES[a][:2], BOXES[b][:2]
        start, end = _edge(xa, ya, xb, yb, w, h), _edge(xb, yb, xa, ya, w, h)
        arrow = FancyArrowPatch(
            start, end, arrowstyle="-|>", mutation_scale=14,
            color=OKABE_ITO["black"], linewidth=1.0,
        )
        ax.add_patch(arrow)
        if label:
            mx, my = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
            steep = abs(end[1] - start[1]) > abs(end[0] - start[0])
            ax.text(mx + (0.012 if steep else 0.0), my + (0.0 if steep else 0.03), label,
                    ha="left" if steep else "center", va="center" if steep else "bottom",
                    fontsize=7.5, color=OKABE_ITO["black"])
    ax.set_title("The model: stocks (thick boxes), flows and outcomes", fontsize=11)
    return ax
