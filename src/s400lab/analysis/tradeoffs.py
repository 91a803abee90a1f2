"""Stakeholder trade-offs: a Bardach-style outcomes matrix with student-set weights.

Eugene Bardach's *Eightfold Path* asks the analyst to "confront the trade-offs" in an
**outcomes matrix**: rows are the policy options, columns the evaluative criteria, and
each cell the projected outcome *in its natural unit* (US$ bn, quarters, battalions...).
This module builds that matrix from model outcomes, then offers one (explicitly
value-laden) way to collapse it into a ranking:

1. **Criteria** (:class:`Criterion`): each column names one model outcome
   (``run(sc).outcomes`` row), the stakeholder it matters to, and its *direction*:
   ``"higher"`` (more is better for that stakeholder) or ``"lower"``.
2. **Normalisation** (:func:`normalise`), min-max across the options, per criterion:
   ``score = (x - worst) / (best - worst)``, so the best option gets 1 and the worst 0.
   Scores are relative to the options on the table: adding an option can change them.
   A criterion on which all options are equal gets 0.5 for all (it cannot change a
   ranking). A missing value (NaN, e.g. "F-35 not delivered within the horizon") is
   treated as the worst possible and gets 0; the remaining options are scaled between
   their own best (1) and worst (0, or 1 if they are all equal).
3. **Weights** (:func:`rank_options`): non-negative, rescaled to sum to 1; the total
   is the weighted sum of normalised scores. Weights are where values enter: the
   student sets them and must defend them.
4. **Robustness** (:func:`weight_robustness`): weight vectors drawn uniformly on the
   simplex (a flat Dirichlet); for each option the share of draws in which it ranks
   first (ties split equally) and its mean rank. An option that wins under most
   weightings is robust to disagreements about values.

Everything here works on plain DataFrames, so the method can be checked by hand on a
small table before (and independently of) the model. Imports numpy and pandas (and the
model, only in :func:`preset_matrix`); no widgets, no matplotlib.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "Criterion",
    "DEFAULT_CRITERIA",
    "criteria_table",
    "outcomes_matrix",
    "preset_matrix",
    "normalise",
    "check_weights",
    "stakeholder_weights",
    "weighted_scores",
    "rank_options",
    "weight_robustness",
]


@dataclass(frozen=True)
class Criterion:
    """One column of the outcomes matrix.

    Parameters
    ----------
    criterion_id : str
        Short id used as the column name and weight key.
    stakeholder : str
        Whose criterion it is (Turkiye, Russia, United States/NATO, India, Ukraine).
    label : str
        What the student reads.
    outcome : str
        Name of the model outcome (row of ``run(sc).outcomes``).
    direction : {"higher", "lower"}
        Whether a higher outcome value is better for this stakeholder.
    rationale : str
        Why this outcome measures this criterion (shown in the notebook).
    """

    criterion_id: str
    stakeholder: str
    label: str
    outcome: str
    direction: str
    rationale: str = ""

    def __post_init__(self) -> None:
        if self.direction not in ("higher", "lower"):
            raise ValueError(
                f"criterion {self.criterion_id!r}: direction must be 'higher' "
                f"or 'lower'; got {self.direction!r}"
            )


#: Default criteria: stakeholder -> model outcome, with the direction that is better
#: for that stakeholder. Students may edit a copy; the mapping is the value judgement.
DEFAULT_CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "tr_money",
        "Turkiye",
        "Turkiye: money recovered",
        "tr_recovered_usd_bn",
        "higher",
        "Refund + avoided S-400 upkeep + regained F-35 work share within the "
        "horizon (US$ bn); the sunk cost is the same in every option.",
    ),
    Criterion(
        "tr_f35",
        "Turkiye",
        "Turkiye: first F-35 delivered",
        "f35_first_delivery_q",
        "lower",
        "Earlier is better; 'not within the horizon' (NaN) counts as worst.",
    ),
    Criterion(
        "tr_moscow",
        "Turkiye",
        "Turkiye: freedom from Moscow's leverage",
        "sig_moscow_leverage",
        "higher",
        "Alliance-scorecard signal (-1..1): systems still held or a refund paid in "
        "energy keep Ankara tied to Moscow.",
    ),
    Criterion(
        "ru_stock",
        "Russia",
        "Russia: S-400 battalions at horizon end",
        "ru_stock_end",
        "higher",
        "Home air-defence capacity after production, losses, exports and returned units.",
    ),
    Criterion(
        "ru_money",
        "Russia",
        "Russia: value regained minus refund",
        "ru_net_usd_bn",
        "higher",
        "Value of the battalions regained minus the refund paid (US$ bn).",
    ),
    Criterion(
        "us_sanctions",
        "United States/NATO",
        "US/NATO: CAATSA dispute settled",
        "sanctions_lifted_q",
        "lower",
        "Quarter the SSB sanctions are lifted: only a verified full divestiture meets "
        "the legal conditions (FY2021 NDAA s.1241); never = worst.",
    ),
    Criterion(
        "nato_integration",
        "United States/NATO",
        "US/NATO: NATO integration signal",
        "sig_nato_integration",
        "higher",
        "Alliance-scorecard signal (-1..1) for Turkiye's integration in NATO air defence.",
    ),
    Criterion(
        "india_sq5",
        "India",
        "India: 5th squadron delivered",
        "india_sq5_q",
        "lower",
        "Earlier completion of the 2018 contract (quarter); never = worst.",
    ),
    Criterion(
        "ua_ru_stock",
        "Ukraine",
        "Ukraine: fewer Russian S-400 battalions",
        "ru_stock_end",
        "lower",
        "The same outcome as Russia's criterion with the opposite direction: every "
        "battalion Russia gains defends targets Ukraine strikes.",
    ),
)


def criteria_table(criteria: Sequence[Criterion] = DEFAULT_CRITERIA) -> pd.DataFrame:
    """Return the criteria as a table (for display and documentation).

    Parameters
    ----------
    criteria : sequence of Criterion

    Returns
    -------
    pandas.DataFrame
        Indexed by ``criterion_id``: stakeholder, label, outcome, direction, rationale.
    """
    rows = [c.__dict__ for c in criteria]
    return pd.DataFrame(rows).set_index("criterion_id")


def _check_unique(criteria: Sequence[Criterion]) -> None:
    ids = [c.criterion_id for c in criteria]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise ValueError(f"duplicate criterion ids: {dup}")


def outcomes_matrix(
    outcomes: Mapping[str, pd.DataFrame], criteria: Sequence[Criterion] = DEFAULT_CRITERIA
) -> tuple[pd.DataFrame, pd.Series]:
    """Build the outcomes matrix from per-option outcome tables.

    Parameters
    ----------
    outcomes : mapping
        Option name -> outcomes DataFrame indexed by outcome name with columns
        ``value`` and ``unit`` (the shape of ``run(sc).outcomes``).
    criteria : sequence of Criterion

    Returns
    -------
    matrix : pandas.DataFrame
        Options x criterion ids, float values in natural units (NaN kept).
    units : pandas.Series
        Criterion id -> unit string.

    Raises
    ------
    KeyError
        If an option lacks an outcome a criterion needs (naming both).
    """
    _check_unique(criteria)
    rows: dict[str, dict[str, float]] = {}
    units: dict[str, str] = {}
    for option, table in outcomes.items():
        row = {}
        for c in criteria:
            if c.outcome not in table.index:
                raise KeyError(
                    f"option {option!r} has no outcome {c.outcome!r} (needed by criterion {c.criterion_id!r})"
                )
            row[c.criterion_id] = float(table.loc[c.outcome, "value"])
            unit = str(table.loc[c.outcome, "unit"]) if "unit" in table.columns else ""
            units.setdefault(c.criterion_id, unit)
        rows[option] = row
    matrix = pd.DataFrame.from_dict(rows, orient="index", columns=[c.criterion_id for c in criteria]).astype(
        float
    )
    matrix.index.name = "option"
    return matrix, pd.Series(units, name="unit").reindex(matrix.columns)


def preset_matrix(
    criteria: Sequence[Criterion] = DEFAULT_CRITERIA, scenario_ids: Iterable[str] | None = None
) -> tuple[pd.DataFrame, pd.Series]:
    """Run every preset (central values) and build the outcomes matrix.

    Parameters
    ----------
    criteria : sequence of Criterion
    scenario_ids : iterable of str, optional
        Presets to include (default: all, in their order).

    Returns
    -------
    matrix, units
        As :func:`outcomes_matrix`; rows are labelled by preset id.
    """
    from s400lab.model import presets, run

    available = presets()
    ids = list(available) if scenario_ids is None else list(scenario_ids)
    unknown = [i for i in ids if i not in available]
    if unknown:
        raise KeyError(f"unknown preset(s) {unknown}; available: {list(available)}")
    return outcomes_matrix({i: run(available[i]).outcomes for i in ids}, criteria)


def _direction_map(matrix: pd.DataFrame, directions) -> dict[str, str]:
    if isinstance(directions, Mapping):
        d = dict(directions)
    else:
        d = {c.criterion_id: c.direction for c in directions}
    missing = [c for c in matrix.columns if c not in d]
    if missing:
        raise KeyError(f"no direction for criteria {missing}")
    bad = {k: v for k, v in d.items() if v not in ("higher", "lower")}
    if bad:
        raise ValueError(f"directions must be 'higher' or 'lower': {bad}")
    return d


def normalise(
    matrix: pd.DataFrame, directions: Mapping[str, str] | Sequence[Criterion] = DEFAULT_CRITERIA
) -> pd.DataFrame:
    """Min-max normalise each criterion across options to [0, 1], 1 = best.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Options x criteria in natural units (NaN = worst possible, see module doc).
    directions : mapping or sequence of Criterion
        Criterion -> ``"higher"`` or ``"lower"`` (which is better).

    Returns
    -------
    pandas.DataFrame
        Same shape, values in [0, 1], no NaN.
    """
    d = _direction_map(matrix, directions)
    out = {}
    for col in matrix.columns:
        x = matrix[col].astype(float).to_numpy()
        if d[col] == "lower":
            x = -x
        ok = np.isfinite(x)
        score = np.zeros_like(x)
        if ok.any():
            lo, hi = x[ok].min(), x[ok].max()
            if hi > lo:
                score[ok] = (x[ok] - lo) / (hi - lo)
            else:
                score[ok] = 0.5 if ok.all() else 1.0
        else:
            score[:] = 0.5
        out[col] = score
    return pd.DataFrame(out, index=matrix.index)


def check_weights(weights: Mapping[str, float], criteria: Iterable[str]) -> pd.Series:
    """Validate weights and rescale them to sum to 1.

    Parameters
    ----------
    weights : mapping
        Criterion id -> non-negative finite weight. Criteria left out get 0.
    criteria : iterable of str
        The matrix's criterion ids.

    Returns
    -------
    pandas.Series
        Weights per criterion (in ``criteria`` order), summing to 1.

    Raises
    ------
    ValueError
        Unknown criterion, negative or non-finite weight, or all weights zero.
    """
    cols = list(criteria)
    return pd.Series(_weight_vector(weights, cols), index=cols, dtype=float)


def _weight_vector(weights: Mapping[str, float], cols: list) -> np.ndarray:
    """:func:`check_weights` as a numpy vector (the rule's one home; no pandas on a key press)."""
    unknown = [k for k in weights if k not in cols]
    if unknown:
        raise ValueError(f"weights for unknown criteria {unknown}; known: {cols}")
    w = np.array([weights.get(c, 0.0) for c in cols], dtype=float)
    if not np.all(np.isfinite(w)) or (w < 0).any():
        raise ValueError(f"weights must be finite and >= 0: {dict(zip(cols, w.tolist(), strict=True))}")
    total = w.sum()
    if total <= 0:
        raise ValueError("at least one weight must be positive")
    return w / total


def stakeholder_weights(
    stakeholder: str, criteria: Sequence[Criterion] = DEFAULT_CRITERIA, high: float = 10.0, low: float = 1.0
) -> dict[str, float]:
    """Weights that put one stakeholder first: its criteria ``high``, the others ``low``.

    Parameters
    ----------
    stakeholder : str
        One of the criteria's stakeholders.
    criteria : sequence of Criterion
    high, low : float
        Weights (>= 0) for the stakeholder's own and the other criteria.

    Returns
    -------
    dict
        Criterion id -> weight.
    """
    known = {c.stakeholder for c in criteria}
    if stakeholder not in known:
        raise ValueError(f"unknown stakeholder {stakeholder!r}; known: {sorted(known)}")
    return {c.criterion_id: (high if c.stakeholder == stakeholder else low) for c in criteria}


def weighted_scores(normalised: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """Weighted sum of normalised scores per option (0 = worst on all, 1 = best on all).

    Parameters
    ----------
    normalised : pandas.DataFrame
        From :func:`normalise`.
    weights : mapping
        See :func:`check_weights`.

    Returns
    -------
    pandas.Series
        Score per option.
    """
    w = _weight_vector(weights, list(normalised.columns))
    return pd.Series(_scores(normalised, w), index=normalised.index, name="score")


def _scores(normalised: pd.DataFrame, w: np.ndarray) -> np.ndarray:
    """Weighted sums per option, added criterion by criterion in column order (the order and
    so the rounding of ``(normalised * w).sum(axis=1)``)."""
    x = np.ascontiguousarray(normalised.to_numpy(dtype=float).T)  # criteria x options
    return (x * w[:, None]).sum(axis=0)


def rank_options(normalised: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Rank options by weighted score (rank 1 = best; ties share the better rank).

    Parameters
    ----------
    normalised : pandas.DataFrame
        From :func:`normalise`.
    weights : mapping
        See :func:`check_weights`.

    Returns
    -------
    pandas.DataFrame
        Columns ``score`` and ``rank``, sorted best first (ties in matrix order).
    """
    score = np.round(_scores(normalised, _weight_vector(weights, list(normalised.columns))), 12)
    rank = 1 + (score[None, :] > score[:, None]).sum(axis=1)  # 1 + how many score higher
    order = np.argsort(rank, kind="stable")
    return pd.DataFrame(
        {"score": score[order], "rank": rank[order].astype(int)}, index=normalised.index[order]
    )


def weight_robustness(
    normalised: pd.DataFrame,
    n: int = 10_000,
    seed: int | None = 0,
    around: Mapping[str, float] | None = None,
    concentration: float = 20.0,
) -> pd.DataFrame:
    """How often each option ranks first when the weights vary.

    Parameters
    ----------
    normalised : pandas.DataFrame
        From :func:`normalise`.
    n : int, default 10000
        Number of weight vectors.
    seed : int or None, default 0
        Random seed (same seed -> same result).
    around : mapping, optional
        If given, weights are drawn from a Dirichlet centred on these weights
        (``alpha = concentration * w + 1e-3``) - "what if my weights are a bit off?".
        Otherwise uniformly on the simplex (every weighting equally likely).
    concentration : float, default 20
        Higher = draws closer to ``around``.

    Returns
    -------
    pandas.DataFrame
        Indexed by option: ``share_first`` (sums to 1; ties split equally) and
        ``mean_rank`` (1 = best), sorted by ``share_first`` descending.
    """
    if n < 1:
        raise ValueError("n must be >= 1")
    rng = np.random.default_rng(seed)
    k = normalised.shape[1]
    if around is None:
        alpha = np.ones(k)
    else:
        if concentration <= 0:
            raise ValueError("concentration must be > 0")
        alpha = concentration * _weight_vector(around, list(normalised.columns)) + 1e-3
    w = rng.dirichlet(alpha, size=n)  # n x k, rows sum to 1
    s = w @ normalised.to_numpy(dtype=float).T  # n x options
    top = s >= s.max(axis=1, keepdims=True) - 1e-12
    share = (top / top.sum(axis=1, keepdims=True)).mean(axis=0)
    # rank 1 = best; ties share the better rank (like rank_options): 1 + how many options
    # score higher, counted one option at a time (n x options, not n x options x options)
    above = s + 1e-12
    ranks = np.ones(s.shape, dtype=np.int64)
    for j in range(s.shape[1]):
        ranks += s[:, j : j + 1] > above
    mean_rank = ranks.mean(axis=0)
    order = np.lexsort((mean_rank, -share))  # share descending, then mean rank; stable
    return pd.DataFrame(
        {"share_first": share[order], "mean_rank": mean_rank[order]}, index=normalised.index[order]
    )
