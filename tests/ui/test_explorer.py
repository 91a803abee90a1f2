"""The scenario explorer in a kernel: built from the register, one run per change, true numbers."""

from __future__ import annotations

import json
import math

import ipywidgets as widgets
import numpy as np
import pytest
from _strategies import register_value
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s400lab.analysis.live import format_chance
from s400lab.model import Scenario, presets, run
from s400lab.model.formatting import central_date_text, quarter_label, unit_text
from s400lab.model.register import load_register
from s400lab.model.sampling import drawn_switches
from s400lab.model.scenario import lever_problems, weight_problems
from s400lab.ui.explorer import (
    DRAWN,
    KEY_OUTCOMES,
    TAB_TITLES,
    ScenarioExplorer,
    format_difference,
    format_value,
    visible_parameters,
)
from s400lab.ui.explorer.units import from_shown, is_percent, is_quarter, to_shown

REGISTER = load_register()
VISIBLE = visible_parameters(REGISTER)


@pytest.fixture(scope="module")
def shared():
    """One explorer for the read-only tests (building one takes ~0.1 s)."""
    return ScenarioExplorer()


@pytest.fixture
def ex(tmp_path):
    return ScenarioExplorer(save_dir=tmp_path)


# --------------------------------------------------------------------------- built from the register


def test_model_devices_are_hidden():
    names = {p.name for p in VISIBLE}
    assert not any(n.startswith("u_block") for n in names)
    assert all(p.kind != "device" for p in VISIBLE)
    hidden = {p.name for p in REGISTER} - names
    assert hidden == {p.name for p in REGISTER if p.kind == "device" or p.name.startswith("u_block")}


def test_every_visible_register_row_has_a_named_control(shared):
    assert set(shared.controls) == {p.name for p in VISIBLE}
    for p in VISIBLE:
        w = shared.controls[p.name]
        # the accessible name of the control (a quarter is typed as 2027Q3, not a decimal year)
        assert p.label.replace(" (decimal year)", "") in w.description
        assert p.description in w.tooltip and p.rationale in w.tooltip
        for sid in p.source_ids:
            assert sid in w.tooltip
        if p.type == "choice" and p.name in drawn_switches(REGISTER):  # war_course
            assert isinstance(w, widgets.Dropdown)
            assert [v for _label, v in w.options] == [DRAWN, *p.choices]
            assert w.value == DRAWN  # drawn by the weights unless held
            continue
        if p.type == "choice":
            assert isinstance(w, widgets.Dropdown)
            assert [v for _label, v in w.options] == list(p.choices)
        elif p.type == "bool":
            assert isinstance(w, widgets.Checkbox)
        elif is_quarter(p):  # typed (or picked) as 2027Q3, read on Enter
            assert isinstance(w, widgets.Combobox) and not w.ensure_option and not w.continuous_update
            assert w.options[0] == quarter_label(p.low) and w.options[-1] == quarter_label(p.high)
            assert w.value == quarter_label(p.default) and "(decimal year)" not in w.description
            continue
        else:
            # not Bounded*Text: those clamp a typed value silently; the explorer refuses it
            # beside the control instead (tests/ui/test_explorer_refusals.py)
            assert type(w) is (widgets.IntText if p.type == "int" else widgets.FloatText)
            if is_percent(p):  # typed in percent: the box says so, the step is in percent
                assert "%" in w.description and w.step == pytest.approx(100 * p.step)
                assert w.value == pytest.approx(100 * float(p.default))
                continue
            assert w.step == p.step
        assert w.value == p.default


def test_tabs_follow_register_groups(shared):
    titles = [shared.tabs.get_title(i) for i in range(len(shared.tabs.children))]
    groups = [
        g
        for g in ("Turkiye", "Russia", "United States", "India", "Alliance", "Model")
        if any(p.group == g for p in VISIBLE)
    ]
    assert titles == [TAB_TITLES[g] for g in groups] + ["Outcomes"]
    # each control sits in the tab of its group
    for i, group in enumerate(groups):
        inside = {id(w) for w in shared.tabs.children[i].children}
        for p in VISIBLE:
            assert (id(shared.controls[p.name]) in inside) == (p.group == group)


def test_presets_dropdown_lists_every_preset(shared):
    assert [v for _l, v in shared.preset_select.options] == list(presets())


# --------------------------------------------------------------------------- one run per change


def test_build_runs_the_model_once(shared):
    assert shared.recomputes == 1 and shared.n_redraws == 1 and shared.baseline_recomputes == 1
    assert shared.last_error is None


def test_one_slider_change_is_one_recompute_and_one_redraw(ex):
    r0, d0, b0 = ex.recomputes, ex.n_redraws, ex.baseline_recomputes
    ex.controls["return_quarter"].value = 5
    assert (ex.recomputes, ex.n_redraws) == (r0 + 1, d0 + 1)
    assert ex.baseline_recomputes == b0  # a lever: the baseline is unchanged
    ex.controls["inventory_bn"].value = 60.0
    assert (ex.recomputes, ex.n_redraws) == (r0 + 2, d0 + 2)
    assert ex.baseline_recomputes == b0 + 1  # an assumption: the baseline follows it


@pytest.mark.parametrize("sid", list(presets()))
def test_preset_change_is_one_recompute(ex, sid):
    if sid == ex.preset_select.value:
        ex.load_preset("full_return_cash")
    r0, d0 = ex.recomputes, ex.n_redraws
    ex.load_preset(sid)
    assert (ex.recomputes, ex.n_redraws) == (r0 + 1, d0 + 1)
    assert dict(ex.scenario.values) == dict(Scenario.preset(sid).values)
    for name, w in ex.controls.items():
        value = Scenario.preset(sid).values[name]
        if name in drawn_switches(REGISTER) and value == REGISTER[name].default:
            value = DRAWN  # a preset at the default course leaves it drawn by the weights
        assert w.value == (value if value == DRAWN else to_shown(REGISTER[name], value))


def test_a_preset_chosen_again_reuses_its_draws_baseline_and_static_layers(ex):
    ids = list(ex.presets)
    for sid in ids:
        ex.load_preset(sid)
    counts = (ex.baseline_recomputes, ex.state.live_engine.samplings, ex.state.base_engine.samplings)
    full = {k: p.full_draws for k, p in ex.figure.panels.items()}
    for sid in ids:
        ex.load_preset(sid)
        assert ex.live.scenario.values == Scenario.preset(sid).values
        base = Scenario.default().with_changes(
            **{k: v for k, v in Scenario.preset(sid).values.items() if k not in REGISTER.levers}
        )
        assert ex.baseline_result.raw_outcomes["ru_stock_end"] == run(base).raw_outcomes["ru_stock_end"]
    assert (ex.baseline_recomputes, ex.state.live_engine.samplings, ex.state.base_engine.samplings) == counts
    assert {k: p.full_draws for k, p in ex.figure.panels.items()} == full


def test_set_values_is_one_recompute_and_validates_all_or_nothing(ex):
    r0 = ex.recomputes
    ex.set_values(tr_action="return_full", return_quarter=3, compensation_form="energy_offset")
    assert ex.recomputes == r0 + 1
    assert ex.scenario.values["return_quarter"] == 3
    before = dict(ex.scenario.values)
    with pytest.raises(ValueError, match="return_quarter"):
        ex.set_values(tr_action="activate", return_quarter=999)
    assert dict(ex.scenario.values) == before and ex.recomputes == r0 + 1
    assert ex.controls["tr_action"].value == "return_full"


def test_compare_toggle_redraws_without_recompute(ex):
    ex.show_outcomes()
    r0, d0 = ex.recomputes, ex.n_redraws
    ex.compare.value = not ex.compare.value
    assert (ex.recomputes, ex.n_redraws) == (r0, d0 + 1)
    assert ("Status quo" in ex.table.value) == ex.compare.value


def test_only_changed_panels_are_rendered(ex):
    draws = {k: p.draws for k, p in ex.figure.panels.items()}
    ex.controls["w_us_trust"].value = 2.0  # alliance weight: none of the three views moves
    assert {k: p.draws for k, p in ex.figure.panels.items()} == draws
    ex.set_values(tr_action="return_full")
    assert ex.figure.panels["track"].draws == draws["track"] + 1


# --------------------------------------------------------------------------- true numbers


def test_outcomes_equal_the_model_and_baseline_diffs_are_right(ex):
    ex.set_values(tr_action="return_full", ru_use_returned="india", inventory_bn=70.0)
    sc = Scenario.preset("status_quo").with_changes(
        tr_action="return_full", ru_use_returned="india", inventory_bn=70.0
    )
    expected = run(sc).outcomes
    base = run(Scenario.preset("status_quo").with_changes(inventory_bn=70.0)).outcomes
    frame = ex.outcomes_frame
    assert list(frame.index) == list(expected.index)
    np.testing.assert_array_equal(frame["value"].to_numpy(), expected["value"].to_numpy())
    np.testing.assert_array_equal(frame["baseline"].to_numpy(), base["value"].to_numpy())
    for k in frame.index:
        v, b = expected.at[k, "value"], base.at[k, "value"]
        if math.isnan(v) or math.isnan(b):
            assert math.isnan(frame.at[k, "difference"])
        else:
            assert frame.at[k, "difference"] == pytest.approx(v - b)


def test_table_html_shows_the_model_values(ex):
    ex.set_values(tr_action="return_full")
    stale = ex.table.value
    ex.show_outcomes()  # the table is rendered when its tab is shown
    assert ex.table.value != stale
    out = run(ex.scenario).outcomes
    end = ex.live.horizon_end
    for k in KEY_OUTCOMES:
        if k not in out.index:
            continue
        v, unit = out.at[k, "value"], out.at[k, "unit"]
        assert f"<tr data-outcome='{k}'>" in ex.table.value
        shown = central_date_text(k, v, end) if unit == "year" else format_value(v, unit, end)
        assert f"data-value='{float(v)!r}'>{shown}</td>" in ex.table.value
    # a US date of the single run is the date if Congress does not block; its median beside it
    assert "if not blocked</td>" in ex.table.value
    median = ex.live.median("sanctions_lifted_q")
    assert (
        f"{format_chance(ex.live.chance('sanctions_lifted_q'))}, median {format_value(median, 'year')}"
        in (ex.table.value)
    )
    assert "horizon ends 2032Q3" in ex.table.value


def test_status_quo_differs_from_nothing(shared):
    frame = shared.outcomes_frame
    assert (frame["difference_text"] == "").all()


def test_unit_column_follows_the_one_formatting_rule(shared):
    """The table's unit column is the brief's (model.formatting.unit_text): empty where the
    value says it (a quarter, yes/no), the unit otherwise; shown so in the page's table."""
    frame = shared.outcomes_frame
    assert list(frame["unit_text"]) == [unit_text(u) for u in frame["unit"]]
    assert frame.at["sanctions_lifted_q", "unit_text"] == frame.at["legal_conditions_met", "unit_text"] == ""
    assert frame.at["ru_stock_end", "unit_text"] == "battalions"
    shared.show_outcomes()
    try:
        assert "<tr data-outcome='ru_stock_end'>" in shared.table.value
        assert "<td class='u'>battalions</td>" in shared.table.value
    finally:
        shared.tabs.selected_index = 0  # the shared explorer stays as built


def test_verdict_says_plainly_when_legal_conditions_are_not_met(ex):
    for sid in ("status_quo", "activate", "partial_return"):
        ex.load_preset(sid)
        assert "NOT met" in ex.verdict.value
        assert ex.figure.track.note == "legal conditions NOT met"
    ex.load_preset("full_return_cash")
    assert "NOT met" not in ex.verdict.value


def test_figures_change_with_the_scenario(ex):
    before = dict(ex.png)
    assert all(v.startswith(b"\x89PNG") for v in before.values())
    ex.load_preset("full_return_reexport_india")
    after = dict(ex.png)
    assert after["track"] != before["track"]
    stock = ex.figure.stock.line.get_ydata()
    np.testing.assert_array_equal(stock, ex.result.raw_series["ru_stock"])


def test_reset_restores_defaults(ex):
    ex.set_values(tr_action="return_full", inventory_bn=60.0, us_response="hostile")
    ex.load_preset("activate")
    ex.reset()
    assert dict(ex.scenario.values) == REGISTER.defaults()
    shown = {p.name: DRAWN if p.name in drawn_switches(REGISTER) else to_shown(p, p.default) for p in VISIBLE}
    assert {k: w.value for k, w in ex.controls.items()} == shown
    assert ex.preset_select.value == "status_quo"


def test_model_error_is_shown_not_swallowed(ex, monkeypatch):
    import s400lab.ui.explorer as mod

    def boom(sc):
        raise RuntimeError("model exploded")

    monkeypatch.setattr(mod.state, "run", boom)
    ex.controls["return_quarter"].value = 7
    assert "model exploded" in ex.message.value and "error" in ex.message.value
    assert ex.last_error is not None
    monkeypatch.undo()
    ex.controls["return_quarter"].value = 8
    assert ex.last_error is None and ex.message.value == ""


# --------------------------------------------------------------------------- property: any control value


def _strategy(p):
    """A value a control can show: any register value for choices/bools/discrete values,
    otherwise a point on the slider's step grid."""
    if p.type in ("choice", "bool") or p.discrete_values:
        return register_value(p)
    if p.type == "int":
        return st.integers(int(p.low), int(p.high)).filter(
            lambda v, p=p: (v - p.low) % max(1, int(p.step)) == 0
        )
    n = int(round((p.high - p.low) / p.step))
    return st.integers(0, n).map(lambda i, p=p: min(p.high, p.low + i * p.step))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_value_in_a_controls_range_works(shared, data):
    """Any value in a control's range runs -- or, where a rule spans several parameters (the war
    weights adding up to more than 1, levers that do not fit together), is refused with a message
    that names the parameter, and the model keeps running on finite numbers."""
    shared.reset()
    p = data.draw(st.sampled_from(VISIBLE), label="parameter")
    value = data.draw(_strategy(p), label="value")
    try:
        shared.controls[p.name].value = to_shown(p, value)  # as a person types it: 30 for 30%
        if shared.last_error is not None:
            assert p.name in shared.last_error, shared.last_error
            changed = {**Scenario.default().values, p.name: value}
            assert weight_problems(changed) or lever_problems(changed), shared.last_error
        else:
            assert shared.scenario.values[p.name] == pytest.approx(value)
            assert shared.scenario.values[p.name] == from_shown(p, shared.controls[p.name].value)
        assert np.isfinite(shared.result.raw_series["ru_stock"]).all()
    finally:
        shared.reset()


# --------------------------------------------------------------------------- save / load via the UI


def test_save_and_load_through_the_ui(ex, tmp_path):
    ex.set_values(tr_action="return_partial", return_battalions=1, compensation_share=0.35)
    ex.file_name.value = "seminar 3"
    ex.scenario_name.value = "Partial, 35%"
    assert ex.save() == tmp_path / "seminar 3.json"
    assert "Saved" in ex.message.value
    saved = dict(ex.scenario.values)
    ex.reset()
    assert ex.load()
    assert dict(ex.scenario.values) == saved
    assert "Loaded" in ex.message.value and ex.controls["compensation_share"].value == 35  # percent


def test_save_never_clobbers_and_bad_files_change_nothing(ex, tmp_path):
    ex.file_name.value = "x.json"
    assert ex.save() is not None
    ex.set_values(tr_action="activate")
    assert ex.save() is None and "already exists" in ex.message.value
    assert json.loads((tmp_path / "x.json").read_text())["values"]["tr_action"] == "keep_stored"
    ex.overwrite.value = True
    assert ex.save() is not None
    (tmp_path / "bad.json").write_text('{"format": "s400lab-scenario", "values": {"return_quarter": 999}}')
    ex.file_name.value = "bad.json"
    before, r0 = dict(ex.scenario.values), ex.recomputes
    assert not ex.load()
    assert "values.return_quarter" in ex.message.value and "bad.json" in ex.message.value
    assert dict(ex.scenario.values) == before and ex.recomputes == r0


def test_brief_button_writes_the_current_scenario_and_never_clobbers(ex, tmp_path):
    ex.set_values(tr_action="return_full", compensation_share=0.8)
    ex.file_name.value = "class brief"
    path = ex.export_brief()
    assert path == tmp_path / "class brief.html"
    text = path.read_text(encoding="utf-8")
    assert "Brief ready" in ex.message.value and "Download the brief" in ex.download.value
    assert "return full" in text and "return_full" not in text.replace('"return_full"', "")
    assert "0.8 share of US$2.5bn" in text  # the compensation share chosen in the UI
    assert "https://" in text  # the sources behind the assumptions
    before = path.read_bytes()
    ex.set_values(tr_action="activate")
    assert ex.export_brief() is None
    assert "already exists" in ex.message.value and path.read_bytes() == before


@pytest.mark.parametrize("name", ["../escape.json", "/etc/passwd", "a/b.json", "", "..json"])
def test_file_names_cannot_leave_the_scenario_folder(ex, name):
    ex.file_name.value = name
    assert ex.save() is None
    assert "Error" in ex.message.value


def test_formatting():
    assert format_value(2027.25, "year") == "2027Q2"
    assert format_value(float("nan"), "year") == "not within horizon"
    assert format_value(float("nan"), "year", 2032.5) == "not by 2032Q3"
    assert format_value(1.0, "0/1") == "yes" and format_value(0.0, "0/1") == "no"
    assert format_value(110.77, "battalions") == "111"  # whole battalions
    assert format_value(-0.2, "battalions") == "0"
    assert format_value(3.14159, "US$ bn") == "3.14"
    assert format_difference(2028.0, 2027.25, "year") == "+3 q"
    assert format_difference(float("nan"), 2027.25, "year") == "no longer reached"
    assert format_difference(2027.25, float("nan"), "year") == "now reached"
    assert format_difference(1.0, 1.0, "0/1") == ""
    assert format_difference(1.0, 0.0, "0/1") == "now yes"
    assert format_difference(2.5, 1.0, "US$ bn") == "+1.50"
    assert format_difference(112.4, 110.6, "battalions") == "+2"


# --------------------------------------------------------------------------- show the change


def test_preset_description_is_marked_edited_once_a_value_departs(ex):
    ex.load_preset("full_return_cash")
    assert "(edited)" not in ex.scenario_line.value and ex.edited == []
    assert ex.scenario.label == Scenario.preset("full_return_cash").label
    ex.controls["compensation_share"].value = 40  # percent
    assert "(edited)" in ex.scenario_line.value and ex.edited == ["compensation_share"]
    assert ex.scenario.label.endswith("(changed)")
    ex.controls["compensation_share"].value = (
        100 * Scenario.preset("full_return_cash").values["compensation_share"]
    )
    assert "(edited)" not in ex.scenario_line.value


def test_last_change_lists_what_moved_and_a_dead_lever_says_so(ex):
    ex.load_preset("full_return_cash")
    ex.controls["return_quarter"].value = ex.controls["return_quarter"].value + 1
    moved = {e.outcome for e in ex.last_effects}
    assert "sanctions_lifted_q" in moved
    assert "Last change" in ex.effect.value and "CAATSA" in ex.effect.value
    ex.load_preset("status_quo")
    # keeping the S-400s: the compensation share cannot move anything
    ex.controls["compensation_share"].value = 90  # percent
    assert ex.last_effects == []
    assert "no key outcome moved" in ex.effect.value


def test_dates_carry_their_chance_in_the_views(ex):
    ex.load_preset("full_return_cash")
    live = ex.live
    text = ex.overlays["track"].value
    for k in ("sanctions_lifted_q", "f35_readmission_q"):  # the median date and its chance, named
        assert f"median {quarter_label(live.median(k))} · {format_chance(live.chance(k))}" in text
    assert "%" in ex.overlays["india"].value
    assert "within the horizon" in live.date_text("sanctions_lifted_q")


def test_same_seed_same_numbers(tmp_path):
    a = ScenarioExplorer(preset="full_return_cash", save_dir=tmp_path)
    b = ScenarioExplorer(preset="full_return_cash", save_dir=tmp_path)
    for k in ("sanctions_lifted_q", "f35_first_delivery_q", "india_sq5_q"):
        assert a.live.chance(k) == b.live.chance(k)
    np.testing.assert_array_equal(a.live.band("ru_stock"), b.live.band("ru_stock"))
    assert a.png["stock"] == b.png["stock"]


def test_difference_panel_zooms_to_the_change(ex):
    ex.load_preset("full_return_cash")
    lo, hi = ex.figure.stock.dax.get_ylim()
    diff = ex.result.raw_series["ru_stock"] - ex.baseline_result.raw_series["ru_stock"]
    assert hi >= np.abs(diff).max() > 0
    assert hi <= 10  # a +2 battalion return fills the panel, not 2% of a 0-120 axis


def test_images_are_shown_at_their_pixel_size(shared):
    import io

    from PIL import Image

    for name, png in shared.png.items():
        w, h = Image.open(io.BytesIO(png)).size
        box = shared.figure_boxes[name]
        assert (box.layout.width, box.layout.height) == (f"{w}px", f"{h}px")
        html_text = shared.overlays[name].value
        assert f"width='{w}' height='{h}'" in html_text and "alt='" in html_text


def test_hidden_devices_cannot_be_set_by_hand(ex):
    with pytest.raises(ValueError, match="u_block_sanctions"):
        ex.set_values(u_block_sanctions=0.5)


def test_bad_file_name_is_quoted_short_and_escaped(tmp_path) -> None:
    ex = ScenarioExplorer(save_dir=tmp_path)
    ex.file_name.value = "x/" + "\x1b[31m" + "y" * 500
    assert ex.save() is None
    msg = ex.message.value
    assert "plain file name" in msg and "\x1b" not in msg and "y" * 100 not in msg
    assert list(tmp_path.iterdir()) == []
