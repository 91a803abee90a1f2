"""The weight of Turkiye's 4-battalion holding: an explicit, editable register setting.

``tr_holding_bn`` is drawn as 4 with probability ``p_tr_holding_4`` (a setting, central 0.25,
conflict C1) and 2 otherwise, in LHS and MC ensembles alike (s400lab.model.sampling).
"""

from __future__ import annotations

import csv
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from s400lab.model import Scenario, load_register, run, run_ensemble, sampling
from s400lab.model.register import data_dir
from s400lab.model.sampling import (
    DISCRETE_WEIGHTS,
    check_discrete_weights,
    discrete_probabilities,
    sample,
    transform,
)

REG = load_register()
HOLD = REG["tr_holding_bn"]


def _holding(p: float, n: int, seed: int, method: str) -> np.ndarray:
    d = sample(REG, n, seed=seed, method=method, names=["tr_holding_bn"], values={"p_tr_holding_4": p})
    return d["tr_holding_bn"].to_numpy()


# ------------------------------------------------------------------ the register row
def test_register_row_is_a_documented_probability_setting():
    w = REG["p_tr_holding_4"]
    assert (w.kind, w.group, w.type, w.unit, w.distribution) == (
        "setting",
        "Turkiye",
        "float",
        "probability",
        "none",
    )
    assert (w.low, w.central, w.high, w.step, w.default) == (0.0, 0.25, 1.0, 0.05, 0.25)
    assert w.confidence == "claimed"
    assert "ASSUMPTION" in w.rationale and "C1" in w.rationale
    # the C1 sources: TASS (2 bn), TR MoD (second battery), Kommersant (4 batteries)
    for sid in (
        "tass-2020-02-04-s400-turkey",
        "sputnik-tr-2019-09-15-second-stage",
        "timeturk-2017-12-four-batteries",
    ):
        assert sid in w.source_ids
    names = list(REG.params)
    assert names.index("p_tr_holding_4") == names.index("tr_holding_bn") + 1
    # the holding row no longer claims an equal chance
    assert "equal chance" not in HOLD.description
    assert "p_tr_holding_4" in HOLD.description


def test_register_row_passes_the_data_checks():
    from s400lab.data import validate

    problems = [p for p in validate(data_dir()) if "parameters" in str(p.file)]
    assert problems == []
    with (data_dir() / "parameters.csv").open(newline="", encoding="utf-8") as fh:
        row = next(r for r in csv.DictReader(fh) if r["name"] == "p_tr_holding_4")
    assert row["default"] == "0.25" and row["choices"] == ""


def test_weight_mapping_fits_the_register():
    check_discrete_weights(REG)  # no error
    for name, weights in DISCRETE_WEIGHTS.items():
        # a numeric discrete uncertainty, or a drawn switch (a choice setting: war_course)
        p = REG[name]
        assert p.distribution == "discrete" or (p.type, p.kind) == ("choice", "setting")
        for setting in weights.values():
            assert REG[setting].kind == "setting"


def test_bad_weight_mapping_is_reported(monkeypatch):
    monkeypatch.setitem(DISCRETE_WEIGHTS, "tr_holding_bn", {3.0: "p_tr_holding_4"})
    with pytest.raises(ValueError, match="3 is not a value of 'tr_holding_bn'"):
        check_discrete_weights(REG)
    monkeypatch.setitem(DISCRETE_WEIGHTS, "tr_holding_bn", {4.0: "p_nope"})
    with pytest.raises(ValueError, match="'p_nope', which is not in the register"):
        sample(REG, 10, seed=1)
    monkeypatch.setitem(DISCRETE_WEIGHTS, "tr_holding_bn", {4.0: "inventory_bn"})
    with pytest.raises(ValueError, match="'inventory_bn' must be a float setting within 0..1"):
        check_discrete_weights(REG)


# ------------------------------------------------------------------ the probabilities
def test_probabilities_follow_the_weight():
    vals, probs = discrete_probabilities(HOLD, {"p_tr_holding_4": 0.3})
    assert vals.tolist() == [2.0, 4.0]
    assert probs == pytest.approx([0.7, 0.3])
    # default: the register's central 0.25
    assert discrete_probabilities(HOLD)[1] == pytest.approx([0.75, 0.25])


@pytest.mark.parametrize("bad", [1.5, -0.1, float("nan"), "lots", None])
def test_weight_outside_zero_one_is_refused(bad):
    with pytest.raises(ValueError, match="p_tr_holding_4"):
        discrete_probabilities(HOLD, {"p_tr_holding_4": bad})
    with pytest.raises(ValueError, match="p_tr_holding_4"):
        Scenario.default().with_changes(p_tr_holding_4=bad)


def test_transform_is_the_inverse_cdf():
    u = np.array([0.0, 0.5, 0.7499, 0.75, 0.9, np.nextafter(1.0, 0.0)])
    assert transform(HOLD, u, {"p_tr_holding_4": 0.25}).tolist() == [2, 2, 2, 4, 4, 4]
    assert transform(HOLD, u, {"p_tr_holding_4": 0.0}).tolist() == [2] * 6
    assert transform(HOLD, u, {"p_tr_holding_4": 1.0}).tolist() == [4] * 6
    assert transform(HOLD, u, {"p_tr_holding_4": 0.5}).tolist() == [2, 4, 4, 4, 4, 4]


# ------------------------------------------------------------------ the draws
@pytest.mark.parametrize("method", ["lhs", "mc"])
def test_extreme_weights_give_one_value(method):
    assert set(_holding(0.0, 5_000, 7, method)) == {2.0}
    assert set(_holding(1.0, 5_000, 7, method)) == {4.0}


@pytest.mark.parametrize("method", ["lhs", "mc"])
@pytest.mark.parametrize("seed", [1, 2])
def test_share_of_four_matches_the_weight(method, seed):
    n, p = 20_000, 0.25
    share = (_holding(p, n, seed, method) == 4).mean()
    se = math.sqrt(p * (1 - p) / n)  # ~0.0031
    assert abs(share - p) < 4 * se
    if method == "lhs":  # one point per stratum of width 1/n: off by at most one draw
        assert abs(share * n - p * n) <= 1


@settings(max_examples=40, deadline=None)
@given(p=st.floats(0, 1), n=st.integers(1, 400), seed=st.integers(0, 2**31))
def test_lhs_count_of_four_is_n_times_p(p, n, seed):
    count = int((_holding(p, n, seed, "lhs") == 4).sum())
    assert abs(count - n * p) <= 1 + 1e-9


@pytest.mark.parametrize("method", ["lhs", "mc"])
def test_same_seed_same_draws_and_a_larger_weight_only_turns_2_into_4(method):
    a = _holding(0.25, 2_000, 9, method)
    assert np.array_equal(a, _holding(0.25, 2_000, 9, method))
    b = _holding(0.6, 2_000, 9, method)
    assert (b >= a).all() and (b > a).any()  # common random numbers, monotone coupling


def test_run_ensemble_uses_the_scenario_weight():
    sc = Scenario.preset("status_quo")
    assert sc.values["p_tr_holding_4"] == 0.25
    for p in (0.0, 1.0):
        ens = run_ensemble(sc.with_changes(p_tr_holding_4=p), n=500, seed=3, method="mc")
        assert set(ens.draws["tr_holding_bn"]) == {2.0 + 2.0 * p}
    ens = run_ensemble(sc, n=4_000, seed=3)
    assert (ens.draws["tr_holding_bn"] == 4).mean() == pytest.approx(0.25, abs=1 / 4_000)
    # the other uncertainties' draws do not depend on the weight (same uniforms)
    other = run_ensemble(sc.with_changes(p_tr_holding_4=0.9), n=4_000, seed=3)
    pd.testing.assert_frame_equal(
        ens.draws.drop(columns="tr_holding_bn"), other.draws.drop(columns="tr_holding_bn")
    )


def test_india_disputes_are_switches_not_silent_draws():
    # v1 drew India's backlog 0/1/2 with equal chance: the dispute was hidden in the ensemble
    for name in ("india_undelivered_sq", "india_credit_start_bn"):
        assert REG[name].kind == "setting" and REG[name].is_switch
        assert name not in REG.drawn
        assert REG[name].readings == (0.0, 1.0, 2.0)


# ------------------------------------------------------------------ the model's answer
def test_central_run_ignores_the_weight():
    sc = Scenario.preset("full_return_cash")
    a, b = run(sc), run(sc.with_changes(p_tr_holding_4=1.0))
    assert a.raw_outcomes["returned_to_russia"] == 2.0
    for k, v in a.raw_outcomes.items():
        w = b.raw_outcomes[k]
        assert (math.isnan(v) and math.isnan(w)) or v == w, k


@pytest.mark.parametrize("late", [False, True])
def test_weight_raises_what_russia_regains_monotonically(late):
    # no compensation: Russia accepts whatever the holding, so the same draws agree for every
    # weight (at 60% a larger holding raises Russia's price and so changes which draws agree)
    sc = Scenario.preset("full_return_cash").with_changes(compensation_share=0.0)
    if late:  # agreed in quarter 20 of 24: some removals end after the horizon
        sc = sc.with_changes(return_quarter=20)
    weights = [0.0, 0.25, 0.5, 0.75, 1.0]
    means, left = [], None
    for p in weights:
        ens = run_ensemble(sc.with_changes(p_tr_holding_4=p), n=4_000, seed=1)
        out = ens.outcomes
        gone = (out["battalions_divested"] > 0).to_numpy()
        left = gone if left is None else left
        assert np.array_equal(gone, left)  # the same draws leave for every weight
        # hand check: a full return gives Russia the whole drawn holding once it has left
        np.testing.assert_array_equal(
            out["returned_to_russia"].to_numpy(), ens.draws["tr_holding_bn"].to_numpy() * gone
        )
        means.append(out["returned_to_russia"].mean())
    assert np.all(np.diff(means) > 0)
    assert means[0] == pytest.approx(2 * left.mean()) and means[-1] == pytest.approx(4 * left.mean())
    assert 0 < left.mean() < 1  # late removals, and Turkiye's bottom line above 0 in some draws


def test_register_change_reaches_the_ensemble(monkeypatch):
    # a scenario file or preset may omit the weight: sample() then takes the register default
    values = {k: v for k, v in Scenario.default().values.items() if k != "p_tr_holding_4"}
    d = sample(REG, 8_000, seed=2, names=["tr_holding_bn"], values=values)
    assert (d["tr_holding_bn"] == 4).mean() == pytest.approx(REG["p_tr_holding_4"].default, abs=1 / 8_000)
    assert sampling.DISCRETE_WEIGHTS["tr_holding_bn"] == {4.0: "p_tr_holding_4"}
