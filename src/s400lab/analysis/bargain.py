"""The bargain in a student's terms: the range of compensation both sides accept, each side's
gain at any offer, how the range moves with the course of the war, and whether an offer clears.

The model (:mod:`s400lab.model.core`, section 9) gives, for the chosen return, Turkiye's least
acceptable compensation and Russia's highest price (outcomes ``tr_min_share`` /
``ru_max_share`` as shares of the contract value of the returned units, ``tr_min_usd_bn`` /
``ru_max_usd_bn`` in US$ bn) and whether the range between them is empty (``deal_feasible``).
Nothing here recomputes a valuation: this module reads those outcomes and lays them out.

* :func:`bargain_range` -- the range of one scenario at its central values (a single run);
* :func:`bargain_curves` -- each side's gain over walking away, at every compensation share:
  Turkiye's ``share x base - tr_min`` rises with the share, Russia's ``ru_max - share x base``
  falls; the range is where both are at least 0 (``base`` = contract value of the units
  returned);
* :func:`bargain_by_course` -- the range under each course of the war (ceasefire, attrition,
  escalation), side by side, over an ensemble;
* :func:`judge_offer` -- a negotiation round: does an offer clear, and what follows.

Nothing here imports widgets or matplotlib.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from s400lab.model.formatting import format_outcome, quarter_label

__all__ = [
    "BARGAIN_OUTCOMES",
    "COURSE_ORDER",
    "BargainRange",
    "Offer",
    "bargain_by_course",
    "bargain_curves",
    "bargain_range",
    "judge_offer",
    "range_text",
    "ranges_by_course",
]

#: The model outcomes this module reads (present from model v3 on).
BARGAIN_OUTCOMES = ("deal_feasible", "tr_min_share", "ru_max_share", "tr_min_usd_bn", "ru_max_usd_bn")

#: Courses of the war, from the least to the most Russian losses (the register's order).
COURSE_ORDER = ("ceasefire", "attrition", "escalation")


def _missing(outcomes: Any) -> list[str]:
    return [k for k in BARGAIN_OUTCOMES if k not in outcomes]


def _check_model(outcomes: Any) -> None:
    missing = _missing(outcomes)
    if missing:
        raise RuntimeError(
            f"this model has no bargain outcomes ({', '.join(missing)}); the bargain needs model v3"
        )


@dataclass(frozen=True)
class BargainRange:
    """The bargaining range of one run.

    Attributes
    ----------
    bargaining : bool
        The scenario returns units to Russia (otherwise there is nothing to bargain over and
        every number below is NaN).
    tr_min_share, ru_max_share : float
        Turkiye's least acceptable and Russia's highest compensation, as shares of the
        contract value of the returned units.
    tr_min_usd_bn, ru_max_usd_bn : float
        The same in US$ bn.
    base_usd_bn : float
        Contract value of the returned units (a share of 1 pays it back in full).
    feasible : bool
        The range is not empty (``tr_min_share <= ru_max_share``).
    terms_share : float
        The scenario's compensation share (its offer on the table).
    """

    bargaining: bool
    tr_min_share: float
    ru_max_share: float
    tr_min_usd_bn: float
    ru_max_usd_bn: float
    base_usd_bn: float
    feasible: bool
    terms_share: float

    @property
    def clears(self) -> bool:
        """The scenario's own terms lie inside the range (both sides accept them)."""
        return (
            self.bargaining and self.feasible and self.tr_min_share <= self.terms_share <= self.ru_max_share
        )


def _base(o: Any, values: Any) -> float:
    """Contract value of the returned units: read back from the shares (share = US$ / base),
    or the whole contract when both ends are 0 (then any base draws the same picture)."""
    for usd, share in (("ru_max_usd_bn", "ru_max_share"), ("tr_min_usd_bn", "tr_min_share")):
        if abs(float(o[share])) > 1e-12 and math.isfinite(float(o[share])):
            return float(o[usd]) / float(o[share])
    return float(values["s400_contract_usd_bn"])


def bargain_range(scenario: Any, result: Any = None) -> BargainRange:
    """The bargaining range of a scenario at its central values.

    Parameters
    ----------
    scenario : s400lab.model.Scenario
    result : s400lab.model.Result, optional
        Its run, if already made (the explorer passes its own).
    """
    from s400lab.model import run

    res = run(scenario) if result is None else result
    o = res.raw_outcomes
    _check_model(o)
    share = float(scenario.values["compensation_share"])
    if scenario.values["compensation_form"] == "none":
        share = 0.0
    bargaining = not math.isnan(float(o["deal_feasible"]))
    if not bargaining:
        nan = math.nan
        return BargainRange(False, nan, nan, nan, nan, nan, False, share)
    return BargainRange(
        True,
        float(o["tr_min_share"]),
        float(o["ru_max_share"]),
        float(o["tr_min_usd_bn"]),
        float(o["ru_max_usd_bn"]),
        _base(o, scenario.values),
        bool(o["deal_feasible"] >= 0.5),
        share,
    )


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def range_text(r: BargainRange) -> str:
    """One line: ``"Turkiye accepts >= 12%, Russia pays <= 74%: deal at 60%"`` (or "no deal")."""
    if not r.bargaining:
        return "No units go back to Russia: nothing to bargain over."
    head = f"Turkiye accepts >= {_pct(r.tr_min_share)}, Russia pays <= {_pct(r.ru_max_share)}"
    if not r.feasible:
        return f"{head}: no deal at any price (the range is empty)."
    if r.clears:
        return f"{head}: deal at {_pct(r.terms_share)}."
    side = "Russia refuses" if r.terms_share > r.ru_max_share else "Turkiye refuses"
    return f"{head}: no deal at {_pct(r.terms_share)} ({side})."


def bargain_curves(r: BargainRange, shares: Sequence[float] | None = None) -> pd.DataFrame:
    """Each side's gain over walking away at every compensation share (US$ bn).

    Turkiye: ``share x base - tr_min_usd_bn`` (at least 0 from its least acceptable share up);
    Russia: ``ru_max_usd_bn - share x base`` (at least 0 up to its highest price).

    Returns
    -------
    DataFrame
        ``share``, ``tr_gain_usd_bn``, ``ru_gain_usd_bn``, ``both_accept`` (bool).
    """
    s = np.linspace(0.0, 1.0, 101) if shares is None else np.asarray(shares, dtype=float)
    tr = s * r.base_usd_bn - r.tr_min_usd_bn
    ru = r.ru_max_usd_bn - s * r.base_usd_bn
    return pd.DataFrame(
        {"share": s, "tr_gain_usd_bn": tr, "ru_gain_usd_bn": ru, "both_accept": (tr >= -1e-9) & (ru >= -1e-9)}
    )


def ranges_by_course(scenario: Any) -> dict[str, BargainRange]:
    """:func:`bargain_range` of the scenario under each course of the war (central runs)."""
    return {c: bargain_range(scenario.with_changes(war_course=c)) for c in COURSE_ORDER}


def bargain_by_course(scenario: Any, n: int = 10_000, seed: int = 1) -> pd.DataFrame:
    """The bargain under each course of the war, side by side (the course held in every draw).

    Returns
    -------
    DataFrame
        Index = course (:data:`COURSE_ORDER`); columns ``tr_min_share`` and ``ru_max_share``
        (central run), ``mean_tr_min_share``, ``mean_ru_max_share`` (over the draws where units
        go back), ``p_deal`` (share of draws with a non-empty range), ``p_agreed`` (the
        scenario's terms inside it, where the model reports ``deal_agreed``), ``n``.
    """
    from s400lab.model import run, run_ensemble

    rows = {}
    for course in COURSE_ORDER:
        sc = scenario.with_changes(war_course=course)
        o = run(sc).raw_outcomes
        _check_model(o)
        ens = run_ensemble(sc, n=n, seed=seed)
        out = ens.raw_outcomes
        feasible = np.asarray(out["deal_feasible"], dtype=float)
        talks = ~np.isnan(feasible)
        row = {
            "tr_min_share": float(o["tr_min_share"]),
            "ru_max_share": float(o["ru_max_share"]),
            "mean_tr_min_share": float(np.nanmean(np.asarray(out["tr_min_share"], float)[talks]))
            if talks.any()
            else math.nan,
            "mean_ru_max_share": float(np.nanmean(np.asarray(out["ru_max_share"], float)[talks]))
            if talks.any()
            else math.nan,
            "p_deal": float(np.nan_to_num(feasible).mean()),
        }
        if "deal_agreed" in out:
            row["p_agreed"] = float(np.nan_to_num(np.asarray(out["deal_agreed"], dtype=float)).mean())
        row["n"] = int(n)
        rows[course] = row
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("course")


@dataclass(frozen=True)
class Offer:
    """One offer in the negotiation exercise and what follows from it (see :func:`judge_offer`)."""

    team: str
    share: float
    range: BargainRange
    returned: float
    legal: bool
    sanctions_q: float
    f35_q: float
    text: str

    @property
    def clears(self) -> bool:
        """Both sides accept the offer."""
        return self.range.clears


def judge_offer(scenario: Any, share: float, team: str = "") -> Offer:
    """A negotiation round: does an offer of ``share`` of the contract clear, and what follows.

    The offer is the scenario's ``compensation_share`` (validated by the model, 0..1); the
    model decides. What follows is read from the run at that offer: battalions returned, the
    legal test, and the central US dates (if Congress does not block).

    Parameters
    ----------
    scenario : s400lab.model.Scenario
        A return (``return_full`` or ``return_partial``) with a compensation form.
    share : float
        The offer, a share of the contract value of the returned units (0.45 = 45%).
    team : str
        Who makes the offer ("Russia", "Turkiye"), for the sentence.
    """
    from s400lab.model import run

    sc = scenario.with_changes(compensation_share=float(share))
    res = run(sc)
    r = bargain_range(sc, res)
    o = res.raw_outcomes
    end = float(sc.values["start_year"]) + (int(sc.values["horizon_quarters"]) - 1) / 4
    who = {"Russia": "Russia offers", "Turkiye": "Turkiye asks for"}.get(
        team, f"{team} offers" if team else "Offer:"
    )
    usd = format_outcome(share * r.base_usd_bn, "US$ bn")
    parts = [f"{who} {_pct(float(share))} of the contract ({usd} US$ bn)."]
    parts.append(range_text(r))
    returned = float(o["returned_to_russia"])
    legal = bool(o["legal_conditions_met"] >= 0.5)
    if r.clears:
        follow = f"{format_outcome(returned, 'battalions')} battalion(s) go back to Russia"
        if legal:
            late = f"not by {quarter_label(end)}"
            follow += (
                f"; US legal conditions met: sanctions lifted {quarter_label(o['sanctions_lifted_q'], late)}"
                f", F-35 readmission {quarter_label(o['f35_readmission_q'], late)}"
                " (if Congress does not block)."
            )
        else:
            follow += "; Turkiye keeps some units, so the US legal conditions are not met."
    else:
        follow = "No return: Turkiye keeps its S-400s, sanctions stay, India and Russia as in the status quo."
    parts.append(follow)
    return Offer(
        team,
        float(share),
        r,
        returned,
        legal,
        float(o["sanctions_lifted_q"]),
        float(o["f35_readmission_q"]),
        " ".join(parts),
    )
