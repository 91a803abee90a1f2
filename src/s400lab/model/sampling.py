"""Drawing the uncertain parameters: Latin hypercube (scipy.stats.qmc) or plain Monte Carlo.

Each uncertainty row of the register names a distribution over ``low..high``:

- ``uniform``: ``low + u * (high - low)``;
- ``triangular``: mode ``central`` (inverse CDF, numpy only);
- ``discrete``: the ``;``-separated values in ``choices``, equally likely unless a weight
  setting is named in :data:`DISCRETE_WEIGHTS` (see below);
- ``bernoulli``: 1 with probability ``central`` (for bool parameters).

Weighted discrete values
------------------------
A numeric ``discrete`` uncertainty may give one or more of its values an explicit probability
that is itself a register row (``kind = setting``, unit ``probability``, range 0..1), so the
weight is visible, sourced and editable like every other assumption. The convention is the
mapping :data:`DISCRETE_WEIGHTS` ``{parameter: {value: weight setting}}``; currently::

    DISCRETE_WEIGHTS = {
        "tr_holding_bn": {4.0: "p_tr_holding_4"},
        "war_course": {"escalation": "p_war_escalation", "ceasefire": "p_war_ceasefire"},
    }

i.e. Turkiye's holding is 4 battalions with probability ``p_tr_holding_4`` and 2 with
``1 - p_tr_holding_4`` (conflict C1: 2 is the working figure, 4 a sensitivity case). Values
without a weight share what is left equally (``india_undelivered_sq``: 0, 1, 2 equally likely).
The weight is read from the scenario's values (``values=``; default: the register defaults),
so a scenario can change it with ``with_changes(p_tr_holding_4=...)``; weights that add up to
more than 1 raise ``ValueError``. The uniform ``u`` is mapped by the inverse CDF over the values
in listed order (value ``i`` for ``cum[i-1] <= u < cum[i]``), so the draw is monotone in ``u``
and common random numbers (same seed) keep working across weights. The weight changes only
ensembles, Sobol and tornado ranges; the central single run keeps ``central`` (2 battalions).

Drawn switches: the course of the war (an opt-in mixture)
--------------------------------------------------------
The course of the war is an evidence switch whose readings are run side by side
(``compare_readings(sc, "war_course")``): no hidden weight is drawn. By default
(``p_war_escalation = p_war_ceasefire = 0``) every draw of an ensemble uses the scenario's own
``war_course``. A ``choice`` setting named in :data:`DISCRETE_WEIGHTS` can still be drawn as an
opt-in *mixture* (see :func:`drawn_switches`, :func:`mixture_on`): with a weight above 0,
``war_course`` is ``escalation`` with probability ``p_war_escalation``, ``ceasefire`` with
``p_war_ceasefire`` and ``attrition`` with the rest (a sum above 1 is refused, naming both
settings), and the scenario's ``war_course`` must then be ``attrition`` -- a scenario that
sets another course together with a mixture weight (e.g. ceasefire with
``p_war_escalation = 1``) is refused by :func:`weight_problems`, naming both. In the draws the
column holds the index of the course in the register's ``choices`` (0 ceasefire, 1 attrition,
2 escalation: ordered by losses), so every column stays numeric. Its uniform is always drawn,
as the last column, so pinning the course or changing its weights leaves every other draw
unchanged (common random numbers). Which columns an ensemble pins is :func:`pinned_names`:
the one rule of :func:`s400lab.model.run_ensemble` and of the explorer's live ensemble.

Integer parameters drawn from a continuous distribution are rounded to the nearest integer;
dates in decimal years (unit ``year``, e.g. India's promised quarters) to the nearest quarter
start (a multiple of 0.25), so the quarter at ``high`` can be drawn too.
Sampling is seeded (``numpy.random.Generator``): the same seed gives the same draws.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from s400lab.model.register import Parameter, ParameterRegister

__all__ = [
    "DISCRETE_WEIGHTS",
    "mixture_on",
    "pinned_names",
    "check_discrete_weights",
    "discrete_probabilities",
    "drawn_switches",
    "latin_hypercube",
    "weight_problems",
    "sample",
    "transform",
    "triangular_ppf",
]

#: Numeric ``discrete`` uncertainties whose values carry an explicit probability:
#: ``{parameter: {value: name of a probability setting in the register}}``. Values not named
#: share the remaining probability equally. A ``choice`` setting listed here (keys are its
#: choices) is a drawn switch: see the module docstring and :func:`drawn_switches`.
DISCRETE_WEIGHTS: dict[str, dict[Any, str]] = {
    "tr_holding_bn": {4.0: "p_tr_holding_4"},
    "war_course": {"escalation": "p_war_escalation", "ceasefire": "p_war_ceasefire"},
}


def drawn_switches(register: ParameterRegister) -> list[str]:
    """Choice settings that ensembles draw per draw (named in :data:`DISCRETE_WEIGHTS`).

    >>> from s400lab.model import load_register
    >>> drawn_switches(load_register())
    ['war_course']
    """
    return [name for name in DISCRETE_WEIGHTS if name in register and register.params[name].type == "choice"]


def mixture_on(
    values: Mapping[str, Any], name: str = "war_course", register: ParameterRegister | None = None
) -> bool:
    """True if a drawn switch's mixture is on: one of its weights is above 0 in ``values``
    (a weight missing from ``values`` takes its register default).

    >>> mixture_on({"p_war_escalation": 0.0, "p_war_ceasefire": 0.0})
    False
    >>> mixture_on({"p_war_escalation": 0.2, "p_war_ceasefire": 0.0})
    True
    """
    for setting in DISCRETE_WEIGHTS.get(name, {}).values():
        if setting in values:
            w = values[setting]
        else:
            if register is None:
                from s400lab.model.register import load_register

                register = load_register()
            if setting not in register:
                continue
            w = register[setting].default
        try:
            if float(w) > 0.0:
                return True
        except (TypeError, ValueError):
            continue
    return False


def pinned_names(
    values: Mapping[str, Any], register: ParameterRegister, held: Iterable[str] | None = None
) -> list[str]:
    """What every draw of an ensemble holds at the scenario's value (the one rule of
    :func:`s400lab.model.run_ensemble` and the explorer's live ensemble).

    * every uncertainty the scenario sets away from its register default (a value the user
      changed, e.g. Turkiye's holding of 4);
    * every drawn switch (``war_course``) unless its mixture is on (:func:`mixture_on`); with
      the mixture on, a switch in ``held`` (or, when ``held`` is None, one set away from its
      default) is held too.

    Levers and settings are never drawn, so they always hold.
    """
    defaults = register.defaults()
    out = [u for u in register.uncertainties if values[u] != defaults[u]]
    for s in drawn_switches(register):
        mixed = mixture_on(values, s, register)
        chosen = (s in set(held)) if held is not None else values[s] != defaults[s]
        if not mixed or chosen:
            out.append(s)
    return out


def _sum_message(name: str, used: Mapping[str, float]) -> str:
    terms = " + ".join(f"{s} ({w:g})" for s, w in used.items())
    total = sum(used.values())
    return (
        f"the weights of {name!r} add up to more than 1: {terms} = {total:g}; "
        "lower them so that their sum is at most 1"
    )


def weight_problems(values: Mapping[str, Any], register: ParameterRegister | None = None) -> list[str]:
    """Weight settings of one drawn value that add up to more than 1, e.g.
    ``p_war_escalation + p_war_ceasefire > 1``; each message names the settings.

    A weight missing from ``values`` takes its register default; a weight that is not a
    number is left to the parameter's own validation.

    >>> print(weight_problems({"p_war_escalation": 0.9, "p_war_ceasefire": 0.2})[0][:27])
    the weights of 'war_course'
    >>> weight_problems({"p_war_escalation": 0.5, "p_war_ceasefire": 0.5})
    []
    """
    problems = []
    for name, weights in DISCRETE_WEIGHTS.items():
        used: dict[str, float] = {}
        for setting in weights.values():
            if setting in values:
                w = values[setting]
            else:
                if register is None:
                    from s400lab.model.register import load_register

                    register = load_register()
                if setting not in register:
                    continue
                w = register[setting].default
            try:
                used[setting] = float(w)
            except (TypeError, ValueError):
                continue
        if sum(used.values()) > 1.0 + 1e-12:
            problems.append(_sum_message(name, used))
        course = values.get(name)
        on = {k: w for k, w in used.items() if w > 0}
        if isinstance(course, str) and course != "attrition" and on:
            terms = ", ".join(f"{k} = {w:g}" for k, w in on.items())
            problems.append(
                f"contradictory settings: {name} = {course!r} with {terms}; a weight above 0 draws "
                f"the course per draw (attrition the rest), so set {name} to 'attrition' or the "
                "weights to 0 (readings side by side: compare_readings)"
            )
    return problems


def _values_of(p: Parameter) -> np.ndarray:
    """The listed values of a numeric discrete parameter, or the indices of a choice's choices."""
    if p.type == "choice":
        return np.arange(len(p.choices), dtype=float)
    return np.array(p.discrete_values, dtype=float)


def _index_of(p: Parameter, value: Any) -> int | None:
    """Position of ``value`` among ``p``'s listed values (or choices), None if not listed."""
    if p.type == "choice":
        return p.choices.index(value) if value in p.choices else None
    for i, v in enumerate(p.discrete_values):
        if abs(float(value) - v) < 1e-9:
            return i
    return None


def _label(value: Any) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def triangular_ppf(u: np.ndarray, low: float, mode: float, high: float) -> np.ndarray:
    """Inverse CDF of the triangular distribution on ``[low, high]`` with ``mode``.

    Parameters
    ----------
    u : ndarray
        Probabilities in ``[0, 1]``.
    low, mode, high : float
        ``low <= mode <= high``; a degenerate ``low == high`` returns ``low``.

    Returns
    -------
    ndarray
        Quantiles, same shape as ``u``.
    """
    u = np.asarray(u, dtype=float)
    width = high - low
    if width <= 0:
        return np.full_like(u, low)
    c = (mode - low) / width
    left = low + np.sqrt(u * width * (mode - low))
    right = high - np.sqrt((1.0 - u) * width * (high - mode))
    return np.where(u < c, left, right)


def check_discrete_weights(register: ParameterRegister) -> None:
    """Check :data:`DISCRETE_WEIGHTS` against a register.

    Every weighted parameter must be a numeric ``discrete`` row or a ``choice`` setting listing
    the weighted value, every weight must be a ``setting`` with range within 0..1, and the
    register defaults of one parameter's weights must not add up to more than 1.

    Raises
    ------
    ValueError
        Naming the parameter or the weight setting that does not fit.
    """
    for name, weights in DISCRETE_WEIGHTS.items():
        if name not in register:
            continue  # a register without this parameter (e.g. a test register)
        p = register.params[name]
        if not p.discrete_values and not (p.type == "choice" and p.kind == "setting"):
            raise ValueError(
                f"DISCRETE_WEIGHTS: parameter {name!r} is not a numeric discrete uncertainty "
                "or a choice setting"
            )
        for value, setting in weights.items():
            if _index_of(p, value) is None:
                raise ValueError(
                    f"DISCRETE_WEIGHTS: {_label(value)} is not a value of {name!r} ({p.allowed()})"
                )
            if setting not in register:
                raise ValueError(
                    f"DISCRETE_WEIGHTS: weight of {name!r} = {value:g} names {setting!r}, "
                    "which is not in the register"
                )
            w = register.params[setting]
            if w.kind != "setting" or w.type != "float" or w.low < 0 or w.high > 1:
                raise ValueError(
                    f"DISCRETE_WEIGHTS: {setting!r} must be a float setting within 0..1 "
                    f"(found kind {w.kind!r}, type {w.type!r}, range {w.low:g}..{w.high:g})"
                )
        discrete_probabilities(p, None, register)  # the defaults' weights add up to 1 at most


def discrete_probabilities(
    p: Parameter,
    values: Mapping[str, Any] | None = None,
    register: ParameterRegister | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The values of a numeric ``discrete`` parameter and their probabilities.

    Parameters
    ----------
    p : Parameter
        A numeric parameter with ``distribution == "discrete"``, or a drawn switch (a choice
        setting in :data:`DISCRETE_WEIGHTS`, e.g. ``war_course``).
    values : mapping, optional
        Parameter values of the scenario (e.g. ``Scenario.values``); a weight setting named in
        :data:`DISCRETE_WEIGHTS` is read from here.
    register : ParameterRegister, optional
        Supplies the default of a weight setting missing from ``values`` (default: the
        repository's register).

    Returns
    -------
    vals, probs : ndarray
        The listed values (in ``choices`` order; for a choice setting the indices 0, 1, ...
        of its choices) and probabilities summing to 1.

    Raises
    ------
    ValueError
        If a weight is not a number in 0..1 or the weights add up to more than 1 (the message
        names the weight settings).
    """
    vals = _values_of(p)
    if vals.size == 0:
        raise ValueError(f"parameter {p.name!r} is not a numeric discrete parameter")
    weights = DISCRETE_WEIGHTS.get(p.name, {})
    probs = np.full(vals.size, np.nan)
    used: dict[str, float] = {}
    for value, setting in weights.items():
        if values is not None and setting in values:
            w = values[setting]
        else:
            if register is None:
                from s400lab.model.register import load_register

                register = load_register()
            w = register[setting].default
        try:
            w = float(w)
        except (TypeError, ValueError):
            raise ValueError(f"parameter {setting!r}: {w!r} is not a probability") from None
        if not 0.0 <= w <= 1.0:  # also rejects NaN
            raise ValueError(f"parameter {setting!r}: {w!r} is not a probability in 0..1")
        i = _index_of(p, value)
        if i is not None:
            probs[i] = w
            used[setting] = w
    free = np.isnan(probs)
    rest = 1.0 - np.nansum(probs)
    if rest < -1e-12:
        raise ValueError(_sum_message(p.name, used))
    if free.any():
        probs[free] = max(rest, 0.0) / free.sum()
    elif abs(rest) > 1e-9:
        raise ValueError(f"parameter {p.name!r}: the weights of its values do not add up to 1")
    return vals, probs


def _inverse_cdf(probs: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Index ``i`` for ``cum[i-1] <= u < cum[i]``; a value of probability 0 is never drawn."""
    cum = np.cumsum(probs)
    cum[-1] = 1.0  # guard against rounding: every u < 1 gets a value
    return np.minimum(np.searchsorted(cum, u, side="right"), len(probs) - 1)


def transform(
    p: Parameter,
    u: np.ndarray,
    values: Mapping[str, Any] | None = None,
    register: ParameterRegister | None = None,
) -> np.ndarray:
    """Map uniform numbers ``u`` in [0, 1) to draws of parameter ``p``.

    Parameters
    ----------
    p : Parameter
        An uncertainty with a distribution other than ``none``.
    u : ndarray
        Uniform numbers in [0, 1).
    values : mapping, optional
        The scenario's parameter values; only used for a weighted ``discrete`` parameter (see
        :data:`DISCRETE_WEIGHTS`). Default: the register defaults.
    register : ParameterRegister, optional
        Register to take a missing weight's default from.

    Returns
    -------
    ndarray
        Draws, clipped to ``low..high`` (integers rounded, decimal-year dates on quarter starts);
        for a drawn switch (e.g. ``war_course``) the index of the drawn choice.
    """
    u = np.asarray(u, dtype=float)
    if p.type == "choice":
        if p.name not in DISCRETE_WEIGHTS:
            raise ValueError(f"parameter {p.name!r} is a choice and cannot be drawn")
        vals, probs = discrete_probabilities(p, values, register)
        return vals[_inverse_cdf(probs, u)]
    if p.distribution == "uniform":
        x = p.low + u * (p.high - p.low)
    elif p.distribution == "triangular":
        x = triangular_ppf(u, p.low, p.central, p.high)
    elif p.distribution == "discrete":
        vals, probs = discrete_probabilities(p, values, register)
        x = vals[_inverse_cdf(probs, u)]
    elif p.distribution == "bernoulli":
        x = (u < p.central).astype(float)
    else:
        raise ValueError(f"parameter {p.name!r}: distribution {p.distribution!r} cannot be sampled")
    if p.type == "int":
        x = np.rint(x)
    elif p.unit == "year":
        # a date in decimal years: nearest quarter start (as integers are rounded), so every
        # quarter of low..high can be drawn and the mean of the continuous draw is kept
        x = np.floor(x * 4.0 + 0.5) / 4.0
    return np.clip(x, p.low, p.high)


def latin_hypercube(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    """A scrambled Latin hypercube of ``n`` points in ``d`` dimensions, one row per dimension.

    The same numbers as ``scipy.stats.qmc.LatinHypercube(d=d, rng=rng).random(n).T`` (strength
    1, scrambled): like scipy, it draws from a child generator spawned from ``rng``, first the
    uniform jitter, then one shuffle of ``1..n`` per dimension, in order; but it computes into
    one ``(d, n)`` block, so each dimension is contiguous and no ``(n, d)`` temporaries are
    made. ``tests/model/test_sampling_speed.py`` checks the equality with scipy.
    """
    child = rng.spawn(1)[0]
    jitter = child.uniform(size=(n, d))
    u = np.empty((d, n))
    u[:] = np.arange(1, n + 1, dtype=float)  # 1..n exactly, shuffled as scipy shuffles its ints
    for row in u:
        child.shuffle(row)
    u -= jitter.T
    u /= n
    return u


def sample(
    register: ParameterRegister,
    n: int,
    seed: int | None = None,
    method: str = "lhs",
    names: Iterable[str] | None = None,
    values: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Draw ``n`` values of the uncertain parameters.

    Parameters
    ----------
    register : ParameterRegister
    n : int
        Number of draws (>= 1).
    seed : int, optional
        Seed of the ``numpy.random.Generator`` (same seed -> identical draws).
    method : {"lhs", "mc"}
        Latin hypercube (:func:`latin_hypercube`, the numbers of
        ``scipy.stats.qmc.LatinHypercube``) or independent uniforms.
    names : iterable of str, optional
        Parameters to draw (default: every ``kind == "uncertainty"`` row). A drawn switch
        (:func:`drawn_switches`, e.g. ``war_course``) may be named too: its column holds the
        index of the drawn choice.
    values : mapping, optional
        The scenario's parameter values (``Scenario.values``), from which weight settings of
        discrete parameters are read (e.g. ``p_tr_holding_4``); default: the register defaults.

    Returns
    -------
    pandas.DataFrame
        ``n`` rows, one float column per drawn parameter (one float block).
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    names = list(register.uncertainties if names is None else names)
    switches = drawn_switches(register)
    for nm in names:
        p = register[nm]
        if not p.is_numeric and nm not in switches:
            raise ValueError(f"parameter {nm!r} is a choice and cannot be drawn")
    rng = np.random.default_rng(seed)
    d = len(names)
    if method == "lhs":
        u = latin_hypercube(rng, n, d) if d else np.empty((0, n))
    elif method == "mc":
        u = np.ascontiguousarray(rng.random((n, d)).T)
    else:
        raise ValueError(f"method must be 'lhs' or 'mc', got {method!r}")
    check_discrete_weights(register)
    for j, nm in enumerate(names):  # one row per parameter, transformed in place
        u[j] = transform(register.params[nm], u[j], values, register)
    return pd.DataFrame(u.T, columns=names, index=pd.RangeIndex(n, name="draw"), copy=False)
