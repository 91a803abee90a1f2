"""Result and Ensemble tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from s400lab.model import OUTCOMES, SERIES, Scenario, quarter_label, run, run_ensemble


def test_quarter_label():
    assert quarter_label(2027.25) == "2027Q2"
    assert quarter_label(2026.75) == "2026Q4"
    assert quarter_label(2030.0) == "2030Q1"
    assert quarter_label(float("nan")) == "not within horizon"


def test_result_tables():
    res = run(Scenario.preset("full_return_cash"))
    ts = res.timeseries
    assert list(ts.columns) == ["quarter", "t", "variable", "value", "unit"]
    assert set(ts["variable"]) == set(SERIES)
    assert ts["quarter"].iloc[0] == "2026Q4" and ts["t"].iloc[0] == 2026.75
    stock = ts[ts["variable"] == "ru_stock"]
    assert len(stock) == 24 and stock["quarter"].iloc[-1] == "2032Q3"
    out = res.outcomes
    assert list(out.columns) == ["value", "unit", "label"]
    assert list(out.index) == list(OUTCOMES)
    assert out.loc["legal_conditions_met", "value"] == 1


def test_ensemble_bands_and_summary():
    ens = run_ensemble(Scenario.preset("full_return_cash"), n=500, seed=2)
    assert len(ens.draws) == 500 and ens.outcomes.shape == (500, len(OUTCOMES))
    b = ens.bands("ru_stock")
    assert list(b.columns) == ["t", "q05", "q25", "q50", "q75", "q95", "mean"]
    assert b.index[0] == "2026Q4" and len(b) == 24
    q = b[["q05", "q25", "q50", "q75", "q95"]].to_numpy()
    assert np.all(np.diff(q, axis=1) >= 0)
    with pytest.raises(ValueError, match="unknown variable"):
        ens.bands("nope")
    p = ens.probability("f35_readmitted")
    assert 0 < p < 1 and p == pytest.approx(ens.outcomes["f35_readmitted"].mean())
    s = ens.summary()
    # met exactly where the terms clear the bargaining range (the units always leave in time)
    assert s.loc["legal_conditions_met", "mean"] == s.loc["deal_agreed", "mean"] > 0.5
    assert 0 <= s.loc["f35_readmission_q", "share_nan"] <= 1


def test_readable_outcomes_labels_rows_and_writes_quarters():
    from s400lab.model import compare_readings
    from s400lab.model.results import readable_outcomes

    raw = compare_readings(Scenario.default(), "india_undelivered_sq", ["india_sq5_q", "india_sq5_delay_q"])
    table = readable_outcomes(raw)
    assert list(table.index) == [OUTCOMES["india_sq5_q"][1], OUTCOMES["india_sq5_delay_q"][1]]
    assert "label" not in table.columns and "india_sq5_q" not in table.index
    q = table.loc[OUTCOMES["india_sq5_q"][1], "india_undelivered_sq = 2"]
    assert isinstance(q, str) and "Q" in q  # 2029Q2, not 2029.25
    delay = table.loc[OUTCOMES["india_sq5_delay_q"][1], "india_undelivered_sq = 2"]
    assert float(delay) == raw.loc["india_sq5_delay_q", "india_undelivered_sq = 2"]  # not a quarter
    cols = readable_outcomes(pd.DataFrame({"india_sq5_q": [2027.5, np.nan], "ru_stock_end": [1.0, 2.0]}))
    assert list(cols.iloc[:, 0]) == ["2027Q3", "not within horizon"]
    assert list(cols.columns) == [OUTCOMES["india_sq5_q"][1], OUTCOMES["ru_stock_end"][1]]
