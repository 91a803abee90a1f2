"""The explorer's live uncertainty (s400lab.analysis.live): same numbers as the model's own
ensemble code, same seed -> same numbers, pinned assumptions, effects of a change."""

from __future__ import annotations

import math

import numpy as np
import pytest

from s400lab.analysis.live import (
    LiveEnsemble,
    change_effects,
    format_chance,
    format_change,
    format_outcome,
)
from s400lab.model import OUTCOMES, Scenario, evaluate


@pytest.fixture(scope="module")
def live():
    return LiveEnsemble(n=400, seed=7)


def test_ensemble_equals_the_models_evaluate_on_the_same_draws(live):
    sc = Scenario.preset("full_return_cash").with_changes(inventory_bn=70.0)
    r = live.run(sc)
    # set by hand: held in every draw; the course of the war is a reading, held too (issue 25)
    assert r.pinned == ("inventory_bn", "war_course")
    expected = evaluate(sc, live.pinned_draws(sc))
    for k in OUTCOMES:
        np.testing.assert_array_equal(r.outcomes[k], expected[k].to_numpy(), err_msg=k)


def test_same_seed_same_numbers_and_draws_are_sampled_once():
    a, b = LiveEnsemble(n=300, seed=3), LiveEnsemble(n=300, seed=3)
    sc = Scenario.preset("full_return_cash")
    ra, rb = a.run(sc), b.run(sc)
    for k in ("sanctions_lifted_q", "ru_stock_end", "india_sq5_q"):
        np.testing.assert_array_equal(ra.outcomes[k], rb.outcomes[k])
    a.run(sc.with_changes(return_quarter=4))  # a lever: same draws reused
    assert a.samplings == 1
    a.run(sc.with_changes(p_tr_holding_4=0.9))  # a weight setting: new draws
    assert a.samplings == 2
    again = a.run(sc)  # back to the first weights: their draws are kept, same numbers
    assert a.samplings == 2
    np.testing.assert_array_equal(again.outcomes["ru_stock_end"], ra.outcomes["ru_stock_end"])
    for k in range(a.DRAW_SETS_KEPT + 1):  # more weight settings than kept: the oldest goes
        a.run(sc.with_changes(p_tr_holding_4=round(0.05 * k, 2)))
    assert len(a._draw_sets) == a.DRAW_SETS_KEPT
    other = LiveEnsemble(n=300, seed=4).run(sc)
    assert not np.array_equal(other.series["ru_stock"], ra.series["ru_stock"])


def test_chance_and_date_text_by_hand(live):
    sc = Scenario.preset("full_return_cash")
    r = live.run(sc)
    x = r.outcomes["sanctions_lifted_q"]
    p = float(np.isfinite(x).mean())
    assert r.chance("sanctions_lifted_q") == p
    assert r.date_text("sanctions_lifted_q").endswith(f"{format_chance(p)} within the horizon")
    assert 0 < p < 1  # congress may block: the chance is not a certainty
    band = r.band("ru_stock")
    assert band.shape == (5, r.t.size) and np.all(np.diff(band, axis=0) >= 0)
    assert math.isnan(r.chance("ru_stock_end"))  # a number, not a date: no chance


def test_status_quo_never_reaches_the_milestones(live):
    r = live.run(Scenario.preset("status_quo"))
    assert r.chance("sanctions_lifted_q") == 0.0
    assert r.date_text("sanctions_lifted_q") == "not by 2032Q3 - 0% within the horizon"


def test_change_effects_name_what_moved_and_nothing_for_a_dead_lever(live):
    sq = Scenario.preset("status_quo")
    a = live.run(sq)
    dead = live.run(sq.with_changes(compensation_share=0.9))  # nothing is returned
    assert change_effects(a, dead, OUTCOMES) == []
    full = Scenario.preset("full_return_cash")
    b, c = live.run(full), live.run(full.with_changes(return_quarter=full["return_quarter"] + 2))
    moved = {e.outcome: e.text for e in change_effects(b, c, OUTCOMES)}
    assert moved["sanctions_lifted_q"].startswith("+2 q")


def test_formatting_rules():
    assert format_outcome(2028.0, "year") == "2028Q1"
    assert format_outcome(math.nan, "year", 2032.5) == "not by 2032Q3"
    assert format_outcome(110.77, "battalions") == "111"
    assert format_outcome(1.234, "US$ bn") == "1.23"
    assert format_change(2028.5, 2028.0, "year") == "+2 q"
    assert format_change(math.nan, math.nan, "year") == ""
    assert format_chance(0.734) == "73%" and format_chance(0.001) == "<1%"
    assert format_chance(0.999) == ">99%" and format_chance(1.0) == "100%"


def test_without_pins_it_is_the_models_own_ensemble():
    """Nothing set by hand: the live ensemble is run_ensemble's (uncertainties and model
    devices drawn alike), so the explorer's chances are the model's chances."""
    from s400lab.model import run_ensemble

    sc = Scenario.preset("full_return_cash")
    r = LiveEnsemble(n=500, seed=11).run(sc)
    e = run_ensemble(sc, n=500, seed=11)
    for k in ("sanctions_lifted_q", "f35_readmission_q", "ru_stock_end"):
        np.testing.assert_array_equal(r.outcomes[k], np.asarray(e.raw_outcomes[k], dtype=float))
