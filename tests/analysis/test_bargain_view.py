"""The bargain in a student's terms (issue 25, item 9): the range, each side's gain, the courses
of the war side by side, and the negotiation helper -- all read from the model's outcomes."""

from __future__ import annotations

import numpy as np
import pytest

from s400lab.analysis.bargain import (
    COURSE_ORDER,
    bargain_by_course,
    bargain_curves,
    bargain_range,
    judge_offer,
    range_text,
    ranges_by_course,
)
from s400lab.model import Scenario, run, run_ensemble


@pytest.fixture(scope="module")
def full():
    return Scenario.preset("full_return_cash")


def test_range_is_the_models(full):
    r = bargain_range(full)
    o = run(full).raw_outcomes
    assert r.bargaining and r.feasible == (o["deal_feasible"] == 1.0)
    assert (r.tr_min_share, r.ru_max_share) == (o["tr_min_share"], o["ru_max_share"])
    assert r.base_usd_bn == pytest.approx(full["s400_contract_usd_bn"])  # a full return: the whole contract
    assert r.terms_share == full["compensation_share"]
    text = range_text(r)
    assert text.startswith(f"Turkiye accepts >= {100 * o['tr_min_share']:.0f}%, Russia pays <= ")
    assert text.endswith("deal at 60%.") == r.clears
    none = bargain_range(Scenario.preset("status_quo"))
    assert not none.bargaining and not none.clears and "nothing to bargain" in range_text(none)


def test_curves_cross_zero_at_the_ends_of_the_range(full):
    r = bargain_range(full)
    c = bargain_curves(r, [r.tr_min_share, r.ru_max_share, 0.5 * (r.tr_min_share + r.ru_max_share)])
    assert c["tr_gain_usd_bn"].iloc[0] == pytest.approx(0.0, abs=1e-9)
    assert c["ru_gain_usd_bn"].iloc[1] == pytest.approx(0.0, abs=1e-9)
    assert c["both_accept"].all()
    grid = bargain_curves(r)
    inside = (grid["share"] >= r.tr_min_share - 1e-9) & (grid["share"] <= r.ru_max_share + 1e-9)
    assert (grid["both_accept"] == inside).all()
    assert np.all(np.diff(grid["tr_gain_usd_bn"]) > 0) and np.all(np.diff(grid["ru_gain_usd_bn"]) < 0)


def test_offers_clear_exactly_when_the_model_returns(full):
    for share in np.round(np.arange(0.0, 1.0001, 0.05), 2):
        offer = judge_offer(full, float(share), team="Russia")
        o = run(full.with_changes(compensation_share=float(share))).raw_outcomes
        assert offer.clears == (o["returned_to_russia"] > 0), share
        assert offer.returned == o["returned_to_russia"]
        assert ("No return" in offer.text) != offer.clears
        assert offer.text.startswith(f"Russia offers {100 * share:.0f}% of the contract")
    high = judge_offer(full, 1.0, team="Turkiye")
    assert high.text.startswith("Turkiye asks for 100%")
    if not high.clears:
        assert "Russia refuses" in high.text
    with pytest.raises(ValueError, match="compensation_share"):
        judge_offer(full, 1.5)


def test_by_course_side_by_side_matches_independent_ensembles(full):
    table = bargain_by_course(full, n=2000, seed=4)
    assert list(table.index) == list(COURSE_ORDER)
    for course in COURSE_ORDER:
        sc = full.with_changes(war_course=course)
        ens = run_ensemble(sc, n=2000, seed=4)
        feasible = np.asarray(ens.raw_outcomes["deal_feasible"], dtype=float)
        assert table.at[course, "p_deal"] == pytest.approx(np.nan_to_num(feasible).mean())
        ru = np.asarray(ens.raw_outcomes["ru_max_share"], dtype=float)[~np.isnan(feasible)]
        assert table.at[course, "mean_ru_max_share"] == pytest.approx(ru.mean())
        assert table.at[course, "ru_max_share"] == run(sc)["ru_max_share"]
    ranges = ranges_by_course(full)
    assert [ranges[c].ru_max_share for c in COURSE_ORDER] == list(table["ru_max_share"])
