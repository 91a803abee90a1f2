"""Projector-friendly, colour-blind-safe styling shared by every figure.

The palette is Okabe & Ito (2008), "Color Universal Design", which stays distinguishable
under the common colour-vision deficiencies.
"""

from __future__ import annotations

import matplotlib as mpl
from matplotlib.ticker import FuncFormatter, MultipleLocator

from s400lab.model.formatting import quarter_text  # one home (model); plots import it from here too

#: Okabe-Ito palette (colour-blind safe), in a fixed order.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
    "grey": "#999999",
}

#: One colour per actor, used consistently across the workbook.
ACTOR_COLOURS = {
    "Turkiye": OKABE_ITO["vermillion"],
    "Russia": OKABE_ITO["blue"],
    "United States": OKABE_ITO["sky_blue"],
    "India": OKABE_ITO["orange"],
    "China": OKABE_ITO["reddish_purple"],
    "Ukraine": OKABE_ITO["yellow"],
    "Belarus": OKABE_ITO["bluish_green"],
    "NATO": OKABE_ITO["black"],
    "Pakistan": OKABE_ITO["grey"],
    "EU": OKABE_ITO["bluish_green"],
    "Other": OKABE_ITO["grey"],
}

#: Marker per confidence grade, so grades read without colour.
CONFIDENCE_MARKERS = {"official": "o", "reported": "s", "claimed": "^", "disputed": "X"}

#: rcParams for figures that must read from the back of a seminar room.
PROJECTOR_RC = {
    "font.size": 13,
    "axes.titlesize": 15,
    "axes.labelsize": 13,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 11,
    "lines.linewidth": 2.2,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.prop_cycle": mpl.cycler(
        color=[
            OKABE_ITO[k]
            for k in (
                "blue",
                "vermillion",
                "bluish_green",
                "orange",
                "reddish_purple",
                "sky_blue",
                "yellow",
                "black",
            )
        ]
    ),
}


def use_projector_style() -> None:
    """Apply :data:`PROJECTOR_RC` globally (call once at the top of a notebook)."""
    mpl.rcParams.update(PROJECTOR_RC)


def use_quarter_ticks(axis, *, step: float = 0.5) -> None:
    """Put ticks on quarter starts of a decimal-year axis and label them ``"2027Q3"``.

    Parameters
    ----------
    axis : matplotlib.axis.Axis
        ``ax.xaxis`` or ``ax.yaxis``.
    step : float
        Distance between ticks in years (a multiple of 0.25; default: every half year).
    """
    axis.set_major_locator(MultipleLocator(step))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: quarter_text(v)))
