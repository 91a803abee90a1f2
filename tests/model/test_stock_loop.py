"""Section 4's loop (updates by index, one preallocated block) against a plain whole-array
version of the same equations, and India's cached first-quarter counts against the plain count.

The fast code must give the same numbers bit for bit (``assert_array_equal``), for each use of
the returned units and with several return quarters among the draws."""

from __future__ import annotations

import numpy as np
import pytest

from s400lab.model import Scenario, core
from s400lab.model.api import _values_with_draws
from s400lab.model.sampling import sample


def plain_stock(a, hold, war):
    """Section 4 written plainly: every quarter, every draw, masks instead of indices."""
    H, n = a.H, a.n
    P4, L4, R = a("production_bn_per_year") / 4.0, war["L"] / 4.0, war["R"]
    cap_max = P4 * a("export_share")
    thresh = a("shortfall_threshold_bn")
    slope = cap_max * (1.0 - a("export_floor")) / thresh
    U, cum = a("india_undelivered_sq"), a("india_credit_start_bn").copy()
    S = a("inventory_bn").copy()
    stock, cap_s, credit = np.empty((H, n)), np.empty((H, n)), np.empty((H, n))
    direct, extra = np.zeros(n), np.zeros(n)
    ret = hold["to_russia"]
    for k in range(H):
        stock[k] = S
        cap = cap_max - slope * np.minimum(np.maximum(R - S, 0.0), thresh)
        cap_s[k] = cap
        arrive = np.where(hold["k_use"] == k, ret, 0.0)
        if a.use == "resale":
            extra = extra + arrive
        else:
            S = S + arrive
        if a.use == "india":
            served = np.minimum(U, np.floor((cum + cap) / 2.0))
            d = np.where(hold["k_india"] == k, np.minimum(np.floor(ret / 2.0), U - served), 0.0)
            direct, extra, S = direct + d, extra + 2.0 * d, S - 2.0 * d
        S = np.maximum(S + (P4 - L4) - cap, 0.0)
        cum = cum + cap
        credit[k] = cum
    return dict(stock=stock, cap=cap_s, credit=credit, S=S, direct=direct, extra=extra)


def _inputs(use: str, seed: int, **changes):
    sc = Scenario.preset("full_return_cash").with_changes(ru_use_returned=use, **changes)
    draws = sample(sc.register, 4000, seed=seed, values=sc.values)
    a = core.Inputs(_values_with_draws(sc, draws), len(draws))
    hold = core.turkiye_holding(a)
    return a, hold, core.war_course(a)


CASES = [(1, {}), (2, {"return_quarter": 0}), (3, {"horizon_quarters": 8})]


@pytest.mark.parametrize("use", ["home", "india", "resale"])
@pytest.mark.parametrize(("seed", "changes"), CASES)
def test_stock_loop_equals_the_plain_equations(use, seed, changes):
    a, hold, war = _inputs(use, seed, **changes)
    fast, plain = core.russian_stock(a, hold, war), plain_stock(a, hold, war)
    assert (hold["to_russia"] > 0).all() and np.ptp(hold["k_use"]) > 0  # arrivals spread over quarters
    if use == "india":
        assert fast["direct"].sum() > 0  # some squadrons do come from returned units
    for key, want in plain.items():
        np.testing.assert_array_equal(fast[key], want, err_msg=key)


def test_india_counts_equal_the_plain_count():
    a, hold, war = _inputs("india", 4)
    ru = core.russian_stock(a, hold, war)
    ind = core.india_deliveries(a, hold, ru)
    credit, U = ru["credit"], ru["U"]

    def count(m):  # quarters with fewer than m squadrons' credit, for every draw
        return np.sum(credit < 2.0 * np.broadcast_to(m, (a.n,)) - 1e-9, axis=0) * 1.0

    np.testing.assert_array_equal(ind["next_prod"], a.quarter(count(1.0), U >= 1))
    np.testing.assert_array_equal(ind["last_prod"], a.quarter(count(np.maximum(U, 1)), U >= 1))
