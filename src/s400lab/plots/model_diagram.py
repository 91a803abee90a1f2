"""Stocks-and-flows diagram of the scenario model (matplotlib boxes and arrows).

The diagram is drawn from a small declarative table (boxes and arrows) so the picture and the
equations in :mod:`s400lab.model.core` can be checked side by side. It is sized for a
projector: box text at 13 pt, arrow labels at 11.5 pt on a white backing so a label never
disappears under a line, and no label overlaps a box (a test renders it and checks).
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from s400lab.plots.style import ACTOR_COLOURS, OKABE_ITO

__all__ = ["BOXES", "ARROWS", "BOX_SIZE", "draw_model_diagram"]

#: Width and height of every box, in axes fractions.
BOX_SIZE = (0.23, 0.16)

#: name -> (x, y, text, colour, kind) ; kind "stock" (thick border) or "flow"/"outcome".
BOXES: dict[str, tuple[float, float, str, str, str]] = {
    "production": (0.12, 0.86, "Russian production\n(battalions / year)", ACTOR_COLOURS["Russia"], "flow"),
    "losses": (0.12, 0.50, "Losses to Ukrainian\nstrikes (per year)", ACTOR_COLOURS["Ukraine"], "flow"),
    "stock": (0.50, 0.68, "Russian S-400 stock\nshortfall vs home need", ACTOR_COLOURS["Russia"], "stock"),
    "exports": (0.88, 0.86, "Export capacity\n(shrinks with shortfall)", ACTOR_COLOURS["Russia"], "flow"),
    "india": (0.88, 0.50, "India's 4th and 5th\nsquadrons (2 bn each)", ACTOR_COLOURS["India"], "outcome"),
    "turkiye": (0.12, 0.12, "Turkiye's S-400s\n(2 or 4 battalions)", ACTOR_COLOURS["Turkiye"], "stock"),
    "us": (
        0.50,
        0.12,
        "US track: sanctions lifted\n→ F-35 back → first jet",
        ACTOR_COLOURS["United States"],
        "outcome",
    ),
    "money": (0.88, 0.12, "Money and alliance\nscorecard", OKABE_ITO["grey"], "outcome"),
}

#: (from, to, label, (dx, dy)): the label sits at the arrow's middle moved by (dx, dy).
ARROWS: list[tuple[str, str, str, tuple[float, float]]] = [
    ("production", "stock", "+ production", (0.0, 0.04)),
    ("losses", "stock", "− losses", (0.0, -0.04)),
    ("stock", "exports", "export share", (0.0, 0.04)),
    ("exports", "india", "2 bn = 1 squadron", (0.0, 0.0)),
    ("turkiye", "stock", "returned units\n(after removal + refit)", (0.02, -0.03)),
    ("turkiye", "india", "or straight to India", (0.08, 0.0)),
    ("turkiye", "us", "only a full\ndivestiture", (0.0, -0.07)),
    ("us", "money", "F-35 work\nshare", (0.0, 0.07)),
    ("stock", "money", "refund vs\nvalue regained", (-0.12, 0.06)),
]


def _edge(x0: float, y0: float, x1: float, y1: float, w: float, h: float) -> tuple[float, float]:
    """Point where the segment from a box centre (x0, y0) towards (x1, y1) leaves the box."""
    dx, dy = x1 - x0, y1 - y0
    pad = 0.015
    tx = (w / 2 + pad) / abs(dx) if dx else float("inf")
    ty = (h / 2 + pad) / abs(dy) if dy else float("inf")
    t = min(tx, ty, 1.0)
    return x0 + t * dx, y0 + t * dy


def draw_model_diagram(ax: Axes, *, fontsize: float = 13.0) -> dict:
    """Draw the stocks-and-flows diagram on ``ax``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Best on a wide figure, e.g. ``figsize=(14, 7)``.
    fontsize : float
        Size of the box text; arrow labels are 1.5 pt smaller.

    Returns
    -------
    dict
        ``boxes`` and ``box_texts`` (name -> patch / Text), ``arrows`` and ``arrow_labels``
        (lists in the order of :data:`ARROWS`).
    """
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    w, h = BOX_SIZE
    out: dict = {"boxes": {}, "box_texts": {}, "arrows": [], "arrow_labels": []}
    for name, (x, y, text, colour, kind) in BOXES.items():
        box = FancyBboxPatch(
            (x - w / 2, y - h / 2),
            w,
            h,
            boxstyle="round,pad=0.005",
            facecolor=to_rgba(colour, 0.18),
            edgecolor=colour if kind == "stock" else to_rgba(colour, 0.5),
            linewidth=3.5 if kind == "stock" else 1.2,
        )
        ax.add_patch(box)
        out["boxes"][name] = box
        out["box_texts"][name] = ax.text(
            x,
            y,
            text,
            ha="center",
            va="center",
            fontsize=fontsize,
            fontweight="bold" if kind == "stock" else "normal",
        )
    for a, b, label, (ox, oy) in ARROWS:
        (xa, ya), (xb, yb) = BOXES[a][:2], BOXES[b][:2]
        start, end = _edge(xa, ya, xb, yb, w, h), _edge(xb, yb, xa, ya, w, h)
        arrow = FancyArrowPatch(
            start, end, arrowstyle="-|>", mutation_scale=18, color=OKABE_ITO["black"], linewidth=1.4
        )
        ax.add_patch(arrow)
        out["arrows"].append(arrow)
        mx, my = (start[0] + end[0]) / 2 + ox, (start[1] + end[1]) / 2 + oy
        out["arrow_labels"].append(
            ax.text(
                mx,
                my,
                label,
                ha="center",
                va="center",
                fontsize=fontsize - 1.5,
                color=OKABE_ITO["black"],
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5},
            )
        )
    ax.set_title("The model: stocks (thick borders), flows (arrows) and outcomes", fontsize=fontsize + 2)
    return out
