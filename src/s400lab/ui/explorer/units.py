"""Numbers as people type them: how a register value is shown in, and read from, a control.

Widget-free (tested without a kernel). The model keeps its own units (shares 0..1, decimal
years); a person reads and types

- a **share or probability** in percent: the refund share 0.3 shows as ``30`` in a box labelled
  ``(% of US$2.5bn)``; typing ``30`` gives 0.3 (never 30 clamped to 1);
- a **quarter** as ``2027Q3`` (the register's ``year`` rows on the quarter grid); typing
  ``2027Q3`` (or ``2027 q3``) gives 2027.5, a decimal year is refused with the form to use;
- anything else in the register's own unit.

A value outside the register's range is refused by the register's own rule
(:meth:`s400lab.model.register.Parameter.validate`); :func:`range_text` says the range in the
units the person typed in.
"""

from __future__ import annotations

import math
import re
from typing import Any

from s400lab.model.formatting import quarter_label
from s400lab.model.register import Parameter

__all__ = [
    "from_shown",
    "is_percent",
    "is_quarter",
    "parse_quarter",
    "quarter_options",
    "range_text",
    "shown_text",
    "shown_unit",
    "to_shown",
]

_QUARTER = re.compile(r"^\s*(\d{4})\s*[-/ ]?\s*[Qq]\s*([1-4])\s*$")


def is_percent(p: Parameter) -> bool:
    """A share or a probability (unit ``share...`` or ``probability``): shown in percent."""
    unit = p.unit.strip().lower()
    return p.type == "float" and not p.choices and (unit.startswith("share") or unit == "probability")


def is_quarter(p: Parameter) -> bool:
    """A date on the quarter grid (unit ``year``, step 0.25): shown and typed as ``2027Q3``."""
    return p.type == "float" and p.unit.strip() == "year" and math.isclose(float(p.step), 0.25)


def shown_unit(p: Parameter) -> str:
    """The unit the person reads: ``"% of US$2.5bn"`` for ``"share of US$2.5bn"``, ``"%"`` for a
    probability, ``""`` for a quarter (the value says it), else the register's unit."""
    unit = p.unit.strip()
    if is_percent(p):
        rest = unit[len("share") :].strip() if unit.lower().startswith("share") else ""
        return f"% {rest}".rstrip()
    if is_quarter(p):
        return ""
    return unit


def _percent(value: float) -> float | int:
    x = round(float(value) * 100, 6)
    return int(x) if x.is_integer() else x


def to_shown(p: Parameter, value: Any) -> Any:
    """The control's value for model value ``value`` (percent, ``"2027Q3"`` or unchanged)."""
    if is_percent(p):
        return float(_percent(value))
    if is_quarter(p):
        return quarter_label(float(value))
    return value


def parse_quarter(text: Any) -> float:
    """``"2027Q3"`` -> 2027.5 (the quarter's start as a decimal year); ValueError otherwise."""
    m = _QUARTER.match(str(text))
    if not m:
        raise ValueError(f"{str(text).strip()[:20]!r} is not a quarter; type it as 2027Q3")
    return int(m.group(1)) + (int(m.group(2)) - 1) / 4


def from_shown(p: Parameter, shown: Any) -> Any:
    """The model value of what the control shows (ValueError if it cannot be read)."""
    if is_percent(p):
        if isinstance(shown, bool) or not isinstance(shown, (int, float)) or not math.isfinite(shown):
            raise ValueError(f"{shown!r} is not a number of percent")
        return round(float(shown) / 100, 10)
    if is_quarter(p):
        return parse_quarter(shown)
    return shown


def shown_text(p: Parameter, value: Any, start: float | None = None) -> str:
    """A model value as the person reads it, with its unit: ``"30%"``, ``"2027Q3"``, ``"3 months"``;
    a count of quarters after the start (``return_quarter``) also names its quarter when the
    start quarter ``start`` is given: ``"3 quarters (2027Q3)"``."""
    if p.unit.strip() == "quarters" and p.name.endswith("_quarter") and start is not None:
        return f"{int(value)} quarters ({quarter_label(float(start) + int(value) / 4)})"
    if is_percent(p):
        return f"{_percent(value):g}{shown_unit(p)}"
    if is_quarter(p):
        return quarter_label(float(value))
    if isinstance(value, str):
        return value.replace("_", " ")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:g} {p.unit}".strip() if isinstance(value, (int, float)) else str(value)


def range_text(p: Parameter) -> str:
    """The allowed values in the units the person types: ``"between 0% and 100% of US$2.5bn"``,
    ``"between 2026Q2 and 2026Q4"``, ``"one of 2, 4 battalions"``, ``"one of: cash, none"``."""
    if p.type == "choice":
        return "one of: " + ", ".join(c.replace("_", " ") for c in p.choices)
    if p.type == "bool":
        return "yes or no"
    if p.discrete_values:
        return "one of " + ", ".join(shown_text(p, v) for v in p.discrete_values)
    lo, hi = shown_text(p, p.low), shown_text(p, p.high)
    if is_percent(p):
        lo = f"{_percent(p.low):g}%"
    elif not is_quarter(p):
        lo = f"{p.low:g}"
    return f"between {lo} and {hi}"


def quarter_options(p: Parameter) -> list[str]:
    """Every quarter a quarter control allows, in order (its drop-down list)."""
    n = int(round((p.high - p.low) * 4))
    return [quarter_label(p.low + i / 4) for i in range(n + 1)]
