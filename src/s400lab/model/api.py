"""Public entry points: :func:`run`, :func:`run_ensemble`, :func:`evaluate`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from s400lab.data import values as values_rule
from s400lab.model.core import simulate
from s400lab.model.results import Ensemble, Result
from s400lab.model.sampling import drawn_switches, pinned_names, sample
from s400lab.model.scenario import Scenario

__all__ = ["compare", "compare_readings", "evaluate", "run", "run_ensemble"]

#: Parameters that set the time grid and must be the same for every draw.
_SCALAR_ONLY = ("start_year", "horizon_quarters")


def _check(sc: Any) -> Scenario:
    if not isinstance(sc, Scenario):
        raise TypeError(f"expected a Scenario, got {type(sc).__name__}")
    return sc


def run(sc: Scenario) -> Result:
    """Run one scenario at its own values (uncertainties at their central values by default).

    Parameters
    ----------
    sc : Scenario

    Returns
    -------
    Result
        ``.timeseries`` (tidy), ``.outcomes`` (value, unit, label), ``.verdict``.
    """
    sc = _check(sc)
    series, outcomes = simulate(sc.values, 1)
    return Result(sc, series, outcomes)


def _float_block(draws: pd.DataFrame) -> np.ndarray:
    """The draws as one float block of shape ``(columns, rows)``, each row contiguous; a column
    that is not numeric becomes NaN (refused later, or read as text by a drawn switch)."""
    try:
        return np.ascontiguousarray(draws.to_numpy(dtype=float).T)
    except (TypeError, ValueError):
        block = np.empty((draws.shape[1], len(draws)))
        for j, col in enumerate(draws.columns):
            block[j] = pd.to_numeric(draws[col], errors="coerce").to_numpy(dtype=float)
        return block


def _refused(p: Any, x: np.ndarray) -> np.ndarray:
    """Draws of numeric parameter ``p`` the value rule refuses (:func:`s400lab.data.values.refused`)."""
    return values_rule.refused(p, x)


def _values_with_draws(sc: Scenario, draws: pd.DataFrame) -> dict[str, Any]:
    """The scenario's values with each drawn column as an array (read once, as one block),
    checked against the register: the first problem, column by column, names row and column."""
    reg = sc.register
    values: dict[str, Any] = dict(sc.values)
    switches = drawn_switches(reg)
    block = _float_block(draws)
    for j, col in enumerate(draws.columns):
        if col not in reg:
            raise ValueError(f"draws column {col!r}: " + reg.unknown_message(col))
        p = reg.params[col]
        if col in switches:  # e.g. war_course: choice indices (or the choices)
            values[col] = _switch_draws(p, draws[col], block[j])
            continue
        if not p.is_numeric:
            raise ValueError(
                f"draws column {col!r}: {p.type} parameter cannot vary per draw; "
                "set it on the scenario instead (with_changes)"
            )
        x = block[j]
        bad = _refused(p, x)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"draws row {i}, column {col!r}: {draws[col].iloc[i]!r} is not allowed; use {p.allowed()}"
            )
        if col in _SCALAR_ONLY:
            if np.ptp(x) != 0:
                raise ValueError(f"draws column {col!r} must be the same for every draw")
            try:
                values[col] = p.validate(x[0].item())
            except ValueError as exc:
                raise ValueError(f"draws column {col!r}: {exc}") from None
        else:
            values[col] = x
    return values


def _switch_draws(p: Any, column: pd.Series, x: np.ndarray) -> np.ndarray:
    """A drawn switch's column (indices into ``p.choices``, or the choices) as an array of text;
    ``x`` is the column as floats (NaN where not a number)."""
    choices = np.asarray(p.choices)
    if column.dtype.kind in "fiub":  # indices, checked at once
        ok = (x == np.rint(x)) & (x >= 0) & (x < len(choices))
        if ok.all():
            return choices[x.astype(np.intp)]
    raw = column.to_numpy()
    out = np.empty(raw.size, dtype=choices.dtype)
    for i, v in enumerate(raw):
        if isinstance(v, str) and v in p.choices:
            out[i] = v
            continue
        try:
            f = float(v)
        except (TypeError, ValueError):
            f = np.nan
        if not (f == np.rint(f) and 0 <= f < len(choices)):  # NaN fails too
            raise ValueError(
                f"draws row {i}, column {p.name!r}: {v!r} is not allowed; use one of "
                f"{', '.join(p.choices)} or its index 0..{len(choices) - 1}"
            )
        out[i] = choices[int(f)]
    return out


def evaluate(sc: Scenario, draws_df: pd.DataFrame) -> pd.DataFrame:
    """Outcomes for given parameter draws (used by sensitivity analysis).

    Parameters
    ----------
    sc : Scenario
        Supplies every value not in ``draws_df`` (levers, settings, fixed assumptions).
    draws_df : pandas.DataFrame
        One row per draw; columns are numeric register parameters (any kind). Values are
        checked against the register ranges.

    Returns
    -------
    pandas.DataFrame
        ``len(draws_df)`` rows x outcome names, same index as ``draws_df``.
    """
    return _ensemble(_check(sc), draws_df).outcomes


def _ensemble(sc: Scenario, draws: pd.DataFrame) -> Ensemble:
    if len(draws) == 0:
        raise ValueError("draws must have at least one row")
    values = _values_with_draws(sc, draws)
    series, outcomes = simulate(values, len(draws))
    return Ensemble(sc, draws, series, outcomes)


def run_ensemble(
    sc: Scenario,
    n: int = 1000,
    seed: int | None = 1,
    method: str = "lhs",
    fixed: Iterable[str] = (),
) -> Ensemble:
    """Run ``n`` draws of the uncertain parameters in one vectorized call.

    One meaning of an ensemble: every draw holds what the scenario sets -- levers, settings
    and switches (the course of the war: its readings are compared side by side, see
    :func:`compare_readings`), and any uncertainty set away from its register default -- and
    only what it leaves open is drawn (:func:`s400lab.model.sampling.pinned_names`, the rule
    the explorer's live ensemble uses: same scenario, seed and ``n`` give the same figures).

    Parameters
    ----------
    sc : Scenario
    n : int
        Number of draws.
    seed : int, optional
        Random seed (same seed -> identical ensemble).
    method : {"lhs", "mc"}
        Latin hypercube or plain Monte Carlo.
    fixed : iterable of str
        More uncertainties to hold at the scenario's value. Every column is sampled first and
        the held ones dropped, so holding one leaves the other draws unchanged (common random
        numbers).

    Returns
    -------
    Ensemble
        ``.draws``, ``.outcomes``, ``.bands(var)``, ``.probability(outcome)``, ``.summary()``.
    """
    sc = _check(sc)
    reg = sc.register
    fixed = set(fixed)
    for name in fixed:
        if name not in reg:
            raise ValueError(reg.unknown_message(name))
    names = [u for u in reg.drawn if reg[u].is_numeric] + drawn_switches(reg)
    draws = sample(reg, n, seed=seed, method=method, names=names, values=sc.values)
    held = fixed | set(pinned_names(sc.values, reg))
    draws = draws.drop(columns=[c for c in draws.columns if c in held])
    return _ensemble(sc, draws)


def compare(
    scenarios: dict[str, Scenario] | None = None,
    outcomes: list[str] | None = None,
) -> pd.DataFrame:
    """One table of outcomes (rows) for several scenarios (columns), single central runs.

    Parameters
    ----------
    scenarios : dict of str to Scenario, optional
        Default: every preset, in order.
    outcomes : list of str, optional
        Outcome names (default: all of :data:`s400lab.model.core.OUTCOMES`).

    Returns
    -------
    pandas.DataFrame
        Index = outcome label, columns = ``unit`` then one column per scenario label.
    """
    from s400lab.model.core import OUTCOMES
    from s400lab.model.scenario import presets

    scenarios = presets() if scenarios is None else scenarios
    names = list(OUTCOMES) if outcomes is None else list(outcomes)
    for name in names:
        if name not in OUTCOMES:
            raise ValueError(f"unknown outcome {name!r}; outcomes: {', '.join(OUTCOMES)}")
    table = pd.DataFrame(
        {"unit": [OUTCOMES[k][0] for k in names]},
        index=pd.Index([OUTCOMES[k][1] for k in names], name="outcome"),
    )
    for sc in scenarios.values():
        res = run(sc)
        table[sc.label] = [res.raw_outcomes[k] for k in names]
    return table


def compare_readings(sc: Scenario, name: str, outcomes: list[str] | None = None) -> pd.DataFrame:
    """One scenario under each reading of an evidence dispute, side by side (central runs).

    Parameters
    ----------
    sc : Scenario
    name : str
        An evidence switch or disputed parameter (see :meth:`Scenario.readings`), e.g.
        ``"india_undelivered_sq"``, ``"india_sq4_arrival"``, ``"india_credit_start_bn"``, ``"war_course"``,
        ``"tr_holding_bn"``, ``"s400_contract_usd_bn"``.
    outcomes : list of str, optional
        Outcome names (default: all).

    Returns
    -------
    pandas.DataFrame
        Index = outcome name; columns ``unit``, ``label``, then one column per reading
        (``"<name> = <reading>"``).
    """
    from s400lab.model.core import OUTCOMES

    names = list(OUTCOMES) if outcomes is None else list(outcomes)
    for k in names:
        if k not in OUTCOMES:
            raise ValueError(f"unknown outcome {k!r}; outcomes: {', '.join(OUTCOMES)}")
    table = pd.DataFrame(
        {"unit": [OUTCOMES[k][0] for k in names], "label": [OUTCOMES[k][1] for k in names]},
        index=pd.Index(names, name="outcome"),
    )
    for reading, s in _check(sc).readings(name).items():
        res = run(s)
        table[f"{name} = {reading}"] = [res.raw_outcomes[k] for k in names]
    return table
