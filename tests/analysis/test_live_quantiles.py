"""The live ensemble's bands: one sort + numpy's linear interpolation gives exactly
``np.quantile(..., axis=0)`` (the fast path is pinned to the plain computation)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from s400lab.analysis.live import BAND_LEVELS, LiveEnsemble, column_quantiles
from s400lab.model import Scenario

LEVELS = st.lists(st.floats(0.0, 1.0), min_size=1, max_size=7)


def _same(fast: np.ndarray, plain: np.ndarray) -> None:
    """Bit for bit (NaN where numpy gives NaN; 0.0 and -0.0 compare equal)."""
    assert fast.shape == plain.shape
    np.testing.assert_array_equal(fast, plain)


@settings(max_examples=300, deadline=None)
@given(
    a=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=40),
        elements=st.floats(-1e6, 1e6) | st.sampled_from([0.0, 1.0, 2.5, 40.0]),
    ),
    levels=LEVELS,
)
def test_equals_numpy_quantile_on_any_draws(a, levels):
    _same(column_quantiles(a, levels), np.quantile(a, levels, axis=0))


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # inf - inf, as numpy
@settings(max_examples=100, deadline=None)
@given(
    a=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=30),
        elements=st.floats(allow_nan=True, allow_infinity=True),
    ),
    levels=LEVELS,
)
def test_equals_numpy_with_nan_and_infinities(a, levels):
    _same(column_quantiles(a, levels), np.quantile(a, levels, axis=0))


@pytest.mark.parametrize("n", [1, 2, 3, 999, 1000, 1001])
def test_equals_numpy_for_the_band_levels(n):
    rng = np.random.default_rng(n)
    a = np.round(rng.normal(60, 15, size=(n, 24)))  # battalions: many ties
    _same(column_quantiles(a), np.quantile(a, BAND_LEVELS, axis=0))
    a[rng.integers(0, n), 3] = np.nan
    _same(column_quantiles(a), np.quantile(a, BAND_LEVELS, axis=0))


def test_hand_checked_linear_interpolation():
    a = np.array([[4.0, 10.0], [1.0, 30.0], [3.0, 20.0], [2.0, 40.0]])
    # sorted column 0: 1 2 3 4; virtual index 3q: q=0.5 -> 1.5 -> 2.5; q=0.25 -> 0.75 -> 1.75
    np.testing.assert_array_equal(
        column_quantiles(a, (0.0, 0.25, 0.5, 1.0)), [[1.0, 10.0], [1.75, 17.5], [2.5, 25.0], [4.0, 40.0]]
    )


@pytest.mark.parametrize("bad", [np.zeros(5), np.zeros((0, 3))])
def test_refuses_a_non_matrix(bad):
    with pytest.raises(ValueError, match="2-d array"):
        column_quantiles(bad)


def test_refuses_levels_outside_0_1():
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        column_quantiles(np.zeros((3, 2)), (0.5, 1.5))


def test_live_bands_are_numpys_quantiles():
    live = LiveEnsemble(n=300, seed=5)
    run = live.run(Scenario.preset("full_return_cash"))
    base = live.run(Scenario.preset("status_quo"))
    stock = run.series["ru_stock"]
    _same(run.band("ru_stock"), np.quantile(stock, BAND_LEVELS, axis=0))
    diff = stock - base.series["ru_stock"]
    assert np.ptp(diff) > 0  # the return moves the stock: the band is not trivially zero
    _same(run.difference_band(base, "ru_stock"), np.quantile(diff, BAND_LEVELS, axis=0))
