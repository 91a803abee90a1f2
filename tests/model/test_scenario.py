"""Scenarios and presets."""

from __future__ import annotations

import json

import pytest

from s400lab.model import Scenario, presets, run

EXPECTED = [
    "status_quo",
    "activate",
    "partial_return",
    "full_return_cash",
    "full_return_low_refund",
    "full_return_energy_offset",
    "full_return_reexport_india",
    "early_return_india",
    "transfer_third_party",
    "escalation_keep",
]


def test_presets_in_order_with_descriptions():
    ps = presets()
    assert list(ps) == EXPECTED
    for sid, sc in ps.items():
        assert sc.scenario_id == sid
        assert len(sc.description) > 40 and sc.label


def test_preset_values():
    assert Scenario.preset("status_quo").changes() == {}
    assert Scenario.preset("full_return_energy_offset")["compensation_form"] == "energy_offset"
    assert Scenario.preset("full_return_reexport_india")["ru_use_returned"] == "india"
    assert Scenario.preset("partial_return")["tr_action"] == "return_partial"


def test_unknown_preset():
    with pytest.raises(ValueError, match="unknown preset 'nope'.*status_quo"):
        Scenario.preset("nope")


def test_with_changes_is_immutable_and_marks_custom():
    sc = Scenario.preset("status_quo")
    sc2 = sc.with_changes(tr_action="return_full")
    assert sc["tr_action"] == "keep_stored"
    assert sc2["tr_action"] == "return_full" and sc2.scenario_id == "custom"
    assert sc.with_changes() is sc


def test_dict_round_trip_through_json():
    sc = Scenario.preset("full_return_cash").with_changes(return_quarter=5, compensation_share=0.4)
    back = Scenario.from_dict(json.loads(json.dumps(sc.to_dict())))
    assert back.values == sc.values
    assert run(back).raw_outcomes.keys() == run(sc).raw_outcomes.keys()


def test_from_dict_validates():
    with pytest.raises(ValueError, match="'return_quarter'"):
        Scenario.from_dict({"values": {"return_quarter": 999}})
    with pytest.raises(ValueError, match="mapping"):
        Scenario.from_dict({"values": [1, 2]})
