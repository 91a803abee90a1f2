"""Hand-computed cases for each block of equations in s400lab.model.core."""

from __future__ import annotations

import math

import numpy as np
import pytest

from s400lab.model import Scenario, run
from s400lab.model.core import export_factor, months_to_quarters

from .conftest import sim1

# Russia never short of S-400s: isolates the India queue from the allocation rule.
NO_SHORTFALL = dict(inventory_bn=105, home_requirement_bn=50)


def test_months_to_quarters_rounds_up():
    assert months_to_quarters(np.array([0, 1, 3, 4, 6, 12, 13])).tolist() == [0, 1, 1, 2, 2, 4, 5]


@pytest.mark.parametrize("shortfall, expected", [(0, 1.0), (10, 0.625), (20, 0.25), (40, 0.25)])
def test_export_factor_allocation_rule(shortfall, expected):
    # f = 1 - (1 - floor) * min(1, shortfall / threshold), floor 0.25, threshold 20
    assert float(export_factor(shortfall, 0.25, 20.0)) == pytest.approx(expected)


def test_stock_recursion_three_quarters_by_hand():
    # P/4 = 2, L/4 = 1, cap_max = 2 * 0.5 = 1, floor 0, threshold 20, shortfall at q0 = 10
    series, out = sim1(
        inventory_bn=55,
        home_requirement_bn=65,
        production_bn_per_year=8,
        loss_rate_bn_per_year=4,
        export_share=0.5,
        export_floor=0.0,
        shortfall_threshold_bn=20,
        horizon_quarters=4,
        ru_export_buyers="all",  # the allocation rule alone (not capped at India's contract)
    )
    # q0: f = 0.5,     exports 0.5,     S1 = 55 + 2 - 1 - 0.5     = 55.5
    # q1: f = 0.525,   exports 0.525,   S2 = 55.5 + 1 - 0.525     = 55.975
    # q2: f = 0.54875, exports 0.54875, S3 = 55.975 + 1 - 0.54875 = 56.42625
    np.testing.assert_allclose(series["ru_stock"], [55, 55.5, 55.975, 56.42625])
    np.testing.assert_allclose(series["ru_exports"][:3], [0.5, 0.525, 0.54875])
    np.testing.assert_allclose(series["ru_shortfall"], [10, 9.5, 9.025, 8.57375])


def test_stock_never_negative_under_heavy_losses():
    series, out = sim1(
        inventory_bn=55, loss_rate_bn_per_year=6, production_bn_per_year=6, horizon_quarters=40
    )
    # net change -0 per quarter at best; with exports the stock shrinks but is floored at 0
    assert series["ru_stock"].min() >= 0
    assert out["ru_stock_end"] >= 0


def test_india_queue_from_export_capacity():
    # cap = 8/4 * 0.25 = 0.5 per quarter; credit reaches 2 in q3 and 4 in q7
    _, out = sim1(
        **NO_SHORTFALL,
        production_bn_per_year=8,
        export_share=0.25,
        india_undelivered_sq=2,
        india_credit_start_bn=0.0,
    )
    assert out["india_sq4_q"] == 2027.5  # 2026Q4 + 3 quarters
    assert out["india_sq5_q"] == 2028.5
    assert out["india_sq4_delay_q"] == 5  # promised 2026.25
    assert out["india_sq5_delay_q"] == 7  # promised 2026.75
    assert out["india_done_by_deadline"] == 0  # deadline 2027Q4


def test_india_queue_with_head_start():
    _, out = sim1(
        **NO_SHORTFALL,
        production_bn_per_year=8,
        export_share=0.25,
        india_undelivered_sq=1,
        india_credit_start_bn=1.0,
    )
    # only the 5th is missing: credit 1.5 at q0, 2.0 at q1 -> 2027.0
    assert out["india_sq5_q"] == 2027.0
    assert out["india_sq5_delay_q"] == 1
    assert out["india_sq4_delay_q"] == 0  # already delivered before the start
    assert out["india_done_by_deadline"] == 1


def test_india_all_delivered_before_start():
    series, out = sim1(india_undelivered_sq=0)
    # delivered before the start, promised for 2026Q4 (the start): the date is unknown (NaN),
    # not the quarter before the start (v2 invented that date)
    assert np.isnan(out["india_sq5_q"]) and out["india_sq5_delay_q"] == 0
    assert out["india_done_by_deadline"] == 1
    assert (series["india_squadrons"] == 5).all()


DIRECT = dict(
    **NO_SHORTFALL,
    tr_action="return_full",
    tr_holding_bn=4,
    return_quarter=0,
    removal_months=1,
    refurb_months=0,
    production_bn_per_year=6,
    export_share=0.1,
    loss_rate_bn_per_year=4,
    india_undelivered_sq=2,
    india_credit_start_bn=0.0,
    ru_export_buyers="all",
)


def test_returned_units_go_straight_to_india():
    series, out = sim1(**DIRECT, ru_use_returned="india")
    # k_use = 0 + ceil(1/3) + 0 = 1: both squadrons from the 4 returned battalions
    assert out["india_sq4_q"] == 2027.0 and out["india_sq5_q"] == 2027.0
    assert out["returned_to_russia"] == 4
    # S1 = 105 + 1.5 - 1 - 0.15 = 105.35; q1: +4 returned -4 to India + 0.5 - 0.15
    np.testing.assert_allclose(series["ru_stock"][:3], [105, 105.35, 105.7])
    assert out["sig_russian_ad_gain"] == 0
    assert out["ru_exports_total"] == pytest.approx(0.15 * 24 + 4)


def test_returned_units_home_and_resale():
    s_home, o_home = sim1(**DIRECT, ru_use_returned="home")
    s_sale, o_sale = sim1(**DIRECT, ru_use_returned="resale")
    np.testing.assert_allclose(s_home["ru_stock"][:3], [105, 105.35, 109.7])
    np.testing.assert_allclose(s_sale["ru_stock"][:3], [105, 105.35, 105.7])
    assert o_home["sig_russian_ad_gain"] == -1.0
    assert o_sale["sig_russian_ad_gain"] == 0
    # India is served from capacity only: 0.15 per quarter needs 14 quarters for 2 battalions
    assert o_home["india_sq4_q"] == o_sale["india_sq4_q"] == 2026.75 + 13 * 0.25
    assert s_home["ru_returned"][1] == 4 and s_home["ru_returned"].sum() == 4


MILESTONES = dict(
    tr_action="return_full",
    return_quarter=0,
    removal_months=3,
    sanctions_lift_months=6,
    f35_readmission_months=12,
    f35_delivery_months=3,
)


def test_milestone_quarters_standard():
    _, out = sim1(**MILESTONES)
    # k_leave = 1, sanctions +2 -> 3, readmission max(3, 1 + 4) = 5, first jet 5 + 1 = 6
    assert out["legal_conditions_met"] == 1
    assert out["divestiture_q"] == 2027.0
    assert out["sanctions_lifted_q"] == 2027.5
    assert out["f35_readmission_q"] == 2028.0
    assert out["f35_first_delivery_q"] == 2028.25
    assert out["sanctions_lifted"] == out["f35_readmitted"] == out["f35_delivered"] == 1


def test_milestone_quarters_hostile_and_hold():
    _, out = sim1(**MILESTONES, us_response="hostile")
    # durations x2: sanctions 12 months -> k q(3 + 12) = 5. Hold chances x2: sanctions 2 x 0.1
    # = 0.2 < u 0.5 (not held); F-35 with one linkage pending (greece_cyprus) 2 x 0.4 = 0.8
    # > u 0.5 -> held: + 12 months, readmission max(12, 24 + 12) = 36 -> k q(39) = 13,
    # first jet 36 + 6 = 42 -> k q(45) = 15
    assert out["sanctions_lifted_q"] == 2028.0
    assert out["f35_readmission_q"] == 2030.0 and out["f35_first_delivery_q"] == 2030.5
    assert out["f35_held"] == 1 and out["sanctions_held"] == 0
    assert out["f35_blocked"] == 0 and out["sanctions_blocked"] == 0  # delayed, not stopped
    # the same hold with 12 quarters simulated: the chain alone reaches readmission in k 9, the
    # hold pushes it to k 13, past the horizon -> blocked within it
    _, short = sim1(**MILESTONES, us_response="hostile", horizon_quarters=12)
    assert short["f35_blocked"] == 1 and math.isnan(short["f35_readmission_q"])
    assert short["sanctions_lifted_q"] == 2028.0


def test_milestone_quarters_cooperative():
    _, out = sim1(**MILESTONES, us_response="cooperative")
    # durations x0.5: 3 m -> 1 q (k 2), 6 m -> 2 q (k max(2, 3) = 3), 1.5 m -> 1 q (k 4)
    assert (out["sanctions_lifted_q"], out["f35_readmission_q"], out["f35_first_delivery_q"]) == (
        2027.25,
        2027.5,
        2027.75,
    )


def test_sanctions_hold_delays_everything():
    _, out = sim1(**MILESTONES, u_block_sanctions=0.05)  # 0.05 < p_hold_sanctions 0.1
    # sanctions 6 + 12 months -> k q(3 + 18) = 7; readmission max(18, 12) = 18 -> k 7; jet k 8
    assert out["sanctions_held"] == 1 and out["f35_held"] == 0
    assert (out["sanctions_lifted_q"], out["f35_readmission_q"], out["f35_first_delivery_q"]) == (
        2028.5,
        2028.5,
        2028.75,
    )
    assert out["sanctions_blocked"] == 0
    # with 6 quarters the chain alone lifts them in k 3, the hold pushes it to k 7: blocked
    _, short = sim1(**MILESTONES, u_block_sanctions=0.05, horizon_quarters=6)
    assert short["sanctions_blocked"] == 1 and short["f35_blocked"] == 0
    assert all(math.isnan(short[k]) for k in ("sanctions_lifted_q", "f35_readmission_q"))


def test_milestone_beyond_horizon_is_nan():
    _, out = sim1(**MILESTONES, horizon_quarters=4)
    assert out["sanctions_lifted_q"] == 2027.5
    assert math.isnan(out["f35_readmission_q"]) and out["f35_readmitted"] == 0


@pytest.mark.parametrize("action", ["keep_stored", "activate", "return_partial"])
def test_no_legal_conditions_without_full_divestiture(action):
    sc = Scenario.default().with_changes(tr_action=action, us_response="cooperative", return_quarter=0)
    res = run(sc)
    assert res["legal_conditions_met"] == 0
    for k in ("divestiture_q", "sanctions_lifted_q", "f35_readmission_q", "f35_first_delivery_q"):
        assert math.isnan(res[k])
    assert "NOT met" in res.verdict


def test_third_party_transfer_counts_but_russia_gets_nothing():
    res = run(Scenario.preset("transfer_third_party"))
    assert res["legal_conditions_met"] == 1 and "Russia's consent" in res.verdict
    assert res["returned_to_russia"] == 0 and res["ru_value_regained_usd_bn"] == 0
    assert res["ru_refund_cost_usd_bn"] == 0 and res["tr_refund_usd_bn"] == pytest.approx(1.5)


def test_money_full_return_cash_by_hand():
    series, out = sim1(**{**MILESTONES, "f35_readmission_months": 36}, compensation_form="cash")
    # refund 0.6 x 2.5 x 2/2 = 1.5; k_leave 1 -> upkeep 0.05 x 23 / 4; readmission k 13
    assert out["tr_refund_usd_bn"] == pytest.approx(1.5)
    assert out["tr_upkeep_avoided_usd_bn"] == pytest.approx(0.05 * 23 / 4)
    assert out["tr_workshare_usd_bn"] == pytest.approx(0.4 * (24 - 13) / 4)
    assert out["tr_recovered_usd_bn"] == pytest.approx(1.5 + 0.2875 + 1.1)
    assert out["tr_sunk_usd_bn"] == pytest.approx(2.5 + 1.3)
    # Russia: 2 battalions x 0.75 (the contracts' median price) regained (usable at k 1 +
    # ceil(6/3) = 3) minus 1.5 refund
    assert out["ru_value_regained_usd_bn"] == pytest.approx(1.5)
    assert out["ru_net_usd_bn"] == pytest.approx(0.0)
    assert series["tr_recovered_usd_bn"][-1] == pytest.approx(out["tr_recovered_usd_bn"])
    assert series["tr_recovered_usd_bn"][0] == 0


def test_money_energy_offset_spread_over_years():
    series, out = sim1(
        **MILESTONES, compensation_form="energy_offset", energy_offset_years=2, horizon_quarters=4
    )
    # 8 quarterly parts from k_leave = 1: 3 received within a 4-quarter horizon
    assert out["tr_refund_usd_bn"] == pytest.approx(1.5 * 3 / 8)
    np.testing.assert_allclose(
        series["tr_recovered_usd_bn"],
        [0.0] + [1.5 * i / 8 + 0.05 * i / 4 for i in (1, 2, 3)],
    )


def test_money_partial_and_none():
    _, out = sim1(tr_action="return_partial", return_battalions=3, tr_holding_bn=2)
    assert out["battalions_divested"] == 1  # keeps at least one
    assert out["tr_refund_usd_bn"] == pytest.approx(0.75)
    _, out = sim1(tr_action="return_partial", return_battalions=3, tr_holding_bn=4)
    assert out["battalions_divested"] == 3
    _, out = sim1(tr_action="return_full", compensation_form="none")
    assert out["tr_refund_usd_bn"] == 0 and out["ru_refund_cost_usd_bn"] == 0


def test_alliance_scorecard():
    sq = run(Scenario.preset("status_quo"))
    assert [
        sq[k]
        for k in (
            "sig_nato_integration",
            "sig_us_trust",
            "sig_moscow_leverage",
            "sig_russian_ad_gain",
            "alliance_score",
        )
    ] == [0, 0, 0, 0, 0]
    act = run(Scenario.preset("activate"))
    # activation is counted once, in US trust (v1 subtracted it in NATO integration too)
    assert act["sig_nato_integration"] == 0 and act["sig_us_trust"] == -1
    assert act["alliance_score"] == -1
    full = run(Scenario.preset("full_return_cash"))
    # 1 x 1 + 1 x 1 + 1 x 1 + 0.5 x (-2/4)
    assert full["alliance_score"] == pytest.approx(2.75)
    offset = run(Scenario.preset("full_return_energy_offset"))
    # proportional: 1 - offset_dependence (the offset obligation / contract, 1.5 / 2.5), no
    # longer the part outstanding within the horizon (v2: a later return looked better)
    assert offset["offset_dependence"] == pytest.approx(1.5 / 2.5)
    assert offset["sig_moscow_leverage"] == pytest.approx(1 - 1.5 / 2.5)
    heavy = run(Scenario.preset("full_return_cash").with_changes(w_us_trust=2.0))
    assert heavy["alliance_score"] == pytest.approx(3.75)
