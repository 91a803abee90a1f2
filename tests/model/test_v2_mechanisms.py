"""Model v2 (issue 10): each defect of v1 has a test here that fails on the v1 code, and the
three headline mechanisms (Russia's depletion, the India channel, Russia's consent) are
checked against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest

import s400lab.model.core as core
from s400lab.model import Scenario, compare_readings, lever_bounds, run, run_ensemble
from s400lab.model.core import SECTIONS, months_to_quarters

from .conftest import sim1

SQ = Scenario.preset("status_quo")


# ------------------------------------------------------------------ defects of v1
def test_activation_counted_once():
    # v1: -1 in NATO integration and -1 in US trust -> score -2
    act, sq = run(Scenario.preset("activate")), run(SQ)
    assert act["alliance_score"] - sq["alliance_score"] == pytest.approx(-1.0)
    assert act["sig_nato_integration"] == sq["sig_nato_integration"] == 0


def test_small_energy_offset_costs_little_not_a_full_point():
    # v1: any offset above 0 cost 0.5 x 2 = 1 point of the leverage signal, so a partial
    # return with a US$0.125bn offset scored below the status quo
    part = SQ.with_changes(
        tr_action="return_partial", compensation_form="energy_offset", compensation_share=0.1
    )
    off, cash = run(part), run(part.with_changes(compensation_form="cash"))
    assert off["tr_refund_usd_bn"] == pytest.approx(0.125)
    assert off["alliance_score"] > run(SQ)["alliance_score"]
    # v3: the penalty is the offset obligation (0.1 x 1/2 of the contract), not the part still
    # owed within the horizon
    assert 0 < cash["alliance_score"] - off["alliance_score"] <= 0.05 + 1e-9
    # proportional: seven times the offset, seven times the penalty (a share Russia still pays:
    # at 100% the return would be refused, v3)
    big = run(part.with_changes(compensation_share=0.7))
    assert big["deal_agreed"] == 1
    pen_small = cash["sig_moscow_leverage"] - off["sig_moscow_leverage"]
    pen_big = (
        run(part.with_changes(compensation_share=0.7, compensation_form="cash"))["sig_moscow_leverage"]
        - big["sig_moscow_leverage"]
    )
    assert pen_big == pytest.approx(7 * pen_small)


def test_partial_return_range_follows_the_holding():
    # v1: with 2 battalions held, return_battalions 2 or 3 silently returned 1
    for k in (2, 3):
        with pytest.raises(ValueError, match="return_battalions.*tr_holding_bn"):
            SQ.with_changes(tr_action="return_partial", return_battalions=k)
    assert lever_bounds({"tr_holding_bn": 2})["return_battalions"] == (1.0, 1.0)
    assert lever_bounds({"tr_holding_bn": 4})["return_battalions"] == (1.0, 3.0)
    ok = SQ.with_changes(tr_holding_bn=4, tr_action="return_partial", return_battalions=3)
    assert run(ok)["battalions_divested"] == 3
    # going back to a holding of 2 with 3 to return is refused too (the control's max moves)
    with pytest.raises(ValueError, match="return_battalions"):
        ok.with_changes(tr_holding_bn=2)


def test_incoherent_levers_refused_naming_them():
    # v1 ran a third-party transfer "paid" by an offset on Turkiye's Russian energy bills
    with pytest.raises(
        ValueError, match="tr_action='transfer_third_party'.*compensation_form='energy_offset'"
    ):
        SQ.with_changes(tr_action="transfer_third_party", compensation_form="energy_offset")
    with pytest.raises(ValueError, match="incoherent levers"):
        Scenario.from_dict(
            {"values": {"tr_action": "transfer_third_party", "compensation_form": "energy_offset"}}
        )


@pytest.mark.parametrize(
    "name, readings",
    [
        ("india_undelivered_sq", ["0", "1", "2"]),
        ("india_credit_start_bn", ["0", "1", "2"]),
        ("tr_holding_bn", ["2", "4"]),
        ("s400_contract_usd_bn", ["2", "2.2", "2.5", "2.7"]),
        ("war_course", ["ceasefire", "attrition", "escalation"]),
    ],
)
def test_evidence_disputes_run_side_by_side(name, readings):
    table = compare_readings(
        Scenario.preset("full_return_cash"), name, ["india_sq5_q", "tr_refund_usd_bn", "ru_stock_end"]
    )
    assert [c.split(" = ")[1] for c in table.columns[2:]] == readings
    assert table.shape == (3, 2 + len(readings))


def test_evidence_readings_change_what_they_should():
    t = compare_readings(Scenario.preset("full_return_cash"), "s400_contract_usd_bn", ["tr_refund_usd_bn"])
    # refund = 0.6 x contract value
    assert t.iloc[0, 2:].tolist() == pytest.approx([1.2, 1.32, 1.5, 1.62])
    t = compare_readings(SQ, "india_undelivered_sq", ["india_sq5_q"])
    q = t.iloc[0, 2:].tolist()
    # 0 outstanding: delivered before the start, on a date the reading does not give (NaN, no
    # longer the invented quarter before the start)
    assert np.isnan(q[0]) and SQ["start_year"] <= q[1] < q[2]


def test_us_months_summed_then_rounded_once():
    # removal 1 + sanctions 1 + readmission 12 + delivery 1 months from the agreement:
    # v1 rounded each stage up (q(1) + q(12) + q(1) = 6 quarters after k_agree + q(1))
    _, out = sim1(
        tr_action="return_full",
        return_quarter=0,
        removal_months=1,
        sanctions_lift_months=1,
        f35_readmission_months=12,
        f35_delivery_months=3,
    )
    t0 = 2026.75
    assert out["divestiture_q"] == t0 + 0.25 * 1  # q(1)
    assert out["sanctions_lifted_q"] == t0 + 0.25 * 1  # q(1 + 1) = 1
    assert out["f35_readmission_q"] == t0 + 0.25 * 5  # q(1 + 12) = 5
    assert out["f35_first_delivery_q"] == t0 + 0.25 * 6  # q(1 + 12 + 3) = 6 (v1: 1 + 4 + 1)


def test_stored_jets_counted_only_in_the_delivery_time(reg):
    # the readmission range may not lean on the stored Turkish jets as well
    assert "stored" in reg["f35_delivery_months"].rationale
    assert "do not enter here" in reg["f35_readmission_months"].rationale
    assert not any("stored" in reg[n].rationale for n in ("sanctions_lift_months",))
    # ... and in the numbers (issue 25): divestiture to first jet is 12 months at the fastest, the
    # research notes' fastest (release of the stored jets after certification), not 12 + 3
    assert reg["f35_readmission_months"].low + reg["f35_delivery_months"].low == 12
    _, out = sim1(
        tr_action="return_full",
        return_quarter=0,
        removal_months=1,
        sanctions_lift_months=1,
        f35_readmission_months=12,
        f35_delivery_months=0,
    )
    assert out["f35_first_delivery_q"] == out["f35_readmission_q"] == 2026.75 + 0.25 * 5  # q(1 + 12)


# ------------------------------------------------------------------ Russia's side
def test_loss_range_covers_each_years_central_and_escalation_its_worst_claims(reg):
    # the ranges follow from data/ru_s400_yearly.csv (s400lab.model.depletion): each year of
    # 2023-25 lies inside the attrition range at its grade-weighted central value, and the
    # escalation range reaches the worst year's claims at face value
    from s400lab.model.depletion import load_table, yearly_bounds

    years = yearly_bounds(load_table(), "losses")
    p, e = reg["loss_rate_bn_per_year"], reg["loss_rate_escalation_bn_per_year"]
    assert list(years.index) == [2023, 2024, 2025]
    assert ((p.low <= years["mid"]) & (years["mid"] <= p.high)).all()
    assert e.high == pytest.approx(years["high"].max(), abs=0.005) and e.high > p.high
    assert reg["home_requirement_bn"].kind == "uncertainty"  # drawn in ensembles
    assert "home_requirement_bn" in reg.drawn


def test_course_of_the_war_switches_losses_and_requirement():
    a = {c: run(SQ.with_changes(war_course=c)) for c in ("ceasefire", "attrition", "escalation")}
    for course, row in (
        ("ceasefire", "loss_rate_ceasefire_bn_per_year"),
        ("attrition", "loss_rate_bn_per_year"),
        ("escalation", "loss_rate_escalation_bn_per_year"),
    ):  # six years of the course's central loss rate
        assert a[course]["ru_losses_total"] == pytest.approx(SQ.register[row].central * 6)
    assert a["ceasefire"]["ru_stock_end"] > a["attrition"]["ru_stock_end"] > a["escalation"]["ru_stock_end"]
    series = run(SQ.with_changes(war_course="ceasefire")).raw_series
    assert np.all(series["ru_requirement"] == 65)  # the peacetime plan


def test_depletion_reachable_from_the_ranges():
    shares = {
        c: run_ensemble(SQ.with_changes(war_course=c), 4000, seed=3, fixed=["war_course"]).probability(
            "ru_stock_below_start"
        )
        for c in ("ceasefire", "attrition", "escalation")
    }
    assert shares["ceasefire"] <= shares["attrition"] <= shares["escalation"]
    # no level is asserted: the loss and production ranges are derived from the sourced yearly
    # table and exports go only to contracted buyers (issue 25: whatever share follows is the
    # answer, reported in notebook 20, not tuned)


def test_production_split_adds_up():
    series, out = sim1()
    P = SQ.register["production_bn_per_year"].central
    assert out["ru_built_home_total"] + out["ru_built_export_total"] == pytest.approx(P / 4 * 24)
    np.testing.assert_allclose(series["ru_built_home"] + series["ru_exports"], P / 4)


def test_return_in_a_students_terms():
    _, out = sim1(tr_action="return_full")
    reg = SQ.register
    P, L = reg["production_bn_per_year"].central, reg["loss_rate_bn_per_year"].central
    assert out["ru_return_production_months"] == pytest.approx(2 / (P / 12))
    assert out["ru_return_loss_share"] == pytest.approx(2 / L)


# ------------------------------------------------------------------ India's channel
def test_default_return_does_not_reach_india_and_the_ruler_says_why():
    r = run(Scenario.preset("full_return_reexport_india"))
    sq = run(SQ)
    assert r["india_sq5_q"] == sq["india_sq5_q"] == r["india_next_production_q"]
    assert r["returned_india_q"] > r["india_next_production_q"]  # too late
    assert r["india_direct_squadrons"] == 0


def test_early_return_to_india_brings_the_last_squadron_earlier():
    sc = Scenario.preset("early_return_india")
    base = sc.with_changes(tr_action="keep_stored", ru_use_returned="home", return_quarter=2)
    r, b = run(sc), run(base)
    assert r["returned_india_q"] < b["india_sq5_q"]
    assert r["india_sq5_q"] == r["returned_india_q"] < b["india_sq5_q"]
    assert r["india_direct_squadrons"] == 1
    # the same return kept at home does not move India's last squadron
    home = run(sc.with_changes(ru_use_returned="home"))
    assert home["india_sq5_q"] == b["india_sq5_q"]


def test_transport_time_is_added_before_rounding():
    _, out = sim1(
        tr_action="return_full", return_quarter=0, removal_months=2, refurb_months=2, india_transport_months=1
    )
    assert out["returned_usable_q"] == 2026.75 + 0.25 * 2  # q(4) = 2
    assert out["returned_india_q"] == 2026.75 + 0.25 * 2  # q(5) = 2, not q(4) + q(1) = 3


# ------------------------------------------------------------------ Russia's consent
def test_russias_deal_and_consent_by_hand():
    # v3 (section 9), by hand from the register's central values. Stock at the agreement
    # (quarter 2): each quarter S' = S + P/4 - L/4 - cap, exports only for India's last squadron
    # (need 2 - 1 half built = 1, so the capacity is never cut by the need here):
    #   cap(S) = P/4 x export_share x (1 - (1 - floor) x min(1, (R - S) / threshold))
    # shortfall R - S2 -> scarcity (R - S2) / threshold; Russia's most for 2 units at the
    # contracts' median 0.75 with premium 1, minus the leverage judgement 0.25:
    reg = SQ.register
    P4, L4 = reg["production_bn_per_year"].central / 4, reg["loss_rate_bn_per_year"].central / 4
    share, floor = reg["export_share"].central, reg["export_floor"].central
    R, th = reg["home_requirement_bn"].central, reg["shortfall_threshold_bn"].central

    def cap(s):
        return P4 * share * (1 - (1 - floor) * min(1.0, (R - s) / th))

    s1 = 80 + P4 - L4 - cap(80)
    s2 = s1 + P4 - L4 - cap(s1)
    assert cap(80) + cap(s1) < 1  # India's need does not bind in the first two quarters
    ru_max = 2 * 0.75 * (1 + (R - s2) / th) - 0.25
    r = run(Scenario.preset("full_return_cash"))
    assert r["ru_max_usd_bn"] == pytest.approx(ru_max) and r["ru_max_share"] == pytest.approx(ru_max / 2.5)
    assert r["ru_deal_net_usd_bn"] == pytest.approx(ru_max - 1.5) and r["ru_consents"] == 1
    # Turkiye: the units leave in quarter 3 (2027.5): gives up 0.1 x (2028 - 2027.5) of air
    # defence + 0.1 audience = 0.15; gains the upkeep 0.05 x 21/4 and the US track
    # 0.4/4 x the expected work-share quarters after Congress's holds (issue 27): the F-35 is
    # held with chance 0.4 (one linkage pending), which moves readmission from
    # quarter 15 to 19 (+12 months: 48 + 3 -> 17 quarters after the agreement in quarter 2); a
    # sanctions hold (0.1) does not move it (max(6 + 12, 36) = 36):
    # 0.1 x (0.6 x (24 - 15) + 0.4 x (24 - 19)) = 0.74; its least is 0
    assert r["tr_gives_up_usd_bn"] == pytest.approx(0.1 * 0.5 + 0.1)
    assert r["tr_us_value_usd_bn"] == pytest.approx(0.1 * (0.6 * 9 + 0.4 * 5))
    assert r["tr_min_share"] == 0 and r["deal_feasible"] == 1 and r["deal_agreed"] == 1
    low = run(Scenario.preset("full_return_low_refund"))
    assert low["ru_deal_net_usd_bn"] == pytest.approx(ru_max - 0.75) and low["ru_consents"] == 1
    refused = run(Scenario.preset("full_return_cash").with_changes(compensation_share=0.8))
    assert refused["ru_deal_net_usd_bn"] == pytest.approx(ru_max - 2.0) and refused["ru_consents"] == 0


def test_third_party_transfer_records_russias_objection_and_cost():
    r = run(Scenario.preset("transfer_third_party"))
    assert r["ru_objects"] == 1 and r["ru_consents"] == 0
    assert r["ru_deal_net_usd_bn"] == pytest.approx(-0.25)
    assert r["tr_retaliation_usd_bn"] == 1.0
    assert r["tr_net_usd_bn"] == pytest.approx(r["tr_recovered_usd_bn"] - 1.0)
    assert "end-user" in Scenario.preset("transfer_third_party").description
    for p in ("status_quo", "full_return_cash"):
        assert run(Scenario.preset(p))["ru_objects"] == 0


# ------------------------------------------------------------------ readable code
def test_simulate_is_split_into_short_documented_sections():
    import inspect

    for _title, name in SECTIONS:
        fn = getattr(core, name)
        lines = inspect.getsource(fn).splitlines()
        assert len(lines) <= 60, (name, len(lines))
        assert fn.__doc__ and f":func:`{name}`" in core.__doc__
    assert len(inspect.getsource(core.simulate).splitlines()) <= 45
    assert months_to_quarters(np.array([4.0]))[0] == 2


def test_new_preset_descriptions_match_the_model():
    from s400lab.model import quarter_label

    e = Scenario.preset("early_return_india")
    r = run(e)
    base = run(e.with_changes(tr_action="keep_stored", ru_use_returned="home", return_quarter=2))
    for q in (r["returned_usable_q"], r["returned_india_q"], base["india_sq5_q"]):
        assert quarter_label(q) in e.description
    gain = round((base["india_sq5_q"] - r["india_sq5_q"]) * 4)
    words = {3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}
    assert f"{words[gain]} quarters earlier" in e.description
    assert "inside the bargaining range" in e.description and r["deal_agreed"] == 1
    c = Scenario.preset("full_return_cash")
    assert run(c)["deal_agreed"] == 1  # attrition (central)
    readings = compare_readings(c, "war_course", ["deal_agreed", "ru_max_share", "returned_to_russia"])
    assert readings.loc["deal_agreed"].iloc[2:].tolist() == [0, 1, 1]  # ceasefire, attrition, escalation
    assert readings.loc["ru_max_share", "war_course = ceasefire"] == pytest.approx(0.5)
    assert "at most half the contract" in c.description and "refused" in c.description
    low = Scenario.preset("full_return_low_refund")
    assert run(low)["ru_consents"] == 1 and "would consent" in low.description
    for course in ("ceasefire", "attrition", "escalation"):
        assert run(low.with_changes(war_course=course))["deal_agreed"] == 1  # "every reading"
    esc = Scenario.preset("escalation_keep")
    assert "holds this reading" in esc.description
    assert "war_course" not in run_ensemble(esc, 500, seed=2).draws
