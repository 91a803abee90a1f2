"""Tornado and Sobol indices on functions whose answer is known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from s400lab.analysis.sensitivity import ishigami, sobol_indices, tornado

PI = np.pi


def test_tornado_linear_hand_computed():
    # y = 2 a - 5 b + 0.5 c + 3 ; swings = |coef| * (high - low)
    coef = np.array([2.0, -5.0, 0.5])
    f = lambda X: X @ coef + 3.0  # noqa: E731
    low, central, high = [0, 0, 0], [1, 1, 1], [4, 1.5, 10]
    t = tornado(f, ["a", "b", "c"], low, central, high, labels=["A", "B", "C"])
    # swings: a 8, b 7.5, c 5
    assert t["name"].tolist() == ["a", "b", "c"]
    assert t["swing"].tolist() == pytest.approx([8.0, 7.5, 5.0])
    assert t.attrs["base"] == pytest.approx(2 - 5 + 0.5 + 3)
    row_b = t.set_index("name").loc["b"]
    assert row_b["y_low"] == pytest.approx(0.5 + 0 + 2 + 3)  # b at 0
    assert row_b["y_high"] == pytest.approx(2 - 7.5 + 0.5 + 3)  # b at 1.5
    assert row_b["label"] == "B"


def test_tornado_single_vectorized_call_and_length_checks():
    calls = []

    def f(X):
        calls.append(X.shape)
        return X.sum(axis=1)

    tornado(f, ["a", "b"], [0, 0], [1, 1], [2, 2])
    assert calls == [(5, 2)]
    with pytest.raises(ValueError):
        tornado(f, ["a"], [0, 0], [1, 1], [2, 2])
    with pytest.raises(ValueError, match="returned"):
        tornado(lambda X: np.zeros(3), ["a", "b"], [0, 0], [1, 1], [2, 2])


def test_sobol_ishigami_matches_analytic():
    t = sobol_indices(ishigami, ["x1", "x2", "x3"], [(-PI, PI)] * 3, n_base=4096, seed=1)
    assert t["S1"].to_numpy() == pytest.approx([0.314, 0.442, 0.0], abs=0.03)
    assert t["ST"].to_numpy() == pytest.approx([0.558, 0.442, 0.244], abs=0.03)
    assert t.attrs["n_evaluations"] == 4096 * 5
    # interval columns are consistent
    assert (t["S1_low"] <= t["S1"]).all() and (t["S1"] <= t["S1_high"]).all()
    assert (t["ST_conf"] > 0).all()


def test_sobol_same_seed_same_numbers_and_different_seed_differs():
    a = sobol_indices(ishigami, ["x1", "x2", "x3"], [(-PI, PI)] * 3, n_base=256, seed=3)
    b = sobol_indices(ishigami, ["x1", "x2", "x3"], [(-PI, PI)] * 3, n_base=256, seed=3)
    c = sobol_indices(ishigami, ["x1", "x2", "x3"], [(-PI, PI)] * 3, n_base=256, seed=4)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["S1"], c["S1"])


def test_sobol_additive_function_has_no_interactions():
    # y = x1 + 2 x2 on [0,1]^2 (+ an inert x3): S1 = ST = (1/5, 4/5, 0)
    f = lambda X: X[:, 0] + 2 * X[:, 1]  # noqa: E731
    t = sobol_indices(f, ["x1", "x2", "x3"], [(0, 1)] * 3, n_base=2048, seed=0)
    assert t["S1"].to_numpy() == pytest.approx([0.2, 0.8, 0.0], abs=0.03)
    assert t["ST"].to_numpy() == pytest.approx([0.2, 0.8, 0.0], abs=0.03)


def test_sobol_constant_and_nan_outputs():
    t = sobol_indices(lambda X: np.ones(len(X)), ["a", "b"], [(0, 1)] * 2, n_base=64, seed=0)
    assert (t[["S1", "ST"]].to_numpy() == 0).all()
    with pytest.raises(ValueError, match="missing"):
        sobol_indices(lambda X: np.full(len(X), np.nan), ["a", "b"], [(0, 1)] * 2, n_base=64)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_coef = st.floats(-100, 100, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(
    coefs=st.lists(_coef, min_size=1, max_size=6),
    widths=st.lists(st.floats(0, 50, allow_nan=False), min_size=6, max_size=6),
)
def test_tornado_linear_property(coefs, widths):
    k = len(coefs)
    c = np.array(coefs)
    low = np.zeros(k)
    high = np.array(widths[:k])
    central = high / 2
    t = tornado(lambda X: X @ c, [f"x{i}" for i in range(k)], low, central, high)
    expected = np.abs(c) * high
    assert t["swing"].to_numpy() == pytest.approx(np.sort(expected)[::-1], rel=1e-9, abs=1e-9)
    assert (np.diff(t["swing"]) <= 1e-12).all()
