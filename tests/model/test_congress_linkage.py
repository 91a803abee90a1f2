"""Congress as linkage (issue 27 item 3): holds tied to named linkages delay the US track; a hold
stops a track only when it pushes it past the horizon. Hand-checked chances and dates, the
bargain's chance-weighted US value by hand, and properties over 10,000 draws."""

from __future__ import annotations

import math

import numpy as np
import pytest

from s400lab.model import Scenario, compare_readings, run_ensemble
from s400lab.model.core import LINKAGES, hold_chances, months_to_quarters

from .conftest import sim1

ORDER = ("none", "greece_cyprus", "greece_cyprus_israel")  # 0, 1, 2 linkages pending


def test_the_bare_block_chance_is_gone_and_every_new_row_is_sourced():
    reg = Scenario.default().register
    assert "p_block_sanctions" not in reg and "p_block_f35" not in reg
    for name in ("congress_linkage", "p_hold_sanctions", "p_hold_per_linkage"):
        assert reg[name].source_ids, name
    assert reg["congress_hold_months"].source_ids
    assert set(reg["congress_linkage"].choices) == set(LINKAGES)
    for name in ("p_hold_sanctions", "p_hold_per_linkage"):
        p = reg[name]
        assert p.confidence == "claimed" and p.description.startswith("ASSUMPTION"), name
        assert 0 <= p.low < p.central < p.high <= 1, name


def test_hold_chances_by_hand():
    v = Scenario.default().values
    get = v.__getitem__
    # p_f = 1 - (1 - 0.4) ** n: 0 (no linkage, no hold), 0.4, 0.64; p_s = 0.1 whatever the linkage
    for linkage, pf in (
        ("none", 0.0),
        ("greece_cyprus", 0.4),
        ("israel", 0.4),
        ("greece_cyprus_israel", 0.64),
    ):
        q = hold_chances(get, "standard", linkage)
        assert float(q["u_block_f35"]) == pytest.approx(pf), linkage
        assert float(q["u_block_sanctions"]) == pytest.approx(0.1)
    hostile = hold_chances(get, "hostile", "greece_cyprus_israel")  # x2, capped at 1
    assert float(hostile["u_block_f35"]) == 1.0 and float(hostile["u_block_sanctions"]) == pytest.approx(0.2)
    with pytest.raises(ValueError, match="congress_linkage"):
        hold_chances(get, "standard", "sweden")


def test_a_hold_delays_by_the_hold_months_and_the_linkage_decides_it():
    sc = Scenario.preset("full_return_cash")
    t = compare_readings(sc, "congress_linkage", ["f35_readmission_q", "f35_held", "sanctions_lifted_q"])
    col = {r: f"congress_linkage = {r}" for r in LINKAGES}
    # central run: u = 0.5; held only where p_f > 0.5 (two linkages pending: 0.64)
    assert (
        t.loc["f35_held", col["greece_cyprus"]] == 0 and t.loc["f35_held", col["greece_cyprus_israel"]] == 1
    )
    # a 12-month hold moves readmission by 4 quarters (2030.5 -> 2031.5); sanctions untouched
    assert (
        t.loc["f35_readmission_q", col["greece_cyprus_israel"]]
        == t.loc["f35_readmission_q", col["none"]] + 1.0
    )
    assert t.loc["sanctions_lifted_q", list(col.values())].nunique() == 1


def test_the_bargain_values_the_us_track_by_its_expected_quarters():
    """tr_us_value = workshare / 4 * E[quarters left after the holds], over the four hold cases."""
    v = dict(Scenario.preset("full_return_cash").values)
    _, out = sim1(**{**v, "congress_linkage": "greece_cyprus"})
    H, k0 = v["horizon_quarters"], v["return_quarter"]
    m0, D = v["removal_months"], v["congress_hold_months"]
    ps, pf = 0.1, 0.4

    def k_f35(hs, hf):
        m_s = v["sanctions_lift_months"] + D * hs
        return k0 + float(months_to_quarters(m0 + max(m_s, v["f35_readmission_months"] + D * hf)))

    expected = sum(
        (ps if hs else 1 - ps) * (pf if hf else 1 - pf) * max(0.0, H - k_f35(hs, hf))
        for hs in (0, 1)
        for hf in (0, 1)
    )
    assert out["tr_us_value_usd_bn"] == pytest.approx(v["f35_workshare_usd_bn_per_year"] / 4 * expected)
    # with no chance of a hold the whole unheld chain counts
    _, free = sim1(**{**v, "p_hold_sanctions": 0.0, "congress_linkage": "none"})
    assert free["tr_us_value_usd_bn"] == pytest.approx(
        v["f35_workshare_usd_bn_per_year"] / 4 * max(0.0, H - k_f35(0, 0))
    )


def test_no_hold_without_a_legal_divestiture():
    _, out = sim1(u_block_sanctions=0.0, u_block_f35=0.0)  # status quo, devices at 0
    assert out["sanctions_held"] == out["f35_held"] == 0
    assert out["sanctions_blocked"] == out["f35_blocked"] == 0


def test_properties_over_ten_thousand_draws():
    """Draw by draw (the same 10,000 draws under each reading): more linkages pending never
    bring a milestone earlier or lift a hold; a hold never stops a milestone the chain alone would
    miss; blocked implies held and not reached; holds happen about as often as their chance."""
    n = 10_000
    base = Scenario.preset("transfer_third_party")  # divests in every draw: the track always runs
    runs = {r: run_ensemble(base.with_changes(congress_linkage=r), n=n, seed=5) for r in ORDER}
    for r, ens in runs.items():
        o = ens.raw_outcomes
        assert (o["legal_conditions_met"] == 1).all(), r
        for track, lifted in (("sanctions", "sanctions_lifted"), ("f35", "f35_readmitted")):
            blocked, held = o[f"{track}_blocked"], o[f"{track}_held"]
            assert (blocked <= held).all() and (blocked + o[lifted] <= 1).all(), (r, track)
        # each hold is a Bernoulli draw against its own chance, draw by draw
        link = ens.draws["p_hold_per_linkage"].to_numpy()
        chance = 1 - (1 - link) ** LINKAGES[r]
        np.testing.assert_array_equal(o["f35_held"], (ens.draws["u_block_f35"].to_numpy() < chance) * 1.0)
        assert abs(o["f35_held"].mean() - chance.mean()) < 0.02, r
    for fewer, more in zip(ORDER, ORDER[1:], strict=False):
        a, b = runs[fewer].raw_outcomes, runs[more].raw_outcomes
        assert (b["f35_held"] >= a["f35_held"]).all()
        assert (b["f35_readmitted"] <= a["f35_readmitted"]).all()
        both = ~np.isnan(a["f35_readmission_q"]) & ~np.isnan(b["f35_readmission_q"])
        assert (b["f35_readmission_q"][both] >= a["f35_readmission_q"][both]).all()
        np.testing.assert_array_equal(a["sanctions_lifted_q"], b["sanctions_lifted_q"])  # F-35 only
    # holds delay more than they stop: most held F-35 tracks still end within the horizon here
    o = runs["greece_cyprus"].raw_outcomes
    assert o["f35_blocked"].sum() < o["f35_held"].sum()
    assert not math.isnan(float(np.nanmean(o["f35_readmission_q"])))
