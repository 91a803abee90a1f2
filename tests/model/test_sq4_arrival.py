"""The evidence switch ``india_sq4_arrival`` (issue 26): the model reads the month India's 4th
squadron arrived from it, so the 4th squadron's quarter follows the reading."""

from __future__ import annotations

import numpy as np
import pytest

from s400lab.model import Scenario, compare_readings, run, run_ensemble
from s400lab.model.core import arrival_quarter, simulate


def _q4(reading: str, **changes) -> float:
    values = dict(Scenario.default().values, india_sq4_arrival=reading, **changes)
    return float(simulate(values, 1)[1]["india_sq4_q"][0])


def test_both_readings_are_2026q2_and_give_the_same_outcomes():
    assert arrival_quarter("june_2026") == arrival_quarter("may_2026") == 2026.25
    table = compare_readings(Scenario.default(), "india_sq4_arrival")
    may, june = (table[f"india_sq4_arrival = {r}"].to_numpy(dtype=float) for r in ("may_2026", "june_2026"))
    np.testing.assert_array_equal(may, june)
    assert run(Scenario.default())["india_sq4_q"] == 2026.25


def test_a_hypothetical_arrival_quarter_moves_the_4th_squadron():
    # the switch is read: an arrival in another quarter moves the 4th squadron's date with it
    assert _q4("march_2026") == 2026.0
    assert _q4("january_2025") == 2025.0
    assert _q4("september_2026") == 2026.5
    assert _q4("june_2026") == 2026.25


def test_the_switch_counts_only_when_the_4th_has_arrived():
    # 2 squadrons undelivered: the 4th is the first still to come, whatever the switch says
    assert _q4("march_2026", india_undelivered_sq=2) == _q4("june_2026", india_undelivered_sq=2) > 2026.75


def test_ensembles_hold_the_reading_in_every_draw():
    ens = run_ensemble(Scenario.default(), n=500, seed=3)
    assert (ens.outcomes["india_sq4_q"] == 2026.25).all()  # not the drawn promise


@pytest.mark.parametrize("bad", ["mid_2026", "june", "june_x", ""])
def test_an_unreadable_reading_is_refused_with_its_name(bad):
    with pytest.raises(ValueError, match="india_sq4_arrival"):
        arrival_quarter(bad)
