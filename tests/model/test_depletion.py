"""The depletion rule (s400lab.model.depletion): hand-checked cases, and the register equals it."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from s400lab.model import depletion as dp
from s400lab.model import load_register
from s400lab.model.register import data_dir


def _row(year, figure, value, grade, *, low=None, high=None, counts=True, sid="s1", row_id=None):
    return {
        "row_id": row_id or f"X{year}-{figure}-{value}-{grade}",
        "year": year,
        "figure": figure,
        "value_bn": value,
        "low_bn": low,
        "high_bn": high,
        "counts": counts,
        "confidence": grade,
        "source_ids": sid,
    }


def _table(*rows):
    t = pd.DataFrame(list(rows))
    for c in ("value_bn", "low_bn", "high_bn"):
        t[c] = t[c].astype(float)
    t["counts"] = t["counts"].astype("boolean")
    return t


BASE_PRODUCTION = [_row(2018, "production", 6.0, "official", sid="p1")]


def test_hand_checked_loss_years():
    t = _table(
        *BASE_PRODUCTION,
        # 2023: a vouched 0.5 and claims of 3 -> low 0.5, mid 0.5 + 1.5 = 2, high 3.5
        _row(2023, "losses", 0.5, "official", sid="uk"),
        _row(2023, "losses", 1.0, "claimed", sid="ua1"),
        _row(2023, "losses", 2.0, "claimed", sid="ua2"),
        # 2024: only claims of 4 -> 0, 2, 4
        _row(2024, "losses", 4.0, "claimed", sid="ua3"),
        # 2025: a vouched 1 with a range 1..3 -> low 1, mid 2, high 3
        _row(2025, "losses", 2.0, "reported", low=1.0, high=3.0, sid="ind"),
        # left out: outside the window, and a row that does not count
        _row(2022, "losses", 9.0, "claimed", sid="old"),
        _row(2024, "losses", 9.0, "claimed", counts=False, sid="notS400"),
    )
    b = dp.yearly_bounds(t, "losses")
    np.testing.assert_allclose(b.to_numpy(), [[0.5, 2.0, 3.5], [0.0, 2.0, 4.0], [1.0, 2.0, 3.0]])
    r = dp.derive_ranges(t)
    att = r["loss_rate_bn_per_year"]
    assert (att.low, att.central, att.high) == (0.5, 2.0, 3.5)  # means: 1.5/3, 6/3, 10.5/3
    esc = r["loss_rate_escalation_bn_per_year"]
    assert (esc.low, esc.central, esc.high) == (1.0, 2.0, 4.0)  # the worst year per bound
    cease = r["loss_rate_ceasefire_bn_per_year"]
    assert (cease.low, cease.central, cease.high) == (0.0, 0.0, 0.5)
    assert set(att.source_ids) == {"uk", "ua1", "ua2", "ua3", "ind"}
    assert set(cease.source_ids) == {"uk", "ind"}  # only what is vouched enters its bound


def test_production_and_losses_are_treated_alike():
    # the same figures as production rows and as loss rows give the same bounds
    years = [(2023, 2.0, "official"), (2023, 4.0, "claimed"), (2024, 6.0, "claimed"), (2025, 1.0, "reported")]
    prod = _table(*[_row(y, "production", v, g) for y, v, g in years], _row(2023, "losses", 1.0, "official"))
    loss = _table(*[_row(y, "losses", v, g) for y, v, g in years], _row(2023, "production", 1.0, "official"))
    pb, lb = dp.yearly_bounds(prod, "production"), dp.yearly_bounds(loss, "losses")
    pd.testing.assert_frame_equal(pb, lb)
    p, a = dp.derive_ranges(prod)["production_bn_per_year"], dp.derive_ranges(loss)["loss_rate_bn_per_year"]
    assert (p.low, p.central, p.high) == (a.low, a.central, a.high)
    # a claim counts 0 / half / fully; a vouched figure fully in every bound
    # 2023: 2 + 4 claimed -> 2, 4, 6; 2024: 6 claimed -> 0, 3, 6; 2025: 1 -> 1, 1, 1
    assert (p.low, p.central, p.high) == (1.0, 2.67, 4.33)


def test_production_window_is_every_year_and_rounding_is_half_up():
    t = _table(
        _row(2015, "production", 6.0, "official"),
        _row(2016, "production", 4.0, "official"),
        _row(2025, "production", 16.0, "claimed"),
        _row(2023, "losses", 0.125, "claimed"),
    )
    r = dp.derive_ranges(t)["production_bn_per_year"]
    assert (r.low, r.central, r.high) == (3.33, 6.0, 8.67)  # 10/3, 18/3, 26/3
    loss = dp.derive_ranges(t)["loss_rate_bn_per_year"]
    assert (loss.low, loss.central, loss.high) == (0.0, 0.06, 0.13)  # 0.0625 -> 0.06, 0.125 -> 0.13


def test_more_claims_never_lower_a_bound():
    rng = np.random.default_rng(4)
    for _ in range(200):
        years = [2023, 2024, 2025, *rng.integers(2023, 2026, 3)]  # every year of the window present
        grades = rng.choice(["official", "reported", "claimed", "disputed"], 6)
        rows = [
            _row(int(y), "losses", float(v), str(g))
            for y, v, g in zip(years, rng.uniform(0, 5, 6), grades, strict=True)
        ]
        rows.append(_row(2024, "production", 5.0, "official"))
        before = dp.derive_ranges(_table(*rows))
        after = dp.derive_ranges(_table(*rows, _row(int(rng.integers(2023, 2026)), "losses", 1.0, "claimed")))
        for name in dp.PARAMETERS:
            b, a = before[name], after[name]
            assert a.low >= b.low and a.central >= b.central and a.high >= b.high, name


def test_a_counted_row_without_value_is_refused():
    t = _table(*BASE_PRODUCTION, _row(2023, "losses", None, "claimed", row_id="L2023-UA-x"))
    with pytest.raises(ValueError, match="L2023-UA-x"):
        dp.derive_ranges(t)


def test_a_figure_without_rows_in_its_window_is_refused():
    with pytest.raises(ValueError, match="no counted losses row"):
        dp.derive_ranges(_table(*BASE_PRODUCTION, _row(2022, "losses", 1.0, "claimed")))


# ------------------------------------------------------------------ the shipped table and register
def test_register_rows_equal_the_rule_on_the_shipped_table():
    ranges = dp.derive_ranges(dp.load_table())
    reg = load_register()
    for name in dp.PARAMETERS:
        p, r = reg[name], ranges[name]
        assert (p.low, p.central, p.high) == (r.low, r.central, r.high), name
        assert float(p.default) == r.central, name
        assert set(p.source_ids) == set(r.source_ids), name
        assert "s400lab.model.depletion" in p.rationale, name


def test_register_cells_are_the_rules_text():
    # the same check on the CSV text, so that a hand edit of parameters.csv fails here
    cells = dp.as_register_cells(dp.derive_ranges(dp.load_table()))
    with (data_dir() / "parameters.csv").open(newline="", encoding="utf-8") as fh:
        rows = {r["name"]: r for r in csv.DictReader(fh)}
    for name, want in cells.items():
        for col in ("low", "central", "high", "default"):
            assert float(rows[name][col]) == float(want[col]), (name, col)
        assert set(rows[name]["source_ids"].split(";")) == set(want["source_ids"].split(";")), name


def test_shipped_derivation_reads_as_documented():
    t = dp.load_table()
    loss = dp.yearly_bounds(t, "losses")
    assert list(loss.index) == [2023, 2024, 2025]
    prod = dp.yearly_bounds(t, "production")
    assert prod.index.min() <= 2017 and prod.index.max() >= 2025
    r = dp.derive_ranges(t)
    # ordering the model relies on: ceasefire <= attrition <= escalation, bound by bound
    c, a, e = (
        r[n]
        for n in (
            "loss_rate_ceasefire_bn_per_year",
            "loss_rate_bn_per_year",
            "loss_rate_escalation_bn_per_year",
        )
    )
    assert c.central <= a.central <= e.central and c.high <= a.high <= e.high
