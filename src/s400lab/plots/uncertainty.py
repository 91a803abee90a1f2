"""Figures for "how sure are we, and which assumption matters most?".

Each function takes an Axes and data shaped by :mod:`s400lab.analysis.ensembles`,
:mod:`s400lab.analysis.sensitivity` or :mod:`s400lab.analysis.discovery` and returns a dict
of the artists it drew (so the UI can update them and tests can read the plotted data).
Colours are Okabe-Ito (:mod:`s400lab.plots.style`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FormatStrFormatter, MaxNLocator

from s400lab.plots.style import OKABE_ITO, quarter_text, use_quarter_ticks

__all__ = [
    "fan_chart",
    "fan_compare",
    "distribution_comparison",
    "probability_bars",
    "tornado_chart",
    "sobol_bars",
    "discovery_box",
    "convergence_plot",
]

#: Two scenarios side by side: A (usually the baseline) and B.
PAIR_COLOURS = (OKABE_ITO["blue"], OKABE_ITO["vermillion"])


def _quarter_step(values: np.ndarray) -> float:
    """Tick spacing (years) for a decimal-year axis: at most five labelled ticks.

    ``2028Q1``-style labels are wide; six of them overlap on a half-width panel.
    """
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    span = float(values.max() - values.min()) if values.size else 1.0
    for step in (0.25, 0.5, 1.0, 2.0):
        if span / step <= 4:
            return step
    return 5.0


def _time_axis(bands: pd.DataFrame) -> np.ndarray:
    if "t" in bands.columns:
        return np.asarray(bands["t"], dtype=float)
    if bands.index.name == "t" or np.issubdtype(np.asarray(bands.index).dtype, np.number):
        return np.asarray(bands.index, dtype=float)
    raise ValueError("bands need a numeric 't' column or index (decimal years)")


def fan_chart(
    ax: Axes,
    bands: pd.DataFrame,
    *,
    label: str = "",
    colour: str | None = None,
    unit: str = "",
    title: str | None = None,
) -> dict:
    """Median line with shaded 50% and 90% bands over time.

    Parameters
    ----------
    ax : Axes
    bands : DataFrame
        ``t q05 q25 q50 q75 q95`` (the model's ``Ensemble.bands(var)`` or
        :func:`analysis.ensembles.bands_from_samples`).
    label : str
        Series name for the legend.
    colour : str, optional
    unit : str
        y-axis label.
    title : str, optional

    Returns
    -------
    dict with ``median`` (Line2D), ``band50`` and ``band90`` (PolyCollection).
    """
    colour = colour or OKABE_ITO["blue"]
    t = _time_axis(bands)
    name = f"{label} " if label else ""
    band90 = ax.fill_between(
        t, bands["q05"], bands["q95"], color=colour, alpha=0.18, lw=0, label=f"{name}90% of runs"
    )
    band50 = ax.fill_between(
        t, bands["q25"], bands["q75"], color=colour, alpha=0.38, lw=0, label=f"{name}50% of runs"
    )
    (median,) = ax.plot(t, bands["q50"], color=colour, label=f"{name}median")
    if unit:
        ax.set_ylabel(unit)
    ax.set_xlabel("year")
    if title:
        ax.set_title(title)
    ax.legend(loc="best", frameon=False)
    return {"median": median, "band50": band50, "band90": band90}


def fan_compare(
    ax: Axes,
    bands_a: pd.DataFrame,
    bands_b: pd.DataFrame,
    *,
    names: tuple[str, str] = ("A", "B"),
    unit: str = "",
    title: str | None = None,
    legend_below: bool = False,
) -> dict:
    """Two fan charts on one Axes that stay readable where they overlap.

    Scenario A (usually the baseline) is a shaded fan in blue; scenario B is drawn with lines
    only in vermillion: a thick median, dashed edges of its 50% band and dotted edges of its
    90% band. Two translucent fills would mix into an unreadable brown where they overlap.

    Parameters
    ----------
    ax : Axes
    bands_a, bands_b : DataFrame
        ``t q05 q25 q50 q75 q95`` of each scenario (``Ensemble.bands(var)``), same time grid.
    names : (str, str)
        Scenario names for the legend.
    unit : str
        y-axis label.
    title : str, optional
    legend_below : bool
        Put the legend under the Axes (one column per scenario) instead of over the upper
        left of the plot: for narrow Axes, where it would cover the fans.

    Returns
    -------
    dict with ``a`` (the :func:`fan_chart` artists of A) and ``b`` (dict of Line2D:
    ``median``, ``q25``, ``q75``, ``q05``, ``q95``).
    """
    ca, cb = PAIR_COLOURS
    a = fan_chart(ax, bands_a, colour=ca, unit=unit, title=title)
    t = _time_axis(bands_b)
    b = {}
    for key, ls, lw in (
        ("q05", ":", 1.8),
        ("q95", ":", 1.8),
        ("q25", "--", 1.8),
        ("q75", "--", 1.8),
        ("q50", "-", 2.8),
    ):
        (b["median" if key == "q50" else key],) = ax.plot(t, bands_b[key], color=cb, ls=ls, lw=lw)
    handles = [
        Patch(facecolor=ca, alpha=0.38, label=f"{names[0]}: middle 50% of runs"),
        Patch(facecolor=ca, alpha=0.18, label=f"{names[0]}: 90% of runs"),
        Line2D([], [], color=ca, label=f"{names[0]}: median"),
        Line2D([], [], color=cb, lw=2.8, label=f"{names[1]}: median"),
        Line2D([], [], color=cb, ls="--", lw=1.8, label=f"{names[1]}: middle 50%"),
        Line2D([], [], color=cb, ls=":", lw=1.8, label=f"{names[1]}: 90%"),
    ]
    if legend_below:
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.14),
            frameon=False,
            ncol=2,
            fontsize="small",
        )
    else:
        ax.legend(handles=handles, loc="upper left", frameon=False, ncol=2, fontsize=10)
    return {"a": a, "b": b}


def distribution_comparison(
    ax: Axes,
    values_a: Sequence[float],
    values_b: Sequence[float],
    *,
    names: tuple[str, str] = ("A", "B"),
    kind: str = "ecdf",
    unit: str = "",
    bins: int = 30,
    never_label: str = "not within horizon",
    quarters: bool = False,
    legend_below: bool = False,
) -> dict:
    """Compare an outcome's distribution in two scenarios (ECDFs or histograms).

    Missing values (NaN: the event did not happen within the horizon) are not drawn; the
    legend gives their share, so the ECDFs end below 1 when some runs never get there.

    Parameters
    ----------
    ax : Axes
    values_a, values_b : array-like of float
    names : (str, str)
    kind : {"ecdf", "hist"}
    unit : str
        x-axis label.
    bins : int
        For ``kind="hist"``.
    quarters : bool
        The values are decimal years of quarters: label the x ticks ``2028Q1``.
    legend_below : bool
        Put the legend under the Axes instead of at the "best" place inside it.

    Returns
    -------
    dict with ``a`` and ``b`` (the artists of each scenario).
    """
    if kind not in ("ecdf", "hist"):
        raise ValueError("kind must be 'ecdf' or 'hist'")
    out = {}
    data = [np.asarray(values_a, dtype=float), np.asarray(values_b, dtype=float)]
    finite = np.concatenate([d[~np.isnan(d)] for d in data])
    edges = np.histogram_bin_edges(finite, bins=bins) if finite.size else bins
    for key, x, name, colour in zip(("a", "b"), data, names, PAIR_COLOURS):
        ok = x[~np.isnan(x)]
        miss = 1 - ok.size / x.size if x.size else 0.0
        lab = f"{name}" + (f" ({_share_text(miss)} {never_label})" if miss > 0 else "")
        if kind == "ecdf":
            xs = np.sort(ok)
            ys = np.arange(1, xs.size + 1) / max(x.size, 1)
            (art,) = ax.step(xs, ys, where="post", color=colour, label=lab)
        else:
            *_, art = ax.hist(
                ok,
                bins=edges,
                color=colour,
                alpha=0.45,
                label=lab,
                weights=np.full(ok.size, 1 / max(x.size, 1)),
            )
        out[key] = art
    ax.set_ylabel("share of runs (cumulative)" if kind == "ecdf" else "share of runs")
    if unit:
        ax.set_xlabel(unit)
    if quarters:
        use_quarter_ticks(ax.xaxis, step=_quarter_step(finite))
    if legend_below:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), frameon=False, ncol=1, fontsize="small")
    else:
        ax.legend(loc="best", frameon=False)
    return out


def _share_text(share: float) -> str:
    """``0.004`` -> ``"<1%"`` (never a misleading "0%" for a share that is not zero)."""
    return "<1%" if 0 < share < 0.005 else f"{100 * share:.0f}%"


def probability_bars(
    ax: Axes, table: pd.DataFrame, *, colour: str | None = None, title: str | None = None
) -> dict:
    """Horizontal bars of event probabilities with 95% interval error bars.

    Parameters
    ----------
    ax : Axes
    table : DataFrame
        :func:`analysis.ensembles.probability_table` output (``event p low high``).

    Returns
    -------
    dict with ``bars`` (BarContainer) and ``errorbars``.
    """
    colour = colour or OKABE_ITO["bluish_green"]
    y = np.arange(len(table))[::-1]
    p = np.asarray(table["p"], dtype=float)
    err = np.vstack([p - np.asarray(table["low"], float), np.asarray(table["high"], float) - p])
    bars = ax.barh(y, p, color=colour, alpha=0.85)
    eb = ax.errorbar(p, y, xerr=err, fmt="none", ecolor=OKABE_ITO["black"], capsize=4, lw=1.5)
    for yi, pi, hi in zip(y, p, np.asarray(table["high"], float)):
        ax.text(min(hi + 0.02, 0.98), yi, f"{100 * pi:.0f}%", va="center", ha="left" if hi < 0.9 else "right")
    ax.set_yticks(y, list(table["event"]))
    ax.set_xlim(0, 1)
    ax.set_xlabel("probability (share of runs; bars = 95% interval)")
    if title:
        ax.set_title(title)
    return {"bars": bars, "errorbars": eb}


def tornado_chart(
    ax: Axes,
    table: pd.DataFrame,
    *,
    max_rows: int | None = 12,
    unit: str = "",
    title: str | None = None,
    quarters: bool = False,
) -> dict:
    """Tornado: outcome at each input's low and high value, largest swing on top.

    Parameters
    ----------
    ax : Axes
    table : DataFrame
        :func:`analysis.sensitivity.tornado` output (sorted by swing).
    max_rows : int, optional
        Show only the largest swings.
    unit : str
        x-axis label (the outcome's unit).
    quarters : bool
        The outcome is a decimal year of a quarter: label the x ticks ``2027Q3`` (and the
        central value likewise).

    Returns
    -------
    dict with ``low`` and ``high`` (BarContainer), ``base`` (Line2D) and ``base_label`` (Text).
    """
    t = table.head(max_rows) if max_rows else table
    base = float(t.attrs.get("base", table.attrs.get("base", t["base"].iloc[0] if len(t) else 0.0)))
    y = np.arange(len(t))[::-1]
    y_low = np.asarray(t["y_low"], float)
    y_high = np.asarray(t["y_high"], float)
    low = ax.barh(
        y, y_low - base, left=base, color=OKABE_ITO["sky_blue"], label="assumption at its low value"
    )
    high = ax.barh(
        y, y_high - base, left=base, color=OKABE_ITO["orange"], label="assumption at its high value"
    )
    line = ax.axvline(base, color=OKABE_ITO["black"], lw=1.2)
    if quarters:
        ends = np.concatenate([y_low, y_high, [base]])
        use_quarter_ticks(ax.xaxis, step=_quarter_step(ends[np.isfinite(ends)]))
        base_text = quarter_text(base)
    else:
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
        ax.xaxis.set_major_formatter(FormatStrFormatter("%g"))
        base_text = f"{base:.3g}"
    base_label = ax.annotate(
        f"all central: {base_text}",
        (base, 0.0),
        xycoords=("data", "axes fraction"),
        xytext=(5, 4),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=11,
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
    )
    ax.set_yticks(y, list(t["label"]))
    ax.set_xlabel(unit or "outcome")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)
    if title:
        ax.set_title(title)
    return {"low": low, "high": high, "base": line, "base_label": base_label}


#: Label of the chance bar beside the Sobol indices.
CHANCE_LABEL = "Chance (Congress's block draws)"


def sobol_bars(
    ax: Axes,
    table: pd.DataFrame,
    *,
    max_rows: int | None = 12,
    title: str | None = None,
    chance_share: float | None = None,
) -> dict:
    """First-order (S1) and total-order (ST) Sobol indices with confidence intervals.

    Rows are sorted by ST (largest on top). The share of the variance due to chance (the
    congressional block draws, not an assumption; :func:`analysis.sensitivity.chance_share`)
    is a grey hatched bar on top, labelled with its percentage, so a reader sees how much of
    the spread no research on the assumptions can remove.

    Parameters
    ----------
    ax : Axes
    table : DataFrame
        :func:`analysis.sensitivity.sobol_indices` output.
    chance_share : float, optional
        Default: ``table.attrs["chance_share"]`` (set by ``model_sobol``); none = no chance bar.

    Returns
    -------
    dict with ``S1`` and ``ST`` (BarContainer), ``chance`` (BarContainer or None) and
    ``chance_label`` (Text or None).
    """
    if chance_share is None:
        chance_share = table.attrs.get("chance_share")
    t = table.sort_values("ST", ascending=False, kind="mergesort")
    if max_rows:
        t = t.head(max_rows)
    y = np.arange(len(t))[::-1]
    chance_bar = chance_text = None
    if chance_share is not None and np.isfinite(chance_share):
        share = float(chance_share)
        chance_bar = ax.barh(
            [len(t)],
            [share],
            height=0.76,
            color=OKABE_ITO["grey"],
            hatch="//",
            edgecolor="white",
            label="due to chance (not an assumption)",
        )
        chance_text = ax.annotate(
            f"{100 * share:.0f}% of the variance",
            (share, len(t)),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            ha="left" if share < 0.7 else "right",
            color="black",
            fontsize=11,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
        )
        if share >= 0.7:
            chance_text.set_position((-4, 0))
    h = 0.38
    st = ax.barh(
        y + h / 2,
        t["ST"],
        height=h,
        color=OKABE_ITO["vermillion"],
        xerr=t["ST_conf"],
        capsize=3,
        label="total (with interactions), ST",
    )
    s1 = ax.barh(
        y - h / 2, t["S1"], height=h, color=OKABE_ITO["blue"], xerr=t["S1_conf"], capsize=3, label="alone, S1"
    )
    ticks, names = list(y), list(t["label"])
    if chance_bar is not None:
        ticks, names = [len(t), *ticks], [CHANCE_LABEL, *names]
    ax.set_yticks(ticks, names)
    ax.set_xlim(min(0.0, float(np.nanmin(t["S1_low"])) if len(t) else 0.0), 1.0)
    ax.set_xlabel("share of the outcome's variance")
    ax.legend(loc="lower right", frameon=False)
    if title:
        ax.set_title(title)
    return {"S1": s1, "ST": st, "chance": chance_bar, "chance_label": chance_text}


def discovery_box(
    ax: Axes, box, *, labels: dict | None = None, only_restricted: bool = False, title: str | None = None
) -> dict:
    """Draw a PRIM box as intervals over each assumption's range, normalised to [0, 1].

    Parameters
    ----------
    ax : Axes
    box : analysis.discovery.Box
    labels : dict, optional
        Plain-language label per assumption name.
    only_restricted : bool
        Show only the assumptions the box restricts.

    Returns
    -------
    dict with ``boxes`` (LineCollection-like list of Line2D) and ``ranges``.
    """
    labels = labels or {}
    lim = box.limits
    if only_restricted:
        lim = lim[lim["restricted"]]
    span = (lim["max"] - lim["min"]).replace(0, 1.0)
    lo = ((lim["low"] - lim["min"]) / span).to_numpy(float)
    hi = ((lim["high"] - lim["min"]) / span).to_numpy(float)
    y = np.arange(len(lim))[::-1]
    ranges = ax.hlines(y, 0, 1, color=OKABE_ITO["grey"], lw=8, alpha=0.35)
    inside = []
    for yi, a, b, r, (_, row) in zip(y, lo, hi, lim["restricted"], lim.iterrows()):
        colour = OKABE_ITO["vermillion"] if r else OKABE_ITO["grey"]
        # a box that keeps a single value of a discrete assumption is drawn as a diamond
        (ln,) = ax.plot(
            [a, b], [yi, yi], color=colour, lw=8, solid_capstyle="butt", marker="D" if a == b else None, ms=12
        )
        inside.append(ln)
        if r:
            if a == b:
                ax.text(a, yi + 0.25, f"{row['low']:.3g}", ha="center", fontsize=12)
            else:
                ax.text(a, yi + 0.25, f"{row['low']:.3g}", ha="left", fontsize=12)
                ax.text(b, yi + 0.25, f"{row['high']:.3g}", ha="right", fontsize=12)
    ax.set_yticks(y, [labels.get(n, n) for n in lim.index])
    ax.set_xlim(-0.05, 1.05)
    ax.set_xticks([0, 1], ["lowest drawn", "highest drawn"])
    ax.set_ylim(-0.7, len(lim) - 0.2)
    ax.set_title(title or f"coverage {100 * box.coverage:.0f}%, density {100 * box.density:.0f}%")
    return {"boxes": inside, "ranges": ranges}


def convergence_plot(ax: Axes, table: pd.DataFrame, *, label: str = "", colour: str | None = None) -> dict:
    """Estimate of a probability against the number of runs, with its 95% interval.

    Parameters
    ----------
    table : DataFrame
        :func:`analysis.ensembles.convergence` output (``n p low high``).
    """
    colour = colour or OKABE_ITO["blue"]
    band = ax.fill_between(table["n"], table["low"], table["high"], color=colour, alpha=0.25, lw=0)
    (line,) = ax.plot(table["n"], table["p"], marker="o", color=colour, label=label or None)
    ax.set_xscale("log")
    ax.set_xlabel("number of runs")
    ax.set_ylabel("estimated probability")
    return {"line": line, "band": band}
