r"""The equations of the quarterly scenario model (pure numpy, vectorized over draws).

Everything here works on arrays of shape ``(n,)`` (one value per ensemble member, or draw) and
state arrays of shape ``(n, H)`` (draws x quarters). A single run is an ensemble of one at the
central values: there is one code path. No I/O happens here; the parameter values arrive in a
mapping built by :mod:`s400lab.model.api` from the register.

Time
----
Quarter index ``k = 0 .. H-1`` with ``H = horizon_quarters``; quarter ``k`` starts at the
decimal year ``t_k = start_year + k / 4`` (2026.75 = 2026Q4). Durations given in months are
converted to whole quarters by rounding up: ``q(m) = ceil(m / 3)``. An event "in quarter k"
happens during that quarter: stocks (``ru_stock``, ``tr_held``) are start-of-quarter values, so
its effect shows in a stock from quarter ``k + 1`` (``tr_held`` drops at ``k_leave``, the first
quarter without the units); cumulative money and India's squadrons count up to the end of
quarter ``k``. Outcome quarters are the decimal year of the quarter's start; NaN = not within
the horizon (``k >= H``). Dates in decimal years (India's promises) count from the start of the
quarter they fall in; ensembles draw them on the quarter grid (see
:mod:`s400lab.model.sampling`).

1. Turkiye's holding and what leaves it
---------------------------------------
``holding = tr_holding_bn`` battalions (2 in a central run; ensembles draw 4 with probability
``p_tr_holding_4``, see :mod:`s400lab.model.sampling`). Units that leave Turkiye::

    moved = holding                                   if tr_action in {return_full, transfer_third_party}
          = min(return_battalions, holding - 1)        if tr_action == return_partial
          = 0                                          otherwise (keep_stored, activate)

``to_russia = moved`` for a return (partial or full), 0 for a third-party transfer. The
agreement takes effect in quarter ``k_agree = return_quarter``; removal starts then, and
``k_leave = k_agree + q(removal_months)`` is the first quarter Turkiye starts without the
units; returned units are usable by Russia in quarter ``k_use = k_leave + q(refurb_months)``.
Only what has happened within the horizon counts: ``left = (k_leave < H)``, and
``moved_h = moved * left`` battalions have left Turkiye by the end (the outcomes
``battalions_divested`` and ``returned_to_russia``, the scorecard and the money use these).

2. Russian stock (battalions)
-----------------------------
With ``P = production_bn_per_year``, ``L = loss_rate_bn_per_year``, ``R = home_requirement_bn``::

    S[0]   = inventory_bn
    S[k+1] = max(0, S[k] + P/4 - L/4 + returned[k] - exports[k])
    shortfall[k] = max(0, R - S[k])

``returned[k] = to_russia`` in quarter ``k_use`` (0 otherwise).

3. Export allocation rule
-------------------------
Export capacity per quarter (battalions)::

    f(shortfall) = 1 - (1 - export_floor) * min(1, shortfall / shortfall_threshold_bn)
    cap[k]       = P/4 * export_share * f(shortfall[k])

``f`` falls linearly from 1 at zero shortfall to ``export_floor`` at a shortfall of
``shortfall_threshold_bn`` and stays there. The capacity leaves the home stock as it is built
(export work in progress); it first serves India's undelivered squadrons (1 squadron = 2
battalions), in order, and afterwards other buyers. India's queue credit starts at
``india_credit_start_bn`` and grows by ``cap[k]``; a squadron ships in the quarter the credit
reaches 2 battalions (the credit then drops by 2). If Russia's lever ``ru_use_returned`` is
``india``, in quarter ``k_use`` the returned units complete ``floor(to_russia / 2)`` of the
squadrons still undelivered directly -- those not already completed from export capacity by
the end of that quarter, so no squadron is delivered twice -- and the rest join the home
stock; if it is ``resale``, the
returned units are exported to another buyer in quarter ``k_use``. Hence::

    exports[k] = cap[k] + 2 * direct_india[k] + resold[k]

Outcomes: delivery quarter of the 4th and 5th squadron (a squadron already delivered before the
start is reported at its promised quarter, capped at the quarter before the start, with delay 0),
delay versus the promise ``india_promise_sq4/5`` (snapped to the start of its quarter) in
quarters (negative = early) and whether the
last squadron arrived by ``india_deadline_year``.

4. Turkiye-US milestones
------------------------
Only a verified full divestiture meets the US legal conditions (FY2021 NDAA s.1241: no
possession by or for Turkiye, no Russian operation or maintenance, credible assurances; FY2020
NDAA s.1245 for the F-35). ``return_full`` and ``transfer_third_party`` (all units leave
Turkiye) qualify, provided the last unit has left within the horizon (``left``);
``keep_stored``, ``activate`` and ``return_partial`` never do. Otherwise
``legal_conditions_met = 0`` and every milestone is NaN ("never within the horizon"); the
block outcomes are 0 (nothing was there to block). With the US-response multipliers
``m_d`` (durations) and ``m_b`` (block probabilities) -- 1 for ``standard``, the register rows
``us_duration_mult_*`` / ``us_block_mult_*`` otherwise::

    k_div   = k_leave                                         (divestiture verified)
    k_sanc  = k_div + q(m_d * sanctions_lift_months)
    k_f35   = max(k_sanc, k_div + q(m_d * f35_readmission_months))
    k_jet   = k_f35 + q(m_d * f35_delivery_months)
    blocked_sanctions = u_block_sanctions < min(1, m_b * p_block_sanctions)
    blocked_f35       = u_block_f35       < min(1, m_b * p_block_f35)

A blocked sanctions track blocks the F-35 track too. A milestone at or after quarter ``H`` is
NaN (not within the horizon). The uniforms ``u_block_*`` are register rows (central 0.5), so a
single central run is deterministic.

5. Money (US$ bn, undiscounted, within the horizon)
---------------------------------------------------
::

    refund_total  = compensation_share * s400_contract_usd_bn * moved / holding    (0 if form 'none')
    refund (cash) = refund_total, paid in quarter k_leave
    refund (offset) = refund_total * min(1, (H - k_leave) / (4 * energy_offset_years))
    upkeep_avoided  = upkeep_usd_bn_per_year * (moved / holding) * (H - k_leave) / 4
    workshare       = f35_workshare_usd_bn_per_year * (H - k_f35) / 4      (if readmitted)
    tr_sunk         = s400_contract_usd_bn + f35_paid_usd_bn
    tr_recovered    = refund + upkeep_avoided + workshare
    ru_refund_cost  = refund            (0 for a third-party transfer: the buyer pays)
    ru_value        = unit_value_usd_bn * to_russia                       (if k_use < H)
    ru_net          = ru_value - ru_refund_cost
    ru_return_production_months = returned_to_russia / (P / 12)

Refund and upkeep are 0 when ``k_leave >= H`` (nothing has left within the horizon).

6. Alliance scorecard
---------------------
Four signals, each in [-1, 1], higher = better for Turkiye's place in NATO::

    sig_nato_integration = 0.5 * sanctions_lifted + 0.5 * f35_readmitted - activated
    sig_us_trust         = moved_h / holding - activated
    sig_moscow_leverage  = 1 - 2 * (0.5 * held_end / holding + 0.5 * energy_offset_used)
    sig_russian_ad_gain  = -min(1, to_russia_home / 4)
    alliance_score       = sum(w_* x sig_*)       (weights: register rows, group Alliance)

with ``held_end = holding - moved_h`` (battalions still in Turkiye at the end),
``energy_offset_used`` = 1 when a returned unit has left within the horizon against an energy
offset with a refund above 0, and ``to_russia_home`` the returned battalions put into Russian
home service within the horizon (not those sent to India or resold).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = [
    "ACTIONS",
    "LEGAL_ACTIONS",
    "OUTCOMES",
    "SERIES",
    "simulate",
    "export_factor",
    "months_to_quarters",
]

ACTIONS = ("keep_stored", "activate", "return_partial", "return_full", "transfer_third_party")
#: Actions that remove every unit from Turkiye and so can satisfy US law.
LEGAL_ACTIONS = ("return_full", "transfer_third_party")

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
}

#: Outcomes: name -> (unit, label).
OUTCOMES: dict[str, tuple[str, str]] = {
    "legal_conditions_met": (
        "0/1", "US legal conditions met within the horizon (verified full divestiture)"),
    "battalions_divested": ("battalions", "Battalions that left Turkiye within the horizon"),
    "returned_to_russia": ("battalions", "Battalions returned to Russia within the horizon"),
    "divestiture_q": ("year", "Divestiture verified (quarter)"),
    "sanctions_lifted_q": ("year", "CAATSA sanctions lifted (quarter)"),
    "f35_readmission_q": ("year", "F-35 readmission (quarter)"),
    "f35_first_delivery_q": ("year", "First F-35 delivered (quarter)"),
    "sanctions_lifted": ("0/1", "Sanctions lifted within the horizon"),
    "f35_readmitted": ("0/1", "F-35 readmission within the horizon"),
    "f35_delivered": ("0/1", "First F-35 delivered within the horizon"),
    "sanctions_blocked": ("0/1", "Congress blocks sanctions relief (this draw)"),
    "f35_blocked": ("0/1", "Congress blocks F-35 readmission (this draw)"),
    "ru_stock_end": ("battalions", "Russian stock at the end of the horizon"),
    "ru_stock_min": ("battalions", "Lowest Russian stock over the horizon"),
    "ru_shortfall_end": ("battalions", "Russian shortfall at the end of the horizon"),
    "ru_exports_total": ("battalions", "Russian exports over the horizon"),
    "ru_return_production_months": (
        "months", "Russia: returned battalions in months of its S-400 production"),
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
        "US$ bn", "Russia: value of regained battalions put to use within the horizon"),
    "ru_net_usd_bn": ("US$ bn", "Russia: value regained minus refund"),
    "sig_nato_integration": ("signal -1..1", "Signal: NATO integration"),
    "sig_us_trust": ("signal -1..1", "Signal: US trust"),
    "sig_moscow_leverage": ("signal -1..1", "Signal: freedom from Moscow's leverage"),
    "sig_russian_ad_gain": ("signal -1..0", "Signal: no Russian air-defence gain"),
    "alliance_score": ("weighted sum", "Alliance score (weighted sum of the signals)"),
}


def months_to_quarters(months: np.ndarray) -> np.ndarray:
    """Whole quarters needed for a duration in months: ``ceil(months / 3)`` (as float)."""
    return np.ceil(np.asarray(months, dtype=float) / 3.0 - 1e-9)


def _refund_series(total: np.ndarray, since_leave: np.ndarray, n_q: np.ndarray, form: str) -> np.ndarray:
    """Cumulative refund per quarter, shape (n, H)."""
    if form == "energy_offset":
        return total[:, None] * np.minimum(1.0, since_leave / n_q[:, None])
    return total[:, None] * (since_leave > 0)


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


def simulate(values: Mapping[str, Any], n: int) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Run the model for ``n`` draws.

    Parameters
    ----------
    values : mapping
        Every register parameter: numeric parameters as scalars or arrays of shape ``(n,)``;
        choice levers (``tr_action``, ``compensation_form``, ``ru_use_returned``,
        ``us_response``) as strings; ``start_year`` and ``horizon_quarters`` as scalars.
    n : int
        Number of draws.

    Returns
    -------
    series : dict of str to ndarray
        Per-quarter variables of shape ``(n, H)`` (see :data:`SERIES`).
    outcomes : dict of str to ndarray
        Outcomes of shape ``(n,)`` (see :data:`OUTCOMES`); quarters as decimal years, NaN =
        not within the horizon.
    """

    def a(name: str) -> np.ndarray:
        x = np.asarray(values[name], dtype=float)
        return np.broadcast_to(x, (n,)) if x.ndim == 0 else x

    H = int(values["horizon_quarters"])
    t0 = float(values["start_year"])
    action = values["tr_action"]
    form = values["compensation_form"]
    use = values["ru_use_returned"]
    us = values["us_response"]
    if action not in ACTIONS:
        raise ValueError(f"tr_action {action!r} is not one of {ACTIONS}")

    # 1. Turkiye's holding -------------------------------------------------------------
    holding = a("tr_holding_bn")
    if action in LEGAL_ACTIONS:
        moved = holding.copy()
    elif action == "return_partial":
        moved = np.minimum(a("return_battalions"), holding - 1.0)
    else:
        moved = np.zeros(n)
    to_russia = moved if action in ("return_partial", "return_full") else np.zeros(n)
    k_leave = a("return_quarter") + months_to_quarters(a("removal_months"))
    k_use = k_leave + months_to_quarters(a("refurb_months"))
    left = k_leave < H  # the units have left Turkiye within the horizon
    moved_h = moved * left  # ... and how many

    # 2-3. Russian stock, export allocation, India's queue --------------------------------
    P4 = a("production_bn_per_year") / 4.0
    L4 = a("loss_rate_bn_per_year") / 4.0
    R = a("home_requirement_bn")
    cap_max = P4 * a("export_share")
    thresh = a("shortfall_threshold_bn")
    # cap = cap_max * f(shortfall) = cap_max - c2 * min(shortfall, threshold)
    c2 = cap_max * (1.0 - a("export_floor")) / thresh
    U = a("india_undelivered_sq")
    credit0 = a("india_credit_start_bn")
    S = a("inventory_bn").copy()
    net_flow = P4 - L4

    # State arrays are time-major (H, n) inside the loop (contiguous rows); callers see
    # (n, H) views.
    stock = np.empty((H, n))
    cap_s = np.empty((H, n))  # export capacity used each quarter
    credit_cum = np.empty((H, n))  # India's queue credit: credit0 + capacity so far
    cum = credit0.copy()
    tmp = np.empty(n)
    use_india = use == "india"
    use_resale = use == "resale"
    arrival_quarters = set(np.unique(k_use[to_russia > 0]).tolist())
    direct = np.zeros(n)  # squadrons India receives straight from returned units
    extra_exports = np.zeros(n)  # returned units re-exported (to India or resold)
    for k in range(H):
        stock[k] = S
        np.subtract(R, S, out=tmp)
        np.maximum(tmp, 0.0, out=tmp)
        np.minimum(tmp, thresh, out=tmp)
        tmp *= c2
        cap = cap_s[k]
        np.subtract(cap_max, tmp, out=cap)
        if k in arrival_quarters:
            arrive = k_use == k
            ret = np.where(arrive, to_russia, 0.0)
            S += ret
            if use_india:
                # squadrons served from export capacity by the end of this quarter (this
                # quarter's capacity included, so a squadron is never delivered twice)
                served = np.minimum(U, np.floor((cum + cap) / 2.0))
                d = np.where(arrive, np.minimum(np.floor(ret / 2.0), U - served), 0.0)
                direct += d
                extra_exports += 2.0 * d
                S -= 2.0 * d
            elif use_resale:
                extra_exports += ret
                S -= ret
        S += net_flow
        S -= cap
        np.maximum(S, 0.0, out=S)
        cum += cap
        credit_cum[k] = cum

    t_grid = t0 + 0.25 * np.arange(H)
    kk = np.arange(H, dtype=float)[:, None]
    # India's queue: squadrons delivered by the end of quarter k (time-major)
    done_s = np.floor(credit_cum / 2.0)
    if use_india:
        done_s += direct * (kk >= k_use)
    np.minimum(done_s, U, out=done_s)

    def first_quarter(mask: np.ndarray) -> np.ndarray:
        """Decimal year of the first quarter where ``mask`` (H, n) holds (NaN if never)."""
        return np.where(mask[-1], t_grid[mask.argmax(axis=0)], np.nan)  # mask is monotone in k

    q_first = first_quarter(done_s >= 1)
    q_second = first_quarter(done_s >= 2)
    ret_used = to_russia * (k_use < H)
    if use == "home":
        ret_home_total = ret_used
    elif use_india:
        ret_home_total = ret_used - 2.0 * direct
    else:
        ret_home_total = np.zeros(n)

    # India outcomes: map "1st/2nd remaining" to the 4th/5th squadron.
    # promised dates snap to the start of their quarter (drawn values may fall inside one)
    prom4 = np.floor(a("india_promise_sq4") * 4.0 + 1e-9) / 4.0
    prom5 = np.floor(a("india_promise_sq5") * 4.0 + 1e-9) / 4.0
    before_start = t0 - 0.25
    q4 = np.where(U >= 2, q_first, np.minimum(prom4, before_start))
    q5 = np.where(U >= 2, q_second, np.where(U >= 1, q_first, np.minimum(prom5, before_start)))
    d4 = np.where(U >= 2, (q4 - prom4) * 4.0, 0.0)
    d5 = np.where(U >= 1, (q5 - prom5) * 4.0, 0.0)
    done_by = np.where(np.isnan(q5), 0.0, (q5 <= a("india_deadline_year") + 1e-9).astype(float))

    # 4. Turkiye-US milestones ----------------------------------------------------------
    legal = (action in LEGAL_ACTIONS) & left  # verified full divestiture within the horizon
    if us == "cooperative":
        md, mb = a("us_duration_mult_cooperative"), a("us_block_mult_cooperative")
    elif us == "hostile":
        md, mb = a("us_duration_mult_hostile"), a("us_block_mult_hostile")
    else:
        md, mb = np.ones(n), np.ones(n)
    blocked_s = a("u_block_sanctions") < np.minimum(1.0, mb * a("p_block_sanctions"))
    blocked_f = a("u_block_f35") < np.minimum(1.0, mb * a("p_block_f35"))
    k_sanc = k_leave + months_to_quarters(md * a("sanctions_lift_months"))
    k_f35 = np.maximum(k_sanc, k_leave + months_to_quarters(md * a("f35_readmission_months")))
    k_jet = k_f35 + months_to_quarters(md * a("f35_delivery_months"))
    ok_s = legal & ~blocked_s & (k_sanc < H)
    ok_f = ok_s & ~blocked_f & (k_f35 < H)
    ok_j = ok_f & (k_jet < H)
    nan = np.nan
    div_q = np.where(legal, t0 + 0.25 * k_leave, nan)
    sanc_q = np.where(ok_s, t0 + 0.25 * k_sanc, nan)
    f35_q = np.where(ok_f, t0 + 0.25 * k_f35, nan)
    jet_q = np.where(ok_j, t0 + 0.25 * k_jet, nan)

    # 5. Money (closed form at the end of the horizon; per-quarter series built lazily) ---
    frac = moved / holding
    contract = a("s400_contract_usd_bn")
    refund_total = (0.0 if form == "none" else 1.0) * a("compensation_share") * contract * frac
    n_q_offset = 4.0 * a("energy_offset_years")
    upkeep_rate = a("upkeep_usd_bn_per_year") * frac / 4.0
    work_rate = a("f35_workshare_usd_bn_per_year") / 4.0 * ok_f

    def refund_after(quarters: np.ndarray) -> np.ndarray:
        """Refund received after ``quarters`` quarters since (and including) k_leave."""
        if form == "energy_offset":
            return refund_total * np.minimum(1.0, quarters / n_q_offset)
        return refund_total * (quarters > 0)

    q_since_leave = np.maximum(0.0, H - k_leave)
    q_since_f35 = np.maximum(0.0, H - k_f35)
    refund = refund_after(q_since_leave)
    upkeep_avoided = upkeep_rate * q_since_leave
    workshare = work_rate * q_since_f35
    ru_refund = refund if action != "transfer_third_party" else np.zeros(n)
    ru_value = a("unit_value_usd_bn") * ret_used

    # 6. Alliance scorecard -------------------------------------------------------------
    activated = 1.0 if action == "activate" else 0.0
    sanctions_lifted = ok_s.astype(float)
    f35_readmitted = ok_f.astype(float)
    sig_nato = 0.5 * sanctions_lifted + 0.5 * f35_readmitted - activated
    sig_trust = moved_h / holding - activated
    held_end = holding - moved_h
    offset_used = float(form == "energy_offset") * (refund_total > 0) * (to_russia > 0) * left
    leverage = 0.5 * held_end / holding + 0.5 * offset_used
    sig_lev = 1.0 - 2.0 * leverage
    sig_ad = -np.minimum(1.0, ret_home_total / 4.0)
    score = (
        a("w_nato_integration") * sig_nato
        + a("w_us_trust") * sig_trust
        + a("w_moscow_leverage") * sig_lev
        + a("w_russian_ad_gain") * sig_ad
    )

    # Per-quarter series: loop states as (n, H) views; the rest computed on first access.
    ks = np.arange(H, dtype=float)[None, :]

    def returned_series() -> np.ndarray:
        return np.where(ks == k_use[:, None], to_russia[:, None], 0.0)

    def exports_series() -> np.ndarray:
        return cap_s.T + np.where(ks == k_use[:, None], extra_exports[:, None], 0.0)

    def recovered_series() -> np.ndarray:
        since_leave = np.clip(ks - k_leave[:, None] + 1.0, 0.0, None)
        since_f35 = np.clip(ks - k_f35[:, None] + 1.0, 0.0, None)
        return (
            _refund_series(refund_total, since_leave, n_q_offset, form)
            + upkeep_rate[:, None] * since_leave
            + work_rate[:, None] * since_f35
        )

    series = LazySeries(
        {
            "ru_stock": stock.T,
            "ru_shortfall": lambda: np.maximum(0.0, R[:, None] - stock.T),
            "ru_exports": exports_series,
            "ru_returned": returned_series,
            "india_squadrons": lambda: (5.0 - U)[:, None] + done_s.T,
            "tr_held": lambda: holding[:, None] - moved[:, None] * (ks >= k_leave[:, None]),
            "us_sanctions_lifted": lambda: (ok_s[:, None] & (ks >= k_sanc[:, None])).astype(float),
            "us_f35_readmitted": lambda: (ok_f[:, None] & (ks >= k_f35[:, None])).astype(float),
            "tr_recovered_usd_bn": recovered_series,
        }
    )

    f = lambda b: np.asarray(b, dtype=float) * np.ones(n)  # noqa: E731 - broadcast helper
    outcomes = {
        "legal_conditions_met": f(legal),
        "battalions_divested": moved_h * 1.0,
        "returned_to_russia": to_russia * left,
        "divestiture_q": div_q,
        "sanctions_lifted_q": sanc_q,
        "f35_readmission_q": f35_q,
        "f35_first_delivery_q": jet_q,
        "sanctions_lifted": sanctions_lifted,
        "f35_readmitted": f35_readmitted,
        "f35_delivered": ok_j.astype(float),
        "sanctions_blocked": f(legal & blocked_s),
        "f35_blocked": f(legal & ~blocked_s & blocked_f),
        "ru_stock_end": S,
        "ru_stock_min": np.minimum(stock.min(axis=0), S),
        "ru_shortfall_end": np.maximum(0.0, R - S),
        "ru_exports_total": cap_s.sum(axis=0) + extra_exports * (k_use < H),
        "ru_return_production_months": to_russia * left / (P4 / 3.0),
        "india_undelivered_start": U * 1.0,
        "india_sq4_q": q4,
        "india_sq5_q": q5,
        "india_sq4_delay_q": d4,
        "india_sq5_delay_q": d5,
        "india_done_by_deadline": done_by,
        "tr_sunk_usd_bn": contract + a("f35_paid_usd_bn"),
        "tr_refund_usd_bn": refund,
        "tr_upkeep_avoided_usd_bn": upkeep_avoided,
        "tr_workshare_usd_bn": workshare,
        "tr_recovered_usd_bn": refund + upkeep_avoided + workshare,
        "ru_refund_cost_usd_bn": ru_refund,
        "ru_value_regained_usd_bn": ru_value,
        "ru_net_usd_bn": ru_value - ru_refund,
        "sig_nato_integration": f(sig_nato),
        "sig_us_trust": f(sig_trust),
        "sig_moscow_leverage": f(sig_lev),
        "sig_russian_ad_gain": f(sig_ad),
        "alliance_score": f(score),
    }
    return series, outcomes
