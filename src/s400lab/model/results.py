"""Result of one run and of an ensemble; tidy DataFrames are built lazily on first access."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from s400lab.model.core import (
    LEGAL_ACTIONS,
    MIDDLE_ACTIONS,
    OUTCOMES,
    RETURN_ACTIONS,
    SERIES,
    simulate,
)
from s400lab.model.formatting import quarter_label, quarter_text

if TYPE_CHECKING:  # pragma: no cover
    from s400lab.model.scenario import Scenario

__all__ = [
    "KEY_OUTCOMES",
    "KEY_OUTCOME_VIEWS",
    "Ensemble",
    "INDIA_TIMING_EVENTS",
    "IndiaTiming",
    "Result",
    "india_timing",
    "india_timing_core",
    "key_outcomes",
    "quarter_label",
    "quarter_text",
    "readable_outcomes",
    "bargain_verdict",
    "verdict",
]

BAND_QUANTILES = {"q05": 0.05, "q25": 0.25, "q50": 0.50, "q75": 0.75, "q95": 0.95}

#: The key outcomes, in the order every view lists them (legal track, Russia's stock, India,
#: money, alliance). Label and unit of each are in :data:`s400lab.model.core.OUTCOMES`; the
#: explorer's "all outcomes" adds the rest of OUTCOMES after these.
KEY_OUTCOMES = (
    "legal_conditions_met",
    "battalions_divested",
    "returned_to_russia",
    "returned_usable_q",
    "sanctions_lifted_q",
    "f35_readmission_q",
    "f35_first_delivery_q",
    "ru_stock_end",
    "ru_stock_min",
    "ru_shortfall_end",
    "india_sq4_q",
    "india_sq5_q",
    "india_direct_squadrons",
    "india_done_by_deadline",
    "tr_recovered_usd_bn",
    "ru_net_usd_bn",
    "ru_deal_net_usd_bn",
    "alliance_score",
)

#: Named subsets of :data:`KEY_OUTCOMES` for views with less room; a view lists them in the
#: order of KEY_OUTCOMES. "brief": the 11 rows that fit page 1 of the printed brief.
KEY_OUTCOME_VIEWS: dict[str, frozenset[str]] = {
    "brief": frozenset(
        {
            "legal_conditions_met",
            "battalions_divested",
            "returned_to_russia",
            "sanctions_lifted_q",
            "f35_readmission_q",
            "f35_first_delivery_q",
            "ru_stock_end",
            "india_sq5_q",
            "tr_recovered_usd_bn",
            "ru_net_usd_bn",
            "alliance_score",
        }
    ),
}


def key_outcomes(view: str | None = None) -> tuple[str, ...]:
    """The key outcomes a view shows, in the one order of :data:`KEY_OUTCOMES`.

    Parameters
    ----------
    view : str, optional
        A name of :data:`KEY_OUTCOME_VIEWS` (``"brief"``); None = all key outcomes.

    Examples
    --------
    >>> key_outcomes("brief")[:3]
    ('legal_conditions_met', 'battalions_divested', 'returned_to_russia')
    """
    if view is None:
        return KEY_OUTCOMES
    if view not in KEY_OUTCOME_VIEWS:
        raise ValueError(f"unknown view {view!r}; views: {', '.join(KEY_OUTCOME_VIEWS)}")
    return tuple(k for k in KEY_OUTCOMES if k in KEY_OUTCOME_VIEWS[view])


def readable_outcomes(
    table: pd.DataFrame, keep: tuple[str, ...] = ("unit", "label", "share_missing")
) -> pd.DataFrame:
    """An outcome table for reading: rows or columns named by an outcome get its label (from
    :data:`s400lab.model.core.OUTCOMES`), and quarters (unit ``year``) are written as 2027Q3
    ("not within horizon" for NaN). Columns in ``keep`` are left as they are.

    Parameters
    ----------
    table : DataFrame
        Outcomes as rows (a ``unit`` column, if any, marks the quarters) or as columns.
    keep : tuple of str
        Columns never written as quarters (units, labels, shares).

    Returns
    -------
    DataFrame
    """
    df = table.copy()

    def is_quarter(name: object, unit: object = None) -> bool:
        return unit == "year" or (unit is None and name in OUTCOMES and OUTCOMES[name][0] == "year")

    cols = [c for c in df.columns if c not in keep]
    if any(name in OUTCOMES for name in df.index) or "unit" in df.columns:
        df = df.astype(object)
        units = df["unit"].to_dict() if "unit" in df.columns else {}
        for name in df.index:
            if is_quarter(name, units.get(name)):
                df.loc[name, cols] = [quarter_label(x) for x in df.loc[name, cols]]
        if any(name in OUTCOMES for name in df.index):  # the label becomes the row's name
            df = df.drop(columns=[c for c in ("label",) if c in df.columns])
        df = df.rename(index=lambda n: OUTCOMES[n][1] if n in OUTCOMES else n)
    elif any(c in OUTCOMES for c in df.columns):
        for c in cols:
            if is_quarter(c):
                df[c] = df[c].map(quarter_label)
        df = df.rename(columns=lambda c: OUTCOMES[c][1] if c in OUTCOMES else c)
    return df


def _quarters(values) -> tuple[list[str], np.ndarray]:
    t0 = float(values["start_year"])
    H = int(values["horizon_quarters"])
    t = t0 + 0.25 * np.arange(H)
    return [quarter_label(x) for x in t], t


def _leave_q(scenario: Scenario, leave_k: float | None = None) -> float:
    """The model's departure quarter as a decimal year (outcome ``tr_leave_k``, quarters from the
    start, given or from a run at the scenario's own values)."""
    if leave_k is None:
        leave_k = float(simulate(scenario.values, 1)[1]["tr_leave_k"][0])
    return float(scenario.values["start_year"]) + 0.25 * leave_k


def verdict(scenario: Scenario, leave_k: float | None = None) -> str:
    """Plain-language statement of whether the scenario meets the US legal conditions.

    Judged at the scenario's own values: a full divestiture whose last unit leaves Turkiye
    only after the horizon (the model's ``tr_leave_k``, given as ``leave_k`` or from a run at
    the scenario's values) does not meet them within the horizon, and the verdict says so.
    """
    v = scenario.values
    action = v["tr_action"]
    if action in MIDDLE_ACTIONS:  # a middle option: the verdict names its legal reading
        from s400lab.model.middle import verdict_text

        return verdict_text(v)
    H, t0 = int(v["horizon_quarters"]), float(v["start_year"])
    leave_q = _leave_q(scenario, leave_k) if action in LEGAL_ACTIONS else np.nan
    if action in LEGAL_ACTIONS and leave_q >= t0 + 0.25 * H - 1e-9:
        return (
            "Legal conditions NOT met within the horizon: every S-400 would have left Turkiye "
            f"only by {quarter_label(leave_q)} (agreement in quarter "
            f"{v['return_quarter']} after the start plus {v['removal_months']:g} months' removal), "
            f"after the last quarter simulated ({quarter_label(t0 + 0.25 * (H - 1))}). Until "
            "then Turkiye still possesses S-400s, so under FY2021 NDAA s.1241 and FY2020 NDAA "
            "s.1245 CAATSA sanctions stay and there is no F-35 readmission within the horizon."
        )
    if action in LEGAL_ACTIONS:
        text = (
            "Legal conditions can be met: every S-400 leaves Turkiye, which is what FY2021 NDAA "
            "s.1241 (CAATSA sanctions relief) and FY2020 NDAA s.1245 (F-35) require - no "
            "possession, no Russian operation or maintenance, credible assurances. Sanctions "
            "relief and F-35 readmission still take time and can be held by Congress."
        )
        if action == "transfer_third_party":
            text += (
                " A transfer to a third party also needs Russia's consent under the end-user "
                "certificate (FSVTS 2020, Lavrov Dec 2025): Russia objects, gets nothing back, and "
                "the model charges Turkiye the cost of Russian retaliation (ru_retaliation_usd_bn); "
                "the transfer itself is assumed to happen."
            )
        return text
    what = {
        "keep_stored": "Turkiye keeps its S-400s in storage",
        "activate": "Turkiye activates its S-400s",
        "return_partial": "Turkiye returns only part of its S-400s and keeps the rest",
    }[action]
    return (
        f"Legal conditions NOT met: {what}. US law (FY2021 NDAA s.1241, FY2020 NDAA s.1245) "
        "requires that Turkiye no longer possess any S-400, so CAATSA sanctions stay and there "
        "is no F-35 readmission in this scenario."
    )


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def bargain_verdict(scenario: Scenario, outcomes: Mapping[str, float]) -> str:
    """The bargain in words for one run ("" when no return is at stake): whether the terms lie
    inside the range, and if not which side refuses ("refused: Russia pays at most 38%")."""
    v = scenario.values
    if v["tr_action"] not in RETURN_ACTIONS or np.isnan(outcomes.get("deal_agreed", np.nan)):
        return ""
    ask = v["compensation_share"] if v["compensation_form"] != "none" else 0.0
    ru, tr = outcomes["ru_max_share"], outcomes["tr_min_share"]
    rng = f"Turkiye needs at least {_pct(tr)} of the contract, Russia pays at most {_pct(ru)}"
    if outcomes["deal_agreed"] >= 0.5:
        return (
            f"Deal agreed: the terms ({_pct(ask)} of the contract) lie inside the bargaining range ({rng})."
        )
    who = f"Russia pays at most {_pct(ru)}" if ask > ru else f"Turkiye needs at least {_pct(tr)}"
    empty = " (no deal exists: the range is empty)" if outcomes["deal_feasible"] < 0.5 else ""
    return (
        f"Return refused: {who}, but the terms ask {_pct(ask)} of the contract{empty}. No battalion "
        "leaves Turkiye: Russia, Turkiye, India and the US track keep the status quo."
    )


def _run_verdict(scenario: Scenario, outcomes: Mapping[str, float]) -> str:
    bargain = bargain_verdict(scenario, outcomes)
    if bargain.startswith("Return refused"):
        return (
            bargain + " Legal conditions NOT met: Turkiye keeps its S-400s, so under FY2021 NDAA "
            "s.1241 and FY2020 NDAA s.1245 CAATSA sanctions stay and there is no F-35 readmission."
        )
    return f"{bargain} {verdict(scenario, outcomes.get('tr_leave_k'))}".strip()


class _FirstRow(Mapping):
    """The first row of each per-quarter array of a mapping, taken when first read (a single
    run's series are computed only when asked for)."""

    def __init__(self, series: Mapping):
        self._series = series
        self._rows: dict[str, np.ndarray] = {}

    def __getitem__(self, key: str) -> np.ndarray:
        if key not in self._rows:
            self._rows[key] = self._series[key][0]
        return self._rows[key]

    def __iter__(self):
        return iter(self._series)

    def __len__(self) -> int:
        return len(self._series)


class Result:
    """Outcome of :func:`s400lab.model.run` (an ensemble of one at the scenario's values).

    Attributes
    ----------
    scenario : Scenario
    verdict : str
        Whether the US legal conditions are met, in plain words.
    raw_series : dict of str to ndarray
        Per-quarter arrays of shape ``(H,)``.
    raw_outcomes : dict of str to float
    """

    def __init__(self, scenario: Scenario, series: Mapping, outcomes: Mapping):
        self.scenario = scenario
        self.raw_series: Mapping[str, np.ndarray] = _FirstRow(series)
        self.raw_outcomes = {k: float(v[0]) for k, v in outcomes.items()}

    @cached_property
    def verdict(self) -> str:
        """Whether the return is agreed and the US legal conditions met, in plain words."""
        return _run_verdict(self.scenario, self.raw_outcomes)

    def __getitem__(self, outcome: str) -> float:
        return self.raw_outcomes[outcome]

    @cached_property
    def timeseries(self) -> pd.DataFrame:
        """Tidy table: ``quarter`` (str), ``t`` (decimal year), ``variable``, ``value``, ``unit``."""
        labels, t = _quarters(self.scenario.values)
        H = len(t)
        frames = []
        for name, arr in self.raw_series.items():
            frames.append(
                pd.DataFrame(
                    {
                        "quarter": labels,
                        "t": t,
                        "variable": [name] * H,
                        "value": np.asarray(arr, dtype=float),
                        "unit": [SERIES[name][0]] * H,
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)

    @cached_property
    def outcomes(self) -> pd.DataFrame:
        """Outcomes indexed by name: ``value``, ``unit``, ``label`` (NaN = not within horizon)."""
        names = list(OUTCOMES)
        return pd.DataFrame(
            {
                "value": [self.raw_outcomes[k] for k in names],
                "unit": [OUTCOMES[k][0] for k in names],
                "label": [OUTCOMES[k][1] for k in names],
            },
            index=pd.Index(names, name="outcome"),
        )

    def __repr__(self) -> str:
        return f"Result(scenario={self.scenario.scenario_id!r})"


class Ensemble:
    """Outcome of :func:`s400lab.model.run_ensemble`: ``n`` draws run in one vectorized call.

    Attributes
    ----------
    scenario : Scenario
    draws : pandas.DataFrame
        The sampled uncertainties (``n`` rows).
    raw_series : dict of str to ndarray
        Per-quarter arrays of shape ``(n, H)``.
    raw_outcomes : dict of str to ndarray
        Outcome arrays of shape ``(n,)``.
    """

    def __init__(self, scenario: Scenario, draws: pd.DataFrame, series: Mapping, outcomes: Mapping):
        self.scenario = scenario
        self.draws = draws
        self.raw_series = series
        self.raw_outcomes = outcomes

    @cached_property
    def verdict(self) -> str:
        """The share of draws whose terms clear the bargaining range, and the legal verdict."""
        text, outcomes = verdict(self.scenario), self.raw_outcomes
        agreed = np.asarray(outcomes.get("deal_agreed", [np.nan]), dtype=float)
        if self.scenario.values["tr_action"] in RETURN_ACTIONS and np.isfinite(agreed).all():
            share = float(agreed.mean())
            ru = float(np.nanmedian(np.asarray(outcomes["ru_max_share"], dtype=float)))
            text = (
                f"The terms clear the bargaining range in {_pct(share)} of {len(agreed):,} draws "
                f"(median of Russia's highest price: {_pct(ru)} of the contract); in the other draws "
                f"the return is refused and the status quo holds. {text}"
            )
        return text

    def __len__(self) -> int:
        return len(self.draws)

    @cached_property
    def outcomes(self) -> pd.DataFrame:
        """``n`` rows x outcome names (floats; booleans 0/1; NaN = not within horizon)."""
        # one float block (a single copy, outcomes x draws: pandas keeps it as its own block, so
        # the transpose costs nothing) rather than one column at a time
        rows = np.vstack([np.asarray(self.raw_outcomes[k], dtype=float) for k in OUTCOMES])
        return pd.DataFrame(rows.T, columns=list(OUTCOMES), index=self.draws.index.copy(), copy=False)

    def probability(self, outcome: str) -> float:
        """Share of draws in which a 0/1 outcome is 1 (NaN counts as 0)."""
        x = np.nan_to_num(np.asarray(self.raw_outcomes[outcome], dtype=float))
        return float(x.mean())

    def bands(self, var: str) -> pd.DataFrame:
        """Quantile bands of a per-quarter variable.

        Parameters
        ----------
        var : str
            A name of :data:`s400lab.model.core.SERIES`.

        Returns
        -------
        pandas.DataFrame
            Index ``quarter`` (str); columns ``t``, ``q05 q25 q50 q75 q95 mean``.
        """
        if var not in self.raw_series:
            raise ValueError(f"unknown variable {var!r}; variables: {', '.join(self.raw_series)}")
        arr = self.raw_series[var]
        labels, t = _quarters(self.scenario.values)
        qs = np.quantile(arr, list(BAND_QUANTILES.values()), axis=0)
        data = {"t": t}
        data.update({k: qs[i] for i, k in enumerate(BAND_QUANTILES)})
        data["mean"] = arr.mean(axis=0)
        return pd.DataFrame(data, index=pd.Index(labels, name="quarter"))

    def summary(self) -> pd.DataFrame:
        """Per outcome: mean, q05, q50, q95 and share of NaN (not within horizon), with unit/label."""
        rows = {}
        for k, (unit, label) in OUTCOMES.items():
            x = np.asarray(self.raw_outcomes[k], dtype=float)
            finite = x[~np.isnan(x)]
            if finite.size:
                q05, q50, q95 = np.quantile(finite, [0.05, 0.5, 0.95])
                mean = finite.mean()
            else:
                q05 = q50 = q95 = mean = np.nan
            rows[k] = {
                "mean": mean,
                "q05": q05,
                "q50": q50,
                "q95": q95,
                "share_nan": float(np.isnan(x).mean()),
                "unit": unit,
                "label": label,
            }
        out = pd.DataFrame.from_dict(rows, orient="index")
        out.index.name = "outcome"
        return out

    def __repr__(self) -> str:
        return f"Ensemble(scenario={self.scenario.scenario_id!r}, n={len(self)})"


#: The India timing ruler's rows, in order: (event, lane, label); see :func:`india_timing`.
INDIA_TIMING_EVENTS = (
    ("agreement", "returned", "Return agreed"),
    ("left_turkiye", "returned", "Last unit leaves Turkiye"),
    ("usable", "returned", "Refurbished: usable by Russia"),
    ("in_india", "returned", "Could be in India"),
    ("last_from_production", "india", "Last squadron from production alone"),
    ("last_squadron", "india", "India's last squadron delivered"),
)


@dataclass(frozen=True)
class IndiaTiming:
    """The India timing ruler of one run as plain numbers (what :func:`india_timing` tabulates).

    Attributes
    ----------
    t : dict of str to float
        Event (see :data:`INDIA_TIMING_EVENTS`) -> decimal year (NaN = not within the horizon / none).
    reaches_india : bool
        Returned units complete a squadron of India's order.
    verdict : str
        One sentence: why India moves or not.
    """

    t: dict[str, float]
    reaches_india: bool
    verdict: str

    def quarter(self, event: str) -> str:
        """The event's quarter as text (:func:`quarter_label`)."""
        return quarter_label(self.t[event])


def india_timing_core(result: Result) -> IndiaTiming:
    """The numbers and the sentence of :func:`india_timing` without building its DataFrame
    (the explorer reads them on every key press)."""
    v, o = result.scenario.values, result.raw_outcomes
    t0 = float(v["start_year"])
    moving = o["returned_to_russia"] > 0 or v["tr_action"] in ("return_partial", "return_full")
    agree = t0 + 0.25 * float(v["return_quarter"]) if moving else np.nan
    leave = t0 + 0.25 * o["tr_leave_k"]  # the model's departure quarter (on the terms asked)
    t = {
        "agreement": agree,
        "left_turkiye": leave if moving else np.nan,
        "usable": o["returned_usable_q"],
        "in_india": o["returned_india_q"],
        "last_from_production": o["india_last_production_q"],
        "last_squadron": o["india_sq5_q"],
    }
    direct = o["india_direct_squadrons"] > 0
    return IndiaTiming(t, bool(direct), _india_verdict(v, o, moving, bool(direct)))


def _india_verdict(v: Mapping, o: Mapping, moving: bool, direct: bool) -> str:
    """Why India's last squadron moves or not, in one sentence (see :func:`india_timing`)."""
    undelivered = int(o["india_undelivered_start"])
    nxt, india = o["india_last_production_q"], o["returned_india_q"]
    if undelivered == 0:
        return "India has all five squadrons at the start: a return cannot reach India."
    if moving and o.get("deal_agreed", 1) == 0:
        return (
            "The return is refused (outside the bargaining range): no unit moves and India keeps "
            "its status-quo dates."
        )
    if not moving or np.isnan(india):
        return "No returned units reach India within the horizon."
    if v["ru_use_returned"] == "home":
        return (
            "Russia keeps the returned units in home service (ru_use_returned = 'home'): they never go "
            "to India. They can only act through the export allocation rule: a smaller shortfall leaves "
            "a little more production for export, so India's next squadron may come a quarter earlier."
        )
    if v["ru_use_returned"] != "india":
        return (
            f"Russia resells the returned units (ru_use_returned = '{v['ru_use_returned']}'): they never "
            "go to India and never join Russia's stock, so India's dates do not move."
        )
    if direct:
        return (
            f"Returned units could be in India in {quarter_label(india)}, before export "
            f"production alone would finish India's order ({quarter_label(nxt)}): India's "
            f"last squadron arrives in {quarter_label(o['india_sq5_q'])}."
        )
    return (
        f"Returned units could be in India only in {quarter_label(india)}, after export "
        f"production has finished India's order ({quarter_label(nxt)}): no squadron is "
        "left for them, India does not move."
    )


def india_timing(result: Result) -> pd.DataFrame:
    """The India timing ruler of one run: when returned units are usable and could be in
    India, against when India's next squadron ships from export production.

    Parameters
    ----------
    result : Result
        A single run (:func:`s400lab.model.run`).

    Returns
    -------
    pandas.DataFrame
        Rows ``agreement``, ``left_turkiye``, ``usable``, ``in_india`` (lane ``returned``) and
        ``last_from_production``, ``last_squadron`` (lane ``india``); columns ``lane``,
        ``label``, ``t`` (decimal year, NaN = not within the horizon / none) and ``quarter``.
        ``attrs``: ``reaches_india`` (returned units complete a squadron) and ``verdict`` (one
        sentence: why India moves or not). The numbers come from :func:`india_timing_core`.
    """
    core = india_timing_core(result)
    rows = [(lane, event, label, core.t[event]) for event, lane, label in INDIA_TIMING_EVENTS]
    df = pd.DataFrame(rows, columns=["lane", "event", "label", "t"]).set_index("event")
    df["quarter"] = [quarter_label(t) for t in df["t"]]
    df.attrs.update(reaches_india=core.reaches_india, verdict=core.verdict)
    return df
