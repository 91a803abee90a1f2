"""The explorer shows the bargaining range beside the compensation control, live (issue 25, item 9)."""

from __future__ import annotations

import pytest

from s400lab.model import run
from s400lab.ui.explorer import ScenarioExplorer


@pytest.fixture(scope="module")
def ex(tmp_path_factory):
    e = ScenarioExplorer(preset="full_return_cash", save_dir=tmp_path_factory.mktemp("ex"))
    assert e.live is not None  # started: the first run is made
    return e


def _expected(ex) -> str:
    o = run(ex.scenario).raw_outcomes  # the model's own range, run independently
    tr, ru = 100 * o["tr_min_share"], 100 * o["ru_max_share"]
    return f"Turkiye accepts &gt;= {tr:.0f}%, Russia pays &lt;= {ru:.0f}%"


def test_range_sits_beside_the_compensation_control(ex):
    tab = next(t for t in ex.tabs.children if ex.controls["compensation_share"] in getattr(t, "children", ()))
    kids = list(tab.children)
    i = kids.index(ex.controls["compensation_share"])  # the control, its refusal note, the range
    assert kids[i + 1] is ex.notes["compensation_share"] and kids[i + 2] is ex.bargain_box


def test_range_text_follows_the_share_and_the_war(ex):
    ex.load_preset("full_return_cash")
    first = ex.bargain_box.value
    assert _expected(ex) in first and "deal at 60%" in first
    ru_max = run(ex.scenario)["ru_max_share"]
    ex.controls["compensation_share"].value = round(100 * min(1.0, ru_max + 0.1))  # % above Russia's most
    assert "no deal at" in ex.bargain_box.value and "Russia refuses" in ex.bargain_box.value
    assert _expected(ex) in ex.bargain_box.value
    ex.controls["compensation_share"].value = 30  # typed in percent
    assert "deal at 30%" in ex.bargain_box.value
    before = ex.bargain_box.value
    ex.controls["war_course"].value = "ceasefire"  # less scarcity: Russia pays less
    assert ex.bargain_box.value != before and _expected(ex) in ex.bargain_box.value
    assert run(ex.scenario)["ru_max_share"] < ru_max
    ex.load_preset("status_quo")
    assert "nothing to bargain over" in ex.bargain_box.value
