"""India's undelivered squadrons view (:class:`IndiaPanel`): promised vs modelled delivery."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.collections import LineCollection

from s400lab.plots.explorer.blit import BASELINE_COLOUR, DPI, BlitPanel, arr, set_line, style_axes
from s400lab.plots.explorer.labels import (
    chance_key,
    delivery_label,
    quarter_text,
    signed_count,
    with_unit,
)
from s400lab.plots.style import ACTOR_COLOURS, OKABE_ITO


class IndiaPanel(BlitPanel):
    """India's undelivered squadrons: promised quarter (hollow diamond) vs modelled delivery
    (filled circle, with its date and chance); the status quo (hollow grey circle) sits just
    below each row so the two never cover each other. The time axis is the horizon, as in the
    other views (same quarter, same x): a promise or a delivery before the horizon's first
    quarter is pinned at the left edge (a promise as a hollow left arrow, its quarter in the
    note), one not within the horizon is an arrow at the right edge. When a return is routed to
    India, a dashed vertical line marks the quarter the returned units could be in India (the
    timing ruler of :func:`s400lab.model.india_timing`), named in the note above the plot, so
    the words never cover a marker or leave the picture.
    """

    MAX_ROWS = 4
    TITLE = "India"

    def __init__(self, t0: float, t1: float, size_px: tuple[int, int] = (560, 150), dpi: int = DPI) -> None:
        super().__init__(size_px, dpi)
        self.t0, self.t1 = t0, t1
        ax = self.ax = self.fig.add_subplot()
        self.fig.subplots_adjust(**self._plot_area(28, 52))
        colour = ACTOR_COLOURS["India"]
        self.gaps = LineCollection([], colors=colour, linewidths=2.0, alpha=0.7)
        ax.add_collection(self.gaps)
        hollow = {"ls": "none", "mfc": "white", "mec": OKABE_ITO["black"], "mew": 1.8}
        (self.promised,) = ax.plot([], [], marker="D", ms=10, clip_on=False, label="promised", **hollow)
        # a promise before the horizon: pinned at the left edge, not clipped by it
        (self.promised_early,) = ax.plot([], [], marker="<", ms=12, clip_on=False, label="earlier", **hollow)
        (self.base,) = ax.plot(
            [], [], ls="none", marker="o", ms=10, mfc="none", mec=BASELINE_COLOUR, mew=2.2, label="status quo"
        )
        (self.modelled,) = ax.plot([], [], ls="none", marker="o", ms=11, color=colour, label="scenario")
        (self.late,) = ax.plot([], [], ls="none", marker=">", ms=12, color=colour)
        (self.returned,) = ax.plot([], [], ls="--", lw=2.4, color=OKABE_ITO["vermillion"])
        self._legend_key: tuple | None = None
        self._legend(early=False)
        style_axes(ax)
        self.ax.grid(False, axis="y")
        self.ax.tick_params(axis="x", pad=2)
        self.ax.tick_params(axis="y", pad=10)  # room for a promise pinned at the left edge
        self._set_xaxis()
        self._animate(
            self.gaps, self.promised, self.promised_early, self.base, self.modelled, self.late, self.returned
        )

    def _legend(self, early: bool) -> None:
        """The bottom legend; "promised earlier" (the left arrow) only when one is drawn."""
        if self._legend_key == (early,):
            return
        self._legend_key = (early,)
        old = getattr(self, "legend", None)
        if old is not None:
            old.remove()
        handles = [self.promised, *([self.promised_early] if early else []), self.modelled, self.base]
        self.legend = self._bottom_legend(handles)

    def update(
        self,
        labels: Sequence[str],
        promised,
        modelled,
        baseline=None,
        texts: Sequence[str] | None = None,
        returned: float = float("nan"),
        chances=None,
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
            Annotation per row written beside the modelled date, used as given when
            ``chances`` is None.
        returned : float, optional
            Quarter returned Turkish units could be in India (NaN = none routed to India).
        chances : array of float, optional
            Chance of delivery within the horizon per row (share of draws): the labels then
            say what each number is (:func:`~s400lab.plots.explorer.labels.delivery_label`,
            "2027Q4 · 98% by 2032Q3").
        """
        labels = tuple(str(x) for x in labels)[: self.MAX_ROWS]
        n = len(labels)
        p, m = arr(promised)[:n], arr(modelled)[:n]
        b = None if baseline is None else arr(baseline)[:n]
        texts = tuple(texts or ())[:n]
        c = None if chances is None else arr(chances)[:n]
        r = float(returned) if returned is not None and np.isfinite(returned) else float("nan")
        if not self._changed(labels, p, m, b, texts, np.array([r]), c):  # arrays: NaN-aware compare
            return False
        y = np.arange(n, dtype=float)[::-1]
        left, edge = self.t0, self.t1 - 0.02 * (self.t1 - self.t0)
        early = np.isfinite(p) & (p < left)
        _pin = lambda x: np.where(np.isfinite(x), np.maximum(x, left), edge)  # noqa: E731
        set_line(self.promised, p[~early], y[~early])
        set_line(self.promised_early, np.full(int(early.sum()), left), y[early])
        set_line(self.modelled, np.maximum(m, left), y)  # NaN stays NaN (not drawn)
        late = ~np.isfinite(m)
        set_line(self.late, np.full(int(late.sum()), edge), y[late])
        m_seg = _pin(m)
        segs = [[(pp, yy), (mm, yy)] for pp, mm, yy in zip(_pin(p), m_seg, y, strict=True) if np.isfinite(pp)]
        self.gaps.set_segments(segs)
        if b is not None:
            set_line(self.base, _pin(b), y - 0.32)
        else:
            set_line(self.base, [], [])
        if self._frame(labels, self.t0, self.t1, b is not None, bool(early.any())):
            self._legend(bool(early.any()))
            self.ax.set_yticks(y, labels)
            self.ax.set_ylim(-0.6, max(n, 1) - 0.2)
        if np.isfinite(r) and n and r < self.t1:
            set_line(self.returned, [max(r, left)] * 2, [-0.6, max(n, 1) - 0.2])
        else:
            set_line(self.returned, [], [])
        dates, short = self._dates(n, m, m_seg, y, texts, c)
        key = chance_key(self.t1 - 0.25)
        titles = [f"{self.TITLE} · {key}", key, "%: chance"] if short else [self.TITLE]
        self.labels = self._top_row(titles, self._note_parts(n, p, m_seg, early, late, r)) + dates
        return True

    def _dates(self, n, m, m_seg, y, texts, chances) -> tuple[list[dict], bool]:
        """The date label of each row beside its modelled marker, off every other marker and
        label; True if a short form (no "by <quarter>") had to be used."""
        end = self.t1 - 0.25
        rows = [i for i in range(n) if chances is not None or i < len(texts)]
        variants = [
            [delivery_label(m[i], chances[i], end, long) for long in (True, False)]
            if chances is not None
            else [texts[i]]
            for i in rows
        ]
        points = [(float(m_seg[i]), float(y[i])) for i in rows]
        lines = [self.promised, self.promised_early, self.base, self.modelled, self.late]
        return self._row_labels(self.ax, points, variants, lines)

    def _note_parts(self, n, p, m_seg, early, late, r) -> list[tuple[list[str], str]]:
        """What the note above the plot says, most important first (as many as fit)."""
        parts: list[tuple[list[str], str]] = []
        if np.isfinite(r) and n and r < self.t1:
            q = quarter_text(r)
            parts.append(([f"dashed: returned units in India {q}", f"dashed: returned units {q}"], "note"))
        if n == 0:
            parts.append((["no undelivered squadrons"], "note"))
        if early.any():
            dates = ", ".join(dict.fromkeys(quarter_text(x) for x in p[early]))
            parts.append(([f"◁ promised {dates}"], "note"))
        if n and late.any():
            parts.append(([f"{int(late.sum())} not delivered by {quarter_text(self.t1 - 0.25)}"], "note"))
        elif n:
            slips = m_seg - p
            worst = float(np.nanmax(slips)) if np.isfinite(slips).any() else 0.0
            slip = with_unit(signed_count(worst * 4), "quarters", "quarter")
            parts.append(([f"worst slip {slip}"], "note"))
        return parts
