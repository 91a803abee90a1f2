"""Ensemble statistics: outcome probabilities with their sampling error, bands, comparisons.

An ensemble is N model runs, each with its own draw of the uncertain assumptions. Everything
here works on plain arrays / DataFrames of outcomes (one row per run), so it is model-independent
and testable on toy functions; :func:`standard_events` names the model's usual questions.

Conventions
-----------
* Timing outcomes are decimal years of a quarter's start (``2027.75`` = 2027Q4); ``NaN`` means
  "did not happen within the model horizon". For a comparison, ``NaN`` therefore counts as
  *later than any date* (``+inf``): "delivered by 2027Q4" is False for a NaN run and
  "delayed past 2027Q4" is True.
* A probability is the share of runs in which an event happens. Its Monte Carlo standard
  error is ``sqrt(p (1 - p) / n)`` (binomial) and its 95% interval is the Wilson score
  interval (Wilson 1927), which stays inside [0, 1] and behaves well for p near 0 or 1.
  These intervals describe *sampling* error only -- how sure we are about what the model says
  given its assumption ranges -- not whether the model or the ranges are right.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from s400lab._files import write_new_file
from s400lab.model.results import quarter_text

__all__ = [
    "MILESTONES",
    "median_quarter",
    "milestone_odds",
    "Event",
    "Probability",
    "wilson_interval",
    "newcombe_difference",
    "parse_quarter",
    "event_mask",
    "probability",
    "probability_table",
    "compare_probabilities",
    "quantile_summary",
    "bands_from_samples",
    "convergence",
    "export_csv",
    "standard_events",
    "last_quarter",
    "EnsembleRun",
    "chunk_seeds",
    "run_chunked",
]

#: z value of a two-sided 95% normal interval.
Z95 = 1.959963984540054

_OPS: dict[str, Callable[[np.ndarray, float], np.ndarray]] = {
    "<=": np.less_equal,
    "<": np.less,
    ">=": np.greater_equal,
    ">": np.greater,
    "==": np.equal,
}

_QUARTER = re.compile(r"^\s*(\d{4})\s*[Qq]([1-4])\s*$")


def parse_quarter(value: str | float | int) -> float:
    """Convert a quarter label or number to the decimal year of the quarter's start.

    Parameters
    ----------
    value : str or float
        ``"2027Q4"`` (-> 2027.75) or a number, returned as float unchanged.

    Returns
    -------
    float

    Examples
    --------
    >>> parse_quarter("2027Q4")
    2027.75
    >>> parse_quarter(2028)
    2028.0
    """
    if isinstance(value, str):
        m = _QUARTER.match(value)
        if m is None:
            try:
                return float(value)
            except ValueError:
                raise ValueError(
                    f"cannot read {value!r} as a quarter; write e.g. '2027Q4' or 2027.75"
                ) from None
        return int(m.group(1)) + (int(m.group(2)) - 1) / 4
    return float(value)


@dataclass(frozen=True)
class Event:
    """A yes/no question asked of every run: ``outcome <op> threshold``.

    Parameters
    ----------
    label : str
        Plain-language question, e.g. ``"India's last squadron delivered by 2027Q4"``.
    column : str
        Outcome column (see ``Ensemble.outcomes``).
    op : {"<=", "<", ">=", ">", "=="}
        Comparison; for a timing outcome ``"<="`` reads "by", ``">"`` reads "later than".
    threshold : str or float
        A quarter label (``"2027Q4"``) or a number. For 0/1 outcomes use ``(">=", 0.5)``.
    nan_as : float
        Value a missing outcome takes in the comparison; ``+inf`` (default) = "never, within
        the horizon", the right reading for timing outcomes.
    """

    label: str
    column: str
    op: str = "<="
    threshold: str | float = 0.5
    nan_as: float = math.inf

    def __post_init__(self) -> None:
        if self.op not in _OPS:
            raise ValueError(f"Event {self.label!r}: op must be one of {sorted(_OPS)}, got {self.op!r}")
        parse_quarter(self.threshold)  # fail early on a bad threshold

    def mask(self, outcomes: pd.DataFrame | Mapping[str, np.ndarray]) -> np.ndarray:
        """Boolean array, one entry per run: did the event happen?"""
        if self.column not in outcomes:
            have = ", ".join(map(str, getattr(outcomes, "columns", list(outcomes))))
            raise KeyError(f"Event {self.label!r}: no outcome column {self.column!r} (have: {have})")
        return event_mask(
            np.asarray(outcomes[self.column], dtype=float), self.op, self.threshold, nan_as=self.nan_as
        )


def event_mask(
    values: Sequence[float] | np.ndarray,
    op: str = "<=",
    threshold: str | float = 0.5,
    *,
    nan_as: float = math.inf,
) -> np.ndarray:
    """Evaluate ``values <op> threshold`` with missing values replaced by ``nan_as``.

    Parameters
    ----------
    values : array-like of float
        One outcome per run.
    op : {"<=", "<", ">=", ">", "=="}
    threshold : str or float
        Quarter label or number (see :func:`parse_quarter`).
    nan_as : float, default +inf
        What a NaN ("not within horizon") counts as.

    Returns
    -------
    numpy.ndarray of bool
    """
    if op not in _OPS:
        raise ValueError(f"op must be one of {sorted(_OPS)}, got {op!r}")
    x = np.asarray(values, dtype=float)
    x = np.where(np.isnan(x), nan_as, x)
    return _OPS[op](x, parse_quarter(threshold))


def wilson_interval(
    k: int | np.ndarray, n: int | np.ndarray, z: float = Z95
) -> tuple[np.ndarray | float, np.ndarray | float]:
    """Wilson score interval for a binomial proportion ``k / n``.

    Parameters
    ----------
    k : int or array of int
        Number of runs in which the event happened.
    n : int or array of int
        Number of runs (> 0).
    z : float
        Normal quantile (1.96 for 95%).

    Returns
    -------
    (low, high) : floats or arrays within [0, 1]

    Notes
    -----
    ``centre = (p + z^2/2n) / (1 + z^2/n)``,
    ``half = z / (1 + z^2/n) * sqrt(p (1-p) / n + z^2 / 4n^2)``  (Wilson 1927; Agresti &
    Coull 1998 recommend it over the Wald interval).
    """
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    if np.any(n <= 0):
        raise ValueError("wilson_interval needs n > 0 runs")
    if np.any((k < 0) | (k > n)):
        raise ValueError("wilson_interval needs 0 <= k <= n")
    p = k / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    low = np.clip(centre - half, 0.0, 1.0)
    high = np.clip(centre + half, 0.0, 1.0)
    # guard rounding so the interval always contains p
    low = np.minimum(low, p)
    high = np.maximum(high, p)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


@dataclass(frozen=True)
class Probability:
    """A probability estimated from an ensemble, with its Monte Carlo error.

    Attributes
    ----------
    p : float
        Share of runs in which the event happened.
    se : float
        Binomial standard error ``sqrt(p (1-p) / n)``.
    low, high : float
        Wilson 95% interval.
    k, n : int
        Runs with the event; runs in total.
    label : str
    """

    p: float
    se: float
    low: float
    high: float
    k: int
    n: int
    label: str = ""

    def __str__(self) -> str:
        return (
            f"{self.label + ': ' if self.label else ''}{100 * self.p:.1f}% "
            f"(95% interval {100 * self.low:.1f}-{100 * self.high:.1f}%, n={self.n:,})"
        )


def probability(mask: Sequence[bool] | np.ndarray, label: str = "", z: float = Z95) -> Probability:
    """Estimate P(event) from a boolean array (one entry per run).

    Parameters
    ----------
    mask : array-like of bool
        True where the event happened (see :func:`event_mask`, :meth:`Event.mask`).
    label : str
    z : float
        Normal quantile for the Wilson interval.

    Returns
    -------
    Probability
    """
    m = np.asarray(mask)
    if m.dtype != bool:
        if not np.isin(m, (0, 1)).all():
            raise ValueError("probability() needs a boolean (or 0/1) array")
        m = m.astype(bool)
    n = int(m.size)
    if n == 0:
        raise ValueError("probability() needs at least one run")
    k = int(m.sum())
    p = k / n
    low, high = wilson_interval(k, n, z)
    return Probability(
        p=p, se=math.sqrt(p * (1 - p) / n), low=float(low), high=float(high), k=k, n=n, label=label
    )


def probability_table(outcomes: pd.DataFrame, events: Iterable[Event]) -> pd.DataFrame:
    """One row per event: probability, standard error, Wilson 95% interval.

    Parameters
    ----------
    outcomes : DataFrame
        One row per run, one column per outcome.
    events : iterable of Event

    Returns
    -------
    DataFrame
        Columns ``event, column, p, se, low, high, k, n``, in the order given.
    """
    rows = []
    for ev in events:
        pr = probability(ev.mask(outcomes), ev.label)
        rows.append(
            {
                "event": ev.label,
                "column": ev.column,
                "p": pr.p,
                "se": pr.se,
                "low": pr.low,
                "high": pr.high,
                "k": pr.k,
                "n": pr.n,
            }
        )
    return pd.DataFrame(rows, columns=["event", "column", "p", "se", "low", "high", "k", "n"])


def newcombe_difference(k1: int, n1: int, k2: int, n2: int, z: float = Z95) -> tuple[float, float, float]:
    """Difference ``p1 - p2`` of two independent proportions with Newcombe's hybrid interval.

    Newcombe (1998), method 10: combines the two Wilson intervals; better coverage than the
    Wald interval when a proportion is near 0 or 1.

    Returns
    -------
    (diff, low, high) : float
    """
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson_interval(k1, n1, z)
    l2, u2 = wilson_interval(k2, n2, z)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, max(low, -1.0), min(high, 1.0)


def compare_probabilities(
    outcomes_a: pd.DataFrame,
    outcomes_b: pd.DataFrame,
    events: Iterable[Event],
    names: tuple[str, str] = ("A", "B"),
    paired: bool | None = None,
    z: float = Z95,
) -> pd.DataFrame:
    """Two scenarios side by side: P(event) in each and the difference ``B - A`` with an interval.

    Parameters
    ----------
    outcomes_a, outcomes_b : DataFrame
        Ensemble outcomes of the two scenarios (one row per run).
    events : iterable of Event
    names : (str, str)
        Column prefixes for the two scenarios.
    paired : bool, optional
        True when row i of both ensembles used the same draw of the uncertainties (same seed,
        same n: "common random numbers"); the interval of the difference then uses the
        per-run differences, which is much tighter because shared noise cancels. False treats the
        ensembles as independent (Newcombe's hybrid Wilson interval). ``None`` (default):
        paired if both have the same number of rows (a paired interval is valid for any i.i.d.
        pairs; it is only *tighter* when the draws are shared).
    z : float

    Returns
    -------
    DataFrame
        ``event, p_<A>, p_<B>, diff, diff_low, diff_high, paired``; ``diff = p_B - p_A``.
    """
    a, b = names
    if paired is None:
        paired = len(outcomes_a) == len(outcomes_b)
    if paired and len(outcomes_a) != len(outcomes_b):
        raise ValueError("a paired comparison needs ensembles of the same size")
    rows = []
    for ev in events:
        ma, mb = ev.mask(outcomes_a), ev.mask(outcomes_b)
        pa, pb = float(ma.mean()), float(mb.mean())
        if paired:
            d_i = mb.astype(float) - ma.astype(float)
            n = d_i.size
            d = float(d_i.mean())
            se = float(d_i.std(ddof=1) / math.sqrt(n)) if n > 1 else math.nan
            lo, hi = max(d - z * se, -1.0), min(d + z * se, 1.0)
        else:
            d, lo, hi = newcombe_difference(int(mb.sum()), mb.size, int(ma.sum()), ma.size, z)
        rows.append(
            {
                "event": ev.label,
                f"p_{a}": pa,
                f"p_{b}": pb,
                "diff": d,
                "diff_low": lo,
                "diff_high": hi,
                "paired": bool(paired),
            }
        )
    return pd.DataFrame(rows)


def quantile_summary(
    outcomes: pd.DataFrame, columns: Sequence[str] | None = None, nan_policy: str = "report"
) -> pd.DataFrame:
    """Median and the 50% / 90% bands of each scalar outcome.

    Parameters
    ----------
    outcomes : DataFrame
        One row per run.
    columns : list of str, optional
        Outcomes to summarise (default: all numeric columns).
    nan_policy : {"report", "omit"}
        Quantiles are always computed over the runs where the outcome is defined; with
        ``"report"`` the share of runs where it is NaN (not within horizon) is a column too.

    Returns
    -------
    DataFrame indexed by outcome: ``q05 q25 q50 q75 q95 mean share_missing``.
    """
    cols = list(columns) if columns is not None else list(outcomes.select_dtypes("number").columns)
    qs = [0.05, 0.25, 0.5, 0.75, 0.95]
    rows = {}
    for c in cols:
        x = np.asarray(outcomes[c], dtype=float)
        ok = x[~np.isnan(x)]
        if ok.size:
            vals = np.quantile(ok, qs)
            mean = float(ok.mean())
        else:
            vals = np.full(len(qs), np.nan)
            mean = np.nan
        row = dict(zip(["q05", "q25", "q50", "q75", "q95"], vals, strict=False))
        row["mean"] = mean
        if nan_policy == "report":
            row["share_missing"] = float(np.isnan(x).mean()) if x.size else np.nan
        rows[c] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def bands_from_samples(samples: np.ndarray, t: Sequence[float] | None = None) -> pd.DataFrame:
    """Per-time-step fan-chart bands from an (n runs x T steps) array.

    Parameters
    ----------
    samples : ndarray, shape (n, T)
    t : sequence of float, optional
        Time of each column (decimal years); default 0..T-1.

    Returns
    -------
    DataFrame with columns ``t q05 q25 q50 q75 q95 mean`` (one row per step); the same
    shape as the model's ``Ensemble.bands(var)`` so both feed :func:`plots.uncertainty.fan_chart`.
    """
    s = np.asarray(samples, dtype=float)
    if s.ndim != 2:
        raise ValueError("samples must be a 2-D array (runs x time steps)")
    q = np.nanquantile(s, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    out = pd.DataFrame(
        {
            "t": np.arange(s.shape[1], dtype=float) if t is None else np.asarray(t, float),
            "q05": q[0],
            "q25": q[1],
            "q50": q[2],
            "q75": q[3],
            "q95": q[4],
            "mean": np.nanmean(s, axis=0),
        }
    )
    return out


def convergence(
    mask: Sequence[bool] | np.ndarray, ns: Sequence[int] | None = None, z: float = Z95
) -> pd.DataFrame:
    """How the estimate of P(event) settles as the number of runs grows.

    Uses the first ``n`` runs for each ``n`` in ``ns``. Runs are i.i.d. (Monte Carlo) or in
    random order (a Latin hypercube's rows are randomly permuted), so a prefix is a fair
    sample, though a prefix of a Latin hypercube is no longer stratified.

    Parameters
    ----------
    mask : array-like of bool
    ns : sequence of int, optional
        Default: roughly log-spaced from 100 to the full size.

    Returns
    -------
    DataFrame ``n p se low high``.
    """
    m = np.asarray(mask, dtype=bool)
    if ns is None:
        top = m.size
        ns = sorted({int(v) for v in np.geomspace(min(100, top), top, num=12)})
    rows = []
    csum = np.concatenate([[0], np.cumsum(m)])
    for n in ns:
        if not 0 < n <= m.size:
            raise ValueError(f"n={n} is outside 1..{m.size}")
        k = int(csum[n])
        p = k / n
        lo, hi = wilson_interval(k, n, z)
        rows.append({"n": n, "p": p, "se": math.sqrt(p * (1 - p) / n), "low": lo, "high": hi})
    return pd.DataFrame(rows)


def export_csv(
    df: pd.DataFrame, path: str | os.PathLike, *, overwrite: bool = False, index: bool = False
) -> Path:
    """Write a table to CSV; never overwrite an existing file unless asked.

    The file is written to a temporary file in the same folder and then renamed, so an
    interrupted export never leaves a half-written file behind.

    Parameters
    ----------
    df : DataFrame
    path : path-like
        Target ``.csv`` file chosen by the user.
    overwrite : bool, default False
        If False and ``path`` exists, raise ``FileExistsError`` and leave the file untouched.
    index : bool, default False
        Write the DataFrame index as a column.

    Returns
    -------
    pathlib.Path of the written file.
    """
    return write_new_file(
        path,
        lambda fh: df.to_csv(fh, index=index),
        overwrite=overwrite,
        hint="choose another name or pass overwrite=True",
        newline="",
    )


def last_quarter(scenario: Any | None = None) -> float:
    """Decimal year of the start of a scenario's last simulated quarter.

    ``start_year + (horizon_quarters - 1) / 4`` -- 2032.5 (= 2032Q3) for the register defaults.
    """
    if scenario is None:
        from s400lab.model import Scenario

        scenario = Scenario.default()
    v = scenario.values
    return float(v["start_year"]) + (int(v["horizon_quarters"]) - 1) / 4


def standard_events(scenario: Any | None = None, columns: Iterable[str] | None = None) -> list[Event]:
    """The yes/no questions the seminar asks of an ensemble, worded without ambiguity.

    Every date in a label says which quarter is the last one that counts ("by end-2028"
    includes 2028Q4), and "within the horizon" is written as the horizon's last quarter, so a
    student cannot read "by 2028" as "before 2028". A timing outcome that is NaN (not within
    the horizon) counts as "later than any date".

    Parameters
    ----------
    scenario : Scenario, optional
        Sets the horizon named in the labels (default: the register defaults).
    columns : iterable of str, optional
        Outcome columns available; events whose column is missing are dropped.

    Returns
    -------
    list of Event
    """
    from s400lab.model import quarter_label

    end = quarter_label(last_quarter(scenario))
    events = [
        Event("India's last squadron delivered by end-2027", "india_sq5_q", "<=", "2027Q4"),
        Event("India's last squadron later than 2027", "india_sq5_q", ">", "2027Q4"),
        Event("CAATSA sanctions lifted by end-2028", "sanctions_lifted_q", "<=", "2028Q4"),
        Event(f"CAATSA sanctions lifted by {end}", "sanctions_lifted", ">=", 0.5),
        Event(f"F-35 readmission by {end}", "f35_readmitted", ">=", 0.5),
        Event(f"First F-35 delivered by {end}", "f35_delivered", ">=", 0.5),
        Event(f"Russia short of its home need in {end}", "ru_shortfall_end", ">", 0.0, nan_as=math.nan),
    ]
    if columns is None:
        return events
    have = set(columns)
    return [e for e in events if e.column in have]


#: Date outcomes whose odds :func:`milestone_odds` reports, in display order.
MILESTONES = (
    "divestiture_q",
    "sanctions_lifted_q",
    "f35_readmission_q",
    "f35_first_delivery_q",
    "returned_usable_q",
    "returned_india_q",
    "india_next_production_q",
    "india_sq4_q",
    "india_sq5_q",
)


def median_quarter(x: Any) -> float:
    """Median quarter of the draws that reach a date (NaN ones left out), on the quarter grid.

    The median of decimal years can fall between two quarter starts (an even count); it is
    floored to the start of its quarter, so it reads as a quarter. NaN if no draw reaches it.

    >>> median_quarter([2027.25, 2027.5, float("nan")])
    2027.25
    """
    a = np.asarray(x, dtype=float)
    fin = a[~np.isnan(a)]
    if not fin.size:
        return math.nan
    return float(np.floor(np.median(fin) * 4.0 + 1e-9) / 4.0)


def milestone_odds(
    scenario: Any, n: int = 1000, seed: int = 0, outcomes: Iterable[str] | None = None
) -> pd.DataFrame:
    """Each milestone's chance beside its central date: a small seeded ensemble.

    Parameters
    ----------
    scenario : Scenario or mapping
        A :class:`s400lab.model.Scenario`, or a mapping of parameter values (changes from the
        register defaults are validated into a scenario).
    n : int
        Draws (Latin hypercube over the uncertainties and the model devices, e.g. the
        congressional block draws ``u_block_*``).
    seed : int
        Same seed -> same table.
    outcomes : iterable of str, optional
        Date outcomes (default :data:`MILESTONES`).

    Returns
    -------
    pandas.DataFrame
        Index = outcome; columns ``label``, ``central`` (the single run's quarter, NaN = not
        within the horizon), ``central_label`` (a US milestone Congress can block reads "2027Q4
        if not blocked": the single run never draws a block), ``p_within`` (share of draws in which it
        happens within the horizon), ``median`` (median quarter of those draws, on the quarter
        grid), ``median_label``, ``q05``, ``q95``.
    """
    from s400lab.model import OUTCOMES, Scenario, quarter_label, run, run_ensemble
    from s400lab.model.formatting import central_date_text

    if not isinstance(scenario, Scenario):
        if not isinstance(scenario, Mapping):
            raise TypeError("scenario must be a Scenario or a mapping of parameter values")
        scenario = Scenario.from_dict({"values": dict(scenario)})
    names = list(MILESTONES if outcomes is None else outcomes)
    for k in names:
        if k not in OUTCOMES or OUTCOMES[k][0] != "year":
            raise ValueError(f"{k!r} is not a date outcome (unit 'year') of the model")
    central = run(scenario).raw_outcomes
    ens = run_ensemble(scenario, n=n, seed=seed)
    rows = []
    for k in names:
        x = np.asarray(ens.raw_outcomes[k], dtype=float)
        fin = x[~np.isnan(x)]
        if fin.size:
            med = median_quarter(fin)
            q05, q95 = (float(np.floor(v * 4.0 + 1e-9) / 4.0) for v in np.quantile(fin, [0.05, 0.95]))
        else:
            med = q05 = q95 = math.nan
        rows.append(
            {
                "outcome": k,
                "label": OUTCOMES[k][1],
                "central": central[k],
                "central_label": central_date_text(k, central[k]),  # "... if not blocked"
                "p_within": float(fin.size / x.size),
                "median": med,
                "median_label": quarter_label(med),
                "q05": q05,
                "q95": q95,
            }
        )
    return pd.DataFrame(rows).set_index("outcome")


# ---------------------------------------------------------------------------------------------
# Long runs in chunks (progress reporting), on the s400lab model
# ---------------------------------------------------------------------------------------------

#: Draws per chunk of :func:`run_chunked`.
CHUNK_SIZE = 10_000


def chunk_seeds(seed: int, n_chunks: int) -> list[int]:
    """Seeds of the chunks of a long run: chunk 0 uses ``seed`` itself, chunk i > 0 a seed
    derived from ``(seed, i)`` by ``numpy.random.SeedSequence`` (independent streams).

    So a run of up to one chunk is identical to ``run_ensemble(sc, n, seed)``, and the same
    seed always gives the same numbers.
    """
    out = [int(seed)]
    for i in range(1, n_chunks):
        out.append(int(np.random.SeedSequence([int(seed), i]).generate_state(1, np.uint32)[0]))
    return out


@dataclass
class EnsembleRun:
    """An ensemble assembled from chunks (see :func:`run_chunked`).

    Attributes
    ----------
    scenario : s400lab.model.Scenario
    draws, outcomes : DataFrame
        ``n`` rows, as ``Ensemble.draws`` / ``Ensemble.outcomes``.
    series : dict of str to ndarray
        The per-quarter variables that were kept, each of shape (n, H).
    t : ndarray
        Decimal year of each quarter.
    quarters : list of str
    seed : int
    method : str
    """

    scenario: object
    draws: pd.DataFrame
    outcomes: pd.DataFrame
    series: dict
    t: np.ndarray
    quarters: list
    seed: int
    method: str

    def __len__(self) -> int:
        return len(self.outcomes)

    def bands(self, var: str) -> pd.DataFrame:
        """Per-quarter ``t q05 q25 q50 q75 q95 mean`` of a kept variable (index: quarter)."""
        if var not in self.series:
            raise ValueError(f"variable {var!r} was not kept; kept: {', '.join(self.series)}")
        b = bands_from_samples(self.series[var], list(self.t))
        b.index = pd.Index(self.quarters, name="quarter")
        return b


def run_chunked(
    scenario,
    n: int,
    seed: int = 1,
    method: str = "lhs",
    *,
    series: Iterable[str] = (),
    chunk_size: int = CHUNK_SIZE,
    callback: Callable[[int, int], None] | None = None,
) -> EnsembleRun:
    """Run a large ensemble in chunks of ``chunk_size`` draws, reporting progress.

    Parameters
    ----------
    scenario : s400lab.model.Scenario
    n : int
        Total draws (e.g. 1,000-100,000).
    seed : int
        Chunk seeds come from :func:`chunk_seeds`; the same seed and ``chunk_size`` give the
        same numbers. Two scenarios run with the same seed share their draws (common random
        numbers), which makes their comparison sharper.
    method : {"lhs", "mc"}
        Latin hypercube within each chunk, or plain Monte Carlo.
    series : iterable of str
        Per-quarter variables to keep for fan charts (only these are kept, to save memory).
    chunk_size : int
    callback : callable, optional
        ``callback(done, n)`` after each chunk (e.g. to move a progress bar).

    Returns
    -------
    EnsembleRun
    """
    from s400lab.model import run_ensemble

    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    sizes = [chunk_size] * (n // chunk_size) + ([n % chunk_size] if n % chunk_size else [])
    seeds = chunk_seeds(seed, len(sizes))
    series = list(series)
    draws: list = []
    outs: list = []
    kept: dict[str, list] = {v: [] for v in series}
    done = 0
    ens = None
    for size, s in zip(sizes, seeds, strict=False):
        ens = run_ensemble(scenario, n=size, seed=s, method=method)
        draws.append(ens.draws)
        outs.append(ens.outcomes)
        for v in series:
            if v not in ens.raw_series:
                raise ValueError(f"unknown variable {v!r}; variables: {', '.join(ens.raw_series)}")
            kept[v].append(np.asarray(ens.raw_series[v], dtype=float))
        done += size
        if callback is not None:
            callback(done, n)
    assert ens is not None
    b0 = ens.bands(series[0]) if series else None
    if b0 is not None:
        t, quarters = b0["t"].to_numpy(), list(b0.index)
    else:
        v = scenario.values
        t = float(v["start_year"]) + 0.25 * np.arange(int(v["horizon_quarters"]))
        quarters = [quarter_text(x) for x in t]
    return EnsembleRun(
        scenario=scenario,
        draws=pd.concat(draws, ignore_index=True),
        outcomes=pd.concat(outs, ignore_index=True),
        series={v: np.vstack(a) for v, a in kept.items()},
        t=np.asarray(t, float),
        quarters=quarters,
        seed=int(seed),
        method=method,
    )
