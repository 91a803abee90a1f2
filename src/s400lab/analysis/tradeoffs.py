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

5. **Options and worlds apart** (:func:`option_presets`, :func:`worlds`,
   :func:`world_matrix`, :func:`world_wins`). A row of the matrix is one of **Ankara's
   options**: a preset that sets only Turkiye's levers (register rows of kind ``lever``,
   group ``Turkiye``). A preset that changes anything else -- a world setting such as the
   course of the war (``escalation_keep``), an evidence reading such as India's undelivered
   squadrons (``early_return_india``) or another actor's lever -- is not something Ankara can
   choose and is left out (:func:`world_settings` names what it changes). Each option is then
   run under each **world**: every combination of the readings of the world dimensions
   (:data:`WORLD_DIMENSIONS`: the course of the war x the evidence readings), all register
   rows of kind ``setting`` with listed readings, or disputed uncertainties with listed values;
   when the register has the middle options' legal-reading switches, one more dimension reads
   them all at once (``lenient``: every middle option counts as divestiture; ``strict``: none).
   Normalised within each world, the weighted scores say which option wins in how many worlds
   -- robustness to what we do not know, next to robustness to what we disagree about (4.)

Three criteria are derived from a run's outcomes here (:func:`option_outcomes`), not in the
model: the **capability gap** (``tr_capability_gap_years``: quarters without the S-400s,
in years and weighted by the share of the force gone, before Turkiye's own long-range air
defence arrives, ``tr_own_ad_year``; from the ``tr_held`` series), **political
feasibility** (``political_feasibility``: 1 when every party
the option needs consents -- the bargain agreed for a return, no Russian end-user objection
for a transfer -- else 0; a refused return runs as the status quo) and Turkiye's **net money
after retaliation** (the model's ``tr_net_usd_bn``).

Everything here works on plain DataFrames, so the method can be checked by hand on a
small table before (and independently of) the model. Imports numpy and pandas (and the
model, only in the functions that run it); no widgets, no matplotlib.
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
    "STAKEHOLDER_CRITERIA",
    "ALL_CRITERIA",
    "stakeholder_table",
    "OPTION_ACTOR",
    "WORLD_DIMENSIONS",
    "DERIVED_OUTCOMES",
    "world_settings",
    "LEGAL_READINGS",
    "legal_reading_switches",
    "world_changes",
    "is_option",
    "option_presets",
    "option_outcomes",
    "worlds",
    "world_matrix",
    "world_wins",
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
    interest : str
        The stakeholder's stated interest behind the criterion (stakeholders who act).
    source_ids : tuple of str
        Where the interest is stated: ids in ``data/sources.csv``.
    """

    criterion_id: str
    stakeholder: str
    label: str
    outcome: str
    direction: str
    rationale: str = ""
    interest: str = ""
    source_ids: tuple[str, ...] = ()

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
        "Turkiye: net money after retaliation",
        "tr_net_usd_bn",
        "higher",
        "Refund + avoided S-400 upkeep + regained F-35 work share within the horizon, minus "
        "the cost of Russian retaliation for a transfer against its consent (US$ bn); the "
        "sunk cost is the same in every option.",
    ),
    Criterion(
        "tr_gap",
        "Turkiye",
        "Turkiye: air-defence capability gap",
        "tr_capability_gap_years",
        "lower",
        "Years without the S-400s, times the share of the force gone, before Turkiye's own "
        "long-range air defence arrives (tr_own_ad_year): the risk a return or transfer opens.",
    ),
    Criterion(
        "feasible",
        "Turkiye",
        "Turkiye: politically feasible",
        "political_feasibility",
        "higher",
        "1 when every party the option needs consents (Russia and Turkiye agree the terms of a "
        "return; Russia's end-user consent for a transfer), else 0: an option nobody else "
        "accepts does not happen.",
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


#: Stakeholders who act beyond the five above: each interest as stated in a cited source, mapped
#: to the model outcome that measures it. The mapping is a judgement students may dispute; the
#: weights are theirs. One-page role briefs: docs/roles/.
STAKEHOLDER_CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "india_ru_exports",
        "India",
        "India: Russian export capacity",
        "ru_exports_total",
        "higher",
        "Battalions Russia exports over the horizon: India's last squadron and later orders come "
        "from export production until its own long-range system (Project Kusha) is deployed.",
        "Completes the 2018 contract and keeps a supplier until Project Kusha (5 squadrons "
        "approved Sept 2023, deployment 2028-29, reported); no CAATSA sanctions and no formal "
        "waiver, so a US precedent that ends Turkiye's sanctions only on full divestiture matters.",
        ("dailydigest360-2025-06-kusha", "rediff-2021-11-24-caatsa-waiver"),
    ),
    Criterion(
        "gr_no_f35",
        "Greece/Cyprus",
        "Greece/Cyprus: no Turkish F-35 within the horizon",
        "f35_delivered",
        "lower",
        "1 if Turkiye receives a first F-35 within the horizon (the chance-free central run).",
        "Athens buys F-35s itself and watches Turkiye's possible return to the programme (Defence "
        "Minister Dendias, Sept 2025); Greek parties asked that Turkey not be rewarded with new US "
        "equipment (2022).",
        ("newsit-2025-09-26-dendias-f35", "nationalherald-2022-05-18-f16-opposition"),
    ),
    Criterion(
        "gr_s400_gone",
        "Greece/Cyprus",
        "Greece/Cyprus: S-400s out of Turkiye",
        "battalions_divested",
        "higher",
        "Battalions that left Turkiye within the horizon.",
        "A Russian long-range system across the Aegean; Cyprus's own Russian S-300s went to Crete "
        "(1999) and Greece assured Russia it would not transfer them (Lavrov, 2022): the precedent "
        "for relocation and for Russia's end-user consent.",
        (
            "nationalherald-2022-05-18-f16-opposition",
            "jamestown-1999-04-s300-crete",
            "urdupoint-2022-12-29-lavrov-s300",
        ),
    ),
    Criterion(
        "il_no_f35",
        "Israel",
        "Israel: no Turkish F-35 within the horizon",
        "f35_delivered",
        "lower",
        "1 if Turkiye receives a first F-35 within the horizon.",
        "Keep its qualitative military edge: Netanyahu called a US F-35 transfer to Turkiye very "
        "remote and said Israel would oppose it far more strongly than the Saudi sale.",
        ("conven-netanyahu-f35-turkey",),
    ),
    Criterion(
        "eu_ru_stock",
        "EU",
        "EU: fewer Russian S-400 battalions",
        "ru_stock_end",
        "lower",
        "Russia's stock at the horizon's end: every battalion Russia regains defends targets "
        "Ukraine strikes.",
        "Support Ukraine, with air defence a priority of the European Council's conclusions; an EU "
        "purchase of Turkiye's S-400s for Ukraine was reported from a Russian diplomatic source "
        "(claimed) and rejected by Moscow.",
        ("eubusiness-special-council-ukraine-air-defence", "turkiyetoday-2025-12-11-lavrov"),
    ),
    Criterion(
        "eu_moscow",
        "EU",
        "EU: a candidate country free of Moscow's leverage",
        "sig_moscow_leverage",
        "higher",
        "Alliance-scorecard signal (-1..1): systems held or an energy offset keep Ankara tied to Moscow.",
        "An accession candidate aligned with the EU's Russia policy; an energy-offset refund would "
        "deepen Turkiye's dependence on Russian energy.",
        ("eubusiness-special-council-ukraine-air-defence", "turkiyetoday-2025-12-11-lavrov"),
    ),
    Criterion(
        "cn_rift",
        "China",
        "China: the US-Turkiye rift stays open",
        "sig_nato_integration",
        "lower",
        "Alliance-scorecard signal (-1..1) for Turkiye's NATO integration, reversed.",
        "A NATO member that buys non-NATO air defence opens a market: Turkiye chose China's HQ-9 "
        "in 2013 and cancelled in 2015 after US and Western concern; China's own S-400 purchase "
        "drew the first CAATSA s.231 sanctions (2018).",
        ("powerpolitics-2015-11-17-hq9-cancelled", "steptoe-2018-09-china-edd-sanction"),
    ),
)

#: Every criterion: the five stakeholders of the default matrix and the stakeholders who act.
ALL_CRITERIA: tuple[Criterion, ...] = DEFAULT_CRITERIA + STAKEHOLDER_CRITERIA


def stakeholder_table(criteria: Sequence[Criterion] = STAKEHOLDER_CRITERIA) -> pd.DataFrame:
    """The stakeholders who act: interest, the outcome that measures it, and its sources.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``criterion_id``: stakeholder, interest, label, outcome, direction, sources.
    """
    rows = [
        {
            "criterion_id": c.criterion_id,
            "stakeholder": c.stakeholder,
            "interest": c.interest,
            "criterion": c.label.split(": ", 1)[-1],
            "outcome": c.outcome,
            "direction": c.direction,
            "sources": "; ".join(c.source_ids),
        }
        for c in criteria
    ]
    return pd.DataFrame(rows).set_index("criterion_id")


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
    rows = [{k: v for k, v in c.__dict__.items() if k not in ("interest", "source_ids")} for c in criteria]
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


#: Whose levers make an option: the trade-off matrix compares Ankara's choices.
OPTION_ACTOR = "Turkiye"

#: The dimensions of a world: the course of the war x the evidence readings that change what
#: the options do (India's undelivered squadrons; Turkiye's holding, 2 or 4 battalions).
WORLD_DIMENSIONS: tuple[str, ...] = ("war_course", "india_undelivered_sq", "tr_holding_bn")

#: Outcomes derived here from a run (see the module docstring): name -> (unit, label).
DERIVED_OUTCOMES: dict[str, tuple[str, str]] = {
    "tr_capability_gap_years": (
        "years",
        "Turkiye: years without its S-400s (x share of the force gone) before its own long-range air defence",
    ),
    "political_feasibility": ("0/1", "Every party the option needs consents (0/1)"),
}


def world_settings(scenario, actor: str = OPTION_ACTOR) -> list[str]:
    """The parameters a scenario changes that are not ``actor``'s levers.

    Parameters
    ----------
    scenario : s400lab.model.Scenario
    actor : str, default "Turkiye"
        The register group whose levers make an option.

    Returns
    -------
    list of str
        Changed parameter names (from the register defaults) whose kind is not ``lever`` or
        whose group is not ``actor``: world settings (the course of the war), evidence readings
        (India's undelivered squadrons), assumptions, or another actor's lever. Empty for an
        option.
    """
    reg = scenario.register
    return [n for n in scenario.changes() if reg.params[n].kind != "lever" or reg.params[n].group != actor]


def is_option(scenario, actor: str = OPTION_ACTOR) -> bool:
    """True when the scenario sets only ``actor``'s levers (see :func:`world_settings`)."""
    return not world_settings(scenario, actor)


def option_presets(actor: str = OPTION_ACTOR) -> dict:
    """The presets that are ``actor``'s options, in the presets' order.

    A preset added to ``data/scenarios.csv`` joins the matrix by itself when it sets only
    Turkiye's levers.

    Returns
    -------
    dict of str to Scenario
    """
    from s400lab.model import presets

    return {sid: sc for sid, sc in presets().items() if is_option(sc, actor)}


def option_outcomes(result) -> pd.DataFrame:
    """A run's outcomes table with the criteria derived here (:data:`DERIVED_OUTCOMES`).

    Parameters
    ----------
    result : s400lab.model.results.Result
        ``run(scenario)``.

    Returns
    -------
    pandas.DataFrame
        ``result.outcomes`` (columns value, unit, label) with two rows added:
        ``tr_capability_gap_years`` and ``political_feasibility``.
    """
    out = result.outcomes
    values = result.scenario.values
    holding, own_ad = float(values["tr_holding_bn"]), float(values["tr_own_ad_year"])
    held = np.asarray(result.raw_series["tr_held"], dtype=float)
    t = float(values["start_year"]) + np.arange(held.size) / 4.0  # start of each quarter
    gone = (holding - held) / holding  # share of the force that has left
    gap = float((gone / 4.0 * (t < own_ad)).sum())
    agreed, objects = result.raw_outcomes["deal_agreed"], result.raw_outcomes["ru_objects"]
    feasible = float((agreed if np.isfinite(agreed) else 1.0) * (1.0 - objects))
    extra = pd.DataFrame(
        {
            "value": [gap, feasible],
            "unit": [DERIVED_OUTCOMES[k][0] for k in DERIVED_OUTCOMES],
            "label": [DERIVED_OUTCOMES[k][1] for k in DERIVED_OUTCOMES],
        },
        index=pd.Index(list(DERIVED_OUTCOMES), name=out.index.name),
    )
    return pd.concat([out, extra[out.columns.intersection(extra.columns)]])


def preset_matrix(
    criteria: Sequence[Criterion] = DEFAULT_CRITERIA,
    scenario_ids: Iterable[str] | None = None,
    world: Mapping[str, object] | None = None,
) -> tuple[pd.DataFrame, pd.Series]:
    """Run presets (central values) and build the outcomes matrix.

    Parameters
    ----------
    criteria : sequence of Criterion
    scenario_ids : iterable of str, optional
        Presets to include (default: Ankara's options, :func:`option_presets`, in order; any
        preset may be named explicitly).
    world : mapping, optional
        Values of world dimensions to run every row under (default: the register's readings).

    Returns
    -------
    matrix, units
        As :func:`outcomes_matrix`; rows are labelled by preset id.
    """
    from s400lab.model import presets, run

    available = presets()
    ids = list(option_presets()) if scenario_ids is None else list(scenario_ids)
    unknown = [i for i in ids if i not in available]
    if unknown:
        raise KeyError(f"unknown preset(s) {unknown}; available: {list(available)}")
    w = dict(world or {})
    return outcomes_matrix(
        {i: option_outcomes(run(available[i].with_changes(**w) if w else available[i])) for i in ids},
        criteria,
    )


#: Prefix of the evidence switches that read whether a middle option (custody, relocation,
#: stand-alone use under verification, joint control) counts as "no longer possessing" the
#: system under US law; choices ``counts`` / ``does_not_count``.
LEGAL_READING_PREFIX = "legal_reading_"
#: The composite world dimension over all legal readings at once: every middle option counts
#: (``lenient``) or none does (``strict``); each option reads only its own switch.
LEGAL_READINGS = "legal_readings"
_LEGAL_VALUES = {"lenient": "counts", "strict": "does_not_count"}


def legal_reading_switches(register=None) -> list[str]:
    """The register's legal-reading switches (``legal_reading_*`` settings with choices
    ``counts`` and ``does_not_count``); empty when the register has none."""
    if register is None:
        from s400lab.model.register import load_register

        register = load_register()
    return [
        n
        for n, p in register.params.items()
        if n.startswith(LEGAL_READING_PREFIX)
        and p.kind == "setting"
        and set(p.choices) == set(_LEGAL_VALUES.values())
    ]


def world_changes(row: Mapping[str, object], register=None) -> dict[str, object]:
    """The parameter values of one world (a row of :func:`worlds`), with the composite
    ``legal_readings`` expanded into every legal-reading switch."""
    out: dict[str, object] = {}
    for k, v in row.items():
        v = v.item() if hasattr(v, "item") else v
        if k == LEGAL_READINGS:
            out.update({n: _LEGAL_VALUES[str(v)] for n in legal_reading_switches(register)})
        else:
            out[k] = v
    return out


def worlds(dimensions: Sequence[str] | None = None) -> pd.DataFrame:
    """Every combination of the readings of the world dimensions.

    Parameters
    ----------
    dimensions : sequence of str, optional
        Register rows that are not levers and have listed readings (a choice setting such as
        ``war_course`` or a numeric switch / discrete uncertainty such as
        ``india_undelivered_sq``, ``tr_holding_bn``), or ``"legal_readings"`` (every middle
        option's legal reading at once: ``lenient`` or ``strict``). Default
        :data:`WORLD_DIMENSIONS`, plus ``legal_readings`` when the register has legal-reading
        switches.

    Returns
    -------
    pandas.DataFrame
        One row per world (index ``world``: readings joined by " / ", e.g.
        ``attrition / 1 sq / 2 bn``), one column per dimension (values as the scenario takes
        them), the first dimension varying slowest.

    Raises
    ------
    ValueError
        A dimension that is unknown, a lever, or has no listed readings.
    """
    import itertools

    from s400lab.model.register import load_register

    reg = load_register()
    if dimensions is None:
        dimensions = list(WORLD_DIMENSIONS) + ([LEGAL_READINGS] if legal_reading_switches(reg) else [])
    readings: list[list] = []
    for name in dimensions:
        if name == LEGAL_READINGS:
            if not legal_reading_switches(reg):
                raise ValueError(
                    "world dimension 'legal_readings': the register has no legal-reading switches"
                )
            readings.append(list(_LEGAL_VALUES))
            continue
        p = reg.params.get(name)
        if p is None:
            raise ValueError(f"world dimension {name!r} is not a register row")
        if p.kind == "lever":
            raise ValueError(f"world dimension {name!r} is a lever (a choice), not a reading of the world")
        if p.type == "choice" and p.choices:
            readings.append(list(p.choices))
        elif p.readings:
            cast = int if p.type == "int" else float
            readings.append([cast(v) for v in p.readings])
        else:
            raise ValueError(f"world dimension {name!r} has no listed readings")
    rows = list(itertools.product(*readings))
    units = {n: (reg.params[n].unit if n in reg.params else "") for n in dimensions}

    def short(name: str, v) -> str:
        if name == LEGAL_READINGS:
            return f"law {v}"
        if isinstance(v, str):
            return v
        u = {"squadrons": "sq", "battalions": "bn"}.get(units[name], units[name])
        return f"{v:g} {u}".strip()

    index = pd.Index([" / ".join(short(n, v) for n, v in zip(dimensions, r, strict=True)) for r in rows])
    return pd.DataFrame(rows, columns=list(dimensions), index=index.rename("world"))


def world_matrix(
    criteria: Sequence[Criterion] = DEFAULT_CRITERIA,
    option_ids: Iterable[str] | None = None,
    world_table: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.Series]:
    """Run each option under each world (central values otherwise).

    Parameters
    ----------
    criteria : sequence of Criterion
    option_ids : iterable of str, optional
        Presets (default: :func:`option_presets`).
    world_table : pandas.DataFrame, optional
        From :func:`worlds` (default: ``worlds()``).

    Returns
    -------
    matrix : pandas.DataFrame
        Index (world, option), columns the criterion ids, natural units.
    units : pandas.Series
    """
    from s400lab.model import presets, run

    available = presets()
    ids = list(option_presets()) if option_ids is None else list(option_ids)
    unknown = [i for i in ids if i not in available]
    if unknown:
        raise KeyError(f"unknown preset(s) {unknown}; available: {list(available)}")
    table = worlds() if world_table is None else world_table
    parts, units = [], None
    for wid, row in table.iterrows():
        changes = world_changes(row)
        m, units = outcomes_matrix(
            {i: option_outcomes(run(available[i].with_changes(**changes))) for i in ids}, criteria
        )
        parts.append(m.set_index(pd.MultiIndex.from_product([[wid], m.index], names=["world", "option"])))
    return pd.concat(parts), units


def world_wins(
    matrix: pd.DataFrame,
    weights: Mapping[str, float],
    directions: Mapping[str, str] | Sequence[Criterion] = DEFAULT_CRITERIA,
) -> pd.DataFrame:
    """In how many worlds each option ranks first under the given weights.

    Each world's rows are normalised among themselves (the options on the table in that
    world), then weighted; ties for first split the win.

    Parameters
    ----------
    matrix : pandas.DataFrame
        From :func:`world_matrix` (index world, option).
    weights : mapping
        See :func:`check_weights`.
    directions : mapping or sequence of Criterion

    Returns
    -------
    pandas.DataFrame
        Indexed by option: ``wins`` (worlds won, ties split), ``share_worlds`` (wins / worlds),
        ``mean_rank`` (1 = best), ``mean_score`` and ``worst_score`` (over the worlds), sorted
        by wins then worst score.
    """
    tensor, opts = _world_tensor(matrix, directions)
    return _wins_table(tensor, opts, _weight_vector(weights, list(matrix.columns)))


def _world_tensor(matrix: pd.DataFrame, directions) -> tuple[np.ndarray, pd.Index]:
    """Normalised scores as worlds x options x criteria (options in first-world order)."""
    wids = matrix.index.get_level_values("world").unique()
    opts = matrix.loc[wids[0]].index
    tensor = np.stack([normalise(matrix.loc[w].reindex(opts), directions).to_numpy(float) for w in wids])
    return tensor, opts


def _wins_table(tensor: np.ndarray, opts: pd.Index, w: np.ndarray) -> pd.DataFrame:
    s = np.round(tensor @ w, 12)  # worlds x options
    top = s >= s.max(axis=1, keepdims=True)
    wins = (top / top.sum(axis=1, keepdims=True)).sum(axis=0)
    rank = 1 + (s[:, None, :] > s[:, :, None]).sum(axis=2)  # worlds x options; ties share
    out = pd.DataFrame(
        {
            "wins": wins,
            "share_worlds": wins / s.shape[0],
            "mean_rank": rank.mean(axis=0),
            "mean_score": s.mean(axis=0),
            "worst_score": s.min(axis=0),
        },
        index=opts,
    )
    out.index.name = "option"
    return out.sort_values(["wins", "worst_score"], ascending=False, kind="stable")


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
