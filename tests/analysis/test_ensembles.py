"""Ensemble statistics: probabilities, Wilson intervals, comparisons, bands, CSV export."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from s400lab.analysis.ensembles import (
    Event,
    bands_from_samples,
    compare_probabilities,
    convergence,
    event_mask,
    export_csv,
    newcombe_difference,
    parse_quarter,
    probability,
    probability_table,
    quantile_summary,
    wilson_interval,
)


def test_parse_quarter():
    assert parse_quarter("2027Q4") == 2027.75
    assert parse_quarter("2026q1") == 2026.0
    assert parse_quarter(2027.25) == 2027.25
    with pytest.raises(ValueError, match="2027Q5"):
        parse_quarter("2027Q5")


def test_wilson_hand_checked():
    # k=5, n=10, z=1.96: Wilson interval (0.2366, 0.7634) (textbook value)
    lo, hi = wilson_interval(5, 10)
    assert lo == pytest.approx(0.2366, abs=1e-4)
    assert hi == pytest.approx(0.7634, abs=1e-4)
    # k=0: lower bound 0, upper bound z^2/(n+z^2) = 3.8415/13.8415
    lo, hi = wilson_interval(0, 10)
    assert lo == 0.0
    assert hi == pytest.approx(3.8415 / 13.8415, abs=1e-4)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 100_000), frac=st.floats(0, 1))
def test_wilson_contains_estimate_and_in_unit_interval(n, frac):
    k = int(round(frac * n))
    lo, hi = wilson_interval(k, n)
    assert 0.0 <= lo <= k / n <= hi <= 1.0


def test_wilson_rejects_bad_counts():
    with pytest.raises(ValueError):
        wilson_interval(11, 10)
    with pytest.raises(ValueError):
        wilson_interval(0, 0)


def test_event_mask_nan_is_never_within_horizon():
    x = np.array([2027.0, 2027.75, 2028.0, np.nan])
    assert event_mask(x, "<=", "2027Q4").tolist() == [True, True, False, False]
    assert event_mask(x, ">", "2027Q4").tolist() == [False, False, True, True]


def test_event_requires_known_column_and_op():
    with pytest.raises(ValueError, match="op"):
        Event("x", "c", "=>", 1)
    with pytest.raises(KeyError, match="nope"):
        Event("x", "nope").mask(pd.DataFrame({"a": [1.0]}))


def test_probability_hand_checked():
    pr = probability([True, False, False, True])
    assert (pr.p, pr.k, pr.n) == (0.5, 2, 4)
    assert pr.se == pytest.approx(math.sqrt(0.25 / 4))
    assert pr.low <= pr.p <= pr.high
    assert "50.0%" in str(pr)
    with pytest.raises(ValueError):
        probability([0.5, 1])


def toy_ensemble(n: int, seed: int) -> pd.DataFrame:
    """Delivery date = 2027.0 + 2 * U: P(<= 2027.75) = 0.375 exactly."""
    rng = np.random.default_rng(seed)
    u = rng.random(n)
    return pd.DataFrame({"delivery": 2027.0 + 2.0 * u, "flag": (u < 0.2).astype(float)})


def test_estimate_within_few_se_of_known_probability_and_se_shrinks():
    ev = Event("by 2027Q4", "delivery", "<=", "2027Q4")
    ses = []
    for n in (1_000, 4_000, 16_000, 64_000):
        pr = probability(ev.mask(toy_ensemble(n, seed=n)))
        assert abs(pr.p - 0.375) < 4 * pr.se
        assert pr.low <= 0.375 <= pr.high or abs(pr.p - 0.375) < 4 * pr.se
        ses.append(pr.se)
    # SE ~ 1/sqrt(n): quadrupling n halves the SE
    ratios = np.array(ses[:-1]) / np.array(ses[1:])
    assert np.allclose(ratios, 2.0, rtol=0.1)


def test_wilson_coverage_is_near_nominal():
    # 400 independent ensembles of 200 runs: ~95% of intervals contain the true 0.375
    rng = np.random.default_rng(3)
    k = rng.binomial(200, 0.375, size=400)
    lo, hi = wilson_interval(k, np.full(400, 200))
    cover = np.mean((lo <= 0.375) & (hi >= 0.375))
    assert 0.91 <= cover <= 0.99


def test_probability_table_and_same_seed_same_numbers():
    events = [Event("by 2027Q4", "delivery", "<=", "2027Q4"), Event("flag", "flag", ">=", 0.5)]
    t1 = probability_table(toy_ensemble(5000, 7), events)
    t2 = probability_table(toy_ensemble(5000, 7), events)
    pd.testing.assert_frame_equal(t1, t2)
    assert list(t1["event"]) == ["by 2027Q4", "flag"]
    assert t1["p"].between(0, 1).all()
    assert (t1["low"] <= t1["p"]).all() and (t1["p"] <= t1["high"]).all()
    assert t1.loc[1, "p"] == pytest.approx(0.2, abs=4 * t1.loc[1, "se"])


def test_newcombe_hand_checked():
    # Newcombe (1998) table II example: 56/70 vs 48/80 -> diff 0.2, interval (0.0524, 0.3339)
    d, lo, hi = newcombe_difference(56, 70, 48, 80)
    assert d == pytest.approx(0.2)
    assert lo == pytest.approx(0.0524, abs=1e-3)
    assert hi == pytest.approx(0.3339, abs=1e-3)


def test_compare_paired_and_unpaired():
    a = toy_ensemble(4000, 1)
    b = a.assign(delivery=a["delivery"] - 0.25)  # same draws, delivered one quarter earlier
    ev = [Event("by 2027Q4", "delivery", "<=", "2027Q4")]
    paired = compare_probabilities(a, b, ev, names=("base", "alt"))
    unpaired = compare_probabilities(a, b, ev, names=("base", "alt"), paired=False)
    # true difference: P(U <= 0.5) - P(U <= 0.375) = 0.125
    for t in (paired, unpaired):
        row = t.iloc[0]
        assert row["diff"] == pytest.approx(row["p_alt"] - row["p_base"])
        assert row["diff_low"] <= row["diff"] <= row["diff_high"]
        assert row["diff_low"] <= 0.125 <= row["diff_high"]
    # common random numbers give a tighter interval
    w = lambda t: t.iloc[0]["diff_high"] - t.iloc[0]["diff_low"]  # noqa: E731
    assert w(paired) < w(unpaired)
    with pytest.raises(ValueError):
        compare_probabilities(a, b.head(10), ev, paired=True)


def test_quantile_summary_and_missing_share():
    df = pd.DataFrame({"x": np.r_[np.arange(1, 101, dtype=float), [np.nan] * 100]})
    s = quantile_summary(df)
    assert s.loc["x", "q50"] == pytest.approx(50.5)
    assert s.loc["x", "share_missing"] == 0.5
    assert (
        s.loc["x", "q05"] <= s.loc["x", "q25"] <= s.loc["x", "q50"] <= s.loc["x", "q75"] <= s.loc["x", "q95"]
    )


def test_bands_from_samples_ordered():
    rng = np.random.default_rng(0)
    s = rng.normal(size=(2000, 8)).cumsum(axis=1)
    b = bands_from_samples(s, t=2026.75 + 0.25 * np.arange(8))
    assert list(b.columns) == ["t", "q05", "q25", "q50", "q75", "q95", "mean"]
    assert (b["q05"] <= b["q25"]).all() and (b["q75"] <= b["q95"]).all()
    # spread of a random walk grows with time
    assert (np.diff(b["q95"] - b["q05"]) > 0).all()


def test_convergence():
    m = toy_ensemble(10_000, 5)["delivery"].to_numpy() <= 2027.75
    c = convergence(m, [100, 1000, 10_000])
    assert c["n"].tolist() == [100, 1000, 10_000]
    assert c["p"].iloc[-1] == pytest.approx(m.mean())
    assert (np.diff(c["se"]) < 0).all()
    assert convergence(m).shape[0] >= 5
    with pytest.raises(ValueError):
        convergence(m, [20_000])


def test_export_csv_never_overwrites(tmp_path):
    df = pd.DataFrame({"a": [1, 2]})
    p = export_csv(df, tmp_path / "out.csv")
    assert pd.read_csv(p)["a"].tolist() == [1, 2]
    before = p.read_bytes()
    with pytest.raises(FileExistsError, match="out.csv"):
        export_csv(pd.DataFrame({"b": [9]}), p)
    assert p.read_bytes() == before
    export_csv(pd.DataFrame({"b": [9]}), p, overwrite=True)
    assert pd.read_csv(p)["b"].tolist() == [9]
    assert [f.name for f in tmp_path.iterdir()] == ["out.csv"]  # no temp files left
    with pytest.raises(FileNotFoundError):
        export_csv(df, tmp_path / "missing" / "x.csv")


def test_milestone_odds_beside_the_central_date():
    from s400lab.analysis.ensembles import MILESTONES, milestone_odds
    from s400lab.model import Scenario, quarter_label, run_ensemble

    sc = Scenario.preset("full_return_cash")
    odds = milestone_odds(sc, n=500, seed=3)
    assert list(odds.index) == list(MILESTONES)
    # same seed, same table; the chance equals the ensemble's share of non-NaN dates
    pd.testing.assert_frame_equal(odds, milestone_odds(sc, n=500, seed=3))
    ens = run_ensemble(sc, n=500, seed=3)
    for k in ("sanctions_lifted_q", "f35_first_delivery_q"):
        assert odds.loc[k, "p_within"] == pytest.approx(ens.outcomes[k].notna().mean())
    # the single run never shows a block (device at 0.5), the odds do
    assert odds.loc["f35_first_delivery_q", "central_label"] != "not within horizon"
    assert odds.loc["sanctions_lifted_q", "central_label"].endswith(" if not blocked")
    assert odds.loc["divestiture_q", "central_label"] == quarter_label(odds.loc["divestiture_q", "central"])
    assert odds.loc["f35_first_delivery_q", "p_within"] < 0.5
    assert odds.loc["sanctions_lifted_q", "p_within"] < 1.0
    # a mapping of values works too; the status quo never starts the US clock
    sq = milestone_odds({"tr_action": "keep_stored"}, n=200, seed=1)
    assert sq.loc["sanctions_lifted_q", "p_within"] == 0.0
    with pytest.raises(ValueError, match="date outcome"):
        milestone_odds(sc, n=10, outcomes=["alliance_score"])
