"""The words of the explorer's views: pure functions from numbers to the text beside a marker,
in a note or a legend, so each says what its number is.

- a milestone of the US track: the median quarter among the draws that reach it and the chance
  of reaching it within the horizon, ``"median 2031Q3 · 18% by 2032Q3"``
  (:func:`milestone_label`);
- an Indian squadron: the central run's quarter and the chance of delivery within the horizon,
  ``"2027Q4 · 98% by 2032Q3"`` (:func:`delivery_label`);
- a whole number with its sign, never ``"-0"`` (:func:`signed_count`);
- the consent gate: ``"refused: Russia pays at most 50%"`` (:func:`refusal_text`);
- quarters as ``2027Q3``, never decimal years (:func:`quarter_text`).

Nothing here draws; the panels lay the texts out (:mod:`s400lab.plots.explorer.layout`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from s400lab.model.formatting import quarter_label

__all__ = [
    "SEP",
    "chance_key",
    "chance_text",
    "delivery_label",
    "difference_note",
    "milestone_label",
    "quarter_text",
    "refusal_text",
    "signed_count",
    "with_unit",
]

#: Between a date and its chance in a label.
SEP = " · "


def quarter_text(t: float | None) -> str:
    """``2027.25 -> "2027Q2"``; NaN -> ``"-"`` (:func:`s400lab.model.formatting.quarter_label`)."""
    return quarter_label(t, missing="-")


def _finite(x: Any) -> bool:
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def signed_count(x: float) -> str:
    """A whole number with its sign: ``+2``, ``-3``, and ``0`` for anything that rounds to
    zero (``-0.4`` reads ``0``, never ``-0``); NaN -> ``"-"``.

    >>> signed_count(2.0), signed_count(-0.4), signed_count(-0.0), signed_count(-2.6)
    ('+2', '0', '0', '-3')
    """
    if not _finite(x):
        return "-"
    n = round(float(x))
    return "0" if n == 0 else f"{n:+d}"


def with_unit(n: str, unit: str, singular: str) -> str:
    """``"+2 battalions"``, ``"-1 battalion"``, ``"0 battalions"``."""
    return f"{n} {singular if n.lstrip('+-') == '1' else unit}"


def chance_text(p: float | None) -> str:
    """``0.734 -> "73%"``; tiny but non-zero shares are not rounded to 0 or 100; NaN -> ``""``."""
    if not _finite(p):
        return ""
    p = _number(p)
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 < p < 1:
        return ">99%"
    return f"{100 * p:.0f}%"


def _horizon(horizon_end: float) -> str:
    return quarter_text(horizon_end)


def milestone_label(median: float, chance: float, horizon_end: float, long: bool = True) -> str:
    """A US-track milestone told straight: the median quarter among the draws that reach it
    and the chance of reaching it by the horizon's last quarter.

    ``long``: ``"median 2031Q3 · 18% by 2032Q3"``; short: ``"median 2031Q3 · 18%"`` (the
    view's heading then says what the percentage is). No draw reaches it:
    ``"not by 2032Q3 · 0%"``.

    >>> milestone_label(2031.5, 0.18, 2032.5)
    'median 2031Q3 · 18% by 2032Q3'
    """
    p = chance_text(chance)
    if not _finite(median):
        head = f"not by {_horizon(horizon_end)}"
        return f"{head}{SEP}{p}" if p else head
    head = f"median {quarter_text(median)}"
    if not p:
        return head
    return f"{head}{SEP}{p} by {_horizon(horizon_end)}" if long else f"{head}{SEP}{p}"


def delivery_label(t: float, chance: float, horizon_end: float, long: bool = True) -> str:
    """An Indian squadron: the quarter the scenario's central run delivers it and the chance of
    delivery by the horizon's last quarter (``"2027Q4 · 98% by 2032Q3"``; short
    ``"2027Q4 · 98%"``); not delivered in the central run: ``"not by 2032Q3 · 12%"``.

    >>> delivery_label(2027.75, 0.98, 2032.5)
    '2027Q4 · 98% by 2032Q3'
    """
    p = chance_text(chance)
    head = quarter_text(t) if _finite(t) else f"not by {_horizon(horizon_end)}"
    if not p:
        return head
    return f"{head}{SEP}{p} by {_horizon(horizon_end)}" if long and _finite(t) else f"{head}{SEP}{p}"


def chance_key(horizon_end: float) -> str:
    """What a bare percentage beside a date means (for a view's heading)."""
    return f"%: chance by {_horizon(horizon_end)}"


def refusal_text(outcomes: Mapping[str, float], ask: float | None = None) -> str:
    """The consent gate in a few words, "" when the return is agreed or none is at stake.

    ``outcomes`` holds the run's ``deal_agreed``, ``ru_max_share`` and ``tr_min_share``
    (Model v3); ``ask`` is the compensation share the terms ask (decides which side refuses:
    above Russia's highest price, Russia; otherwise Turkiye).

    >>> refusal_text({"deal_agreed": 0.0, "ru_max_share": 0.5, "tr_min_share": 0.1}, 0.6)
    'refused: Russia pays at most 50%'
    >>> refusal_text({"deal_agreed": 1.0, "ru_max_share": 0.5, "tr_min_share": 0.1}, 0.4)
    ''
    """
    agreed = _number(outcomes.get("deal_agreed"))
    if math.isnan(agreed) or agreed >= 0.5:
        return ""
    ru, tr, asked = _number(outcomes.get("ru_max_share")), _number(outcomes.get("tr_min_share")), _number(ask)
    if not math.isnan(asked + ru + tr) and asked <= ru:  # Russia would pay it: Turkiye refuses
        return f"refused: Turkiye needs at least {100 * tr:.0f}%"
    if not math.isnan(ru):
        return f"refused: Russia pays at most {max(0.0, 100 * ru):.0f}%"
    return "refused"


def _number(x: Any) -> float:
    """``x`` as a float; NaN for None or anything not a finite number."""
    return float(x) if _finite(x) else math.nan


def difference_note(end: float) -> str:
    """The stock view's difference at the horizon's end: ``"vs status quo at the end: +2
    battalions"`` (``0``, never ``-0``)."""
    return f"vs status quo at the end: {with_unit(signed_count(end), 'battalions', 'battalion')}"
