"""The bargain as a picture: each side's gain against the compensation share, the range shaded.

- :func:`bargain_chart` -- one scenario: Turkiye's gain over walking away rises with the
  compensation share, Russia's falls; where both are at least zero (from Turkiye's least
  acceptable share to Russia's highest price) a deal exists, shaded; the terms on the table
  are a dashed line;
- :func:`bargain_by_course_chart` -- the same under each course of the war, side by side on
  one y-scale.

The data come from :mod:`s400lab.analysis.bargain` (which reads the model's outcomes); these
functions only draw and return their artists (for tests).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import PercentFormatter

from s400lab.analysis.bargain import BargainRange, bargain_curves
from s400lab.plots.style import ACTOR_COLOURS, OKABE_ITO

__all__ = ["RANGE_COLOUR", "bargain_by_course_chart", "bargain_chart"]

#: Fill of the bargaining range (both sides accept).
RANGE_COLOUR = OKABE_ITO["bluish_green"]


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def bargain_chart(
    ax: Axes, r: BargainRange, *, title: str | None = None, legend: bool = True, ylim: tuple | None = None
) -> dict:
    """Both sides' gain from the deal (US$ bn) against the compensation share, range shaded.

    Parameters
    ----------
    ax : Axes
    r : BargainRange
        :func:`s400lab.analysis.bargain.bargain_range` of a scenario.
    title : str, optional
    legend : bool
        Draw the legend (below the axes).
    ylim : tuple, optional
        Common y-limits (side-by-side panels).

    Returns
    -------
    dict with ``turkiye`` and ``russia`` (Line2D), ``range`` (the shaded Polygon, None when the
    range is empty or there is no return), ``terms`` (Line2D of the terms on the table, or
    None) and ``note`` (Text: the range in words).
    """
    art: dict = {"turkiye": None, "russia": None, "range": None, "terms": None}
    ax.axhline(0.0, color=OKABE_ITO["black"], lw=0.8)
    if not r.bargaining:
        art["note"] = ax.text(
            0.5, 0.5, "no units go back to Russia:\nnothing to bargain over", transform=ax.transAxes,
            ha="center", va="center", fontsize=12,
        )  # fmt: skip
        _axes(ax, title, legend=False, ylim=ylim)
        return art
    c = bargain_curves(r)
    s = c["share"].to_numpy()
    (art["turkiye"],) = ax.plot(
        s, c["tr_gain_usd_bn"], color=ACTOR_COLOURS["Turkiye"], lw=2.4,
        label=f"Turkiye: gain over walking away (accepts >= {_pct(r.tr_min_share)})",
    )  # fmt: skip
    (art["russia"],) = ax.plot(
        s, c["ru_gain_usd_bn"], color=ACTOR_COLOURS["Russia"], lw=2.4, ls="--",
        label=f"Russia: gain over walking away (pays <= {_pct(r.ru_max_share)})",
    )  # fmt: skip
    if r.feasible:
        lo, hi = max(0.0, r.tr_min_share), min(1.0, r.ru_max_share)
        art["range"] = ax.axvspan(
            lo, hi, color=RANGE_COLOUR, alpha=0.25, lw=0, label=f"both accept: {_pct(lo)} to {_pct(hi)}"
        )
        note = f"deal range {_pct(lo)} to {_pct(hi)}"
    else:
        note = "no deal at any price:\nRussia's most is below Turkiye's least"
    note += f"\nterms {_pct(r.terms_share)}: {'deal' if r.clears else 'refused'}"
    art["terms"] = ax.axvline(
        r.terms_share, color=OKABE_ITO["black"], lw=1.4, ls=":",
        label=f"terms on the table: {_pct(r.terms_share)} ({'clears' if r.clears else 'refused'})",
    )  # fmt: skip
    art["note"] = ax.text(
        0.02, 0.97, note, transform=ax.transAxes, ha="left", va="top", fontsize=11,
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
    )  # fmt: skip
    _axes(ax, title, legend=legend, ylim=ylim)
    return art


def _axes(ax: Axes, title: str | None, *, legend: bool, ylim: tuple | None) -> None:
    ax.set_xlim(0.0, 1.0)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("compensation (share of the contract value of the returned units)")
    ax.set_ylabel("gain from the deal (US$ bn)")
    if ylim is not None:
        ax.set_ylim(*ylim)
    if title:
        ax.set_title(title)
    if legend:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=1, frameon=False, fontsize=10)


def bargain_by_course_chart(
    axes: Sequence[Axes], ranges: Mapping[str, BargainRange], *, title: str | None = None
) -> dict:
    """:func:`bargain_chart` for each course of the war, side by side on one y-scale.

    Parameters
    ----------
    axes : sequence of Axes
        One per course (``len(ranges)``).
    ranges : mapping
        Course name -> :class:`~s400lab.analysis.bargain.BargainRange` (in display order).

    Returns
    -------
    dict
        Course -> the artists of :func:`bargain_chart`.
    """
    if len(axes) != len(ranges):
        raise ValueError(f"{len(ranges)} courses need {len(ranges)} axes, got {len(axes)}")
    ends = [
        v
        for r in ranges.values()
        if r.bargaining
        for v in (
            -r.tr_min_usd_bn,
            r.base_usd_bn - r.tr_min_usd_bn,
            r.ru_max_usd_bn,
            r.ru_max_usd_bn - r.base_usd_bn,
        )
    ]
    ylim = (min(ends) * 1.1, max(ends) * 1.1) if ends and np.ptp(ends) > 0 else None
    out = {}
    for i, (ax, (course, r)) in enumerate(zip(axes, ranges.items(), strict=True)):
        out[course] = bargain_chart(ax, r, title=course, legend=i == len(ranges) - 1, ylim=ylim)
        ax.set_xlabel("compensation (share of contract)")
        if i:
            ax.set_ylabel("")
    if title and len(axes):
        axes[0].figure.suptitle(title)
    return out
