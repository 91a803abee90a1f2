"""``python -m s400lab freshness``: newest event, stale areas, overdue promises (hand-checked)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from s400lab.__main__ import main
from s400lab.data import load
from s400lab.data.freshness import freshness


def test_fixture_by_hand(h) -> None:
    ds = load(h.FIXTURE)
    # fixture events: 2017-07-25, 2017-12 (month) and 2019-07-12, all about Turkiye
    r = freshness(ds, today=dt.date(2019, 8, 1), stale_days=120)
    assert r.newest_event == dt.date(2019, 7, 12)
    assert r.newest_event_id == "2019-07-12-first-delivery-turkiye"
    area = {a.key: a for a in r.areas}
    assert (area["turkiye"].age_days, area["turkiye"].stale, area["turkiye"].events) == (20, False, 3)
    assert area["india"].events == 0 and area["india"].stale  # nothing at all counts as stale
    assert r.version == ds.version
    later = freshness(ds, today=dt.date(2019, 11, 10), stale_days=120)  # 121 days after the event
    assert {a.key for a in later.stale_areas} >= {"turkiye"}


def test_shipped_data_as_of_december_2026(h) -> None:
    ds = load(h.REAL)
    r = freshness(ds, today=dt.date(2026, 12, 1))
    main_rows = ds.events[ds.events["variant_of"].isna()]
    assert r.newest_event == main_rows["date"].max().date()
    assert r.newest_event >= dt.date(2026, 7, 1)
    assert any(o.startswith("india-2018-sq4:") for o in r.overdue)
    assert any(o.startswith("india-2018-sq5:") for o in r.overdue)  # November 2026 has passed
    assert "turkiye" in {a.key for a in r.stale_areas}


def test_month_precision_promise_is_due_at_the_end_of_the_month(h) -> None:
    ds = load(h.REAL)
    sq5 = ds.promises[(ds.promises["deal_id"] == "india-2018") & (ds.promises["tranche"] == 5)]
    due = pd.Timestamp(sq5.sort_values("stated_on").iloc[-1]["promised_date"]).date()
    mid = due.replace(day=15)
    assert not any(o.startswith("india-2018-sq5:") for o in freshness(ds, today=mid).overdue)
    nxt = (pd.Timestamp(due) + pd.offsets.MonthBegin(1)).date()
    assert any(o.startswith("india-2018-sq5:") for o in freshness(ds, today=nxt).overdue)


def test_cli(h, capsys) -> None:
    assert main(["freshness", str(h.REAL), "--today", "2026-12-01"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("data version 0.2.0+")
    assert "newest event: 2026-07-07" in out and "STALE" in out
    assert main(["freshness", str(h.REAL), "--today", "2026-12-01", "--strict"]) == 1
    capsys.readouterr()
    assert main(["freshness", "--today", "1 Dec"]) == 2
    assert main(["freshness", "--stale-days", "-1"]) == 2


def test_cli_reports_invalid_data(fixture_copy, h, capsys) -> None:
    h.set_cell(fixture_copy / "events.csv", 0, "confidence", "certain")
    assert main(["freshness", str(fixture_copy)]) == 1
    assert "events.csv" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (["--stale-days", "1_0"], "'1_0' is not a whole number"),
        (["--stale-days", "\u0661\u0662"], "is not a whole number"),
        (["--stale-days", "99999999999999"], "is out of range; use 0..36,500"),
        (["--today", "2026-1-5"], '"2026-1-5" is not a valid date (expected YYYY-MM-DD with zero padding'),
        (["--today", "20261201"], "is not a valid date"),
    ],
)
def test_cli_options_follow_the_data_grammar(capsys, args, why) -> None:
    assert main(["freshness", *args]) == 2
    err = capsys.readouterr().err
    assert why in err and "Traceback" not in err
