"""The timeline plot: one marker per event, lanes, grades, honest imprecise dates, few labels."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from s400lab.plots.style import ACTOR_COLOURS
from s400lab.plots.timeline import format_date, plot_timeline, precision_span


def S(*xs):
    return pd.Series(xs, dtype="string")


def D(*xs):
    return pd.to_datetime(pd.Series(xs, dtype=object))


def events() -> pd.DataFrame:
    """Five events: three exact, one month-precision, one year-precision."""
    return pd.DataFrame(
        {
            "event_id": S("e1", "e2", "e3", "e4", "e5"),
            "date": D("2017-09-12", "2019-07-01", "2019-01-01", "2020-12-14", "2025-09-15"),
            "date_precision": S("day", "month", "year", "day", "day"),
            "title": S(
                "Contract signed", "First delivery", "A" * 80, "CAATSA sanctions", "Russia asks for two back"
            ),
            "actor": S("Russia", "Turkiye", "India", "United States", "Russia"),
            "event_type": S("contract", "delivery", "contract", "sanction", "report"),
            "confidence": S("official", "official", "reported", "official", "disputed"),
        }
    )


def draw(ev=None, **kw):
    fig = Figure()
    ax = fig.add_subplot()
    return ax, plot_timeline(ax, events() if ev is None else ev, **kw)


def offsets(art) -> dict[str, np.ndarray]:
    return {k: np.asarray(c.get_offsets()) for k, c in art.points.items()}


def test_precision_span_hand_checked():
    start, end = precision_span(D("2024-02-01", "2019-01-01", "2017-09-12"), S("month", "year", "day"))
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
    assert sizes == {"official/day": 2, "official/approx": 1, "reported/approx": 1, "disputed/day": 1}


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
    _, art = draw(max_labels=5, label_style="inline")
    assert len(art.labels) == 5 and art.label_style == "inline"
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
        "official",
        "reported",
        "disputed",
        "month/year only",
    ]


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
    assert art.label_style == "inline"
    offsets_pt = [a.xyann for a in art.labels]
    assert len(set(offsets_pt)) == 4  # same day, same lane: four different positions
    assert [a.get_text() for a in art.labels] == list(ev["title"])  # returned in row order
    assert_labels_clear(fig, ax, art.labels)


# ------------------------------------------------------------------ readable on a projector
def crowded(n=9, days=12, lanes=("Turkiye", "Russia")) -> pd.DataFrame:
    """``n`` events with long titles a few days apart, alternating between two lanes."""
    return pd.DataFrame(
        {
            "event_id": S(*[f"c{i}" for i in range(n)]),
            "date": pd.Series(pd.Timestamp("2025-09-01") + pd.to_timedelta(np.arange(n) * days, unit="D")),
            "date_precision": S(*["day"] * n),
            "title": S(*[f"Event number {i}: a long report title about the S-400s" for i in range(n)]),
            "actor": S(*[lanes[i % len(lanes)] for i in range(n)]),
            "event_type": S(*["report"] * n),
            "confidence": S(*["reported"] * n),
        }
    )


def boxes(fig, artists):
    fig.draw_without_rendering()
    return [a.get_bbox_patch().get_window_extent() for a in artists]


def assert_no_overlap(bbs):
    for i in range(len(bbs)):
        for j in range(i + 1, len(bbs)):
            assert not bbs[i].overlaps(bbs[j]), (i, j, bbs[i], bbs[j])


def assert_labels_clear(fig, ax, labels):
    """After a real draw: no two label boxes overlap, every label box starts or ends at its
    marker's x, and every leader line is vertical and passes through no other label."""
    bbs = boxes(fig, labels)
    assert_no_overlap(bbs)
    for i, (a, bb) in enumerate(zip(labels, bbs)):
        mx, my = ax.transData.transform(a.xy)
        assert min(abs(bb.x0 - mx), abs(bb.x1 - mx)) < 1.5  # anchored at its own marker
        if a.arrow_patch is None:
            continue
        top = bb.y0 if bb.y0 > my else bb.y1  # the box edge facing the marker
        lo, hi = sorted((my, top))
        for j, other in enumerate(bbs):
            if j != i:
                inside_x = other.x0 + 0.5 < mx < other.x1 - 0.5
                assert not (inside_x and other.y0 < hi and other.y1 > lo), (i, j)


def test_inline_labels_never_overlap_and_leaders_never_cross():
    fig = Figure(figsize=(14, 6), layout="constrained")
    ax = fig.add_subplot()
    ev = crowded(n=6, days=15, lanes=("Turkiye",))  # a cluster in one lane, then a year's gap
    far = ev.iloc[[0]].assign(event_id="far", date=pd.Timestamp("2027-06-01"))
    ev = pd.concat([ev, far], ignore_index=True)
    art = plot_timeline(ax, ev)  # auto: these fit as a staircase
    assert art.label_style == "inline" and len(art.labels) == 7
    assert any(a.arrow_patch is not None for a in art.labels)  # some needed an outer tier
    assert_labels_clear(fig, ax, art.labels)


def test_auto_uses_numbers_and_a_key_when_titles_do_not_fit():
    fig = Figure(figsize=(14, 5), layout="constrained")
    ax = fig.add_subplot()
    ev = crowded(n=9, days=3)
    art = plot_timeline(ax, ev, highlight="c4")
    assert art.label_style == "numbered" and art.labels == []
    assert art.labelled_ids == list(ev["event_id"])
    # numbers follow the dates, so the key reads as a chronology
    assert [a.get_text() for a in art.numbers] == [str(i) for i in range(1, 10)]
    xs = [a.xy[0] for a in art.numbers]
    assert xs == sorted(xs)
    key_numbers, key_texts = art.key[0::2], art.key[1::2]
    assert [a.get_text() for a in key_numbers] == [str(i) for i in range(1, 10)]
    assert key_texts[0].get_text() == "2025-09-01  " + ev.at[0, "title"]  # whole title, dated
    assert_no_overlap(boxes(fig, art.numbers))
    fig.draw_without_rendering()
    key_bbs = [a.get_window_extent() for a in art.key]
    assert_no_overlap(key_bbs)
    axes_bottom = ax.get_window_extent().y0
    assert all(bb.y1 < axes_bottom for bb in key_bbs)  # under the axes, not on the data
    assert fig.get_window_extent().y0 <= min(bb.y0 for bb in key_bbs)  # and inside the figure
    assert art.highlight is not None  # the picked event is still ringed


def test_numbered_style_on_request_and_bad_style_rejected():
    _, art = draw(max_labels=5, label_style="numbered")
    assert art.label_style == "numbered" and len(art.numbers) == 5 and len(art.key) == 10
    _, art = draw(max_labels=5, label_style="inline")
    assert art.numbers == [] and art.key == []
    with pytest.raises(ValueError, match="label_style"):
        draw(label_style="smart")


def test_recent_strand_of_the_real_data_reads_on_a_projector():
    """The notebook's view: Turkiye, Russia, US since Sept 2025, reports and denials labelled."""
    from s400lab.data import load
    from s400lab.ui.timeline import filter_events

    ds = load()
    recent = filter_events(ds.events, actors=["Turkiye", "Russia", "United States"], start="2025-09-01")
    ids = list(recent.loc[recent["event_type"].isin(["report", "denial"]), "event_id"])
    fig = Figure(figsize=(14, 6), layout="constrained")
    ax = fig.add_subplot()
    art = plot_timeline(ax, recent, max_labels=0, label_ids=ids, label_width=48)
    assert sorted(art.labelled_ids) == sorted(ids)
    if art.label_style == "inline":
        assert_labels_clear(fig, ax, art.labels)
    else:
        assert_no_overlap(boxes(fig, art.numbers))
        assert_no_overlap([a.get_window_extent() for a in art.key])
