"""Seminar figures: calibration, Brier scores, outcomes matrix, weight robustness.

Every function takes an Axes first, then data, then keyword-only options, and returns the
Axes. Nothing here creates a figure behind the caller's back, calls ``plt.show()`` or
changes rcParams. Colours come from :mod:`s400lab.plots.style` (Okabe-Ito).
No widgets are imported here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap

from s400lab.plots.style import OKABE_ITO

__all__ = [
    "plot_calibration",
    "plot_student_scores",
    "plot_outcomes_matrix",
    "plot_first_place_shares",
]

#: Sequential map from vermillion (worst) through white to bluish green (best); reads in
#: grey-scale too because the cells are also labelled with numbers.
SCORE_CMAP = LinearSegmentedColormap.from_list(
    "s400lab_score", [OKABE_ITO["vermillion"], "#FFFFFF", OKABE_ITO["bluish_green"]]
)


def plot_calibration(
    ax: Axes, table: pd.DataFrame, *, label: str = "class", colour: str = OKABE_ITO["blue"]
) -> Axes:
    """Reliability diagram from :func:`s400lab.analysis.forecasting.calibration_table`.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    table : pandas.DataFrame
        Columns ``mean_forecast, observed, ci_low, ci_high, n``.
    label : str
        Legend label for the points.
    colour : str

    Returns
    -------
    matplotlib.axes.Axes
    """
    t = table[table["n"] > 0]
    ax.plot([0, 1], [0, 1], ls="--", color=OKABE_ITO["grey"], lw=1.5, label="perfect calibration")
    yerr = np.vstack([t["observed"] - t["ci_low"], t["ci_high"] - t["observed"]])
    ax.errorbar(t["mean_forecast"], t["observed"], yerr=yerr, fmt="none", ecolor=colour, alpha=0.5, capsize=3)
    sizes = 30 + 270 * t["n"] / max(int(t["n"].max()), 1) if len(t) else []
    ax.scatter(
        t["mean_forecast"],
        t["observed"],
        s=sizes,
        color=colour,
        zorder=3,
        label=f"{label} (area ~ number of forecasts)",
    )
    for _, row in t.iterrows():
        ax.annotate(
            f"n={int(row['n'])}",
            (row["mean_forecast"], row["observed"]),
            textcoords="offset points",
            xytext=(8, -12),
            fontsize=9,
        )
    ax.set(
        xlim=(-0.02, 1.02),
        ylim=(-0.02, 1.02),
        aspect="equal",
        xlabel="forecast probability (bin mean)",
        ylabel="share that resolved YES",
        title="Calibration: do 70 % forecasts come true 70 % of the time?",
    )
    ax.legend(loc="upper left", fontsize=9)
    return ax


def plot_student_scores(ax: Axes, scores: pd.DataFrame) -> Axes:
    """Horizontal bars of mean Brier score per student (lower is better).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    scores : pandas.DataFrame
        From :func:`s400lab.analysis.forecasting.student_scores`.

    Returns
    -------
    matplotlib.axes.Axes
    """
    s = scores.sort_values("mean_brier", ascending=False)
    colours = [OKABE_ITO["bluish_green"] if v < 0.25 else OKABE_ITO["vermillion"] for v in s["mean_brier"]]
    ax.barh(s.index.astype(str), s["mean_brier"], color=colours)
    ax.axvline(0.25, color=OKABE_ITO["black"], ls="--", lw=1.5)
    ax.annotate(
        "always 50 % = 0.25",
        (0.25, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(4, -14),
        textcoords="offset points",
        fontsize=9,
    )
    for y, (v, n) in enumerate(zip(s["mean_brier"], s["n"], strict=True)):
        ax.annotate(
            f"{v:.3f} (n={int(n)})",
            (v, y),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )
    ax.set(
        xlim=(0, max(1.0, float(s["mean_brier"].max()) * 1.15) if len(s) else 1.0),
        xlabel="mean Brier score (0 = perfect, lower is better)",
        title="Brier score per student",
    )
    ax.grid(axis="y", visible=False)
    return ax


def _fmt(value: float, unit: str) -> str:
    if not np.isfinite(value):
        return "not within\nhorizon" if "year" in unit or "quarter" in unit else "n/a"
    if "decimal year" in unit or unit in {"quarter", "year"}:
        year = int(np.floor(value + 1e-9))
        return f"{year}Q{int(round((value - year) * 4)) + 1}"
    text = f"{value:,.2f}" if abs(value) < 100 else f"{value:,.1f}"
    return f"{text}\n{unit}" if unit else text


def plot_outcomes_matrix(
    ax: Axes,
    normalised: pd.DataFrame,
    *,
    matrix: pd.DataFrame | None = None,
    units: pd.Series | None = None,
    labels: dict | None = None,
    option_labels: dict | None = None,
    fontsize: float = 11.0,
) -> Axes:
    """Heat map of the outcomes matrix: colour = normalised score, text = natural value.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    normalised : pandas.DataFrame
        Options x criteria in [0, 1] (1 = best for that stakeholder).
    matrix : pandas.DataFrame, optional
        The same cells in natural units, printed in the cells (else the scores).
    units : pandas.Series, optional
        Criterion -> unit.
    labels : dict, optional
        Criterion -> column label.
    option_labels : dict, optional
        Option id -> row label (e.g. the presets' labels).
    fontsize : float
        Size of the cell text (11 pt reads from the back of a seminar room on a 14-inch-wide
        figure); tick labels are 1 pt larger.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax.imshow(normalised.to_numpy(float), cmap=SCORE_CMAP, vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(
        range(normalised.shape[1]),
        [(labels or {}).get(c, c) for c in normalised.columns],
        rotation=30,
        ha="right",
        rotation_mode="anchor",
        fontsize=fontsize + 1,
    )
    ax.set_yticks(
        range(normalised.shape[0]),
        [(option_labels or {}).get(o, str(o)) for o in normalised.index],
        fontsize=fontsize + 1,
    )
    for i, opt in enumerate(normalised.index):
        for j, crit in enumerate(normalised.columns):
            if matrix is not None:
                unit = "" if units is None else str(units.get(crit, ""))
                text = _fmt(float(matrix.loc[opt, crit]), unit)
            else:
                text = f"{normalised.loc[opt, crit]:.2f}"
            ax.text(j, i, text, ha="center", va="center", fontsize=fontsize)
    ax.grid(False)
    ax.set_title("Outcomes matrix: each column's best option green, worst vermillion, all equal white")
    return ax


def plot_first_place_shares(ax: Axes, robustness: pd.DataFrame, *, option_labels: dict | None = None) -> Axes:
    """Bars: share of weight vectors under which each option ranks first.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    robustness : pandas.DataFrame
        From :func:`s400lab.analysis.tradeoffs.weight_robustness`.
    option_labels : dict, optional
        Option id -> bar label (e.g. the presets' labels).

    Returns
    -------
    matplotlib.axes.Axes
        Bars ordered best first from the top: by share of first places, ties broken by
        mean rank.
    """
    r = robustness.sort_values(["share_first", "mean_rank"], ascending=[True, False], kind="mergesort")
    names = [(option_labels or {}).get(o, str(o)) for o in r.index]
    ax.barh(range(len(r)), 100 * r["share_first"], color=OKABE_ITO["blue"])
    ax.set_yticks(range(len(r)), names)
    for y, (v, m) in enumerate(zip(r["share_first"], r["mean_rank"], strict=True)):
        ax.annotate(
            f"{100 * v:.0f} %  (mean rank {m:.1f})",
            (100 * v, y),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=11,
        )
    ax.set(
        xlim=(0, 145),
        xlabel="share of weightings where the option ranks first (%)",
        title="How robust is the ranking to the weights?",
    )
    ax.set_xticks([0, 25, 50, 75, 100])  # room on the right for the labels, no ticks past 100
    ax.grid(axis="y", visible=False)
    return ax
