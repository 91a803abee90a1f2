"""The explorer's words, as pure functions of its state: control labels and help, the
verdict, the scenario line, "Last change", the views' titles and notes.

Widget-free: each function takes data (a register row, a live run, a list of effects) and
returns text or HTML; the widgets only show it. Numbers are formatted by
:mod:`s400lab.model.formatting` (through :mod:`s400lab.analysis.live`), values typed by a
person by :mod:`s400lab.ui.explorer.units`.
"""

from __future__ import annotations

import html
import re
from typing import Any

import numpy as np

from s400lab.analysis.bargain import BARGAIN_OUTCOMES, bargain_range, range_text
from s400lab.analysis.live import format_chance, format_change, format_outcome
from s400lab.model.formatting import unit_text
from s400lab.model.register import Parameter
from s400lab.model.results import india_timing_core
from s400lab.ui.explorer.units import is_quarter, shown_unit
from s400lab.ui.explorer.units import range_text as shown_range
from s400lab.ui.overlay import picture_html

__all__ = [
    "FIGURE_TITLES",
    "INDIA_DATES",
    "KIND_TITLES",
    "MILESTONES",
    "TAB_TITLES",
    "bargain_html",
    "control_label",
    "effect_html",
    "figure_html",
    "format_difference",
    "format_value",
    "help_table",
    "refusal_html",
    "scenario_line_html",
    "tooltip",
    "verdict_html",
]

#: The Turkiye-US milestones, in order: outcome name -> label in the track panel.
MILESTONES = {
    "divestiture_q": "Divested",
    "sanctions_lifted_q": "CAATSA lifted",
    "f35_readmission_q": "F-35 readmitted",
    "f35_first_delivery_q": "First F-35",
}
INDIA_DATES = ("india_sq4_q", "india_sq5_q")

#: The three views: name -> accessible title of the picture.
FIGURE_TITLES = {
    "stock": "Russia's S-400 stock over time: this scenario with its 50% and 90% bands of the "
    "draws, the status quo and the home requirement; below, the difference from the status quo",
    "india": "India's undelivered squadrons: promised and modelled delivery quarter",
    "track": "Turkiye-US track: median quarter each legal and programme milestone is reached "
    "among the draws that reach it, and the chance of reaching it within the horizon",
}

#: Tab titles per register group: short enough that the seven tabs (with "Outcomes") fit one
#: row of the controls column at 1024x768 in large text; the tab bar wraps rather than cut a
#: title if a wider font does not fit. "Allies" holds the alliance score's weights, "Time"
#: the start quarter and horizon.
TAB_TITLES = {
    "Turkiye": "Turkiye",
    "Russia": "Russia",
    "United States": "US",
    "India": "India",
    "Alliance": "Allies",
    "Model": "Time",
}
KIND_TITLES = {"lever": "Choices (levers)", "uncertainty": "Assumptions (uncertain)", "setting": "Settings"}


def format_value(value: float, unit: str, horizon_end: float | None = None) -> str:
    """How the explorer shows an outcome value (the unit is shown in its own column).

    ``"2027Q2"`` for a quarter, ``"yes"``/``"no"`` for 0/1, whole numbers for battalions,
    squadrons, quarters and months, two decimals otherwise (US$ bn, scores); NaN reads
    ``"not by <last quarter>"`` (or ``"not within horizon"`` without ``horizon_end``).
    """
    return format_outcome(value, unit, horizon_end)


def format_difference(value: float, base: float, unit: str) -> str:
    """Difference of an outcome from the baseline, as shown in the table (empty = same)."""
    return format_change(value, base, unit)


# --------------------------------------------------------------------------- controls


def tooltip(p: Parameter) -> str:
    """Plain-text help for a control: description, range (in the units typed), rationale, sources."""
    parts = [p.description]
    if p.type in ("float", "int"):
        unit = shown_unit(p)
        parts.append(f"Allowed: {shown_range(p)}{(' ' + unit) if unit and not unit.startswith('%') else ''}.")
    elif p.type == "choice":
        parts.append("Choices: " + ", ".join(c.replace("_", " ") for c in p.choices) + ".")
    parts.append(f"Why: {p.rationale}")
    parts.append(
        "Sources: "
        + (", ".join(p.source_ids) if p.source_ids else "none (a labelled assumption or model setting)")
    )
    if p.confidence:
        parts.append(f"Evidence: {p.confidence}; kind: {p.kind}.")
    return "\n".join(parts)


def control_label(p: Parameter) -> str:
    """The control's accessible name: the label with the unit typed in (``%``, none for a quarter)."""
    unit = shown_unit(p)
    if is_quarter(p):  # typed as 2027Q3, whatever the register calls its unit
        return re.sub(r"\s*\(decimal year\)", "", p.label)
    if not unit or (
        not unit.startswith("%")
        and (unit.lower() in p.label.lower() or unit.split()[0].lower() in p.label.lower())
    ):
        return p.label
    return f"{p.label} ({unit})"


def allowed_text(p: Parameter) -> str:
    """The allowed values with their unit, as a refusal names them."""
    unit = shown_unit(p)
    text = shown_range(p)
    if p.type in ("int", "float") and unit and not unit.startswith("%") and not p.discrete_values:
        text += f" {unit}"
    return text


def refusal_html(p: Parameter, why: str, typed: str) -> str:
    """The note beside a control whose typed value is refused: what, why, the allowed values,
    and that nothing changed."""
    why = why if len(why) <= 240 else why[:239] + "\u2026"
    return (
        f"<div class='s400-msg error' role='alert'>Not taken: {html.escape(typed[:40])} &mdash; "
        f"{html.escape(why)} (allowed: {html.escape(allowed_text(p))}); "
        "the value is unchanged.</div>"
    )


def help_table(params: list[Parameter]) -> str:
    rows = []
    for p in params:
        rng = html.escape(allowed_text(p))
        rows.append(
            f"<tr><td><b>{html.escape(p.label)}</b><br><i>{rng}</i></td>"
            f"<td>{html.escape(p.description)}<br><i>Why:</i> {html.escape(p.rationale)}"
            f"<br><i>Sources:</i> {html.escape(', '.join(p.source_ids) or 'none (assumption)')}"
            f"</td></tr>"
        )
    return f"<table class='s400-help'>{''.join(rows)}</table>"


def figure_html(name: str, png: bytes, size: tuple[int, int], labels: list[dict]) -> str:
    """A view: the PNG at its pixel size with alternative text, and the text over it."""
    return picture_html(png, size, FIGURE_TITLES[name], f"s400-img s400-img-{name}", labels)


def _india_why(result) -> tuple[str, str]:
    """Why India's dates move or not: (one short line that fits one line of the verdict box
    at 1024x768 in large text, the timing ruler's full sentence), from
    :func:`s400lab.model.india_timing` (its numbers, without building the table)."""
    ruler = india_timing_core(result)
    full = ruler.verdict
    o, v = result.raw_outcomes, result.scenario.values
    there = ruler.quarter("in_india")
    if o.get("india_undelivered_start", 0) < 1:
        short = "all delivered; nothing to gain."
    elif o.get("returned_to_russia", 0) <= 0 and v.get("tr_action") not in ("return_partial", "return_full"):
        short = "nothing is returned; no gain."
    elif o.get("deal_agreed", 1) == 0:
        short = "return refused: no unit moves."
    elif v.get("ru_use_returned") == "home":
        short = "kept by Russia: export channel only."
    elif v.get("ru_use_returned") != "india":
        short = "no gain: units are resold."
    elif ruler.reaches_india:
        short = f"gains: {there}, before production."
    else:
        short = f"no gain: {there}, after production."
    return short, full


def _russia_why(outcomes) -> tuple[str, str]:
    """Whether the deal is worth it to Russia (``ru_deal_net_usd_bn``, ``ru_consents``): one
    short line and the full sentence."""
    net = float(outcomes.get("ru_deal_net_usd_bn", float("nan")))
    if outcomes.get("ru_objects", 0) >= 0.5:
        return (
            "objects: breaks end-user terms.",
            "objects: a transfer to a third party breaks the end-user terms.",
        )
    agreed = float(outcomes.get("deal_agreed", float("nan")))
    if not np.isfinite(agreed) or not np.isfinite(net):
        return "nothing returned; no deal.", "nothing is returned; no deal to weigh."
    ru, tr = 100 * outcomes["ru_max_share"], 100 * outcomes["tr_min_share"]
    rng = f"Turkiye needs at least {tr:.0f}%, Russia pays at most {ru:.0f}% of the contract"
    if agreed >= 0.5:
        return f"agreed: pays up to {ru:.0f}%.", f"deal agreed: the terms lie inside the range ({rng})."
    if outcomes.get("ru_consents", 0) < 0.5:
        return f"refused: pays at most {ru:.0f}%.", f"refused: Russia pays at most {ru:.0f}% ({rng})."
    return f"refused: Turkiye needs {tr:.0f}%.", f"refused: Turkiye needs at least {tr:.0f}% ({rng})."


def short_verdict(text: str) -> str:
    """First sentence of the verdict (up to the first ': ' or '. ')."""
    m = re.match(r"(.+?[.:])(\s|$)", text)
    return (m.group(1) if m else text).rstrip(":.")


def verdict_html(live: Any, t1: float) -> str:
    """The verdict box: the legal test met or not, its chance over the draws, the horizon's
    end, one short line each for India and Russia, and the full reasons under "Why"."""
    res = live.result
    ro = res.raw_outcomes
    met = ro["legal_conditions_met"] >= 0.5
    chance = format_chance(live.chance("legal_conditions_met"))
    india_short, india_full = _india_why(res)
    russia_short, russia_full = _russia_why(ro)
    return (
        f"<div class='s400-verdict {'met' if met else 'not-met'}' role='status'>"
        f"<b>{html.escape(short_verdict(res.verdict))}.</b> "
        f"<span class='s400-small'>Horizon ends {html.escape(format_value(t1 - 0.25, 'year'))}"
        f"; {chance} of {live.n:,} draws meet the conditions.</span>"
        f"<details><summary>Why (the legal test; bands and chances from {live.n:,} "
        f"draws, seed {live.seed})</summary>{html.escape(res.verdict)}"
        f"<br><b>India:</b> {html.escape(india_full)}<br><b>Russia:</b> {html.escape(russia_full)}"
        "</details>"
        f"<div class='s400-small s400-why-india'><b>India:</b> {html.escape(india_short)}</div>"
        f"<div class='s400-small s400-why-russia'><b>Russia:</b> {html.escape(russia_short)}</div>"
        "</div>"
    )


def bargain_html(live: Any) -> str:
    """The bargaining range beside the compensation control: "Turkiye accepts >= X%,
    Russia pays <= Y%: deal / no deal", and the share of draws with a deal."""
    if any(k not in live.outcomes for k in BARGAIN_OUTCOMES):
        return ""
    r = bargain_range(live.scenario, live.result)
    text = html.escape(range_text(r))
    if r.bargaining:
        ok = "deal" if r.clears else "nodeal"
        chance = format_chance(
            live.chance("deal_agreed" if "deal_agreed" in live.outcomes else "deal_feasible")
        )
        draws = f"<span class='s400-small'>(deal in {chance} of draws)</span>"
        text = f"<b class='s400-bargain-{ok}'>{text}</b> {draws}"
    return f"<div class='s400-small' role='status'>{text}</div>"


def scenario_line_html(preset: Any, edited_labels: list[str]) -> str:
    """The preset's name, "(edited)" once a value departs from it, its text under a fold."""
    edited = edited_labels
    if edited:
        names = ", ".join(edited[:3])
        more = f" and {len(edited) - 3} more" if len(edited) > 3 else ""
        state = (
            f"<b>edited</b> ({len(edited)} value{'s' if len(edited) != 1 else ''} "
            f"differ from the preset: {html.escape(names)}{more}); the preset said: "
        )
    else:
        state = ""
    return (
        f"<details class='s400-small'><summary><b>Preset:</b> {html.escape(preset.label)}"
        f"{' <b>(edited)</b>' if edited else ''}</summary>{state}"
        f"<i>{html.escape(preset.description)}</i></details>"
    )


def effect_html(changed: list[str], effects: list) -> str:
    """ "Last change": the changed controls (labels with their new values) and every key
    outcome that moved, each on its own line in a bounded, scrolling box."""
    if not changed:
        return "<div class='s400-effect'>Move a control: what it changes is listed here.</div>"
    names = html.escape(", ".join(changed))
    if not effects:
        return (
            f"<div class='s400-effect dead'><b>Last change</b> ({names}): no key outcome "
            "moved &mdash; this control has no effect under the current choices.</div>"
        )
    items = "".join(f"<li>{html.escape(e.label)} <b>{html.escape(_with_unit(e))}</b></li>" for e in effects)
    n = len(effects)
    return (
        f"<div class='s400-effect'><b>Last change</b> ({names}) moved {n} outcome{'s' if n != 1 else ''}:"
        f"<ul class='s400-effects'>{items}</ul></div>"
    )


def _with_unit(effect: Any) -> str:
    """An effect's text with the unit after its number: "-0.11 US$ bn" (a date's "+1 q" and a
    yes/no's "now yes" say their unit already)."""
    unit = unit_text(effect.unit)
    head, sep, rest = effect.text.partition(", ")
    if unit and head[:1] in "+-\u2212" and head[1:2].isdigit():
        head = f"{head} {unit}"
    return head + sep + rest


def track_note(ro: dict) -> str:
    """The Turkiye-US track view's note: the legal test or the block that stops it."""
    if ro["legal_conditions_met"] < 0.5:
        return "legal conditions NOT met"
    if ro.get("sanctions_blocked", 0) >= 0.5:
        return "Congress blocks sanctions relief"
    if ro.get("f35_blocked", 0) >= 0.5:
        return "Congress blocks F-35 readmission"
    return "legal conditions met"


def india_labels(ro: dict) -> list[str]:
    """Names of India's two squadrons in its view ("(done)" once delivered at the start)."""
    undelivered = int(round(ro.get("india_undelivered_start", 2)))
    return [
        "4th squadron" if undelivered >= 2 else "4th (done)",
        "5th squadron" if undelivered >= 1 else "5th (done)",
    ]
