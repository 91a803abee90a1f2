"""The US track told straight (issue 25, item 6): the explorer's milestones, the brief and the
verdict show the median date among the draws that reach a milestone and the chance of reaching
it; a single run's US date is labelled "if not blocked"."""

from __future__ import annotations

import math

import numpy as np
import pytest

from s400lab.model import Scenario, run, run_ensemble
from s400lab.model.formatting import BLOCKABLE_DATES, quarter_label
from s400lab.reporting.brief import brief_context, brief_html
from s400lab.ui.explorer import MILESTONES, ScenarioExplorer


def _by_hand(x: np.ndarray) -> tuple[float, str]:
    """Median quarter of the draws that reach the date (floored to the quarter) and the chance."""
    fin = x[~np.isnan(x)]
    med = math.floor(float(np.median(fin)) * 4 + 1e-9) / 4 if fin.size else math.nan
    p = fin.size / x.size
    # a chance short of certain is never rounded to 100% (nor a non-zero one to 0%): since
    # Congress's holds delay rather than block (issue 27), a transfer lifts the sanctions within
    # the horizon in all but a few draws of 1,000
    if 0.995 < p < 1:
        return med, "&gt;99%"
    if 0 < p < 0.005:
        return med, "&lt;1%"
    return med, f"{100 * p:.0f}%"


@pytest.fixture(scope="module")
def ex(tmp_path_factory):
    return ScenarioExplorer(preset="full_return_cash", save_dir=tmp_path_factory.mktemp("ex"))


@pytest.mark.parametrize("preset", ["full_return_cash", "transfer_third_party"])
def test_track_labels_match_an_independent_ensemble(ex, preset):
    ex.load_preset(preset)
    live = ex.live
    ens = run_ensemble(ex.scenario, n=live.n, seed=live.seed)  # the API's ensemble, same seed
    overlay = ex.overlays["track"].value
    medians = []
    for k in MILESTONES:
        med, chance = _by_hand(np.asarray(ens.raw_outcomes[k], dtype=float))
        medians.append(med)
        named = f"median {quarter_label(med)} · {chance}" if not math.isnan(med) else f"· {chance}"
        assert named in overlay, k
    xs, _ = ex.figure.track.reached.get_data()  # the markers sit at the medians
    assert sorted(np.asarray(xs, float)) == sorted(m for m in medians if not math.isnan(m))
    assert "median" in ex.figure.track.ax.get_title() or "median" in overlay


def test_central_us_dates_are_earlier_than_the_medians_and_labelled(ex):
    ex.load_preset("full_return_cash")
    ro = ex.result.raw_outcomes
    later = [k for k in BLOCKABLE_DATES if ex.live.median(k) > ro[k]]
    assert later  # the triangular modes sit before the medians: the reason for the median
    ex.show_outcomes()
    table = ex.table.value
    for k in BLOCKABLE_DATES:
        if not math.isnan(ro[k]):
            assert f">{quarter_label(ro[k])} if not blocked</td>" in table
    # a date no congressional block can stop is printed plain (the returned units' use)
    assert f">{quarter_label(ro['returned_usable_q'])}</td>" in table


def test_brief_labels_the_single_run_dates():
    sc = Scenario.preset("full_return_cash")
    ctx = brief_context(sc, n_draws=400, seed=3)
    rows = {r["key"]: r for r in ctx["outcomes"]}
    ens = run_ensemble(sc, n=400, seed=3)
    for k in ("sanctions_lifted_q", "f35_readmission_q"):
        assert rows[k]["value"] == f"{quarter_label(run(sc)[k])}*"  # * = if Congress does not block
        med, chance = _by_hand(np.asarray(ens.raw_outcomes[k], dtype=float))
        assert rows[k]["spread"] == f"{chance} within the horizon; median {quarter_label(med)}"
    assert "*" not in rows["india_sq5_q"]["value"]
    assert "* if Congress does not block" in brief_html(sc, n_draws=100, seed=3)
