"""India's undelivered squadrons view (:class:`IndiaPanel`): promised vs modelled delivery."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.collections import LineCollection

from s400lab.plots.explorer.blit import (
    BASELINE_COLOUR,
    DPI,
    BlitPanel,
    arr,
    quarter_text,
    set_line,
    style_axes,
)
from s400lab.plots.style import ACTOR_COLOURS, OKABE_ITO


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
        style_axes(ax)
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
        p, m = arr(promised)[:n], arr(modelled)[:n]
        b = None if baseline is None else arr(baseline)[:n]
        texts = tuple(texts or ())[:n]
        r = float(returned) if returned is not None and np.isfinite(returned) else float("nan")
        if not self._changed(labels, p, m, b, texts, np.array([r])):  # array: NaN-aware compare
            return False
        y = np.arange(n, dtype=float)[::-1]
        edge = self.t1 - 0.02 * (self.t1 - self.t0)
        m_in = np.where(np.isfinite(m), m, np.nan)
        set_line(self.promised, p, y)
        set_line(self.modelled, m_in, y)
        late = ~np.isfinite(m)
        set_line(self.late, np.full(int(late.sum()), edge), y[late])
        m_seg = np.where(np.isfinite(m), m, edge)
        segs = [[(pp, yy), (mm, yy)] for pp, mm, yy in zip(p, m_seg, y, strict=True) if np.isfinite(pp)]
        self.gaps.set_segments(segs)
        if b is not None:
            set_line(self.base, np.where(np.isfinite(b), b, edge), y - 0.32)
        else:
            set_line(self.base, [], [])
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
            set_line(self.returned, [r, r], [-0.6, max(n, 1) - 0.2])
            lab = self._date_label(self.ax, r, -0.45, f"returned units in India {quarter_text(r)}")
            if lab:
                labels_out.append(lab)
        else:
            set_line(self.returned, [], [])
        self.labels = labels_out
        return True
