"""The background timeline: dated events in lanes, with confidence grades and date precision.

Every function takes an :class:`~matplotlib.axes.Axes` and a DataFrame shaped like
``data/events.csv`` (see docs/architecture.md) and returns the artists it drew, so that a
caller (a notebook, the :mod:`s400lab.ui.timeline` explorer, a test) decides what to do next.

Reading the chart
-----------------
* one horizontal lane per actor (or per event type), colour = actor (Okabe-Ito);
* marker shape = confidence grade (``o`` official, ``s`` reported, ``^`` claimed, ``X`` disputed),
  so the grade reads without colour;
* a filled marker = the day is known; a hollow marker with a bar = only the month or the year is
  known: the marker sits in the middle of that month/year and the bar spans all of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Annotation

from s400lab.plots.style import ACTOR_COLOURS, CONFIDENCE_MARKERS, OKABE_ITO

#: Grade order used in legends and filters (strongest evidence first).
CONFIDENCE_ORDER = ("official", "reported", "claimed", "disputed")

#: Default fallback colour for an actor missing from ACTOR_COLOURS.
_FALLBACK_COLOUR = OKABE_ITO["grey"]


@dataclass
class TimelineArtists:
    """What :func:`plot_timeline` drew.

    Attributes
    ----------
    points : dict of str -> PathCollection
        One scatter collection per (grade, precision) key, e.g. ``"official/day"`` or
        ``"claimed/approx"`` (hollow markers: month or year precision).
    spans : LineCollection or None
        Horizontal bars spanning the month/year of imprecise dates.
    labels : list of Annotation
        Event titles written next to their markers.
    highlight : PathCollection or None
        The ring around a highlighted event.
    legends : list of Legend
        The actor legend and the grade legend.
    event_ids : list of str
        The ids of the plotted events, in plotting order.
    """

    points: dict[str, PathCollection] = field(default_factory=dict)
    spans: LineCollection | None = None
    labels: list[Annotation] = field(default_factory=list)
    highlight: PathCollection | None = None
    legends: list[Legend] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)

    @property
    def n_points(self) -> int:
        """Number of event markers drawn (highlight ring excluded)."""
        return int(sum(len(c.get_offsets()) for c in self.points.values()))


def precision_span(dates: pd.Series, precision: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return the interval ``[start, end)`` that a date of a given precision stands for.

    Parameters
    ----------
    dates : Series of datetime64
        Stored dates (month precision = 1st of the month, year precision = 1 January).
    precision : Series of str
        ``day``, ``month`` or ``year``; anything else (or missing) is treated as ``day``.

    Returns
    -------
    start, end : Series of datetime64
        ``start`` is the start of the day/month/year, ``end`` the start of the next one.
    """
    dates = pd.to_datetime(pd.Series(dates)).reset_index(drop=True)
    prec = pd.Series(precision, dtype=object).reset_index(drop=True).fillna("day").astype(str)
    day_start = dates.dt.normalize()
    month_start = dates.dt.to_period("M").dt.start_time
    year_start = dates.dt.to_period("Y").dt.start_time
    start = day_start.where(prec.eq("day") | ~prec.isin(["month", "year"]), month_start)
    start = start.where(~prec.eq("year"), year_start)
    end = day_start + pd.Timedelta(days=1)
    end = end.where(~prec.eq("month"), (dates.dt.to_period("M") + 1).dt.start_time)
    end = end.where(~prec.eq("year"), (dates.dt.to_period("Y") + 1).dt.start_time)
    return start, end


def format_date(date, precision) -> str:
    """Write a date as precisely as it is known: ``2019-07-12``, ``2019-07`` or ``2019``."""
    if date is None or pd.isna(date):
        return "unknown"
    ts = pd.Timestamp(date)
    if precision == "year":
        return f"{ts.year}"
    if precision == "month":
        return f"{ts.year}-{ts.month:02d}"
    return ts.strftime("%Y-%m-%d")


def _colour(actor) -> str:
    return ACTOR_COLOURS.get(str(actor), _FALLBACK_COLOUR)


def _lane_order(values: pd.Series, lanes: str) -> list[str]:
    present = [str(v) for v in pd.unique(values.dropna())]
    if lanes == "actor":
        known = [a for a in ACTOR_COLOURS if a in present]
        return known + sorted(v for v in present if v not in known)
    return sorted(present)


def _shorten(text: str, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


def plot_timeline(
    ax: Axes,
    events: pd.DataFrame,
    *,
    lanes: str = "actor",
    max_labels: int = 12,
    label_ids: list[str] | None = None,
    highlight: str | None = None,
    label_width: int = 42,
    legend: bool = True,
) -> TimelineArtists:
    """Draw dated events as markers in lanes.

    Parameters
    ----------
    ax : Axes
        Where to draw (the caller owns the figure).
    events : DataFrame
        Rows shaped like ``events.csv``: ``event_id, date, date_precision, title, actor,
        event_type, confidence`` are used.
    lanes : {"actor", "event_type"}
        What each horizontal lane stands for. Colour is always the actor.
    max_labels : int
        Titles are written next to every marker only when at most this many events are shown;
        otherwise only the events in ``label_ids`` (and ``highlight``) are labelled, so a
        projected chart never turns into a smear of text.
    label_ids : list of str, optional
        Events to label whatever their number (a curated subset).
    highlight : str, optional
        An event id to ring and label (e.g. the event chosen in the sources view).
    label_width : int
        Titles longer than this are shortened with an ellipsis.
    legend : bool
        Draw the actor and grade legends outside the right edge of the axes.

    Returns
    -------
    TimelineArtists
        The drawn collections, labels and legends.
    """
    if lanes not in ("actor", "event_type"):
        raise ValueError(f"lanes must be 'actor' or 'event_type', not {lanes!r}")
    out = TimelineArtists()
    ev = events[events["date"].notna()].reset_index(drop=True)
    if ev.empty:
        ax.text(0.5, 0.5, "No events match the filters", ha="center", va="center",
                transform=ax.transAxes, fontsize=14, color=OKABE_ITO["grey"])
        ax.set_yticks([])
        return out

    start, end = precision_span(ev["date"], ev["date_precision"])
    x0 = mdates.date2num(start.to_numpy())
    x1 = mdates.date2num(end.to_numpy())
    exact = ev["date_precision"].fillna("day").astype(str).eq("day").to_numpy()
    # an exact date sits on its day; an imprecise one in the middle of its month/year
    x = np.where(exact, x0, (x0 + x1) / 2.0)
    order = _lane_order(ev[lanes], lanes)
    y = ev[lanes].astype(str).map({name: i for i, name in enumerate(order)}).to_numpy(float)
    colours = np.array([_colour(a) for a in ev["actor"]], dtype=object)
    grade = ev["confidence"].astype(str).to_numpy()
    out.event_ids = [str(i) for i in ev["event_id"]]

    if (~exact).any():
        segs = [[(a, yy), (b, yy)] for a, b, yy in zip(x0[~exact], x1[~exact], y[~exact])]
        out.spans = LineCollection(segs, colors=list(colours[~exact]), linewidths=4,
                                   alpha=0.45, capstyle="butt", zorder=2)
        ax.add_collection(out.spans)

    for g in list(CONFIDENCE_ORDER) + sorted(set(grade) - set(CONFIDENCE_ORDER)):
        marker = CONFIDENCE_MARKERS.get(g, "D")
        for kind, mask_kind in (("day", exact), ("approx", ~exact)):
            m = (grade == g) & mask_kind
            if not m.any():
                continue
            cols = list(colours[m])
            if kind == "day":
                coll = ax.scatter(x[m], y[m], s=90, marker=marker, c=cols,
                                  edgecolors="white", linewidths=0.8, zorder=3)
            else:
                coll = ax.scatter(x[m], y[m], s=90, marker=marker, facecolors="white",
                                  edgecolors=cols, linewidths=2.0, zorder=3)
            coll.set_gid(f"{g}/{kind}")
            out.points[f"{g}/{kind}"] = coll

    ax.set_yticks(range(len(order)), order)
    ax.set_ylim(len(order) - 0.3, -0.7)  # first lane on top
    pad = max(30.0, 0.03 * (x1.max() - x0.min()))
    ax.set_xlim(x0.min() - pad, x1.max() + pad)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.grid(True, axis="x", alpha=0.3)
    ax.grid(False, axis="y")

    wanted = set(label_ids or [])
    if highlight is not None:
        wanted.add(str(highlight))
    chosen = [i for i, eid in enumerate(out.event_ids) if len(ev) <= max_labels or eid in wanted]
    out.labels = _place_labels(ax, [_shorten(ev.at[i, "title"], label_width) for i in chosen],
                               x[chosen], y[chosen], n_lanes=len(order))

    if highlight is not None and str(highlight) in out.event_ids:
        i = out.event_ids.index(str(highlight))
        out.highlight = ax.scatter([x[i]], [y[i]], s=420, facecolors="none",
                                   edgecolors=OKABE_ITO["black"], linewidths=2.0, zorder=5)

    if legend:
        out.legends = _legends(ax, ev["actor"], grade, (~exact).any())
    return out


def _place_labels(ax: Axes, texts: list[str], xs: np.ndarray, ys: np.ndarray, *,
                  n_lanes: int, fontsize: float = 10.0) -> list[Annotation]:
    """Write labels next to their markers in tiers above/below the lane, avoiding overlaps.

    A greedy layout: labels are taken left to right; each goes to the first tier (above 1,
    below 1, above 2, ...) of its lane where its estimated extent does not hit a label already
    placed. Labels in the right 40 % of the axes run leftwards so they stay inside.
    """
    if not texts:
        return []
    fig = ax.get_figure()
    width_pt = ax.get_position().width * fig.get_figwidth() * 72.0
    lane_pt = ax.get_position().height * fig.get_figheight() * 72.0 / max(n_lanes, 1)
    step = fontsize * 1.35
    n_tiers = max(1, int((lane_pt / 2 - 4) // step))  # tiers per side that fit in half a lane
    tiers = [(side, k) for k in range(1, n_tiers + 1) for side in (1, -1)]
    lo, hi = ax.get_xlim()
    scale = width_pt / (hi - lo) if hi > lo else 1.0
    used: dict[tuple[float, int, int], list[tuple[float, float]]] = {}
    out = []
    for j in np.argsort(xs, kind="stable"):
        xp = (xs[j] - lo) * scale
        w = 0.58 * fontsize * len(texts[j]) + 8
        leftwards = xp > 0.6 * width_pt
        span = (xp - w - 4, xp) if leftwards else (xp, xp + w + 4)
        free = [t for t in tiers
                if all(b <= span[0] or a >= span[1] for a, b in used.get((ys[j], *t), []))]
        side, k = free[0] if free else min(tiers, key=lambda t: len(used.get((ys[j], *t), [])))
        used.setdefault((ys[j], side, k), []).append(span)
        dy = side * (4 + step * (k - 1) + (0 if side > 0 else 2))
        out.append(ax.annotate(
            texts[j], (xs[j], ys[j]), xytext=(-4 if leftwards else 4, dy),
            textcoords="offset points", fontsize=fontsize, ha="right" if leftwards else "left",
            va="bottom" if side > 0 else "top", zorder=4,
            arrowprops=None if k == 1 else {"arrowstyle": "-", "color": "#999999", "lw": 0.6},
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8}))
    order = np.argsort(np.argsort(xs, kind="stable"), kind="stable")
    return [out[i] for i in order]


def _legends(ax: Axes, actors: pd.Series, grades: np.ndarray, any_approx: bool) -> list[Legend]:
    present = [a for a in ACTOR_COLOURS if a in set(actors.astype(str))]
    present += sorted(set(actors.astype(str)) - set(present))
    handles = [Patch(facecolor=_colour(a), edgecolor="none", label=a) for a in present]
    actor_leg = ax.legend(handles=handles, title="Actor", loc="upper left",
                          bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.add_artist(actor_leg)
    g_handles = [Line2D([], [], ls="", marker=CONFIDENCE_MARKERS.get(g, "D"), color="black",
                        markersize=9, label=g)
                 for g in CONFIDENCE_ORDER if g in set(grades)]
    if any_approx:
        g_handles.append(Line2D([], [], ls="-", lw=4, alpha=0.45, color="black",
                                marker="o", markerfacecolor="white", markersize=9,
                                label="month/year only"))
    grade_leg = ax.legend(handles=g_handles, title="Confidence", loc="lower left",
                          bbox_to_anchor=(1.01, 0.0), frameon=False)
    return [actor_leg, grade_leg]
