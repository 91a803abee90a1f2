"""Options and worlds apart: the matrix compares Ankara's choices, each run under every world."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from s400lab.analysis import tradeoffs as tr
from s400lab.model import Scenario, presets, run
from s400lab.model.register import load_register


def test_default_rows_are_all_options_and_no_preset_that_changes_a_world_setting():
    """Every default row sets only Turkiye's levers; every preset left out changes something
    else (a world setting such as the course of the war, an evidence reading, another actor's
    lever) -- so a new middle-option preset joins by itself and a world never poses as one."""
    reg = load_register()
    matrix, _ = tr.preset_matrix()
    rows = list(matrix.index)
    assert rows == list(tr.option_presets())
    assert "status_quo" in rows and len(rows) >= 5
    for sid in rows:
        for name in presets()[sid].changes():
            p = reg.params[name]
            assert (p.kind, p.group) == ("lever", "Turkiye"), (sid, name, p.kind, p.group)
    left_out = [sid for sid in presets() if sid not in rows]
    assert {"escalation_keep", "early_return_india"} <= set(left_out)
    for sid in left_out:
        assert tr.world_settings(presets()[sid]), sid
    assert tr.world_settings(presets()["escalation_keep"]) == ["war_course"]
    assert "india_undelivered_sq" in tr.world_settings(presets()["early_return_india"])


def test_a_preset_that_sets_a_switch_or_assumption_is_not_an_option():
    base = Scenario.preset("full_return_cash")
    assert tr.is_option(base)
    assert not tr.is_option(base.with_changes(war_course="ceasefire"))  # a world setting
    assert not tr.is_option(base.with_changes(india_undelivered_sq=2))  # an evidence reading
    assert not tr.is_option(base.with_changes(loss_rate_bn_per_year=4.0))  # an assumption
    assert not tr.is_option(base.with_changes(us_response="hostile"))  # another actor's lever
    assert tr.is_option(base.with_changes(compensation_share=0.4, return_quarter=6))


def test_worlds_are_the_product_of_the_readings():
    w = tr.worlds()
    legal = [tr.LEGAL_READINGS] if tr.legal_reading_switches() else []
    assert list(w.columns) == [*tr.WORLD_DIMENSIONS, *legal]
    assert len(w) == 3 * 3 * 2 * (2 if legal else 1) and w.index.is_unique
    assert set(w["war_course"]) == {"ceasefire", "attrition", "escalation"}
    assert set(w["india_undelivered_sq"]) == {0, 1, 2} and set(w["tr_holding_bn"]) == {2.0, 4.0}
    for bad in ("tr_action", "nope", "loss_rate_bn_per_year"):
        with pytest.raises(ValueError, match=bad):
            tr.worlds([bad])


def test_legal_readings_expand_into_every_middle_option_switch():
    """The middle options' legal readings (switches legal_reading_<option>) join the worlds as
    one dimension: lenient (every middle option counts as divestiture) or strict (none)."""

    class P:
        def __init__(self, kind, choices):
            self.kind, self.choices = kind, choices

    class Reg:
        params = {
            "legal_reading_custody": P("setting", ("counts", "does_not_count")),
            "legal_reading_joint_control": P("setting", ("counts", "does_not_count")),
            "legal_reading_odd": P("lever", ("counts", "does_not_count")),  # not a setting
            "war_course": P("setting", ("ceasefire", "attrition", "escalation")),
        }

    assert tr.legal_reading_switches(Reg()) == ["legal_reading_custody", "legal_reading_joint_control"]
    strict = tr.world_changes({"war_course": "ceasefire", tr.LEGAL_READINGS: "strict"}, Reg())
    assert strict == {
        "war_course": "ceasefire",
        "legal_reading_custody": "does_not_count",
        "legal_reading_joint_control": "does_not_count",
    }
    lenient = tr.world_changes({tr.LEGAL_READINGS: "lenient"}, Reg())
    assert set(lenient.values()) == {"counts"}
    assert tr.world_changes({"india_undelivered_sq": np.int64(2)}) == {"india_undelivered_sq": 2}


@pytest.fixture(scope="module")
def small_worlds():
    table = tr.worlds(("war_course", "tr_holding_bn"))
    return tr.world_matrix(
        option_ids=["status_quo", "full_return_cash", "transfer_third_party"], world_table=table
    )


def test_world_matrix_runs_each_option_under_each_world(small_worlds):
    m, units = small_worlds
    assert m.shape == (6 * 3, len(tr.DEFAULT_CRITERIA))
    row = m.loc[("ceasefire / 4 bn", "full_return_cash")]
    o = tr.option_outcomes(
        run(Scenario.preset("full_return_cash").with_changes(war_course="ceasefire", tr_holding_bn=4))
    )
    assert row["tr_money"] == pytest.approx(o.loc["tr_net_usd_bn", "value"])
    assert units["tr_gap"] == "years" and units["feasible"] == "0/1"


def test_derived_criteria_follow_the_model():
    sq = tr.option_outcomes(run(Scenario.preset("status_quo")))
    assert sq.loc["tr_capability_gap_years", "value"] == 0 and sq.loc["political_feasibility", "value"] == 1
    tf = tr.option_outcomes(run(Scenario.preset("transfer_third_party")))
    assert tf.loc["political_feasibility", "value"] == 0  # Russia's end-user consent withheld
    assert tf.loc["tr_capability_gap_years", "value"] > 0
    # a return Russia refuses moves nothing: no gap, not feasible
    refused = run(Scenario.preset("full_return_cash").with_changes(war_course="ceasefire"))
    assert refused["deal_agreed"] == 0
    ro = tr.option_outcomes(refused)
    assert ro.loc["political_feasibility", "value"] == 0 and ro.loc["tr_capability_gap_years", "value"] == 0
    # the gap shrinks when Turkiye's own air defence arrives earlier
    early = Scenario.preset("full_return_cash").with_changes(tr_own_ad_year=2027.5)
    late = Scenario.preset("full_return_cash").with_changes(tr_own_ad_year=2030.0)
    g = [tr.option_outcomes(run(s)).loc["tr_capability_gap_years", "value"] for s in (early, late)]
    assert g[0] < g[1]


def test_world_wins_count_worlds_and_split_ties(small_worlds):
    m, _ = small_worlds
    n_worlds = m.index.get_level_values("world").nunique()
    for weights in ({c: 1.0 for c in m.columns}, {"feasible": 1.0}, {"tr_money": 1.0}):
        wins = tr.world_wins(m, weights)
        assert wins["wins"].sum() == pytest.approx(n_worlds)
        assert (wins["worst_score"] <= wins["mean_score"] + 1e-12).all()
    # feasibility alone: the status quo is always feasible, the transfer never is
    wins = tr.world_wins(m, {"feasible": 1.0})
    assert wins.loc["transfer_third_party", "wins"] == 0
    assert wins.loc["status_quo", "worst_score"] == 1.0
    # by hand: each world's winner under money alone
    manual = 0.0
    for w in m.index.get_level_values("world").unique():
        x = m.loc[w, "tr_money"]
        manual += float(x["full_return_cash"] == x.max()) / float((x == x.max()).sum())
    assert tr.world_wins(m, {"tr_money": 1.0}).loc["full_return_cash", "wins"] == pytest.approx(manual)


def test_world_wins_on_a_hand_table():
    idx = pd.MultiIndex.from_product([["w1", "w2"], ["A", "B"]], names=["world", "option"])
    m = pd.DataFrame({"x": [1.0, 0.0, 0.0, 1.0], "y": [0.0, 0.0, 0.0, 0.0]}, index=idx)
    wins = tr.world_wins(m, {"x": 1, "y": 1}, {"x": "higher", "y": "higher"})
    assert wins.loc["A", "wins"] == 1 and wins.loc["B", "wins"] == 1
    assert np.allclose(wins["worst_score"], 0.25)
