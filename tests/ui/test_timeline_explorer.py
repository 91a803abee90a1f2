"""TimelineExplorer and SourcesViewer, driven headless (no browser) on hand-made frames."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s400lab.ui.timeline import (
    SourcesViewer,
    TimelineExplorer,
    disagreements,
    filter_events,
    related_variants,
    sources_of,
    split_ids,
)


def S(*xs):
    return pd.Series(xs, dtype="string")


def D(*xs):
    return pd.to_datetime(pd.Series(xs, dtype=object))


SCRIPT = "<script>alert('x')</script>"


def events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": S("e1", "e2", "e3", "e4", "e5", "e5v"),
            "date": D("2017-09-12", "2019-07-01", "2019-01-01", "2020-12-14", "2025-09-15", "2025-12-17"),
            "date_precision": S("day", "month", "year", "day", "day", "day"),
            "title": S(
                "Contract signed",
                "First delivery",
                f"Payment {SCRIPT}",
                "CAATSA sanctions",
                "Russia asks for two back",
                "Turkiye asks Putin",
            ),
            "description": S(
                "d1", "d2", "d3", "d4", "Nefes: Russia wants two back", "Bloomberg: Erdogan asked"
            ),
            "actor": S("Russia", "Turkiye", "India", "United States", "Russia", "Turkiye"),
            "counterpart": S("Turkiye", None, None, "Turkiye", "Turkiye", "Russia"),
            "event_type": S("contract", "delivery", "contract", "sanction", "report", "report"),
            "location": S(None, "Ankara", None, None, None, None),
            "confidence": S("official", "official", "reported", "official", "disputed", "disputed"),
            "variant_of": S(None, None, None, None, None, "e5"),
            "source_ids": S("s1", "s2;s1", "s3", "s4", "s5", "s6;s5"),
            "notes": S(None, None, None, None, None, None),
        }
    )


def sources() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_id": S("s1", "s2", "s3", "s4", "s5", "s6"),
            "publication": S("TASS", "Sputnik", "TOI", "CRS", "Nefes", "bne IntelliNews"),
            "original_outlet": S(None, None, None, None, None, "Bloomberg"),
            "title": S("t1", "t2", SCRIPT, "t4", "t5", "t6"),
            "url": S(
                "https://tass.com/1",
                "https://sputnik.example/2",
                "javascript:alert(1)",
                "https://crs.example/4",
                "https://nefes.example/5",
                "https://bne.example/6?a=1&b=2",
            ),
            "published": D(
                "2017-09-13", "2019-07-12", "2019-01-01", "2020-12-16", "2025-09-15", "2025-12-17"
            ),
            "published_precision": S("day", "day", "year", "day", "day", "day"),
        }
    )


def deals() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "deal_id": S("turkiye-2017", "turkiye-2017-v4", "india-2018"),
            "variant_of": S(None, "turkiye-2017", None),
            "buyer": S("Turkiye", "Turkiye", "India"),
            "signed_date": D("2017-09-12", "2017-09-12", "2018-10-05"),
            "signed_precision": S("day", "day", "day"),
            "battalions": pd.Series([2.0, 4.0, 10.0]),
            "unit_term": S("battalion", "battery", "squadron"),
            "status": S("completed", "completed", "in_delivery"),
            "confidence": S("official", "disputed", "official"),
            "source_ids": S("s1", "s2", "s3;s4"),
        }
    )


def dataset() -> dict:
    return {"events": events(), "sources": sources(), "deals": deals()}


@pytest.fixture
def explorer():
    return TimelineExplorer(dataset())


# ----------------------------------------------------------------------------- pure helpers
def test_split_ids():
    assert split_ids("a;b; c") == ["a", "b", "c"]
    assert split_ids(pd.NA) == [] and split_ids("") == []


def test_filter_events_hand_checked():
    ev = events()
    assert list(filter_events(ev, actors=["Russia"])["event_id"]) == ["e1", "e5"]
    assert list(filter_events(ev, event_types=["report"], confidence=["disputed"])["event_id"]) == [
        "e5",
        "e5v",
    ]
    assert filter_events(ev, actors=[]).empty
    # the year-precision event (2019) overlaps June 2019; the July 2019 one does not
    got = filter_events(ev, start="2019-06-01", end="2019-07-01")
    assert list(got["event_id"]) == ["e3"]
    # [start, end) is half-open: 2020-12-14 is out of a range ending that day, in from that day
    assert "e4" not in set(filter_events(ev, end="2020-12-14")["event_id"])
    assert "e4" in set(filter_events(ev, start="2020-12-14", end="2020-12-15")["event_id"])


def test_sources_of_keeps_cited_order_and_flags_unknown_ids():
    row = events().set_index("event_id").loc["e2"]
    assert list(sources_of(row, sources())["source_id"]) == ["s2", "s1"]
    broken = pd.Series({"source_ids": "s1;nope"})
    got = sources_of(broken, sources())
    assert list(got["source_id"]) == ["s1", "nope"] and pd.isna(got.loc[1, "title"])


def test_related_variants_both_directions():
    ev = events()
    assert list(related_variants(ev, "e5", "event_id")["event_id"]) == ["e5v"]
    assert list(related_variants(ev, "e5v", "event_id")["event_id"]) == ["e5"]
    assert related_variants(ev, "e1", "event_id").empty


def test_disagreements_groups_main_rows_with_their_variants():
    got = disagreements(deals(), "deal_id")
    assert list(got["deal_id"]) == ["turkiye-2017", "turkiye-2017-v4"]
    assert list(got["role"]) == ["main", "variant"]
    assert set(got["variant_group"]) == {"turkiye-2017"}


# ----------------------------------------------------------------------------- explorer
def test_explorer_starts_with_everything_and_one_figure(explorer):
    assert len(explorer.filtered) == 6
    assert explorer.last_error is None and explorer.image.value[:4] == b"\x89PNG"
    fig = explorer.figure
    first_png = explorer.image.value
    explorer.actors.value = ("Russia",)
    assert explorer.figure is fig and len(fig.axes) == 1  # redrawn in place, not recreated
    assert explorer.image.value != first_png
    assert list(explorer.filtered["event_id"]) == ["e1", "e5"]
    assert "<b>2</b> of 6 events" in explorer.status.value


def test_explorer_filters_combine_and_reset(explorer):
    explorer.grades.value = ("official",)
    explorer.event_types.value = ("contract", "delivery")
    assert list(explorer.filtered["event_id"]) == ["e1", "e2"]
    labels = [label for label, _ in explorer.months.options]
    explorer.months.index = (labels.index("Jan 2019"), labels.index("Dec 2019"))
    assert list(explorer.filtered["event_id"]) == ["e2"]
    explorer.reset.click()
    assert len(explorer.filtered) == 6


def test_month_slider_spans_all_events(explorer):
    labels = [label for label, _ in explorer.months.options]
    assert labels[0] == "Sep 2017" and labels[-1] == "Dec 2025"
    assert explorer.date_range == (pd.Timestamp("2017-09-01"), pd.Timestamp("2026-01-01"))


def test_empty_filter_still_draws(explorer):
    explorer.actors.value = ()
    assert explorer.filtered.empty and explorer.last_error is None
    assert explorer.sources.row is None
    assert "widen the filters" in explorer.sources.detail.value


def test_table_escapes_html(explorer):
    assert "<script>" not in explorer.table.value
    assert "Payment &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in explorer.table.value


def test_event_sources_view_lists_exactly_the_cited_sources(explorer):
    explorer.sources.select("e2")
    assert list(explorer.sources.selected_sources["source_id"]) == ["s2", "s1"]
    html_ = explorer.sources.detail.value
    assert 'href="https://sputnik.example/2"' in html_ and 'href="https://tass.com/1"' in html_
    assert "t4" not in html_  # another event's source


def test_sources_view_escapes_titles_and_refuses_javascript_links(explorer):
    explorer.sources.select("e3")
    html_ = explorer.sources.detail.value
    assert "<script>" not in html_
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html_
    assert 'href="javascript' not in html_ and "javascript:alert(1)" in html_


def test_link_query_strings_are_escaped(explorer):
    explorer.sources.select("e5v")
    assert 'href="https://bne.example/6?a=1&amp;b=2"' in explorer.sources.detail.value


def test_sources_view_shows_variants_of_the_picked_event(explorer):
    explorer.sources.select("e5v")
    html_ = explorer.sources.detail.value
    assert "Where sources disagree" in html_ and "variant</b> of <code>e5</code>" in html_
    assert "Nefes: Russia wants two back" in html_  # the other version's description
    explorer.sources.select("e1")
    assert "Where sources disagree" not in explorer.sources.detail.value


def test_picking_an_event_rings_it_on_the_figure(explorer):
    before = explorer.n_redraws
    explorer.sources.select("e4")
    assert explorer.n_redraws == before + 1
    assert "CAATSA sanctions" in [t.get_text() for t in explorer.figure.axes[0].texts]


def test_sources_viewer_for_deal_rows():
    viewer = SourcesViewer(dataset(), tables=["deals", "events"])
    assert viewer.table_name == "deals"
    viewer.select("turkiye-2017-v4")
    assert list(viewer.selected_sources["source_id"]) == ["s2"]
    assert "turkiye-2017" in viewer.detail.value and "Where sources disagree" in viewer.detail.value
    viewer.select("india-2018")
    assert list(viewer.selected_sources["source_id"]) == ["s3", "s4"]
    viewer.table_select.value = "events"
    assert viewer.row_select.value == "e1"
    assert list(viewer.selected_sources["source_id"]) == ["s1"]


# ----------------------------------------------------------------------------- properties
def _expected_ids(ev, actors, types, grades, lo, hi_exclusive):
    """Independent re-statement of the filter rule, row by row with calendar arithmetic."""
    keep = []
    for r in ev.itertuples():
        d = pd.Timestamp(r.date)
        if r.date_precision == "year":
            s, e = pd.Timestamp(d.year, 1, 1), pd.Timestamp(d.year + 1, 1, 1)
        elif r.date_precision == "month":
            s = pd.Timestamp(d.year, d.month, 1)
            e = pd.Timestamp(d.year + (d.month == 12), d.month % 12 + 1, 1)
        else:
            s, e = d, d + pd.Timedelta(days=1)
        if (
            r.actor in actors
            and r.event_type in types
            and r.confidence in grades
            and e > lo
            and s < hi_exclusive
        ):
            keep.append(r.event_id)
    return sorted(keep)


SHARED = TimelineExplorer(dataset())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_filter_combination_updates_cleanly_and_is_satisfied(data):
    ex = SHARED
    actors = data.draw(st.lists(st.sampled_from(ex.actors.options), unique=True))
    types = data.draw(st.lists(st.sampled_from(ex.event_types.options), unique=True))
    grades = data.draw(st.lists(st.sampled_from(ex.grades.options), unique=True))
    n = len(ex.months.options)
    i = data.draw(st.integers(0, n - 1))
    j = data.draw(st.integers(i, n - 1))
    lanes = data.draw(st.sampled_from(["actor", "event_type"]))
    ex.actors.value, ex.event_types.value, ex.grades.value = tuple(actors), tuple(types), tuple(grades)
    ex.months.index = (i, j)
    ex.lanes.value = lanes
    assert ex.last_error is None
    f = ex.filtered
    lo = pd.Timestamp(ex.months.options[i][1])
    hi = pd.Timestamp(ex.months.options[j][1]) + pd.DateOffset(months=1)
    assert sorted(f["event_id"]) == _expected_ids(ex.events, actors, types, grades, lo, hi)
    assert f["actor"].isin(actors).all() and f["confidence"].isin(grades).all()
    assert f["date"].is_monotonic_increasing
    # the sources list offers exactly the filtered events
    assert [v for _, v in ex.sources.row_select.options] == list(f["event_id"])


@settings(max_examples=20, deadline=None)
@given(event_id=st.sampled_from(list(events()["event_id"])))
def test_sources_view_lists_exactly_the_sources_of_any_row(event_id):
    ex = SHARED
    ex.reset.click()
    ex.sources.select(event_id)
    cited = events().set_index("event_id").loc[event_id, "source_ids"].split(";")
    assert list(ex.sources.selected_sources["source_id"]) == cited
    html_ = ex.sources.detail.value
    assert f"Sources ({len(cited)})" in html_
    others = set(sources()["source_id"]) - set(cited)
    titles = sources().set_index("source_id")["title"]
    for sid in others:
        if titles[sid] not in {titles[c] for c in cited}:
            assert f">{titles[sid]}<" not in html_


# ----------------------------------------------------------------------------- CheckGroup
def test_checkgroup_boxes_and_value_stay_in_step():
    from s400lab.ui.timeline import CheckGroup

    g = CheckGroup(["a", "b", "c"], description="letters")
    seen = []
    g.observe(lambda ch: seen.append(ch["new"]), names="value")
    assert g.value == ("a", "b", "c") and all(b.value for b in g.checkboxes.values())
    g.checkboxes["b"].value = False  # a student unticks one box (click or Space)
    assert g.value == ("a", "c") and seen == [("a", "c")]
    g.value = ("c", "a")  # set from code, any order: kept in option order
    assert g.value == ("a", "c") and len(seen) == 1  # same value: no notification
    g.value = ("b",)
    assert [k for k, b in g.checkboxes.items() if b.value] == ["b"] and seen[-1] == ("b",)
    g.none_button.click()
    assert g.value == () and not any(b.value for b in g.checkboxes.values())
    g.all_button.click()
    assert g.value == ("a", "b", "c")
    with pytest.raises(Exception, match="not an option"):
        g.value = ("z",)
    assert g.value == ("a", "b", "c")


def test_one_redraw_per_filter_change(explorer):
    n = explorer.n_redraws
    explorer.actors.none_button.click()
    assert explorer.n_redraws == n + 1 and explorer.filtered.empty
    explorer.actors.checkboxes["Russia"].value = True
    assert explorer.n_redraws == n + 2
    assert list(explorer.filtered["event_id"]) == ["e1", "e5"]
    # the filter widgets are checkboxes: keyboard-operable in JupyterLab (no <select>)
    import ipywidgets as widgets

    assert all(isinstance(b, widgets.Checkbox) for b in explorer.grades.checkboxes.values())


def test_month_labels_read_unambiguously_as_a_range(explorer):
    explorer.months.index = (0, 3)
    first, last = (explorer.months.options[i][0] for i in explorer.months.index)
    assert (first, last) == ("Sep 2017", "Dec 2017")  # readout "Sep 2017-Dec 2017"
    assert explorer.lanes.style.button_width == "auto"  # full button labels, not "one lane per eve…"
