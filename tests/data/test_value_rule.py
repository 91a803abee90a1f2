"""One value rule (issue 24, item 1): ``validate`` and the model agree on every scenario value.

``s400lab.data.values.judge`` decides for the data checks and for ``Parameter.validate`` (the
register, the model API, scenario files). A value ``validate`` accepts in
``scenario_values.csv`` builds its preset; a value the model refuses is refused by ``validate``
naming file, row and column.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s400lab.data import validate
from s400lab.model.register import load_register
from s400lab.model.scenario import Scenario

from .conftest import REAL, copy_package


def _with_row(tmp: Path, parameter: str, value: str, scenario: str = "activate") -> tuple[Path, int]:
    """A copy of the shipped data whose scenario_values.csv ends with one more row."""
    pkg = tmp / "data"
    if pkg.exists():
        shutil.rmtree(pkg)
    copy_package(REAL, tmp)
    path = pkg / "scenario_values.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    rows = [r for r in rows if r[:2] != [scenario, parameter]]
    rows.append([scenario, parameter, value])
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return pkg, len(rows)


@pytest.mark.parametrize(
    ("parameter", "value", "expected"),
    [
        ("tr_holding_bn", "3", '"3" is not one of the values 2, 4'),
        ("start_year", "2026.1", '"2026.1" is not the start of a quarter'),
    ],
)
def test_the_issue_examples_are_refused_by_validate(
    tmp_path: Path, parameter: str, value: str, expected: str
) -> None:
    pkg, row = _with_row(tmp_path, parameter, value)
    problems = validate(pkg)
    assert any(
        p.file == "data/scenario_values.csv"
        and p.row == row
        and p.column == "value"
        and expected in p.message
        for p in problems
    ), [str(p) for p in problems]


def test_incoherent_levers_in_a_preset_are_refused(tmp_path: Path) -> None:
    pkg, row = _with_row(tmp_path, "return_battalions", "3", scenario="partial_return")
    problems = validate(pkg)
    assert any(
        p.file == "data/scenario_values.csv"
        and p.row == row
        and p.column == "value"
        and "incoherent levers" in p.message
        for p in problems
    ), [str(p) for p in problems]


_REGISTER = load_register(REAL)
_NUMERIC = [
    p.name for p in _REGISTER if p.type in ("float", "int") and p.kind in ("lever", "setting", "uncertainty")
]


@st.composite
def _value_text(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(_NUMERIC))
    p = _REGISTER[name]
    x = draw(
        st.one_of(
            st.floats(p.low - 2, p.high + 2, allow_nan=False),
            st.integers(int(p.low) - 2, int(p.high) + 2).map(float),
            st.integers(int(p.low * 4) - 2, int(p.high * 4) + 2).map(lambda q: q / 4),
        )
    )
    text = f"{x:g}" if draw(st.booleans()) else repr(x)
    return name, text


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=_value_text())
def test_validate_accepts_exactly_what_builds(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[str, str]
) -> None:
    name, text = case
    tmp = tmp_path_factory.mktemp("v")
    pkg, row = _with_row(tmp, name, text)
    problems = [p for p in validate(pkg) if p.file == "data/scenario_values.csv"]
    base = Scenario.default(_REGISTER)
    try:
        base._apply({**_preset_values("activate"), name: text})
        built = True
    except ValueError:
        built = False
    if built:
        assert problems == [], [str(p) for p in problems]
    else:
        assert any(p.row == row and p.column == "value" for p in problems), (name, text)


def _preset_values(name: str) -> dict[str, str]:
    with (REAL / "scenario_values.csv").open(newline="", encoding="utf-8") as fh:
        return {r["parameter"]: r["value"] for r in csv.DictReader(fh) if r["scenario_id"] == name}


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(_NUMERIC), x=st.floats(allow_nan=True, allow_infinity=True), snap=st.booleans())
def test_draws_are_judged_by_the_same_rule(name: str, x: float, snap: bool) -> None:
    """The model API's check of a drawn column (arrays) refuses exactly what judge refuses."""
    import numpy as np

    from s400lab.data import values

    p = _REGISTER[name]
    if snap and np.isfinite(x):
        x = round(x * 4) / 4 if abs(x) < 1e6 else x
    one = values.refused(p, np.array([x]))[0]
    assert bool(one) == (values.judge(p, x).kind is not None)
