"""The scenario explorer's three linked views, drawn once and updated in place.

Each view is its own small :class:`matplotlib.figure.Figure` (Agg canvas, no pyplot state):

1. :class:`StockPanel` - Russia's S-400 stock over time, with the domestic requirement line.
2. :class:`IndiaPanel` - India's undelivered squadrons: promised quarter vs modelled delivery.
3. :class:`TrackPanel` - the Turkiye-US milestone track after a verified divestiture.

A panel's artists are created once; :meth:`update` only calls ``set_data`` / ``set_text`` /
``set_segments`` and returns whether anything visible changed, so the caller re-renders
(:meth:`png`) only the panels that changed. With a scenario change that touches one actor this
keeps the redraw to one small figure.

The panels take plain numbers (decimal years of a quarter's start; NaN = not within the horizon
or never), so they work with any source of data and never import the model or any widget.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from s400lab.plots.style import ACTOR_COLOURS, OKABE_ITO, PROJECTOR_RC

#: Default render resolution (dots per inch) of the explorer's PNGs.
DPI = 80

#: Colour of baseline (status quo) overlays.
BASELINE_COLOUR = OKABE_ITO["grey"]


def _apply_rc(fig: Figure) -> None:
    """Projector sizes for one figure without touching global rcParams."""
    for ax in fig.axes:
        ax.title.set_fontsize(PROJECTOR_RC["axes.titlesize"])
        ax.xaxis.label.set_fontsize(PROJECTOR_RC["axes.labelsize"])
        ax.yaxis.label.set_fontsize(PROJECTOR_RC["axes.labelsize"])
        ax.tick_params(labelsize=PROJECTOR_RC["xtick.labelsize"])
        ax.grid(True, alpha=PROJECTOR_RC["grid.alpha"])
        ax.spines["top"].set_visible(False)
        ax.spines["right"].set_visible(False)


def _arr(x: Sequence[float] | np.ndarray | None) -> np.ndarray:
    return np.asarray([] if x is None else x, dtype=float)


def _same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True))


def quarter_text(t: float) -> str:
    """``2027.25 -> "2027Q2"``; NaN -> ``"-"``."""
    if not np.isfinite(t):
        return "-"
    year = int(np.floor(t + 1e-9))
    q = int(round((t - year) * 4)) + 1
    if q == 5:
        year, q = year + 1, 1
    return f"{year}Q{q}"


class _Panel:
    """Base: one Figure with an Agg canvas, rendered to PNG bytes."""

    def __init__(self, size: tuple[float, float], dpi: int = DPI) -> None:
        self.fig = Figure(figsize=size, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.fig)
        self.dpi = dpi
        self.draws = 0
        self._state: tuple = ()

    def _changed(self, *state) -> bool:
        """Remember ``state``; True if it differs from the last call."""
        old, self._state = self._state, state
        if len(old) != len(state):
            return True
        for a, b in zip(old, state):
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
        self._dynamic = list(getattr(self, "_dynamic", [])) + list(artists)

    def _frame(self, *key) -> None:
        """Declare the background's state (limits, tick labels, legend); a new key redraws it."""
        if key != getattr(self, "_frame_key", None):
            self._frame_key = key
            self._background = None

    def set_horizon(self, t0: float, t1: float) -> None:
        """Change the time axis (decimal years); the background is redrawn on the next render."""
        if (t0, t1) != (getattr(self, "t0", None), getattr(self, "t1", None)):
            self.t0, self.t1 = float(t0), float(t1)
            self.ax.set_xlim(self.t0, self.t1)
            self._background = None
            self._state = ()

    def png(self) -> bytes:
        """Render and return PNG bytes.

        The static layer (axes, ticks, labels, legend) is drawn once per frame state and cached
        as pixels; each call restores it and draws only the data artists on top (blitting), so
        an update costs a few milliseconds instead of a full text layout.
        """
        if getattr(self, "_background", None) is None:
            self.canvas.draw()  # animated (data) artists are skipped here
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
            self.full_draws = getattr(self, "full_draws", 0) + 1
        else:
            self.canvas.restore_region(self._background)
        for artist in getattr(self, "_dynamic", []):
            self.fig.draw_artist(artist)
        self.draws += 1
        buf = io.BytesIO()
        w, h = self.canvas.get_width_height(physical=True)
        try:
            from PIL import Image

            Image.frombuffer("RGBA", (w, h), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1) \
                .save(buf, format="png", compress_level=1)
        except ImportError:  # pragma: no cover - Pillow is a matplotlib dependency
            import matplotlib.image as mimage

            mimage.imsave(buf, np.asarray(self.canvas.buffer_rgba()), format="png")
        return buf.getvalue()


class StockPanel(_Panel):
    """Russia's S-400 stock (battalions) over time, with the requirement and a baseline.

    Parameters
    ----------
    t0, t1 : float
        Horizon as decimal years (x-axis limits are fixed to it).
    size : tuple of float
        Figure size in inches.
    """

    def __init__(self, t0: float, t1: float, size: tuple[float, float] = (6.4, 3.3),
                 dpi: int = DPI) -> None:
        super().__init__(size, dpi)
        self.t0, self.t1 = t0, t1
        ax = self.ax = self.fig.add_subplot()
        self.fig.subplots_adjust(left=0.12, right=0.97, top=0.87, bottom=0.16)
        colour = ACTOR_COLOURS["Russia"]
        (self.base_line,) = ax.plot([], [], color=BASELINE_COLOUR, lw=2.0, ls="--",
                                    label="status quo")
        (self.req_line,) = ax.plot([], [], color=OKABE_ITO["black"], lw=1.6, ls=":",
                                   drawstyle="steps-post", label="requirement")
        (self.line,) = ax.plot([], [], color=colour, lw=2.6, drawstyle="steps-post",
                               label="stock (this scenario)")
        self.base_line.set_drawstyle("steps-post")
        ax.set_xlim(t0, t1)
        ax.set_ylim(0, 10)
        ax.set_title("Russia: S-400 stock", loc="left")
        ax.set_ylabel("battalions")
        self.legend = ax.legend(loc="lower left", frameon=False, ncols=3, fontsize=10)
        _apply_rc(self.fig)
        self._animate(self.base_line, self.req_line, self.line)

    def update(self, t, stock, requirement=None, baseline=None) -> bool:
        """Set the data; return True if the picture changed.

        Parameters
        ----------
        t : array of float
            Quarter start times (decimal years).
        stock : array of float
            Stock in battalions per quarter.
        requirement : array of float, optional
            Domestic requirement per quarter (battalions).
        baseline : array of float, optional
            Status quo stock per quarter (shown dashed grey), or None to hide it.
        """
        t, stock = _arr(t), _arr(stock)
        req = None if requirement is None else _arr(requirement)
        base = None if baseline is None else _arr(baseline)
        if not self._changed(t, stock, req, base):
            return False
        self.line.set_data(t, stock)
        self.req_line.set_data(t if req is not None else [], req if req is not None else [])
        self.base_line.set_data(t if base is not None else [], base if base is not None else [])
        self.base_line.set_visible(base is not None)
        self.base_line.set_label("status quo" if base is not None else "_status quo")
        vals = [v[np.isfinite(v)] for v in (stock, req, base) if v is not None]
        vals = [v for v in vals if v.size]
        top = max((float(v.max()) for v in vals), default=1.0)
        lo = min((float(v.min()) for v in vals), default=0.0)
        # Limits snap to steps of 5 battalions, so most changes reuse the cached background.
        ylim = (min(0.0, 5.0 * np.floor(lo / 5.0)), 5.0 * np.ceil(max(top, 1.0) * 1.12 / 5.0))
        key = (ylim, base is not None, req is not None)
        if key != getattr(self, "_frame_key", None):
            self.ax.set_ylim(*ylim)
            self.legend.remove()
            self.legend = self.ax.legend(loc="lower left", frameon=False, ncols=3, fontsize=10)
        self._frame(*key)
        return True


class IndiaPanel(_Panel):
    """India's undelivered squadrons: promised quarter (hollow) vs modelled delivery (filled).

    A squadron not delivered within the horizon is drawn as an arrow at the right edge.
    """

    def __init__(self, t0: float, t1: float, size: tuple[float, float] = (6.4, 2.6),
                 dpi: int = DPI) -> None:
        super().__init__(size, dpi)
        self.t0, self.t1 = t0, t1
        ax = self.ax = self.fig.add_subplot()
        self.fig.subplots_adjust(left=0.27, right=0.97, top=0.84, bottom=0.2)
        colour = ACTOR_COLOURS["India"]
        self.gaps = LineCollection([], colors=colour, linewidths=2.0, alpha=0.7)
        ax.add_collection(self.gaps)
        (self.promised,) = ax.plot([], [], ls="none", marker="D", ms=10, mfc="white",
                                   mec=OKABE_ITO["black"], mew=1.8, label="promised")
        (self.base,) = ax.plot([], [], ls="none", marker="o", ms=13, mfc="none",
                               mec=BASELINE_COLOUR, mew=2.2, label="status quo")
        (self.modelled,) = ax.plot([], [], ls="none", marker="o", ms=10, color=colour,
                                   label="modelled")
        (self.late,) = ax.plot([], [], ls="none", marker=">", ms=12, color=colour)
        self.note = ax.text(1.0, 1.02, "", transform=ax.transAxes, ha="right", va="bottom",
                            fontsize=11)
        ax.set_xlim(t0, t1)
        ax.set_title("India", loc="left")
        ax.legend(loc="lower right", frameon=False, ncols=3, fontsize=10)
        _apply_rc(self.fig)
        self.ax.grid(False, axis="y")
        self._animate(self.gaps, self.promised, self.base, self.modelled, self.late, self.note)

    def update(self, labels: Sequence[str], promised, modelled, baseline=None) -> bool:
        """Set the data; return True if the picture changed.

        Parameters
        ----------
        labels : sequence of str
            One label per undelivered squadron (y rows, top to bottom).
        promised, modelled : array of float
            Promised and modelled delivery quarter (decimal years; NaN = beyond the horizon).
        baseline : array of float, optional
            Status quo modelled delivery, or None to hide it.
        """
        labels = tuple(str(x) for x in labels)
        p, m = _arr(promised), _arr(modelled)
        b = None if baseline is None else _arr(baseline)
        if not self._changed(labels, p, m, b):
            return False
        n = len(labels)
        y = np.arange(n, dtype=float)[::-1]
        edge = self.t1 - 0.02 * (self.t1 - self.t0)
        m_in = np.where(np.isfinite(m), m, np.nan)
        self.promised.set_data(p, y)
        self.modelled.set_data(m_in, y)
        late = ~np.isfinite(m)
        self.late.set_data(np.full(int(late.sum()), edge), y[late])
        m_seg = np.where(np.isfinite(m), m, edge)
        segs = [[(pp, yy), (mm, yy)] for pp, mm, yy in zip(p, m_seg, y) if np.isfinite(pp)]
        self.gaps.set_segments(segs)
        if b is not None:
            self.base.set_data(np.where(np.isfinite(b), b, edge), y)
        else:
            self.base.set_data([], [])
        finite_p = p[np.isfinite(p)]
        left = min(self.t0, float(finite_p.min()) - 0.25) if finite_p.size else self.t0
        key = (labels, left, self.t0, self.t1)
        if key != getattr(self, "_frame_key", None):
            self.ax.set_yticks(y, labels)
            self.ax.set_ylim(-1.4, max(n, 1) - 0.4)  # room for the legend below the rows
            self.ax.set_xlim(left, self.t1)
        self._frame(*key)
        slips = m_seg - p
        if n == 0:
            self.note.set_text("no undelivered squadrons")
        elif late.any():
            self.note.set_text(f"{int(late.sum())} not delivered within the horizon")
        else:
            worst = float(np.nanmax(slips)) if np.isfinite(slips).any() else 0.0
            self.note.set_text(f"last: {quarter_text(float(np.nanmax(m)))}; "
                               f"worst slip {worst * 4:.0f} quarters")
        return True


class TrackPanel(_Panel):
    """The Turkiye-US milestone track: when each legal/programme milestone is reached.

    A milestone not reached (conditions not met, or beyond the horizon) is drawn as a grey
    cross at the right edge, with the reason in the panel's note.
    """

    def __init__(self, t0: float, t1: float, size: tuple[float, float] = (7.0, 2.9),
                 dpi: int = DPI) -> None:
        super().__init__(size, dpi)
        self.t0, self.t1 = t0, t1
        ax = self.ax = self.fig.add_subplot()
        self.fig.subplots_adjust(left=0.36, right=0.97, top=0.84, bottom=0.17)
        (self.path,) = ax.plot([], [], color=ACTOR_COLOURS["United States"], lw=1.6, alpha=0.8)
        (self.base,) = ax.plot([], [], ls="none", marker="s", ms=13, mfc="none",
                               mec=BASELINE_COLOUR, mew=2.2, label="status quo")
        (self.reached,) = ax.plot([], [], ls="none", marker="s", ms=10,
                                  color=ACTOR_COLOURS["Turkiye"], label="reached")
        (self.missed,) = ax.plot([], [], ls="none", marker="X", ms=12, color=BASELINE_COLOUR,
                                 label="not reached")
        self.note = ax.text(1.0, 1.02, "", transform=ax.transAxes, ha="right", va="bottom",
                            fontsize=11, color=OKABE_ITO["vermillion"])
        ax.set_xlim(t0, t1)
        ax.set_title("Turkiye-US track", loc="left")
        _apply_rc(self.fig)
        self.ax.grid(False, axis="y")
        self._animate(self.path, self.base, self.reached, self.missed, self.note)

    def update(self, labels: Sequence[str], times, note: str = "", baseline=None,
               good: bool | None = None) -> bool:
        """Set the data; return True if the picture changed.

        Parameters
        ----------
        labels : sequence of str
            Milestone names in order (y rows, top to bottom).
        times : array of float
            Quarter each milestone is reached (decimal years); NaN = not reached.
        note : str
            One line shown above the panel (e.g. "legal conditions not met").
        good : bool, optional
            Colour the note as good news (bluish green) or bad news (vermillion).
        baseline : array of float, optional
            Status quo milestone quarters, or None to hide.
        """
        labels = tuple(str(x) for x in labels)
        x = _arr(times)
        b = None if baseline is None else _arr(baseline)
        if not self._changed(labels, x, str(note), b, good):
            return False
        n = len(labels)
        y = np.arange(n, dtype=float)[::-1]
        edge = self.t1 - 0.02 * (self.t1 - self.t0)
        ok = np.isfinite(x)
        self.reached.set_data(x[ok], y[ok])
        self.missed.set_data(np.full(int((~ok).sum()), edge), y[~ok])
        self.path.set_data(x[ok], y[ok])
        if b is not None:
            bok = np.isfinite(b)
            self.base.set_data(b[bok], y[bok])
        else:
            self.base.set_data([], [])
        if labels != getattr(self, "_frame_key", (None,))[0]:
            self.ax.set_yticks(y, labels)
            self.ax.set_ylim(-0.7, max(n, 1) - 0.3)
        self._frame(labels)
        self.note.set_text(note)
        self.note.set_color(OKABE_ITO["black"] if good is None
                            else OKABE_ITO["bluish_green"] if good else OKABE_ITO["vermillion"])
        return True


class ExplorerFigure:
    """The three views of the scenario explorer.

    Parameters
    ----------
    t0, t1 : float
        The model horizon (decimal years); fixed x-limits for all panels, so the three views
        share one time axis and read together.
    dpi : int
        PNG resolution.
    """

    def __init__(self, t0: float, t1: float, dpi: int = DPI) -> None:
        self.stock = StockPanel(t0, t1, dpi=dpi)
        self.india = IndiaPanel(t0, t1, dpi=dpi)
        self.track = TrackPanel(t0, t1, dpi=dpi)
        self.panels = {"stock": self.stock, "india": self.india, "track": self.track}

    def set_horizon(self, t0: float, t1: float) -> None:
        """Set the shared time axis of all panels (decimal years)."""
        for panel in self.panels.values():
            panel.set_horizon(t0, t1)

    @property
    def draws(self) -> int:
        """Total number of panel renders so far."""
        return sum(p.draws for p in self.panels.values())
