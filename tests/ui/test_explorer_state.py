"""The explorer's state without widgets, and numbers as people type them (issue 21, items 1 and 3)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s400lab.model import OUTCOMES
from s400lab.model.formatting import format_outcome, quarter_label
from s400lab.model.register import load_register
from s400lab.ui.explorer import units
from s400lab.ui.explorer.state import EFFECT_OUTCOMES, ExplorerState

REGISTER = load_register()


@pytest.fixture(scope="module")
def state():
    st_ = ExplorerState("full_return_cash", n_draws=200)
    st_.recompute()
    return st_


def _snapshot(s: ExplorerState) -> tuple:
    return (dict(s.values), s.held, dict(s.scenario.values), s.recomputes, s.live)


def test_a_refused_change_leaves_nothing_behind(state):
    before = _snapshot(state)
    assert "compensation_share" in state.change({"compensation_share": 1.3})
    assert "war_course" in state.change({"war_course": "stalemate", "return_quarter": 3})
    assert _snapshot(state) == before  # no value, no held switch, no run


def _moved(before, after) -> set[str]:
    """Outcomes whose shown value, chance (>= 1 point) or median quarter differ: worked out
    here from the two runs, not by the explorer."""
    out = set()
    for k in EFFECT_OUTCOMES:
        if k not in after.result.raw_outcomes:
            continue
        unit = OUTCOMES[k][0]
        b, a = before.central[k], after.central[k]
        shown = format_outcome(b, unit, before.horizon_end) != format_outcome(a, unit, after.horizon_end)
        cb, ca = before.chance(k), after.chance(k)
        chance = not (math.isnan(cb) or math.isnan(ca)) and abs(ca - cb) >= 0.01
        median = unit == "year" and quarter_label(before.median(k), "-") != quarter_label(
            after.median(k), "-"
        )
        if shown or chance or median:
            out.add(k)
    return out


@pytest.mark.parametrize(
    "change",
    [
        {"return_quarter": 4},
        {"compensation_share": 0.3},
        {"ru_use_returned": "india"},
        {"inventory_bn": 60.0},
        {"w_us_trust": 2.0},
        {"us_response": "hostile"},
        {"india_promise_sq5": 2027.5},
    ],
    ids=lambda c: next(iter(c)),
)
def test_last_change_lists_exactly_the_outcomes_that_moved(change):
    s = ExplorerState("full_return_cash", n_draws=200)
    s.recompute()
    before = s.live
    assert s.change(change) is None
    s.finish_effects()
    listed = [e.outcome for e in s.last_effects]
    assert len(listed) == len(set(listed))
    assert set(listed) == _moved(before, s.live), change
    assert listed == [k for k in EFFECT_OUTCOMES if k in set(listed)]  # in the table's order


def test_russia_sending_returned_units_to_india_is_listed_when_the_india_view_moves():
    s = ExplorerState("full_return_cash", n_draws=200)
    s.recompute()
    before = s.live.result.raw_outcomes["returned_india_q"]
    s.change({"ru_use_returned": "india"})
    s.finish_effects()
    after = s.live.result.raw_outcomes["returned_india_q"]
    if format_outcome(before, "year") != format_outcome(after, "year"):
        assert "returned_india_q" in {e.outcome for e in s.last_effects}


def test_a_preset_or_a_file_is_not_a_change(state):
    state.choose("status_quo")
    state.recompute()
    state.finish_effects()
    assert state.last_changed == [] and state.last_effects == []


# --------------------------------------------------------------------------- units


def test_shares_are_typed_in_percent():
    p = REGISTER["compensation_share"]
    assert units.is_percent(p) and units.shown_unit(p) == "% of US$2.5bn"
    assert units.from_shown(p, 30) == 0.3  # 30 typed is 30%, never 1 (100%)
    assert units.to_shown(p, 0.3) == 30
    assert units.range_text(p) == "between 0% and 100% of US$2.5bn"
    assert units.is_percent(REGISTER["p_hold_per_linkage"]) and not units.is_percent(REGISTER["inventory_bn"])


def test_quarters_are_typed_as_2027q3():
    p = REGISTER["india_promise_sq5"]
    assert units.is_quarter(p) and units.to_shown(p, 2027.5) == "2027Q3"
    assert units.from_shown(p, "2027Q3") == units.from_shown(p, " 2027 q3 ") == 2027.5
    for bad in ("2027.5", "2027Q5", "Q3", "", "2027Q3x"):
        with pytest.raises(ValueError, match="2027Q3"):
            units.from_shown(p, bad)
    assert units.range_text(p) == f"between {quarter_label(p.low)} and {quarter_label(p.high)}"
    assert units.quarter_options(p)[0] == quarter_label(p.low)
    assert units.quarter_options(p)[-1] == quarter_label(p.high)


def test_a_return_quarter_names_its_quarter():
    p = REGISTER["return_quarter"]
    assert units.shown_text(p, 3, start=2026.75) == "3 quarters (2027Q3)"
    assert units.shown_text(p, 3) == "3 quarters"


@given(q=st.integers(2000 * 4, 2100 * 4))
def test_a_quarter_reads_back_as_typed(q):
    p = REGISTER["start_year"]
    assert units.from_shown(p, units.to_shown(p, q / 4)) == q / 4


@given(i=st.integers(0, 20))
def test_a_percent_on_the_step_grid_reads_back(i):
    p = REGISTER["compensation_share"]
    value = round(i * 0.05, 10)
    assert units.from_shown(p, units.to_shown(p, value)) == pytest.approx(value, abs=1e-12)


# --------------------------------------------------------------------------- the house


def test_no_explorer_module_over_500_lines_and_styles_ship_as_package_data():
    import tomllib
    from pathlib import Path

    import s400lab.ui.explorer as pkg

    here = Path(pkg.__file__).parent
    long = {p.name: n for p in here.glob("*.py") if (n := len(p.read_text().splitlines())) > 500}
    assert long == {}
    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    data = pyproject["tool"]["setuptools"]["package-data"]["s400lab"]
    assert "ui/explorer/*.css" in data and "ui/explorer/*.js" in data
    assert (here / "explorer.css").is_file() and (here / "fit.js").is_file()


def test_the_state_needs_no_widgets():
    """state, units, texts, table and views import no ipywidgets (testable without a kernel)."""
    import ast
    from pathlib import Path

    import s400lab.ui.explorer as pkg

    here = Path(pkg.__file__).parent
    for name in ("state", "units", "texts", "table", "views"):
        tree = ast.parse((here / f"{name}.py").read_text())
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not any(m.startswith("ipywidgets") for m in imported), name
        assert not any(
            m.startswith("s400lab.ui.explorer.")
            and m.split(".")[-1] in {"app", "controls", "files", "header", "actions"}
            for m in imported
        ), name
