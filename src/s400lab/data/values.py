"""The one rule for "is this value valid for this parameter?" (issue 24, item 1).

Pure functions, no I/O: the data checks (a row of ``scenario_values.csv`` or a default in
``parameters.csv``), the register (:meth:`s400lab.model.register.Parameter.validate`), and
through it the model API, scenario files and the explorer all ask :func:`judge`. It lives in the
data layer so that data validation can use it (layers import downward only).

A parameter is described by anything with the register's attributes (:class:`Spec`): ``type``
(``float``, ``int``, ``bool``, ``choice``), ``kind``, ``unit``, ``low``, ``high``, ``choices``
and ``distribution``. A value may be text (from a file) or a Python value. The verdict says why
a value is refused, as a ``kind`` each caller words in its own style, and a plain message:

* ``choice``: a choice parameter's value is not one of its choices;
* ``bool``: not true or false;
* ``number``: not a finite number of the data's grammar (:func:`s400lab.data.cells.number_problem`);
* ``integer``: an int parameter's value is not whole;
* ``range``: outside ``low .. high``;
* ``discrete``: a parameter drawn from a ``discrete`` distribution takes only its listed values
  (Turkiye's holding: 2 or 4 battalions, never 3);
* ``quarter``: a setting in years starts a quarter (2026.25, not 2026.1).

Levers that depend on each other (:func:`lever_bounds`, :func:`lever_problems`) are judged on a
whole set of values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from s400lab._inputs import excerpt, quote_excerpt
from s400lab.data.cells import number_problem
from s400lab.data.literals import BOOL_FALSE, BOOL_TRUE

__all__ = ["Spec", "Verdict", "as_number", "judge", "lever_bounds", "lever_problems", "message", "refused"]

_TRUE = frozenset(BOOL_TRUE)
_FALSE = frozenset(BOOL_FALSE)


class Spec(Protocol):
    """What the rule needs to know of a parameter (a register row has these attributes)."""

    @property
    def name(self) -> str: ...

    @property
    def type(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def unit(self) -> str: ...

    @property
    def low(self) -> float: ...

    @property
    def high(self) -> float: ...

    @property
    def choices(self) -> tuple[str, ...]: ...

    @property
    def distribution(self) -> str: ...


def discrete_values(spec: Spec) -> tuple[float, ...]:
    """The listed values of a numeric parameter drawn from a ``discrete`` distribution."""
    if spec.distribution != "discrete" or spec.type == "choice" or not spec.choices:
        return ()
    return tuple(float(c) for c in spec.choices)


def on_quarter_grid(spec: Spec) -> bool:
    """True for settings measured in decimal years: they must start a quarter."""
    return spec.kind == "setting" and spec.unit == "year"


@dataclass(frozen=True)
class Verdict:
    """The typed value when accepted (``kind`` None), else why not (``kind`` and ``detail``)."""

    value: Any
    kind: str | None = None
    detail: str = ""


def as_number(value: Any, where: str, hint: str) -> float:
    """``value`` as a finite float, or one ``ValueError`` starting with ``<where>: <excerpt of
    value>`` (never an ``OverflowError``): refuses bools, NaN, infinities and integers too large
    for a float; text must follow the data's number grammar
    (:func:`s400lab.data.cells.number_problem`), the same rule as a CSV cell."""
    what = f"{where}: {excerpt(value)}"
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{what} is not a number; {hint}")
    if isinstance(value, str):
        why = number_problem(value)
        if why:
            raise ValueError(f"{where}: {why}; {hint}")
    try:
        x = float(value)
    except OverflowError:
        raise ValueError(f"{what} is too large a number; {hint}") from None
    except (TypeError, ValueError):
        raise ValueError(f"{what} is not a number; {hint}") from None
    if math.isnan(x):
        raise ValueError(f"{what} is not a number (NaN); {hint}")
    if not math.isfinite(x):
        raise ValueError(f"{what} is not a finite number; {hint}")
    return x


def judge(spec: Spec, value: Any, where: str = "value", hint: str = "") -> Verdict:
    """Is ``value`` valid for parameter ``spec``? The typed value, or why not (see the module).

    ``where`` and ``hint`` only word the ``number`` detail (as :func:`as_number` does)."""
    if spec.type == "choice":
        if isinstance(value, str) and value in spec.choices:
            return Verdict(value)
        return Verdict(None, "choice")
    if spec.type == "bool":
        if isinstance(value, (bool, int)) and not isinstance(value, float) and value in (0, 1):
            return Verdict(bool(value))
        if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
            return Verdict(value.lower() in _TRUE)
        return Verdict(None, "bool")
    try:
        x = as_number(value, where, hint)
    except ValueError as exc:
        return Verdict(None, "number", str(exc))
    if spec.type == "int":
        if x != round(x):
            return Verdict(None, "integer")
        x = int(round(x))
    if x < spec.low or x > spec.high:
        return Verdict(None, "range")
    listed = discrete_values(spec)
    if listed and not any(abs(x - v) < 1e-9 for v in listed):
        return Verdict(None, "discrete")
    if on_quarter_grid(spec) and abs(x * 4 - round(x * 4)) > 1e-9:
        return Verdict(None, "quarter")
    return Verdict(x)


def refused(spec: Spec, x: np.ndarray) -> np.ndarray:
    """:func:`judge` for an array of numbers of a ``float`` or ``int`` parameter (draws): True
    where a value is refused (NaN or infinite, outside the range, not whole, not a listed value,
    not the start of a quarter)."""
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(x) | (x < spec.low) | (x > spec.high)
        if spec.type == "int":
            bad |= np.isfinite(x) & (x != np.rint(x))
        listed = discrete_values(spec)
        if listed:  # e.g. Turkiye's holding: 2 or 4 battalions, never 3
            near = np.zeros(x.shape, dtype=bool)
            for v in listed:
                near |= np.abs(x - v) < 1e-9
            bad |= ~near
        if on_quarter_grid(spec):
            bad |= np.abs(x * 4 - np.rint(x * 4)) > 1e-9
    return bad


def _fmt(x: float) -> str:
    return f"{x:g}"


def message(spec: Spec, value: Any, verdict: Verdict) -> str:
    """The data's wording of a refusal (a file's cell: ``"3" is not one of the values 2, 4``)."""
    q = quote_excerpt(value)
    kind = verdict.kind
    if kind == "choice":
        listing = ", ".join(c for c in spec.choices if c)
        return f"{q} is not one of the choices: {listing if len(listing) <= 200 else excerpt(listing, 200)}"
    if kind == "bool":
        return f"{q} is not true or false"
    if kind == "number":
        return f"{q} is not a number"
    if kind == "integer":
        return f"{q} is not a whole number"
    if kind == "range":
        return f"{q} is outside the range {_fmt(spec.low)} .. {_fmt(spec.high)}"
    if kind == "discrete":
        return f"{q} is not one of the values {', '.join(_fmt(v) for v in discrete_values(spec))}"
    if kind == "quarter":
        return f"{q} is not the start of a quarter; use a multiple of 0.25 (e.g. 2026.75 = 2026Q4)"
    return ""


# --------------------------------------------------------------------------- levers together


def lever_bounds(values: Mapping[str, Any]) -> dict[str, tuple[float, float]]:
    """Ranges of the levers that depend on other values (for the explorer's controls).

    Currently ``return_battalions``: 1 .. ``tr_holding_bn - 1`` (a partial return keeps at
    least one battalion; 1 with 2 battalions held, 3 with 4).

    >>> lever_bounds({"tr_holding_bn": 2})["return_battalions"]
    (1.0, 1.0)
    """
    holding = float(values["tr_holding_bn"])
    return {"return_battalions": (1.0, max(1.0, holding - 1.0))}


#: The levers :func:`lever_problems` reads (a file row setting one of them is named in its message).
COHERENT_LEVERS = ("tr_action", "return_battalions", "tr_holding_bn", "compensation_form")


def lever_problems(values: Mapping[str, Any]) -> list[str]:
    """Incoherent combinations of levers in ``values``; each message names the levers.

    - ``tr_action = 'return_partial'`` with ``return_battalions`` above ``tr_holding_bn - 1``
      (Turkiye cannot hand back that many and keep a battalion);
    - ``tr_action = 'transfer_third_party'`` with ``compensation_form = 'energy_offset'`` (a
      third party cannot pay by discounting Turkiye's Russian oil and gas bills).

    Returns
    -------
    list of str
        Empty when the levers fit together.
    """
    problems = []
    action = values.get("tr_action")
    lo, hi = lever_bounds(values)["return_battalions"]
    if action == "return_partial" and not lo <= float(values["return_battalions"]) <= hi:
        problems.append(
            f"levers tr_action='return_partial', return_battalions={values['return_battalions']} "
            f"and tr_holding_bn={values['tr_holding_bn']} do not fit: a partial return keeps at "
            f"least one battalion, so return_battalions must be {lo:g}..{hi:g} "
            "(or choose tr_action='return_full')"
        )
    if action == "transfer_third_party" and values.get("compensation_form") == "energy_offset":
        problems.append(
            "levers tr_action='transfer_third_party' and compensation_form='energy_offset' do not "
            "fit: a third party cannot pay by an offset on Turkiye's Russian energy bills; choose "
            "compensation_form 'cash' or 'none'"
        )
    return problems
