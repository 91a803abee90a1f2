"""Deals, deliveries and India's slippage: the export side of the background.

Each function takes Axes and DataFrames shaped like ``deals.csv``, ``deliveries.csv`` and
``promises.csv`` (docs/architecture.md) and returns a dict of the artists it drew.
An unknown value (empty cell) is written as "unknown", never drawn as zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.cbook import STEP_LOOKUP_MAP
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox

from s400lab.plots.style import ACTOR_COLOURS, CONFIDENCE_MARKERS, OKABE_ITO
from s400lab.plots.timeline import CONFIDENCE_ORDER, precision_span

_GREY = OKABE_ITO["grey"]
#: Colours for the lines of the slippage chart (one per tranche), Okabe-Ito order.
SERIES_COLOURS = [
    OKABE_ITO[k]
    for k in ("orange", "blue", "bluish_green", "vermillion", "reddish_purple", "sky_blue", "black")
]


#: Buyers that are not actors of the timeline still get a colour of their own (Okabe-Ito
#: black: no buyer is NATO); any other buyer is grey.
BUYER_COLOURS = {**ACTOR_COLOURS, "Algeria": OKABE_ITO["black"]}

#: Deal statuses with a signed contract in force (solid bars); every other status -- talks,
#: agreement in principle, rumoured, denied, cancelled -- is drawn as a dashed outline.
SIGNED_STATUSES = ("completed", "in_delivery", "partially_delivered", "signed")


def _buyer_colour(buyer) -> str:
    return BUYER_COLOURS.get(str(buyer), _GREY)


def is_signed(status: pd.Series) -> np.ndarray:
    """True where a deal's ``status`` means a signed contract in force."""
    return pd.Series(status, dtype=object).astype(str).isin(SIGNED_STATUSES).to_numpy()


def _is_variant(df: pd.DataFrame) -> np.ndarray:
    if "variant_of" not in df:
        return np.zeros(len(df), dtype=bool)
    v = df["variant_of"]
    return (v.notna() & v.astype(str).str.strip().ne("")).to_numpy()


def deal_rows(deals: pd.DataFrame) -> pd.DataFrame:
    """Order deals for display: buyers by first signature, each main row followed by its variants.

    Returns a copy with two extra columns: ``is_variant`` (bool) and ``row_label`` (str).
    """
    d = deals.reset_index(drop=True).copy()
    d["is_variant"] = _is_variant(d)
    main_of = d["deal_id"].astype(str).where(~d["is_variant"], d["variant_of"].astype(str))
    d["_main"] = main_of
    first = d.groupby("buyer")["signed_date"].transform("min")
    d["_first"] = first  # NaT (talks, no date) sorts last
    main_date = d.set_index("deal_id")["signed_date"]
    d["_main_date"] = d["_main"].map(main_date)
    d = d.sort_values(
        ["_first", "buyer", "_main_date", "_main", "is_variant", "deal_id"], kind="stable", na_position="last"
    ).reset_index(drop=True)

    def label(r) -> str:
        if r["is_variant"]:
            units, term = r.get("units_reported"), r.get("unit_term")
            count = "" if units is None or pd.isna(units) else f": {units:g}"
            term = "" if term is None or pd.isna(term) else f" {term}"
            return f"   \u21b3 {r['deal_id']}{count}{term}"
        status = str(r["status"]).replace("_", " ")  # "agreement in principle", not "_"
        if pd.isna(r["signed_date"]):  # talks etc.: the id tells rows of one buyer apart
            return f"{r['deal_id']} \u00b7 {status}"
        return f"{r['buyer']} {pd.Timestamp(r['signed_date']).year} \u00b7 {status}"

    d["row_label"] = [label(r) for _, r in d.iterrows()]
    return d.drop(columns=["_main", "_first", "_main_date"])


def plot_deals(ax_battalions: Axes, ax_value: Axes, deals: pd.DataFrame) -> dict:
    """Horizontal bars of battalions and contract value per deal, grouped by buyer.

    Signed contracts (completed, in delivery, partially delivered, signed) are solid bars in
    the buyer's colour; deals without a signed contract in force (talks, agreement in
    principle, rumoured, denied, cancelled) are white bars with a dashed outline in the
    buyer's colour, so a deal still being talked about never looks like a contract. Variant
    rows (conflicting reports of the same deal) are hatched, hollow bars directly under their
    main row.

    Parameters
    ----------
    ax_battalions, ax_value : Axes
        Left panel (battalion-equivalents) and right panel (US$ bn). Share the y axis.
    deals : DataFrame
        Rows shaped like ``deals.csv``.

    Returns
    -------
    dict
        ``battalions`` and ``value`` (BarContainer), ``unknown`` (list of Text written where a
        value is unknown), ``rows`` (the ordered DataFrame from :func:`deal_rows`, with a
        ``signed`` column), ``legend`` (Legend).
    """
    rows = deal_rows(deals)
    rows["signed"] = is_signed(rows["status"])
    y = np.arange(len(rows))
    out: dict = {"rows": rows, "unknown": []}
    for key, ax, col, unit in (
        ("battalions", ax_battalions, "battalions", "battalions"),
        ("value", ax_value, "value_usd_bn", "US$ bn"),
    ):
        out[key] = _deal_bars(ax, rows, col, unit, out["unknown"])
    ax_battalions.set_yticks(y, rows["row_label"])
    ax_battalions.set_ylim(len(rows) - 0.5, -0.5)
    ax_value.set_ylim(len(rows) - 0.5, -0.5)
    ax_value.tick_params(axis="y", labelleft=False)
    ax_battalions.set_title("Battalion-equivalents")
    ax_value.set_title("Contract value")
    out["legend"] = _deals_legend(ax_value)
    return out


def _deal_bars(ax: Axes, rows: pd.DataFrame, col: str, unit: str, unknown: list):
    """One panel of :func:`plot_deals`: a bar per row of column ``col`` (solid = signed,
    dashed outline = not signed, hatched = variant), its value written beside it and
    "unknown" (appended to ``unknown``) where there is none. Returns the BarContainer."""
    y = np.arange(len(rows))
    var = rows["is_variant"].to_numpy()
    signed = rows["signed"].to_numpy()
    colours = [_buyer_colour(b) for b in rows["buyer"]]
    vals = pd.to_numeric(rows[col], errors="coerce").to_numpy(float)
    bars = ax.barh(
        y,
        np.nan_to_num(vals, nan=0.0),
        height=0.7,
        color=[(c if s_ and not v else "white") for v, s_, c in zip(var, signed, colours)],
        edgecolor=colours,
        linewidth=1.5,
    )
    for bar, v, s_ in zip(bars, var, signed):
        if v:
            bar.set_hatch("///")
        if not s_:
            bar.set_linestyle((0, (4, 2)))
            bar.set_linewidth(2.0)
    top = np.nanmax(vals) if np.isfinite(vals).any() else 1.0
    for yi, v, s_ in zip(y, vals, signed):
        if np.isfinite(v):
            ax.text(v + 0.01 * top, yi, f"{v:g}" if s_ else f"{v:g} (not signed)", va="center", fontsize=11)
        else:
            unknown.append(
                ax.text(0.01 * top, yi, "unknown", va="center", fontsize=10, style="italic", color=_GREY)
            )
    ax.set_xlim(0, top * 1.35)
    ax.set_xlabel(unit)
    ax.grid(True, axis="x", alpha=0.3)
    ax.grid(False, axis="y")
    return bars


def _deals_legend(ax: Axes):
    dark = OKABE_ITO["black"]
    return ax.legend(
        handles=[
            Patch(facecolor=_GREY, edgecolor=_GREY, label="signed contract"),
            Patch(
                facecolor="white",
                edgecolor=dark,
                linestyle=(0, (4, 2)),
                linewidth=2.0,
                label="not signed: talks, agreement in\nprinciple, rumoured, denied, cancelled",
            ),
            Patch(facecolor="white", edgecolor=_GREY, hatch="///", label="variant (another source's count)"),
        ],
        loc="lower right",
        frameon=True,
        framealpha=0.95,
        edgecolor="none",
    )


def _mid(dates: pd.Series, precision: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Plot position (middle of an imprecise month/year), span start and end, as date numbers."""
    start, end = precision_span(dates, precision)
    exact = pd.Series(precision, dtype=object).reset_index(drop=True).fillna("day").eq("day")
    s = mdates.date2num(start.to_numpy())
    e = mdates.date2num(end.to_numpy())
    return np.where(exact.to_numpy(), s, (s + e) / 2.0), s, e


def plot_deliveries(
    ax: Axes, deliveries: pd.DataFrame, deals: pd.DataFrame | None = None, *, today=None
) -> dict:
    """Dumbbell chart: planned delivery date -> actual delivery date, one row per tranche.

    Colour = buyer (:data:`BUYER_COLOURS`). A hollow circle marks the planned date, a filled
    circle the actual date, and a line in the buyer's colour joins them; the shift is written
    next to it ("+5 mo"). A tranche not delivered yet gets a dashed open arrow from its planned
    date to ``today``. A delivery that is reported but not confirmed says "unconfirmed" in
    text. Month/year-precision dates sit mid-period with a light bar across the period.

    Parameters
    ----------
    ax : Axes
    deliveries : DataFrame
        Rows shaped like ``deliveries.csv``.
    deals : DataFrame, optional
        Used to name the buyer (and colour the row); without it the deal id is shown.
    today : date-like, optional
        End of the "pending" arrows (default: today's date).

    Returns
    -------
    dict
        ``planned``, ``actual`` (PathCollection), ``links`` (LineCollection), ``pending``
        (list of Annotation), ``notes`` (list of Annotation: shifts and statuses),
        ``spans`` (LineCollection or None), ``today`` (Line2D), ``legend`` (Legend),
        ``rows`` (the ordered DataFrame).
    """
    today = pd.Timestamp.today().normalize() if today is None else pd.Timestamp(today)
    tr = _tranches(deliveries, deals)
    t = float(mdates.date2num(today))
    out: dict = {"rows": tr.d, "pending": [], "notes": [], "spans": None}
    out["spans"] = _period_bars(ax, tr)
    both = np.flatnonzero(tr.has_p & tr.has_a)
    out["links"] = LineCollection(
        [[(tr.px[i], tr.y[i]), (tr.ax_[i], tr.y[i])] for i in both],
        colors=list(tr.colours[both]),
        linewidths=2.5,
        zorder=2,
    )
    ax.add_collection(out["links"])
    _pending_arrows(ax, tr, t, out)
    has_p, has_a, colours = tr.has_p, tr.has_a, tr.colours
    out["planned"] = ax.scatter(
        tr.px[has_p],
        tr.y[has_p],
        s=110,
        facecolors="white",
        edgecolors=list(colours[has_p]),
        linewidths=2.2,
        zorder=3,
    )
    out["actual"] = ax.scatter(
        tr.ax_[has_a],
        tr.y[has_a],
        s=110,
        c=list(colours[has_a]),
        edgecolors="white",
        linewidths=0.8,
        zorder=4,
    )
    out["notes"] += _delivery_notes(ax, tr)
    out["today"] = _today_line(ax, t, today)
    out["legend"] = _delivery_axes(ax, tr, t)
    return out


@dataclass
class _Tranches:
    """The delivery rows in plotting order with their buyer, colour, lane ``y``, planned and
    actual dates (``px``/``ax_`` marker, ``ps``-``pe``/``as_``-``ae`` span; NaN = none) and status."""

    d: pd.DataFrame
    buyer: pd.Series
    colours: np.ndarray
    y: np.ndarray
    px: np.ndarray
    ps: np.ndarray
    pe: np.ndarray
    ax_: np.ndarray
    as_: np.ndarray
    ae: np.ndarray
    status: np.ndarray

    @property
    def has_p(self) -> np.ndarray:
        return np.isfinite(self.px)

    @property
    def has_a(self) -> np.ndarray:
        return np.isfinite(self.ax_)


def _tranches(deliveries: pd.DataFrame, deals: pd.DataFrame | None) -> _Tranches:
    d = deliveries.sort_values(["deal_id", "tranche"], kind="stable").reset_index(drop=True)
    buyer = (
        d["deal_id"].map(deals.set_index("deal_id")["buyer"]) if deals is not None else d["deal_id"]
    ).astype(str)
    colours = np.array([_buyer_colour(b) for b in buyer], dtype=object)
    px, ps, pe = _mid(d["planned_date"], d["planned_precision"])
    ax_, as_, ae = _mid(d["actual_date"], d["actual_precision"])
    status = d["status"].astype(str).to_numpy() if "status" in d else np.full(len(d), "")
    y = np.arange(len(d), dtype=float)
    return _Tranches(d, buyer, colours, y, px, ps, pe, ax_, as_, ae, status)


def _status_word(status: str) -> str:
    return status.replace("_", " ") if status not in ("", "nan", "<NA>") else ""


def _period_bars(ax: Axes, tr: _Tranches) -> LineCollection | None:
    """A light bar across the month/year of each imprecise date (None if every date is exact)."""
    spans, span_cols = [], []
    for m, s, e in ((tr.has_p, tr.ps, tr.pe), (tr.has_a, tr.as_, tr.ae)):
        for i in np.flatnonzero(m & (e - s > 1.5)):
            spans.append([(s[i], tr.y[i]), (e[i], tr.y[i])])
            span_cols.append(tr.colours[i])
    if not spans:
        return None
    bars = LineCollection(spans, colors=span_cols, linewidths=6, alpha=0.25, zorder=1)
    ax.add_collection(bars)
    return bars


def _pending_arrows(ax: Axes, tr: _Tranches, t: float, out: dict) -> None:
    """A dashed arrow from the planned date to today for each tranche not delivered, with
    its status written at the tip."""
    y = tr.y
    for i in np.flatnonzero(tr.has_p & ~tr.has_a):
        tip = max(t, tr.px[i])
        out["pending"].append(
            ax.annotate(
                "",
                xy=(tip, y[i]),
                xytext=(tr.px[i], y[i]),
                zorder=2,
                arrowprops={
                    "arrowstyle": "->",
                    "linestyle": "--",
                    "color": tr.colours[i],
                    "lw": 2,
                    "shrinkA": 6,
                    "shrinkB": 0,
                    "mutation_scale": 18,
                },
            )
        )
        word = _status_word(tr.status[i])
        if word:
            out["notes"].append(
                ax.annotate(
                    word,
                    (tip, y[i]),
                    xytext=(8, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=11,
                    color=OKABE_ITO["black"],
                )
            )


def _delivery_notes(ax: Axes, tr: _Tranches) -> list[Annotation]:
    """ "no date reported" rows, and the shift ("+5 mo") and doubtful status of deliveries."""
    d, y, px, ax_, has_p = tr.d, tr.y, tr.px, tr.ax_, tr.has_p
    notes = []
    # a shift in months is only written when neither date is known to the year only
    coarse = (
        pd.Series(d["planned_precision"], dtype=object).eq("year").to_numpy()
        | pd.Series(d["actual_precision"], dtype=object).eq("year").to_numpy()
    )
    for i in np.flatnonzero(~has_p & ~tr.has_a):
        word = _status_word(tr.status[i])
        notes.append(
            ax.annotate(
                f"no date reported{f' ({word})' if word else ''}",
                (0, y[i]),
                xycoords=("axes fraction", "data"),
                xytext=(6, 0),
                textcoords="offset points",
                va="center",
                fontsize=11,
                style="italic",
                color=OKABE_ITO["black"],
            )
        )
    for i in np.flatnonzero(tr.has_a):
        note = []
        if has_p[i] and not coarse[i] and abs(ax_[i] - px[i]) / 30.44 >= 1:
            note.append(f"{(ax_[i] - px[i]) / 30.44:+.0f} mo")
        if tr.status[i] in ("unconfirmed", "in_transit"):
            note.append(tr.status[i].replace("_", " "))
        if note:
            notes.append(
                ax.annotate(
                    ", ".join(note),
                    (max(ax_[i], px[i] if has_p[i] else ax_[i]), y[i]),
                    xytext=(9, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=11,
                )
            )
    return notes


def _today_line(ax: Axes, t: float, today: pd.Timestamp) -> Line2D:
    line = ax.axvline(t, color=OKABE_ITO["black"], lw=1.2, ls=":", zorder=1)
    ax.annotate(
        f"today\n{today:%Y-%m-%d}",
        (t, 1),
        xytext=(-4, -2),
        textcoords="offset points",
        fontsize=10,
        va="top",
        ha="right",
        xycoords=("data", "axes fraction"),
        annotation_clip=False,
    )
    return line


def _delivery_axes(ax: Axes, tr: _Tranches, t: float):
    """Row labels, date axis and the buyer/marker legend; returns the legend."""
    labels = [f"{b} \u00b7 {desc}" for b, desc in zip(tr.buyer, tr.d["description"])]
    ax.set_yticks(tr.y, labels)
    ax.set_ylim(len(tr.d) - 0.5, -0.9)  # room above the first row for the "today" note
    xs = np.concatenate([tr.px[tr.has_p], tr.ax_[tr.has_a], [t]])
    ax.set_xlim(xs.min() - 120, xs.max() + 0.1 * (xs.max() - xs.min()) + 150)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlabel("delivery date (planned \u25cb, delivered \u25cf)")
    ax.grid(False, axis="y")
    buyers = list(dict.fromkeys(tr.buyer))
    handles = [Patch(facecolor=_buyer_colour(b), edgecolor="none", label=b) for b in buyers]
    handles += [
        Line2D([], [], ls="", marker="o", mfc="white", mec="black", mew=2, ms=9, label="planned"),
        Line2D([], [], ls="", marker="o", color="black", ms=9, label="delivered"),
        Line2D([], [], ls="--", color="black", label="not delivered:\nplanned \u2192 today"),
    ]
    return ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, title="Buyer"
    )


def plot_slippage(
    ax: Axes, promises: pd.DataFrame, deliveries: pd.DataFrame | None = None, *, deal_id: str | None = None
) -> dict:
    """Promised delivery date against the date the promise was stated, one line per tranche.

    A promise kept on schedule stays flat; each revision that pushes the date out steps the
    line up. Points on the dashed diagonal were promised for the day they were stated. Marker
    shape = confidence grade. With ``deliveries``, an actual delivery is a star on the
    diagonal (it happened on that date).

    Parameters
    ----------
    ax : Axes
    promises : DataFrame
        Rows shaped like ``promises.csv``.
    deliveries : DataFrame, optional
        To name tranches ("4th squadron") and mark actual deliveries.
    deal_id : str, optional
        Keep only this deal's promises (and deliveries).

    Returns
    -------
    dict
        ``lines`` (series label -> Line2D), ``points`` (grade -> PathCollection),
        ``diagonal`` (Line2D), ``delivered`` (PathCollection or None).
    """
    p = promises if deal_id is None else promises[promises["deal_id"] == deal_id]
    p = p.sort_values("stated_on", kind="stable").reset_index(drop=True)
    dv = deliveries
    if dv is not None and deal_id is not None:
        dv = dv[dv["deal_id"] == deal_id]
    sx, _, _ = _mid(p["stated_on"], p["stated_precision"])
    py, _, _ = _mid(p["promised_date"], p["promised_precision"])
    out: dict = {"lines": {}, "points": {}, "delivered": None, "labels": []}
    _draw_promises(ax, out, p, sx, py, _tranche_names(dv))
    allx = list(sx[np.isfinite(sx)]) + list(py[np.isfinite(py)])
    star_labels: list[str] = []
    star_xy: list[tuple[float, float]] = []
    if dv is not None and len(dv):
        star_labels, star_xy = _delivery_stars(ax, out, dv)
        allx += [x for x, _ in star_xy]
    _slippage_axes(ax, out, allx)
    out["labels"] = place_clear_labels(ax, star_labels, star_xy, fontsize=11)
    return out


def _tranche_names(dv: pd.DataFrame | None) -> dict:
    """(deal id, tranche) -> the delivery's description ("4th squadron")."""
    if dv is None:
        return {}
    return {(r.deal_id, int(r.tranche)): str(r.description) for r in dv.itertuples() if pd.notna(r.tranche)}


def _draw_promises(ax: Axes, out: dict, p: pd.DataFrame, sx, py, names: dict) -> None:
    """One stepped line per tranche (promised date against statement date) and the
    statements as markers shaped by confidence grade."""
    tranche = pd.to_numeric(p["tranche"], errors="coerce")
    keys = [
        ("all remaining" if pd.isna(t) else names.get((dl, int(t)), f"tranche {int(t)}"))
        for dl, t in zip(p["deal_id"], tranche)
    ]
    order = sorted(
        dict.fromkeys(keys),  # first statement first among equal tranches: not hash order
        key=lambda k: (k == "all remaining", min(t for t, kk in zip(tranche.fillna(99), keys) if kk == k)),
    )
    colour_of = {k: SERIES_COLOURS[i % len(SERIES_COLOURS)] for i, k in enumerate(order)}
    keys_arr = np.array(keys, dtype=object)
    for k in order:
        m = keys_arr == k
        # later tranches are drawn wider and underneath, so identical promises stay visible
        rank = order.index(k) if k != "all remaining" else 0
        (line,) = ax.plot(
            sx[m],
            py[m],
            color=colour_of[k],
            lw=2.2 + 1.6 * rank,
            ls=":" if k == "all remaining" else "-",
            label=k,
            zorder=2.5 - 0.01 * rank,
            drawstyle="steps-post",
        )
        out["lines"][k] = line
    grade = p["confidence"].astype(str).to_numpy()
    for g in CONFIDENCE_ORDER:
        m = grade == g
        if m.any():
            out["points"][g] = ax.scatter(
                sx[m],
                py[m],
                s=80,
                marker=CONFIDENCE_MARKERS[g],
                c=[colour_of[k] for k in keys_arr[m]],
                edgecolors="black",
                linewidths=0.6,
                zorder=3,
            )


def _delivery_stars(ax: Axes, out: dict, dv: pd.DataFrame) -> tuple[list[str], list[tuple[float, float]]]:
    """Actual deliveries as stars on the diagonal (filled = confirmed, hollow = reported only);
    returns their label texts and positions."""
    ax_, _, _ = _mid(dv["actual_date"], dv["actual_precision"])
    ok = np.isfinite(ax_)
    if not ok.any():
        return [], []
    confirmed = np.ones(len(dv), dtype=bool)
    if "status" in dv:
        confirmed = dv["status"].astype(str).eq("delivered").to_numpy()
    out["delivered"] = ax.scatter(
        ax_[ok],
        ax_[ok],
        s=240,
        marker="*",
        zorder=4,
        facecolors=[OKABE_ITO["black"] if c else "white" for c in confirmed[ok]],
        edgecolors=OKABE_ITO["black"],
        linewidths=1.2,
    )
    labels = [
        f"{desc}\n{'delivered' if c else 'reported (unconfirmed)'}"
        for desc, c in zip(dv["description"].to_numpy()[ok], confirmed[ok])
    ]
    return labels, list(zip(ax_[ok], ax_[ok]))


def _slippage_axes(ax: Axes, out: dict, allx: list) -> None:
    """The diagonal (promised for the day it was stated), date axes and the legend."""
    lo, hi = (min(allx) - 90, max(allx) + 90) if allx else (0, 1)
    # extra room right of the newest point, under the diagonal, for the delivery labels
    hi_x = hi + 0.15 * (hi - lo)
    (out["diagonal"],) = ax.plot(
        [lo, hi_x], [lo, hi_x], ls="--", color=_GREY, lw=1.2, zorder=1, label="promise = statement date"
    )
    ax.set_xlim(lo, hi_x)
    ax.set_ylim(lo, hi)
    for axis in (ax.xaxis, ax.yaxis):
        loc = mdates.AutoDateLocator(minticks=4, maxticks=9)
        axis.set_major_locator(loc)
        axis.set_major_formatter(mdates.ConciseDateFormatter(loc))
    ax.set_xlabel("date the promise was stated")
    ax.set_ylabel("promised delivery date")
    handles = list(out["lines"].values()) + [out["diagonal"]]
    handles += [
        Line2D([], [], ls="", marker=CONFIDENCE_MARKERS[g], color="black", ms=8, label=g)
        for g in out["points"]
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)


#: Candidate directions for a label around its point, in order of preference: up-left and
#: down-right first (off a rising diagonal), then the other corners and sides.
_DIRECTIONS = ((-1, 1), (1, -1), (-1, -1), (1, 1), (0, 1), (0, -1), (-1, 0), (1, 0))


def _obstacles(ax: Axes) -> tuple[list[tuple[Path, float]], list[tuple[float, float, float]]]:
    """Data already drawn, in display coordinates: line paths (with their step style and half
    width) and markers (centre and radius)."""
    dpi = ax.get_figure(root=True).dpi
    paths = []
    for line in ax.get_lines():
        x, y = (np.asarray(v, float) for v in line.get_data())
        if len(x) == 0:
            continue
        step = STEP_LOOKUP_MAP.get(line.get_drawstyle())
        if step is not None and line.get_drawstyle() != "default":
            x, y = step(x, y)
        xy = ax.transData.transform(np.column_stack([x, y]))
        paths.append((Path(xy), 0.5 * line.get_linewidth() * dpi / 72.0))
    points = []
    for coll in ax.collections:
        offs = np.asarray(coll.get_offsets(), float)
        if offs.size == 0 or not hasattr(coll, "get_sizes"):
            continue
        sizes = coll.get_sizes()
        if len(sizes) == 0:
            continue
        disp = ax.transData.transform(offs)
        for k, (px, py) in enumerate(disp):
            r = 0.5 * np.sqrt(sizes[k % len(sizes)]) * dpi / 72.0
            points.append((px, py, r))
    return paths, points


def place_clear_labels(
    ax: Axes, texts: list[str], anchors: list[tuple[float, float]], *, fontsize: float = 11.0
) -> list[Annotation]:
    """Write each text near its anchor point where it covers no data and no other label.

    Tries positions around the anchor (corners first, then sides; 8, 22 and 38 points away)
    and keeps the first whose box stays inside the axes and touches no line, no marker and no
    label placed before; a label set further away hangs on a thin leader line. Text extents
    are measured with the font, after the figure's layout engine has placed the axes. If no
    position is clear, the one with the fewest collisions is used.

    Parameters
    ----------
    ax : Axes
        Draw everything else first: the lines and markers on it are the obstacles.
    texts : list of str
    anchors : list of (x, y)
        Data coordinates of the point each text describes.
    fontsize : float

    Returns
    -------
    list of Annotation
        One per text, in the given order.
    """
    if not texts:
        return []
    fig = ax.get_figure(root=True)
    if fig.get_layout_engine() is not None:
        fig.draw_without_rendering()
    px_per_pt = fig.dpi / 72.0
    paths, points = _obstacles(ax)
    frame = ax.get_window_extent()
    placed: list[Bbox] = []
    pad = 0.2 * fontsize  # box padding, points
    out = []
    for text, (x, y) in zip(texts, anchors):
        w, h = _label_size(text, fontsize, pad, px_per_pt)
        cx, cy = ax.transData.transform((x, y))
        dx, dy, dist, box = _clearest_spot((cx, cy), (w, h), px_per_pt, frame, paths, points, placed)
        placed.append(box)
        ann = ax.annotate(
            text,
            (x, y),
            xytext=(dx * dist, dy * dist),
            textcoords="offset points",
            fontsize=fontsize,
            ha="right" if dx < 0 else "center" if dx == 0 else "left",
            va="top" if dy < 0 else "center" if dy == 0 else "bottom",
            zorder=5,
            bbox={"boxstyle": f"square,pad={pad / fontsize:.2f}", "fc": "white", "ec": "none", "alpha": 0.85},
            arrowprops=None
            if dist <= 8
            else {"arrowstyle": "-", "color": _GREY, "lw": 0.8, "shrinkA": 0, "shrinkB": 8},
        )
        ann.set_in_layout(False)
        out.append(ann)
    return out


def _label_size(text: str, fontsize: float, pad: float, px_per_pt: float) -> tuple[float, float]:
    """Width and height (display pixels) of a label's padded box, measured with the font."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    lines = text.split("\n")
    w = max(
        text_to_path.get_text_width_height_descent(part, FontProperties(size=fontsize), ismath=False)[0]
        for part in lines
    )
    return (w + 2 * pad) * px_per_pt, (1.2 * fontsize * len(lines) + 2 * pad) * px_per_pt


def _clearest_spot(centre, size, px_per_pt, frame, paths, points, placed) -> tuple[int, int, float, Bbox]:
    """The first position around ``centre`` (corners first; 8, 22 then 38 points away) whose
    box of ``size`` hits nothing, else the one with the fewest hits: ``(dx, dy, dist, box)``."""
    (cx, cy), (w, h) = centre, size
    best: tuple | None = None
    for dist in (8.0, 22.0, 38.0):
        for dx, dy in _DIRECTIONS:
            ox, oy = dx * dist * px_per_pt, dy * dist * px_per_pt
            x0 = cx + ox - (w if dx < 0 else w / 2 if dx == 0 else 0)
            y0 = cy + oy - (h if dy < 0 else h / 2 if dy == 0 else 0)
            box = Bbox.from_bounds(x0, y0, w, h)
            hits = 0 if frame.containsx(box.x0) and frame.containsx(box.x1) else 10
            if hits == 0 and not (frame.containsy(box.y0) and frame.containsy(box.y1)):
                hits = 10
            hits += sum(path.intersects_bbox(box.padded(lw + 1), filled=False) for path, lw in paths)
            hits += sum(_circle_hits_box(p, box) for p in points)
            hits += sum(box.padded(2).overlaps(b) for b in placed)
            if dist > 8:  # the leader, from the marker's edge to the box, crosses no line
                lead = Path([(cx + dx * 8 * px_per_pt, cy + dy * 8 * px_per_pt), (cx + ox, cy + oy)])
                hits += sum(lead.intersects_path(path, filled=False) for path, _ in paths)
            if best is None or hits < best[0]:
                best = (hits, dx, dy, dist, box)
            if hits == 0:
                return dx, dy, dist, box
    assert best is not None  # the loops above always run
    return best[1], best[2], best[3], best[4]


def _circle_hits_box(point: tuple[float, float, float], box: Bbox) -> bool:
    px, py, r = point
    nx = min(max(px, box.x0), box.x1)
    ny = min(max(py, box.y0), box.y1)
    return (px - nx) ** 2 + (py - ny) ** 2 < (r + 1) ** 2
