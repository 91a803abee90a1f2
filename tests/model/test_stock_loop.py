"""Section 4's loop (updates by index, one preallocated block, exports computed only for the
draws still owed them) against its plain twin in core.py (every quarter, every draw, masks), and
section 5's dates against theirs; India's cached first-quarter counts against the plain count.

The fast code must give the same numbers bit for bit (``assert_array_equal``), for each use of
the returned units and with several return quarters among the draws."""

from __future__ import annotations

import numpy as np
import pytest

from s400lab.model import Scenario, core
from s400lab.model.api import _values_with_draws
from s400lab.model.sampling import sample

plain_stock = core.russian_stock_plain  # the plain twin of section 4, in core.py


def _inputs(use: str, seed: int, **changes):
    sc = Scenario.preset("full_return_cash").with_changes(ru_use_returned=use, **changes)
    draws = sample(sc.register, 4000, seed=seed, values=sc.values)
    a = core.Inputs(_values_with_draws(sc, draws), len(draws))
    hold = core.turkiye_holding(a)
    return a, hold, core.war_course(a), core.bargain_terms(a, hold, core._us_track(a, hold))


CASES = [
    (1, {}),
    (2, {"return_quarter": 0, "india_undelivered_sq": 2}),
    (3, {"horizon_quarters": 8, "ru_export_buyers": "all"}),
    (5, {"return_quarter": 20}),
]


@pytest.mark.parametrize("use", ["home", "india", "resale"])
@pytest.mark.parametrize(("seed", "changes"), CASES)
def test_stock_loop_equals_the_plain_equations(use, seed, changes):
    a, hold, war, bar = _inputs(use, seed, **changes)
    fast, plain = core.russian_stock(a, hold, war, bar), plain_stock(a, hold, war, bar)
    assert 0 < fast["agreed"].sum() < a.n  # both agreed and refused draws
    assert (hold["to_russia"] > 0).all() and np.ptp(hold["k_use"]) > 0  # arrivals spread over quarters
    if use == "india":
        assert fast["direct"].sum() > 0  # some squadrons do come from returned units
    for key, want in plain.items():
        np.testing.assert_array_equal(fast[key], want, err_msg=key)
    gated = core._gate(hold, fast["agreed"])
    ind, ind_plain = core.india_deliveries(a, gated, fast), core.india_deliveries_plain(a, gated, fast)
    for key in ("q4", "q5"):
        np.testing.assert_array_equal(ind[key], ind_plain[key], err_msg=key)


def test_india_counts_equal_the_plain_count():
    # every buyer served: the queue credit is the production-alone path (with contracted buyers
    # only, returned units sent to India stop production for India and the ruler follows its own
    # production-alone path, checked below for the draws that send none)
    a, hold, war, bar = _inputs("india", 4, ru_export_buyers="all")
    ru = core.russian_stock(a, hold, war, bar)
    ind = core.india_deliveries(a, hold, ru)
    credit, U = ru["credit"], ru["U"]

    def count(m):  # quarters with fewer than m squadrons' credit, for every draw
        return np.sum(credit < 2.0 * np.broadcast_to(m, (a.n,)) - 1e-9, axis=0) * 1.0

    np.testing.assert_array_equal(ind["next_prod"], a.quarter(count(1.0), U >= 1))
    np.testing.assert_array_equal(ind["last_prod"], a.quarter(count(np.maximum(U, 1)), U >= 1))


def test_ruler_follows_production_alone_when_units_go_to_india():
    a, hold, war, bar = _inputs("india", 4, india_undelivered_sq=2, return_quarter=0)
    ru = core.russian_stock(a, hold, war, bar)
    ind = core.india_deliveries(a, hold, ru)
    none = ru["direct"] == 0  # no squadron from returned units: the two paths are the same
    assert 0 < none.sum() < a.n
    count = np.sum(ru["credit"] < 2.0 * ru["U"] - 1e-9, axis=0) * 1.0
    np.testing.assert_array_equal(ind["last_prod"][none], a.quarter(count, ru["U"] >= 1)[none])
    # where returned units complete the order, production alone would finish it no earlier
    sent = ~none & np.isfinite(ind["last_prod"])
    assert np.all(ind["last_prod"][sent] >= ind["q5"][sent])
