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


def plain_stock(a, hold, war, bar):
    """Sections 4 and 9 written plainly: every quarter, every draw, masks instead of indices."""
    H, n = a.H, a.n
    P4, L4, R = a("production_bn_per_year") / 4.0, war["L"] / 4.0, war["R"]
    cap_max = P4 * a("export_share")
    thresh = a("shortfall_threshold_bn")
    slope = cap_max * (1.0 - a("export_floor")) / thresh
    U, cum = a("india_undelivered_sq"), a("india_credit_start_bn").copy()
    S = a("inventory_bn").copy()
    stock, cap_s, credit = np.empty((H, n)), np.empty((H, n)), np.empty((H, n))
    direct, extra, transit, need = np.zeros(n), np.zeros(n), np.zeros(n), 2.0 * U
    agreed, sf = np.ones(n, dtype=bool), np.full(n, np.nan)
    ret = hold["to_russia"]

    def decide(now, S):
        sf_now = np.maximum(0.0, R - S)
        ru_max = bar["ru_base"] + bar["ru_prem"] * np.minimum(1.0, sf_now / thresh)
        ok = (bar["comp"] >= bar["tr_min"] - 1e-9) & (bar["comp"] <= ru_max + 1e-9)
        return np.where(now, sf_now, sf), np.where(now, ok, agreed)

    for k in range(H):
        stock[k] = S
        sf, agreed = decide(bar["bargaining"] & (hold["k_agree"] == k), S)
        cap = cap_max - slope * np.minimum(np.maximum(R - S, 0.0), thresh)
        if a.buyers == "contracted":
            cap = np.minimum(cap, np.maximum(need - cum, 0.0))
        cap_s[k] = cap
        cum = cum + cap
        arrive = np.where((hold["k_use"] == k) & agreed, ret, 0.0)
        nxt = S + (P4 - L4)
        if a.use == "resale":
            extra = extra + arrive
        elif a.use == "india":
            bound = 2.0 * np.minimum(np.floor(arrive / 2.0), U - np.minimum(U, np.floor(cum / 2.0)))
            transit = transit + bound
            nxt = nxt + (arrive - bound)
        else:
            nxt = nxt + arrive
        if a.use == "india":
            ship = hold["k_india"] == k
            d = np.where(
                ship, np.minimum(np.floor(transit / 2.0), U - np.minimum(U, np.floor(cum / 2.0))), 0.0
            )
            direct, extra, need = direct + d, extra + 2.0 * d, need - 2.0 * d
            nxt = nxt + np.where(ship, transit - 2.0 * d, 0.0)
            transit = np.where(ship, 0.0, transit)
        S = np.maximum(nxt - cap, 0.0)
        credit[k] = cum
    sf, agreed = decide(bar["bargaining"] & np.isnan(sf), S)
    return dict(
        stock=stock,
        cap=cap_s,
        credit=credit,
        S=S,
        direct=direct,
        extra=extra,
        transit=transit,
        need=need,
        agreed=agreed,
        sf_agree=sf,
    )


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
