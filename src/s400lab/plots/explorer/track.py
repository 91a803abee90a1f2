"""The Turkiye-US milestone track view (:class:`TrackPanel`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from s400lab.plots.explorer.blit import BASELINE_COLOUR, DPI, BlitPanel, arr, set_line, style_axes
from s400lab.plots.style import ACTOR_COLOURS


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
        style_axes(ax)
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
        x = arr(times)[:n]
        b = None if baseline is None else arr(baseline)[:n]
        texts = tuple(texts or ())[:n]
        if not self._changed(labels, x, str(note), b, good, texts):
            return False
        y = np.arange(n, dtype=float)[::-1]
        edge = self.t1 - 0.02 * (self.t1 - self.t0)
        ok = np.isfinite(x)
        set_line(self.reached, x[ok], y[ok])
        set_line(self.missed, np.full(int((~ok).sum()), edge), y[~ok])
        set_line(self.path, x[ok], y[ok])
        if b is not None:
            bok = np.isfinite(b)
            set_line(self.base, b[bok], y[bok] - 0.3)
        else:
            set_line(self.base, [], [])
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
