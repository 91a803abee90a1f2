r"""The equations of the quarterly scenario model (pure numpy, vectorized over draws).

Everything here works on arrays of shape ``(n,)`` (one value per ensemble member, or draw) and
state arrays of shape ``(n, H)`` (draws x quarters). A single run is an ensemble of one at the
central values: there is one code path. No I/O happens here; the parameter values arrive in a
mapping built by :mod:`s400lab.model.api` from the register. :func:`simulate` calls one short
function per section below (listed in :data:`SECTIONS`), in order.

Time
----
Quarter index ``k = 0 .. H-1`` with ``H = horizon_quarters``; quarter ``k`` starts at the
decimal year ``t_k = start_year + k / 4`` (2026.75 = 2026Q4). Durations in months are summed
along a chain first and converted to whole quarters once, by rounding up: ``q(m) = ceil(m / 3)``.
An event "in quarter k" happens during that quarter: stocks (``ru_stock``, ``tr_held``) are
start-of-quarter values, so its effect shows in a stock from quarter ``k + 1`` (``tr_held`` drops
at ``k_leave``, the first quarter without the units); cumulative money and India's squadrons
count up to the end of quarter ``k``. Outcome quarters are the decimal year of the quarter's
start; NaN = not within the horizon (``k >= H``). Dates in decimal years (India's promises)
count from the start of the quarter they fall in.

1. Turkiye's holding and what leaves it (:func:`turkiye_holding`)
-----------------------------------------------------------------
``holding = tr_holding_bn`` battalions (2 in a central run; ensembles draw 4 with probability
``p_tr_holding_4``). Units that leave Turkiye::

    moved = holding                                   if tr_action in {return_full, transfer_third_party,
                                                                       custody, relocation}
          = min(return_battalions, holding - 1)        if tr_action == return_partial
          = 0                                          otherwise (keep_stored, activate,
                                                                  standalone_verified, joint_control)

(a single scenario asking for ``return_battalions > holding - 1`` is refused by
:func:`s400lab.model.scenario.lever_problems`; the ``min`` only acts in ensembles that draw a
smaller holding). ``to_russia = moved`` for a return, 0 otherwise. The middle options (issue 27)
move units out of Turkiye's active holding without sending them to Russia (``custody``: into
US-supervised custody; ``relocation``: to a site abroad under another state's control, as
Cyprus's S-300s went to Crete) or keep them in Turkiye (``standalone_verified``: used stand-alone,
outside NATO's systems, under verification; ``joint_control``: a joint control mechanism); then
``k_leave`` is the quarter the arrangement is in place. With
``k_agree = return_quarter`` and the month durations summed before rounding::

    k_leave = k_agree + q(removal_months)                              (last unit left Turkiye)
    k_use   = k_agree + q(removal_months + refurb_months)              (usable by Russia)
    k_india = k_agree + q(removal_months + refurb_months + india_transport_months)

``left = (k_leave < H)``; ``moved_h = moved * left`` battalions have left Turkiye by the end.

2. Course of the war (:func:`war_course`)
-----------------------------------------
``war_course`` (a switch) selects the loss rate ``L`` and home requirement ``R``:
ceasefire -> (``loss_rate_ceasefire_bn_per_year``, ``home_requirement_peace_bn``); attrition as
in 2023-25 -> (``loss_rate_bn_per_year``, ``home_requirement_bn``); escalation ->
(``loss_rate_escalation_bn_per_year``, ``home_requirement_bn``). The rates and requirements
are drawn in ensembles; the course itself is an evidence switch held in every draw, its
readings run side by side (``compare_readings(sc, "war_course")``): no hidden weight. Only as
an opt-in what-if (``p_war_escalation`` or ``p_war_ceasefire`` above 0, both 0 by default,
with ``war_course = attrition``) is it drawn per draw::

    P(escalation) = p_war_escalation,  P(ceasefire) = p_war_ceasefire,
    P(attrition)  = 1 - p_war_escalation - p_war_ceasefire

(a course other than attrition together with a weight above 0 is refused, naming both).

3. Export allocation rule (:func:`export_capacity`)
---------------------------------------------------
With ``P = production_bn_per_year`` and shortfall ``max(0, R - S[k])``::

    f(shortfall) = 1 - (1 - export_floor) * min(1, shortfall / shortfall_threshold_bn)
    cap[k]       = P/4 * export_share * f(shortfall[k])        (built for export)
    home[k]      = P/4 - cap[k]                                (built for Russia itself)

The capacity leaves the home stock as it is built; it serves India's undelivered squadrons (1
squadron = 2 battalions), in order. Other buyers depend on ``ru_export_buyers`` (a labelled
switch): ``contracted`` (default) serves only buyers with a sourced contract still undelivered
in data/deals.csv -- India -- so the capacity is capped at what India still needs and the rest
stays home::

    cap[k] = min(cap[k], max(0, 2 * (U - direct_so_far) - credit[k-1]))       (contracted)

``all`` lets unconfirmed buyers take the capacity once India is served (model v2).

4. Russian stock and the returned units (:func:`russian_stock`)
---------------------------------------------------------------
::

    S[0]   = inventory_bn
    S[k+1] = max(0, S[k] + P/4 - L/4 + home_in[k] - cap[k])

Only returned units of an agreed draw move (section 9 decides in ``k_agree``). Kept at home
(``home``) they join the stock in ``k_use``. Sent to India (``india``), in ``k_use`` the
battalions of the whole squadrons India still waits for (``2 * min(floor(to_russia / 2), U -
floor(credit / 2))``) leave in transit, outside the home stock; the rest join the stock. In
``k_india`` the transit completes the squadrons India still waits for then (those not completed
from export capacity meanwhile, so no squadron is delivered twice); units no longer needed join
the home stock then. Resold (``resale``), they are exported in ``k_use`` and never join the
stock. So a return never leaves Russia with fewer battalions than the status quo, and a later
return or a longer transport never brings India earlier (tests/model/test_bargain.py).

5. India's squadrons (:func:`india_deliveries`)
-----------------------------------------------
``U = india_undelivered_sq`` and ``credit0 = india_credit_start_bn`` are evidence switches. The
queue credit is ``credit0 + sum(cap)``; squadrons delivered by the end of quarter ``k``::

    done[k] = min(U, floor(credit[k] / 2) + direct * (k >= k_india))

Outcomes: the 4th/5th squadron quarters (a squadron delivered before the start is reported at
the reading's own date: the 4th at the quarter of the month the evidence switch
``india_sq4_arrival`` gives -- June or May 2026, both 2026Q2 (:func:`arrival_quarter`) -- the
5th at its promised quarter if that lies before the start and as unknown, NaN, otherwise: never
an invented quarter; delay 0), delays against ``india_promise_sq4/5`` in
quarters, on time by ``india_deadline_year``, and the timing ruler: ``returned_usable_q``
(k_use), ``returned_india_q`` (k_india), ``india_next_production_q`` (first quarter with
``floor(credit / 2) >= 1``: the next squadron from production alone) and
``india_last_production_q`` (first quarter with ``floor(credit / 2) >= U``: India's order
complete from production alone; when returned units stop production for India, the ruler
follows the production-alone queue). India's dates move through two channels only:

* returned units sent to India (``india``) bring its last squadron earlier only if ``k_india``
  comes before ``india_last_production_q``;
* the export-capacity channel (any use): returned units in Russian service shrink the shortfall,
  so the allocation rule (section 3) leaves a little more production for export and India's
  next squadron can come a quarter earlier; units resold or in transit do not count.

6. Turkiye-US milestones (:func:`us_milestones`)
------------------------------------------------
Only a verified full divestiture meets the US legal conditions (FY2021 NDAA s.1241; FY2020 NDAA
s.1245: the government of Turkiye and any person acting on its behalf no longer possesses the
S-400): ``return_full`` or ``transfer_third_party`` with ``left``, or a middle option whose
legal reading (the evidence switch ``legal_reading_<option>``, :data:`MIDDLE_ACTIONS`) is
``counts``, once in place (:func:`legal_counts`)::

    legal = counts(tr_action, reading) and left and agreed

The reading, not the option, decides whether the US track starts; what leaves Turkiye's holding
follows the option (section 1), and Russia's stock never changes under a middle option.
Otherwise every milestone is NaN and the hold outcomes are 0.

Congress acts through holds tied to named linkages, not coin-flip blocks (issue 27 item 3): in the
record, arms sales were held in the informal review until a linked issue was settled (the F-16
sale to Turkiye until Sweden's NATO accession was ratified; the MQ-9B sale to India until the
administration gave assurances) and formal disapproval has not survived a veto. So a hold
*delays* a track by ``D = congress_hold_months`` (until the linkage resolves); it stops a track
only when the delay pushes it past the horizon. ``congress_linkage`` (an evidence switch) names the
issues pending: ``none``, ``greece_cyprus``, ``israel`` or ``greece_cyprus_israel`` (``n_link`` =
0, 1, 1, 2). With the US-response multipliers ``m_d`` (durations) and ``m_b`` (hold chances) --
1 for ``standard`` -- (:func:`hold_chances`)::

    p_s = min(1, m_b * p_hold_sanctions)          (relief is the President's certification:
                                                    only legislation can hold it)
    p_f = min(1, m_b * (1 - (1 - p_hold_per_linkage) ** n_link))   (no linkage, no hold)
    held_s = u_block_sanctions < p_s               held_f = u_block_f35 < p_f

and months are summed from the agreement and rounded once::

    m_sanc = m_d * sanctions_lift_months + D * held_s
    m_f35  = max(m_sanc, m_d * f35_readmission_months + D * held_f)
    m_jet  = m_f35 + m_d * f35_delivery_months    (the stored jets count here only: low end 0)
    k_x    = k_agree + q(removal_months + m_x)          for x in sanc, f35, jet

A held sanctions track delays the F-35 track too. ``sanctions_held`` / ``f35_held`` say a hold
happened; ``sanctions_blocked`` / ``f35_blocked`` that it pushed a milestone the chain alone
would reach within the horizon beyond it. ``u_block_*`` are model devices (kind ``device``):
drawn in ensembles, 0.5 in a single run, never factors of tornado or Sobol. A single run's
chance of each milestone comes from :func:`s400lab.analysis.ensembles.milestone_odds`.

7. Money and Russia's deal (:func:`money`; US$ bn, undiscounted)
----------------------------------------------------------------
::

    refund_total  = compensation_share * s400_contract_usd_bn * moved / holding    (0 if form 'none')
    refund (cash) = refund_total, paid in quarter k_leave
    refund (offset) = refund_total * min(1, (H - k_leave) / (4 * energy_offset_years))
    upkeep_avoided  = upkeep_usd_bn_per_year * (moved / holding) * (H - k_leave) / 4
    workshare       = f35_workshare_usd_bn_per_year * (H - k_f35) / 4      (if readmitted)
    tr_recovered    = refund + upkeep_avoided + workshare
    tr_retaliation  = ru_retaliation_usd_bn          (transfer_third_party, custody, relocation)
    ru_refund_cost  = refund            (0 for a third-party transfer: the buyer pays)
    ru_value        = unit_value_usd_bn * to_russia                       (if k_use < H)
    ru_forgone      = ru_leverage_value_usd_bn * moved / holding          (once they have left)
    ru_deal_net     = ru_max - comp         (section 9; a transfer: -ru_forgone)
    ru_consents     = return action and comp <= ru_max
    offset_dependence = refund_total / s400_contract_usd_bn   (energy offset, once they have left)

A middle option (section 1) pays no refund and saves no upkeep (Turkiye keeps title); custody
and relocation put the units under a third party's control, so -- a labelled judgement, as for a
transfer -- Russia objects and Turkiye bears ``tr_retaliation``.
Everything here counts the agreed return only (a refused draw moves nothing). The offset
dependence is the obligation, not the part still owed within the horizon (a later return must
not look better). A transfer to a third party gives Russia nothing and costs it
``ru_forgone``, so Russia objects (``ru_objects`` = 1, the end-user certificate needs its
consent) and Turkiye bears ``tr_retaliation``.
``ru_return_production_months = returned / (P / 12)`` and ``ru_return_loss_share =
returned / L`` put a return in a student's terms.

8. Alliance scorecard (:func:`scorecard`)
-----------------------------------------
Four signals, each in [-1, 1], higher = better for Turkiye's place in NATO::

    sig_nato_integration = 0.5 * sanctions_lifted + 0.5 * f35_readmitted
    sig_us_trust         = moved_h / holding - activated          (activation counted once)
    sig_moscow_leverage  = 1 - 2 * (0.5 * held_end / holding + 0.5 * offset_dependence)
    sig_russian_ad_gain  = -min(1, to_russia_home / 4)
    alliance_score       = sum(w_* x sig_*)       (weights: register rows, group Alliance)

with ``held_end = holding - moved_h`` and ``to_russia_home`` the returned battalions bound for
Russian home service that have left Turkiye within the horizon (not those delivered to India or
resold): counted when they leave, not when they become usable, so agreeing later never raises
the score at the register's weights (v2 rewarded units that arrived after the horizon).

9. The bargain (:func:`bargain_terms`; consent gates the return)
----------------------------------------------------------------
For a return (``return_partial``, ``return_full``) each side's valuation gives a range of
compensation both accept; the return happens only inside it. With ``frac = moved / holding``,
``base = s400_contract_usd_bn * frac`` (the contract value of the units that leave) and
``comp = compensation_share * base`` (0 for form 'none'), in US$ bn:

Russia's highest price. Its scarcity is the shortfall against the home requirement of the
chosen course of the war in the agreement quarter, ``s = min(1, max(0, R - S[k_agree]) /
shortfall_threshold_bn)`` (``ru_shortfall_agree_months`` shows it in months of production)::

    ru_max = to_russia * unit_value_usd_bn * (1 + ru_scarcity_premium * s * eases)
             - ru_leverage_value_usd_bn * frac

``unit_value_usd_bn`` is the contracts' price of a battalion (data/deals.csv, derived by
:mod:`s400lab.model.pricing`); ``eases = 1`` when the units ease the shortfall (kept at home,
or sent to India while only contracted buyers are served, so India's order takes less
production), 0 when resold (worth their price only); the leverage term is a labelled judgement.

Turkiye's least acceptable compensation: what it gives up minus what it gains besides the
money, with ``t_leave`` the start of quarter ``k_leave`` and ``t_end`` the horizon's end::

    gives_up = frac * (tr_gap_cost_usd_bn_per_year * max(0, min(tr_own_ad_year, t_end) - t_leave)
                       + tr_audience_cost_usd_bn)
    gains    = upkeep_usd_bn_per_year * frac * (H - k_leave) / 4
               + [full return] p_clear * f35_workshare_usd_bn_per_year * (H - k_f35) / 4
    tr_min   = gives_up - gains

with ``k_f35`` the unheld chain's quarter and ``p_clear`` the expected share of its work-share
quarters left after Congress's holds (over ``p_s``, ``p_f`` of section 6, each hold adding
``congress_hold_months``): the US track's value weighted by its chance, not by the hold draw. Outcomes::

    tr_min_share  = max(0, tr_min) / base          ru_max_share = ru_max / base
    deal_feasible = tr_min_share <= ru_max_share   (the range is not empty)
    deal_agreed   = tr_min_share <= compensation_share <= ru_max_share

(NaN when no return is at stake). In a draw that is not agreed nothing leaves Turkiye: Russia,
Turkiye, India and the US track follow the status quo, and the verdict says "refused: Russia
pays at most N%" (or what Turkiye needs).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "ACTIONS",
    "BUYERS",
    "BargainTerms",
    "COURSES",
    "LEGAL_ACTIONS",
    "LEGAL_READINGS",
    "LINKAGES",
    "MIDDLE_ACTIONS",
    "MIDDLE_MOVING",
    "OUTCOMES",
    "RETURN_ACTIONS",
    "SECTIONS",
    "SERIES",
    "THIRD_PARTY_ACTIONS",
    "arrival_quarter",
    "export_capacity",
    "hold_chances",
    "legal_counts",
    "export_factor",
    "india_deliveries",
    "bargain_terms",
    "compensation",
    "money",
    "months_to_quarters",
    "india_deliveries_plain",
    "russian_stock",
    "russian_stock_plain",
    "scorecard",
    "simulate",
    "turkiye_holding",
    "us_milestones",
    "war_course",
]

#: The middle options (issue 27 item 2) -> the evidence switch holding their legal reading:
#: whether the arrangement counts as Turkiye "no longer possessing" the S-400 under FY2021 NDAA
#: s.1241 and FY2020 NDAA s.1245 (``counts``) or not (``does_not_count``).
MIDDLE_ACTIONS: dict[str, str] = {
    "custody": "legal_reading_custody",
    "relocation": "legal_reading_relocation",
    "standalone_verified": "legal_reading_standalone_verified",
    "joint_control": "legal_reading_joint_control",
}
#: Middle options whose units leave Turkiye's active holding (to a US-supervised or a foreign
#: site; never to Russia); under the others the units stay in Turkiye.
MIDDLE_MOVING = ("custody", "relocation")
#: Readings of a middle option's legal switch.
LEGAL_READINGS = ("counts", "does_not_count")
ACTIONS = (
    "keep_stored",
    "activate",
    "return_partial",
    "return_full",
    "transfer_third_party",
    *MIDDLE_ACTIONS,
)
#: Actions that remove every unit from Turkiye and so satisfy US law under every reading.
LEGAL_ACTIONS = ("return_full", "transfer_third_party")
#: Actions that put the units under a third party's physical control against the end-user
#: terms (Russia objects and retaliates; a labelled judgement, see section 7).
THIRD_PARTY_ACTIONS = ("transfer_third_party", *MIDDLE_MOVING)
#: Actions that hand units back to Russia.
RETURN_ACTIONS = ("return_partial", "return_full")
#: Readings of ``ru_export_buyers``: only buyers with a sourced contract, or all buyers.
BUYERS = ("contracted", "all")
#: Course of the war -> (loss-rate row, home-requirement row) of the register.
COURSES: dict[str, tuple[str, str]] = {
    "ceasefire": ("loss_rate_ceasefire_bn_per_year", "home_requirement_peace_bn"),
    "attrition": ("loss_rate_bn_per_year", "home_requirement_bn"),
    "escalation": ("loss_rate_escalation_bn_per_year", "home_requirement_bn"),
}

#: Per-quarter variables: name -> (unit, label).
SERIES: dict[str, tuple[str, str]] = {
    "ru_stock": ("battalions", "Russian S-400 stock (start of quarter)"),
    "ru_shortfall": ("battalions", "Shortfall against the home requirement"),
    "ru_exports": ("battalions / quarter", "Russian S-400 exports"),
    "ru_returned": ("battalions / quarter", "Returned Turkish units put to use by Russia"),
    "india_squadrons": ("squadrons", "Indian squadrons delivered (of 5)"),
    "tr_held": ("battalions", "S-400 battalions held by Turkiye"),
    "us_sanctions_lifted": ("0/1", "CAATSA sanctions on SSB lifted"),
    "us_f35_readmitted": ("0/1", "Turkiye readmitted to the F-35 programme"),
    "tr_recovered_usd_bn": ("US$ bn", "Turkiye: money recovered so far (cumulative)"),
    "ru_requirement": ("battalions", "Russian home requirement (course of the war)"),
    "ru_built_home": ("battalions / quarter", "Russian production kept for home service"),
}

#: Outcomes: name -> (unit, label).
OUTCOMES: dict[str, tuple[str, str]] = {
    "legal_conditions_met": ("0/1", "US legal conditions met within the horizon (verified full divestiture)"),
    "battalions_divested": ("battalions", "Battalions that left Turkiye within the horizon"),
    "returned_to_russia": ("battalions", "Battalions returned to Russia within the horizon"),
    "divestiture_q": ("year", "Divestiture verified (quarter)"),
    "tr_leave_k": (
        "quarters",
        "Quarters from the start until the last unit leaves Turkiye (terms asked; may pass the horizon)",
    ),
    "sanctions_lifted_q": ("year", "CAATSA sanctions lifted (quarter)"),
    "f35_readmission_q": ("year", "F-35 readmission (quarter)"),
    "f35_first_delivery_q": ("year", "First F-35 delivered (quarter)"),
    "sanctions_lifted": ("0/1", "Sanctions lifted within the horizon"),
    "f35_readmitted": ("0/1", "F-35 readmission within the horizon"),
    "f35_delivered": ("0/1", "First F-35 delivered within the horizon"),
    "sanctions_blocked": ("0/1", "Congress's hold keeps sanctions relief beyond the horizon (this draw)"),
    "f35_blocked": ("0/1", "Congress's hold keeps F-35 readmission beyond the horizon (this draw)"),
    "ru_stock_end": ("battalions", "Russian stock at the end of the horizon"),
    "ru_stock_min": ("battalions", "Lowest Russian stock over the horizon"),
    "ru_shortfall_end": ("battalions", "Russian shortfall at the end of the horizon"),
    "ru_exports_total": ("battalions", "Russian exports over the horizon"),
    "ru_return_production_months": (
        "months",
        "Russia: returned battalions in months of its S-400 production",
    ),
    "india_undelivered_start": ("squadrons", "Indian squadrons undelivered at the start"),
    "india_sq4_q": ("year", "India: 4th squadron delivered (quarter)"),
    "india_sq5_q": ("year", "India: 5th squadron delivered (quarter)"),
    "india_sq4_delay_q": ("quarters", "India: 4th squadron delay vs promise (negative = early)"),
    "india_sq5_delay_q": ("quarters", "India: 5th squadron delay vs promise (negative = early)"),
    "india_done_by_deadline": ("0/1", "India: last squadron delivered by the deadline"),
    "tr_sunk_usd_bn": ("US$ bn", "Turkiye: sunk cost (S-400 contract + F-35 payments)"),
    "tr_refund_usd_bn": ("US$ bn", "Turkiye: refund received within the horizon"),
    "tr_upkeep_avoided_usd_bn": ("US$ bn", "Turkiye: S-400 upkeep avoided"),
    "tr_workshare_usd_bn": ("US$ bn", "Turkiye: F-35 work share regained"),
    "tr_recovered_usd_bn": ("US$ bn", "Turkiye: total recovered within the horizon"),
    "ru_refund_cost_usd_bn": ("US$ bn", "Russia: refund paid (cash or energy offset)"),
    "ru_value_regained_usd_bn": (
        "US$ bn",
        "Russia: value of regained battalions put to use within the horizon",
    ),
    "ru_net_usd_bn": ("US$ bn", "Russia: value regained minus refund"),
    "sig_nato_integration": ("signal -1..1", "Signal: NATO integration"),
    "sig_us_trust": ("signal -1..1", "Signal: US trust"),
    "sig_moscow_leverage": ("signal -1..1", "Signal: freedom from Moscow's leverage"),
    "sig_russian_ad_gain": ("signal -1..0", "Signal: no Russian air-defence gain"),
    "alliance_score": ("weighted sum", "Alliance score (weighted sum of the signals)"),
    # --- v2: Russia's depletion, the India channel, the actors' logic
    "ru_stock_change": ("battalions", "Russian stock: end minus start"),
    "ru_stock_below_start": ("0/1", "Russian stock ends below its start"),
    "ru_losses_total": ("battalions", "Russian losses over the horizon"),
    "ru_built_home_total": ("battalions", "Russian production kept for home service"),
    "ru_built_export_total": ("battalions", "Russian production allocated to export"),
    "ru_return_loss_share": (
        "years of losses",
        "Russia: returned battalions as a share of one year's losses",
    ),
    "returned_usable_q": ("year", "Returned units usable by Russia (quarter)"),
    "returned_india_q": ("year", "Returned units could be in India (quarter)"),
    "india_next_production_q": ("year", "India: next squadron complete from export production (quarter)"),
    "india_last_production_q": (
        "year",
        "India: last squadron complete from export production alone (quarter)",
    ),
    "india_direct_squadrons": ("squadrons", "India: squadrons delivered from returned units"),
    "ru_forgone_usd_bn": ("US$ bn", "Russia: value forgone (its S-400s leave Turkiye)"),
    "ru_deal_net_usd_bn": (
        "US$ bn",
        "Russia: its highest price minus the compensation asked (surplus at the terms)",
    ),
    "ru_consents": ("0/1", "Russia accepts the terms (compensation at most its highest price)"),
    "ru_objects": ("0/1", "Russia objects (transfer against the end-user terms)"),
    "tr_retaliation_usd_bn": ("US$ bn", "Turkiye: cost of Russian retaliation"),
    "tr_net_usd_bn": ("US$ bn", "Turkiye: recovered minus retaliation"),
    "offset_dependence": ("share", "Turkiye: energy-offset dependence (offset obligation / contract)"),
    # --- v3: the bargain (section 9)
    "deal_feasible": ("0/1", "A deal exists: Turkiye's least compensation <= Russia's most"),
    "tr_min_share": ("share of contract", "Turkiye's least acceptable compensation (share of the contract)"),
    "ru_max_share": ("share of contract", "Russia's highest price (share of the contract)"),
    "tr_min_usd_bn": ("US$ bn", "Turkiye's least acceptable compensation"),
    "ru_max_usd_bn": ("US$ bn", "Russia's highest price for the returned units"),
    "deal_agreed": ("0/1", "The terms lie inside the range: the return happens"),
    "tr_consents": ("0/1", "Turkiye accepts the terms (compensation at least its least)"),
    "ru_scarcity": ("share", "Russia's scarcity at the agreement (shortfall / threshold, capped at 1)"),
    "ru_shortfall_agree_months": (
        "months",
        "Russia's shortfall at the agreement, in months of its production",
    ),
    "tr_gives_up_usd_bn": ("US$ bn", "Turkiye: what a return costs it (air-defence gap, domestic cost)"),
    "tr_us_value_usd_bn": ("US$ bn", "Turkiye: chance-weighted value of the US track (F-35 work share)"),
    # --- issue 27: Congress as linkage (section 6)
    "sanctions_held": ("0/1", "Congress holds sanctions relief (this draw: delayed, not always stopped)"),
    "f35_held": ("0/1", "Congress holds the F-35 sale (this draw: delayed, not necessarily stopped)"),
}

#: The documented sections of :func:`simulate`, in order: (title, function name).
SECTIONS = (
    ("1. Turkiye's holding and what leaves it", "turkiye_holding"),
    ("2. Course of the war (losses and home requirement)", "war_course"),
    ("3. Export allocation rule", "export_capacity"),
    ("4. Russian stock and the returned units", "russian_stock"),
    ("5. India's squadrons", "india_deliveries"),
    ("6. Turkiye-US milestones", "us_milestones"),
    ("7. Money and Russia's deal", "money"),
    ("8. Alliance scorecard", "scorecard"),
    ("9. The bargain (decided in the agreement quarter, before section 4 moves any unit)", "bargain_terms"),
)


def months_to_quarters(months: np.ndarray) -> np.ndarray:
    """Whole quarters needed for a duration in months: ``ceil(months / 3)`` (as float)."""
    return np.ceil(np.asarray(months, dtype=float) / 3.0 - 1e-9)


class LazySeries(Mapping):
    """Read-only mapping of per-quarter arrays ``(n, H)``; callables are evaluated on first access."""

    def __init__(self, items: dict):
        self._items = dict(items)

    def __getitem__(self, key: str) -> np.ndarray:
        v = self._items[key]
        if callable(v):
            v = np.asarray(v())
            self._items[key] = v
        return v

    def __iter__(self):
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


#: Up to this many draws a single input value is copied rather than broadcast (cheaper to build).
_SMALL_N = 256


class Inputs:
    """The parameter values of one call: ``a(name)`` is an array of shape ``(n,)``; the
    choices and the time grid are attributes (``action``, ``form``, ``use``, ``us``,
    ``course``, ``H``, ``t0``, ``n``)."""

    def __init__(self, values: Mapping[str, Any], n: int):
        self.values, self.n = values, n
        self.H = int(values["horizon_quarters"])
        self.t0 = float(values["start_year"])
        self.action = values["tr_action"]
        self.form = values["compensation_form"]
        self.use = values["ru_use_returned"]
        self.us = values["us_response"]
        self.buyers = values.get("ru_export_buyers", "contracted")
        if self.buyers not in BUYERS:
            raise ValueError(f"ru_export_buyers {self.buyers!r} is not one of {BUYERS}")
        # one course (text) or one per draw (an array of text, drawn in ensembles)
        self.course = values.get("war_course", "attrition")
        if self.action not in ACTIONS:
            raise ValueError(f"tr_action {self.action!r} is not one of {ACTIONS}")
        if isinstance(self.course, str):
            if self.course not in COURSES:
                raise ValueError(f"war_course {self.course!r} is not one of {tuple(COURSES)}")
        else:
            self.course = np.asarray(self.course)
            bad = ~np.isin(self.course, list(COURSES))
            if self.course.shape != (n,) or bad.any():
                raise ValueError(f"war_course per draw must be {n} values of {tuple(COURSES)}")

    def __call__(self, name: str) -> np.ndarray:
        """Input ``name`` as ``n`` floats. A single value is repeated: copied for a few draws (a
        central run asks for ~37 inputs, and ``np.broadcast_to`` costs ~15 us each), a zero-copy
        broadcast for an ensemble."""
        x = self.values[name]
        if self.n == 1 and not isinstance(x, np.ndarray):  # a single run: one value (fastest)
            return np.array(x, dtype=float, ndmin=1)
        x = np.asarray(x, dtype=float)
        if x.ndim:
            return x
        return np.full(self.n, x) if self.n <= _SMALL_N else np.broadcast_to(x, (self.n,))

    def quarter(self, k: np.ndarray, ok: np.ndarray | bool = True) -> np.ndarray:
        """Decimal year of quarter index ``k`` where ``ok`` (and ``k < H``), NaN elsewhere."""
        within = k < self.H if ok is True else np.asarray(ok) & (k < self.H)
        return np.where(within, self.t0 + 0.25 * k, np.nan)


# --------------------------------------------------------------------------- 1. holding
def turkiye_holding(a: Inputs) -> dict[str, np.ndarray]:
    """Section 1: battalions held, moved and returned; the quarters they leave and are used.

    Month durations from the agreement are summed, then rounded to quarters once.
    """
    holding = a("tr_holding_bn")
    if a.action in LEGAL_ACTIONS or a.action in MIDDLE_MOVING:
        moved = holding.copy()
    elif a.action == "return_partial":
        moved = np.minimum(a("return_battalions"), holding - 1.0)
    else:
        moved = np.zeros(a.n)
    to_russia = moved if a.action in RETURN_ACTIONS else np.zeros(a.n)
    k_agree = a("return_quarter")
    m_leave = a("removal_months")
    m_use = m_leave + a("refurb_months")
    k_leave = k_agree + months_to_quarters(m_leave)
    k_use = k_agree + months_to_quarters(m_use)
    k_india = k_agree + months_to_quarters(m_use + a("india_transport_months"))
    left = k_leave < a.H
    return dict(
        holding=holding,
        moved=moved,
        to_russia=to_russia,
        k_agree=k_agree,
        m_leave=m_leave,
        k_leave=k_leave,
        k_use=k_use,
        k_india=k_india,
        left=left,
        moved_h=moved * left,
    )


# --------------------------------------------------------------------------- 2. war
def war_course(a: Inputs) -> dict[str, np.ndarray]:
    """Section 2: the loss rate ``L`` and home requirement ``R`` of the course (one per draw)."""
    if isinstance(a.course, str):
        loss_row, req_row = COURSES[a.course]
        return dict(L=a(loss_row), R=a(req_row))
    pick = [a.course == c for c in COURSES]
    return dict(
        L=np.select(pick, [a(loss) for loss, _ in COURSES.values()]),
        R=np.select(pick, [a(req) for _, req in COURSES.values()]),
    )


# --------------------------------------------------------------------------- 9. bargain
#: Readings of ``congress_linkage`` -> how many named linkages are pending (section 6).
LINKAGES: dict[str, int] = {"none": 0, "greece_cyprus": 1, "israel": 1, "greece_cyprus_israel": 2}


def hold_chances(get: Any, us: str, linkage: str) -> dict[str, np.ndarray]:
    """Chance that Congress holds each track (section 6), per draw.

    ``get(name)`` returns a register value (a scalar or an array per draw); ``us`` is the
    US response and ``linkage`` the reading of ``congress_linkage``::

        p_s = min(1, m_b * p_hold_sanctions)
        p_f = min(1, m_b * (1 - (1 - p_hold_per_linkage) ** n_link))

    Returns ``{"u_block_sanctions": p_s, "u_block_f35": p_f}`` (keyed by the device each
    chance is compared with: a track is held when its device lies below its chance).
    """
    if linkage not in LINKAGES:
        raise ValueError(f"congress_linkage {linkage!r} is not one of {tuple(LINKAGES)}")
    mb = get(f"us_block_mult_{us}") if us in ("cooperative", "hostile") else 1.0
    n_link = LINKAGES[linkage]
    free = (1.0 - np.asarray(get("p_hold_per_linkage"), dtype=float)) ** n_link
    return {
        "u_block_sanctions": np.minimum(1.0, mb * np.asarray(get("p_hold_sanctions"), dtype=float)),
        "u_block_f35": np.minimum(1.0, mb * (1.0 - free)),
    }


def _us_track(a: Inputs, hold: dict) -> dict[str, np.ndarray]:
    """Section 6's chain before Congress: the quarters of the US milestones if the units leave
    and no track is held (``k_x``), the hold chances ``p_s``, ``p_f`` (:func:`hold_chances`),
    the months a hold adds (``D``), and ``p_clear``: the expected share of the F-35 work-share
    quarters ``H - k_f35`` that survives the holds (1 when Congress never holds; section 9
    values the US track with it)."""
    if a.us in ("cooperative", "hostile"):
        md = a(f"us_duration_mult_{a.us}")
    else:
        md = np.ones(a.n)
    chances = hold_chances(a, a.us, a.values.get("congress_linkage", "none"))
    p_s, p_f = chances["u_block_sanctions"], chances["u_block_f35"]
    D = a("congress_hold_months")
    k0, m0 = hold["k_agree"], hold["m_leave"]
    m_s, m_r, m_d = (
        md * a(n) for n in ("sanctions_lift_months", "f35_readmission_months", "f35_delivery_months")
    )

    def k_of(m):  # quarter index of a milestone ``m`` months after the agreement's removal
        return k0 + np.ceil((m0 + m) / 3.0 - 1e-9)

    def chain(held_s, held_f):  # quarters (k_sanc, k_f35, k_jet) with the holds given
        m_sanc = m_s + D * held_s
        m_f35 = np.maximum(m_sanc, m_r + D * held_f)
        return k_of(m_sanc), k_of(m_f35), k_of(m_f35 + m_d)

    k_sanc, k_f35, k_jet = chain(0.0, 0.0)
    free_q = np.maximum(0.0, a.H - k_f35)
    # expected quarters of F-35 work share over the four hold outcomes (none, sanctions, F-35, both)
    m_sD, m_rD = m_s + D, m_r + D
    left_q = (
        (1.0 - p_s) * (1.0 - p_f) * free_q
        + p_s * (1.0 - p_f) * np.maximum(0.0, a.H - k_of(np.maximum(m_sD, m_r)))
        + (1.0 - p_s) * p_f * np.maximum(0.0, a.H - k_of(np.maximum(m_s, m_rD)))
        + p_s * p_f * np.maximum(0.0, a.H - k_of(np.maximum(m_sD, m_rD)))
    )
    p_clear = np.divide(left_q, free_q, out=np.zeros(a.n), where=free_q > 0)
    return dict(k_sanc=k_sanc, k_f35=k_f35, k_jet=k_jet, p_s=p_s, p_f=p_f, p_clear=p_clear, chain=chain)


def compensation(a: Inputs, base: np.ndarray) -> np.ndarray:
    """The refund rule, in one place: ``compensation_share`` of ``base`` (the contract value of
    the units that leave), 0 for compensation form 'none'; US$ bn. Section 9 prices the terms
    with it, section 7 pays it (agreed draws only). A middle option (:data:`MIDDLE_ACTIONS`)
    pays nothing: Turkiye keeps title."""
    pays = a.action not in MIDDLE_ACTIONS
    return (a.form != "none") * pays * a("compensation_share") * base


@dataclass(frozen=True)
class BargainTerms:
    """Section 9's terms per draw, in US$ bn (fields None when no return is at stake, ``any``
    False): the compensation asked (``comp``) on the contract value of the units that leave
    (``base``); Turkiye's least acceptable compensation (``tr_min`` = ``tr_gives_up`` minus
    ``tr_gains``, of which ``tr_us_value`` is the chance-weighted US track); Russia's most is
    ``ru_base + ru_prem * scarcity``, the scarcity known only in the agreement quarter (at
    ``thresh``, the shortfall at which it is 1); ``bargaining``: draws in which units would move."""

    any: bool
    bargaining: Any = None  # ndarray of shape (n,)
    base: Any = None  # ndarray of shape (n,)
    comp: Any = None  # ndarray of shape (n,)
    tr_gives_up: Any = None  # ndarray of shape (n,)
    tr_gains: Any = None  # ndarray of shape (n,)
    tr_us_value: Any = None  # ndarray of shape (n,)
    tr_min: Any = None  # ndarray of shape (n,)
    ru_base: Any = None  # ndarray of shape (n,)
    ru_prem: Any = None  # ndarray of shape (n,)
    thresh: Any = None  # ndarray of shape (n,)


def bargain_terms(a: Inputs, hold: dict, track: dict) -> BargainTerms:
    """Section 9: the terms (``comp``), Turkiye's least acceptable compensation (``tr_min``) and
    the parts of Russia's most (``ru_base + ru_prem * scarcity``), all in US$ bn; the
    scarcity is known only at the agreement quarter (:func:`russian_stock` decides there)."""
    if a.action not in RETURN_ACTIONS:  # no return, no bargain (every outcome of it is NaN)
        return BargainTerms(any=False)
    frac, left_q = hold["moved"] / hold["holding"], np.maximum(0.0, a.H - hold["k_leave"])
    base = a("s400_contract_usd_bn") * frac  # the contract value of the units that leave
    comp = compensation(a, base)
    t_leave = a.t0 + hold["k_leave"] / 4.0
    gap_years = np.maximum(0.0, np.minimum(a("tr_own_ad_year"), a.t0 + a.H / 4.0) - t_leave)
    gives_up = frac * (a("tr_gap_cost_usd_bn_per_year") * gap_years + a("tr_audience_cost_usd_bn"))
    upkeep = a("upkeep_usd_bn_per_year") * frac * left_q / 4.0
    legal = a.action in LEGAL_ACTIONS
    us_value = legal * track["p_clear"] * a("f35_workshare_usd_bn_per_year") / 4.0
    us_value = us_value * np.maximum(0.0, a.H - track["k_f35"])
    unit = a("unit_value_usd_bn")
    r = hold["to_russia"]
    eases = a.use == "home" or (a.use == "india" and a.buyers == "contracted")
    return BargainTerms(
        any=True,
        bargaining=r > 0,
        base=base,
        comp=comp,
        tr_gives_up=gives_up,
        tr_gains=upkeep + us_value,
        tr_us_value=us_value,
        tr_min=gives_up - upkeep - us_value,
        ru_base=r * unit - a("ru_leverage_value_usd_bn") * frac,
        # kept home, or sent to India while only contracted buyers are served (India's order
        # then takes less production, which stays home): the units ease the shortfall
        ru_prem=r * unit * a("ru_scarcity_premium") * eases,
        thresh=a("shortfall_threshold_bn"),
    )


def _scarcity(shortfall, thresh):
    """Scarcity in [0, 1]: ``min(1, shortfall / shortfall_threshold_bn)``."""
    return np.minimum(1.0, np.maximum(0.0, shortfall) / thresh)


def _agrees(bar: BargainTerms, i, shortfall) -> np.ndarray:
    """Whether the terms of draws ``i`` lie in the range ``tr_min <= comp <= ru_max`` (US$ bn)."""
    ru_max = bar.ru_base[i] + bar.ru_prem[i] * _scarcity(shortfall, bar.thresh[i])
    comp = bar.comp[i]
    return (comp >= bar.tr_min[i] - 1e-9) & (comp <= ru_max + 1e-9)


# --------------------------------------------------------------------------- 3. allocation
def export_factor(shortfall: np.ndarray, floor: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """Allocation rule: share of export capacity honoured at a given home shortfall.

    ``f = 1 - (1 - floor) * min(1, shortfall / threshold)``: 1 at no shortfall, falling
    linearly to ``floor`` (``export_floor``) at ``threshold`` (``shortfall_threshold_bn``).

    Examples
    --------
    >>> float(export_factor(10.0, 0.2, 20.0))
    0.6
    """
    shortfall = np.asarray(shortfall, dtype=float)
    return 1.0 - (1.0 - floor) * np.minimum(1.0, shortfall / threshold)


def export_capacity(S, R, cap_max, slope, thresh, out, tmp):
    """Section 3: ``cap = P/4 * export_share * f(max(0, R - S))`` into ``out`` (in place).

    ``slope = cap_max * (1 - export_floor) / threshold``, so ``cap = cap_max - slope *
    min(shortfall, threshold)`` (the same as :func:`export_factor`, without temporaries).
    """
    np.subtract(R, S, out=tmp)
    np.maximum(tmp, 0.0, out=tmp)
    np.minimum(tmp, thresh, out=tmp)
    tmp *= slope
    np.subtract(cap_max, tmp, out=out)
    return out


# --------------------------------------------------------------------------- 4. stock
def _draws_by_quarter(k: np.ndarray, mask: np.ndarray, H: int) -> dict[int, np.ndarray]:
    """Indices of the draws with ``mask`` whose quarter ``k`` is ``0 .. H-1``, by quarter
    (ascending within a quarter; a quarter that is not whole matches no quarter)."""
    ks = k if mask.all() else np.where(mask, k, -1.0)
    lo, hi = ks.min(), ks.max()
    if lo == hi:  # one quarter for every draw (a lever, or a single run)
        return {int(lo): np.arange(ks.size)} if 0 <= lo < H and lo == int(lo) else {}
    out = {}
    for q in range(max(0, int(np.ceil(lo))), min(H - 1, int(hi)) + 1):
        if (i := np.flatnonzero(ks == q)).size:
            out[q] = i
    return out


def _arrive(a: Inputs, st: dict, i: np.ndarray, nxt: np.ndarray, cum: np.ndarray) -> None:
    """Returned units of draws ``i`` (agreed only) become usable in this quarter: resold (never
    home stock), bound for India (whole squadrons India still waits for travel on, outside the
    home stock) or into home service (the rest)."""
    i = i[st["agreed"][i]]
    ret = st["ret"][i]
    if a.use == "resale":
        st["extra"][i] += ret
        return
    if a.use == "india":
        U = st["U"][i]
        bound = 2.0 * np.minimum(np.floor(ret / 2.0), U - np.minimum(U, np.floor(cum[i] / 2.0)))
        st["transit"][i] = bound
        ret = ret - bound
    nxt[i] += ret


def _ship(st: dict, i: np.ndarray, nxt: np.ndarray, cum: np.ndarray) -> None:
    """Units in transit reach India: they complete the squadrons India still waits for (those
    not completed from export capacity meanwhile); units no longer needed return home."""
    U, moving = st["U"][i], st["transit"][i]
    d = np.minimum(np.floor(moving / 2.0), U - np.minimum(U, np.floor(cum[i] / 2.0)))
    st["direct"][i] += d
    st["extra"][i] += 2.0 * d
    st["need"][i] -= 2.0 * d
    nxt[i] += moving - 2.0 * d
    st["transit"][i] = 0.0


def _production_alone(r: dict, cap: np.ndarray, tmp: np.ndarray) -> None:
    """The timing ruler's India queue without returned units: credit from export capacity up
    to India's whole order; counts the quarters before the next and the last squadron."""
    np.subtract(r["two_u"], r["free"], out=tmp)
    np.maximum(tmp, 0.0, out=tmp)
    np.minimum(cap, tmp, out=tmp)
    r["free"] += tmp
    r["n_next"] += r["free"] < 2.0 - 1e-9
    r["n_last"] += r["free"] < r["two_u1"] - 1e-9


def _decide(st: dict, bar: BargainTerms, i: np.ndarray, S_i: np.ndarray, R_i: np.ndarray) -> None:
    """Section 9 at the agreement quarter: the shortfall Russia faces then sets its price."""
    sf = np.maximum(0.0, R_i - S_i)
    if i.size == st["agreed"].size:  # every draw agrees (or not) now: no indexing
        st["sf_agree"], st["agreed"] = sf, _agrees(bar, slice(None), sf)
        return
    st["sf_agree"][i] = sf
    st["agreed"][i] = _agrees(bar, i, sf)


#: An ensemble computes exports only for the draws India still waits on once they are fewer
#: than this share of the draws (the others export nothing: their capacity is 0 exactly).
_OWED_SHARE = 0.3


class _Owed:
    """The draws of an ensemble whose exports are still computed (contracted buyers only): those
    India still waits on (``need - credit > 0``) or, with the timing ruler, whose production-alone
    queue is not yet full. A draw that leaves never comes back (the credit never falls, the need
    never rises); its capacity is then 0 in every later quarter, exactly as the whole-array rule
    gives, and its ruler counts are added in closed form (its queue no longer moves)."""

    def __init__(self, idx: np.ndarray, par: dict, ruler: dict | None, H: int):
        self.idx, self.H = idx, H
        self.fr: dict[str, np.ndarray] = ruler if ruler is not None else {}
        self.par = {key: v[idx] for key, v in par.items()}
        self.r = {key: v[idx] for key, v in ruler.items()} if ruler is not None else None

    def keep(self, k: int, owed: np.ndarray) -> np.ndarray | None:
        """Drop the draws no longer owed at the start of quarter ``k`` once they are at least
        half of those kept (a draw kept though no longer owed computes a capacity of 0 exactly);
        returns the mask of the draws kept, or None when all stay."""
        if self.r is not None:
            owed = owed | (self.r["two_u"] - self.r["free"] > 0.0)
        if 2 * np.count_nonzero(owed) > owed.size:
            return None
        gone, rest = self.idx[~owed], self.H - k
        if self.r is not None:  # their queue stands still: count the rest of the quarters at once
            r = {key: v[~owed] for key, v in self.r.items()}
            self.fr["free"][gone] = r["free"]
            self.fr["n_next"][gone] = r["n_next"] + rest * (r["free"] < 2.0 - 1e-9)
            self.fr["n_last"][gone] = r["n_last"] + rest * (r["free"] < r["two_u1"] - 1e-9)
            self.r = {key: v[owed] for key, v in self.r.items()}
        self.idx = self.idx[owed]
        self.par = {key: v[owed] for key, v in self.par.items()}
        return owed

    def close(self) -> None:
        """Write the ruler's queue of the draws still owed back into the whole arrays."""
        if self.r is not None:
            for key in ("free", "n_next", "n_last"):
                self.fr[key][self.idx] = self.r[key]


def _exports_owed(ow: _Owed, k: int, S, st, cum, cap, credit_k) -> np.ndarray:
    """One quarter of section 3 for the owed draws only (the others' capacity is 0)."""
    i = ow.idx
    tmp2 = st["need"][i] - cum[i]
    if (keep := ow.keep(k, tmp2 > 0.0)) is not None:
        i, tmp2 = ow.idx, tmp2[keep]
    p = ow.par
    cap_i = export_capacity(
        S[i], p["R"], p["cap_max"], p["slope"], p["thresh"], np.empty(i.size), np.empty(i.size)
    )
    if ow.r is not None:
        _production_alone(ow.r, cap_i, np.empty(i.size))
    np.minimum(cap_i, tmp2, out=cap_i)
    np.maximum(cap_i, 0.0, out=cap_i)
    cap.fill(0.0)
    cap[i] = cap_i
    np.copyto(credit_k, cum)
    credit_k[i] = cum[i] + cap_i
    return credit_k


def _exports_all(c: dict, k: int, S, cum, cap, credit_k, tmp, tmp2) -> tuple[np.ndarray, bool]:
    """One quarter of section 3 for every draw (``c``: the loop's constants); returns the queue
    credit and whether India is served in every draw of a single run (then nothing more is
    exported: the loop stops computing it)."""
    export_capacity(S, c["R"], c["cap_max"], c["slope"], c["thresh"], cap, tmp)
    if c["ruler"] is not None:
        _production_alone(c["ruler"], cap, tmp)
    served = False
    if c["contracted"]:  # only India's contract: capacity beyond its need stays home
        np.minimum(cap, tmp2, out=cap)
        np.maximum(cap, 0.0, out=cap)
        served = c["small"] and c["ruler"] is None and bool((tmp2 <= cap).all())
    return np.add(cum, cap, out=credit_k), served


def _owed(c: dict, k: int, tmp2: np.ndarray) -> _Owed | None:
    """An ensemble (contracted buyers) turns to the owed draws once they are few enough."""
    if not c["contracted"] or c["small"] or not k:
        return None
    owed = tmp2 > 0.0
    if c["ruler"] is not None:
        owed |= c["ruler"]["two_u"] - c["ruler"]["free"] > 0.0
    if np.count_nonzero(owed) >= _OWED_SHARE * owed.size:
        return None
    par = {key: c[key] for key in ("R", "cap_max", "slope", "thresh")}
    return _Owed(np.flatnonzero(owed), par, c["ruler"], c["H"])


def _stock_constants(a: Inputs, war: dict) -> dict[str, Any]:
    """Section 4's per-draw constants: production and losses a quarter, the export rule's."""
    P4, L4, R = a("production_bn_per_year") / 4.0, war["L"] / 4.0, war["R"]
    cap_max, thresh = P4 * a("export_share"), a("shortfall_threshold_bn")
    slope = cap_max * (1.0 - a("export_floor")) / thresh
    c = dict(P4=P4, L4=L4, R=R, net=P4 - L4, cap_max=cap_max, thresh=thresh, slope=slope, H=a.H)
    return c | dict(contracted=a.buyers == "contracted", small=a.n <= _SMALL_N, ruler=None)


def _stock_state(a: Inputs, hold: dict) -> dict[str, np.ndarray]:
    """Section 4's state per draw besides the stock: returned units, India's queue, the bargain."""
    n, U, z = a.n, a("india_undelivered_sq"), np.zeros
    st = dict(ret=hold["to_russia"], U=U, direct=z(n), extra=z(n), transit=z(n), need=2.0 * U)
    return st | dict(agreed=np.ones(n, dtype=bool), sf_agree=np.full(n, np.nan))


def russian_stock(a: Inputs, hold: dict, war: dict, bar: BargainTerms, out: np.ndarray | None = None) -> dict:
    """Section 4: ``S[k+1] = max(0, S[k] + P/4 - L/4 + returned[k] - exports[k])``.

    The bargain (section 9) is decided in ``k_agree`` from the stock then; returned units of a
    refused draw never move. Agreed units join the stock in ``k_use`` (home), travel to India
    outside it (``india``) or are sold on (``resale``). One preallocated block of ``3 * H + 1``
    rows of ``n`` (``out`` if given: stock, exports, queue credit); the few draws that agree,
    arrive or ship in a quarter are updated by index, and once few draws are still owed exports
    (contracted buyers), only those compute them (:class:`_Owed`).
    """
    H, n = a.H, a.n
    c, st = _stock_constants(a, war), _stock_state(a, hold)
    P4, L4, R, net = c["P4"], c["L4"], c["R"], c["net"]
    block = np.empty((3 * H + 1, n)) if out is None else out
    stock, cap_s, credit = block[: H + 1], block[H + 1 : 2 * H + 1], block[2 * H + 1 :]
    stock[0] = a("inventory_bn")
    tmp, tmp2 = np.empty(n), np.empty(n)
    talks = _draws_by_quarter(hold["k_agree"], bar.bargaining, H) if bar.any else {}
    arrivals = _draws_by_quarter(hold["k_use"], st["ret"] > 0, H)
    shipments = _draws_by_quarter(hold["k_india"], st["ret"] > 0, H) if a.use == "india" else {}
    cum = a("india_credit_start_bn")
    # returned units sent to India stop production for India (contracted buyers): the timing
    # ruler then follows what production alone would have built for India
    if c["contracted"] and shipments:
        U, z = st["U"], np.zeros
        c["ruler"] = dict(free=cum + 0.0, n_next=z(n), n_last=z(n), two_u=2.0 * U)
        c["ruler"]["two_u1"] = 2.0 * np.maximum(U, 1.0)
    served, ow = False, None
    for k in range(H):
        S, nxt, cap = stock[k], stock[k + 1], cap_s[k]
        if (i := talks.get(k)) is not None:
            _decide(st, bar, i, *((S, R) if i.size == n else (S[i], R[i])))
        if not (exporting := not served):  # India served in every draw: no more exports, ever
            cum = credit[k]  # (filled when served)
        else:
            if ow is None and c["contracted"]:
                np.subtract(st["need"], cum, out=tmp2)
                ow = _owed(c, k, tmp2)
            if ow is not None:  # an ensemble: only the draws still owed exports compute them
                cum = _exports_owed(ow, k, S, st, cum, cap, credit[k])
            else:
                cum, served = _exports_all(c, k, S, cum, cap, credit[k], tmp, tmp2)
                if served:  # the rest of the quarters export nothing: filled at once
                    cap_s[k + 1 :] = 0.0
                    credit[k + 1 :] = cum
        np.add(S, net, out=nxt)
        if (i := arrivals.get(k)) is not None:
            _arrive(a, st, i, nxt, cum)
        if (i := shipments.get(k)) is not None:
            _ship(st, i, nxt, cum)
        if exporting:  # (a capacity of 0 leaves the stock as it is)
            nxt -= cap
        np.maximum(nxt, 0.0, out=nxt)
    if ow is not None:
        ow.close()
    if c["ruler"] is not None:
        st.update({key: c["ruler"][key] for key in ("free", "n_next", "n_last")})
    _decide_rest(a, st, bar, hold, stock, R)
    res = dict(stock=stock[:H], stock_all=stock, cap=cap_s, credit=credit, S=stock[H], P4=P4, L4=L4, R=R)
    return res | st


def _decide_rest(
    a: Inputs, st: dict, bar: BargainTerms, hold: dict, stock: np.ndarray, R: np.ndarray
) -> None:
    """Draws whose agreement quarter lies at or after the horizon: decided on the last stock."""
    if not bar.any:
        return
    rest = np.flatnonzero(bar.bargaining & np.isnan(st["sf_agree"]))
    if rest.size:
        k = np.minimum(np.asarray(hold["k_agree"] * np.ones(a.n))[rest], a.H).astype(np.intp)
        _decide(st, bar, rest, stock[k, rest], R[rest])


# --------------------------------------------------------------------------- 5. India
def india_deliveries(a: Inputs, hold: dict, ru: dict) -> dict[str, np.ndarray]:
    """Section 5: squadrons delivered by quarter ``k`` = ``min(U, floor(credit/2) + direct)``;
    the 4th/5th squadron dates, delays against the promises, and the timing ruler.

    ``credit`` never falls, so the first quarter with ``credit >= x`` is the number of quarters
    with ``credit < x``; the m-th squadron comes from production alone or, once returned units
    are in India (``k_india``), from ``direct`` squadrons plus ``m - direct`` from production."""
    credit, U, H = ru["credit"], ru["U"], a.H
    direct = ru["direct"]
    k_ship = hold["k_india"] if a.use == "india" else np.full(a.n, np.inf)

    counted: dict[float, np.ndarray] = {}
    small = np.uint8 if H < 256 else np.intp  # counts of quarters: bytes add fastest

    def below(x):  # quarters with credit below x, per draw
        return np.add.reduce(credit < x, axis=0, dtype=small) * 1.0

    def k_prod(m):  # first quarter production alone has built m squadrons (H = never)
        m = np.asarray(m, dtype=float)
        if m.ndim and m.min() == m.max():  # the same m for every draw (NaN never is)
            m = m[0]
        if m.ndim:
            return below(2.0 * m - 1e-9)
        if float(m) not in counted:  # each whole count once (m = 1, 2 recur below)
            counted[float(m)] = below(2.0 * float(m) - 1e-9)
        return counted[float(m)]

    some_direct = bool(direct.any())

    u_max = float(U.max())

    def k_done(m):  # first quarter the m-th undelivered squadron is in India
        if m > u_max:  # India waits for fewer than m squadrons in every draw
            return np.full(a.n, float(H))
        if not some_direct:  # min(k, max(k_ship, k)) is k: production alone
            return np.where(m <= U, k_prod(m), H)
        from_prod = k_prod(m - direct)
        with_direct = np.where(direct >= m, k_ship, np.maximum(k_ship, from_prod))
        return np.where(m <= U, np.minimum(k_prod(m), with_direct), H)

    q1, q2 = a.quarter(k_done(1)), a.quarter(k_done(2))
    prom4 = np.floor(a("india_promise_sq4") * 4.0 + 1e-9) / 4.0
    prom5 = np.floor(a("india_promise_sq5") * 4.0 + 1e-9) / 4.0
    q4, q5 = _india_quarters(a, U, q1, q2, prom5)
    deadline = a("india_deadline_year") + 1e-9
    kk = np.arange(H, dtype=float)[:, None]
    return dict(
        done=lambda: np.minimum(np.floor(credit / 2.0) + direct * (kk >= k_ship), U),
        q4=q4,
        q5=q5,
        d4=np.where(U >= 2, (q4 - prom4) * 4.0, 0.0),
        d5=np.where(U >= 1, (q5 - prom5) * 4.0, 0.0),
        # (a NaN quarter compares False: not done)
        done_by=np.where(U < 1, 1.0, (q5 <= deadline) * 1.0),
        next_prod=a.quarter(ru["n_next"] if "n_next" in ru else k_prod(1), U >= 1),
        last_prod=a.quarter(ru["n_last"] if "n_last" in ru else k_prod(np.maximum(U, 1)), U >= 1),
        direct=direct * (k_ship < H),
    )


#: Months of the readings of ``india_sq4_arrival`` (``<month>_<year>``).
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def arrival_quarter(reading: str) -> float:
    """The quarter (decimal year of its start) of a reading ``<month>_<year>`` of the evidence
    switch ``india_sq4_arrival``: ``"june_2026"`` and ``"may_2026"`` are both 2026Q2 (2026.25).

    Examples
    --------
    >>> arrival_quarter("june_2026"), arrival_quarter("may_2026"), arrival_quarter("march_2026")
    (2026.25, 2026.25, 2026.0)
    """
    month, _, year = str(reading).partition("_")
    if month not in _MONTHS or not year.isdigit():
        raise ValueError(
            f"india_sq4_arrival {reading!r} is not a reading '<month>_<year>' (e.g. 'june_2026')"
        )
    return int(year) + (_MONTHS.index(month) // 3) / 4.0


def _india_quarters(a: Inputs, U, q1, q2, prom5) -> tuple[np.ndarray, np.ndarray]:
    """The 4th and 5th squadrons' quarters: the first and second still undelivered, or, for a
    squadron delivered before the start, the reading's own date: the 4th's arrival quarter from
    ``india_sq4_arrival``, the 5th's promised quarter if it lies before the start (else unknown,
    NaN) -- never an invented quarter."""
    sq4 = np.full(a.n, arrival_quarter(a.values.get("india_sq4_arrival", "june_2026")))
    q4 = np.where(U >= 2, q1, sq4)
    q5 = np.where(U >= 2, q2, np.where(U >= 1, q1, np.where(prom5 < a.t0, prom5, np.nan)))
    return q4, q5


# --------------------------------------------------------------------------- plain twins
# The plain versions of sections 4, 5 and 9 read like their equations: every quarter, every
# draw, masks instead of indices. They give the same numbers as the fast sections above, bit for
# bit (tests/model/test_stock_loop.py pins them over thousands of draws); the model runs the fast
# ones, notebook 20 prints these.


def russian_stock_plain(a: Inputs, hold: dict, war: dict, bar: BargainTerms) -> dict[str, np.ndarray]:
    """Sections 3, 4 and 9 written plainly (the twin of :func:`russian_stock`)::

    cap[k]   = P/4 * export_share * f(max(0, R - S[k]))         (contracted: at most India's need)
    S[k+1]   = max(0, S[k] + P/4 - L/4 + returned[k] - cap[k])
    agreed   = tr_min <= comp <= ru_max(shortfall in k_agree)   (section 9)
    """
    H, n, c = a.H, a.n, _stock_constants(a, war)
    R, thresh, U = c["R"], c["thresh"], a("india_undelivered_sq")
    S, cum, ret = a("inventory_bn") + 0.0, a("india_credit_start_bn") + 0.0, hold["to_russia"]
    stock, cap_s, credit = np.empty((H, n)), np.empty((H, n)), np.empty((H, n))
    direct, extra, transit, need = np.zeros(n), np.zeros(n), np.zeros(n), 2.0 * U
    agreed, sf = np.ones(n, dtype=bool), np.full(n, np.nan)

    def decide(now, S):  # section 9: Russia's price from its shortfall in the agreement quarter
        sf_now = np.maximum(0.0, R - S)
        ru_max = bar.ru_base + bar.ru_prem * np.minimum(1.0, sf_now / thresh)
        ok = (bar.comp >= bar.tr_min - 1e-9) & (bar.comp <= ru_max + 1e-9)
        return np.where(now, sf_now, sf), np.where(now, ok, agreed)

    def squadrons_left():  # whole squadrons India still waits for
        return U - np.minimum(U, np.floor(cum / 2.0))

    for k in range(H):
        stock[k] = S
        if bar.any:
            sf, agreed = decide(bar.bargaining & (hold["k_agree"] == k), S)
        cap = c["cap_max"] - c["slope"] * np.minimum(np.maximum(R - S, 0.0), thresh)  # section 3
        if a.buyers == "contracted":
            cap = np.minimum(cap, np.maximum(need - cum, 0.0))
        cap_s[k], cum = cap, cum + cap
        arrive = np.where((hold["k_use"] == k) & agreed, ret, 0.0)  # returned units usable
        nxt = S + c["net"]
        if a.use == "resale":  # sold on: never in the home stock
            extra = extra + arrive
        elif a.use == "india":  # whole squadrons India waits for travel on, outside the stock
            bound = 2.0 * np.minimum(np.floor(arrive / 2.0), squadrons_left())
            transit, nxt = transit + bound, nxt + (arrive - bound)
        else:  # home service
            nxt = nxt + arrive
        if a.use == "india":  # in transit reach India: complete the squadrons still awaited
            ship = hold["k_india"] == k
            d = np.where(ship, np.minimum(np.floor(transit / 2.0), squadrons_left()), 0.0)
            direct, extra, need = direct + d, extra + 2.0 * d, need - 2.0 * d
            nxt = nxt + np.where(ship, transit - 2.0 * d, 0.0)
            transit = np.where(ship, 0.0, transit)
        S = np.maximum(nxt - cap, 0.0)
        credit[k] = cum
    if bar.any:  # agreement at or after the horizon: decided on the last stock
        sf, agreed = decide(bar.bargaining & np.isnan(sf), S)
    out = dict(stock=stock, cap=cap_s, credit=credit, S=S, direct=direct, extra=extra)
    return out | dict(transit=transit, need=need, agreed=agreed, sf_agree=sf)


def india_deliveries_plain(a: Inputs, hold: dict, ru: dict) -> dict[str, np.ndarray]:
    """Section 5 written plainly (the twin of the dates of :func:`india_deliveries`)::

    done[k] = min(U, floor(credit[k] / 2) + direct * (k >= k_india))
    k_m     = first quarter with done[k] >= m        (H: not within the horizon)
    """
    credit, U, direct, H = ru["credit"], ru["U"], ru["direct"], a.H
    k_india = hold["k_india"] if a.use == "india" else np.full(a.n, np.inf)
    first = {1: np.full(a.n, float(H)), 2: np.full(a.n, float(H))}
    for k in range(H - 1, -1, -1):  # backwards: the last assignment is the first quarter
        from_prod = np.floor((credit[k] + 1e-9) / 2.0)  # (counts 2 - 1e-9 as a squadron)
        done = np.minimum(U, from_prod + direct * (k >= k_india))
        for m, k_m in first.items():
            first[m] = np.where(done >= m, k, k_m)
    q1, q2 = a.quarter(first[1]), a.quarter(first[2])
    prom5 = np.floor(a("india_promise_sq5") * 4.0 + 1e-9) / 4.0
    q4, q5 = _india_quarters(a, U, q1, q2, prom5)
    return dict(q4=q4, q5=q5)


# --------------------------------------------------------------------------- 6. US
def legal_counts(a: Inputs) -> bool:
    """Whether the scenario's action can meet the US legal conditions once in place: a full
    return or a transfer always; a middle option (:data:`MIDDLE_ACTIONS`) only under the
    reading ``counts`` of its evidence switch; every other action never."""
    if a.action in LEGAL_ACTIONS:
        return True
    if a.action in MIDDLE_ACTIONS:
        reading = a.values.get(MIDDLE_ACTIONS[a.action], "does_not_count")
        if reading not in LEGAL_READINGS:
            raise ValueError(f"{MIDDLE_ACTIONS[a.action]} {reading!r} is not one of {LEGAL_READINGS}")
        return reading == "counts"
    return False


def us_milestones(a: Inputs, hold: dict, track: dict) -> dict[str, np.ndarray]:
    """Section 6: months from the agreement summed along the chain, rounded to quarters once;
    a track is held when ``u < p`` (:func:`hold_chances`) and a hold adds
    ``congress_hold_months`` to it. Only an agreed arrangement that meets US law counts
    (:func:`legal_counts`)."""
    legal = legal_counts(a) & hold["left"] & hold["agreed"]
    held_s = a("u_block_sanctions") < track["p_s"]
    held_f = a("u_block_f35") < track["p_f"]
    k_sanc, k_f35, k_jet = track["chain"](held_s * 1.0, held_f * 1.0)
    ok_s = legal & (k_sanc < a.H)
    ok_f = ok_s & (k_f35 < a.H)
    return dict(
        legal=legal,
        k_sanc=k_sanc,
        k_f35=k_f35,
        k_jet=k_jet,
        ok_s=ok_s,
        ok_f=ok_f,
        ok_j=ok_f & (k_jet < a.H),
        held_s=legal & held_s,
        held_f=legal & held_f,
        # a hold that pushes a milestone the chain alone would reach past the horizon
        blocked_s=legal & held_s & (track["k_sanc"] < a.H) & (k_sanc >= a.H),
        blocked_f=ok_s & held_f & (track["k_f35"] < a.H) & (k_f35 >= a.H),
    )


# --------------------------------------------------------------------------- 7. money
def _offset_paid(total, quarters, n_q):
    """Energy offset credited after ``quarters`` quarters (equal quarterly amounts)."""
    return total * np.minimum(1.0, quarters / n_q)


def money(a: Inputs, hold: dict, ru: dict, us: dict, bar: BargainTerms) -> dict[str, np.ndarray]:
    """Section 7: Turkiye's account and Russia's refund and value (of the agreed return only),
    and the range of section 9 (``ru_max``, ``tr_min``) with Russia's surplus at the terms."""
    H, frac, left = a.H, hold["moved"] / hold["holding"], hold["left"]
    contract = a("s400_contract_usd_bn")
    pays = a.action not in MIDDLE_ACTIONS  # a middle option: Turkiye keeps title, saves no upkeep
    refund_total = compensation(a, contract * frac)
    n_q = 4.0 * a("energy_offset_years")
    since_leave = np.maximum(0.0, H - hold["k_leave"])
    offset = a.form == "energy_offset"
    refund = _offset_paid(refund_total, since_leave, n_q) if offset else refund_total * left
    upkeep_rate = a("upkeep_usd_bn_per_year") * frac / 4.0 * pays
    work_rate = a("f35_workshare_usd_bn_per_year") / 4.0 * us["ok_f"]
    upkeep, work = upkeep_rate * since_leave, work_rate * np.maximum(0.0, H - us["k_f35"])
    transfer = a.action in THIRD_PARTY_ACTIONS
    retaliation = a("ru_retaliation_usd_bn") * transfer * left
    ru_refund = refund * (not transfer)
    value = a("unit_value_usd_bn")
    forgone = a("ru_leverage_value_usd_bn") * frac * left
    if bar.any:  # a return: every draw bargains (at least one battalion would move)
        scarcity = _scarcity(ru["sf_agree"], bar.thresh)
        ru_max, tr_min = bar.ru_base + bar.ru_prem * scarcity, bar.tr_min
        deal = ru_max - bar.comp
        consents, tr_consents = bar.comp <= ru_max + 1e-9, bar.comp >= tr_min - 1e-9
    else:
        ru_max = tr_min = scarcity = np.nan
        deal, consents, tr_consents = -forgone, False, False
    recovered = refund + upkeep + work
    return dict(
        refund_total=refund_total,
        n_q=n_q,
        refund=refund,
        upkeep=upkeep,
        work=work,
        upkeep_rate=upkeep_rate,
        work_rate=work_rate,
        recovered=recovered,
        retaliation=retaliation,
        ru_refund=ru_refund,
        ru_value=value * hold["to_russia"] * (hold["k_use"] < H),
        forgone=forgone,
        deal=deal,
        consents=consents,
        tr_consents=tr_consents,
        ru_max=ru_max,
        tr_min=tr_min,
        scarcity=scarcity,
        # the energy-offset obligation as a share of the contract, once the units have left
        # (not the part outstanding within the horizon: a later return must not look better)
        dependence=np.minimum(1.0, refund_total / contract * offset * left * (hold["to_russia"] > 0)),
    )


# --------------------------------------------------------------------------- 8. scorecard
def scorecard(a: Inputs, hold: dict, us: dict, cash: dict, ret_home: np.ndarray) -> dict:
    """Section 8: four signals in [-1, 1] and their weighted sum (activation counted once,
    in US trust; offset dependence proportional to the offset outstanding)."""
    activated = 1.0 if a.action == "activate" else 0.0
    holding = hold["holding"]
    sig = dict(
        sig_nato_integration=0.5 * us["ok_s"] + 0.5 * us["ok_f"],
        sig_us_trust=hold["moved_h"] / holding - activated,
        sig_moscow_leverage=1.0
        - 2.0 * (0.5 * (holding - hold["moved_h"]) / holding + 0.5 * cash["dependence"]),
        sig_russian_ad_gain=-np.minimum(1.0, ret_home / 4.0),
    )
    sig = {k: np.asarray(v, dtype=float) * np.ones(a.n) for k, v in sig.items()}
    sig["alliance_score"] = (
        a("w_nato_integration") * sig["sig_nato_integration"]
        + a("w_us_trust") * sig["sig_us_trust"]
        + a("w_moscow_leverage") * sig["sig_moscow_leverage"]
        + a("w_russian_ad_gain") * sig["sig_russian_ad_gain"]
    )
    return sig


_BARGAIN_OUTCOMES = (
    "deal_feasible",
    "tr_min_share",
    "ru_max_share",
    "tr_min_usd_bn",
    "ru_max_usd_bn",
    "deal_agreed",
    "tr_consents",
    "ru_scarcity",
    "ru_shortfall_agree_months",
    "tr_gives_up_usd_bn",
    "tr_us_value_usd_bn",
)


def _bargain_outcomes(a: Inputs, ru: dict, cash: dict, bar: BargainTerms) -> dict[str, Any]:
    """Section 9's outcomes: the range as shares of the returned units' contract value and in
    US$ bn, whether it is empty, and whether the scenario's terms lie inside it (NaN: no return)."""
    if not bar.any:
        return dict.fromkeys(_BARGAIN_OUTCOMES, np.nan)
    share = 1.0 / bar.base  # the contract value of the units that would leave (> 0)
    ru_max, tr_min = cash["ru_max"], np.maximum(0.0, cash["tr_min"])
    return {
        "deal_feasible": tr_min <= ru_max + 1e-9,
        "tr_min_share": tr_min * share,
        "ru_max_share": ru_max * share,
        "tr_min_usd_bn": tr_min,
        "ru_max_usd_bn": ru_max,
        "deal_agreed": ru["agreed"],
        "tr_consents": cash["tr_consents"],
        "ru_scarcity": cash["scarcity"],
        "ru_shortfall_agree_months": ru["sf_agree"] / (ru["P4"] / 3.0),
        "tr_gives_up_usd_bn": bar.tr_gives_up,
        "tr_us_value_usd_bn": bar.tr_us_value,
    }


# --------------------------------------------------------------------------- the run
def simulate(values: Mapping[str, Any], n: int) -> tuple[Mapping[str, np.ndarray], dict[str, np.ndarray]]:
    """Run the model for ``n`` draws: the sections of :data:`SECTIONS`, in order.

    Parameters
    ----------
    values : mapping
        Every register parameter: numeric parameters as scalars or arrays of shape ``(n,)``;
        choices (``tr_action``, ``compensation_form``, ``ru_use_returned``, ``us_response``,
        ``war_course``) as strings; ``start_year`` and ``horizon_quarters`` as scalars.
    n : int
        Number of draws.

    Returns
    -------
    series : mapping of str to ndarray
        Per-quarter variables of shape ``(n, H)`` (see :data:`SERIES`).
    outcomes : dict of str to ndarray
        Outcomes of shape ``(n,)`` (see :data:`OUTCOMES`); quarters as decimal years, NaN =
        not within the horizon.
    """
    a = Inputs(values, n)
    hold = turkiye_holding(a)
    war = war_course(a)
    track = _us_track(a, hold)
    bar = bargain_terms(a, hold, track)
    # one float block for the per-quarter states and the outcomes: one large allocation, reused
    # from call to call (separate arrays make the allocator hand fresh pages to every call)
    block = np.empty((3 * a.H + 1 + len(OUTCOMES), n))
    ru = russian_stock(a, hold, war, bar, block[: 3 * a.H + 1])
    hold = _gate(hold, ru["agreed"])  # a refused draw keeps the status quo
    ind = india_deliveries(a, hold, ru)
    us = us_milestones(a, hold, track)
    cash = money(a, hold, ru, us, bar)
    ret_left = hold["to_russia"] * hold["left"]  # counted when they leave, not when usable
    ret_home = {"home": ret_left, "india": ret_left - 2.0 * ind["direct"]}.get(a.use, 0.0 * ret_left)
    sig = scorecard(a, hold, us, cash, ret_home)
    out = _outcomes(a, hold, ru, ind, us, cash, sig, bar)
    rows = block[3 * a.H + 1 :]
    for row, name in zip(rows, OUTCOMES, strict=True):
        row[...] = out[name]
    return _series(a, hold, ru, ind, us, cash), dict(zip(OUTCOMES, rows, strict=True))


def _gate(hold: dict, agreed: np.ndarray) -> dict:
    """Consent gates the return: in a refused draw nothing leaves Turkiye."""
    out = dict(hold, agreed=agreed, asked=hold["moved"])  # asked: what would leave if agreed
    if not agreed.all():
        for key in ("moved", "to_russia", "moved_h"):
            out[key] = hold[key] * agreed
    return out


def _series(a, hold, ru, ind, us, cash) -> LazySeries:
    """Per-quarter series: loop states as (n, H) views; the rest computed on first access."""
    ks = np.arange(a.H, dtype=float)[None, :]
    k_extra = hold["k_india"] if a.use == "india" else hold["k_use"]

    def recovered():
        since_leave = np.clip(ks - hold["k_leave"][:, None] + 1.0, 0.0, None)
        since_f35 = np.clip(ks - us["k_f35"][:, None] + 1.0, 0.0, None)
        total = cash["refund_total"][:, None]
        paid = (
            _offset_paid(total, since_leave, cash["n_q"][:, None])
            if a.form == "energy_offset"
            else total * (since_leave > 0)
        )
        return paid + cash["upkeep_rate"][:, None] * since_leave + cash["work_rate"][:, None] * since_f35

    return LazySeries(
        {
            "ru_stock": ru["stock"].T,
            "ru_shortfall": lambda: np.maximum(0.0, ru["R"][:, None] - ru["stock"].T),
            "ru_exports": lambda: ru["cap"].T + np.where(ks == k_extra[:, None], ru["extra"][:, None], 0.0),
            "ru_returned": lambda: np.where(ks == hold["k_use"][:, None], hold["to_russia"][:, None], 0.0),
            "india_squadrons": lambda: (5.0 - ru["U"])[:, None] + ind["done"]().T,
            "tr_held": lambda: (
                hold["holding"][:, None] - hold["moved"][:, None] * (ks >= hold["k_leave"][:, None])
            ),
            "us_sanctions_lifted": lambda: (us["ok_s"][:, None] & (ks >= us["k_sanc"][:, None])) * 1.0,
            "us_f35_readmitted": lambda: (us["ok_f"][:, None] & (ks >= us["k_f35"][:, None])) * 1.0,
            "tr_recovered_usd_bn": recovered,
            "ru_requirement": lambda: np.broadcast_to(ru["R"][:, None], (a.n, a.H)).copy(),
            "ru_built_home": lambda: ru["P4"][:, None] - ru["cap"].T,
        }
    )


def _outcomes(a, hold, ru, ind, us, cash, sig, bar) -> dict[str, np.ndarray]:
    """The outcome arrays of :data:`OUTCOMES`, each of shape ``(n,)``."""

    def f(b):  # as floats of shape (n,), one new array (a scalar or a bool mask broadcast)
        out = np.empty(a.n)
        out[...] = b
        return out

    S, S0, H = ru["S"], a("inventory_bn"), a.H
    returned = hold["to_russia"] * hold["left"]
    L = ru["L4"] * 4.0
    exported = ru["cap"].sum(axis=0)
    k_extra = hold["k_india"] if a.use == "india" else hold["k_use"]
    has_ret = hold["to_russia"] > 0
    out = {
        "legal_conditions_met": f(us["legal"]),
        "battalions_divested": hold["moved_h"] * 1.0,
        "returned_to_russia": returned,
        "divestiture_q": a.quarter(hold["k_leave"], us["legal"]),
        # the departure quarter, computed once (results.py reads it)
        "tr_leave_k": np.where(hold["asked"] > 0, hold["k_leave"], np.nan),
        "sanctions_lifted_q": a.quarter(us["k_sanc"], us["ok_s"]),
        "f35_readmission_q": a.quarter(us["k_f35"], us["ok_f"]),
        "f35_first_delivery_q": a.quarter(us["k_jet"], us["ok_j"]),
        "sanctions_lifted": f(us["ok_s"]),
        "f35_readmitted": f(us["ok_f"]),
        "f35_delivered": f(us["ok_j"]),
        "sanctions_blocked": f(us["blocked_s"]),
        "f35_blocked": f(us["blocked_f"]),
        "ru_stock_end": S,
        "ru_stock_min": ru["stock_all"].min(axis=0),  # the quarters' starts and the end
        "ru_shortfall_end": np.maximum(0.0, ru["R"] - S),
        "ru_exports_total": exported + ru["extra"] * (k_extra < H),
        "ru_return_production_months": returned / (ru["P4"] / 3.0),
        "india_undelivered_start": ru["U"] * 1.0,
        "india_sq4_q": ind["q4"],
        "india_sq5_q": ind["q5"],
        "india_sq4_delay_q": ind["d4"],
        "india_sq5_delay_q": ind["d5"],
        "india_done_by_deadline": ind["done_by"],
        "tr_sunk_usd_bn": a("s400_contract_usd_bn") + a("f35_paid_usd_bn"),
        "tr_refund_usd_bn": cash["refund"],
        "tr_upkeep_avoided_usd_bn": cash["upkeep"],
        "tr_workshare_usd_bn": cash["work"],
        "tr_recovered_usd_bn": cash["recovered"],
        "ru_refund_cost_usd_bn": f(cash["ru_refund"]),
        "ru_value_regained_usd_bn": cash["ru_value"],
        "ru_net_usd_bn": cash["ru_value"] - cash["ru_refund"],
        **sig,
        "ru_stock_change": S - S0,
        "ru_stock_below_start": f(S < S0 - 1e-9),
        "ru_losses_total": f(L * H / 4.0),
        "ru_built_home_total": ru["P4"] * H - exported,
        "ru_built_export_total": exported,
        "ru_return_loss_share": np.divide(returned, L, out=np.full(a.n, np.nan), where=L > 0),
        "returned_usable_q": a.quarter(hold["k_use"], has_ret),
        "returned_india_q": a.quarter(hold["k_india"], has_ret),
        "india_next_production_q": ind["next_prod"],
        "india_last_production_q": ind["last_prod"],
        "india_direct_squadrons": f(ind["direct"]),
        "ru_forgone_usd_bn": f(cash["forgone"]),
        **_bargain_outcomes(a, ru, cash, bar),
        "ru_deal_net_usd_bn": f(cash["deal"]),
        "ru_consents": f(cash["consents"]),
        "ru_objects": f(np.full(a.n, a.action in THIRD_PARTY_ACTIONS)),
        "tr_retaliation_usd_bn": f(cash["retaliation"]),
        "tr_net_usd_bn": cash["recovered"] - cash["retaliation"],
        "offset_dependence": f(cash["dependence"]),
        "sanctions_held": f(us["held_s"]),
        "f35_held": f(us["held_f"]),
    }
    return out
