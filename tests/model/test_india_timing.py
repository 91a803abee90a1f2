"""The India timing ruler: its plain-number core (read by the explorer on every key press) is
the same as the table notebook 20 draws, for every preset and for edge cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from s400lab.model import Scenario, presets, run
from s400lab.model.results import INDIA_TIMING_EVENTS, india_timing, india_timing_core

EDGES = [
    ("status_quo", {}),
    ("early_return_india", {}),
    ("full_return_reexport_india", {}),
    ("early_return_india", {"ru_use_returned": "home"}),
    ("early_return_india", {"return_quarter": 20}),
]


def _cases():
    for sid in presets():
        yield sid, {}
    yield from EDGES


@pytest.mark.parametrize(("preset", "changes"), list(_cases()))
def test_core_equals_the_table(preset, changes):
    sc = Scenario.preset(preset)
    result = run(sc.with_changes(**changes) if changes else sc)
    core, table = india_timing_core(result), india_timing(result)
    assert list(table.index) == [e for e, _, _ in INDIA_TIMING_EVENTS] == list(core.t)
    np.testing.assert_array_equal(table["t"].to_numpy(), [core.t[e] for e in table.index])
    assert list(table["quarter"]) == [core.quarter(e) for e in table.index]
    assert table.attrs == {"reaches_india": core.reaches_india, "verdict": core.verdict}


def test_hand_checked_early_return_to_india():
    """Agreement in the preset's return quarter (a quarter = 0.25 years after the start);
    the returned units reach India before production finishes the order."""
    result = run(Scenario.preset("early_return_india"))
    v = result.scenario.values
    core = india_timing_core(result)
    assert core.t["agreement"] == float(v["start_year"]) + 0.25 * float(v["return_quarter"])
    assert core.reaches_india
    assert core.t["in_india"] < core.t["last_from_production"]
    assert "before export production" in core.verdict
    assert core.quarter("in_india") in core.verdict


def test_no_return_has_no_agreement():
    core = india_timing_core(run(Scenario.preset("status_quo")))
    assert math.isnan(core.t["agreement"]) and math.isnan(core.t["left_turkiye"])
    assert not core.reaches_india
    assert core.quarter("agreement") == "not within horizon"
