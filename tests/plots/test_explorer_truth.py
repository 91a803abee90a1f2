"""Issue 21, item 4: the explorer's three views tell the truth together.

- one time axis: the same quarter at the same x in the stock, India and US-track views, at
  every screen size, even when India's promise lies before the horizon;
- milestone and delivery labels say what each number is (median date, chance by the horizon's
  last quarter), or the view's heading says it when a short form had to be used;
- the consent gate: a refused return is drawn as the status quo with Russia's highest price;
- complete legends: both band shades, the requirement, no unexplained "SQ";
- no "-0" anywhere; quarters as 2027Q3, never decimal years;
- no label is cut by the picture's edge or covers a marker (India's returned-units date
  included), checked on the label boxes as the page draws them (``_figures.overlay_box``).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from _figures import boxes_overlap, overlay_box, texts_outside
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.patches import Patch

from s400lab.plots.explorer import SIZES, ExplorerFigure
from s400lab.plots.explorer.labels import (
    delivery_label,
    difference_note,
    milestone_label,
    refusal_text,
    signed_count,
)

T0, T1 = 2026.75, 2032.75
END = T1 - 0.25  # the horizon's last quarter, 2032Q3
T = T0 + 0.25 * np.arange(24)
MILESTONES = ["Divested", "CAATSA lifted", "F-35 readmitted", "First F-35"]
SCREENS = list(SIZES)
BOLD = {"date", "good", "bad"}
DECIMAL_YEAR = re.compile(r"\b20\d\d\.\d")


def _box(lab: dict) -> tuple[float, float, float, float]:
    return overlay_box(lab, bold=lab["kind"] in BOLD)


def _marker_boxes(panel, line, half: float = 6.0) -> list[tuple[float, float, float, float]]:
    """Pixel boxes (from the top left) of the markers ``line`` draws."""
    x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
    ok = np.isfinite(x) & np.isfinite(y)
    h = panel.size_px[1]
    pts = line.axes.transData.transform(np.column_stack([x[ok], y[ok]])) if ok.any() else []
    return [(px - half, h - py - half, px + half, h - py + half) for px, py in pts]


def _fill(fig: ExplorerFigure, promised=(2026.25, 2026.75), returned=float("nan")) -> None:
    """The early return sent to India at 1024x768: both squadrons outstanding, the returned
    units in India 2027Q4, the status quo's 5th squadron 2029Q2."""
    stock = np.where(np.arange(24) >= 5, 82.0, 80.0)
    fig.stock.update(T, stock, np.full(24, 90.0), baseline=np.full(24, 80.0))
    fig.india.update(
        ["4th squadron", "5th squadron"],
        list(promised),
        [2027.75, 2027.75],
        baseline=[2027.75, 2029.25],
        returned=returned,
        chances=[1.0, 0.98],
    )
    fig.track.update(
        MILESTONES,
        [2027.25, 2028.0, 2030.75, 2031.75],
        note="legal conditions met",
        baseline=[np.nan] * 4,
        good=True,
        chances=[0.76, 0.58, 0.28, 0.21],
    )


# --- one time axis ------------------------------------------------------------------------


@pytest.mark.parametrize("screen", SCREENS)
def test_one_quarter_sits_at_one_x_in_the_three_views(screen):
    """The India view started at 2026Q1 (its promise) while the others started at 2026Q4, and
    each view had its own left margin: one x was a different quarter in each view."""
    fig = ExplorerFigure(T0, T1, layout=screen)
    _fill(fig)
    limits = {name: p.ax.get_xlim() for name, p in fig.panels.items()}
    assert set(limits.values()) == {(T0, T1)}, limits
    for quarter in (T0, 2028.5, 2030.0, END):
        xs = {name: p.ax.transData.transform((quarter, 0.0))[0] for name, p in fig.panels.items()}
        assert max(xs.values()) - min(xs.values()) < 0.5, (screen, quarter, xs)
    ticks = {name: tuple(p.ax.get_xticks()) for name, p in fig.panels.items()}
    assert len(set(ticks.values())) == 1, ticks


def test_an_earlier_promise_is_pinned_at_the_left_edge_and_named():
    fig = ExplorerFigure(T0, T1)
    _fill(fig, promised=(2026.0, 2027.0))
    assert list(fig.india.promised_early.get_xdata()) == [T0]
    assert list(fig.india.promised.get_xdata()) == [2027.0]
    assert "earlier" in [t.get_text() for t in fig.india.legend.get_texts()]
    notes = " ".join(lab["text"] for lab in fig.india.labels if lab["kind"] == "note")
    assert "promised 2026Q1" in notes


# --- labels that say what each number is ---------------------------------------------------


def test_milestone_and_delivery_labels_name_the_median_and_the_chance():
    assert milestone_label(2031.5, 0.18, END) == "median 2031Q3 · 18% by 2032Q3"
    assert milestone_label(2031.5, 0.18, END, long=False) == "median 2031Q3 · 18%"
    assert milestone_label(float("nan"), 0.0, END) == "not by 2032Q3 · 0%"
    assert delivery_label(2027.75, 0.98, END) == "2027Q4 · 98% by 2032Q3"
    assert delivery_label(float("nan"), 0.12, END) == "not by 2032Q3 · 12%"
    assert milestone_label(2031.5, 0.001, END) == "median 2031Q3 · <1% by 2032Q3"


@pytest.mark.parametrize("screen", SCREENS)
def test_every_chance_on_the_views_is_explained(screen):
    """ "First F-35 2031Q3 - 18%" put a date beside an unexplained chance: each date label now
    says "median" and "by 2032Q3", or the view's heading explains the percentage."""
    fig = ExplorerFigure(T0, T1, layout=screen)
    _fill(fig)
    for name in ("india", "track"):
        labels = fig.panels[name].labels
        dates = [lab["text"] for lab in labels if lab["kind"] == "date"]
        heading = " ".join(lab["text"] for lab in labels if lab["kind"] == "title")
        assert len(dates) == (2 if name == "india" else 4)
        for text in dates:
            assert "%" in text
            assert text.endswith("by 2032Q3") or "chance by 2032Q3" in heading, (screen, name, text)
            if name == "track":
                assert text.startswith("median "), text
    if screen == "wide":  # room enough: the track's labels carry their full wording
        track = [lab["text"] for lab in fig.track.labels if lab["kind"] == "date"]
        assert track[-1] == "median 2031Q4 · 21% by 2032Q3"


# --- the consent gate -----------------------------------------------------------------------


def test_refusal_text_names_the_side_and_its_price():
    refused = {"deal_agreed": 0.0, "ru_max_share": 0.5, "tr_min_share": 0.1, "deal_feasible": 1.0}
    assert refusal_text(refused, ask=0.6) == "refused: Russia pays at most 50%"
    assert refusal_text(dict(refused, tr_min_share=0.45), ask=0.3) == "refused: Turkiye needs at least 45%"
    assert refusal_text(dict(refused, deal_agreed=1.0), ask=0.3) == ""
    assert refusal_text({"deal_agreed": float("nan")}, ask=0.6) == ""  # no return at stake
    assert refusal_text({}, ask=0.6) == ""


@pytest.mark.parametrize("screen", SCREENS)
def test_a_refused_return_is_shown_as_refused_with_russias_price(screen):
    fig = ExplorerFigure(T0, T1, layout=screen)
    base = np.full(24, 80.0)
    fig.stock.update(T, base, np.full(24, 90.0), baseline=base, refused="refused: Russia pays at most 50%")
    (note,) = fig.stock.labels
    assert note["kind"] == "bad" and note["text"].startswith("refused: Russia pays at most 50%")
    left, _top, right, _bottom = _box(note)
    assert fig.stock.dax.bbox.x0 <= left and right <= fig.stock.size_px[0]


# --- complete legends, no -0, quarters ------------------------------------------------------


def test_the_stock_legend_names_both_band_shades_and_the_requirement():
    fig = ExplorerFigure(T0, T1)
    band = np.vstack([np.full(24, v) for v in (70.0, 76.0, 80.0, 84.0, 90.0)])
    fig.stock.update(T, np.full(24, 80.0), np.full(24, 90.0), baseline=np.full(24, 80.0), band=band)
    texts = [t.get_text() for t in fig.stock.legend.get_texts()]
    assert "50/90% of draws" in texts and "requirement" in texts
    legend = fig.stock.legend
    patches = [p for p in legend.findobj(Patch) if p is not legend.legendPatch and p.get_alpha() is not None]
    shades = {round(p.get_alpha(), 3) for p in patches}
    assert shades == {round(fig.stock.OUTER_ALPHA, 3), round(fig.stock.INNER_ALPHA, 3)}, "50% and 90% shades"
    names = [fig.stock.ax.get_ylabel(), fig.stock.dax.get_ylabel()]
    assert not any("SQ" in n for n in names) and "status quo" in names[1]


def test_signed_count_never_says_minus_zero():
    assert [signed_count(x) for x in (2.0, 0.4, -0.4, -0.0, -0.5, -2.6, float("nan"))] == [
        "+2",
        "0",
        "0",
        "0",
        "0",
        "-3",
        "-",
    ]
    assert difference_note(-0.3) == "vs status quo at the end: 0 battalions"
    assert difference_note(-1.0) == "vs status quo at the end: -1 battalion"


@settings(max_examples=200, deadline=None)
@given(st.floats(-1e6, 1e6, allow_nan=False))
def test_no_signed_count_reads_minus_zero(x):
    text = signed_count(x)
    assert text not in ("-0", "+0")
    assert int(text) == round(x)


@pytest.mark.parametrize("end", [-0.3, -0.0, 0.2])
def test_the_difference_note_has_no_minus_zero(end):
    """The India presets' difference note said "-0 battalions"."""
    fig = ExplorerFigure(T0, T1)
    base = np.full(24, 80.0)
    fig.stock.update(T, base + np.where(np.arange(24) == 23, end, 0.0), np.full(24, 90.0), baseline=base)
    assert fig.stock.labels[0]["text"] == "vs status quo at the end: 0 battalions"


def test_a_slip_that_rounds_to_zero_reads_zero():
    fig = ExplorerFigure(T0, T1)
    fig.india.update(["5th squadron"], [2028.0], [2027.95], baseline=[2028.0])
    notes = [lab["text"] for lab in fig.india.labels if lab["kind"] == "note"]
    assert notes == ["worst slip 0 quarters"]


@pytest.mark.parametrize("screen", SCREENS)
def test_every_text_shows_quarters_not_decimal_years(screen):
    fig = ExplorerFigure(T0, T1, layout=screen)
    _fill(fig, returned=2027.75)
    for name, panel in fig.panels.items():
        panel.fig.canvas.draw()
        texts = [lab["text"] for lab in panel.labels]
        texts += [t.get_text() for ax in panel.fig.axes for t in ax.get_xticklabels()]
        assert not [t for t in texts if DECIMAL_YEAR.search(t)], (name, texts)
        assert any(re.search(r"20\d\dQ[1-4]", t) for t in texts)


# --- India's note and every label: never cut, never over a marker ----------------------------


def _covered(panel, markers) -> list[str]:
    """Labels cut by the picture's edge, or covering a marker that is not their own."""
    w, h = panel.size_px
    bad = []
    labels = panel.labels
    for i, lab in enumerate(labels):
        box = _box(lab)
        if box[0] < 0 or box[2] > w or box[1] < 0 or box[3] > h:
            bad.append(f"cut: {lab['text']!r} {box}")
        for name, boxes in markers.items():
            for m in boxes:
                own = lab["kind"] == "date" and name in ("scenario", "late") and _beside(box, m)
                if boxes_overlap(box, m) and not own:
                    bad.append(f"{lab['text']!r} covers {name} at {m}")
        for other in labels[i + 1 :]:
            if boxes_overlap(box, _box(other)):
                bad.append(f"{lab['text']!r} covers {other['text']!r}")
    return bad


def _beside(box, marker) -> bool:
    """A label beside its own marker touches it at most at its edge (the marker's centre is
    outside the label)."""
    cx, cy = (marker[0] + marker[2]) / 2, (marker[1] + marker[3]) / 2
    return not (box[0] < cx < box[2] and box[1] < cy < box[3])


def _india_markers(panel) -> dict:
    return {
        "status quo": _marker_boxes(panel, panel.base),
        "promised": _marker_boxes(panel, panel.promised) + _marker_boxes(panel, panel.promised_early),
        "scenario": _marker_boxes(panel, panel.modelled),
        "late": _marker_boxes(panel, panel.late),
    }


@pytest.mark.parametrize("screen", SCREENS)
def test_indias_returned_units_date_is_neither_cut_nor_over_the_status_quo(screen):
    """In the India presets "returned units in India 2028" was cut at the picture's bottom and
    covered the status quo's marker: it now sits in the note line above the plot area."""
    fig = ExplorerFigure(T0, T1, layout=screen)
    _fill(fig, returned=2027.75)
    india = fig.india
    assert _covered(india, _india_markers(india)) == []
    (note,) = [lab for lab in india.labels if lab["kind"] == "note"]
    assert "2027Q4" in note["text"] and "returned units" in note["text"]
    assert _box(note)[3] <= india.size_px[1] - india.ax.bbox.y1  # above the plot area


@settings(max_examples=40, deadline=None)
@given(
    screen=st.sampled_from(SCREENS),
    modelled=st.lists(st.sampled_from([*np.arange(T0, T1, 0.25), math.nan]), min_size=2, max_size=2),
    baseline=st.lists(st.sampled_from([*np.arange(T0, T1, 0.25), math.nan]), min_size=2, max_size=2),
    promised=st.lists(st.sampled_from(list(np.arange(2025.5, 2030.0, 0.25))), min_size=2, max_size=2),
    returned=st.sampled_from([math.nan, *np.arange(T0, T1, 0.5)]),
)
def test_india_labels_are_never_cut(screen, modelled, baseline, promised, returned):
    fig = ExplorerFigure(T0, T1, layout=screen)
    fig.india.update(
        ["4th squadron", "5th squadron"],
        promised,
        modelled,
        baseline=baseline,
        returned=returned,
        chances=[0.9, 0.4],
    )
    w, h = fig.india.size_px
    for lab in fig.india.labels:
        left, top, right, bottom = _box(lab)
        assert left >= 0 and right <= w and top >= 0 and bottom <= h, lab
    assert texts_outside(fig.india.fig) == []


@pytest.mark.parametrize("screen", SCREENS)
def test_track_labels_cover_no_marker_and_stay_inside(screen):
    fig = ExplorerFigure(T0, T1, layout=screen)
    _fill(fig)
    fig.track.update(
        MILESTONES,
        [2027.25, 2028.0, 2030.75, math.nan],
        note="Congress blocks F-35 readmission",
        baseline=[2027.25, 2028.5, 2031.0, 2032.0],
        good=False,
        chances=[0.76, 0.58, 0.28, 0.05],
    )
    track = fig.track
    markers = {
        "status quo": _marker_boxes(track, track.base),
        "scenario": _marker_boxes(track, track.reached) + _marker_boxes(track, track.missed),
    }
    assert _covered(track, markers) == []
    notes = [lab for lab in track.labels if lab["kind"] == "bad"]
    assert [n["text"] for n in notes] == ["Congress blocks F-35 readmission"]
