"""Live uncertainty for the explorer: one central run plus a seeded ensemble per change.

Every time a student moves a control, the explorer needs, next to the single run at the
chosen values, how sure the model is: bands on the time series and the chance of every
milestone date. :class:`LiveEnsemble` does this fast enough for a key press (a few ms):

* the uniform draws of every uncertain assumption are sampled **once** per seed and per
  weight setting (:func:`s400lab.model.sampling.sample`, Latin hypercube) and cached (the
  last :attr:`LiveEnsemble.DRAW_SETS_KEPT` weight settings);
* on each change the scenario's levers and settings are combined with those cached draws and
  run in one vectorized call (the model's :func:`~s400lab.model.core.simulate`, the same code
  as :func:`s400lab.model.evaluate`), so the result equals ``evaluate(scenario, draws)``;
* an assumption the user has set away from its register default is *pinned*: every draw uses
  the user's value (the ensemble then spreads only over what the user has not decided). The
  course of the war holds in every draw unless its opt-in mixture is on (a weight
  ``p_war_escalation`` / ``p_war_ceasefire`` above 0, see :mod:`s400lab.model.sampling`). The
  rule is :func:`s400lab.model.sampling.pinned_names`, the one :func:`s400lab.model.run_ensemble`
  uses, so the same scenario and seed give the same figures here and through the API. A caller
  that lets the user choose between "drawn" and a held course (the explorer does) names the
  held switches with ``held=``.

Same seed, same numbers: the draws depend only on ``seed``, ``n``, ``method`` and the
weight settings. Nothing here imports widgets or matplotlib.

The module also owns the texts the explorer prints for an outcome (:func:`format_outcome`,
:func:`format_change`) and the per-change effect list (:func:`change_effects`), so a dead
lever ("no outcome moved") is stated, not silent.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from s400lab.model import OUTCOMES, Scenario, formatting, run
from s400lab.model.formatting import is_missing, is_timing

__all__ = [
    "BAND_LEVELS",
    "Effect",
    "LiveEnsemble",
    "LiveRun",
    "change_effects",
    "column_quantiles",
    "format_change",
    "format_chance",
    "format_outcome",
]

#: Quantiles of the bands drawn on time series (5-95% outer, 25-75% inner, median).
BAND_LEVELS = (0.05, 0.25, 0.5, 0.75, 0.95)


def column_quantiles(a: np.ndarray, levels: Sequence[float] = BAND_LEVELS) -> np.ndarray:
    """``np.quantile(a, levels, axis=0)`` (method "linear") with one sort, shape ``(len(levels), H)``.

    The same numbers as numpy's (a test pins them): the same order statistics, neighbour
    indexes and interpolation (numpy's ``_lerp``: ``a + (b - a) * g``, or ``b - (b - a) * (1 - g)``
    from ``g = 0.5`` up); a column holding a NaN gives NaN. About 3x faster than
    ``np.quantile`` for the explorer's 1,000 x H bands: numpy partitions once per neighbour
    index, this sorts each column once.

    Parameters
    ----------
    a : array, shape (n, H)
        Draws in rows.
    levels : sequence of float
        Quantile levels in [0, 1].
    """
    x = np.asarray(a, dtype=float)
    if x.ndim != 2 or x.shape[0] < 1:
        raise ValueError(f"a must be a 2-d array with at least one row, got shape {x.shape}")
    q = np.asarray(levels, dtype=float)
    if q.ndim != 1 or not np.all((q >= 0) & (q <= 1)):
        raise ValueError(f"levels must be a sequence of numbers in [0, 1], got {levels!r}")
    s = np.sort(np.ascontiguousarray(x.T), axis=1)  # (H, n): each column of a, sorted
    n = s.shape[1]
    virtual = (n - 1) * q
    prev = np.floor(virtual)
    nxt = prev + 1
    prev[virtual >= n - 1] = nxt[virtual >= n - 1] = -1
    prev_i, next_i = prev.astype(np.intp), nxt.astype(np.intp)
    gamma = (virtual - prev_i)[:, None]
    lo, hi = s[:, prev_i].T, s[:, next_i].T
    diff = hi - lo
    out = lo + diff * gamma
    np.subtract(hi, diff * (1 - gamma), out=out, where=gamma >= 0.5)
    out[:, np.isnan(s[:, -1])] = np.nan  # NaN sorts last: numpy returns NaN for such a column
    return out


def format_outcome(value: float, unit: str, horizon_end: float | None = None) -> str:
    """The text of an outcome value without its unit: :func:`s400lab.model.formatting.format_outcome`."""
    return formatting.format_outcome(value, unit, horizon_end)


def format_change(value: float, base: float, unit: str) -> str:
    """Difference of ``value`` from ``base`` ("" = no change).

    See :func:`s400lab.model.formatting.format_change`."""
    return formatting.format_change(value, base, unit)


def format_chance(p: float) -> str:
    """``0.734 -> "73%"``; tiny but non-zero shares are not rounded to 0 or 100."""
    if is_missing(p):
        return ""
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 < p < 1:
        return ">99%"
    return f"{100 * p:.0f}%"


@dataclass
class LiveRun:
    """The central run of a scenario and its ensemble, summarized for display.

    Attributes
    ----------
    scenario : Scenario
    result : s400lab.model.Result
        The central run (uncertainties at the scenario's values).
    outcomes : dict of str to ndarray
        Ensemble outcomes, shape ``(n,)`` each.
    series : dict of str to ndarray
        Ensemble series kept for bands, shape ``(n, H)`` each.
    pinned : tuple of str
        Uncertainties held at the scenario's value in every draw.
    n, seed : int
    t : ndarray
        Quarter starts (decimal years), shape ``(H,)``.
    """

    scenario: Scenario
    result: Any
    outcomes: dict[str, np.ndarray]
    series: dict[str, np.ndarray]
    pinned: tuple[str, ...]
    n: int
    seed: int
    t: np.ndarray
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def central(self) -> dict[str, float]:
        """Outcomes of the central run (name -> float; NaN = not within horizon)."""
        return self.result.raw_outcomes

    @property
    def horizon_end(self) -> float:
        """Start of the last quarter simulated (decimal year)."""
        return float(self.t[-1])

    def band(self, var: str) -> np.ndarray:
        """Quantiles :data:`BAND_LEVELS` of a series over the ensemble, shape ``(5, H)``."""
        if var not in self._cache:
            self._cache[var] = column_quantiles(self.series[var], BAND_LEVELS)
        return self._cache[var]

    def difference_band(self, base: LiveRun, var: str) -> np.ndarray:
        """Quantiles :data:`BAND_LEVELS` of the paired difference ``self - base`` of a series
        (the same draws), shape ``(5, H)``: how much this scenario moves it, draw by draw."""
        return column_quantiles(self.series[var] - base.series[var], BAND_LEVELS)

    def chance(self, outcome: str) -> float:
        """Share of draws in which a date is reached within the horizon (timing outcome) or
        a yes/no outcome is yes; NaN for other outcomes."""
        key = ("chance", outcome)
        if key not in self._cache:
            unit = OUTCOMES[outcome][0]
            x = np.asarray(self.outcomes[outcome], dtype=float)
            if is_timing(unit):
                p = float(np.isfinite(x).mean())
            elif unit == "0/1":
                p = float(np.nan_to_num(x).mean())
            else:
                p = math.nan
            self._cache[key] = p
        return self._cache[key]

    def spread(self, outcome: str) -> tuple[float, float, float]:
        """5%, 50% and 95% of an outcome over the draws where it is defined (NaN if none)."""
        key = ("spread", outcome)
        if key not in self._cache:
            x = np.asarray(self.outcomes[outcome], dtype=float)
            x = x[np.isfinite(x)]
            self._cache[key] = (
                tuple(float(v) for v in np.quantile(x, (0.05, 0.5, 0.95))) if x.size else (math.nan,) * 3
            )
        return self._cache[key]

    def date_text(self, outcome: str) -> str:
        """A date with its chance: ``"2028Q1 - 73% within the horizon"``.

        If the central run does not reach it: ``"not by 2032Q3 - 12% within the horizon"``.
        """
        unit = OUTCOMES[outcome][0]
        value = format_outcome(self.central[outcome], unit, self.horizon_end)
        return f"{value} - {format_chance(self.chance(outcome))} within the horizon"

    def median(self, outcome: str) -> float:
        """Median quarter of a date over the draws that reach it within the horizon (NaN if
        none; :func:`s400lab.analysis.ensembles.median_quarter`)."""
        key = ("median", outcome)
        if key not in self._cache:
            from s400lab.analysis.ensembles import median_quarter

            self._cache[key] = median_quarter(self.outcomes[outcome])
        return self._cache[key]

    def milestone_text(self, outcome: str, short: bool = False) -> str:
        """A milestone told straight: the median date among the draws that reach it and the
        chance of reaching it, ``"median 2028Q3 - 73% within the horizon"``
        (``short``: ``"2028Q3 - 73%"``, where the view's title says "median").

        The single run's date is not used: its durations sit at the modes of their
        triangular ranges (earlier than the medians) and its block draws at 0.5, so it is the
        date *if not blocked* (:func:`s400lab.model.formatting.central_date_text`). No draw
        reaching it: ``"not by 2032Q3 - 0% within the horizon"``.
        """
        unit = OUTCOMES[outcome][0]
        med = self.median(outcome)
        chance = format_chance(self.chance(outcome))
        value = format_outcome(med, unit, self.horizon_end)
        if short:
            return f"{value} - {chance}"
        return f"{'' if is_missing(med) else 'median '}{value} - {chance} within the horizon"

    def summary(self, outcomes: Iterable[str] | None = None) -> pd.DataFrame:
        """Per outcome: central value, chance, 5/50/95% over the draws, unit and label."""
        names = list(OUTCOMES) if outcomes is None else list(outcomes)
        rows = {}
        for k in names:
            unit, label = OUTCOMES[k]
            q05, q50, q95 = self.spread(k)
            rows[k] = {
                "value": self.central[k],
                "chance": self.chance(k),
                "q05": q05,
                "q50": q50,
                "q95": q95,
                "unit": unit,
                "label": label,
            }
        out = pd.DataFrame.from_dict(rows, orient="index")
        out.index.name = "outcome"
        return out


class LiveEnsemble:
    """Central run + seeded ensemble of a scenario, fast enough for every key press.

    Parameters
    ----------
    n : int, default 1000
        Draws per ensemble.
    seed : int, default 1
        Seed of the cached draws (same seed -> same numbers).
    method : {"lhs", "mc"}
        Latin hypercube (default) or plain Monte Carlo.
    series : sequence of str
        Series kept for bands (others are dropped to save memory).

    Examples
    --------
    >>> live = LiveEnsemble(n=200)
    >>> r = live.run(Scenario.preset("full_return_cash"))
    >>> 0.0 <= r.chance("sanctions_lifted_q") <= 1.0
    True
    """

    #: Draw sets kept (one per weight setting; 1,000 draws x ~30 columns is ~0.25 MB).
    DRAW_SETS_KEPT = 8

    def __init__(
        self, n: int = 1000, seed: int = 1, method: str = "lhs", series: Sequence[str] = ("ru_stock",)
    ) -> None:
        if int(n) < 10:
            raise ValueError(f"n must be at least 10 draws, got {n!r}")
        self.n, self.seed, self.method = int(n), int(seed), method
        self.series_kept = tuple(series)
        #: draws per (weights, n, seed, method), most recent last: going back to earlier
        #: weight settings (a preset chosen again) samples nothing
        self._draw_sets: dict[tuple, dict[str, np.ndarray]] = {}
        self.samplings = 0  # how often draws were (re)sampled: once per seed and weights
        self.runs = 0

    # ------------------------------------------------------------------ draws
    @staticmethod
    def _weights_key(sc: Scenario) -> tuple:
        """Values that change the distribution of the draws: the settings (weights of
        discrete values, e.g. ``p_tr_holding_4``, live there)."""
        reg = sc.register
        return tuple((p.name, sc.values[p.name]) for p in reg if p.kind == "setting")

    def draws(self, sc: Scenario) -> pd.DataFrame:
        """The cached draws of every uncertain assumption for ``sc`` (``n`` rows)."""
        return pd.DataFrame(self._draw_arrays(sc), index=pd.RangeIndex(self.n, name="draw"))

    def _draw_arrays(self, sc: Scenario) -> dict[str, np.ndarray]:
        key = (self._weights_key(sc), self.n, self.seed, self.method)
        cached = self._draw_sets.pop(key, None)
        if cached is None:
            from s400lab.model.sampling import drawn_switches, sample

            reg = sc.register
            # everything an ensemble draws: the uncertainties and the model devices (the
            # uniform "luck" numbers behind a congressional block), then the course of the
            # war (its choice index), as run_ensemble does
            drawn = getattr(reg, "drawn", None) or reg.uncertainties
            names = [u for u in drawn if reg[u].is_numeric] + drawn_switches(reg)
            df = sample(reg, self.n, seed=self.seed, method=self.method, names=names, values=sc.values)
            cached = {c: np.ascontiguousarray(df[c].to_numpy(dtype=float)) for c in df}
            self.samplings += 1
        self._draw_sets[key] = cached
        while len(self._draw_sets) > self.DRAW_SETS_KEPT:
            self._draw_sets.pop(next(iter(self._draw_sets)))
        return cached

    @staticmethod
    def pinned(sc: Scenario, held: Iterable[str] | None = None) -> tuple[str, ...]:
        """What every draw holds at the scenario's value: the uncertainties the scenario sets
        away from their register default, and the drawn switches (``war_course``) in ``held``.

        Parameters
        ----------
        held : iterable of str, optional
            Drawn switches to hold at the scenario's value, whatever it is (so the default
            course, attrition, can be held too); the others are drawn by their weights.
            ``None``: hold a switch only when it is set away from its default.

        Raises
        ------
        ValueError
            ``held`` names something that is not a drawn switch.
        """
        from s400lab.model.sampling import drawn_switches, pinned_names

        reg = sc.register
        switches = drawn_switches(reg)
        if held is not None:
            unknown = sorted(set(held) - set(switches))
            if unknown:
                names = ", ".join(switches)
                raise ValueError(
                    f"held: {', '.join(unknown)} is not drawn per draw (drawn switches: {names})"
                )
        return tuple(pinned_names(sc.values, reg, held))

    # ------------------------------------------------------------------ run
    def run(self, sc: Scenario, central=None, held: Iterable[str] | None = None) -> LiveRun:
        """Central run and ensemble of ``sc``.

        Parameters
        ----------
        sc : Scenario
        central : Result, optional
            A central run of ``sc`` already computed (skips one model run).
        held : iterable of str, optional
            Drawn switches held at the scenario's value (see :meth:`pinned`).
        """
        from s400lab.model.core import simulate

        draws = self._draw_arrays(sc)
        pinned = self.pinned(sc, held)
        values: dict[str, Any] = dict(sc.values)
        reg = sc.register
        for name, arr in draws.items():
            if name not in pinned:
                p = reg[name]
                # a drawn switch's column holds choice indices: the model takes the choices
                values[name] = (
                    np.asarray(p.choices, dtype=object)[arr.astype(int)] if p.type == "choice" else arr
                )
        series, outcomes = simulate(values, self.n)
        result = central if central is not None else run(sc)
        self.runs += 1
        H = int(sc.values["horizon_quarters"])
        t = float(sc.values["start_year"]) + 0.25 * np.arange(H)
        kept = {k: np.asarray(series[k], dtype=float) for k in self.series_kept if k in series}
        return LiveRun(
            scenario=sc,
            result=result,
            outcomes={k: np.asarray(v, dtype=float) for k, v in outcomes.items()},
            series=kept,
            pinned=pinned,
            n=self.n,
            seed=self.seed,
            t=t,
        )

    def pinned_draws(self, sc: Scenario, held: Iterable[str] | None = None) -> pd.DataFrame:
        """The draws actually used for ``sc`` (pinned columns dropped): passing them to
        :func:`s400lab.model.evaluate` reproduces :meth:`run`'s ensemble outcomes."""
        pinned = set(self.pinned(sc, held))
        df = self.draws(sc)
        return df[[c for c in df.columns if c not in pinned]]


# --------------------------------------------------------------------------- effects


@dataclass(frozen=True)
class Effect:
    """How one outcome moved with the last change (central run and chance)."""

    outcome: str
    label: str
    unit: str
    before: float
    after: float
    text: str
    chance_before: float = math.nan
    chance_after: float = math.nan


def change_effects(before: LiveRun, after: LiveRun, outcomes: Iterable[str]) -> list[Effect]:
    """Outcomes whose shown value or chance moved between two runs, in ``outcomes`` order.

    An empty list means the change moved none of ``outcomes``: a dead lever under the
    current choices, which the explorer says in words.
    """
    effects = []
    for k in outcomes:
        if k not in OUTCOMES:
            continue
        unit, label = OUTCOMES[k]
        b, a = before.central.get(k, math.nan), after.central.get(k, math.nan)
        text = format_change(a, b, unit)
        cb, ca = before.chance(k), after.chance(k)
        moved_chance = (not (math.isnan(cb) or math.isnan(ca))) and abs(ca - cb) >= 0.01
        if not text and not moved_chance:
            continue
        if moved_chance:
            chance_text = f"chance {format_chance(cb)} -> {format_chance(ca)}"
            text = f"{text}, {chance_text}" if text else chance_text
        effects.append(Effect(k, label, unit, b, a, text, cb, ca))
    return effects


def values_differing(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    """Names whose values differ between two value mappings (register order of ``a``)."""
    return [k for k in a if k in b and a[k] != b[k]]
