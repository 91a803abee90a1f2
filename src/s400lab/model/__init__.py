"""The transparent quarterly scenario model (numpy/pandas only).

Public API (see docs/architecture.md, "Model API")::

    from s400lab.model import Scenario, run, run_ensemble, evaluate, presets
    sc = Scenario.preset("status_quo")
    res = run(sc.with_changes(tr_action="return_full"))
    ens = run_ensemble(sc, n=10_000, seed=1, method="lhs")

The equations are documented in :mod:`s400lab.model.core`; every constant is a row of
``data/parameters.csv`` (:func:`register`).
"""

from __future__ import annotations

from s400lab.model.api import compare, compare_readings, evaluate, run, run_ensemble
from s400lab.model.core import OUTCOMES, SERIES
from s400lab.model.register import Parameter, ParameterRegister, assumptions_table, load_register
from s400lab.model.results import Ensemble, Result, india_timing, quarter_label, quarter_text
from s400lab.model.sampling import sample
from s400lab.model.scenario import Scenario, lever_bounds, lever_problems, presets

register = load_register

__all__ = [
    "OUTCOMES",
    "SERIES",
    "Ensemble",
    "Parameter",
    "ParameterRegister",
    "Result",
    "Scenario",
    "assumptions_table",
    "compare",
    "compare_readings",
    "evaluate",
    "india_timing",
    "lever_bounds",
    "lever_problems",
    "load_register",
    "presets",
    "quarter_label",
    "quarter_text",
    "register",
    "run",
    "run_ensemble",
    "sample",
]
