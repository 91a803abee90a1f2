"""The blit machinery shared by the explorer's views: a pixel-sized Agg figure whose static
layer (axes, ticks, legend) is cached as pixels and whose data layer is drawn over it.

A panel's artists are created once; its ``update`` only calls ``set_data`` / ``set_xy`` and
returns whether anything visible changed, so the caller re-renders (:meth:`BlitPanel.png`) only
the panels that changed. Sized in **pixels**: at ``dpi=72`` one point of font size is one pixel.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon
from matplotlib.ticker import FixedLocator, MultipleLocator

from s400lab.plots.explorer.layout import (
    AXES_LEFT_PX,
    AXES_RIGHT_PX,
    BOLD_KINDS,
    GAP_PX,
    LABEL_PAD_PX,
    Box,
    box_of,
    contains,
    place_beside,
    text_width_px,
)
from s400lab.plots.png import canvas_png
from s400lab.plots.style import OKABE_ITO

#: Render resolution: 72 dpi, so a font size in points is the same number of pixels.
DPI = 72

#: Colour of baseline (status quo) overlays.
BASELINE_COLOUR = OKABE_ITO["grey"]

#: Room kept between a legend and the picture's right edge (px): text that touches the edge
#: reads as cut on a projector.
LEGEND_MARGIN_PX = 10

#: Font sizes in px (= pt at 72 dpi): at least 18 px, readable from the back of a room.
FONT = {"title": 18, "label": 18, "tick": 18, "legend": 18}


def style_axes(ax) -> None:
    ax.title.set_fontsize(FONT["title"])
    ax.xaxis.label.set_fontsize(FONT["label"])
    ax.yaxis.label.set_fontsize(FONT["label"])
    ax.tick_params(labelsize=FONT["tick"])
    ax.grid(True, alpha=0.3)
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)


def arr(x: Sequence[float] | np.ndarray | None) -> np.ndarray:
    return np.asarray([] if x is None else x, dtype=float)


def same_array(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True))


def quarter_axis(ax, t0: float, t1: float, width_px: float | None = None) -> None:
    """Quarter ticks on ``ax`` from ``t0`` to ``t1``; ``width_px`` is the axes' width in
    pixels (default: measured), which decides whether every year gets its label."""
    if width_px is None:
        width_px = ax.get_position().width * ax.figure.bbox.width
    quarter_ticks(ax, t0, t1, width_px)


def quarter_ticks(ax, t0: float, t1: float, width_px: float) -> None:
    """Major ticks at year starts labelled ``2027Q1`` (every 2nd year if narrow), minor ticks
    at every quarter, so each view reads in quarters."""
    first = math.ceil(t0 - 1e-9)
    years = np.arange(first, math.floor(t1 + 1e-9) + 1, dtype=float)
    step = 1 if width_px / max(len(years), 1) >= 80 else 2
    ticks = years[::step]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.set_xticks(ticks, [f"{int(y)}Q1" for y in ticks])
    ax.xaxis.set_minor_locator(MultipleLocator(0.25))
    ax.tick_params(axis="x", which="minor", length=3)


def nice_limit(x: float) -> float:
    """Smallest of 1, 2, 5, 10, 20, 50, ... that is >= x (at least 1)."""
    x = max(float(x), 1.0)
    mag = 10 ** math.floor(math.log10(x))
    for m in (1, 2, 5, 10):
        if m * mag >= x - 1e-9:
            return m * mag
    return 10 * mag


def band_verts(t: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> list[np.ndarray]:
    """Polygon of a step band (drawstyle steps-post) between ``lo`` and ``hi``."""
    if t.size == 0:
        return []
    step = t[1] - t[0] if t.size > 1 else 0.25
    tt = np.repeat(np.append(t, t[-1] + step), 2)[1:-1]
    lo2, hi2 = np.repeat(lo, 2), np.repeat(hi, 2)
    xs = np.concatenate([tt, tt[::-1]])
    ys = np.concatenate([lo2, hi2[::-1]])
    return [np.column_stack([xs, ys])]


def band_patch(ax, colour: str, alpha: float) -> Polygon:
    """A filled band without edge, hidden until :func:`set_band` gives it a polygon (one
    patch: the same pixels as a one-polygon PolyCollection, drawn in about half the time)."""
    patch = Polygon(np.zeros((1, 2)), closed=True, facecolor=colour, alpha=alpha, linewidth=0, visible=False)
    ax.add_patch(patch)
    return patch


def set_band(patch: Polygon, t=None, lo=None, hi=None) -> None:
    """Fill ``patch`` between ``lo`` and ``hi`` as steps over ``t``; without them, hide it."""
    verts = [] if t is None else band_verts(t, lo, hi)
    if verts:
        patch.set_xy(verts[0])
    patch.set_visible(bool(verts))


def set_line(line: Line2D, x, y) -> None:
    """``line.set_data(x, y)`` unless the line holds these points already: matplotlib then
    keeps its cached path (a status quo line does not move when a lever does)."""
    x, y = arr(x), arr(y)
    if same_array(arr(line.get_xdata(orig=True)), x) and same_array(arr(line.get_ydata(orig=True)), y):
        return
    line.set_data(x, y)


def is_drawn(artist) -> bool:
    """Whether drawing ``artist`` can change a pixel: visible, with something to draw (an
    empty line or collection draws nothing, but matplotlib still spends ~0.1-0.4 ms on it)."""
    if not artist.get_visible():
        return False
    if isinstance(artist, Line2D):
        return len(artist.get_xdata(orig=True)) > 0
    if isinstance(artist, Collection):
        return len(artist.get_paths()) > 0
    return True


class BlitPanel:
    """Base: one Figure of ``size_px`` pixels with an Agg canvas, rendered to PNG bytes."""

    def __init__(self, size_px: tuple[int, int], dpi: int = DPI) -> None:
        w, h = size_px
        self.size_px = (int(w), int(h))
        self.fig = Figure(figsize=(w / dpi, h / dpi), dpi=dpi)
        self.canvas = FigureCanvasAgg(self.fig)
        self.dpi = dpi
        self.draws = 0
        self.full_draws = 0
        self._state: tuple = ()
        self._dynamic: list = []
        self._frame_key: tuple | None = None
        self._xaxis: tuple[float, float] | None = None  # x-limits set on the axes (_set_xaxis)
        self._background: Any = None
        #: Static layers already drawn, by frame key (most recent last): going back to a
        #: frame seen before (a preset chosen again, a limit that returns) costs no full draw.
        self._backgrounds: dict[tuple, Any] = {}
        #: Text labels drawn by the page over the picture (dates with chances, notes): dicts
        #: with ``x``, ``y`` (pixels from the top left), ``text``, ``align`` ("left", "right"),
        #: ``kind`` ("date", "note", "good", "bad"). Text is left to the browser: crisp,
        #: selectable, read by screen readers, and ~10x cheaper than drawing it per update.
        self.labels: list[dict] = []

    def _px(self, ax, x: float, y: float) -> tuple[float, float]:
        """Pixel position (from the top left of the PNG) of data point ``(x, y)`` on ``ax``."""
        dx, dy = ax.transData.transform((x, y))
        return float(dx), float(self.size_px[1] - dy)

    def _bottom_legend(self, handles: list):
        """One row of legend entries at the bottom right, kept off the picture's right edge."""
        return self.fig.legend(
            handles=handles,
            loc="lower right",
            frameon=False,
            ncols=len(handles),
            fontsize=FONT["legend"],
            bbox_to_anchor=(1 - LEGEND_MARGIN_PX / self.size_px[0], 0.0),
            borderaxespad=0.1,
            handletextpad=0.2,
            columnspacing=0.9 if len(handles) < 4 else 0.6,
        )

    def _note(self, text: str, kind: str = "note") -> dict:
        """A note at the top right of the picture."""
        return {
            "x": float(self.size_px[0] - 8),
            "y": 2.0,
            "text": text,
            "align": "right",
            "kind": kind,
            "valign": "top",
        }

    def _plot_area(self, top_px: float, bottom_px: float) -> dict[str, float]:
        """The subplot parameters of the common plot area: :data:`AXES_LEFT_PX` from the left,
        :data:`AXES_RIGHT_PX` from the right (the same in every view, so one quarter has one x),
        ``top_px`` and ``bottom_px`` from the top and bottom."""
        w, h = self.size_px
        return {
            "left": AXES_LEFT_PX / w,
            "right": 1 - AXES_RIGHT_PX / w,
            "top": 1 - top_px / h,
            "bottom": bottom_px / h,
        }

    def _axes_box(self, ax) -> Box:
        """The plot area of ``ax`` as a box from the picture's top left."""
        b = ax.bbox
        h = self.size_px[1]
        return (float(b.x0), float(h - b.y1), float(b.x1), float(h - b.y0))

    def _to_px(self, ax, x, y) -> tuple[np.ndarray, np.ndarray]:
        """Pixel positions (from the picture's top left) of data points on ``ax`` (linear
        axes: one affine matrix, no per-point transform calls)."""
        m = ax.transData.get_affine().get_matrix()
        x, y = arr(x), arr(y)
        return m[0, 0] * x + m[0, 1] * y + m[0, 2], self.size_px[1] - (m[1, 0] * x + m[1, 1] * y + m[1, 2])

    def _marker_boxes(self, line: Line2D, half_px: float) -> list[Box]:
        """Boxes of the markers a line draws (``half_px``: half the marker's size plus its edge)."""
        x, y = arr(line.get_xdata(orig=True)), arr(line.get_ydata(orig=True))
        ok = np.isfinite(x) & np.isfinite(y)
        if not ok.any():
            return []
        px, py = self._to_px(line.axes, x[ok], y[ok])
        return [
            (a - half_px, b - half_px, a + half_px, b + half_px) for a, b in zip(px.tolist(), py.tolist())
        ]

    #: Half the drawn size (px) of a row marker with its edge, for keeping labels off it.
    MARKER_HALF_PX = 6.5

    def _row_labels(
        self, ax, points: list[tuple[float, float]], variants: list[list[str]], marker_lines: list
    ) -> tuple[list[dict], bool]:
        """One label per row beside its marker at data point ``points[i]``: the first of
        ``variants[i]`` (longest first) that fits inside the plot area (to the picture's right
        edge) without covering another marker (of ``marker_lines``) or a label placed before.
        Returns the labels and whether a shorter form than the first had to be used."""
        markers = [bx for line in marker_lines for bx in self._marker_boxes(line, self.MARKER_HALF_PX)]
        ax_box = self._axes_box(ax)
        bounds = (ax_box[0] + 2, ax_box[1], self.size_px[0] - GAP_PX, ax_box[3])
        out: list[dict] = []
        placed: list[Box] = []
        short = False
        if not points:
            return out, short
        pxs, pys = self._to_px(ax, [p[0] for p in points], [p[1] for p in points])
        for px, py, texts in zip(pxs.tolist(), pys.tolist(), variants, strict=True):
            own = (px - 1, py - 1, px + 1, py + 1)
            others = [bx for bx in markers if not contains(bx, own)] + placed
            lab = place_beside(px, py, self.MARKER_HALF_PX, texts, bounds, others)
            if lab is None:
                continue
            short = short or (len(texts) > 1 and lab["text"] != texts[0])
            out.append(lab)
            placed.append(box_of(lab))
        return out, short

    def _top_row(self, titles: list[str], parts: list[tuple[list[str], str]]) -> list[dict]:
        """The picture's top line, above the plot area: a title at the left and a note at the
        right, as overlay labels that never touch each other or the picture's edge.

        ``titles``: wordings of the title, longest first; the longest that leaves room for
        the note's first part is shown. ``parts``: (wordings longest first, kind), most
        important first; the first part is always shown (its longest wording that fits) and
        gives the note its kind (good/bad/note); the others follow, joined by "; ", if they
        fit."""
        w = self.size_px[0]
        parts = [([t for t in ts if t], k) for ts, k in parts]
        parts = [(ts, k) for ts, k in parts if ts]
        kind = parts[0][1] if parts else "note"
        bold = kind in BOLD_KINDS

        def width(text: str, b: bool = bold) -> float:
            return text_width_px(text, bold=b) + 2 * LABEL_PAD_PX

        first_min = min((width(t) for t in parts[0][0]), default=0.0) if parts else 0.0
        title = next(
            (t for t in titles if t and 8 + width(t, False) + (12 + first_min if parts else 0) <= w - 8),
            "",
        )
        room = w - 16 - (width(title, False) + 12 if title else 0.0)
        chosen: list[str] = []
        for variants, _k in parts:
            for text in variants:
                if width("; ".join([*chosen, text])) <= room:
                    chosen.append(text)
                    break
            else:
                if not chosen:  # the first part is always shown (its shortest wording)
                    chosen.append(variants[-1])
        out: list[dict] = []
        if title:
            out.append({"x": 8.0, "y": 2.0, "text": title, "align": "left", "kind": "title", "valign": "top"})
        if chosen:
            out.append(self._note("; ".join(chosen), kind))
        return out

    def _changed(self, *state) -> bool:
        """Remember ``state``; True if it differs from the last call."""
        old, self._state = self._state, state
        if len(old) != len(state):
            return True
        for a, b in zip(old, state, strict=True):
            if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
                if not same_array(a, b):
                    return True
            elif a != b:
                return True
        return False

    def _animate(self, *artists) -> None:
        """Mark ``artists`` as the data layer, drawn over a cached background."""
        for a in artists:
            a.set_animated(True)
        self._dynamic.extend(artists)

    #: How many static layers a panel keeps (a 560x262 layer is ~0.6 MB).
    BACKGROUNDS_KEPT = 8

    def _frame(self, *key) -> bool:
        """Declare the background's state (limits, tick labels, legend); a new key takes its
        cached background or redraws it on the next render. Returns True when the key changed
        (the caller then sets the axes to that state)."""
        if key != self._frame_key:
            self._frame_key = key
            self._background = self._backgrounds.get(key)
            return True
        return False

    def _keep_background(self, background) -> None:
        self._background = background
        key = self._frame_key if self._frame_key is not None else ()
        self._backgrounds.pop(key, None)
        self._backgrounds[key] = background
        while len(self._backgrounds) > self.BACKGROUNDS_KEPT:
            self._backgrounds.pop(next(iter(self._backgrounds)))

    def _set_xaxis(self) -> None:
        for ax in self.fig.axes:
            ax.set_xlim(self.t0, self.t1)
            quarter_axis(ax, self.t0, self.t1)
        self._xaxis = (self.t0, self.t1)  # the x-limits the axes have now

    def set_horizon(self, t0: float, t1: float) -> None:
        """Change the time axis (decimal years); the background is redrawn on the next render."""
        if (t0, t1) != (getattr(self, "t0", None), getattr(self, "t1", None)):
            self.t0, self.t1 = float(t0), float(t1)
            self._set_xaxis()
            self._background = None
            self._backgrounds.clear()  # every cached layer has the old time axis
            self._state = ()

    def png(self) -> bytes:
        """Render and return PNG bytes (``size_px``, blitting over the cached static layer)."""
        if self._background is None:
            self.canvas.draw()  # animated (data) artists are skipped here
            self._keep_background(self.canvas.copy_from_bbox(self.fig.bbox))
            self.full_draws += 1
        else:
            self.canvas.restore_region(self._background)
        for artist in self._dynamic:
            if is_drawn(artist):
                self.fig.draw_artist(artist)
        self.draws += 1
        return canvas_png(self.canvas)
