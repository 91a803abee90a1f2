"""Scenarios and presets."""

from __future__ import annotations

import json

import pytest
from _strategies import hostile_values
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s400lab.model import Scenario, presets, run
from s400lab.model.register import load_register

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
    # issue 27: the middle options, each with its legal reading as an evidence switch
    "custody_us",
    "relocation_abroad",
    "standalone_verified",
    "joint_control",
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


# --------------------------------------------------------------------------- hostile values (issue 15)

_NUMERIC = [p.name for p in load_register().params.values() if p.type in ("int", "float")]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(_NUMERIC), value=hostile_values)
def test_hostile_values_give_one_valueerror_naming_the_parameter(name, value):
    """inf, NaN, 10**400, huge numeric text, "1_0", non-ASCII digits, bools, containers...:
    only a ValueError naming the parameter, with a short excerpt of the value (never an
    OverflowError, a TypeError or a message that echoes a 5,000-digit number)."""
    with pytest.raises(ValueError) as info:
        Scenario.default().with_changes(**{name: value})
    text = str(info.value)
    assert type(info.value) is ValueError
    assert text.startswith(f"parameter {name!r}: ") and len(text) < 300, text


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (float("inf"), "'inf' is not a finite number"),
        ("inf", '"inf" is not a finite number'),
        (10**400, "is too large a number"),
        ("9" * 5000, "is 5000 characters long; a number has at most 40"),
        ("1e400", '"1e400" is not a finite number'),
        (float("nan"), "is not a number (NaN)"),
        (True, "'True' is not a number"),
        ("1_0", '"1_0" is not a number: write ASCII digits'),
        ("\u0661", "is not a number: write ASCII digits"),
    ],
)
def test_hostile_values_hand_checked(value, why):
    for name in ("horizon_quarters", "compensation_share"):  # an int and a float parameter
        with pytest.raises(ValueError, match=f"^parameter {name!r}: ") as info:
            Scenario.default().with_changes(**{name: value})
        assert why in str(info.value)


def test_plain_numeric_text_is_still_accepted():
    sc = Scenario.default().with_changes(horizon_quarters="12", compensation_share="0.5", start_year="2027.5")
    assert (sc["horizon_quarters"], sc["compensation_share"], sc["start_year"]) == (12, 0.5, 2027.5)


@pytest.mark.parametrize(
    ("key", "text"),
    [("label", "a\x1b[2Jb"), ("label", "two\nlines"), ("description", "x\ud800"), ("scenario_id", "\x00")],
)
def test_from_dict_refuses_text_that_would_reach_the_brief(key, text):
    with pytest.raises(ValueError, match=f"^scenario {key}: contains "):
        Scenario.from_dict({key: text, "values": {}})
    assert (
        Scenario.from_dict({"description": "line one\nline two", "values": {}}).description.count("\n") == 1
    )
