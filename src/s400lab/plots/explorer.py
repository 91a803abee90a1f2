"""The scenario explorer's three linked views, drawn once and updated in place.

Each view is its own small :class:`matplotlib.figure.Figure` (Agg canvas, no pyplot state),
sized in **pixels** so the PNG is shown at exactly its own size in the page (crisp on a
projector; at ``dpi=72`` one point of font size is one pixel):

1. :class:`StockPanel` - Russia's S-400 stock over time: the scenario's central run, the
   ensemble bands (5-95 % and 25-75 %), the status quo and the domestic requirement, and below
   it a *difference panel* (scenario minus status quo, same draws) whose axis zooms to the
   change, so a +2 battalion return is visible on a 0-120 stock; its note (the difference at the
   end) sits in the gap above it, outside both plot areas, so it never covers the data.
2. :class:`IndiaPanel` - India's undelivered squadrons: promised quarter vs modelled delivery,
   each date with its chance within the horizon; status-quo markers sit on their own row
   offset, so they never hide under the scenario's markers.
3. :class:`TrackPanel` - the Turkiye-US milestone track after a verified divestiture, each
   milestone with its date and chance.

A panel's artists are created once; :meth:`update` only calls ``set_data`` / ``set_text`` /
``set_verts`` and returns whether anything visible changed, so the caller re-renders
(:meth:`png`) only the panels that changed. The static layer (axes, ticks, legend) is cached
as pixels and the data layer is blitted over it.

The panels take plain numbers (decimal years of a quarter's start; NaN = not within the
horizon or never), so they work with any source of data and never import the model or any
widget.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection, LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon
from matplotlib.ticker import FixedLocator, MultipleLocator

from s400lab.model.formatting import quarter_label
from s400lab.plots.png import canvas_png
from s400lab.plots.style import ACTOR_COLOURS, OKABE_ITO

#: Render resolution: 72 dpi, so a font size in points is the same number of pixels.
DPI = 72

#: Colour of baseline (status quo) overlays.
BASELINE_COLOUR = OKABE_ITO["grey"]

#: Panel sizes in pixels (width, height) per screen layout; the UI picks one.
SIZES = {
    "compact": {"stock": (560, 262), "india": (560, 164), "track": (560, 204)},
    "laptop": {"stock": (720, 262), "india": (720, 164), "track": (720, 204)},
    "wide": {"stock": (1000, 420), "india": (1000, 210), "track": (1000, 270)},
}

#: Room kept between a legend and the picture's right edge (px): text that touches the edge
#: reads as cut on a projector.
LEGEND_MARGIN_PX = 10

#: Font sizes in px (= pt at 72 dpi): at least 18 px, readable from the back of a room.
FONT = {"title": 18, "label": 18, "tick": 18, "legend": 18}


def _style_axes(ax) -> None:
    ax.title.set_fontsize(FONT["title"])
    ax.xaxis.label.set_fontsize(FONT["label"])
    ax.yaxis.label.set_fontsize(FONT["label"])
    ax.tick_params(labelsize=FONT["tick"])
    ax.grid(True, alpha=0.3)
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)


def _arr(x: Sequence[float] | np.ndarray | None) -> np.ndarray:
    return np.asarray([] if x is None else x, dtype=float)


def _same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True))


def quarter_text(t: float) -> str:
    """``2027.25 -> "2027Q2"``; NaN -> ``"-"`` (:func:`s400lab.model.formatting.quarter_label`)."""
    return quarter_label(t, missing="-")


def _quarter_axis(ax, t0: float, t1: float, width_px: float) -> None:
    """See below; ``width_px`` is the figure's width (the axes take about 75% of it)."""
    width_px = 0.75 * width_px
    _quarter_ticks(ax, t0, t1, width_px)


def _quarter_ticks(ax, t0: float, t1: float, width_px: float) -> None:
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


def _nice_limit(x: float) -> float:
    """Smallest of 1, 2, 5, 10, 20, 50, ... that is >= x (at least 1)."""
    x = max(float(x), 1.0)
    mag = 10 ** math.floor(math.log10(x))
    for m in (1, 2, 5, 10):
        if m * mag >= x - 1e-9:
            return m * mag
    return 10 * mag


def _band_verts(t: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> list[np.ndarray]:
    """Polygon of a step band (drawstyle steps-post) between ``lo`` and ``hi``."""
    if t.size == 0:
        return []
    step = t[1] - t[0] if t.size > 1 else 0.25
    tt = np.repeat(np.append(t, t[-1] + step), 2)[1:-1]
    lo2, hi2 = np.repeat(lo, 2), np.repeat(hi, 2)
    xs = np.concatenate([tt, tt[::-1]])
    ys = np.concatenate([lo2, hi2[::-1]])
    return [np.column_stack([xs, ys])]


def _band_patch(ax, colour: str, alpha: float) -> Polygon:
    """A filled band without edge, hidden until :func:`_set_band` gives it a polygon (one
    patch: the same pixels as a one-polygon PolyCollection, drawn in about half the time)."""
    patch = Polygon(np.zeros((1, 2)), closed=True, facecolor=colour, alpha=alpha, linewidth=0, visible=False)
    ax.add_patch(patch)
    return patch


def _set_band(patch: Polygon, t=None, lo=None, hi=None) -> None:
    """Fill ``patch`` between ``lo`` and ``hi`` as steps over ``t``; without them, hide it."""
    verts = [] if t is None else _band_verts(t, lo, hi)
    if verts:
        patch.set_xy(verts[0])
    patch.set_visible(bool(verts))


def _set_data(line: Line2D, x, y) -> None:
    """``line.set_data(x, y)`` unless the line holds these points already: matplotlib then
    keeps its cached path (a status quo line does not move when a lever does)."""
    x, y = _arr(x), _arr(y)
    if _same(_arr(line.get_xdata(orig=True)), x) and _same(_arr(line.get_ydata(orig=True)), y):
        return
    line.set_data(x, y)


def _drawn(artist) -> bool:
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

    def _title(self, text: str) -> None:
        """The panel's title at the picture's top left edge (not over the axes, whose left side
        moves with the tick labels), so the note at the top right keeps the rest of the line."""
        self.fig.text(
            8 / self.size_px[0], 1 - 4 / self.size_px[1], text, ha="left", va="top", fontsize=FONT["title"]
        )

    def _bottom_legend(self, handles: list) -> None:
        """One row of legend entries at the bottom right, kept off the picture's right edge."""
        self.fig.legend(
            handles=handles,
            loc="lower right",
            frameon=False,
            ncols=len(handles),
            fontsize=FONT["legend"],
            bbox_to_anchor=(1 - LEGEND_MARGIN_PX / self.size_px[0], 0.0),
            borderaxespad=0.1,
            handletextpad=0.2,
            columnspacing=0.9,
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

    def _date_label(self, ax, x: float, y: float, text: str) -> dict | None:
        """A date label beside a marker: right of it, or left of it near the right edge."""
        if not text or not np.isfinite(x):
            return None
        x0, x1 = ax.get_xlim()
        right = (x1 - x) / (x1 - x0) > 0.42
        px, py = self._px(ax, x + (0.02 if right else -0.02) * (x1 - x0), y)
        return {
            "x": px,
            "y": py,
            "text": text,
            "align": "left" if right else "right",
            "kind": "date",
            "valign": "middle",
        }

    def _changed(self, *state) -> bool:
        """Remember ``state``; True if it differs from the last call."""
        old, self._state = self._state, state
        if len(old) != len(state):
            return True
        for a, b in zip(old, state, strict=True):
            if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
                if not _same(a, b):
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
            _quarter_axis(ax, self.t0, self.t1, self.size_px[0])
        self._xaxis = (self.t0, self.t1)  # the x-limits the axes have now

    def _move_xaxis(self, left: float, right: float) -> None:
        """Set the x-limits and quarter ticks of every axes to ``left``-``right`` unless they
        are there already (ticks cost ~5 ms: a preset seen before keeps its limits)."""
        if (left, right) != self._xaxis:
            for ax in self.fig.axes:
                ax.set_xlim(left, right)
                _quarter_axis(ax, left, right, self.size_px[0])
            self._xaxis = (left, right)

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
            if _drawn(artist):
                self.fig.draw_artist(artist)
        self.draws += 1
        return canvas_png(self.canvas)


class StockPanel(BlitPanel):
    """Russia's S-400 stock (battalions): bands, central run, status quo, requirement, and a
    difference panel (scenario minus status quo) whose axis zooms to the change.

    Parameters
    ----------
    t0, t1 : float
        Horizon as decimal years (x-axis limits are fixed to it).
    size_px : tuple of int
        Figure size in pixels.
    """

    #: Room (px) between the stock axes and the difference axes: the difference note's line
    #: (18 px text) sits there, outside both plot areas, so it never covers a band or a line.
    NOTE_GAP_PX = 24

    def __init__(self, t0: float, t1: float, size_px: tuple[int, int] = (560, 262), dpi: int = DPI) -> None:
        super().__init__(size_px, dpi)
        self.t0, self.t1 = t0, t1
        w, h = self.size_px
        top_px, bottom_px, gap = 32, 36, self.NOTE_GAP_PX  # legend row, tick labels, note line
        gs = self.fig.add_gridspec(
            2,
            1,
            height_ratios=(2.1, 1.0),
            hspace=2 * gap / (h - top_px - bottom_px - gap),  # a share of the mean axes height
            left=66 / w,
            right=1 - 12 / w,
            top=1 - top_px / h,
            bottom=bottom_px / h,
        )
        ax = self.ax = self.fig.add_subplot(gs[0])
        dax = self.dax = self.fig.add_subplot(gs[1], sharex=ax)
        colour = ACTOR_COLOURS["Russia"]
        self.band_outer = _band_patch(ax, colour, alpha=0.16)
        self.band_inner = _band_patch(ax, colour, alpha=0.28)
        (self.base_line,) = ax.plot(
            [], [], color=BASELINE_COLOUR, lw=2.4, ls="--", drawstyle="steps-post", label="status quo"
        )
        (self.req_line,) = ax.plot(
            [], [], color=OKABE_ITO["black"], lw=1.6, ls=":", drawstyle="steps-post", label="requirement"
        )
        (self.line,) = ax.plot([], [], color=colour, lw=2.8, drawstyle="steps-post", label="this scenario")
        self.diff_band = _band_patch(dax, colour, alpha=0.22)
        dax.axhline(0.0, color=BASELINE_COLOUR, lw=1.2, ls="--")
        (self.diff_line,) = dax.plot([], [], color=colour, lw=2.4, drawstyle="steps-post")
        ax.set_ylim(0, 10)
        dax.set_ylim(-1, 1)
        ax.set_ylabel("battalions", fontsize=FONT["label"])
        dax.set_ylabel("vs SQ", fontsize=FONT["label"])
        ax.yaxis.set_label_coords(-46 / w, 0.5)
        dax.yaxis.set_label_coords(-46 / w, 0.5)
        self._legend_entries: tuple[bool, bool] | None = None
        self._legend()
        _style_axes(ax)
        _style_axes(dax)
        ax.tick_params(axis="x", labelbottom=False)
        self._set_xaxis()
        self._animate(
            self.band_outer,
            self.band_inner,
            self.base_line,
            self.req_line,
            self.line,
            self.diff_band,
            self.diff_line,
        )

    def _legend(self, with_base: bool = True, with_band: bool = True) -> None:
        """The legend for these entries (rebuilt only when they change: ~5 ms)."""
        if self._legend_entries == (with_base, with_band):
            return
        self._legend_entries = (with_base, with_band)
        colour = ACTOR_COLOURS["Russia"]
        handles = [Line2D([], [], color=colour, lw=2.8, label="scenario")]
        if with_band:
            handles.append(Patch(facecolor=colour, alpha=0.3, label="90% band"))
        if with_base:
            handles.append(Line2D([], [], color=BASELINE_COLOUR, lw=2.4, ls="--", label="status quo"))
        handles.append(Line2D([], [], color=OKABE_ITO["black"], lw=1.6, ls=":", label="needed"))
        old = getattr(self, "legend", None)
        if old is not None:
            old.remove()
        # above the axes (never over the data): the top row of the picture
        self.legend = self.fig.legend(
            handles=handles,
            loc="upper left",
            frameon=False,
            ncols=len(handles),
            fontsize=FONT["legend"],
            bbox_to_anchor=(0.0, 1.0),
            handlelength=1.3,
            handletextpad=0.3,
            columnspacing=0.8,
            borderaxespad=0.1,
        )

    def update(self, t, stock, requirement=None, baseline=None, band=None, diff_band=None) -> bool:
        """Set the data; return True if the picture changed.

        Parameters
        ----------
        t : array of float
            Quarter start times (decimal years).
        stock : array of float
            Central run's stock in battalions per quarter.
        requirement : array of float, optional
            Domestic requirement per quarter (battalions).
        baseline : array of float, optional
            Status quo stock per quarter (dashed grey), or None to hide it (and the
            difference panel's line).
        band : array, shape (5, H), optional
            Ensemble quantiles 5/25/50/75/95 % of the stock.
        diff_band : array, shape (5, H), optional
            Quantiles of the paired difference scenario minus status quo (same draws).
        """
        t, stock = _arr(t), _arr(stock)
        req = None if requirement is None else _arr(requirement)
        base = None if baseline is None else _arr(baseline)
        band = None if band is None else np.asarray(band, dtype=float)
        dband = None if diff_band is None else np.asarray(diff_band, dtype=float)
        if not self._changed(t, stock, req, base, band, dband):
            return False
        _set_data(self.line, t, stock)
        _set_data(self.req_line, t if req is not None else [], req if req is not None else [])
        _set_data(self.base_line, t if base is not None else [], base if base is not None else [])
        if band is not None and band.shape[-1] == t.size:
            _set_band(self.band_outer, t, band[0], band[-1])
            _set_band(self.band_inner, t, band[1], band[-2])
        else:
            _set_band(self.band_outer)
            _set_band(self.band_inner)
        vals = [v[np.isfinite(v)] for v in (stock, req, base) if v is not None]
        if band is not None:
            vals += [band[0][np.isfinite(band[0])], band[-1][np.isfinite(band[-1])]]
        vals = [v for v in vals if v.size]
        top = max((float(v.max()) for v in vals), default=1.0)
        lo = min((float(v.min()) for v in vals), default=0.0)
        ylim = (min(0.0, 5.0 * np.floor(lo / 5.0)), 5.0 * np.ceil(max(top, 1.0) * 1.08 / 5.0))
        # difference panel: central difference and the paired band; its axis zooms in
        diff = (stock - base) if base is not None and base.size == stock.size else None
        dvals = []
        if diff is not None:
            _set_data(self.diff_line, t, diff)
            dvals.append(diff[np.isfinite(diff)])
        else:
            _set_data(self.diff_line, [], [])
        if dband is not None and diff is not None and dband.shape[-1] == t.size:
            _set_band(self.diff_band, t, dband[0], dband[-1])
            dvals += [dband[0][np.isfinite(dband[0])], dband[-1][np.isfinite(dband[-1])]]
        else:
            _set_band(self.diff_band)
        dmax = max((float(np.abs(v).max()) for v in dvals if v.size), default=0.0)
        dlim = _nice_limit(dmax * 1.15)
        key = (ylim, dlim, base is not None, band is not None)
        if self._frame(*key):
            self.ax.set_ylim(*ylim)
            self.dax.set_ylim(-dlim, dlim)
            self.dax.set_yticks([-dlim, 0, dlim])
            self._legend(with_base=base is not None, with_band=band is not None)
        if diff is None:
            note = "difference from the status quo: tick Compare"
        else:
            end = float(diff[-1]) if diff.size else 0.0
            note = f"scenario - status quo at the end: {end:+.0f} battalions"
        self.labels = [self._gap_note(note)]
        return True

    def _gap_note(self, text: str) -> dict:
        """The difference note, in the gap above the difference axes (outside every plot
        area), starting at the axes' left edge."""
        top, bottom = self.ax.get_position(), self.dax.get_position()
        w, h = self.size_px
        y = h * (1 - (top.y0 + bottom.y1) / 2)
        x = float(bottom.x0 * w + 4)
        return {"x": x, "y": float(y), "text": text, "align": "left", "kind": "note", "valign": "middle"}


class IndiaPanel(BlitPanel):
    """India's undelivered squadrons: promised quarter (hollow diamond) vs modelled delivery
    (filled circle, with its date and chance); the status quo (hollow grey circle) sits just
    below each row so the two never cover each other. A squadron not delivered within the
    horizon is drawn as an arrow at the right edge. When a return is routed to India, a dashed
    vertical line marks the quarter the returned units could be in India: left of the modelled
    last squadron they can complete it, right of it production has already done so (the timing
    ruler of :func:`s400lab.model.india_timing`).
    """

    MAX_ROWS = 4

    def __init__(self, t0: float, t1: float, size_px: tuple[int, int] = (560, 150), dpi: int = DPI) -> None:
        super().__init__(size_px, dpi)
        self.t0, self.t1 = t0, t1
        w, h = self.size_px
        ax = self.ax = self.fig.add_subplot()
        self.fig.subplots_adjust(left=130 / w, right=1 - 12 / w, top=1 - 28 / h, bottom=52 / h)
        colour = ACTOR_COLOURS["India"]
        self.gaps = LineCollection([], colors=colour, linewidths=2.0, alpha=0.7)
        ax.add_collection(self.gaps)
        (self.promised,) = ax.plot(
            [],
            [],
            ls="none",
            marker="D",
            ms=10,
            mfc="white",
            mec=OKABE_ITO["black"],
            mew=1.8,
            label="promised",
        )
        (self.base,) = ax.plot(
            [], [], ls="none", marker="o", ms=10, mfc="none", mec=BASELINE_COLOUR, mew=2.2, label="status quo"
        )
        (self.modelled,) = ax.plot([], [], ls="none", marker="o", ms=11, color=colour, label="scenario")
        (self.late,) = ax.plot([], [], ls="none", marker=">", ms=12, color=colour)
        (self.returned,) = ax.plot([], [], ls="--", lw=2.4, color=OKABE_ITO["vermillion"])
        self._title("India")
        self._bottom_legend([self.promised, self.modelled, self.base])
        _style_axes(ax)
        self.ax.grid(False, axis="y")
        self.ax.tick_params(axis="x", pad=2)
        self._set_xaxis()
        self._animate(self.gaps, self.promised, self.base, self.modelled, self.late, self.returned)

    def update(
        self,
        labels: Sequence[str],
        promised,
        modelled,
        baseline=None,
        texts: Sequence[str] | None = None,
        returned: float = float("nan"),
    ) -> bool:
        """Set the data; return True if the picture changed.

        Parameters
        ----------
        labels : sequence of str
            One label per undelivered squadron (y rows, top to bottom).
        promised, modelled : array of float
            Promised and modelled delivery quarter (decimal years; NaN = beyond the horizon).
        baseline : array of float, optional
            Status quo modelled delivery, or None to hide it.
        texts : sequence of str, optional
            Annotation per row (e.g. ``"2027Q2 - 99%"``), written beside the modelled date.
        returned : float, optional
            Quarter returned Turkish units could be in India (NaN = none routed to India).
        """
        labels = tuple(str(x) for x in labels)[: self.MAX_ROWS]
        n = len(labels)
        p, m = _arr(promised)[:n], _arr(modelled)[:n]
        b = None if baseline is None else _arr(baseline)[:n]
        texts = tuple(texts or ())[:n]
        r = float(returned) if returned is not None and np.isfinite(returned) else float("nan")
        if not self._changed(labels, p, m, b, texts, np.array([r])):  # array: NaN-aware compare
            return False
        y = np.arange(n, dtype=float)[::-1]
        edge = self.t1 - 0.02 * (self.t1 - self.t0)
        m_in = np.where(np.isfinite(m), m, np.nan)
        _set_data(self.promised, p, y)
        _set_data(self.modelled, m_in, y)
        late = ~np.isfinite(m)
        _set_data(self.late, np.full(int(late.sum()), edge), y[late])
        m_seg = np.where(np.isfinite(m), m, edge)
        segs = [[(pp, yy), (mm, yy)] for pp, mm, yy in zip(p, m_seg, y, strict=True) if np.isfinite(pp)]
        self.gaps.set_segments(segs)
        if b is not None:
            _set_data(self.base, np.where(np.isfinite(b), b, edge), y - 0.32)
        else:
            _set_data(self.base, [], [])
        finite_p = p[np.isfinite(p)]
        left = min(self.t0, float(np.floor(finite_p.min()))) if finite_p.size else self.t0
        key = (labels, left, self.t0, self.t1, b is not None)
        if self._frame(*key):
            self.ax.set_yticks(y, labels)
            self.ax.set_ylim(-0.6, max(n, 1) - 0.2)
            self._move_xaxis(left, self.t1)
        if n == 0:
            note = "no undelivered squadrons"
        elif late.any():
            note = f"{int(late.sum())} not delivered by {quarter_text(self.t1 - 0.25)}"
        else:
            slips = m_seg - p
            worst = float(np.nanmax(slips)) if np.isfinite(slips).any() else 0.0
            note = f"worst slip {worst * 4:+.0f} quarters"
        labels_out = [self._note(note)]
        for i in range(min(n, len(texts))):
            lab = self._date_label(self.ax, float(m_seg[i]), float(y[i]) + 0.28, texts[i])
            if lab:
                labels_out.append(lab)
        if np.isfinite(r) and n and r < self.t1:
            _set_data(self.returned, [r, r], [-0.6, max(n, 1) - 0.2])
            lab = self._date_label(self.ax, r, -0.45, f"returned units in India {quarter_text(r)}")
            if lab:
                labels_out.append(lab)
        else:
            _set_data(self.returned, [], [])
        self.labels = labels_out
        return True


class TrackPanel(BlitPanel):
    """The Turkiye-US milestone track: when each legal/programme milestone is reached, with
    its date and chance beside it. A milestone not reached (conditions not met, or beyond the
    horizon) is a grey cross at the right edge; the status quo's markers sit just below each
    row (hollow grey squares) so they never hide under the scenario's.
    """

    MAX_ROWS = 6

    def __init__(self, t0: float, t1: float, size_px: tuple[int, int] = (560, 196), dpi: int = DPI) -> None:
        super().__init__(size_px, dpi)
        self.t0, self.t1 = t0, t1
        w, h = self.size_px
        ax = self.ax = self.fig.add_subplot()
        self.fig.subplots_adjust(left=168 / w, right=1 - 12 / w, top=1 - 28 / h, bottom=52 / h)
        (self.path,) = ax.plot([], [], color=ACTOR_COLOURS["United States"], lw=1.6, alpha=0.8)
        (self.base,) = ax.plot(
            [], [], ls="none", marker="s", ms=10, mfc="none", mec=BASELINE_COLOUR, mew=2.2, label="status quo"
        )
        (self.reached,) = ax.plot(
            [], [], ls="none", marker="s", ms=11, color=ACTOR_COLOURS["Turkiye"], label="scenario"
        )
        (self.missed,) = ax.plot(
            [], [], ls="none", marker="X", ms=12, color=BASELINE_COLOUR, label="not reached"
        )
        self._title("Turkiye-US track: median date - chance")
        self._bottom_legend([self.reached, self.base, self.missed])
        _style_axes(ax)
        self.ax.grid(False, axis="y")
        self._set_xaxis()
        self._animate(self.path, self.base, self.reached, self.missed)

    def update(
        self,
        labels: Sequence[str],
        times,
        note: str = "",
        baseline=None,
        good: bool | None = None,
        texts: Sequence[str] | None = None,
    ) -> bool:
        """Set the data; return True if the picture changed.

        Parameters
        ----------
        labels : sequence of str
            Milestone names in order (y rows, top to bottom).
        times : array of float
            Quarter each milestone is reached (decimal years); NaN = not reached.
        note : str
            One line shown above the panel (e.g. "legal conditions not met").
        baseline : array of float, optional
            Status quo milestone quarters, or None to hide.
        good : bool, optional
            Colour the note as good news (bluish green) or bad news (vermillion).
        texts : sequence of str, optional
            Annotation per row (e.g. ``"2028Q1 - 73%"``).
        """
        labels = tuple(str(x) for x in labels)[: self.MAX_ROWS]
        n = len(labels)
        x = _arr(times)[:n]
        b = None if baseline is None else _arr(baseline)[:n]
        texts = tuple(texts or ())[:n]
        if not self._changed(labels, x, str(note), b, good, texts):
            return False
        y = np.arange(n, dtype=float)[::-1]
        edge = self.t1 - 0.02 * (self.t1 - self.t0)
        ok = np.isfinite(x)
        _set_data(self.reached, x[ok], y[ok])
        _set_data(self.missed, np.full(int((~ok).sum()), edge), y[~ok])
        _set_data(self.path, x[ok], y[ok])
        if b is not None:
            bok = np.isfinite(b)
            _set_data(self.base, b[bok], y[bok] - 0.3)
        else:
            _set_data(self.base, [], [])
        xs = np.where(ok, x, edge)
        if self._frame(labels, self.t0, self.t1):
            self.ax.set_yticks(y, labels)
            self.ax.set_ylim(-0.6, max(n, 1) - 0.4)
        self.note = str(note)
        labels_out = [self._note(self.note, "note" if good is None else "good" if good else "bad")]
        for i in range(min(n, len(texts))):
            lab = self._date_label(self.ax, float(xs[i]), float(y[i]), texts[i])
            if lab:
                labels_out.append(lab)
        self.labels = labels_out
        return True


class ExplorerFigure:
    """The three views of the scenario explorer.

    Parameters
    ----------
    t0, t1 : float
        The model horizon (decimal years); fixed x-limits for all panels, so the three views
        share one time axis and read together.
    dpi : int
        PNG resolution (72: font points = pixels).
    layout : str
        A key of :data:`SIZES` (panel pixel sizes).
    """

    def __init__(self, t0: float, t1: float, dpi: int = DPI, layout: str = "compact") -> None:
        if layout not in SIZES:
            raise ValueError(f"layout must be one of {', '.join(SIZES)}, got {layout!r}")
        self.layout = layout
        sizes = SIZES[layout]
        self.stock = StockPanel(t0, t1, size_px=sizes["stock"], dpi=dpi)
        self.india = IndiaPanel(t0, t1, size_px=sizes["india"], dpi=dpi)
        self.track = TrackPanel(t0, t1, size_px=sizes["track"], dpi=dpi)
        self.panels = {"stock": self.stock, "india": self.india, "track": self.track}

    def set_horizon(self, t0: float, t1: float) -> None:
        """Set the shared time axis of all panels (decimal years)."""
        for panel in self.panels.values():
            panel.set_horizon(t0, t1)

    @property
    def draws(self) -> int:
        """Total number of panel renders so far."""
        return sum(p.draws for p in self.panels.values())
