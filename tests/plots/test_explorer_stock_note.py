"""The stock view's difference note ("vs status quo at the end: +2 battalions") never
covers the difference band or line, nor the stock view's data, at every screen size.

The note is text the page lays over the picture; its box is measured as the page draws it
(``_figures.overlay_box``) and compared with the pixel extent of the data (``artist_box_px``).
"""

from __future__ import annotations

import numpy as np
import pytest
from _figures import artist_box_px, boxes_overlap, overlay_box
from hypothesis import given, settings
from hypothesis import strategies as st

from s400lab.plots.explorer import SIZES, StockPanel

T0, T1 = 2026.75, 2032.75
T = T0 + 0.25 * np.arange(24)


def _panel(screen: str, diff: np.ndarray, spread: float = 0.4, compare: bool = True) -> StockPanel:
    """A stock view whose scenario departs from a flat status quo by ``diff`` (battalions), with
    a stock band and a paired difference band ``spread`` wide around it."""
    panel = StockPanel(T0, T1, size_px=SIZES[screen]["stock"])
    base = np.full(T.size, 80.0)
    stock = base + diff
    band = np.vstack([stock - 20, stock - 8, stock, stock + 8, stock + 20])
    dband = np.vstack([diff - spread, diff - spread / 2, diff, diff + spread / 2, diff + spread])
    panel.update(
        T,
        stock,
        np.full(T.size, 90.0),
        baseline=base if compare else None,
        band=band,
        diff_band=dband if compare else None,
    )
    return panel


def _data_boxes(panel: StockPanel) -> dict[str, tuple]:
    artists = {
        "difference band": panel.diff_band,
        "difference line": panel.diff_line,
        "stock band": panel.band_outer,
        "stock line": panel.line,
        "status quo": panel.base_line,
    }
    boxes = {name: artist_box_px(panel, a) for name, a in artists.items()}
    return {name: box for name, box in boxes.items() if box is not None}


def _covered(panel: StockPanel) -> list[str]:
    (note,) = [lab for lab in panel.labels if lab["kind"] == "note"]
    box = overlay_box(note)
    return [name for name, data in _data_boxes(panel).items() if boxes_overlap(box, data)]


def _full_return_step() -> np.ndarray:
    """+2 battalions from the sixth quarter: the full return for a cash refund."""
    return np.where(np.arange(T.size) >= 5, 2.0, 0.0)


@pytest.mark.parametrize("screen", list(SIZES))
def test_the_note_of_a_full_return_covers_no_data(screen):
    panel = _panel(screen, _full_return_step())
    note = panel.labels[0]
    assert note["text"] == "vs status quo at the end: +2 battalions"
    assert _covered(panel) == []
    # it sits in the gap between the two plot areas, inside the picture, left with the axes
    left, top, right, bottom = overlay_box(note)
    h = panel.size_px[1]
    assert h - panel.ax.bbox.y0 <= top and bottom <= h - panel.dax.bbox.y1
    assert panel.dax.bbox.x0 <= left and right <= panel.size_px[0]


@pytest.mark.parametrize("compare", [True, False])
def test_the_note_without_a_difference_covers_no_data(compare):
    panel = _panel("compact", np.zeros(T.size), spread=0.0, compare=compare)
    if not compare:
        assert panel.labels[0]["text"] == "change from the status quo: tick Compare"
    assert _covered(panel) == []


def test_the_check_sees_a_note_over_the_band():
    """The old placement (top left inside the difference axes) is reported as covering."""
    panel = _panel("compact", _full_return_step())
    x, y = panel._px(panel.dax, T0, panel.dax.get_ylim()[1])
    panel.labels = [dict(panel.labels[0], x=x + 4, y=y, valign="top")]
    assert "difference band" in _covered(panel)


@settings(max_examples=30, deadline=None)
@given(
    screen=st.sampled_from(list(SIZES)),
    start=st.integers(0, 23),
    size=st.floats(-40, 40, allow_nan=False),
    spread=st.floats(0, 20, allow_nan=False),
)
def test_the_note_never_covers_the_data(screen, start, size, spread):
    diff = np.where(np.arange(T.size) >= start, size, 0.0)
    assert _covered(_panel(screen, diff, spread)) == []
