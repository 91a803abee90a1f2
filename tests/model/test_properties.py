"""Invariants, monotonicity, reproducibility and property tests over the whole register."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from _strategies import register_value
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s400lab.model import OUTCOMES, Scenario, evaluate, load_register, presets, run, run_ensemble
from s400lab.model.core import MIDDLE_ACTIONS
from s400lab.model.sampling import sample, triangular_ppf
from s400lab.model.scenario import lever_problems, weight_problems

REG = load_register()
BINARY = [k for k, (unit, _) in OUTCOMES.items() if unit == "0/1"]
QUARTERS = [k for k, (unit, _) in OUTCOMES.items() if unit == "year"]
BARGAIN = ("deal_feasible", "deal_agreed", "tr_consents")


_DEFAULTS = REG.defaults()
# levers that do not fit together are refused (lever_problems); generate coherent ones only
changes_strategy = st.fixed_dictionaries({}, optional={p.name: register_value(p) for p in REG}).filter(
    lambda c: not lever_problems({**_DEFAULTS, **c}) and not weight_problems({**_DEFAULTS, **c})
)


def check_invariants(series: dict, out: pd.DataFrame, sc: Scenario) -> None:
    """Assertions that hold for every valid scenario and draw."""
    v = sc.values
    H, t0 = v["horizon_quarters"], v["start_year"]
    assert series["ru_stock"].min() >= 0
    assert series["ru_exports"].min() >= -1e-12
    assert np.all(np.diff(series["india_squadrons"], axis=1) >= 0)
    assert series["india_squadrons"].min() >= 3 and series["india_squadrons"].max() <= 5
    assert series["tr_held"].min() >= 0
    assert np.all(np.diff(series["tr_recovered_usd_bn"], axis=1) >= -1e-12)
    for k in BINARY:  # the bargain's 0/1 outcomes are NaN when no return is at stake
        assert set(np.unique(out[k].dropna() if k in BARGAIN else out[k])) <= {0.0, 1.0}, k
    earliest = min(t0 - 0.25, REG["india_promise_sq4"].low)  # squadrons delivered before start
    for k in QUARTERS:
        x = out[k].dropna()
        assert (x >= earliest - 1e-9).all() and (x <= t0 + 0.25 * (H - 1) + 1e-9).all(), k
        assert np.allclose(x * 4, np.round(x * 4)), k  # on the quarter grid
    for k in ("india_sq4_delay_q", "india_sq5_delay_q"):
        assert np.allclose(out[k].dropna(), np.round(out[k].dropna())), k
    for k in ("divestiture_q", "sanctions_lifted_q", "f35_readmission_q", "f35_first_delivery_q"):
        x = out[k].dropna()
        assert (x <= t0 + 0.25 * (H - 1) + 1e-9).all(), k
    # milestones are ordered whenever both happened
    chain = ["divestiture_q", "sanctions_lifted_q", "f35_readmission_q", "f35_first_delivery_q"]
    for a, b in zip(chain, chain[1:], strict=False):
        both = out[[a, b]].dropna()
        assert (both[a] <= both[b]).all(), (a, b)
    both = out[["india_sq4_q", "india_sq5_q"]].dropna()
    assert (both["india_sq4_q"] <= both["india_sq5_q"]).all()
    # a later milestone never happens without the earlier ones
    assert (out["f35_readmitted"] <= out["sanctions_lifted"]).all()
    assert (out["f35_delivered"] <= out["f35_readmitted"]).all()
    assert (out["sanctions_lifted"] <= out["legal_conditions_met"]).all()
    # what has left Turkiye within the horizon is what the outcomes count
    held = series["tr_held"]
    np.testing.assert_allclose(held[:, -1], held[:, 0] - out["battalions_divested"].to_numpy())
    assert (out["legal_conditions_met"] == out["divestiture_q"].notna()).all()
    assert (out["returned_to_russia"] <= out["battalions_divested"]).all()
    # only a full divestiture, or a middle option under the reading 'counts', can meet US law
    middle_counts = v["tr_action"] in MIDDLE_ACTIONS and v[MIDDLE_ACTIONS[v["tr_action"]]] == "counts"
    if v["tr_action"] not in ("return_full", "transfer_third_party") and not middle_counts:
        assert (out["legal_conditions_met"] == 0).all() and out["sanctions_lifted_q"].isna().all()
    if v["tr_action"] in MIDDLE_ACTIONS:  # a middle option never sends a unit to Russia
        assert (out["returned_to_russia"] == 0).all()
    # money adds up and the signals stay in their ranges
    parts = out["tr_refund_usd_bn"] + out["tr_upkeep_avoided_usd_bn"] + out["tr_workshare_usd_bn"]
    np.testing.assert_allclose(out["tr_recovered_usd_bn"], parts)
    np.testing.assert_allclose(series["tr_recovered_usd_bn"][:, -1], out["tr_recovered_usd_bn"])
    assert (out["tr_refund_usd_bn"] <= v["s400_contract_usd_bn"] + 1e-9).all()
    for k in ("sig_nato_integration", "sig_us_trust", "sig_moscow_leverage"):
        assert out[k].between(-1, 1).all(), k
    assert out["sig_russian_ad_gain"].between(-1, 0).all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=changes_strategy)
def test_any_valid_change_runs_and_keeps_invariants(changes):
    sc = Scenario.default().with_changes(**changes)
    res = run(sc)
    series = {k: np.asarray(v)[None, :] for k, v in res.raw_series.items()}
    out = pd.DataFrame({k: [v] for k, v in res.raw_outcomes.items()})
    check_invariants(series, out, sc)
    assert len(res.timeseries) == len(res.raw_series) * sc["horizon_quarters"]


@settings(max_examples=15, deadline=None)
@given(changes=changes_strategy, seed=st.integers(0, 2**31))
def test_ensembles_keep_invariants(changes, seed):
    sc = Scenario.default().with_changes(**changes)
    ens = run_ensemble(sc, n=64, seed=seed, method="mc")
    check_invariants(ens.raw_series, ens.outcomes, sc)


def _invalid(p):
    """Strategy of values outside parameter ``p``'s allowed set."""
    if p.type == "choice":
        return st.text(min_size=1, max_size=8).filter(lambda s: s not in p.choices)
    span = max(1.0, p.high - p.low)
    return st.one_of(
        st.floats(p.high + 1e-6 * span, p.high + 10 * span, exclude_min=True),
        st.floats(p.low - 10 * span, p.low - 1e-6 * span, exclude_max=True),
        st.just(float("nan")),
    )


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_any_invalid_change_raises_value_error_naming_the_parameter(data):
    p = data.draw(st.sampled_from([q for q in REG if q.type != "bool"]))
    bad = data.draw(_invalid(p))
    with pytest.raises(ValueError) as exc:
        Scenario.default().with_changes(**{p.name: bad})
    assert repr(p.name) in str(exc.value)


def test_start_quarter_must_start_a_quarter():
    with pytest.raises(ValueError, match="'start_year'.*start of a quarter"):
        Scenario.default().with_changes(start_year=2026.8)


def test_unknown_names_raise():
    with pytest.raises(ValueError, match="unknown parameter 'productoin_bn_per_year'.*production"):
        Scenario.default().with_changes(productoin_bn_per_year=8)


# ------------------------------------------------------------------ monotonicity
def _draws(n=300, seed=7):
    return sample(REG, n, seed=seed)


@pytest.mark.parametrize("preset", ["status_quo", "full_return_cash", "full_return_reexport_india"])
def test_more_losses_never_bring_india_earlier(preset):
    sc = Scenario.preset(preset)
    d = _draws()
    more = d.copy()
    more["loss_rate_bn_per_year"] = np.minimum(
        d["loss_rate_bn_per_year"] + 2.0, REG["loss_rate_bn_per_year"].high
    )
    base, worse = evaluate(sc, d), evaluate(sc, more)
    for k in ("india_sq4_q", "india_sq5_q"):
        b = base[k].fillna(np.inf)
        w = worse[k].fillna(np.inf)
        assert (w >= b).all(), k
    assert (worse["ru_stock_end"] <= base["ru_stock_end"] + 1e-9).all()
    assert (worse["india_done_by_deadline"] <= base["india_done_by_deadline"]).all()


def test_full_return_never_lowers_f35_chance_versus_keeping():
    d = _draws()
    keep = evaluate(Scenario.preset("status_quo"), d)
    full = evaluate(Scenario.preset("full_return_cash"), d)
    assert (full["f35_readmitted"] >= keep["f35_readmitted"]).all()
    assert full["f35_readmitted"].mean() > 0 and keep["f35_readmitted"].sum() == 0


def test_hostile_us_never_faster_than_standard():
    d = _draws()
    std = evaluate(Scenario.preset("full_return_cash"), d)
    hos = evaluate(Scenario.preset("full_return_cash").with_changes(us_response="hostile"), d)
    assert (hos["sanctions_lifted"] <= std["sanctions_lifted"]).all()
    assert (hos["f35_readmitted"] <= std["f35_readmitted"]).all()


def test_earlier_return_never_delays_sanctions_relief():
    d = _draws()
    late = evaluate(Scenario.preset("full_return_cash").with_changes(return_quarter=8), d)
    early = evaluate(Scenario.preset("full_return_cash").with_changes(return_quarter=0), d)
    assert (early["sanctions_lifted"] >= late["sanctions_lifted"]).all()
    both = pd.concat([early["sanctions_lifted_q"], late["sanctions_lifted_q"]], axis=1).dropna()
    assert (both.iloc[:, 0] <= both.iloc[:, 1]).all()


# ------------------------------------------------------------------ reproducibility
@pytest.mark.parametrize("method", ["lhs", "mc"])
def test_same_seed_same_ensemble_different_seed_differs(method):
    sc = Scenario.preset("full_return_cash")
    a = run_ensemble(sc, n=200, seed=3, method=method)
    b = run_ensemble(sc, n=200, seed=3, method=method)
    c = run_ensemble(sc, n=200, seed=4, method=method)
    pd.testing.assert_frame_equal(a.draws, b.draws)
    pd.testing.assert_frame_equal(a.outcomes, b.outcomes)
    assert not a.draws.equals(c.draws)


def test_run_equals_ensemble_of_one_at_central_values():
    for sc in presets().values():
        central = pd.DataFrame({u: [REG[u].central] for u in REG.uncertainties})
        one = evaluate(sc, central).iloc[0]
        res = run(sc)
        for k, v in res.raw_outcomes.items():
            assert (math.isnan(v) and math.isnan(one[k])) or v == pytest.approx(one[k]), k


def test_fixed_keeps_scenario_value():
    sc = Scenario.preset("status_quo").with_changes(tr_holding_bn=4)
    ens = run_ensemble(sc, n=50, seed=1, fixed=["tr_holding_bn"])
    assert "tr_holding_bn" not in ens.draws
    assert (ens.outcomes["legal_conditions_met"] == 0).all()


# ------------------------------------------------------------------ sampling
def test_lhs_stratifies_each_uniform_dimension():
    d = sample(REG, 100, seed=11, method="lhs", names=["u_block_sanctions"])
    bins = np.floor(d["u_block_sanctions"].to_numpy() * 100).astype(int)
    assert sorted(bins.tolist()) == list(range(100))


def test_triangular_ppf_matches_scipy():
    from scipy.stats import triang

    u = np.linspace(0, 1, 101)
    for lo, mode, hi in [(6, 10, 16), (2026.25, 2026.25, 2026.75), (0, 1, 1)]:
        ref = triang.ppf(u, (mode - lo) / (hi - lo), loc=lo, scale=hi - lo)
        np.testing.assert_allclose(triangular_ppf(u, lo, mode, hi), ref, atol=1e-9)


def test_samples_within_register_ranges_and_discrete_values():
    d = sample(REG, 2000, seed=5)
    assert list(d.columns) == REG.uncertainties
    for name in d:
        p = REG[name]
        assert d[name].between(p.low, p.high).all(), name
        if p.distribution == "discrete":
            assert set(d[name].unique()) == {float(c) for c in p.choices}, name
        if p.type == "int":
            assert (d[name] == d[name].round()).all(), name
    # triangular mean = (low + mode + high) / 3
    p = REG["production_bn_per_year"]
    assert d["production_bn_per_year"].mean() == pytest.approx((p.low + p.central + p.high) / 3, rel=0.01)


def test_evaluate_rejects_bad_draws():
    sc = Scenario.preset("status_quo")
    with pytest.raises(ValueError, match="row 1, column 'inventory_bn'"):
        evaluate(sc, pd.DataFrame({"inventory_bn": [80.0, 500.0]}))
    with pytest.raises(ValueError, match="tr_action"):
        evaluate(sc, pd.DataFrame({"tr_action": ["activate"]}))
    with pytest.raises(ValueError, match="same for every draw"):
        evaluate(sc, pd.DataFrame({"horizon_quarters": [8, 12]}))
    with pytest.raises(ValueError, match="unknown parameter"):
        evaluate(sc, pd.DataFrame({"bogus": [1.0]}))
