"""The Outcomes table, as data and as HTML (widget-free).

:func:`outcomes_frame` is the table as shown (numbers and texts, scenario and status quo);
:func:`table_html` lays it out in a table that scrolls sideways inside its pane when it is
wider than the pane (``.s400-table-wrap``), so "Status quo" and "Difference" are never lost.
"""

from __future__ import annotations

import html
import math
from typing import Any

import pandas as pd

from s400lab.analysis.live import format_chance
from s400lab.model.formatting import central_date_text, unit_text
from s400lab.ui.explorer.state import KEY_OUTCOMES
from s400lab.ui.explorer.texts import format_difference, format_value

__all__ = ["outcomes_frame", "table_html"]


def _is_missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def outcomes_frame(live: Any, base_live: Any, all_outcomes: bool) -> pd.DataFrame:
    """One row per outcome: value, baseline, difference, chance (numbers) and their texts."""
    out = live.result.outcomes
    base = base_live.result.outcomes
    end = live.horizon_end
    names = list(out.index) if all_outcomes else [k for k in KEY_OUTCOMES if k in out.index]
    rows = []
    for k in names:
        v, b, unit = float(out.at[k, "value"]), float(base.at[k, "value"]), out.at[k, "unit"]
        chance = live.chance(k)
        q05, _q50, q95 = live.spread(k)
        median = live.median(k) if unit == "year" else math.nan
        if not math.isnan(median):  # a date: its chance and the median of the draws reaching it
            spread_text = f"{format_chance(chance)}, median {format_value(median, unit)}"
        elif not math.isnan(chance):
            spread_text = f"{format_chance(chance)}"
        elif math.isnan(q05):
            spread_text = ""
        else:
            spread_text = f"{format_value(q05, unit)} to {format_value(q95, unit)}"
        rows.append(
            {
                "outcome": k,
                "label": out.at[k, "label"],
                "unit": unit,
                "value": v,
                "baseline": b,
                "difference": (v - b) if not (_is_missing(v) or _is_missing(b)) else math.nan,
                "chance": chance,
                "value_text": central_date_text(k, v, end) if unit == "year" else format_value(v, unit, end),
                "baseline_text": central_date_text(k, b, end)
                if unit == "year"
                else format_value(b, unit, end),
                "difference_text": format_difference(v, b, unit),
                "spread_text": spread_text,
                "unit_text": unit_text(unit),
            }
        )
    return pd.DataFrame(rows).set_index("outcome")


def table_html(frame: pd.DataFrame, live: Any, compare: bool) -> str:
    """The table of ``frame`` (with the status quo and the difference when ``compare``)."""
    head = (
        "<th scope='col'>Outcome</th><th scope='col'>Scenario</th>"
        "<th scope='col'>Unit</th><th scope='col'>Chance / 90% range</th>"
    )
    if compare:
        head += "<th scope='col'>Status quo</th><th scope='col'>Difference</th>"
    rows = []
    for k, r in frame.iterrows():
        cells = (
            f"<td>{html.escape(r['label'])}</td>"
            f"<td class='v' data-value='{r['value']!r}'>{html.escape(r['value_text'])}</td>"
            f"<td class='u'>{html.escape(r['unit_text'])}</td>"
            f"<td class='p'>{html.escape(r['spread_text'])}</td>"
        )
        if compare:
            cells += (
                f"<td class='b' data-value='{r['baseline']!r}'>"
                f"{html.escape(r['baseline_text'])}</td>"
                f"<td class='d'>{html.escape(r['difference_text'])}</td>"
            )
        rows.append(f"<tr data-outcome='{k}'>{cells}</tr>")
    end = format_value(live.horizon_end, "year")
    return (
        "<div class='s400-table-wrap' role='region' tabindex='0' aria-label='Outcomes table "
        "(scrolls sideways)'>"
        f"<table class='s400-outcomes'><caption class='s400-small'>Quarters by their "
        f"start; horizon ends {end}; chance = share of {live.n:,} draws in which "
        "it happens within the horizon, median = over those draws; a single-run US date "
        "assumes Congress does not block ('if not blocked').</caption>"
        f"<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
