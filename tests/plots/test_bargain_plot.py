"""The bargain figure draws the range it is given (read back from the artists)."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from s400lab.analysis.bargain import COURSE_ORDER, BargainRange, bargain_range, ranges_by_course
from s400lab.model import Scenario
from s400lab.plots.bargain import RANGE_COLOUR, bargain_by_course_chart, bargain_chart


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def _span(patch) -> tuple[float, float]:
    if hasattr(patch, "get_width"):  # a Rectangle (matplotlib >= 3.9)
        return float(patch.get_x()), float(patch.get_x() + patch.get_width())
    x = np.asarray(patch.get_xy())[:, 0]  # a Polygon (older matplotlib)
    return float(np.min(x)), float(np.max(x))


def test_range_shaded_between_turkiyes_least_and_russias_most(ax):
    r = BargainRange(True, 0.25, 0.7, 0.625, 1.75, 2.5, True, 0.6)
    art = bargain_chart(ax, r, title="t")
    assert _span(art["range"]) == pytest.approx((0.25, 0.7))
    assert matplotlib.colors.to_hex(art["range"].get_facecolor()) == RANGE_COLOUR.lower()
    x, y = art["turkiye"].get_data()
    assert np.interp(0.25, x, y) == pytest.approx(0.0, abs=1e-9)  # Turkiye's gain is 0 at its least
    x, y = art["russia"].get_data()
    assert np.interp(0.7, x, y) == pytest.approx(0.0, abs=1e-9)  # Russia's gain is 0 at its most
    assert art["terms"].get_xdata()[0] == pytest.approx(0.6)
    assert "deal range 25% to 70%" in art["note"].get_text()
    assert "terms 60%: deal" in art["note"].get_text()


def test_empty_range_and_no_return(ax):
    empty = BargainRange(True, 0.8, 0.5, 2.0, 1.25, 2.5, False, 0.6)
    art = bargain_chart(ax, empty)
    assert art["range"] is None and "no deal at any price" in art["note"].get_text()
    assert "refused" in art["note"].get_text()
    ax.clear()
    nan = math.nan
    art = bargain_chart(ax, BargainRange(False, nan, nan, nan, nan, nan, False, 0.6))
    assert art["range"] is None and art["turkiye"] is None and "nothing to bargain" in art["note"].get_text()


def test_model_range_by_course_side_by_side():
    ranges = ranges_by_course(Scenario.preset("full_return_cash"))
    fig, axes = plt.subplots(1, 3)
    try:
        art = bargain_by_course_chart(axes, ranges, title="war")
        assert list(art) == list(COURSE_ORDER)
        for c in COURSE_ORDER:
            r = ranges[c]
            assert _span(art[c]["range"]) == pytest.approx(
                (max(0.0, r.tr_min_share), min(1.0, r.ru_max_share))
            )
        assert len({ax.get_ylim() for ax in axes}) == 1  # one y-scale: the panels compare
        with pytest.raises(ValueError, match="axes"):
            bargain_by_course_chart(axes[:2], ranges)
    finally:
        plt.close(fig)
    assert bargain_range(Scenario.preset("full_return_cash")).ru_max_share == ranges["attrition"].ru_max_share
