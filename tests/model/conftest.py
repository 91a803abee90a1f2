"""Shared helpers for the model tests."""

from __future__ import annotations

import numpy as np
import pytest

from s400lab.model import Scenario, load_register
from s400lab.model.core import simulate


@pytest.fixture(scope="session")
def reg():
    return load_register()


@pytest.fixture(scope="session")
def default():
    return Scenario.default()


def sim1(**changes):
    """Run the core equations once (n = 1) at the defaults with ``changes``; return scalars."""
    values = dict(Scenario.default().values)
    values.update(changes)
    series, outcomes = simulate(values, 1)
    return (
        {k: np.asarray(v)[0] for k, v in series.items()},
        {k: float(v[0]) for k, v in outcomes.items()},
    )
