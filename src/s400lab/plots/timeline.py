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
  known: the marker sits in the middle of that month/year and the bar spans all of it;
* titles are written next to a few markers (all of them only when few events are shown); in a
  crowded lane the markers get numbers instead and the titles go to a numbered key under the
  axes. Titles never overlap, and leader lines are vertical, so they never cross.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.font_manager import FontProperties
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Annotation
from matplotlib.textpath import text_to_path

from s400lab.analysis.events import precision_span  # re-exported for plots.deals and older code
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
        Event titles written next to their markers (``label_style="inline"``).
    numbers : list of Annotation
        Numbers written next to the markers (``label_style="numbered"``).
    key : list of Annotation
        The numbered key under the axes: a number and a ``date  title`` text per event.
    highlight : PathCollection or None
        The ring around a highlighted event.
    legends : list of Legend
        The actor legend and the grade legend.
    event_ids : list of str
        The ids of the plotted events, in plotting order.
    labelled_ids : list of str
        The ids of the labelled events (same order as ``labels`` or ``numbers``).
    label_style : str
        ``"inline"`` or ``"numbered"``: how the labels were drawn (``""`` if none).
    """

    points: dict[str, PathCollection] = field(default_factory=dict)
    spans: LineCollection | None = None
    labels: list[Annotation] = field(default_factory=list)
    numbers: list[Annotation] = field(default_factory=list)
    key: list[Annotation] = field(default_factory=list)
    highlight: PathCollection | None = None
    legends: list[Legend] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)
    labelled_ids: list[str] = field(default_factory=list)
    label_style: str = ""

    @property
    def n_points(self) -> int:
        """Number of event markers drawn (highlight ring excluded)."""
        return int(sum(len(c.get_offsets()) for c in self.points.values()))


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
    label_style: str = "auto",
    fontsize: float = 10.0,
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
        Titles are written for every event only when at most this many events are shown;
        otherwise only the events in ``label_ids`` (and ``highlight``) are labelled, so a
        projected chart never turns into a smear of text.
    label_ids : list of str, optional
        Events to label whatever their number (a curated subset).
    highlight : str, optional
        An event id to ring and label (e.g. the event chosen in the sources view).
    label_width : int
        Titles longer than this are shortened with an ellipsis.
    label_style : {"auto", "inline", "numbered"}
        ``"inline"`` writes each title next to its marker, stacked in tiers above and below
        the lane; a title in an outer tier hangs on a vertical leader line that starts at its
        own marker, and no title covers another title or another title's leader.
        ``"numbered"`` writes a small number by each marker and the titles, with their dates,
        in a numbered key under the axes (for crowded lanes on a projector).
        ``"auto"`` (default) uses ``"inline"`` when every title fits that way and
        ``"numbered"`` otherwise; it never mixes the two.
    fontsize : float
        Size of the titles (points).
    legend : bool
        Draw the actor and grade legends outside the right edge of the axes.

    Returns
    -------
    TimelineArtists
        The drawn collections, labels and legends.
    """
    if lanes not in ("actor", "event_type"):
        raise ValueError(f"lanes must be 'actor' or 'event_type', not {lanes!r}")
    if label_style not in ("auto", "inline", "numbered"):
        raise ValueError(f"label_style must be 'auto', 'inline' or 'numbered', not {label_style!r}")
    out = TimelineArtists()
    ev = events[events["date"].notna()].reset_index(drop=True)
    if ev.empty:
        _say_empty(ax)
        return out
    pos = _positions(ev, lanes)
    colours = np.array([_colour(a) for a in ev["actor"]], dtype=object)
    grade = ev["confidence"].astype(str).to_numpy()
    out.event_ids = [str(i) for i in ev["event_id"]]
    _draw_markers(ax, out, pos, colours, grade)
    _date_axis(ax, pos)
    if highlight is not None and str(highlight) in out.event_ids:
        i = out.event_ids.index(str(highlight))
        out.highlight = ax.scatter(
            [pos.x[i]],
            [pos.y[i]],
            s=420,
            facecolors="none",
            edgecolors=OKABE_ITO["black"],
            linewidths=2.0,
            zorder=5,
        )
    if legend:
        out.legends = _legends(ax, ev["actor"], grade, bool((~pos.exact).any()))

    wanted = set(label_ids or [])
    if highlight is not None:
        wanted.add(str(highlight))
    chosen = [i for i, eid in enumerate(out.event_ids) if len(ev) <= max_labels or eid in wanted]
    if chosen:
        _label_events(ax, out, ev, chosen, pos, colours, label_style, label_width, fontsize)
    return out


@dataclass
class _Positions:
    """Where each event sits: its date span ``x0``-``x1`` (Matplotlib date numbers), whether
    the day is known, the marker's ``x`` and lane ``y``, and the lane names in order."""

    x0: np.ndarray
    x1: np.ndarray
    exact: np.ndarray
    x: np.ndarray
    y: np.ndarray
    order: list[str]


def _positions(ev: pd.DataFrame, lanes: str) -> _Positions:
    start, end = precision_span(ev["date"], ev["date_precision"])
    x0 = mdates.date2num(start.to_numpy())
    x1 = mdates.date2num(end.to_numpy())
    exact = ev["date_precision"].fillna("day").astype(str).eq("day").to_numpy()
    # an exact date sits on its day; an imprecise one in the middle of its month/year
    x = np.where(exact, x0, (x0 + x1) / 2.0)
    order = _lane_order(ev[lanes], lanes)
    y = ev[lanes].astype(str).map({name: i for i, name in enumerate(order)}).to_numpy(float)
    return _Positions(x0, x1, exact, x, y, order)


def _say_empty(ax: Axes) -> None:
    ax.text(
        0.5,
        0.5,
        "No events match the filters",
        ha="center",
        va="center",
        transform=ax.transAxes,
        fontsize=14,
        color=OKABE_ITO["grey"],
    )
    ax.set_yticks([])


def _draw_markers(ax: Axes, out: TimelineArtists, pos: _Positions, colours, grade) -> None:
    """Bars over imprecise dates, then one scatter per (grade, precision): filled markers for
    a known day, hollow ones for a month or a year."""
    exact, x, y = pos.exact, pos.x, pos.y
    if (~exact).any():
        segs = [[(a, yy), (b, yy)] for a, b, yy in zip(pos.x0[~exact], pos.x1[~exact], y[~exact])]
        out.spans = LineCollection(
            segs, colors=list(colours[~exact]), linewidths=4, alpha=0.45, capstyle="butt", zorder=2
        )
        ax.add_collection(out.spans)
    for g in list(CONFIDENCE_ORDER) + sorted(set(grade) - set(CONFIDENCE_ORDER)):
        marker = CONFIDENCE_MARKERS.get(g, "D")
        for kind, mask_kind in (("day", exact), ("approx", ~exact)):
            m = (grade == g) & mask_kind
            if not m.any():
                continue
            cols = list(colours[m])
            if kind == "day":
                coll = ax.scatter(
                    x[m], y[m], s=90, marker=marker, c=cols, edgecolors="white", linewidths=0.8, zorder=3
                )
            else:
                coll = ax.scatter(
                    x[m],
                    y[m],
                    s=90,
                    marker=marker,
                    facecolors="white",
                    edgecolors=cols,
                    linewidths=2.0,
                    zorder=3,
                )
            coll.set_gid(f"{g}/{kind}")
            out.points[f"{g}/{kind}"] = coll


def _date_axis(ax: Axes, pos: _Positions) -> None:
    """Lanes top to bottom, a padded date axis with concise date ticks."""
    ax.set_yticks(range(len(pos.order)), pos.order)
    ax.set_ylim(len(pos.order) - 0.3, -0.7)  # first lane on top
    pad = max(30.0, 0.03 * (pos.x1.max() - pos.x0.min()))
    ax.set_xlim(pos.x0.min() - pad, pos.x1.max() + pad)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.grid(True, axis="x", alpha=0.3)
    ax.grid(False, axis="y")


def _label_events(
    ax: Axes,
    out: TimelineArtists,
    ev: pd.DataFrame,
    chosen: list[int],
    pos: _Positions,
    colours,
    label_style: str,
    label_width: int,
    fontsize: float,
) -> None:
    """Write the chosen events' titles inline if they all fit (or ``label_style`` says so),
    else numbers by the markers and a numbered key under the axes."""
    titles = [_shorten(ev.at[i, "title"], label_width) for i in chosen]
    xs, ys = pos.x[chosen], pos.y[chosen]
    n_lanes = len(pos.order)
    style = label_style
    # settle the layout (legends, tick labels) first, so that labels are laid out in points
    # on the axes' final size
    _settle_layout(ax)
    if style != "numbered":
        layout = _layout_labels(ax, titles, xs, ys, n_lanes=n_lanes, fontsize=fontsize)
        if style == "auto" and not all(p.fits for p in layout):
            style = "numbered"
        else:
            style = "inline"
            out.labels = [
                _draw_label(ax, t, xx, yy, p, fontsize=fontsize)
                for t, xx, yy, p in zip(titles, xs, ys, layout)
            ]
    if style == "numbered":
        rank = np.argsort(np.argsort(xs, kind="stable"), kind="stable")  # numbers in date order
        numbers = [str(r + 1) for r in rank]
        cols = [colours[i] for i in chosen]
        dates = [format_date(ev.at[i, "date"], ev.at[i, "date_precision"]) for i in chosen]
        full = [str(ev.at[i, "title"]) for i in chosen]  # the key has room for whole titles
        out.key = _draw_key(ax, numbers, dates, full, cols, fontsize=fontsize)
        _settle_layout(ax)
        layout = _layout_labels(ax, numbers, xs, ys, n_lanes=n_lanes, fontsize=fontsize, number=True)
        out.numbers = [
            _draw_label(ax, t, xx, yy, p, fontsize=fontsize, edge=c)
            for t, xx, yy, p, c in zip(numbers, xs, ys, layout, cols)
        ]
    out.label_style = style
    out.labelled_ids = [out.event_ids[i] for i in chosen]


def _settle_layout(ax: Axes) -> None:
    """Let a layout engine (constrained/tight) place the axes before labels are measured."""
    fig = ax.get_figure(root=True)
    if fig is not None and fig.get_layout_engine() is not None:
        fig.draw_without_rendering()


@dataclass(frozen=True)
class _Slot:
    """Where one label goes: side (+1 above, -1 below), tier (1 = next to the marker),
    direction (+1 runs right of the marker, -1 left) and whether it found a free place."""

    side: int
    tier: int
    direction: int
    fits: bool


def _text_width(text: str, fontsize: float, *, bold: bool = False) -> float:
    """Width of a one-line text in points (measured with the font, not guessed)."""
    prop = FontProperties(size=fontsize, weight="bold" if bold else "normal")
    w, _h, _d = text_to_path.get_text_width_height_descent(text, prop, ismath=False)
    return float(w)


def _fit_text(text: str, width_pt: float, fontsize: float) -> str:
    """Shorten ``text`` with an ellipsis until it is at most ``width_pt`` points wide."""
    if _text_width(text, fontsize) <= width_pt:
        return text
    lo, hi = 1, len(text)
    while lo < hi:  # the longest prefix that fits
        mid = (lo + hi + 1) // 2
        if _text_width(_shorten(text, mid), fontsize) <= width_pt:
            lo = mid
        else:
            hi = mid - 1
    return _shorten(text, lo)


#: Distance (points) from a marker's centre to its tier-1 label, and the gap between labels.
_FIRST_OFFSET = 7.0
_GAP = 4.0
_EDGE = 1.0


def _tier_step(fontsize: float) -> float:
    return 1.75 * fontsize  # a box is ~1.45 font sizes tall (text + padding): no touching


def _layout_labels(
    ax: Axes,
    texts: list[str],
    xs: np.ndarray,
    ys: np.ndarray,
    *,
    n_lanes: int,
    fontsize: float,
    number: bool = False,
) -> list[_Slot]:
    """Choose a slot for every label so that no two labels overlap and no leader crosses a label.

    A greedy layout in points: a label starts (or ends) at its marker's x and sits in the first
    free tier of its lane (above 1, below 1, above 2, ...). Its leader line is vertical, at the
    marker's x, from the marker to the label, so leaders never cross each other; a slot is free
    when the label's extent hits no label in that tier, covers no leader passing through that
    tier, and its own leader passes through no label of the inner tiers. Markers are taken
    right to left (a staircase: the earlier event's title sits further out, its leader clear of
    the later titles) and left to right; the order that fits more labels wins.
    """
    fig = ax.get_figure(root=True)
    pos = ax.get_position()
    width_pt = pos.width * fig.get_figwidth() * 72.0
    lane_pt = pos.height * fig.get_figheight() * 72.0 / max(n_lanes + 0.4, 1)
    step = _tier_step(fontsize)
    n_tiers = max(1, int((lane_pt / 2 - _FIRST_OFFSET - 0.5 * fontsize) // step) + 1)
    lo, hi = ax.get_xlim()
    scale = width_pt / (hi - lo) if hi > lo else 1.0
    xp = (np.asarray(xs, float) - lo) * scale
    pad = 0.3 * fontsize  # the label's box padding on each side
    widths = [_text_width(t, fontsize, bold=number) + 2 * pad for t in texts]
    candidates = [
        _greedy(order, xp, ys, widths, width_pt, n_tiers)
        for order in (np.argsort(-xp, kind="stable"), np.argsort(xp, kind="stable"))
    ]
    # most labels that fit, then the lowest tiers; the first order wins a tie
    return max(candidates, key=lambda slots: (sum(s.fits for s in slots), -sum(s.tier for s in slots)))


def _greedy(order, xp, ys, widths, width_pt, n_tiers) -> list[_Slot]:
    spans: dict[tuple[float, int, int], list[tuple[float, float]]] = {}
    leaders: dict[tuple[float, int, int], list[float]] = {}
    slots: list[_Slot | None] = [None] * len(xp)
    for j in order:
        x, w, lane = xp[j], widths[j], ys[j]
        placed: tuple[int, int, int, tuple[float, float]] | None = None
        for k in range(1, n_tiers + 1):
            for side in (1, -1):
                for direction in (1, -1):
                    ext = (x, x + w) if direction > 0 else (x - w, x)
                    if ext[0] < 0 or ext[1] > width_pt:
                        continue
                    key = (lane, side, k)
                    if any(a < ext[1] + _GAP and b > ext[0] - _GAP for a, b in spans.get(key, [])):
                        continue
                    # a leader may run along a label's edge (same-day events), never through it
                    if any(ext[0] + _EDGE < lx < ext[1] - _EDGE for lx in leaders.get(key, [])):
                        continue
                    if any(
                        a + _EDGE < x < b - _EDGE
                        for kk in range(1, k)
                        for a, b in spans.get((lane, side, kk), [])
                    ):
                        continue
                    placed = (side, k, direction, ext)
                    break
                if placed:
                    break
            if placed:
                break
        fits = placed is not None
        if placed is None:  # no free slot: the emptiest tier-1 slot, flagged as not fitting
            side = min((1, -1), key=lambda s: len(spans.get((lane, s, 1), [])))
            direction = 1 if x + w <= width_pt else -1
            ext = (x, x + w) if direction > 0 else (x - w, x)
            placed = (side, 1, direction, ext)
        side, k, direction, ext = placed
        spans.setdefault((lane, side, k), []).append(ext)
        for kk in range(1, k):
            leaders.setdefault((lane, side, kk), []).append(x)
        slots[j] = _Slot(side, k, direction, fits)
    return slots  # type: ignore[return-value]


def _draw_label(
    ax: Axes, text: str, x: float, y: float, slot: _Slot, *, fontsize: float, edge: str | None = None
) -> Annotation:
    """Write one label in its slot, with a vertical leader line for an outer tier."""
    dy = slot.side * (_FIRST_OFFSET + _tier_step(fontsize) * (slot.tier - 1))
    below = slot.side < 0
    leftwards = slot.direction < 0
    arrow = None
    if slot.tier > 1:
        # from the label's corner at the marker's x straight down (or up) to the marker
        arrow = {
            "arrowstyle": "-",
            "color": "#777777",
            "lw": 0.8,
            "shrinkA": 0,
            "shrinkB": 6,
            "relpos": (1.0 if leftwards else 0.0, 1.0 if below else 0.0),
        }
    box = {
        "boxstyle": "round,pad=0.3",
        "fc": "white",
        "ec": edge or "none",
        "lw": 1.2 if edge else 0,
        "alpha": 0.9,
    }
    ann = ax.annotate(
        text,
        (x, y),
        xytext=(-0.3 * fontsize if leftwards else 0.3 * fontsize, dy),
        textcoords="offset points",
        fontsize=fontsize,
        fontweight="bold" if edge else "normal",
        ha="right" if leftwards else "left",
        va="top" if below else "bottom",
        zorder=4,
        arrowprops=arrow,
        bbox=box,
        annotation_clip=False,
    )
    ann.set_in_layout(False)  # labels sit inside the axes; never let them shrink it
    ann.set_gid("timeline-label")
    return ann


def _draw_key(
    ax: Axes, numbers: list[str], dates: list[str], titles: list[str], colours: list[str], *, fontsize: float
) -> list[Annotation]:
    """The numbered key under the axes: ``n  date  title``, in date order, in columns.

    One column for up to four entries, two up to 16, three beyond; a title is shortened with
    an ellipsis only when it does not fit its column.
    """
    order = sorted(range(len(numbers)), key=lambda i: int(numbers[i]))
    n = len(order)
    fig = ax.get_figure(root=True)
    width_pt = ax.get_position().width * fig.get_figwidth() * 72.0
    ncols = 1 if n <= 4 else 2 if n <= 16 else 3
    nrows = int(np.ceil(n / ncols))
    indent = 2.6 * fontsize  # room for the boxed number
    col_pt = width_pt / ncols - indent - 1.5 * fontsize
    line = 1.75 * fontsize
    top = -3.4 * fontsize - 14.0  # below the tick labels and the date formatter's offset
    out: list[Annotation] = []
    for pos, i in enumerate(order):
        col, row = divmod(pos, nrows)
        xy = (col / ncols, 0.0)
        dy = top - row * line
        num = ax.annotate(
            numbers[i],
            xy,
            xycoords="axes fraction",
            xytext=(0, dy),
            textcoords="offset points",
            fontsize=fontsize,
            fontweight="bold",
            ha="left",
            va="top",
            annotation_clip=False,
            bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": colours[i], "lw": 1.2},
        )
        text = _fit_text(f"{dates[i]}  {titles[i]}", col_pt, fontsize)
        txt = ax.annotate(
            text,
            xy,
            xycoords="axes fraction",
            xytext=(indent, dy),
            textcoords="offset points",
            fontsize=fontsize,
            ha="left",
            va="top",
            annotation_clip=False,
        )
        num.set_gid("timeline-key")
        txt.set_gid("timeline-key")
        out += [num, txt]
    return out


def _legends(ax: Axes, actors: pd.Series, grades: np.ndarray, any_approx: bool) -> list[Legend]:
    present = [a for a in ACTOR_COLOURS if a in set(actors.astype(str))]
    present += sorted(set(actors.astype(str)) - set(present))
    handles = [Patch(facecolor=_colour(a), edgecolor="none", label=a) for a in present]
    actor_leg = ax.legend(
        handles=handles, title="Actor", loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False
    )
    ax.add_artist(actor_leg)
    g_handles = [
        Line2D([], [], ls="", marker=CONFIDENCE_MARKERS.get(g, "D"), color="black", markersize=9, label=g)
        for g in CONFIDENCE_ORDER
        if g in set(grades)
    ]
    if any_approx:
        g_handles.append(
            Line2D(
                [],
                [],
                ls="-",
                lw=4,
                alpha=0.45,
                color="black",
                marker="o",
                markerfacecolor="white",
                markersize=9,
                label="month/year only",
            )
        )
    grade_leg = ax.legend(
        handles=g_handles, title="Confidence", loc="lower left", bbox_to_anchor=(1.01, 0.0), frameon=False
    )
    return [actor_leg, grade_leg]
