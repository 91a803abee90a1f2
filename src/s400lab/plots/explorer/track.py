"""The Turkiye-US milestone track view (:class:`TrackPanel`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from s400lab.plots.explorer.blit import BASELINE_COLOUR, DPI, BlitPanel, arr, set_line, style_axes
from s400lab.plots.explorer.labels import chance_key, milestone_label
from s400lab.plots.style import ACTOR_COLOURS


class TrackPanel(BlitPanel):
    """The Turkiye-US milestone track: when each legal/programme milestone is reached, with
    its date and chance beside it ("median 2031Q3 · 18% by 2032Q3": the median quarter among
    the draws that reach it and the chance of reaching it within the horizon). A milestone not
    reached (conditions not met, or beyond the horizon) is a grey cross at the right edge; the
    status quo's markers sit just below each row (hollow grey squares) so they never hide
    under the scenario's, and no label covers them.
    """

    MAX_ROWS = 6
    TITLE = "Turkiye-US track"

    def __init__(self, t0: float, t1: float, size_px: tuple[int, int] = (560, 196), dpi: int = DPI) -> None:
        super().__init__(size_px, dpi)
        self.t0, self.t1 = t0, t1
        ax = self.ax = self.fig.add_subplot()
        self.fig.subplots_adjust(**self._plot_area(28, 52))
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
        chances=None,
    ) -> bool:
        """Set the data; return True if the picture changed.

        Parameters
        ----------
        labels : sequence of str
            Milestone names in order (y rows, top to bottom).
        times : array of float
            Quarter each milestone is reached (decimal years; the median among the draws that
            reach it); NaN = not reached.
        note : str
            One line shown above the panel (e.g. "legal conditions not met").
        baseline : array of float, optional
            Status quo milestone quarters, or None to hide.
        good : bool, optional
            Colour the note as good news (bluish green) or bad news (vermillion).
        texts : sequence of str, optional
            Annotation per row, used as given when ``chances`` is None.
        chances : array of float, optional
            Chance of reaching each milestone within the horizon (share of draws): the labels
            then say what each number is (:func:`~s400lab.plots.explorer.labels.milestone_label`).
        """
        labels = tuple(str(x) for x in labels)[: self.MAX_ROWS]
        n = len(labels)
        x = arr(times)[:n]
        b = None if baseline is None else arr(baseline)[:n]
        texts = tuple(texts or ())[:n]
        c = None if chances is None else arr(chances)[:n]
        if not self._changed(labels, x, str(note), b, good, texts, c):
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
        dates, short = self._dates(n, x, xs, y, texts, c)
        key = chance_key(self.t1 - 0.25)
        titles = (
            [f"{self.TITLE} · {key}", f"US track · {key}", key, "%: chance"]
            if short
            else [self.TITLE, "US track"]
        )
        kind = "note" if good is None else "good" if good else "bad"
        self.labels = self._top_row(titles, [([self.note], kind)]) + dates
        return True

    def _dates(self, n, x, xs, y, texts, chances) -> tuple[list[dict], bool]:
        """Each row's label beside its marker, off every other marker and label; True if a
        short form (no "by <quarter>") had to be used."""
        end = self.t1 - 0.25
        rows = [i for i in range(n) if chances is not None or i < len(texts)]
        variants = [
            [milestone_label(x[i], chances[i], end, long) for long in (True, False)]
            if chances is not None
            else [texts[i]]
            for i in rows
        ]
        points = [(float(xs[i]), float(y[i])) for i in rows]
        return self._row_labels(self.ax, points, variants, [self.reached, self.missed, self.base])
