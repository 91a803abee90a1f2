"""How numbers of the model read on screen and on paper: one home for each rule.

- a quarter: :func:`quarter_label` (``2027.25 -> "2027Q2"``; NaN reads "not within horizon"),
  :func:`quarter_text` (axis ticks: off-grid numbers as ``"%g"``);
- an outcome value without its unit (the unit has its own column, :func:`unit_text`):
  :func:`format_outcome` (whole battalions, squadrons, quarters and months; yes/no; US$ to
  two decimals; "not by 2031Q4" past the horizon);
- the difference of an outcome from a baseline: :func:`format_change`;
- a parameter value with its unit, never in scientific notation: :func:`format_quantity`;
- a single run's date of a Turkiye-US milestone Congress can block: :func:`central_date_text`
  ("2027Q2 if not blocked").

The explorer (ui), the live ensemble (analysis), the plots and the brief (reporting) call
these; none of them formats an outcome or a quarter itself. Nothing here imports widgets or
matplotlib.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = [
    "BLOCKABLE_DATES",
    "IF_NOT_BLOCKED",
    "WHOLE_UNITS",
    "central_date_text",
    "format_change",
    "format_number",
    "format_outcome",
    "format_quantity",
    "is_missing",
    "is_timing",
    "quarter_label",
    "quarter_text",
    "unit_text",
    "with_unit",
]

#: Units shown as whole numbers (the model's fractions are not meaningful on a projector).
WHOLE_UNITS = frozenset({"battalions", "battalion-eq", "squadrons", "quarters", "months"})

#: Units that read as a plain count: singular form used for exactly one ("1 battalion").
_SINGULAR = {
    "battalions": "battalion",
    "squadrons": "squadron",
    "quarters": "quarter",
    "months": "month",
    "years": "year",
}
#: Units that describe the number rather than measure it: the value is shown bare.
_BARE_UNITS = {"uniform 0-1", "weight"}


def is_missing(x: Any) -> bool:
    """True for None and NaN (an outcome not reached within the horizon)."""
    return x is None or (isinstance(x, (float, np.floating)) and math.isnan(x))


def is_timing(unit: str) -> bool:
    """True for an outcome given as the decimal year of a quarter's start."""
    return unit == "year"


def quarter_label(t: float | None, missing: str = "not within horizon") -> str:
    """Label of the quarter starting at decimal year ``t``; ``missing`` for None or NaN.

    >>> quarter_label(2027.25), quarter_label(2027.99), quarter_label(float("nan"), "-")
    ('2027Q2', '2028Q1', '-')
    """
    if t is None or not math.isfinite(float(t)):
        return missing
    q = int(round(float(t) * 4))
    return f"{q // 4}Q{q % 4 + 1}"


def quarter_text(t: float) -> str:
    """An axis tick: ``2027.25 -> "2027Q2"`` on the quarter grid, other numbers as ``"%g"``.

    >>> quarter_text(2027.25), quarter_text(2027.1)
    ('2027Q2', '2027.1')
    """
    steps = float(t) * 4
    if math.isfinite(steps) and abs(steps - round(steps)) < 4e-6:
        return quarter_label(t)
    return f"{t:g}"


def unit_text(unit: str) -> str:
    """The unit column of an outcome table: empty for quarters and yes/no (the value says it)."""
    return "" if is_timing(unit) or unit == "0/1" else unit


def format_outcome(value: float, unit: str, horizon_end: float | None = None) -> str:
    """The text of an outcome value, without its unit (the unit has its own column).

    Parameters
    ----------
    value : float
        NaN = not within the horizon.
    unit : str
        The model's unit: ``year`` (a quarter), ``0/1`` (yes/no), ``battalions``, ``US$ bn``...
    horizon_end : float, optional
        Start of the last quarter simulated; named in the "not within" text.

    Returns
    -------
    str
        ``"2028Q1"``, ``"yes"``, ``"111"`` (whole battalions/quarters/months), ``"1.25"``
        (US$ bn and other amounts), ``"not by 2032Q3"`` for NaN.

    Examples
    --------
    >>> format_outcome(110.77, "battalions"), format_outcome(float("nan"), "year", 2031.75)
    ('111', 'not by 2031Q4')
    """
    if is_missing(value) or not math.isfinite(float(value)):
        return "not within horizon" if horizon_end is None else f"not by {quarter_label(horizon_end)}"
    value = float(value)
    if is_timing(unit):
        return quarter_label(value)
    if unit == "0/1":
        return "yes" if value >= 0.5 else "no"
    if unit in WHOLE_UNITS:
        return str(int(round(value)))
    return f"{value:,.2f}"


#: Turkiye-US milestones a congressional block can stop. A single run holds the block draws
#: (``u_block_*``) at 0.5, above the central block chances, so it never shows a block, and its
#: durations sit at the modes of their triangular ranges (1-3 quarters before the medians of
#: the draws): its date of these is the date *if not blocked*, and says so.
BLOCKABLE_DATES = ("sanctions_lifted_q", "f35_readmission_q", "f35_first_delivery_q")
IF_NOT_BLOCKED = "if not blocked"


def central_date_text(outcome: str, value: float, horizon_end: float | None = None, mark: str = "") -> str:
    """A single run's date as shown: :func:`format_outcome`, with ``"if not blocked"`` after a
    reached milestone of :data:`BLOCKABLE_DATES` (the median and the chance over the draws
    go beside it, see :meth:`s400lab.analysis.live.LiveRun.milestone_text`). ``mark``: a
    footnote mark used instead of the words where room is short (the printed brief).

    >>> central_date_text("sanctions_lifted_q", 2027.25), central_date_text("india_sq5_q", 2027.25)
    ('2027Q2 if not blocked', '2027Q2')
    >>> central_date_text("sanctions_lifted_q", 2027.25, mark="*")
    '2027Q2*'
    """
    text = format_outcome(value, "year", horizon_end)
    if outcome in BLOCKABLE_DATES and not is_missing(value) and math.isfinite(float(value)):
        return f"{text}{mark}" if mark else f"{text} {IF_NOT_BLOCKED}"
    return text


def format_change(value: float, base: float, unit: str, same: str = "") -> str:
    """Difference of ``value`` from ``base`` as shown next to it (``same`` = no change).

    A date reached in one run and not in the other is named ("now reached", "no longer
    reached"), never a bare "changed"; quarters count as ``"+2 q"``, whole units as ``"+2"``,
    amounts to two decimals.

    >>> format_change(2028.5, 2028.0, "year"), format_change(1.0, 1.0, "0/1", same="same")
    ('+2 q', 'same')
    """
    vm, bm = is_missing(value), is_missing(base)
    if vm and bm:
        return same
    if (is_timing(unit) or unit == "0/1") and vm != bm:
        return "no longer reached" if vm else "now reached"
    if vm or bm:
        return "n/a"
    if unit == "0/1":
        return same if (value >= 0.5) == (base >= 0.5) else ("now yes" if value >= 0.5 else "now no")
    d = float(value) - float(base)
    if is_timing(unit):
        q = int(round(d * 4))
        return same if q == 0 else f"{q:+d} q"
    if unit in WHOLE_UNITS:
        return same if abs(d) < 0.5 else f"{d:+.0f}"
    return same if abs(d) < 0.005 else f"{d:+,.2f}"


def format_number(x: float) -> str:
    """A plain decimal (thousands separators, no trailing zeros, never scientific notation).

    >>> format_number(2500.0), format_number(0.25), format_number(-1.5), format_number(1e-5)
    ('2,500', '0.25', '-1.5', '0.00001')
    """
    if x == 0:
        return "0"
    if x == round(x) and abs(x) < 1e15:
        return f"{x:,.0f}"
    digits = 2 if abs(x) >= 1 else max(3, 2 - math.floor(math.log10(abs(x))))
    text = f"{x:,.{min(digits, 12)}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def with_unit(text: str, x: float, unit: str) -> str:
    """``text`` (the number ``x``) followed by its unit: singular for one ("1 battalion"),
    ``"\u00d70.5"`` for a multiplier (unit ``x``), bare for a weight or a uniform draw."""
    if not unit or unit in _BARE_UNITS:
        return text
    if unit == "x":
        return f"\u00d7{text}"
    if abs(x) == 1:
        first, _, rest = unit.partition(" ")
        unit = " ".join(s for s in (_SINGULAR.get(first, first), rest) if s)
    return f"{text} {unit}"


def format_quantity(value: Any, unit: str) -> str:
    """A parameter value with its unit, as the brief prints it.

    Parameters
    ----------
    value : bool, str, int or float
        The value (a choice id, a flag or a number).
    unit : str
        The register's unit; ``"year"`` marks a decimal year, shown as its quarter.

    Returns
    -------
    str
        ``"2026Q2"`` for a decimal year on the quarter grid (``2026.25``), ``"yes"``/``"no"``
        for a flag, the choice id for a choice, else the number without scientific notation
        and with its unit (``"1 battalion"``, ``"0.05 US$ bn / year"``, ``"x0.5"`` for a
        multiplier); ``"n/a"`` for NaN.

    Examples
    --------
    >>> format_quantity(2026.25, "year"), format_quantity(2, "battalions")
    ('2026Q2', '2 battalions')
    """
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    x = float(value)
    if not math.isfinite(x):
        return "n/a"
    if is_timing(unit):
        return quarter_label(x) if abs(x * 4 - round(x * 4)) < 1e-9 else f"{x:.2f} (year)"
    return with_unit(format_number(x), x, unit)
