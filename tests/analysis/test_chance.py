"""Chance (the congressional block draws) in the sensitivity analysis: the tornado averages over
it exactly, and the share of variance it explains is reported (issue 25, item 6)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from s400lab.analysis.sensitivity import (
    BLOCK_DEVICES,
    block_chances,
    chance_share,
    expect_over_chance,
    model_function,
    model_sobol,
    model_tornado,
)
from s400lab.model import Scenario, evaluate, run, run_ensemble


@pytest.fixture(scope="module")
def full():
    return Scenario.preset("full_return_cash")


def _mc_mean(sc, outcome, extra: dict, n=40_000, seed=3):
    """The outcome averaged over uniform block draws by brute force (Monte Carlo)."""
    rng = np.random.default_rng(seed)
    draws = pd.DataFrame({d: rng.random(n) for d in BLOCK_DEVICES})
    for k, v in extra.items():
        draws[k] = v
    return float(evaluate(sc, draws)[outcome].mean())


def test_block_chance_is_the_models_own_threshold(full):
    """block_chances says where the model switches from blocked to not, draw by draw."""
    rng = np.random.default_rng(0)
    for us in ("standard", "cooperative", "hostile"):
        sc = full.with_changes(us_response=us)
        p = rng.uniform(0.05, 0.5, 200).round(3)
        q = block_chances(sc, pd.DataFrame({"p_block_sanctions": p}))["u_block_sanctions"]
        below = evaluate(
            sc, pd.DataFrame({"p_block_sanctions": p, "u_block_sanctions": np.clip(q - 1e-6, 0, 1)})
        )
        above = evaluate(
            sc, pd.DataFrame({"p_block_sanctions": p, "u_block_sanctions": np.clip(q + 1e-6, 0, 1)})
        )
        assert (below["sanctions_blocked"] == 1).all(), us
        assert (above["sanctions_blocked"] == 0).all(), us


@pytest.mark.parametrize("outcome", ["alliance_score", "sanctions_lifted", "f35_readmitted"])
def test_tornado_block_probability_is_smooth_and_monotone(full, outcome):
    """The p_block_* bars: expectation over the block draw, linear in the probability (no step
    against a hidden 0.5), never rising with the chance of a block."""
    f = model_function(full, outcome, ["p_block_sanctions"])
    grid = np.linspace(0.05, 0.5, 10)
    y = f(grid[:, None])
    assert np.all(np.diff(y) < 0)  # strictly falling: each step of p costs the same
    np.testing.assert_allclose(np.diff(y, 2), 0.0, atol=1e-9)  # linear in p: no step
    # the expectation equals a brute-force average over uniform block draws
    assert y[3] == pytest.approx(_mc_mean(full, outcome, {"p_block_sanctions": grid[3]}), abs=0.02)


def test_tornado_swings_of_the_block_probabilities(full):
    t = model_tornado(full, "alliance_score").set_index("name")
    # v2: p_block_sanctions had swing 0 (both ends below the hidden 0.5) while it led Sobol
    for p in ("p_block_sanctions", "p_block_f35"):
        assert t.loc[p, "swing"] > 0.05
        assert t.loc[p, "y_high"] < t.loc[p, "y_low"]
    # hand: E = q f(blocked) + (1 - q) f(free) is linear in q, so the swing of p_block_sanctions
    # is (high - low) x (drop from a sanctions block, averaged over the F-35 draw)
    # the sanctions draw held at 0 (blocked) and 1 (free); only the F-35 draw is averaged
    held = pd.DataFrame({"u_block_sanctions": [0.0, 1.0]})
    mean, _ = expect_over_chance(full, held, ["alliance_score"])
    drop = float(mean["alliance_score"].iloc[1] - mean["alliance_score"].iloc[0])  # free - blocked
    lo, hi = t.loc["p_block_sanctions", ["low", "high"]]
    assert t.loc["p_block_sanctions", "swing"] == pytest.approx((hi - lo) * drop, rel=1e-9)
    # an assumption no block touches keeps the single run's value (base is exact there)
    assert model_tornado(full, "india_sq5_q").attrs["base"] == run(full)["india_sq5_q"]


def test_chance_share_by_hand():
    """sanctions_blocked is Bernoulli(q) given the assumptions, q ~ triangular(0.05, 0.2, 0.5):
    share = E[q(1-q)] / (E[q](1-E[q])). A transfer to a third party divests in every draw (no
    bargain can refuse it), so the legal conditions hold throughout."""
    full = Scenario.preset("transfer_third_party")
    assert run_ensemble(full, n=500).probability("legal_conditions_met") == 1.0
    a, c, b = 0.05, 0.2, 0.5  # low, mode, high of p_block_sanctions (register)
    reg = full.register["p_block_sanctions"]
    assert (reg.low, reg.central, reg.high) == (a, c, b)
    mean = (a + b + c) / 3
    var = (a * a + b * b + c * c - a * b - a * c - b * c) / 18
    for us, m in (("standard", 1.0), ("cooperative", full["us_block_mult_cooperative"])):
        eq, eq2 = m * mean, m * m * (var + mean * mean)
        hand = (eq - eq2) / (eq * (1 - eq))
        got = chance_share(full.with_changes(us_response=us), "sanctions_blocked", n=20_000, seed=2)
        assert got == pytest.approx(hand, abs=0.004), us


def test_chance_share_bounded_and_matches_total_variance(full):
    for outcome in ("alliance_score", "sanctions_lifted_q", "f35_readmitted", "india_sq5_q", "ru_stock_end"):
        s = chance_share(full, outcome, n=2000)
        assert 0.0 <= s <= 1.0, outcome
    assert chance_share(full, "india_sq5_q", n=2000) == pytest.approx(0.0, abs=1e-9)  # no block reaches India
    assert chance_share(Scenario.preset("status_quo"), "sanctions_blocked", n=500) == 0.0  # never varies
    # independent check: 1 - Var(E[Y | assumptions]) / Var(Y) over an ensemble that draws chance
    ens = run_ensemble(full, n=20_000, seed=7)
    assumptions = ens.draws.drop(columns=list(BLOCK_DEVICES))
    mean, _ = expect_over_chance(full, assumptions, ["alliance_score"])
    brute = 1 - mean["alliance_score"].var(ddof=0) / ens.outcomes["alliance_score"].var(ddof=0)
    assert chance_share(full, "alliance_score", n=20_000, seed=7) == pytest.approx(brute, abs=0.02)
    assert chance_share(full, "alliance_score") > 0.05  # chance is part of the spread


def test_sobol_reports_the_chance_share(full):
    s = model_sobol(full, "alliance_score", n_base=64, seed=0, num_resamples=10)
    share = s.attrs["chance_share"]
    assert 0.05 < share <= 1.0
    assert share == pytest.approx(chance_share(full, "alliance_score", n=256, seed=0))
