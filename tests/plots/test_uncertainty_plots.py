"""Uncertainty figures: they draw the data they are given (read back from the artists)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from s400lab.analysis.discovery import prim
from s400lab.analysis.ensembles import Event, bands_from_samples, convergence, probability_table
from s400lab.analysis.sensitivity import ishigami, sobol_indices, tornado
from s400lab.plots import uncertainty as pu
from s400lab.plots.style import OKABE_ITO


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_fan_chart_draws_median_and_bands(ax):
    rng = np.random.default_rng(0)
    b = bands_from_samples(rng.normal(size=(500, 6)).cumsum(1), t=2026.75 + 0.25 * np.arange(6))
    art = pu.fan_chart(ax, b, label="stock", unit="battalions")
    x, y = art["median"].get_data()
    assert np.allclose(x, b["t"]) and np.allclose(y, b["q50"])
    # the 90% band's polygon spans q05..q95
    verts = art["band90"].get_paths()[0].vertices
    assert verts[:, 1].min() == pytest.approx(b["q05"].min())
    assert verts[:, 1].max() == pytest.approx(b["q95"].max())
    assert art["median"].get_color().lower() == OKABE_ITO["blue"].lower()


def test_fan_chart_needs_time(ax):
    with pytest.raises(ValueError, match="t"):
        pu.fan_chart(
            ax,
            pd.DataFrame({"q05": [0], "q25": [0], "q50": [0], "q75": [0], "q95": [0]}, index=pd.Index(["a"])),
        )


def test_distribution_comparison_ecdf_ends_below_one_with_missing(ax):
    a = np.array([1.0, 2.0, 3.0, np.nan])
    b = np.array([1.0, 2.0, 3.0, 4.0])
    art = pu.distribution_comparison(ax, a, b, names=("base", "alt"))
    ya = art["a"].get_data()[1]
    yb = art["b"].get_data()[1]
    assert ya[-1] == pytest.approx(0.75) and yb[-1] == pytest.approx(1.0)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0].startswith("base (25%")
    fig, ax2 = plt.subplots()
    pu.distribution_comparison(ax2, a, b, kind="hist")
    plt.close(fig)
    with pytest.raises(ValueError):
        pu.distribution_comparison(ax, a, b, kind="violin")


def test_probability_bars(ax):
    df = pd.DataFrame({"delivery": np.linspace(2027, 2029, 1000)})
    t = probability_table(
        df, [Event("by 2027Q4", "delivery", "<=", "2027Q4"), Event("by 2028Q4", "delivery", "<=", "2028Q4")]
    )
    art = pu.probability_bars(ax, t)
    widths = [r.get_width() for r in art["bars"]]
    assert widths == pytest.approx(t["p"].tolist())
    top = max(ax.get_yticklabels(), key=lambda tl: tl.get_position()[1])
    assert top.get_text() == "by 2027Q4"  # first event on top
    assert t["p"].tolist() == pytest.approx([0.375, 0.875], abs=0.01)
    assert ax.get_xlim() == (0, 1)


def test_tornado_chart_largest_on_top(ax):
    t = tornado(lambda X: X @ np.array([1.0, 3.0]), ["a", "b"], [0, 0], [1, 1], [2, 2])
    art = pu.tornado_chart(ax, t)
    ys = [r.get_y() for r in art["high"]]
    assert ys[0] > ys[1]  # first row (largest swing, "b") drawn on top
    top = max(ax.get_yticklabels(), key=lambda tl: tl.get_position()[1])
    assert top.get_text() == "b"
    assert t["name"].tolist() == ["b", "a"]
    assert art["base"].get_xdata()[0] == pytest.approx(t.attrs["base"])
    # bar ends are the outcomes at low/high
    r = art["high"][0]
    assert r.get_x() + r.get_width() == pytest.approx(t.loc[0, "y_high"])


def test_sobol_bars(ax):
    t = sobol_indices(ishigami, ["x1", "x2", "x3"], [(-np.pi, np.pi)] * 3, n_base=256, seed=0)
    art = pu.sobol_bars(ax, t)
    order = t.sort_values("ST", ascending=False)
    assert [r.get_width() for r in art["ST"]] == pytest.approx(order["ST"].tolist())
    assert [r.get_width() for r in art["S1"]] == pytest.approx(order["S1"].tolist())


def test_sobol_bars_show_the_share_due_to_chance(ax):
    t = sobol_indices(ishigami, ["x1", "x2", "x3"], [(-np.pi, np.pi)] * 3, n_base=64, seed=0)
    assert pu.sobol_bars(ax, t)["chance"] is None  # no share given: no chance bar
    ax.clear()
    t.attrs["chance_share"] = 0.67  # as model_sobol sets it
    art = pu.sobol_bars(ax, t)
    (bar,) = art["chance"]
    assert bar.get_width() == pytest.approx(0.67)
    assert bar.get_y() + bar.get_height() / 2 == pytest.approx(3.0)  # the top row, above the 3 inputs
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    assert labels[0] == pu.CHANCE_LABEL and len(labels) == 4
    assert art["chance_label"].get_text() == "67% of the variance"
    ax.clear()
    assert pu.sobol_bars(ax, t, chance_share=0.25)["chance"][0].get_width() == pytest.approx(0.25)


def test_discovery_box_normalised(ax):
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.uniform(0, 10, 2000), "b": rng.uniform(0, 1, 2000)})
    box = prim(X, (X["a"] > 7).to_numpy()).choose(0.9)
    art = pu.discovery_box(ax, box)
    xa = art["boxes"][0].get_xdata()
    assert xa[0] == pytest.approx(0.7, abs=0.03) and xa[1] == pytest.approx(1.0)
    assert "coverage" in ax.get_title()


def test_convergence_plot(ax):
    c = convergence(np.arange(1000) % 3 == 0, [10, 100, 1000])
    art = pu.convergence_plot(ax, c)
    assert list(art["line"].get_xdata()) == [10, 100, 1000]
    assert ax.get_xscale() == "log"


def test_fan_compare_keeps_b_as_lines_over_a_filled_fan(ax):
    t = [2027.0, 2027.25, 2027.5]
    a = pd.DataFrame(
        {"t": t, "q05": [0, 1, 2], "q25": [1, 2, 3], "q50": [2, 3, 4], "q75": [3, 4, 5], "q95": [4, 5, 6]}
    )
    b = a.assign(**{k: a[k] + 10 for k in ("q05", "q25", "q50", "q75", "q95")})
    art = pu.fan_compare(ax, a, b, names=("base", "alt"), unit="battalions")
    assert len(ax.collections) == 2  # only A is shaded
    assert list(art["b"]["median"].get_ydata()) == [12, 13, 14]
    assert art["b"]["q05"].get_linestyle() == ":" and art["b"]["q25"].get_linestyle() == "--"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "alt: median" in legend and "base: 90% of runs" in legend


def test_tornado_on_quarters_labels_ticks_and_the_central_value(ax):
    tab = pd.DataFrame(
        {
            "label": ["a", "b"],
            "y_low": [2026.5, 2027.25],
            "y_high": [2028.5, 2027.5],
            "base": [2027.25, 2027.25],
            "swing": [2.0, 0.25],
        }
    )
    art = pu.tornado_chart(ax, tab, quarters=True, unit="quarter")
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert ticks and all(len(x) == 6 and x[4] == "Q" for x in ticks)
    assert art["base_label"].get_text() == "all central: 2027Q2"
