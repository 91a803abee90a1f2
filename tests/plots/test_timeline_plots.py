"""The timeline plot: one marker per event, lanes, grades, honest imprecise dates, few labels."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from s400lab.plots.style import ACTOR_COLOURS  # noqa: E402
from s400lab.plots.timeline import format_date, plot_timeline, precision_span  # noqa: E402


def S(*xs):
    return pd.Series(xs, dtype="string")


def D(*xs):
    return pd.to_datetime(pd.Series(xs, dtype=object))


def events() -> pd.DataFrame:
    """Five events: three exact, one month-precision, one year-precision."""
    return pd.DataFrame({
        "event_id": S("e1", "e2", "e3", "e4", "e5"),
        "date": D("2017-09-12", "2019-07-01", "2019-01-01", "2020-12-14", "2025-09-15"),
        "date_precision": S("day", "month", "year", "day", "day"),
        "title": S("Contract signed", "First delivery", "A" * 80, "CAATSA sanctions",
                   "Russia asks for two back"),
        "actor": S("Russia", "Turkiye", "India", "United States", "Russia"),
        "event_type": S("contract", "delivery", "contract", "sanction", "report"),
        "confidence": S("official", "official", "reported", "official", "disputed"),
    })


def draw(ev=None, **kw):
    fig = Figure()
    ax = fig.add_subplot()
    return ax, plot_timeline(ax, events() if ev is None else ev, **kw)


def offsets(art) -> dict[str, np.ndarray]:
    return {k: np.asarray(c.get_offsets()) for k, c in art.points.items()}


def test_precision_span_hand_checked():
    start, end = precision_span(D("2024-02-01", "2019-01-01", "2017-09-12"),
                                S("month", "year", "day"))
    assert list(start) == list(D("2024-02-01", "2019-01-01", "2017-09-12"))
    assert list(end) == list(D("2024-03-01", "2020-01-01", "2017-09-13"))


def test_format_date_shows_only_what_is_known():
    ts = pd.Timestamp("2019-07-01")
    assert format_date(ts, "day") == "2019-07-01"
    assert format_date(ts, "month") == "2019-07"
    assert format_date(ts, "year") == "2019"
    assert format_date(pd.NaT, "day") == "unknown"


def test_one_marker_per_event_split_by_grade_and_precision():
    _, art = draw()
    assert art.n_points == 5
    sizes = {k: len(v) for k, v in offsets(art).items()}
    assert sizes == {"official/day": 2, "official/approx": 1, "reported/approx": 1,
                     "disputed/day": 1}


def test_lanes_follow_actor_order_and_points_sit_in_their_lane():
    ax, art = draw()
    lanes = [t.get_text() for t in ax.get_yticklabels()]
    assert lanes == [a for a in ACTOR_COLOURS if a in {"Russia", "Turkiye", "India", "United States"}]
    russia = lanes.index("Russia")
    assert sorted(offsets(art)["official/day"][:, 1]) == sorted([russia, lanes.index("United States")])
    assert offsets(art)["disputed/day"][0, 1] == russia


def test_event_type_lanes():
    ax, _ = draw(lanes="event_type")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["contract", "delivery", "report", "sanction"]
    with pytest.raises(ValueError, match="lanes"):
        draw(lanes="colour")


def test_imprecise_dates_are_hollow_mid_period_with_a_span():
    _, art = draw()
    month = offsets(art)["official/approx"][0]
    lo, hi = mdates.date2num(pd.Timestamp("2019-07-01")), mdates.date2num(pd.Timestamp("2019-08-01"))
    assert month[0] == pytest.approx((lo + hi) / 2)
    exact = offsets(art)["official/day"]
    assert mdates.date2num(pd.Timestamp("2017-09-12")) in exact[:, 0]
    segs = [np.asarray(s) for s in art.spans.get_segments()]
    assert len(segs) == 2  # the month event and the year event
    starts_ends = sorted((s[0, 0], s[1, 0]) for s in segs)
    y0, y1 = mdates.date2num(pd.Timestamp("2019-01-01")), mdates.date2num(pd.Timestamp("2020-01-01"))
    assert starts_ends == sorted([(lo, hi), (y0, y1)])
    hollow = art.points["official/approx"]
    assert tuple(hollow.get_facecolors()[0]) == to_rgba("white")
    assert tuple(hollow.get_edgecolors()[0]) == to_rgba(ACTOR_COLOURS["Turkiye"])
    filled = art.points["disputed/day"]
    assert tuple(filled.get_facecolors()[0]) == to_rgba(ACTOR_COLOURS["Russia"])


def test_labels_all_when_few_none_when_many_and_subset_on_request():
    _, art = draw(max_labels=5)
    assert len(art.labels) == 5
    assert art.labels[2].get_text().endswith("\u2026") and len(art.labels[2].get_text()) == 42
    _, art = draw(max_labels=4)
    assert art.labels == []
    _, art = draw(max_labels=4, label_ids=["e1", "e4"])
    assert sorted(a.get_text() for a in art.labels) == ["CAATSA sanctions", "Contract signed"]


def test_highlight_rings_and_labels_one_event():
    _, art = draw(max_labels=0, highlight="e5")
    assert [a.get_text() for a in art.labels] == ["Russia asks for two back"]
    ring = np.asarray(art.highlight.get_offsets())
    assert ring[0, 0] == pytest.approx(mdates.date2num(pd.Timestamp("2025-09-15")))


def test_legends_name_actors_and_grades_present():
    _, art = draw()
    actor_leg, grade_leg = art.legends
    assert [t.get_text() for t in actor_leg.get_texts()] == ["Turkiye", "Russia", "United States", "India"]
    assert [t.get_text() for t in grade_leg.get_texts()] == [
        "official", "reported", "disputed", "month/year only"]


def test_empty_frame_draws_a_message_and_no_points():
    ax, art = draw(events().iloc[0:0])
    assert art.n_points == 0 and art.labels == []
    assert any("No events" in t.get_text() for t in ax.texts)


def test_missing_dates_are_skipped_not_plotted_at_epoch():
    ev = events()
    ev.loc[0, "date"] = pd.NaT
    _, art = draw(ev)
    assert art.n_points == 4 and "e1" not in art.event_ids


def test_crowded_labels_go_to_separate_tiers():
    ev = pd.concat([events().iloc[[0]]] * 4, ignore_index=True)
    ev["event_id"] = S("a", "b", "c", "d")
    ev["title"] = S("first title", "second title", "third title", "fourth title")
    fig = Figure(figsize=(10, 4))
    ax = fig.add_subplot()
    art = plot_timeline(ax, ev)
    offsets_pt = [a.xyann for a in art.labels]
    assert len(set(offsets_pt)) == 4  # same day, same lane: four different positions
    assert [a.get_text() for a in art.labels] == list(ev["title"])  # returned in row order
