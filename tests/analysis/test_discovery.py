"""PRIM scenario discovery on synthetic data with a planted box."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from s400lab.analysis.discovery import describe_box, prim


def planted(n=4000, seed=0, noise=0.0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "loss": rng.uniform(1, 6, n),
            "production": rng.uniform(6, 16, n),
            "noise": rng.uniform(0, 1, n),
            "holding": rng.choice([2, 4], n),
        }
    )
    y = (X["loss"] > 4.0) & (X["production"] < 9.0)
    if noise:
        flip = rng.random(n) < noise
        y = y ^ flip
    return X, y.to_numpy()


def test_prim_finds_planted_box():
    X, y = planted()
    res = prim(X, y, outcome_label="India is delayed past 2027")
    box = res.choose(min_coverage=0.8)
    assert set(box.restricted) == {"loss", "production"}
    assert box.limits.loc["loss", "low"] == pytest.approx(4.0, abs=0.2)
    assert box.limits.loc["production", "high"] == pytest.approx(9.0, abs=0.4)
    assert box.density > 0.9
    assert box.coverage >= 0.8
    # the box's own statistics are consistent with its contents
    inside = box.contains(X)
    assert inside.sum() == box.n_in
    assert y[inside].mean() == pytest.approx(box.density)
    assert y[inside].sum() / y.sum() == pytest.approx(box.coverage)


def test_prim_trajectory_invariants():
    X, y = planted(noise=0.05, seed=2)
    res = prim(X, y, alpha=0.05, min_support=0.05)
    tr = res.trajectory()
    assert tr["step"].tolist() == list(range(len(tr)))
    assert tr.loc[0, "support"] == 1.0 and tr.loc[0, "coverage"] == 1.0
    assert (np.diff(tr["n_in"]) < 0).all()  # boxes are nested and shrink
    assert (np.diff(tr["coverage"]) <= 1e-12).all()  # coverage can only fall
    assert tr["support"].iloc[-1] >= 0.05
    assert tr[["coverage", "density", "support"]].stack().between(0, 1).all()
    # each box is inside the previous one
    for a, b in zip(res.boxes, res.boxes[1:]):
        assert (b.limits["low"] >= a.limits["low"]).all() and (b.limits["high"] <= a.limits["high"]).all()


def test_prim_discrete_dimension():
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"holding": rng.choice([2, 4], 2000), "u": rng.uniform(0, 1, 2000)})
    y = (X["holding"] == 4).to_numpy()
    box = prim(X, y).choose(0.9)
    assert box.restricted == ["holding"]
    assert box.limits.loc["holding", "low"] == 4
    assert box.density == 1.0


def test_prim_same_input_same_boxes():
    X, y = planted(seed=3)
    a, b = prim(X, y).trajectory(), prim(X, y).trajectory()
    pd.testing.assert_frame_equal(a, b)


def test_prim_bad_input():
    X, y = planted(n=100)
    with pytest.raises(ValueError, match="rows"):
        prim(X, y[:50])
    with pytest.raises(ValueError):
        prim(X, y, alpha=0.7)
    with pytest.raises(ValueError, match="loss"):
        prim(X.assign(loss=np.nan), y)


def test_describe_box_sentence():
    X, y = planted()
    box = prim(X, y).choose(0.8)
    s = describe_box(
        box,
        "India is delayed past 2027",
        labels={"loss": "the loss rate", "production": "production"},
        units={"loss": "battalions/yr", "production": "battalions/yr"},
    )
    assert s.startswith(
        f"In {100 * box.coverage:.0f}% of the runs where India is delayed past 2027 (coverage)"
    )
    assert "the loss rate was at least 4" in s
    assert "production was at most" in s
    assert f"{100 * box.density:.0f}% of runs" in s
    assert "(density)" in s
    root = prim(X, y).boxes[0]
    assert "No range" in describe_box(root, "x")


def test_describe_box_single_value_and_density_criterion():
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"holding": rng.choice([2, 4], 3000), "u": rng.uniform(0, 1, 3000)})
    y = ((X["holding"] == 4) & (X["u"] < 0.5)).to_numpy()
    box = prim(X, y).choose(0.9)
    s = describe_box(box, "x", labels={"holding": "the holding", "u": "u"})
    assert "the holding was 4 and u was at most 0.4" in s
    assert 0.45 <= box.limits.loc["u", "high"] < 0.5
    # Friedman & Fisher's original criterion finds the same region on this data
    box2 = prim(X, y, criterion="density").choose(0.9)
    assert box2.limits.loc["holding", "low"] == 4
    assert box2.density > 0.9
    with pytest.raises(ValueError, match="criterion"):
        prim(X, y, criterion="gini")
