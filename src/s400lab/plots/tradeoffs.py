"""The trade-off explorer's live figure: weighted scores and first places, updated in place.

One small figure (Agg canvas, sized in pixels at 72 dpi so a font size in points is the same
number of pixels) with two bar charts side by side, one row per option in a **fixed order**
(the order of the outcomes matrix above it, so a row never jumps when the weights move):

* left: each option's weighted score (0-1); the best option's bar is highlighted;
* right: the share of nearby weightings under which the option ranks first.

The axes, option names and titles are the static layer, drawn once and cached as pixels; a
change of weights only sets the bar widths and colours and blits them (:class:`BlitPanel`).
The numbers beside the bars ("0.62 - rank 1", "34 % - mean rank 2.1") are :attr:`labels`
for the page to lay over the picture (:mod:`s400lab.ui.overlay`): drawing ~20 texts with
matplotlib would cost more than the whole update.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.font_manager import FontProperties

from s400lab.plots.explorer import BlitPanel
from s400lab.plots.style import OKABE_ITO

__all__ = ["RankingPanel"]

#: Font size in px (= pt at 72 dpi).
FONT = 16
ROW_PX = 30


class RankingPanel(BlitPanel):
    """Weighted score and share of first places per option, bars updated in place.

    Parameters
    ----------
    option_labels : sequence of str
        Row names, top to bottom (fixed).
    width_px : int
        Width of the picture; the height follows from the number of rows; the row names
        get the room their longest one needs.
    stacked : bool, default False
        The two charts one above the other (each with the row names), for a narrow column
        beside the weight sliders; side by side otherwise.
    """

    def __init__(self, option_labels: Sequence[str], width_px: int = 1000, stacked: bool = False) -> None:
        n = len(option_labels)
        if n < 1:
            raise ValueError("RankingPanel needs at least one option")
        row_px = ROW_PX
        if stacked:  # a narrow picture: long row names go on two lines (never cut at the edge)
            chars = max(12, int((0.6 * width_px - 16) / (0.56 * (FONT - 1))))
            wrapped = [textwrap.fill(str(s), chars) for s in option_labels]
            if any("\n" in s for s in wrapped):
                option_labels, row_px = wrapped, 2 * ROW_PX - 4
        one = 40 + row_px * n + 52
        h = 2 * one if stacked else one
        super().__init__((width_px, h))
        self.n = n
        w = width_px
        # room on the left for the longest row name (measured), never cut at the edge
        renderer = self.canvas.get_renderer()
        font = FontProperties(size=FONT - 1)
        widest = max(
            renderer.get_text_width_height_descent(line, font, ismath=False)[0]
            for s in option_labels
            for line in str(s).split("\n")
        )
        gs = self.fig.add_gridspec(
            2 if stacked else 1,
            1 if stacked else 2,
            left=min(0.6, (widest + 16) / w),
            right=1 - 10 / w,
            top=1 - 40 / h,
            bottom=52 / h,
            wspace=0.12,
            hspace=(92 / (row_px * n)) if stacked else 0.2,
        )
        self.ax_score = self.fig.add_subplot(gs[0])
        self.ax_first = self.fig.add_subplot(gs[1], sharey=self.ax_score)
        self.stacked = stacked
        y = np.arange(n, dtype=float)
        blue = OKABE_ITO["blue"]
        self.score_bars = self.ax_score.barh(y, np.zeros(n), color=blue, height=0.7)
        self.first_bars = self.ax_first.barh(y, np.zeros(n), color=blue, height=0.7)
        for ax, title, xlabel, xmax in (
            (self.ax_score, "Your ranking: weighted score", "0 = worst on every criterion, 1 = best", 1.45),
            (self.ax_first, "First under nearby weights", "share of nearby weightings (%)", 185.0),
        ):
            ax.set_xlim(0, xmax)
            ax.set_title(title, loc="left", fontsize=FONT)
            ax.set_xlabel(xlabel, fontsize=FONT - 2)
            ax.tick_params(labelsize=FONT - 2)
            ax.grid(True, axis="x", alpha=0.3)
            ax.spines["top"].set_visible(False)
            ax.spines["right"].set_visible(False)
        self.ax_score.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
        self.ax_first.set_xticks([0, 25, 50, 75, 100])
        self.ax_score.set_ylim(n - 0.5, -0.5)  # first option at the top
        self.ax_score.set_yticks(y, [str(s) for s in option_labels], fontsize=FONT - 1)
        self.ax_first.tick_params(axis="y", labelleft=stacked)
        self._animate(*self.score_bars.patches, *self.first_bars.patches)
        self._frame("static")

    def update(self, score, rank, share_first, mean_rank) -> bool:
        """Set the bars (arrays in row order); return True if the picture changed.

        Parameters
        ----------
        score : array of float
            Weighted score 0-1 per option.
        rank : array of int
            Rank per option (1 = best; ties share the better rank).
        share_first : array of float
            Share (0-1) of nearby weightings under which the option ranks first.
        mean_rank : array of float
            Mean rank under those weightings.
        """
        score, share = np.asarray(score, float), np.asarray(share_first, float)
        rank, mrank = np.asarray(rank, float), np.asarray(mean_rank, float)
        for a in (score, share, rank, mrank):
            if a.shape != (self.n,):
                raise ValueError(f"expected {self.n} values (one per option), got shape {a.shape}")
        if not self._changed(score, share, rank, mrank):
            return False
        best = rank == rank.min()
        labels = []
        for i in range(self.n):
            colour = OKABE_ITO["bluish_green"] if best[i] else OKABE_ITO["blue"]
            for bar, value in ((self.score_bars[i], score[i]), (self.first_bars[i], 100 * share[i])):
                bar.set_width(max(float(value), 0.0))
                bar.set_color(colour)
            labels.append(
                self._value_label(self.ax_score, score[i], i, f"{score[i]:.2f} - rank {rank[i]:.0f}")
            )
            labels.append(
                self._value_label(
                    self.ax_first, 100 * share[i], i, f"{100 * share[i]:.0f} % - mean rank {mrank[i]:.1f}"
                )
            )
            labels[-2]["kind"] = labels[-1]["kind"] = "best" if best[i] else "value"
        self.labels = labels
        return True

    def _value_label(self, ax, x: float, row: int, text: str) -> dict:
        px, py = self._px(ax, max(float(x), 0.0), float(row))
        return {"x": px + 4, "y": py, "text": text, "align": "left", "kind": "value", "valign": "middle"}
