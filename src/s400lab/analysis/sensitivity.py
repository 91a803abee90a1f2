"""Which assumption matters most? One-at-a-time (tornado) and global (Sobol) sensitivity.

The core functions take a *vectorized* callable ``f(X) -> y`` where ``X`` has one row per
run and one column per uncertain input, so they can be checked on functions whose answer is
known (a linear function, the Ishigami function). Thin adapters (:func:`model_function`,
:func:`model_tornado`, :func:`model_sobol`) plug in the s400lab model.

* **Tornado** -- move one input from its low to its high value with every other input at its
  central value; the *swing* is the change in the outcome. Quick and easy to read, but blind to
  interactions and to inputs that only matter together.
* **Sobol indices** (Sobol 2001; Saltelli et al. 2010) -- over the whole uncertainty box:
  ``S1`` is the share of the outcome's variance explained by one input alone; ``ST`` (total
  order) adds every interaction the input takes part in. ``ST - S1`` large = interactions;
  ``ST`` near 0 = the input could be fixed anywhere in its range. Computed with SALib's Saltelli
  sampling (``SALib.sample.sobol``, N (k + 2) runs) and estimators (``SALib.analyze.sobol``),
  with bootstrap confidence intervals.
* **Chance** -- the congressional blocks are chance events: a model device (register ``kind =
  device``, the uniform draws ``u_block_*``) blocks a track when it falls below the block
  probability. Chance is not an assumption, so it is never a tornado bar or a Sobol factor.
  Because an outcome depends on a device only through that one comparison, its expectation
  over the device is exact with two runs (device at 0: blocked, at 1: not blocked) weighted by
  the block chance (:func:`expect_over_chance`). The tornado plots that expectation, so a block
  probability moves the outcome smoothly (a single run with the device at 0.5 would show a step
  at a hidden 0.5); :func:`chance_share` splits the outcome's variance into the part chance
  explains (the law of total variance: ``E[Var(Y | assumptions)] / Var(Y)``), shown beside the
  Sobol indices, which share out the rest.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "BLOCK_DEVICES",
    "block_chances",
    "chance_share",
    "expect_over_chance",
    "tornado",
    "sobol_indices",
    "ishigami",
    "uncertainty_table",
    "horizon_end",
    "from_unit",
    "model_function",
    "model_tornado",
    "model_sobol",
]

VectorFn = Callable[[np.ndarray], np.ndarray]


def _as_1d(y: Any, n: int) -> np.ndarray:
    out = np.asarray(y, dtype=float).reshape(-1)
    if out.size != n:
        raise ValueError(f"the function returned {out.size} values for {n} input rows")
    return out


def tornado(
    f: VectorFn,
    names: Sequence[str],
    low: Sequence[float],
    central: Sequence[float],
    high: Sequence[float],
    labels: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One-at-a-time sensitivity: each input low -> high with the others at central.

    All ``2k + 1`` runs go through ``f`` in a single vectorized call.

    Parameters
    ----------
    f : callable
        ``f(X) -> y`` with ``X`` of shape (m, k) and ``y`` of shape (m,).
    names : sequence of str
        Input names (k).
    low, central, high : sequence of float
        Input values (k each).
    labels : sequence of str, optional
        Plain-language labels (default: the names).

    Returns
    -------
    DataFrame
        One row per input, sorted by ``swing`` (largest first): ``name, label, low, central,
        high, y_low, y_high, base, swing`` where ``swing = |y_high - y_low|`` and ``base = f(central)``.
        ``attrs["base"]`` holds the base value too.
    """
    k = len(names)
    lo, ce, hi = (np.asarray(v, dtype=float) for v in (low, central, high))
    if not (lo.size == ce.size == hi.size == k):
        raise ValueError("names, low, central and high must have the same length")
    X = np.tile(ce, (2 * k + 1, 1))
    idx = np.arange(k)
    X[1 + idx, idx] = lo
    X[1 + k + idx, idx] = hi
    y = _as_1d(f(X), 2 * k + 1)
    base = y[0]
    y_low, y_high = y[1 : k + 1], y[k + 1 :]
    df = pd.DataFrame(
        {
            "name": list(names),
            "label": list(labels) if labels is not None else list(names),
            "low": lo,
            "central": ce,
            "high": hi,
            "y_low": y_low,
            "y_high": y_high,
            "base": base,
            "swing": np.abs(y_high - y_low),
        }
    )
    # stable sort: ties keep the register order, so the figure is reproducible
    df = df.sort_values("swing", ascending=False, kind="mergesort").reset_index(drop=True)
    df.attrs["base"] = float(base)
    return df


def sobol_indices(
    f: VectorFn,
    names: Sequence[str],
    bounds: Sequence[tuple[float, float]],
    n_base: int = 1024,
    seed: int = 0,
    *,
    num_resamples: int = 100,
    conf_level: float = 0.95,
    labels: Sequence[str] | None = None,
    return_samples: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """First- and total-order Sobol indices with bootstrap confidence intervals (SALib).

    Inputs are sampled uniformly within ``bounds`` with a scrambled Sobol' sequence
    (Saltelli's scheme, ``n_base * (k + 2)`` evaluations, second-order indices not computed).
    An input that is not uniform is handled by passing ``bounds=(0, 1)`` and mapping the
    uniform to the input's distribution inside ``f`` (inverse-CDF), as :func:`model_function`
    does.

    Parameters
    ----------
    f : callable
        ``f(X) -> y``, vectorized over rows.
    names : sequence of str
    bounds : sequence of (low, high)
    n_base : int
        Base sample size N; a power of two keeps the Sobol' sequence balanced (SALib warns
        otherwise).
    seed : int
        Seeds both the scrambling and the bootstrap: same seed -> same numbers.
    num_resamples : int
        Bootstrap resamples for the confidence intervals.
    conf_level : float
    labels : sequence of str, optional
    return_samples : bool
        Also return the sample ``X`` and outputs ``y``.

    Returns
    -------
    DataFrame
        One row per input (in the given order): ``name, label, S1, S1_low, S1_high, ST, ST_low,
        ST_high, S1_conf, ST_conf`` (``*_conf`` = half-width of the interval).
        ``attrs`` has ``n_evaluations``, ``variance``.
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    names = list(names)
    problem = {"num_vars": len(names), "names": names, "bounds": [[float(a), float(b)] for a, b in bounds]}
    X = sobol_sample.sample(problem, int(n_base), calc_second_order=False, scramble=True, seed=seed)
    y = _as_1d(f(X), X.shape[0])
    if not np.all(np.isfinite(y)):
        raise ValueError(
            "the outcome has missing or infinite values; fill them first "
            "(e.g. model_function(..., nan_fill=...))"
        )
    var = float(np.var(y))
    if var == 0.0:
        res = {
            "S1": np.zeros(len(names)),
            "S1_conf": np.zeros(len(names)),
            "ST": np.zeros(len(names)),
            "ST_conf": np.zeros(len(names)),
        }
    else:
        res = sobol_analyze.analyze(
            problem,
            y,
            calc_second_order=False,
            num_resamples=num_resamples,
            conf_level=conf_level,
            print_to_console=False,
            seed=seed,
        )
    df = _sobol_table(names, labels, res)
    df.attrs["n_evaluations"] = int(X.shape[0])
    df.attrs["variance"] = var
    if return_samples:
        return df, X, y
    return df


def _sobol_table(names: list[str], labels: Sequence[str] | None, res) -> pd.DataFrame:
    """SALib's indices and half-widths as the table :func:`sobol_indices` returns."""
    df = pd.DataFrame(
        {
            "name": names,
            "label": list(labels) if labels is not None else names,
            "S1": res["S1"],
            "S1_conf": res["S1_conf"],
            "ST": res["ST"],
            "ST_conf": res["ST_conf"],
        }
    )
    for index in ("S1", "ST"):
        df[f"{index}_low"] = df[index] - df[f"{index}_conf"]
        df[f"{index}_high"] = df[index] + df[f"{index}_conf"]
    return df[["name", "label", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high", "S1_conf", "ST_conf"]]


def ishigami(X: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """The Ishigami function, a standard test of sensitivity methods.

    ``f = sin x1 + a sin^2 x2 + b x3^4 sin x1`` on ``[-pi, pi]^3``; with a=7, b=0.1 the
    analytic indices are S1 = (0.314, 0.442, 0), ST = (0.558, 0.442, 0.244).
    """
    X = np.asarray(X, dtype=float)
    return np.sin(X[:, 0]) + a * np.sin(X[:, 1]) ** 2 + b * X[:, 2] ** 4 * np.sin(X[:, 0])


# ---------------------------------------------------------------------------------------------
# Model adapters
# ---------------------------------------------------------------------------------------------


def uncertainty_table(scenario: Any, names: Sequence[str] | None = None) -> pd.DataFrame:
    """The scenario's uncertain assumptions with their ranges, from the register.

    Parameters
    ----------
    scenario : s400lab.model.Scenario
    names : sequence of str, optional
        Subset (default: every ``kind == "uncertainty"`` row, in register order).

    Returns
    -------
    DataFrame
        ``name label unit low central high distribution``. ``central`` is the scenario's own
        value (the register central unless the scenario changed it). For a ``discrete``
        uncertainty ``low``/``high`` are its smallest/largest listed value that the scenario
        can draw (weight > 0; see ``s400lab.model.sampling.DISCRETE_WEIGHTS``).
    """
    from s400lab.model.sampling import discrete_probabilities

    reg = scenario.register
    names = list(reg.uncertainties if names is None else names)
    rows = []
    for nm in names:
        p = reg[nm]
        if p.kind != "uncertainty":
            raise ValueError(f"parameter {nm!r} is a {p.kind}, not an uncertainty")
        low, high = p.low, p.high
        if p.distribution == "discrete" and p.discrete_values:
            # the values the scenario can draw: a value with weight 0 (e.g. a 4-battalion
            # holding when p_tr_holding_4 = 0) is not part of the range
            vals, probs = discrete_probabilities(p, scenario.values, reg)
            vals = vals[probs > 0]
            low, high = float(vals.min()), float(vals.max())
        rows.append(
            {
                "name": nm,
                "label": p.label,
                "unit": p.unit,
                "low": float(low),
                "central": float(scenario.values[nm]),
                "high": float(high),
                "distribution": p.distribution,
            }
        )
    return pd.DataFrame(rows, columns=["name", "label", "unit", "low", "central", "high", "distribution"])


def horizon_end(scenario: Any) -> float:
    """Decimal year just after the model horizon (the quarter after the last one).

    Used to fill timing outcomes that are NaN ("not within the horizon") before a sensitivity
    analysis: "never within the horizon" then counts as "later than any date in the horizon".
    """
    v = scenario.values
    return float(v["start_year"]) + int(v["horizon_quarters"]) / 4.0


def _auto_fill(scenario: Any, outcome: str, nan_fill: float | str | None) -> float | None:
    if nan_fill != "auto":
        return nan_fill  # type: ignore[return-value]
    from s400lab.model import OUTCOMES

    unit = OUTCOMES.get(outcome, ("", ""))[0]
    return horizon_end(scenario) if unit == "year" else None


def from_unit(scenario: Any, U: pd.DataFrame) -> pd.DataFrame:
    """Map uniforms in [0, 1] to parameter values with the model's inverse-CDF convention.

    Uses :func:`s400lab.model.sampling.transform` -- the very mapping ``run_ensemble`` applies
    to its Latin-hypercube / Monte Carlo uniforms: uniform and triangular by their inverse CDF;
    ``discrete`` by cutting [0, 1) into one step per listed value, as long as its probability
    (equal steps unless a weight setting of the scenario applies, e.g. ``p_tr_holding_4`` for
    Turkiye's holding); ``bernoulli`` as ``u < central``; integers rounded.
    """
    from s400lab.model.sampling import transform

    reg = scenario.register
    u = U.to_numpy(dtype=float)
    u = np.clip(u, 0.0, np.nextafter(1.0, 0.0))
    return pd.DataFrame(
        {c: transform(reg[c], u[:, j], scenario.values, reg) for j, c in enumerate(U.columns)}, index=U.index
    )


#: Model devices -> the register rows their chance is built from: a track is held when
#: ``u_block_x`` lies below its hold chance (:func:`s400lab.model.core.hold_chances`, section 6:
#: Congress's holds conditional on the named linkages pending, times the US-response multiplier).
BLOCK_DEVICES = {
    "u_block_sanctions": ("p_hold_sanctions",),
    "u_block_f35": ("p_hold_per_linkage",),
}


def block_chances(scenario: Any, draws: pd.DataFrame | None = None) -> dict[str, np.ndarray]:
    """The chance each model device blocks its track, per row of ``draws``.

    The hold chance of :func:`s400lab.model.core.hold_chances` (its rows taken from ``draws``
    where they are columns, else the scenario's values; the named linkages pending and the US
    response from the scenario). A test holds this to the model's own comparison, draw by draw.

    Returns
    -------
    dict
        Device name (``u_block_*``) -> array of chances in [0, 1] (one per row; one value
        without ``draws``).
    """
    v = scenario.values
    n = 1 if draws is None else len(draws)

    def col(name: str) -> np.ndarray:
        if draws is not None and name in draws.columns:
            return draws[name].to_numpy(dtype=float)
        return np.full(n, float(v[name]))

    from s400lab.model.core import hold_chances

    unknown = [d for d in scenario.register.devices if d not in BLOCK_DEVICES]
    if unknown:
        raise ValueError(f"model device(s) {', '.join(unknown)} have no known chance (see BLOCK_DEVICES)")
    q = hold_chances(col, v["us_response"], v.get("congress_linkage", "none"))
    return {d: np.broadcast_to(q[d], (n,)).astype(float) for d in scenario.register.devices}


def expect_over_chance(
    scenario: Any, draws: pd.DataFrame, outcomes: Sequence[str], *, fill: Mapping[str, float] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mean and variance of outcomes over the chance devices, exactly, for each row of ``draws``.

    An outcome depends on a device only through "blocked or not" (``u < chance``), so each row
    is run once per combination of the devices not in ``draws`` at 0 (blocked, if the chance
    is above 0) and 1 (never blocked), and the runs are weighted by the chances of
    :func:`block_chances`: ``E = sum_c w_c y_c``, ``Var = sum_c w_c (y_c - E)^2``.

    Parameters
    ----------
    scenario : s400lab.model.Scenario
    draws : DataFrame
        Parameter values (columns of ``s400lab.model.evaluate``); devices among its columns
        keep their values (are not averaged over).
    outcomes : sequence of str
    fill : mapping, optional
        Outcome -> value that replaces NaN ("not within the horizon") before averaging.

    Returns
    -------
    (mean, variance) : two DataFrames, ``len(draws)`` rows x ``outcomes``, index of ``draws``.
    """
    from s400lab.model import evaluate

    outcomes = list(outcomes)
    devices = [d for d in scenario.register.devices if d not in draws.columns]
    q = block_chances(scenario, draws)
    combos = list(itertools.product((0.0, 1.0), repeat=len(devices)))
    m = len(draws)
    base = draws.reset_index(drop=True)
    big = pd.concat([base.assign(**dict(zip(devices, c, strict=True))) for c in combos], ignore_index=True)
    y = np.array(evaluate(scenario, big)[outcomes], dtype=float).reshape(len(combos), m, len(outcomes))
    for j, name in enumerate(outcomes):
        if fill and fill.get(name) is not None:
            y[:, :, j] = np.where(np.isnan(y[:, :, j]), fill[name], y[:, :, j])
    w = np.ones((len(combos), m))
    for i, c in enumerate(combos):
        for d, u in zip(devices, c, strict=True):
            w[i] *= q[d] if u == 0.0 else 1.0 - q[d]
    w3 = w[:, :, None]
    ref = y[-1]  # never blocked (every device at 1): where chance cannot act, the mean is exact
    mean = ref + np.where(w3 > 0, w3 * (y - ref[None]), 0.0).sum(axis=0)
    var = np.where(w3 > 0, w3 * (y - mean[None]) ** 2, 0.0).sum(axis=0)
    frame = lambda a: pd.DataFrame(a, columns=outcomes, index=draws.index)  # noqa: E731
    return frame(mean), frame(var)


def chance_share(
    scenario: Any, outcome: str, n: int = 4096, seed: int = 1, *, nan_fill: float | str | None = "auto"
) -> float:
    """Share of an outcome's variance that chance explains (the congressional block draws).

    By the law of total variance, ``Var(Y) = E[Var(Y | A)] + Var(E[Y | A])`` with ``A`` the
    assumptions (everything an ensemble draws except the devices): the first term is the part
    due to chance. The assumptions are the draws of ``run_ensemble(scenario, n, seed)``;
    the mean and variance over chance are exact (:func:`expect_over_chance`).

    Returns
    -------
    float
        In [0, 1]; 0 when the outcome does not vary at all. Timing outcomes are filled as in
        :func:`model_function` (``nan_fill``).
    """
    from s400lab.model import run_ensemble

    fill = _auto_fill(scenario, outcome, nan_fill)
    draws = run_ensemble(scenario, n=n, seed=seed).draws
    draws = draws.drop(columns=[d for d in scenario.register.devices if d in draws.columns])
    mean, var = expect_over_chance(
        scenario, draws, [outcome], fill=None if fill is None else {outcome: float(fill)}
    )
    within = float(var[outcome].mean())
    total = within + float(mean[outcome].var(ddof=0))
    if not np.isfinite(total) or total <= 1e-15:
        return 0.0
    return min(1.0, max(0.0, within / total))


def model_function(
    scenario: Any,
    outcome: str,
    names: Sequence[str],
    *,
    nan_fill: float | str | None = "auto",
    space: str = "value",
    chance: str = "expected",
) -> VectorFn:
    """Wrap the model as ``f(X) -> outcome`` for :func:`tornado` / :func:`sobol_indices`.

    Parameters
    ----------
    scenario : s400lab.model.Scenario
    outcome : str
        Outcome column of ``s400lab.model.evaluate``.
    names : sequence of str
        The uncertainties, in the column order of ``X``; every other parameter keeps the
        scenario's value.
    nan_fill : float, "auto" or None
        Replacement for NaN ("not within the horizon"). ``"auto"``: for a timing outcome
        (unit ``year``) the decimal year just after the horizon (:func:`horizon_end`), so
        "never" counts as "late" rather than being dropped; other outcomes are left as they are.
    space : {"value", "unit"}
        ``"value"``: ``X`` holds parameter values. ``"unit"``: ``X`` holds uniforms in [0, 1]
        mapped by :func:`from_unit` (used for Sobol indices so that triangular and discrete
        uncertainties keep their register distribution).
    chance : {"expected", "central"}
        The model devices (the block draws ``u_block_*``) not among ``names``:
        ``"expected"`` (default) averages the outcome over them exactly
        (:func:`expect_over_chance`), so a block probability moves it smoothly;
        ``"central"`` keeps the scenario's device values (0.5: a single run's step).
    """
    from s400lab.model import OUTCOMES, evaluate

    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}; outcomes: {', '.join(OUTCOMES)}")
    if space not in ("value", "unit"):
        raise ValueError("space must be 'value' or 'unit'")
    if chance not in ("expected", "central"):
        raise ValueError("chance must be 'expected' or 'central'")
    names = list(names)
    fill = _auto_fill(scenario, outcome, nan_fill)
    averaged = chance == "expected" and any(d not in names for d in scenario.register.devices)

    def f(X: np.ndarray) -> np.ndarray:
        frame = pd.DataFrame(np.asarray(X, dtype=float), columns=names)
        draws = from_unit(scenario, frame) if space == "unit" else frame
        if averaged:
            mean, _var = expect_over_chance(
                scenario, draws, [outcome], fill=None if fill is None else {outcome: float(fill)}
            )
            return mean[outcome].to_numpy(dtype=float)
        y = np.asarray(evaluate(scenario, draws)[outcome], dtype=float)
        if fill is not None:
            y = np.where(np.isnan(y), fill, y)
        return y

    return f


def model_tornado(
    scenario: Any, outcome: str, names: Sequence[str] | None = None, *, nan_fill: float | str | None = "auto"
) -> pd.DataFrame:
    """Tornado of one model outcome over the scenario's uncertainties.

    Each uncertainty goes from its register ``low`` to ``high`` (for a discrete one: its
    smallest to largest value the scenario can draw, see :func:`uncertainty_table`) with every
    other parameter at the scenario's value. Each point is the outcome's expectation over the
    congressional block draws (:func:`expect_over_chance`): a block probability moves it in
    proportion (no step against a hidden 0.5), and ``base`` is the expected outcome at the
    central values (equal to the single run where no block can act).

    Parameters
    ----------
    scenario : s400lab.model.Scenario
    outcome : str
    names : sequence of str, optional
        Uncertainties to include (default: all).
    nan_fill : see :func:`model_function`.

    Returns
    -------
    DataFrame
        As :func:`tornado`, plus ``unit`` (the input's unit).
    """
    table = uncertainty_table(scenario, names)
    f = model_function(scenario, outcome, table["name"], nan_fill=nan_fill)
    out = tornado(f, table["name"], table["low"], table["central"], table["high"], labels=table["label"])
    units = dict(zip(table["name"], table["unit"], strict=False))
    out["unit"] = out["name"].map(units)
    out.attrs["base"] = float(out["base"].iloc[0]) if len(out) else float("nan")
    out.attrs["outcome"] = outcome
    return out


def model_sobol(
    scenario: Any,
    outcome: str,
    names: Sequence[str] | None = None,
    *,
    n_base: int = 1024,
    seed: int = 0,
    nan_fill: float | str | None = "auto",
    num_resamples: int = 100,
) -> pd.DataFrame:
    """Sobol indices of one model outcome over the scenario's uncertainties.

    Every uncertainty is sampled as a uniform in [0, 1] by SALib and mapped to its register
    distribution by :func:`from_unit` (the model's own inverse-CDF convention), so the indices
    are computed over the same joint distribution ``run_ensemble`` draws from. Discrete
    uncertainties (e.g. Turkiye's holding, 2 or 4 battalions, 4 with the scenario's
    ``p_tr_holding_4``) are step functions of their uniform; the Sobol estimators only need
    independent inputs, so their index is simply the share of variance due to that discrete
    assumption. Model devices (register ``kind =
    device``, the uniform block draws ``u_block_*``) are sampled as factors so that a
    congressional block still happens with its probability, but they are chance, not
    assumptions: their rows are left out of the table (their total indices are kept in
    ``attrs["devices_ST"]``; ``attrs["chance_share"]`` is the share of the variance due to
    chance, from :func:`chance_share` over ``4 * n_base`` draws). Evidence switches (settings)
    keep the scenario's reading.
    ``n_base * (k + 2)`` model runs, ``k`` counting the devices.

    Parameters
    ----------
    scenario : s400lab.model.Scenario
    outcome : str
    names : sequence of str, optional
    n_base : int
        Base sample (a power of two).
    seed : int
    nan_fill : see :func:`model_function`.
    num_resamples : int
        Bootstrap resamples for the confidence intervals.
    """
    table = uncertainty_table(scenario, names)
    # model devices (kind "device": the uniform block draws u_block_*) are sampled too, so
    # chance stays chance, but they are not assumptions: their rows are dropped from the result
    devices = [d for d in scenario.register.devices]
    factors = list(table["name"]) + devices
    labels = list(table["label"]) + devices
    f = model_function(scenario, outcome, factors, nan_fill=nan_fill, space="unit")
    out = sobol_indices(
        f,
        factors,
        [(0.0, 1.0)] * len(factors),
        n_base=n_base,
        seed=seed,
        num_resamples=num_resamples,
        labels=labels,
    )
    assert isinstance(out, pd.DataFrame)  # return_samples=False
    chance = out[out["name"].isin(devices)]
    out = out[~out["name"].isin(devices)].reset_index(drop=True)
    out.attrs["outcome"] = outcome
    out.attrs["devices_ST"] = dict(zip(chance["name"], chance["ST"].astype(float), strict=False))
    # the share of the variance chance explains, exactly over the block draws (the devices'
    # Saltelli indices overlap and carry sampling noise): shown beside the assumptions' bars
    out.attrs["chance_share"] = chance_share(
        scenario, outcome, n=4 * int(n_base), seed=seed, nan_fill=nan_fill
    )
    return out
