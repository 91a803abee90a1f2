"""Issue 21, item 4 with issue 25's gate: on "Full return for a cash refund" the verdict said
Russia refuses while every view showed the return done. The stock view now shows a refused
return as not happening, with Russia's highest price, and the India view draws no returned
units; moved inside the bargaining range, the return shows again."""

from __future__ import annotations

import numpy as np
import pytest

from s400lab.ui.explorer import ScenarioExplorer


@pytest.fixture(scope="module")
def ex(tmp_path_factory):
    return ScenarioExplorer(preset="full_return_cash", n_draws=100, save_dir=tmp_path_factory.mktemp("ex"))


def test_a_refused_return_is_drawn_as_not_happening_with_russias_price(ex):
    ex.load_preset("full_return_cash")
    ru = ex.result.raw_outcomes["ru_max_share"]
    ex.set_values(compensation_share=min(0.99, round(ru + 0.1, 2)))
    assert ex.result.raw_outcomes["deal_agreed"] == 0
    (note,) = ex.figure.stock.labels
    assert note["kind"] == "bad" and note["text"].startswith(f"refused: Russia pays at most {100 * ru:.0f}%")
    assert note["text"] in ex.overlays["stock"].value
    scenario = np.asarray(ex.figure.stock.line.get_ydata(), float)
    status_quo = np.asarray(ex.baseline_result.raw_series["ru_stock"], float)
    np.testing.assert_array_equal(scenario, status_quo)  # no battalion returns
    assert not any("returned units" in lab["text"] for lab in ex.figure.india.labels)


def test_terms_inside_the_range_show_the_return(ex):
    ex.load_preset("status_quo")  # choosing the selected preset again changes nothing
    ex.load_preset("full_return_cash")
    o = ex.result.raw_outcomes
    assert o["deal_agreed"] == 1
    (note,) = ex.figure.stock.labels
    assert not note["text"].startswith("refused") and note["text"].endswith("+2 battalions")
