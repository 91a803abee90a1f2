"""Headless tests of the trade-off explorer: sliders change the ranking."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from s400lab.analysis.tradeoffs import Criterion
from s400lab.ui.tradeoffs import TradeoffExplorer

CRIT = [
    Criterion("cost", "Turkiye", "Turkiye: cost", "x", "lower", "why <cost>"),
    Criterion("speed", "India", "India: speed", "y", "higher"),
]
MATRIX = pd.DataFrame({"cost": [10.0, 20.0, 15.0], "speed": [1.0, 5.0, 3.0]}, index=["A", "B", "C"])
UNITS = pd.Series({"cost": "US$ bn", "speed": "battalions"})


def test_sliders_rerank_live():
    ex = TradeoffExplorer(MATRIX, UNITS, CRIT, weights={"cost": 6, "speed": 4}, n_robust=500)
    assert ex.ranking.index.tolist() == ["A", "C", "B"]
    ex._sliders["speed"].value = 10  # a student drags a slider
    assert ex.ranking.index.tolist() == ["B", "C", "A"]
    assert ex.ranking.loc["B", "score"] == pytest.approx(10 / 16)
    assert ex.robustness["share_first"].sum() == pytest.approx(1.0)
    ex.set_weights({"cost": 0, "speed": 0})
    assert "positive" in ex._error.value
    ex.set_weights({"cost": 5, "speed": 0})
    assert ex.ranking.index[0] == "A" and ex._error.value == ""


def test_missing_criterion_rejected():
    with pytest.raises(KeyError):
        TradeoffExplorer(MATRIX.assign(extra=1.0), UNITS, CRIT)


def test_from_presets_runs_the_model():
    ex = TradeoffExplorer.from_presets(n_robust=200)
    assert "status_quo" in ex.ranking.index
    assert len(ex.ranking) == len(ex.matrix) >= 5


def test_figure_rows_use_the_presets_plain_labels():
    from s400lab.model import presets
    from s400lab.ui.tradeoffs import preset_labels

    labels = preset_labels()
    assert list(labels) == list(presets())
    assert labels["status_quo"] == presets()["status_quo"].label != "status_quo"
    ex = TradeoffExplorer.from_presets(n_robust=200)
    assert ex.option_labels == labels
    custom = TradeoffExplorer(MATRIX, UNITS, CRIT, option_labels={"x": "X"}, n_robust=100)
    assert custom.option_labels == {"x": "X"}


def test_one_figure_updated_in_place_once_per_change():
    ex = TradeoffExplorer(MATRIX, UNITS, CRIT, weights={"cost": 6, "speed": 4}, n_robust=200)
    fig, axes = ex.figure, list(ex.figure.axes)
    bars = list(ex.panel.score_bars.patches)
    assert ex.n_redraws == 1 and "data:image/png;base64," in ex.view.value
    assert "alt='Outcomes matrix" in ex.matrix_image.value and "base64," in ex.matrix_image.value
    first = ex.view.value
    ex._sliders["speed"].value = 10  # one slider change -> exactly one render
    assert ex.n_redraws == 2 and ex.view.value != first
    assert ex.figure is fig and list(fig.axes) == axes  # same Figure, same Axes, same bars
    assert list(ex.panel.score_bars.patches) == bars and len(fig.axes[0].patches) == len(bars)
    assert ex.panel.full_draws == 1  # only the bars were drawn again (static layer cached)
    ex.set_weights({"cost": 1, "speed": 2})  # several sliders at once -> still one render
    assert ex.n_redraws == 3 and ex.figure is fig
    ex._equal.click()
    assert ex.n_redraws == 4
    ex.set_weights({"cost": 0, "speed": 0})  # invalid: message, no redraw of a stale ranking
    assert ex.n_redraws == 4 and "positive" in ex._error.value
    assert ex._busy_sign.value == ""  # no busy sign left behind, also after an error


def test_figure_shows_the_current_ranking_after_a_change():
    ex = TradeoffExplorer(MATRIX, UNITS, CRIT, weights={"cost": 6, "speed": 4}, n_robust=200)
    ex._sliders["speed"].value = 10
    # rows stay in the matrix's order (A, B, C); the widths are the new scores
    widths = [p.get_width() for p in ex.panel.score_bars.patches]
    assert widths == pytest.approx(list(ex.ranking.loc[["A", "B", "C"], "score"]))
    shares = [p.get_width() for p in ex.panel.first_bars.patches]
    assert shares == pytest.approx(list(100 * ex.robustness.loc[["A", "B", "C"], "share_first"]))
    texts = [lab["text"] for lab in ex.panel.labels]
    assert texts[2].endswith("rank 1") and f"{ex.ranking.loc['B', 'score']:.2f}" in texts[2]  # B's score
    assert [lab["kind"] for lab in ex.panel.labels][2:4] == ["best", "best"]
    assert ">0.62 - rank 1<" in ex.view.value  # the numbers are laid over the picture


def test_changes_arriving_together_are_drawn_once_with_the_newest_weights():
    """In a kernel the changes of a burst (a student dragging several sliders while the
    figure is busy) are coalesced: a busy sign at once, one update with the newest weights."""
    import asyncio

    ex = TradeoffExplorer(MATRIX, UNITS, CRIT, weights={"cost": 6, "speed": 4}, n_robust=200)
    updates, redraws = ex.n_updates, ex.n_redraws

    async def burst():
        for v in (7, 8, 9, 10):
            ex._sliders["speed"].value = v
        assert "Updating" in ex._busy_sign.value and ex.n_updates == updates  # nothing drawn yet
        await asyncio.sleep(0)  # the kernel's loop runs the pending update

    asyncio.run(burst())
    assert (ex.n_updates, ex.n_redraws) == (updates + 1, redraws + 1)
    assert ex.weights["speed"] == 10 and ex.ranking.index[0] == "B"
    assert ex._busy_sign.value == ""


def test_row_names_get_the_room_they_need():
    long = {"A": "An option with a very long name that would be cut at the edge", "B": "B", "C": "C"}
    ex = TradeoffExplorer(MATRIX, UNITS, CRIT, n_robust=100, option_labels=long)
    ex.panel.png()
    renderer = ex.panel.canvas.get_renderer()
    for t in ex.panel.ax_score.get_yticklabels():
        assert t.get_window_extent(renderer).x0 >= 0, t.get_text()


def test_figure_sits_beside_the_sliders_in_a_projector_notebook():
    """JupyterLab at 1366x768 with the file browser open leaves ~900 px for an output: the
    sliders' column and the figure must fit side by side there (the figure sat 580 px below a
    two-column grid and was cut at the right)."""
    from s400lab.ui import tradeoffs as ut

    ex = TradeoffExplorer(MATRIX, UNITS, CRIT, n_robust=200)
    row = ex.children[1]
    assert "s400-tradeoffs-row" in row._dom_classes
    controls, figure = row.children
    assert ex.view in figure.children and ex._table in figure.children
    assert ex.panel.size_px[0] == ut.FIGURE_WIDTH_PX
    width = int(controls.layout.width.rstrip("px")) + 16 + ut.FIGURE_WIDTH_PX
    assert width <= 900, width


def test_sliders_and_figure_have_accessible_names():
    ex = TradeoffExplorer(MATRIX, UNITS, CRIT, n_robust=200)
    for cid, s in ex._sliders.items():
        assert s.tooltip == f"Weight: {ex.criteria[[c.criterion_id for c in ex.criteria].index(cid)].label}"
        assert "s400-weight" in s._dom_classes
    alt = ex.figure_alt()
    assert alt.startswith("Two bar charts") and "1. " in alt and "A" in alt
    assert f"alt='{alt[:20]}" in ex.view.value
    ex._sliders["speed"].value = 10  # the text follows the ranking
    assert ex.figure_alt().split("Ranking: 1. ")[1].startswith("B")


def test_ranking_table_uses_plain_option_labels():
    ex = TradeoffExplorer(
        MATRIX, UNITS, CRIT, n_robust=200, option_labels={"A": "Option <A>", "B": "Bee", "C": "Sea"}
    )
    assert "Option &lt;A&gt;" in ex._table.value and "Bee" in ex._table.value
    assert "<th>B</th>" not in ex._table.value
