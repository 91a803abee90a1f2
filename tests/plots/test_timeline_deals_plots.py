"""Deals bars, deliveries dumbbells and India's slippage chart, checked on their artists' data."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from s400lab.plots.deals import deal_rows, plot_deals, plot_deliveries, plot_slippage
from s400lab.plots.style import ACTOR_COLOURS


def S(*xs):
    return pd.Series(xs, dtype="string")


def D(*xs):
    return pd.to_datetime(pd.Series(xs, dtype=object))


def F(*xs):
    return pd.Series(xs, dtype="float64")


def deals() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "deal_id": S("india-2018", "turkiye-2017-v4", "turkiye-2017", "belarus-talks"),
            "variant_of": S(None, "turkiye-2017", None, None),
            "buyer": S("India", "Turkiye", "Turkiye", "Belarus"),
            "seller": S("Russia", "Russia", "Russia", "Russia"),
            "signed_date": D("2018-10-05", "2017-09-12", "2017-09-12", None),
            "signed_precision": S("day", "day", "day", None),
            "value_usd_bn": F(5.43, 2.5, 2.5, None),
            "units_reported": F(5, 4, 2, None),
            "unit_term": S("squadron", "battery", "battalion", None),
            "battalions": F(10, 4, 2, None),
            "status": S("in_delivery", "completed", "completed", "talks"),
            "confidence": S("official", "disputed", "official", "claimed"),
        }
    )


def deliveries() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "delivery_id": S("in-sq2", "in-sq1", "in-sq4", "tr-1"),
            "deal_id": S("india-2018", "india-2018", "india-2018", "turkiye-2017"),
            "tranche": pd.Series([2, 1, 4, 1], dtype="Int64"),
            "description": S("2nd squadron", "1st squadron", "4th squadron", "first regiment"),
            "planned_date": D("2021-06-01", "2020-10-01", "2023-01-01", None),
            "planned_precision": S("month", "month", "year", None),
            "actual_date": D("2022-04-01", "2021-12-01", None, "2019-09-15"),
            "actual_precision": S("month", "month", None, "day"),
            "status": S("delivered", "delivered", "pending", "delivered"),
        }
    )


def promises() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "promise_id": S("p1", "p2", "p3", "p4", "px"),
            "deal_id": S("india-2018", "india-2018", "india-2018", "india-2018", "other"),
            "tranche": pd.Series([4, 4, None, 5, 1], dtype="Int64"),
            "promised_date": D("2026-06-01", "2025-01-01", "2023-04-01", "2026-11-01", "2030-01-01"),
            "promised_precision": S("month", "day", "month", "month", "day"),
            "stated_on": D("2026-02-10", "2024-10-04", "2019-03-01", "2026-02-10", "2020-01-01"),
            "stated_precision": S("day", "day", "day", "day", "day"),
            "confidence": S("official", "official", "reported", "official", "official"),
        }
    )


def axes(n=1):
    fig = Figure()
    return fig.subplots(1, n) if n > 1 else fig.add_subplot()


def num(s):
    return mdates.date2num(pd.Timestamp(s))


def test_deal_rows_put_each_variant_right_under_its_main_row():
    rows = deal_rows(deals())
    assert list(rows["deal_id"]) == ["turkiye-2017", "turkiye-2017-v4", "india-2018", "belarus-talks"]
    assert list(rows["is_variant"]) == [False, True, False, False]
    assert rows.loc[1, "row_label"] == "   \u21b3 turkiye-2017-v4: 4 battery"
    assert rows.loc[3, "row_label"] == "belarus-talks \u00b7 talks"  # no date: the id names it
    assert rows.loc[0, "row_label"] == "Turkiye 2017 \u00b7 completed"


def test_deal_bars_values_variants_hatched_unknown_written_not_zeroed():
    a, b = axes(2)
    out = plot_deals(a, b, deals())
    assert [bar.get_width() for bar in out["battalions"]] == [2, 4, 10, 0]
    assert [bar.get_width() for bar in out["value"]] == [2.5, 2.5, 5.43, 0]
    main, variant = out["battalions"][0], out["battalions"][1]
    assert main.get_facecolor() == to_rgba(ACTOR_COLOURS["Turkiye"]) and not main.get_hatch()
    assert variant.get_facecolor() == to_rgba("white") and variant.get_hatch() == "///"
    assert variant.get_edgecolor() == to_rgba(ACTOR_COLOURS["Turkiye"])
    assert [t.get_text() for t in out["unknown"]] == ["unknown", "unknown"]  # one per panel


def test_dumbbells_planned_actual_links_and_pending_arrows():
    ax = axes()
    out = plot_deliveries(ax, deliveries(), deals(), today="2026-11-24")
    rows = list(out["rows"]["delivery_id"])
    assert rows == ["in-sq1", "in-sq2", "in-sq4", "tr-1"]  # by deal, then tranche
    planned = np.asarray(out["planned"].get_offsets())
    actual = np.asarray(out["actual"].get_offsets())
    assert len(planned) == 3 and len(actual) == 3
    mid_oct_2020 = (num("2020-10-01") + num("2020-11-01")) / 2
    assert planned[0].tolist() == pytest.approx([mid_oct_2020, 0])
    assert actual[-1].tolist() == pytest.approx([num("2019-09-15"), 3])
    assert len(out["links"].get_segments()) == 2  # only rows with both dates
    (arrow,) = out["pending"]
    assert arrow.xy == pytest.approx((num("2026-11-24"), 2))
    assert out["today"].get_xdata()[0] == pytest.approx(num("2026-11-24"))
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "India \u00b7 1st squadron"


def test_slippage_lines_per_tranche_diagonal_and_delivered_stars():
    ax = axes()
    out = plot_slippage(ax, promises(), deliveries(), deal_id="india-2018")
    assert list(out["lines"]) == ["4th squadron", "tranche 5", "all remaining"]
    x4, y4 = out["lines"]["4th squadron"].get_data()
    assert list(x4) == pytest.approx([num("2024-10-04"), num("2026-02-10")])  # by statement date
    mid_june = (num("2026-06-01") + num("2026-07-01")) / 2
    assert list(y4) == pytest.approx([num("2025-01-01"), mid_june])
    dx, dy = out["diagonal"].get_data()
    assert list(dx) == list(dy)
    assert sum(len(c.get_offsets()) for c in out["points"].values()) == 4  # "other" deal dropped
    assert set(out["points"]) == {"official", "reported"}
    stars = np.asarray(out["delivered"].get_offsets())
    assert len(stars) == 2 and all(stars[:, 0] == stars[:, 1])  # delivered = on the diagonal


def test_unconfirmed_delivery_is_a_hollow_star():
    dv = deliveries()
    dv.loc[dv["delivery_id"] == "in-sq2", "status"] = "unconfirmed"
    out = plot_slippage(axes(), promises(), dv, deal_id="india-2018")
    faces = [tuple(f) for f in out["delivered"].get_facecolors()]
    assert sorted(faces) == sorted([to_rgba("black"), to_rgba("white")])


# ------------------------------------------------------------------ readable on a projector
def test_deals_not_signed_are_dashed_outlines_never_solid_bars():
    dl = deals()
    dl.loc[dl["deal_id"] == "belarus-talks", ["battalions", "value_usd_bn"]] = [10.0, 1.1]
    a, b = axes(2)
    out = plot_deals(a, b, dl)
    rows = out["rows"]
    assert list(rows["signed"]) == [True, True, True, False]
    for key in ("battalions", "value"):
        talks = out[key][3]
        assert talks.get_facecolor() == to_rgba("white") and not talks.get_hatch()
        assert talks.get_edgecolor() == to_rgba(ACTOR_COLOURS["Belarus"])
        assert talks.get_linestyle() != "solid"
        signed = out[key][2]
        assert signed.get_facecolor() == to_rgba(ACTOR_COLOURS["India"])
        assert signed.get_linestyle() == "solid"
    assert "10 (not signed)" in [t.get_text() for t in a.texts]
    legend = [t.get_text() for t in out["legend"].get_texts()]
    assert legend[0] == "signed contract" and legend[1].startswith("not signed: talks")
    assert any("variant" in t for t in legend)


def test_deliveries_coloured_by_buyer_with_axis_label_and_status_words():
    dv = deliveries()
    dv.loc[dv["delivery_id"] == "in-sq1", "status"] = "unconfirmed"
    extra = dv.iloc[[0]].assign(
        delivery_id="in-sq3",
        tranche=3,
        description="3rd squadron",
        planned_date=pd.NaT,
        actual_date=pd.NaT,
        status="delivered",
    )
    dv = pd.concat([dv, extra], ignore_index=True)
    ax = axes()
    out = plot_deliveries(ax, dv, deals(), today="2026-11-24")
    assert ax.get_xlabel()  # the axis says what it measures
    india = to_rgba(ACTOR_COLOURS["India"])
    turkiye = to_rgba(ACTOR_COLOURS["Turkiye"])
    assert [tuple(c) for c in out["links"].get_colors()] == [india, india]
    actual = [tuple(c) for c in out["actual"].get_facecolors()]
    assert actual == [india, india, turkiye]
    planned_edges = [tuple(c) for c in out["planned"].get_edgecolors()]
    assert all(c == india for c in planned_edges)
    assert all(tuple(c) == to_rgba("white") for c in out["planned"].get_facecolors())  # hollow
    notes = [t.get_text() for t in out["notes"]]
    assert any("unconfirmed" in n for n in notes)  # said in words, not only by a marker
    assert "pending" in notes  # the arrow of the undelivered 4th squadron
    assert "no date reported (delivered)" in notes
    legend = [t.get_text() for t in out["legend"].get_texts()]
    assert legend[:2] == ["India", "Turkiye"] and "planned" in legend and "delivered" in legend


def test_year_precision_dates_get_no_shift_in_months():
    dv = deliveries()
    dv.loc[dv["delivery_id"] == "in-sq2", "actual_precision"] = "year"
    out = plot_deliveries(axes(), dv, deals(), today="2026-11-24")
    notes = [t.get_text() for t in out["notes"]]
    assert "+14 mo" in notes  # 1st squadron: 2020-10 -> 2021-12, both to the month
    assert len([n for n in notes if n.endswith("mo")]) == 1  # none for the year-only date


def test_slippage_labels_cover_no_line_marker_or_other_label():
    from matplotlib.cbook import STEP_LOOKUP_MAP
    from matplotlib.path import Path

    fig = Figure(figsize=(12, 7.5), layout="constrained")
    ax = fig.add_subplot()
    dv = deliveries()
    dv.loc[dv["delivery_id"] == "in-sq4", ["actual_date", "actual_precision", "status"]] = [
        pd.Timestamp("2026-06-01"),
        "month",
        "unconfirmed",
    ]
    out = plot_slippage(ax, promises(), dv, deal_id="india-2018")
    texts = [a.get_text() for a in out["labels"]]
    assert sorted(texts) == [
        "1st squadron\ndelivered",
        "2nd squadron\ndelivered",
        "4th squadron\nreported (unconfirmed)",
    ]
    fig.draw_without_rendering()
    boxes = [a.get_bbox_patch().get_window_extent() for a in out["labels"]]
    frame = ax.get_window_extent()
    for i, bb in enumerate(boxes):
        assert frame.x0 <= bb.x0 and bb.x1 <= frame.x1 and frame.y0 <= bb.y0 and bb.y1 <= frame.y1
        for j in range(i + 1, len(boxes)):
            assert not bb.overlaps(boxes[j])
        for line in ax.get_lines():
            x, y = (np.asarray(v, float) for v in line.get_data())
            if line.get_drawstyle() not in (None, "default"):
                x, y = STEP_LOOKUP_MAP[line.get_drawstyle()](x, y)
            path = Path(ax.transData.transform(np.column_stack([x, y])))
            assert not path.intersects_bbox(bb, filled=False), (texts[i], line.get_label())
        for coll in [*out["points"].values(), out["delivered"]]:
            for px, py in ax.transData.transform(np.asarray(coll.get_offsets())):
                assert not (bb.x0 < px < bb.x1 and bb.y0 < py < bb.y1), texts[i]


def test_slippage_series_order_does_not_depend_on_the_hash_seed():
    """Tranches of equal number ("1st squadron", "1st regimental set") keep their colour
    from one Python process to the next (they were ordered by set iteration)."""
    import os
    import subprocess
    import sys

    code = (
        "import matplotlib; matplotlib.use('Agg')\n"
        "from matplotlib.figure import Figure\n"
        "from s400lab.data import load\n"
        "from s400lab.plots.deals import plot_slippage\n"
        "ds = load(); ax = Figure().subplots()\n"
        "print(list(plot_slippage(ax, ds.promises, ds.deliveries)['lines']))\n"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(runs) == 1, runs
