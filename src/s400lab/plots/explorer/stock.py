"""Russia's S-400 stock view (:class:`StockPanel`): bands, central run, status quo, requirement
and a difference panel (scenario minus status quo) whose axis zooms to the change."""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from s400lab.plots.explorer.blit import (
    BASELINE_COLOUR,
    DPI,
    FONT,
    BlitPanel,
    arr,
    band_patch,
    nice_limit,
    set_band,
    set_line,
    style_axes,
)
from s400lab.plots.explorer.labels import difference_note
from s400lab.plots.explorer.layout import LABEL_PAD_PX, text_width_px
from s400lab.plots.style import ACTOR_COLOURS, OKABE_ITO


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

    #: How the two shades look: the outer band (5-95%) alone, and the inner band (25-75%)
    #: over it (two layers of alpha 0.16 and 0.28).
    OUTER_ALPHA = 0.16
    INNER_ALPHA = 1 - (1 - 0.16) * (1 - 0.28)

    #: The difference axes' name: what its line is, said in full.
    DIFF_NAME = "change from\nstatus quo"

    def _left_margin(self, axes):
        """x in figure fractions, y in ``axes`` fractions: where the axis names sit."""
        from matplotlib.transforms import blended_transform_factory

        return blended_transform_factory(self.fig.transFigure, axes.transAxes)

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
            **self._plot_area(top_px, bottom_px),
        )
        ax = self.ax = self.fig.add_subplot(gs[0])
        dax = self.dax = self.fig.add_subplot(gs[1], sharex=ax)
        colour = ACTOR_COLOURS["Russia"]
        self.band_outer = band_patch(ax, colour, alpha=0.16)
        self.band_inner = band_patch(ax, colour, alpha=0.28)  # drawn over the outer band
        (self.base_line,) = ax.plot(
            [], [], color=BASELINE_COLOUR, lw=2.4, ls="--", drawstyle="steps-post", label="status quo"
        )
        (self.req_line,) = ax.plot(
            [], [], color=OKABE_ITO["black"], lw=1.6, ls=":", drawstyle="steps-post", label="requirement"
        )
        (self.line,) = ax.plot([], [], color=colour, lw=2.8, drawstyle="steps-post", label="this scenario")
        self.diff_band = band_patch(dax, colour, alpha=0.22)
        dax.axhline(0.0, color=BASELINE_COLOUR, lw=1.2, ls="--")
        (self.diff_line,) = dax.plot([], [], color=colour, lw=2.4, drawstyle="steps-post")
        ax.set_ylim(0, 10)
        dax.set_ylim(-1, 1)
        # the axis names read across, in the common left margin (no rotated "vs SQ")
        for axes, name in ((ax, "battalions"), (dax, self.DIFF_NAME)):
            axes.set_ylabel(name, fontsize=FONT["label"], rotation=0, ha="left", va="center")
            axes.yaxis.set_label_coords(8 / w, 0.5, transform=self._left_margin(axes))
        self._legend_entries: tuple[bool, bool] | None = None
        self._legend()
        style_axes(ax)
        style_axes(dax)
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

    #: Legend texts, long (wider pictures) and short (560 px): each entry says what it is.
    LEGEND_TEXT = {
        "long": {"band": "50% / 90% of draws", "needed": "home requirement"},
        "short": {"band": "50/90% of draws", "needed": "requirement"},
    }

    def _legend(self, with_base: bool = True, with_band: bool = True) -> None:
        """The legend for these entries (rebuilt only when they change: ~5 ms): the scenario,
        both band shades (the inner 50% and the outer 90% of the draws), the status quo and the
        home requirement ("needed")."""
        from matplotlib.legend_handler import HandlerTuple

        if self._legend_entries == (with_base, with_band):
            return
        self._legend_entries = (with_base, with_band)
        words = self.LEGEND_TEXT["long" if self.size_px[0] >= 700 else "short"]
        colour = ACTOR_COLOURS["Russia"]
        handles: list = [Line2D([], [], color=colour, lw=2.8)]
        texts = ["scenario"]
        if with_band:
            inner = Patch(facecolor=colour, alpha=self.INNER_ALPHA, linewidth=0)
            outer = Patch(facecolor=colour, alpha=self.OUTER_ALPHA, linewidth=0)
            handles.append((inner, outer))
            texts.append(words["band"])
        if with_base:
            handles.append(Line2D([], [], color=BASELINE_COLOUR, lw=2.4, ls="--"))
            texts.append("status quo")
        handles.append(Line2D([], [], color=OKABE_ITO["black"], lw=1.6, ls=":"))
        texts.append(words["needed"])
        old = getattr(self, "legend", None)
        if old is not None:
            old.remove()
        # above the axes (never over the data): the top row of the picture
        self.legend = self.fig.legend(
            handles,
            texts,
            handler_map={tuple: HandlerTuple(ndivide=None, pad=0.0)},
            loc="upper left",
            frameon=False,
            ncols=len(handles),
            fontsize=FONT["legend"],
            bbox_to_anchor=(0.0, 1.0),
            handlelength=0.9 if self.size_px[0] < 700 else 1.3,
            handletextpad=0.25,
            columnspacing=0.4 if self.size_px[0] < 700 else 0.8,
            borderaxespad=0.1,
        )

    def update(
        self, t, stock, requirement=None, baseline=None, band=None, diff_band=None, refused: str = ""
    ) -> bool:
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
        refused : str, optional
            The consent gate when the central run's return is refused
            (:func:`s400lab.plots.explorer.labels.refusal_text`, "refused: Russia pays at most
            50%"): the note then says that no battalion returns (the model's run follows the
            status quo, drawn as such).
        """
        t, stock = arr(t), arr(stock)
        req = None if requirement is None else arr(requirement)
        base = None if baseline is None else arr(baseline)
        band = None if band is None else np.asarray(band, dtype=float)
        dband = None if diff_band is None else np.asarray(diff_band, dtype=float)
        if not self._changed(t, stock, req, base, band, dband, str(refused)):
            return False
        set_line(self.line, t, stock)
        set_line(self.req_line, t if req is not None else [], req if req is not None else [])
        set_line(self.base_line, t if base is not None else [], base if base is not None else [])
        if band is not None and band.shape[-1] == t.size:
            set_band(self.band_outer, t, band[0], band[-1])
            set_band(self.band_inner, t, band[1], band[-2])
        else:
            set_band(self.band_outer)
            set_band(self.band_inner)
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
            set_line(self.diff_line, t, diff)
            dvals.append(diff[np.isfinite(diff)])
        else:
            set_line(self.diff_line, [], [])
        if dband is not None and diff is not None and dband.shape[-1] == t.size:
            set_band(self.diff_band, t, dband[0], dband[-1])
            dvals += [dband[0][np.isfinite(dband[0])], dband[-1][np.isfinite(dband[-1])]]
        else:
            set_band(self.diff_band)
        dmax = max((float(np.abs(v).max()) for v in dvals if v.size), default=0.0)
        dlim = nice_limit(dmax * 1.15)
        key = (ylim, dlim, base is not None, band is not None)
        if self._frame(*key):
            self.ax.set_ylim(*ylim)
            self.dax.set_ylim(-dlim, dlim)
            self.dax.set_yticks([-dlim, 0, dlim])
            self._legend(with_base=base is not None, with_band=band is not None)
        if refused:
            self.labels = [self._gap_note(self._refused_note(str(refused)), "bad")]
        elif diff is None:
            self.labels = [self._gap_note("change from the status quo: tick Compare")]
        else:
            self.labels = [self._gap_note(difference_note(float(diff[-1]) if diff.size else 0.0))]
        return True

    def _refused_note(self, refused: str) -> str:
        """The gate's note: the longest wording that fits the gap's line."""
        room = self.size_px[0] - self.dax.get_position().x0 * self.size_px[0] - 4 - 8
        for text in (f"{refused}: no battalion returns", f"{refused}: no return", refused):
            if text_width_px(text, bold=True) + 2 * LABEL_PAD_PX <= room:
                return text
        return refused

    def _gap_note(self, text: str, kind: str = "note") -> dict:
        """The difference note, in the gap above the difference axes (outside every plot
        area), starting at the axes' left edge."""
        top, bottom = self.ax.get_position(), self.dax.get_position()
        w, h = self.size_px
        y = h * (1 - (top.y0 + bottom.y1) / 2)
        x = float(bottom.x0 * w + 4)
        return {"x": x, "y": float(y), "text": text, "align": "left", "kind": kind, "valign": "middle"}
