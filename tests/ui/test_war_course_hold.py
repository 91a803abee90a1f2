"""The course of the war in the live ensemble: held in every draw by default (issue 25: its
weights are 0, no hidden weight), drawn by its weights only when the opt-in mixture is on, and
each of the three courses -- attrition, the default, included -- can be held
(s400lab.analysis.live ``held=``, the explorer's "drawn by the weights" choice)."""

from __future__ import annotations

import numpy as np
import pytest

from s400lab.analysis.live import LiveEnsemble
from s400lab.model import Scenario, evaluate, run_ensemble
from s400lab.ui.explorer import DRAWN, ScenarioExplorer

N = 300
SQ = Scenario.preset("status_quo")
COURSES = ("ceasefire", "attrition", "escalation")


@pytest.fixture(scope="module")
def live():
    return LiveEnsemble(n=N, seed=5)


@pytest.mark.parametrize("course", COURSES)
def test_each_course_can_be_held_in_every_draw(live, course):
    sc = SQ.with_changes(war_course=course)
    r = live.run(sc, held=["war_course"])
    assert "war_course" in r.pinned
    expected = run_ensemble(sc, N, seed=5, fixed=["war_course"]).outcomes
    np.testing.assert_array_equal(r.outcomes["ru_losses_total"], expected["ru_losses_total"])
    # reproducible from the draws actually used
    out = evaluate(sc, live.pinned_draws(sc, held=["war_course"]))
    np.testing.assert_array_equal(r.outcomes["ru_stock_end"], out["ru_stock_end"].to_numpy())


def test_held_attrition_differs_from_drawn(live):
    # issue 25: the mixture is opt-in (weights 0 by default hold the course); turned on here
    mix = SQ.with_changes(p_war_escalation=0.25, p_war_ceasefire=0.15)
    assert live.run(SQ, held=()).pinned == ("war_course",)  # weights 0: nothing to draw
    drawn = live.run(mix, held=())
    held = live.run(mix, held=["war_course"])
    assert "war_course" not in drawn.pinned and "war_course" in held.pinned
    # drawn: some draws escalate or cease fire, so the losses differ from held attrition
    assert not np.array_equal(drawn.outcomes["ru_losses_total"], held.outcomes["ru_losses_total"])
    # and the drawn ensemble is the model's own (run_ensemble without fixed)
    expected = run_ensemble(mix, N, seed=5).outcomes["ru_losses_total"]
    np.testing.assert_array_equal(drawn.outcomes["ru_losses_total"], expected)
    # default rule (held=None): with the mixture on, attrition drawn, other courses refused
    assert live.run(mix).pinned == drawn.pinned
    assert "war_course" in live.run(SQ.with_changes(war_course="ceasefire")).pinned


def test_holding_something_that_is_not_drawn_is_refused(live):
    with pytest.raises(ValueError, match="inventory_bn is not drawn per draw"):
        live.run(SQ, held=["inventory_bn"])


@pytest.fixture(scope="module")
def ex():
    return ScenarioExplorer(n_draws=200)


def test_explorer_default_is_drawn_and_each_course_is_held(ex):
    w = ex.controls["war_course"]
    assert w.value == DRAWN and ex.held == ()
    assert ex.scenario["war_course"] == "attrition"  # the central run takes the default
    # issue 25: "drawn by the weights" with the register's weights (0) holds attrition
    assert "war_course" in ex.live.pinned
    drawn_losses = ex.live.outcomes["ru_losses_total"].copy()
    for course in COURSES:
        w.value = course
        assert ex.last_error is None
        assert ex.held == ("war_course",) and ex.scenario["war_course"] == course
        assert "war_course" in ex.live.pinned and "war_course" in ex.state.base_live.pinned
        assert ex.live.scenario["war_course"] == course
    w.value = "attrition"
    held_losses = ex.live.outcomes["ru_losses_total"]
    np.testing.assert_array_equal(drawn_losses, held_losses)  # no hidden weight: the same
    w.value = DRAWN
    assert ex.held == () and ex.scenario["war_course"] == "attrition"
    np.testing.assert_array_equal(ex.live.outcomes["ru_losses_total"], drawn_losses)


def test_explorer_presets_and_set_values(ex):
    ex.set_values(war_course="attrition")  # set by hand: held
    assert ex.held == ("war_course",) and ex.controls["war_course"].value == "attrition"
    ex.set_values(war_course=DRAWN)
    assert ex.held == () and ex.scenario["war_course"] == "attrition"
    ex.set_values(war_course="escalation")
    ex.reset()  # back to the defaults: drawn again
    assert ex.controls["war_course"].value == DRAWN and ex.held == ()
    with pytest.raises(ValueError):
        ex.set_values(war_course="stalemate")
    assert ex.controls["war_course"].value == DRAWN
