"""The figures of the three headline mechanisms draw what the model computed."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from s400lab.analysis.ensembles import milestone_odds
from s400lab.model import Scenario, india_timing, run, run_ensemble
from s400lab.plots.mechanisms import (
    deal_balance,
    deal_table,
    depletion_chart,
    milestone_odds_chart,
    timing_ruler,
)


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_timing_ruler_shows_why_india_moves_or_not(ax):
    early = india_timing(run(Scenario.preset("early_return_india")))
    art = timing_ruler(ax, early)
    assert early.attrs["reaches_india"] and "before" in early.attrs["verdict"]
    x = {k: line.get_xdata()[0] for k, line in art["points"].items()}
    assert x["in_india"] < x["last_from_production"] and x["last_squadron"] == x["in_india"]
    assert "early" in " ".join(t.get_text() for t in ax.texts)
    default = india_timing(run(Scenario.preset("full_return_reexport_india")))
    assert not default.attrs["reaches_india"] and "does not move" in default.attrs["verdict"]
    assert default.loc["in_india", "t"] > default.loc["last_from_production", "t"]


def test_timing_ruler_without_a_return(ax):
    art = timing_ruler(ax, india_timing(run(Scenario.preset("status_quo"))))
    assert set(art["points"]) == {"last_from_production", "last_squadron"} and art["gap"] is None


def test_milestone_odds_chart_prints_date_and_chance(ax):
    odds = milestone_odds(Scenario.preset("full_return_cash"), n=200, seed=1).iloc[:4]
    art = milestone_odds_chart(ax, odds)
    assert [b.get_width() for b in art["bars"]] == pytest.approx(list(odds["p_within"]))
    assert odds["central_label"].iloc[1] in art["labels"][1].get_text()


def test_deal_balance_nets_by_hand(ax):
    t = deal_table({s: run(Scenario.preset(s)) for s in ("full_return_cash", "transfer_third_party")})
    # v3: the units are worth Russia's highest price plus the leverage it forgoes (2 x 0.75 at the
    # contracts' median, raised by the scarcity premium); the refund is the terms, 60% of 2.5
    o = run(Scenario.preset("full_return_cash")).raw_outcomes
    worth = o["ru_max_usd_bn"] + 0.25
    assert worth > 2 * 0.75  # the shortfall at the agreement raises the price
    assert t.loc["full_return_cash"].tolist() == pytest.approx([worth, 1.5, 0.25, worth - 0.25 - 1.5])
    assert t.loc["transfer_third_party"].tolist() == pytest.approx([0, 0, 0.25, -0.25])
    art = deal_balance(ax, t)
    assert list(art["net"].get_xdata()) == pytest.approx([worth - 1.75, -0.25])


def test_depletion_chart_one_line_per_course(ax):
    sq = Scenario.preset("status_quo")
    bands = {
        c: run_ensemble(sq.with_changes(war_course=c), 200, seed=1, fixed=["war_course"]).bands("ru_stock")
        for c in ("ceasefire", "escalation")
    }
    art = depletion_chart(ax, bands, {"ceasefire": 65, "escalation": 90}, start=80)
    assert set(art["medians"]) == {"ceasefire", "escalation"}
    assert art["medians"]["ceasefire"].get_ydata()[-1] > art["medians"]["escalation"].get_ydata()[-1]
