"""Drawing the uncertain parameters: Latin hypercube (scipy.stats.qmc) or plain Monte Carlo.

Each uncertainty row of the register names a distribution over ``low..high``:

- ``uniform``: ``low + u * (high - low)``;
- ``triangular``: mode ``central`` (inverse CDF, numpy only);
- ``discrete``: the ``;``-separated values in ``choices``, equally likely;
- ``bernoulli``: 1 with probability ``central`` (for bool parameters).

Integer parameters drawn from a continuous distribution are rounded to the nearest integer;
dates in decimal years (unit ``year``, e.g. India's promised quarters) to the nearest quarter
start (a multiple of 0.25), so the quarter at ``high`` can be drawn too.
Sampling is seeded (``numpy.random.Generator``): the same seed gives the same draws.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from s400lab.model.register import Parameter, ParameterRegister

__all__ = ["sample", "transform", "triangular_ppf"]


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


def transform(p: Parameter, u: np.ndarray) -> np.ndarray:
    """Map uniform numbers ``u`` in [0, 1) to draws of parameter ``p``."""
    if p.distribution == "uniform":
        x = p.low + u * (p.high - p.low)
    elif p.distribution == "triangular":
        x = triangular_ppf(u, p.low, p.central, p.high)
    elif p.distribution == "discrete":
        vals = np.array([float(c) for c in p.choices])
        idx = np.minimum((u * len(vals)).astype(int), len(vals) - 1)
        x = vals[idx]
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


def sample(
    register: ParameterRegister,
    n: int,
    seed: int | None = None,
    method: str = "lhs",
    names: Iterable[str] | None = None,
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
        Latin hypercube (``scipy.stats.qmc.LatinHypercube``) or independent uniforms.
    names : iterable of str, optional
        Parameters to draw (default: every ``kind == "uncertainty"`` row).

    Returns
    -------
    pandas.DataFrame
        ``n`` rows, one float column per drawn parameter.
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    names = list(register.uncertainties if names is None else names)
    for nm in names:
        p = register[nm]
        if not p.is_numeric:
            raise ValueError(f"parameter {nm!r} is a choice and cannot be drawn")
    rng = np.random.default_rng(seed)
    d = len(names)
    if method == "lhs":
        from scipy.stats import qmc

        u = qmc.LatinHypercube(d=d, rng=rng).random(n) if d else np.empty((n, 0))
    elif method == "mc":
        u = rng.random((n, d))
    else:
        raise ValueError(f"method must be 'lhs' or 'mc', got {method!r}")
    cols = {nm: transform(register.params[nm], u[:, j]) for j, nm in enumerate(names)}
    return pd.DataFrame(cols, index=pd.RangeIndex(n, name="draw"))
