"""Figures of the model's three headline mechanisms (issue 10).

- :func:`timing_ruler` -- India: when returned units could be in India against when export
  production alone would finish India's order (why a return moves India's last squadron, or not);
- :func:`milestone_odds_chart` -- the US track: each milestone's chance of happening within the
  horizon, with its median date over the draws and the single run's date (if not blocked);
- :func:`deal_balance` -- Russia's side: value of regained battalions against the refund and
  what it forgoes, for one or several scenarios;
- :func:`depletion_chart` -- Russia's stock against its home requirement under each course of
  the war.

Each function takes an Axes and data computed by the model or analysis layer, draws, and returns
the artists it made (for tests); it never runs the model.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from s400lab.plots.style import ACTOR_COLOURS, OKABE_ITO, quarter_text, use_quarter_ticks

__all__ = ["deal_balance", "deal_table", "depletion_chart", "milestone_odds_chart", "timing_ruler"]

_LANES = {
    "returned": ("Returned Turkish units", ACTOR_COLOURS["Russia"]),
    "india": ("India's squadrons", ACTOR_COLOURS["India"]),
}
_MARKERS = {
    "agreement": "|",
    "left_turkiye": "s",
    "usable": "o",
    "in_india": "D",
    "last_from_production": "^",
    "last_squadron": "*",
}


def timing_ruler(ax: Axes, timing: pd.DataFrame, *, title: str | None = None) -> dict:
    """Two lanes on a quarter axis: the returned units' path and India's squadrons.

    Parameters
    ----------
    ax : Axes
    timing : DataFrame
        :func:`s400lab.model.india_timing` output (index = event; ``lane label t``), with its
        ``attrs["verdict"]`` printed under the ruler.
    title : str, optional

    Returns
    -------
    dict with ``points`` (event -> Line2D; events without a date are skipped), ``gap`` (the
    arrow between "could be in India" and "next squadron from production", or None) and
    ``verdict`` (Text).
    """
    points = {}
    lanes = list(_LANES)
    for event, row in timing.iterrows():
        if not np.isfinite(row["t"]):
            continue
        y = lanes.index(row["lane"])
        colour = _LANES[row["lane"]][1]
        (pt,) = ax.plot(
            [row["t"]],
            [y],
            marker=_MARKERS.get(event, "o"),
            ms=14,
            ls="none",
            color=colour,
            label=f"{row['label']} ({quarter_text(row['t'])})",
        )
        points[event] = pt
    for lane, (_name, colour) in _LANES.items():
        t = timing.loc[timing["lane"] == lane, "t"].dropna()
        if len(t) > 1:
            ax.plot([t.min(), t.max()], [lanes.index(lane)] * 2, color=colour, lw=3, alpha=0.4)
    gap = None
    a, b = timing["t"].get("in_india", np.nan), timing["t"].get("last_from_production", np.nan)
    if np.isfinite(a) and np.isfinite(b):
        gap = ax.annotate(
            "",
            xy=(b, 0.5),
            xytext=(a, 0.5),
            arrowprops=dict(arrowstyle="<->", color=OKABE_ITO["black"], lw=1.5),
        )
        early = a <= b
        ax.text(
            (a + b) / 2,
            0.58,
            f"{abs(b - a) * 4:.0f} quarter(s) " + ("early" if early else "too late"),
            ha="center",
            color=OKABE_ITO["bluish_green"] if early else OKABE_ITO["vermillion"],
        )
    ax.set_yticks(range(len(lanes)), [_LANES[k][0] for k in lanes])
    ax.set_ylim(-0.7, len(lanes) - 0.3)
    ax.set_xlabel("quarter")
    use_quarter_ticks(ax.xaxis, step=0.25 if np.ptp(timing["t"].dropna()) <= 2.5 else 0.5)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize="small")
    verdict = ax.text(
        0.0, -0.32, timing.attrs.get("verdict", ""), transform=ax.transAxes, ha="left", va="top", wrap=True
    )
    if title:
        ax.set_title(title)
    return {"points": points, "gap": gap, "verdict": verdict}


def milestone_odds_chart(ax: Axes, odds: pd.DataFrame, *, title: str | None = None) -> dict:
    """Bars of each milestone's chance within the horizon, labelled with the median date of the
    draws that reach it and the single run's date ("if not blocked" for a US milestone).

    Parameters
    ----------
    ax : Axes
    odds : DataFrame
        :func:`s400lab.analysis.ensembles.milestone_odds` output (``label p_within
        central_label median_label``).

    Returns
    -------
    dict with ``bars`` (BarContainer) and ``labels`` (list of Text).
    """
    y = np.arange(len(odds))[::-1]
    p = np.asarray(odds["p_within"], dtype=float)
    bars = ax.barh(y, p, color=ACTOR_COLOURS["United States"], alpha=0.85)
    labels = []
    for yi, pi, c, m in zip(y, p, odds["central_label"], odds["median_label"], strict=False):
        text = f"{100 * pi:.0f}%  (median of draws: {m}; single run: {c})"
        labels.append(ax.text(0.01, yi, text, va="center", ha="left"))
    ax.set_yticks(y, list(odds["label"]))
    ax.set_xlim(0, 1)
    ax.set_xlabel("chance it happens within the horizon (share of draws)")
    if title:
        ax.set_title(title)
    return {"bars": bars, "labels": labels}


def deal_balance(ax: Axes, table: pd.DataFrame, *, title: str | None = None) -> dict:
    """Russia's view of a deal: value regained (+), refund and value forgone (-), net (marker).

    Parameters
    ----------
    ax : Axes
    table : DataFrame
        One row per scenario (index = label) with columns ``value`` (unit value x returned
        battalions), ``refund`` (refund owed for the whole deal), ``forgone`` and ``net``
        (:func:`deal_table` builds it from runs).

    Returns
    -------
    dict with ``bars`` (list of BarContainer) and ``net`` (Line2D).
    """
    y = np.arange(len(table))[::-1]
    value = np.asarray(table["value"], float)
    refund = -np.asarray(table["refund"], float)
    forgone = -np.asarray(table["forgone"], float)
    bars = [
        ax.barh(
            y, value, color=ACTOR_COLOURS["Russia"], alpha=0.8, label="battalions regained (with scarcity)"
        ),
        ax.barh(y, refund, color=ACTOR_COLOURS["Turkiye"], alpha=0.8, label="refund paid"),
        ax.barh(y, forgone, left=refund, color=OKABE_ITO["grey"], alpha=0.8, label="leverage forgone"),
    ]
    (net,) = ax.plot(
        table["net"], y, marker="D", ms=12, ls="none", color=OKABE_ITO["black"], label="net for Russia"
    )
    for yi, n in zip(y, table["net"], strict=False):
        # black on a white box above the bars (never orange on the orange refund bar); the
        # sign says which way the deal goes for Russia
        ax.text(
            n,
            yi + 0.42,
            f"net {n:+.2f}",
            ha="center",
            va="bottom",
            color=OKABE_ITO["black"],
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.9},
        )
    ax.axvline(0, color=OKABE_ITO["black"], lw=1)
    ax.set_yticks(y, list(table.index))
    ax.set_ylim(-0.6, len(table) - 0.4 + 0.45)  # room for the top bar's label
    ax.set_xlabel("US$ bn (whole deal, undiscounted)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    if title:
        ax.set_title(title)
    return {"bars": bars, "net": net}


def deal_table(results: Mapping[str, object]) -> pd.DataFrame:
    """The input of :func:`deal_balance` from single runs: ``{label: Result}``."""
    rows = {}
    for label, res in results.items():
        o = res.raw_outcomes  # type: ignore[attr-defined]
        v = res.scenario.values  # type: ignore[attr-defined]
        net, forgone = o["ru_deal_net_usd_bn"], o["ru_forgone_usd_bn"]
        ru_max = o.get("ru_max_usd_bn", float("nan"))
        if np.isfinite(ru_max):  # v3: the units' worth to Russia, scarcity premium included
            value = float(ru_max) + forgone
        else:  # no return at stake (a transfer): nothing regained
            value = float(v["unit_value_usd_bn"]) * o["returned_to_russia"]
        rows[label] = {"value": value, "refund": value - forgone - net, "forgone": forgone, "net": net}
    return pd.DataFrame.from_dict(rows, orient="index")


def depletion_chart(
    ax: Axes,
    bands: Mapping[str, pd.DataFrame],
    requirement: Mapping[str, float] | None = None,
    *,
    start: float | None = None,
    title: str | None = None,
) -> dict:
    """Median and 90% band of Russia's stock for several courses of the war.

    Parameters
    ----------
    ax : Axes
    bands : mapping of str to DataFrame
        Course label -> ``Ensemble.bands("ru_stock")``.
    requirement : mapping of str to float, optional
        Course label -> median home requirement (dashed line of the same colour).
    start : float, optional
        The stock at the start (a grey line: below it = depletion).

    Returns
    -------
    dict with ``medians`` (label -> Line2D) and ``bands`` (label -> PolyCollection).
    """
    colours = [
        OKABE_ITO["bluish_green"],
        OKABE_ITO["blue"],
        OKABE_ITO["vermillion"],
        OKABE_ITO["reddish_purple"],
    ]
    medians, fills = {}, {}
    for (label, b), colour in zip(bands.items(), colours, strict=False):
        t = np.asarray(b["t"], dtype=float)
        fills[label] = ax.fill_between(t, b["q05"], b["q95"], color=colour, alpha=0.15, lw=0)
        (medians[label],) = ax.plot(t, b["q50"], color=colour, lw=3, label=f"{label}: median stock")
        if requirement and label in requirement:
            ax.axhline(requirement[label], color=colour, ls="--", lw=1.5)
    if start is not None:
        ax.axhline(start, color=OKABE_ITO["grey"], lw=1.5, label="stock at the start")
    ax.set_xlabel("year")
    ax.set_ylabel("battalions")
    ax.legend(loc="upper left", frameon=False, fontsize="small")
    if title:
        ax.set_title(title)
    return {"medians": medians, "bands": fills}
