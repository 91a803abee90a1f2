"""The model diagram and the seminar figures: readable on a projector, labelled, ordered."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from s400lab.plots.deals import deal_rows
from s400lab.plots.model_diagram import ARROWS, BOXES, draw_model_diagram
from s400lab.plots.seminar import plot_first_place_shares, plot_outcomes_matrix
from s400lab.plots.style import quarter_text, use_quarter_ticks


@pytest.fixture
def fig():
    f = plt.figure(figsize=(14, 7))
    yield f
    plt.close(f)


def _bbox(artist, renderer):
    return artist.get_window_extent(renderer=renderer)


def test_diagram_arrows_connect_declared_boxes():
    for a, b, label, offset in ARROWS:
        assert a in BOXES and b in BOXES and a != b
        assert label and len(offset) == 2


def test_diagram_text_fits_its_box_and_labels_never_cover_a_box(fig):
    ax = fig.add_subplot()
    out = draw_model_diagram(ax)
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    for name, text in out["box_texts"].items():
        assert text.get_fontsize() >= 12  # readable from the back
        tb, bb = _bbox(text, r), _bbox(out["boxes"][name], r)
        assert bb.x0 <= tb.x0 and tb.x1 <= bb.x1 and bb.y0 <= tb.y0 and tb.y1 <= bb.y1, name
    boxes = [_bbox(p, r) for p in out["boxes"].values()]
    labels = [_bbox(t, r) for t in out["arrow_labels"]]
    for lab, (_a, _b, text, _) in zip(labels, ARROWS):
        assert not any(lab.overlaps(bb) for bb in boxes), text
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            assert not a.overlaps(b)
    for i, a in enumerate(boxes):  # boxes do not overlap either
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)


def test_quarter_ticks_label_quarter_starts(fig):
    assert [quarter_text(t) for t in (2027.0, 2027.25, 2027.5, 2027.75)] == [
        "2027Q1",
        "2027Q2",
        "2027Q3",
        "2027Q4",
    ]
    assert quarter_text(2027.1) == "2027.1"
    ax = fig.add_subplot()
    ax.plot([2027.0, 2028.5], [0, 1])
    use_quarter_ticks(ax.xaxis, step=0.5)
    fig.canvas.draw()
    shown = [t.get_text() for t in ax.get_xticklabels() if 2027 <= t.get_position()[0] <= 2028.5]
    assert shown == ["2027Q1", "2027Q3", "2028Q1", "2028Q3"]


def _matrix():
    m = pd.DataFrame(
        {"money": [0.0, 2.5, 1.0], "f35": [np.nan, 2031.5, np.nan]},
        index=pd.Index(["status_quo", "full_return_cash", "partial"], name="option"),
    )
    scores = pd.DataFrame({"money": [0.0, 1.0, 0.4], "f35": [0.0, 1.0, 0.0]}, index=m.index)
    return m, scores


def test_outcomes_matrix_labels_rows_and_prints_natural_units(fig):
    m, scores = _matrix()
    ax = fig.add_subplot()
    plot_outcomes_matrix(
        ax,
        scores,
        matrix=m,
        units=pd.Series({"money": "US$ bn", "f35": "year"}),
        labels={"money": "Turkiye: money"},
        option_labels={"status_quo": "Status quo"},
        fontsize=11,
    )
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Status quo", "full_return_cash", "partial"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Turkiye: money", "f35"]
    cells = [t.get_text() for t in ax.texts]
    assert cells == [
        "0.00\nUS$ bn",
        "not within\nhorizon",
        "2.50\nUS$ bn",
        "2031Q3",
        "1.00\nUS$ bn",
        "not within\nhorizon",
    ]
    assert all(t.get_fontsize() == 11 for t in ax.texts)


def test_first_place_bars_best_on_top_ties_by_mean_rank(fig):
    r = pd.DataFrame(
        {"share_first": [0.0, 0.75, 0.0, 0.25], "mean_rank": [5.3, 1.6, 4.2, 1.9]},
        index=["status_quo", "transfer", "energy", "cash"],
    )
    ax = fig.add_subplot()
    plot_first_place_shares(ax, r, option_labels={"transfer": "Transfer to a third party"})
    # barh draws bottom-up: the last tick is the top bar
    order = [t.get_text() for t in ax.get_yticklabels()][::-1]
    assert order == ["Transfer to a third party", "cash", "energy", "status_quo"]
    widths = [p.get_width() for p in ax.patches][::-1]
    assert widths == [75.0, 25.0, 0.0, 0.0]


def test_deal_status_is_written_in_words():
    deals = pd.DataFrame(
        {
            "deal_id": ["saudi-2017"],
            "variant_of": [pd.NA],
            "buyer": ["Saudi Arabia"],
            "signed_date": pd.to_datetime(["2017-10-05"]),
            "status": ["agreement_in_principle"],
            "units_reported": [np.nan],
            "unit_term": [pd.NA],
        }
    )
    assert deal_rows(deals)["row_label"].iloc[0] == "Saudi Arabia 2017 \u00b7 agreement in principle"
