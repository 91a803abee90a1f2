"""Tests for s400lab.analysis.tradeoffs on hand-checked matrices (model-independent)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from s400lab.analysis import tradeoffs as tr

# Hand-checked case. cost: lower is better; speed: higher is better.
#            cost  speed   norm cost  norm speed
#   A         10     1        1.0        0.0
#   B         20     5        0.0        1.0
#   C         15     3        0.5        0.5
MATRIX = pd.DataFrame(
    {"cost": [10.0, 20.0, 15.0], "speed": [1.0, 5.0, 3.0]}, index=pd.Index(["A", "B", "C"], name="option")
)
DIRS = {"cost": "lower", "speed": "higher"}


def test_normalise_hand_checked():
    n = tr.normalise(MATRIX, DIRS)
    assert n["cost"].tolist() == [1.0, 0.0, 0.5]
    assert n["speed"].tolist() == [0.0, 1.0, 0.5]


@pytest.mark.parametrize(
    "weights, order, scores",
    [
        ({"cost": 1, "speed": 0}, ["A", "C", "B"], [1.0, 0.5, 0.0]),
        ({"cost": 0, "speed": 3}, ["B", "C", "A"], [1.0, 0.5, 0.0]),
        ({"cost": 6, "speed": 4}, ["A", "C", "B"], [0.6, 0.5, 0.4]),
        ({"cost": 0.3, "speed": 0.7}, ["B", "C", "A"], [0.7, 0.5, 0.3]),
    ],
)
def test_ranking_changes_with_weights(weights, order, scores):
    r = tr.rank_options(tr.normalise(MATRIX, DIRS), weights)
    assert r.index.tolist() == order
    assert r["score"].tolist() == pytest.approx(scores)
    assert r["rank"].tolist() == [1, 2, 3]


def test_equal_weights_tie_everything():
    r = tr.rank_options(tr.normalise(MATRIX, DIRS), {"cost": 1, "speed": 1})
    assert r["rank"].tolist() == [1, 1, 1]
    assert r["score"].tolist() == pytest.approx([0.5, 0.5, 0.5])


def test_missing_weight_means_zero_and_bad_weights_rejected():
    n = tr.normalise(MATRIX, DIRS)
    assert tr.rank_options(n, {"speed": 1}).index[0] == "B"
    for bad in (
        {"cost": -1, "speed": 1},
        {"cost": 0, "speed": 0},
        {"cost": float("nan"), "speed": 1},
        {"colour": 1},
    ):
        with pytest.raises(ValueError):
            tr.rank_options(n, bad)


def test_nan_is_worst_and_constant_column_is_neutral():
    m = pd.DataFrame(
        {"when": [2027.0, np.nan, 2029.0], "flat": [3.0, 3.0, 3.0], "one": [np.nan, 5.0, np.nan]},
        index=["A", "B", "C"],
    )
    n = tr.normalise(m, {"when": "lower", "flat": "higher", "one": "higher"})
    assert n["when"].tolist() == [1.0, 0.0, 0.0]
    assert n["flat"].tolist() == [0.5, 0.5, 0.5]
    assert n["one"].tolist() == [0.0, 1.0, 0.0]


def test_robustness_hand_checked():
    n = tr.normalise(MATRIX, DIRS)
    rob = tr.weight_robustness(n, n=20_000, seed=3)
    # A wins iff w_cost > 1/2, B iff w_cost < 1/2 (uniform on the simplex): about half each
    assert rob.loc["A", "share_first"] == pytest.approx(0.5, abs=0.02)
    assert rob.loc["B", "share_first"] == pytest.approx(0.5, abs=0.02)
    assert rob.loc["C", "share_first"] == pytest.approx(0.0, abs=1e-9)
    assert rob["share_first"].sum() == pytest.approx(1.0)
    assert rob.loc["C", "mean_rank"] == pytest.approx(2.0, abs=1e-9)
    # same seed -> same numbers
    pd.testing.assert_frame_equal(rob, tr.weight_robustness(n, n=20_000, seed=3))
    near = tr.weight_robustness(n, n=5_000, seed=1, around={"cost": 0.9, "speed": 0.1}, concentration=50)
    assert near.index[0] == "A" and near.loc["A", "share_first"] > 0.95


def test_dominated_option_never_wins():
    m = MATRIX.copy()
    m.loc["D"] = [25.0, 0.5]  # worse than A, B and C on both criteria
    rob = tr.weight_robustness(tr.normalise(m, DIRS), n=2_000, seed=0)
    assert rob.loc["D", "share_first"] == 0.0
    assert rob.loc["D", "mean_rank"] == 4.0


# integers (as floats): differences stay well above rounding after a change of units
finite = st.integers(-10_000, 10_000)


@settings(max_examples=80, deadline=None)
@given(
    arrays(np.int64, (5, 3), elements=finite),
    st.lists(st.sampled_from(["higher", "lower"]), min_size=3, max_size=3),
    st.floats(0.1, 100),
    st.floats(-100, 100),
)
def test_normalise_properties(values, dirs, scale, shift):
    m = pd.DataFrame(values.astype(float), columns=["a", "b", "c"])
    d = dict(zip(m.columns, dirs, strict=True))
    n = tr.normalise(m, d)
    assert ((n >= 0) & (n <= 1)).all().all()
    for col in m.columns:
        x = m[col].to_numpy()
        if x.max() > x.min():
            best = x.argmax() if d[col] == "higher" else x.argmin()
            assert n[col].iloc[best] == 1.0 and n[col].min() == 0.0
    # invariant to a positive affine change of units (e.g. US$ bn -> US$ m)
    n2 = tr.normalise(m * scale + shift, d)
    np.testing.assert_allclose(n2.to_numpy(), n.to_numpy(), atol=1e-6)
    # flipping a direction mirrors the scores
    flipped = {k: ("lower" if v == "higher" else "higher") for k, v in d.items()}
    np.testing.assert_allclose(tr.normalise(m, flipped).to_numpy(), 1 - n.to_numpy(), atol=1e-9)


def test_outcomes_matrix_from_outcome_tables():
    crit = [
        tr.Criterion("money", "Turkiye", "Money", "net_usd_bn", "higher"),
        tr.Criterion("f35", "Turkiye", "F-35", "f35_quarter", "lower"),
    ]
    tables = {
        "keep": pd.DataFrame(
            {"value": [-2.5, np.nan], "unit": ["US$ bn", "decimal year"], "label": ["n", "f"]},
            index=["net_usd_bn", "f35_quarter"],
        ),
        "return": pd.DataFrame(
            {"value": [-1.0, 2029.25], "unit": ["US$ bn", "decimal year"], "label": ["n", "f"]},
            index=["net_usd_bn", "f35_quarter"],
        ),
    }
    m, units = tr.outcomes_matrix(tables, crit)
    assert m.loc["return", "money"] == -1.0 and np.isnan(m.loc["keep", "f35"])
    assert units.to_dict() == {"money": "US$ bn", "f35": "decimal year"}
    assert tr.rank_options(tr.normalise(m, crit), {"money": 1, "f35": 1}).index[0] == "return"
    with pytest.raises(KeyError, match="f35_quarter"):
        tr.outcomes_matrix({"x": tables["keep"].drop("f35_quarter")}, crit)


def test_criteria_are_well_formed():
    ids = [c.criterion_id for c in tr.DEFAULT_CRITERIA]
    assert len(ids) == len(set(ids))
    assert {c.stakeholder for c in tr.DEFAULT_CRITERIA} >= {
        "Turkiye",
        "Russia",
        "United States/NATO",
        "India",
        "Ukraine",
    }
    with pytest.raises(ValueError):
        tr.Criterion("x", "Turkiye", "x", "y", "sideways")


def test_stakeholder_weights():
    w = tr.stakeholder_weights("India", high=10, low=1)
    assert w["india_sq5"] == 10 and w["tr_money"] == 1
    assert set(w) == {c.criterion_id for c in tr.DEFAULT_CRITERIA}
    with pytest.raises(ValueError, match="unknown stakeholder"):
        tr.stakeholder_weights("Mars")
