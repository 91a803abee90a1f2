"""Issue 23, item 4: a refused value leaves nothing behind in the explorer.

After any refused value -- through :meth:`ScenarioExplorer.set_values` or typed into a control --
the explorer's values, held switches, controls and outcomes are what they were before, and a
number typed outside its range is refused beside its control naming the range (never clamped).
"""

from __future__ import annotations

import html
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s400lab.model.register import load_register
from s400lab.model.sampling import drawn_switches
from s400lab.ui.explorer import DRAWN, ScenarioExplorer, visible_parameters
from s400lab.ui.explorer.units import is_quarter, range_text, to_shown

REGISTER = load_register()
VISIBLE = visible_parameters(REGISTER)
NUMERIC = [p for p in VISIBLE if p.type in ("int", "float") and not p.choices]
CHOICE = [p for p in VISIBLE if p.type == "choice"]
SWITCHES = sorted(drawn_switches(REGISTER))


def _state(ex: ScenarioExplorer) -> dict:
    """Everything a refusal must leave as it was (outcomes: the central run and the ensemble)."""
    live = ex.live
    return {
        "values": dict(ex.state.values),
        "held": ex.held,
        "controls": {k: w.value for k, w in ex.controls.items()},
        "scenario": dict(ex.scenario.values),
        "outcomes": dict(live.result.raw_outcomes),
        "recomputes": ex.recomputes,
        "band": live.band("ru_stock").tobytes(),
    }


def _same(a: dict, b: dict) -> bool:
    def eq(x, y):
        if isinstance(x, float) and isinstance(y, float):
            return x == y or (math.isnan(x) and math.isnan(y))
        if isinstance(x, dict) and isinstance(y, dict):
            return x.keys() == y.keys() and all(eq(x[k], y[k]) for k in x)
        return bool(x == y)

    return all(eq(a[k], b[k]) for k in a)


@pytest.fixture(scope="module")
def shared():
    ex = ScenarioExplorer(n_draws=200)
    ex.live  # noqa: B018 - start it
    return ex


def _bad_number(p, data) -> float:
    span = max(p.high - p.low, 1.0)
    side = data.draw(st.booleans())
    off = data.draw(st.floats(min_value=0.01, max_value=10.0)) * span
    if is_quarter(p):  # a quarter typed outside the range (whole quarters: typed as 2031Q2)
        k = 0.25 * (1 + math.floor(4 * off))
        return p.high + k if side else p.low - k
    if p.type == "int":
        k = 1 + math.floor(off)
        return int(p.high) + k if side else int(p.low) - k
    return p.high + off if side else p.low - off


_REFUSED = st.sampled_from(["number", "choice", "switch", "unknown", "device", "mixed"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=_REFUSED, data=st.data())
def test_a_refused_set_values_leaves_nothing_behind(shared, kind: str, data) -> None:
    before = _state(shared)
    if kind == "number":
        p = data.draw(st.sampled_from(NUMERIC))
        bad = {p.name: _bad_number(p, data)}
    elif kind == "choice":
        p = data.draw(st.sampled_from(CHOICE))
        bad = {p.name: data.draw(st.text(max_size=8).filter(lambda t: t not in p.choices and t != DRAWN))}
    elif kind == "switch":  # the refused-switch bug: the switch stayed held in every draw
        name = data.draw(st.sampled_from(SWITCHES))
        bad = {name: data.draw(st.sampled_from(["nope", "", 3, None]))}
    elif kind == "unknown":
        bad = {"no_such_parameter": 1}
    elif kind == "device":
        bad = {"u_block_sanctions": 0.5}
    else:  # a good switch value together with a bad number: all or nothing
        p = data.draw(st.sampled_from(NUMERIC))
        name = data.draw(st.sampled_from(SWITCHES))
        bad = {name: REGISTER[name].choices[0], p.name: _bad_number(p, data)}
    with pytest.raises((ValueError, TypeError)):
        shared.set_values(**bad)
    assert _same(_state(shared), before), bad


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_typed_number_out_of_range_is_refused_beside_the_control(shared, data) -> None:
    p = data.draw(st.sampled_from(NUMERIC))
    bad = _bad_number(p, data)
    before = _state(shared)
    shared.controls[p.name].value = to_shown(p, bad)  # typed as a person types it (percent, 2027Q3)
    assert _same(_state(shared), before), (p.name, bad)
    note = shared.notes[p.name]
    assert note.layout.display != "none"
    assert html.escape(range_text(p)) in note.value  # the range in the units typed
    assert "not" in note.value.lower()


@pytest.mark.parametrize(("name", "typed"), [("compensation_share", 130), ("return_quarter", -2)])
def test_the_issues_examples_are_refused_not_clamped(name: str, typed: float) -> None:
    ex = ScenarioExplorer(n_draws=200)
    before = _state(ex)
    ex.controls[name].value = typed
    assert ex.controls[name].value == before["controls"][name]  # not 1.0 or 0: unchanged
    assert _same(_state(ex), before)
    assert "between" in ex.notes[name].value
    ex.controls[name].value = to_shown(REGISTER[name], REGISTER[name].high)  # a good value clears it
    assert ex.notes[name].layout.display == "none"
    assert ex.scenario.values[name] == REGISTER[name].high


def test_after_a_refused_switch_the_draws_equal_a_fresh_explorers() -> None:
    ex, fresh = ScenarioExplorer(n_draws=300), ScenarioExplorer(n_draws=300)
    with pytest.raises(ValueError):
        ex.set_values(war_course="nonsense")
    assert ex.held == () and ex.controls["war_course"].value == DRAWN
    for e in (ex, fresh):
        e.set_values(return_quarter=5)
    assert ex.held == fresh.held
    assert _same(_state(ex), _state(fresh))  # values, controls, outcomes and the ensemble's band


def test_a_typed_value_breaking_a_cross_parameter_rule_is_refused() -> None:
    """Two weights adding up to more than 1 are refused by the model: the control goes back."""
    ex = ScenarioExplorer(n_draws=200)
    ex.controls["p_war_ceasefire"].value = 15  # percent: the opt-in mixture (v3: weights default 0)
    assert ex.scenario.values["p_war_ceasefire"] == 0.15
    before = _state(ex)
    ex.controls["p_war_escalation"].value = 95  # with p_war_ceasefire 0.15: above 1
    assert _same(_state(ex), before)
    assert ex.notes["p_war_escalation"].layout.display != "none"
