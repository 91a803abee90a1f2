"""One home for each formatting rule (s400lab.model.formatting) and one key-outcome list."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s400lab.model import OUTCOMES
from s400lab.model.formatting import (
    format_change,
    format_outcome,
    format_quantity,
    quarter_label,
    quarter_text,
    unit_text,
)
from s400lab.model.results import KEY_OUTCOME_VIEWS, KEY_OUTCOMES, key_outcomes

NAN = float("nan")


def test_quarter_label_hand_checked():
    assert quarter_label(2027.0) == "2027Q1" and quarter_label(2027.75) == "2027Q4"
    assert quarter_label(2027.99) == "2028Q1"  # rounds to the nearest quarter start
    assert quarter_label(NAN) == "not within horizon" and quarter_label(None) == "not within horizon"
    assert quarter_label(NAN, missing="-") == "-"


@given(st.integers(min_value=4 * 1990, max_value=4 * 2100))
def test_quarter_label_round_trips(k):
    label = quarter_label(k / 4)
    year, q = label.split("Q")
    assert int(year) + (int(q) - 1) / 4 == k / 4
    assert quarter_text(k / 4) == label


def test_quarter_text_keeps_off_grid_numbers():
    assert quarter_text(2027.1) == "2027.1" and quarter_text(2027.5) == "2027Q3"


def test_outcome_values_hand_checked():
    assert format_outcome(110.77, "battalions") == "111"  # whole battalions
    assert format_outcome(-0.2, "battalions") == "0"
    assert format_outcome(1.234, "US$ bn") == "1.23"
    assert format_outcome(0.7, "0/1") == "yes" and format_outcome(0.2, "0/1") == "no"
    assert format_outcome(2028.25, "year") == "2028Q2"
    assert format_outcome(NAN, "year") == "not within horizon"
    assert format_outcome(NAN, "year", 2031.75) == "not by 2031Q4"
    assert unit_text("year") == unit_text("0/1") == "" and unit_text("US$ bn") == "US$ bn"


def test_changes_hand_checked():
    assert format_change(2028.5, 2028.0, "year") == "+2 q"
    assert format_change(NAN, 2028.0, "year") == "no longer reached"
    assert format_change(2028.0, NAN, "year") == "now reached"
    assert format_change(NAN, NAN, "year") == "" and format_change(NAN, NAN, "year", same="same") == "same"
    assert format_change(112.4, 110.6, "battalions") == "+2"
    assert format_change(2.5, 1.0, "US$ bn") == "+1.50" and format_change(1.0, 1.0, "US$ bn") == ""
    assert format_change(1.0, 0.0, "0/1") == "now yes" and format_change(1.0, 1.0, "0/1", same="=") == "="


@given(st.floats(-500, 500, allow_nan=False), st.floats(-500, 500, allow_nan=False))
def test_change_carries_the_sign_of_the_difference(a, b):
    for unit, step in (("battalions", 0.5), ("US$ bn", 0.005), ("year", 0.125)):
        text = format_change(a, b, unit)
        if a - b >= step + 1e-9:
            assert text.startswith("+"), (unit, a, b, text)
        elif b - a >= step + 1e-9:
            assert text.startswith("-"), (unit, a, b, text)
        elif abs(a - b) < step - 1e-9:
            assert text == "", (unit, a, b, text)


def test_parameter_quantities_keep_units():
    assert format_quantity(1, "battalions") == "1 battalion"
    assert format_quantity(2026.25, "year") == "2026Q2"
    assert format_quantity(float("inf"), "months") == "n/a"


def test_every_view_formats_through_the_model():
    """The explorer, the live ensemble and the plots give the model's texts."""
    from s400lab.analysis import live
    from s400lab.plots.explorer import quarter_text as plot_quarter
    from s400lab.ui.explorer import format_difference, format_value

    for v, unit, end in [(110.77, "battalions", None), (NAN, "year", 2031.75), (3.14159, "US$ bn", None)]:
        assert format_value(v, unit, end) == live.format_outcome(v, unit, end) == format_outcome(v, unit, end)
    for v, b, unit in [(2028.0, 2027.25, "year"), (NAN, 2027.25, "year"), (112.4, 110.6, "battalions")]:
        assert format_difference(v, b, unit) == live.format_change(v, b, unit) == format_change(v, b, unit)
    assert plot_quarter(2027.25) == "2027Q2" and plot_quarter(NAN) == "-"


def test_one_key_outcome_list():
    assert len(set(KEY_OUTCOMES)) == len(KEY_OUTCOMES)
    assert all(k in OUTCOMES for k in KEY_OUTCOMES)
    for view, names in KEY_OUTCOME_VIEWS.items():
        assert names <= set(KEY_OUTCOMES), view
        chosen = key_outcomes(view)
        assert list(chosen) == [k for k in KEY_OUTCOMES if k in names]  # the one order
    assert len(key_outcomes("brief")) == 11 and key_outcomes() == KEY_OUTCOMES
    with pytest.raises(ValueError, match="unknown view 'poster'; views: brief"):
        key_outcomes("poster")


def test_views_use_the_one_list():
    from s400lab.reporting import brief
    from s400lab.ui import explorer

    assert explorer.KEY_OUTCOMES == KEY_OUTCOMES
    assert key_outcomes("brief") == brief.KEY_OUTCOMES
