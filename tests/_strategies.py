"""Hypothesis strategies shared by the test modules (importable because pytest puts tests/ on sys.path)."""

from __future__ import annotations

import math

from hypothesis import strategies as st


def register_value(p):
    """Any value the parameter register accepts for parameter ``p`` (a model Parameter)."""
    if p.type == "choice":
        return st.sampled_from(p.choices)
    if p.discrete_values:  # e.g. Turkiye's holding: 2 or 4 battalions only
        return st.sampled_from(p.discrete_values).map(int if p.type == "int" else float)
    if p.type == "bool":
        return st.booleans()
    if p.type == "int":
        return st.integers(int(p.low), int(p.high))
    if p.on_quarter_grid:  # dates: quarter starts only
        return st.integers(math.ceil(p.low * 4), math.floor(p.high * 4)).map(lambda q: q / 4)
    return st.floats(p.low, p.high, allow_nan=False, allow_infinity=False)
