"""Scenario discovery: which ranges of the assumptions lead to an outcome of interest?

Implements PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999), as used in
scenario discovery (Bryant & Lempert 2010, "Thinking inside the box"). Given the ensemble's
draws ``X`` and a yes/no outcome ``y`` (e.g. "India's last squadron is delayed past 2027"),
PRIM looks for a box -- one interval per assumption -- inside which the outcome is common.

Algorithm (peeling)
-------------------
Start with the box holding every run. At each step, for each assumption, try cutting off the
``alpha`` share (default 5%) of the runs still in the box with the lowest values, and with the
highest values; keep the single cut with the largest gain in density *per share of runs
removed* (``(density_after - density_before) / (support_before - support_after)``; the
"lenient" criterion of Kwakkel & Jaxa-Rozen 2016, which keeps a coarse cut of a discrete
assumption from winning on a tiny gain), or with ``criterion="density"`` Friedman & Fisher's
original rule, the cut leaving the highest density (ties: the cut that removes fewest runs).
Stop when fewer than ``min_support`` of all runs would remain. Every intermediate box is kept:
the *peeling trajectory* trades

* **coverage** = share of all the runs with the outcome that fall inside the box, against
* **density** = share of the runs inside the box that have the outcome.

For a discrete assumption (e.g. Turkiye holds 2 or 4 battalions) a cut that would remove fewer
than one value level removes the whole lowest (or highest) level instead.

:meth:`PrimResult.choose` picks a box (the densest with coverage at least a chosen level),
and :func:`describe_box` writes it as a sentence a student can read aloud.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["Box", "PrimResult", "prim", "describe_box"]


@dataclass(frozen=True)
class Box:
    """One box of the peeling trajectory.

    Attributes
    ----------
    limits : DataFrame
        Index = assumption name; columns ``low``, ``high`` (inclusive bounds), ``min``, ``max``
        (range over all runs) and ``restricted`` (bool).
    coverage, density, support : float
        Coverage and density as defined in the module docstring; support = share of all runs
        inside the box.
    n_in : int
        Runs inside the box.
    step : int
        Position in the peeling trajectory (0 = all runs).
    """

    limits: pd.DataFrame
    coverage: float
    density: float
    support: float
    n_in: int
    step: int

    @property
    def restricted(self) -> list[str]:
        """Names of the assumptions this box restricts."""
        return [str(n) for n in self.limits.index[self.limits["restricted"]]]

    def contains(self, X: pd.DataFrame) -> np.ndarray:
        """Boolean mask of the rows of ``X`` inside the box."""
        inside = np.ones(len(X), dtype=bool)
        for name, row in self.limits.iterrows():
            x = np.asarray(X[name], dtype=float)
            inside &= (x >= row["low"]) & (x <= row["high"])
        return inside


@dataclass
class PrimResult:
    """The peeling trajectory: a list of nested boxes from all runs down to ``min_support``."""

    boxes: list[Box]
    n: int
    n_events: int
    outcome_label: str = "the outcome"
    names: list[str] = field(default_factory=list)

    def trajectory(self) -> pd.DataFrame:
        """One row per box: ``step coverage density support n_in n_restricted``."""
        return pd.DataFrame(
            [
                {
                    "step": b.step,
                    "coverage": b.coverage,
                    "density": b.density,
                    "support": b.support,
                    "n_in": b.n_in,
                    "n_restricted": len(b.restricted),
                }
                for b in self.boxes
            ]
        )

    def choose(self, min_coverage: float = 0.5) -> Box:
        """The densest box whose coverage is at least ``min_coverage``.

        Ties go to the earlier (larger, simpler) box.
        """
        ok = [b for b in self.boxes if b.coverage >= min_coverage - 1e-12]
        if not ok:
            return self.boxes[0]
        best = max(b.density for b in ok)
        return next(b for b in ok if b.density >= best - 1e-12)


def _box_stats(inside: np.ndarray, y: np.ndarray, n_events: int) -> tuple[float, float, float, int]:
    n_in = int(inside.sum())
    hits = int(y[inside].sum())
    coverage = hits / n_events if n_events else 0.0
    density = hits / n_in if n_in else 0.0
    return coverage, density, n_in / y.size, n_in


def prim(
    X: pd.DataFrame,
    y: Sequence[bool] | np.ndarray,
    *,
    alpha: float = 0.05,
    min_support: float = 0.05,
    criterion: str = "gain_per_mass",
    outcome_label: str = "the outcome",
) -> PrimResult:
    """Run PRIM peeling on the draws ``X`` for the yes/no outcome ``y``.

    Parameters
    ----------
    X : DataFrame
        One row per run, one numeric column per assumption (e.g. ``Ensemble.draws``).
    y : array-like of bool
        The outcome of interest, one per run.
    alpha : float, default 0.05
        Share of the box's runs removed by each peel (Friedman & Fisher recommend 0.05-0.10).
    min_support : float, default 0.05
        Stop when a peel would leave fewer than this share of all runs in the box.
    criterion : {"gain_per_mass", "density"}
        How the best peel is chosen (see the module docstring).
    outcome_label : str
        Plain-language name of the outcome, for :func:`describe_box`.

    Returns
    -------
    PrimResult
    """
    yb, names, A = _prim_inputs(X, y, alpha=alpha, min_support=min_support, criterion=criterion)
    n = A.shape[0]
    n_events = int(yb.sum())
    mins, maxs = A.min(axis=0), A.max(axis=0)
    low, high = mins.copy(), maxs.copy()
    inside = np.ones(n, dtype=bool)
    min_n = max(1, int(np.ceil(min_support * n)))

    def make_box(step: int) -> Box:
        cov, den, sup, n_in = _box_stats(inside, yb, n_events)
        lim = pd.DataFrame(
            {"low": low.copy(), "high": high.copy(), "min": mins, "max": maxs},
            index=pd.Index(names, name="name"),
        )
        lim["restricted"] = (lim["low"] > lim["min"]) | (lim["high"] < lim["max"])
        return Box(limits=lim, coverage=cov, density=den, support=sup, n_in=n_in, step=step)

    boxes = [make_box(0)]
    while True:
        idx = np.flatnonzero(inside)
        best = _best_peel(A, idx, yb, alpha=alpha, min_n=min_n, criterion=criterion)
        if best is None:
            break
        j, side, new_bound, keep = best
        inside[idx[~keep]] = False
        if side == "low":
            low[j] = new_bound
        else:
            high[j] = new_bound
        boxes.append(make_box(len(boxes)))
    return PrimResult(boxes=boxes, n=n, n_events=n_events, outcome_label=outcome_label, names=names)


def _prim_inputs(
    X: pd.DataFrame, y, *, alpha: float, min_support: float, criterion: str
) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Check PRIM's arguments; return ``y`` as booleans, the column names and the draws as a
    float matrix (runs x assumptions)."""
    if not 0 < alpha < 0.5:
        raise ValueError("alpha must be in (0, 0.5)")
    if criterion not in ("gain_per_mass", "density"):
        raise ValueError("criterion must be 'gain_per_mass' or 'density'")
    if not 0 < min_support < 1:
        raise ValueError("min_support must be in (0, 1)")
    yb = np.asarray(y)
    if yb.dtype != bool:
        if not np.isin(yb, (0, 1)).all():
            raise ValueError("y must be boolean (or 0/1)")
        yb = yb.astype(bool)
    if len(X) != yb.size:
        raise ValueError(f"X has {len(X)} rows but y has {yb.size} values")
    names = [str(c) for c in X.columns]
    A = np.column_stack([np.asarray(X[c], dtype=float) for c in names])
    if np.isnan(A).any():
        bad = [c for c, col in zip(names, A.T) if np.isnan(col).any()]
        raise ValueError(f"PRIM needs complete draws; missing values in {bad}")
    return yb, names, A


def _peel(x: np.ndarray, side: str, alpha: float) -> tuple[np.ndarray, float | None]:
    """Peel the ``alpha`` share of ``x`` off one side: the runs kept and the new bound (None
    if nothing would be left)."""
    xs = np.unique(x)
    if side == "low":
        b = np.quantile(x, alpha, method="lower")
        keep = x > b if b == xs[0] else x >= b
        if keep.all():
            keep = x > xs[0]
        return keep, (x[keep].min() if keep.any() else None)
    b = np.quantile(x, 1 - alpha, method="higher")
    keep = x < b if b == xs[-1] else x <= b
    if keep.all():
        keep = x < xs[-1]
    return keep, (x[keep].max() if keep.any() else None)


def _best_peel(A: np.ndarray, idx: np.ndarray, yb: np.ndarray, *, alpha: float, min_n: int, criterion: str):
    """The best peel of the box holding runs ``idx``: ``(column, side, new bound, runs kept)``,
    or None when every peel would leave fewer than ``min_n`` runs.

    Ties go to the peel removing fewer runs, then the lower column, then the low side."""
    n_in = idx.size
    den_now = yb[idx].mean()
    best = None  # ((score, -removed, -j, is_low), j, side, new_bound, keep)
    for j in range(A.shape[1]):
        x = A[idx, j]
        if np.unique(x).size < 2:
            continue
        for side in ("low", "high"):
            keep, new_bound = _peel(x, side, alpha)
            kept = int(keep.sum())
            if new_bound is None or kept < min_n:
                continue
            den = yb[idx[keep]].mean()
            score = den if criterion == "density" else (den - den_now) / (n_in - kept)
            cand = (score, -(n_in - kept), -j, side == "low")
            if best is None or cand > best[0]:
                best = (cand, j, side, new_bound, keep)
    return None if best is None else best[1:]


def _fmt(v: float) -> str:
    if float(v).is_integer():
        return f"{int(v)}"
    return f"{v:.3g}"


def describe_box(
    box: Box,
    outcome_label: str = "the outcome",
    labels: Mapping[str, str] | None = None,
    units: Mapping[str, str] | None = None,
) -> str:
    """One plain-language sentence for a PRIM box.

    Example: "In 83% of the runs where India is delayed past 2027 (coverage), the loss rate
    was above 3.9 battalions/yr and production below 9 battalions/yr; inside that box 91% of
    runs have that outcome (density)."

    Parameters
    ----------
    box : Box
    outcome_label : str
        Phrase that completes "the runs where ..." (e.g. ``"India is delayed past 2027"``).
    labels, units : mapping, optional
        Plain-language label and unit per assumption name.
    """
    labels = dict(labels or {})
    units = dict(units or {})
    parts = []
    for name in box.restricted:
        row = box.limits.loc[name]
        lab = labels.get(name, name)
        unit = units.get(name, "")
        u = f" {unit}" if unit else ""
        lo_cut = row["low"] > row["min"]
        hi_cut = row["high"] < row["max"]
        if row["low"] == row["high"]:
            parts.append(f"{lab} was {_fmt(row['low'])}{u}")
        elif lo_cut and hi_cut:
            if row["low"] == row["high"]:
                parts.append(f"{lab} was {_fmt(row['low'])}{u}")
            else:
                parts.append(f"{lab} was between {_fmt(row['low'])} and {_fmt(row['high'])}{u}")
        elif lo_cut:
            parts.append(f"{lab} was at least {_fmt(row['low'])}{u}")
        else:
            parts.append(f"{lab} was at most {_fmt(row['high'])}{u}")
    if not parts:
        return (
            f"No range of the assumptions singles out the runs where {outcome_label}: "
            f"it happens in {100 * box.density:.0f}% of all runs."
        )
    cond = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return (
        f"In {100 * box.coverage:.0f}% of the runs where {outcome_label} (coverage), "
        f"{cond}; inside that box {100 * box.density:.0f}% of runs have that outcome "
        f"(density), against {100 * _base_rate(box):.0f}% of all runs."
    )


def _base_rate(box: Box) -> float:
    # density * n_in / coverage = n_events; base rate = n_events / n = density * support / coverage
    if box.coverage == 0:
        return 0.0
    return box.density * box.support / box.coverage
