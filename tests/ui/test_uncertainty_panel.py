"""The uncertainty panel: runs, compares, redraws in place, exports without overwriting."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from s400lab.analysis import ensembles as en
from s400lab.analysis.ensembles import last_quarter, standard_events
from s400lab.model import Scenario, run_ensemble
from s400lab.ui.uncertainty import UncertaintyPanel


@pytest.fixture(scope="module")
def panel():
    return UncertaintyPanel(n=2_000, seed=4)


def test_panel_runs_both_scenarios_with_shared_draws(panel):
    assert len(panel.run_a) == len(panel.run_b) == 2_000
    pd.testing.assert_frame_equal(panel.run_a.draws, panel.run_b.draws)
    # a run of one chunk is exactly the model's own ensemble for that seed
    ens = run_ensemble(Scenario.preset("full_return_cash"), n=2_000, seed=4)
    pd.testing.assert_frame_equal(panel.run_b.outcomes, ens.outcomes.reset_index(drop=True))
    assert panel.progress_w.value == 100
    t = panel.table
    assert t["paired"].all()
    assert t[["p_A", "p_B"]].stack().between(0, 1).all()
    # status quo never meets the legal conditions: no sanctions relief
    row = t.set_index("event").loc["CAATSA sanctions lifted by 2032Q3"]
    assert row["p_A"] == 0.0
    assert row["p_B"] == pytest.approx(ens.probability("sanctions_lifted"))


def test_standard_events_name_the_last_quarter_that_counts():
    sc = Scenario.preset("full_return_cash")
    assert last_quarter(sc) == 2032.5  # 2026Q4 + 24 quarters - 1
    assert last_quarter(sc.with_changes(horizon_quarters=8)) == 2028.5
    ev = {e.label: e for e in standard_events(sc)}
    df = pd.DataFrame(
        {"sanctions_lifted_q": [2028.75, 2029.0, np.nan], "india_sq5_q": [2027.75, 2028.0, np.nan]}
    )
    # "by end-2028" includes 2028Q4 and excludes 2029Q1 and "never"
    assert list(ev["CAATSA sanctions lifted by end-2028"].mask(df)) == [True, False, False]
    assert list(ev["India's last squadron delivered by end-2027"].mask(df)) == [True, False, False]
    # the complement counts "not within the horizon" as later
    assert list(ev["India's last squadron later than 2027"].mask(df)) == [False, True, True]
    assert "CAATSA sanctions lifted by 2032Q3" in ev


def test_figure_is_redrawn_in_place(panel):
    fig = panel.figure
    panel.variable_w.value = "india_squadrons"
    assert panel.figure is fig
    ax_fan = panel.axes[0]
    median = ax_fan.get_lines()[0]
    b = panel.run_a.bands("india_squadrons")
    assert np.allclose(median.get_ydata(), b["q50"])
    # the compared scenario's median is a line of its own (no second translucent fill)
    b_median = [ln for ln in ax_fan.get_lines() if ln.get_linewidth() > 2.5]
    assert np.allclose(b_median[0].get_ydata(), panel.run_b.bands("india_squadrons")["q50"])
    assert len(ax_fan.collections) == 2
    panel.outcome_w.value = "ru_stock_end"
    assert "Russian stock" in panel.axes[1].get_title()


def test_same_seed_same_numbers():
    a = UncertaintyPanel(n=1_000, seed=9, run_now=True)
    b = UncertaintyPanel(n=1_000, seed=9, run_now=True)
    pd.testing.assert_frame_equal(a.table, b.table)
    ya = a.axes[0].get_lines()[0].get_ydata()
    yb = b.axes[0].get_lines()[0].get_ydata()
    assert np.array_equal(ya, yb)


def test_export_never_overwrites(panel, tmp_path):
    target = tmp_path / "probs.csv"
    assert panel.export(str(target)) == target
    df = pd.read_csv(target)
    assert set(df["scenario"]) == set(panel.names())
    assert df["p"].between(0, 1).all() and (df["seed"] == 4).all()
    before = target.read_bytes()
    panel.export_what_w.value = "every run: draws and outcomes (scenario)"
    assert panel.export(str(target)) is None
    assert "exists" in panel.export_msg_w.value
    assert target.read_bytes() == before
    assert panel.export(str(target), overwrite=True) == target
    assert len(pd.read_csv(target)) == 2_000
    for what in ("outcome summary (median, 50% and 90% bands)", "fan-chart bands (both scenarios)"):
        assert len(panel.export_frame(what)) > 0


def test_load_bad_scenario_file_reports_and_keeps_selection(panel, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    before = panel.scenario_w.value
    assert panel.load_file(str(bad)) is None
    assert "bad.json" in panel.status_w.value
    assert panel.scenario_w.value == before


def test_load_saved_scenario_file(panel, tmp_path):
    from s400lab.model.scenario_io import save_scenario

    sc = Scenario.preset("full_return_reexport_india")
    path = tmp_path / "mine.json"
    save_scenario(sc, path, name="my India variant")
    assert panel.load_file(str(path)) is not None
    assert panel.scenario_w.value == "file:mine.json"


def test_chunked_run_progress_and_reproducibility():
    sc = Scenario.preset("status_quo")
    seen = []
    r1 = en.run_chunked(
        sc, 2_500, seed=2, chunk_size=1_000, series=["ru_stock"], callback=lambda d, n: seen.append((d, n))
    )
    assert seen == [(1000, 2500), (2000, 2500), (2500, 2500)]
    r2 = en.run_chunked(sc, 2_500, seed=2, chunk_size=1_000, series=["ru_stock"])
    pd.testing.assert_frame_equal(r1.outcomes, r2.outcomes)
    assert r1.series["ru_stock"].shape[0] == 2_500
    # chunks use different seeds: no repeated draws
    assert (
        not r1.draws.iloc[:1000]
        .reset_index(drop=True)
        .equals(r1.draws.iloc[1000:2000].reset_index(drop=True))
    )
    with pytest.raises(ValueError, match="not kept"):
        r1.bands("tr_held")


def test_figure_is_a_png_image_not_a_display_call(panel):
    """The figure must show whatever matplotlib backend the kernel has (an Output widget with
    display(fig) showed only "<Figure size 1500x480 with 3 Axes>" under MPLBACKEND=agg)."""
    import ipywidgets as widgets

    assert isinstance(panel.image, widgets.Image) and panel.image.value[:4] == b"\x89PNG"
    assert not any(isinstance(c, widgets.Output) for c in panel.children)
    before, n = panel.image.value, panel.n_redraws
    panel.outcome_w.value = "sanctions_lifted_q"
    assert panel.n_redraws == n + 1 and panel.image.value != before


def test_probability_table_cells_match_the_analysis(panel):
    from s400lab.ui.uncertainty import format_percent

    cmp = en.compare_probabilities(
        panel.run_a.outcomes,
        panel.run_b.outcomes,
        standard_events(Scenario.preset("full_return_cash")),
        names=("A", "B"),
    )
    html_ = panel.table_w.value
    for r in cmp.itertuples():
        assert (
            f"<td class='pB' style='padding:2px 10px;border-bottom:1px solid #ddd;"
            f"text-align:right;white-space:nowrap'>{format_percent(r.p_B)}</td>"
        ) in html_
    assert format_percent(0.6834) == "68.3%" and format_percent(0.0) == "0.0%"


def test_distribution_legend_never_says_zero_percent_for_a_nonzero_share():
    from matplotlib.figure import Figure

    from s400lab.plots.uncertainty import distribution_comparison

    ax = Figure().subplots()
    a = np.r_[np.full(999, 2028.0), np.nan]  # 0.1% never: "<1%", not "0%"
    distribution_comparison(ax, a, np.full(10, 2029.0), quarters=True, legend_below=True)
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts == ["A (<1% not within horizon)", "B"]


def test_timing_outcomes_read_as_quarters_not_years():
    from s400lab.ui.uncertainty import _option_text

    assert (
        _option_text("India: 5th squadron delivered (quarter)", "year")
        == "India: 5th squadron delivered (quarter)"
    )
    assert _option_text("Sanctions lifted", "year") == "Sanctions lifted (quarter)"
    assert _option_text("Russian stock", "battalions") == "Russian stock [battalions]"


def test_results_are_marked_out_of_date_until_run_again(tmp_path):
    panel = UncertaintyPanel(n=1_000, seed=3)
    assert not panel.stale
    panel.seed_w.value = 4
    assert panel.stale and "Out of date" in panel.status_w.value
    assert "stale" in panel.table_w.value and "s400-unc-stale" in panel._dom_classes
    panel.seed_w.value = 3  # back to what was run: the results are current again
    assert not panel.stale
    panel.n_w.value = 2_000
    panel.run()
    assert not panel.stale and "Out of date" not in panel.status_w.value


def test_export_message_speaks_ui_not_code(tmp_path):
    panel = UncertaintyPanel(n=1_000, seed=3)
    path = tmp_path / "p.csv"
    assert panel.export(str(path)) == path
    assert panel.export(str(path)) is None
    msg = panel.export_msg_w.value
    assert "overwrite if it exists" in msg and "overwrite=True" not in msg
