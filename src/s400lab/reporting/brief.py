"""Two-page HTML brief of a scenario: outcomes vs baseline, choices, assumptions, sources.

Command line::

    python -m s400lab brief --scenario full_return_cash --out brief.html
    python -m s400lab brief --scenario my_scenario.json --out brief.html --draws 2000 --seed 7

From Python::

    from s400lab.reporting.brief import write_brief
    write_brief("full_return_cash", "briefs/full_return_cash.html")

The explorer's "Export brief" button calls :func:`brief_from_state` with what it shows: the
scenario, the size, seed and held switches of its live ensemble and the preset it started
from. **The brief is the screen**: its outcomes come from the same central run and the same
draws (:class:`s400lab.analysis.live.LiveEnsemble`, same ``n_draws`` and ``seed``), against the
same baseline (the status quo's choices under *this* scenario's assumptions and settings),
printed with the same texts (quarters, chances, medians); the defaults (1,000 draws, seed 1)
are the explorer's, so the command line's brief of a preset matches the projector too. An
edited preset is named as such ("Edited from preset 'Full return for a cash refund'", each
changed value beside the preset's) and the preset's description, which no longer holds, is
not reprinted; choices print as the explorer shows them ("return full"), never as ids.

The brief is one self-contained HTML file (no external requests): a Jinja2 template with
autoescaping, the figure embedded as a base64 PNG, print CSS whose ``@page`` sets margins
only, so it prints on two pages of A4 or US Letter alike. Page 1: the verdict, the key
outcomes against the baseline (status quo) at central values with the 5-95 % range (or
probability) over an ensemble of ``n_draws`` draws (the same draws for both), and fan charts.
Page 2: one table of the choices and assumptions (value, range, evidence grade, numbered
source references), the values changed from the register defaults highlighted and first,
then the numbered sources those rows cite, and a footer with the package and data
versions. When a scenario changes so much that page 2 would overflow, the layout gets
denser (:func:`choose_layout`); sources are never dropped. Decimal years print as quarters
(2026.25 -> 2026Q2) and no number is printed in scientific notation. An existing file is
never replaced unless ``force=True`` (``--force``).

This module is the reporting layer: it may import data, model, analysis and plots, but no
widgets; the explorer (ui) calls it downward.
"""

from __future__ import annotations

import argparse
import base64
import io
import math
import os
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import matplotlib.pyplot as plt
import numpy as np
from jinja2 import Environment, FileSystemLoader

from s400lab._files import write_new_file
from s400lab.model.formatting import (
    central_date_text,
    format_change,
    format_number,
    format_outcome,
    format_quantity,
    is_timing,
    unit_text,
    with_unit,
)
from s400lab.model.results import key_outcomes

__all__ = [
    "KEY_OUTCOMES",
    "FIGURE_SERIES",
    "PARAM_GROUPS",
    "LAYOUTS",
    "format_range",
    "format_value",
    "estimate_page2_mm",
    "choose_layout",
    "resolve_scenario",
    "brief_context",
    "brief_html",
    "brief_from_state",
    "render_brief",
    "write_brief",
    "main",
]

#: Outcomes in the key-figures table: the model's key outcomes that fit page 1, in their order.
KEY_OUTCOMES = key_outcomes("brief")

#: Per-quarter variables drawn as fan charts (scenario vs baseline).
FIGURE_SERIES = ("ru_stock", "india_squadrons", "tr_recovered_usd_bn")

#: Short panel titles (the model's labels are longer).
FIGURE_TITLES = {
    "ru_stock": "Russian S-400 stock",
    "india_squadrons": "Indian squadrons delivered",
    "tr_recovered_usd_bn": "Turkiye: money recovered",
}

TEMPLATE = "brief.html.j2"
#: Longest source title and author's note printed (longer text is cut at a word, with "...").
TITLE_CHARS = 44
#: Longest URL printed in the source list (the link keeps the whole URL).
URL_CHARS = 34
NOTES_CHARS = 400
#: Changed values listed with the preset's value on page 1 (the rest: shaded on page 2).
EDITS_SHOWN = 6
#: The explorer's live ensemble (``ScenarioExplorer(n_draws=1000, seed=1)``, a test keeps them
#: equal): a brief with the defaults shows the figures the projector shows.
DEFAULT_DRAWS = 1000
DEFAULT_SEED = 1


def resolve_scenario(scenario: Any) -> tuple[Any, str, str]:
    """Turn a preset name, a scenario file or a Scenario into ``(scenario, name, notes)``.

    Parameters
    ----------
    scenario : str, path-like or Scenario
        A preset id (``"full_return_cash"``), a path to a JSON scenario file (read with
        :func:`s400lab.model.scenario_io.load_scenario`, validated), or a Scenario.

    Returns
    -------
    tuple
        The Scenario, a display name and free-text notes (from a file; else "").

    Raises
    ------
    ValueError
        Unknown preset or invalid file (the message names it).
    """
    from s400lab.model import Scenario, presets

    if isinstance(scenario, Scenario):
        return scenario, scenario.label, ""
    text = os.fspath(scenario)
    available = presets()
    if text in available:
        sc = available[text]
        return sc, sc.label, ""
    path = Path(text)
    if path.suffix.lower() == ".json" or path.exists():
        from s400lab.model.scenario_io import load_scenario

        loaded = load_scenario(path)
        return loaded.scenario, loaded.name or path.stem, loaded.notes
    raise ValueError(f"{text!r} is neither a preset ({', '.join(available)}) nor a scenario file (*.json)")


# ----------------------------------------------------------------------------- formatting

#: How the brief shows a parameter value with its unit (one home: the model's formatting).
format_value = format_quantity


def format_range(p) -> str:
    """The range a parameter may take (``"1 – 12 months"``, ``"2 or 4 battalions"``); "" for
    choices and flags."""
    if p.type in ("choice", "bool") or not (math.isfinite(p.low) and math.isfinite(p.high)):
        return ""
    if p.discrete_values:
        vals = [format_value(v, "year" if p.unit == "year" else "") for v in p.discrete_values]
        text = ", ".join(vals[:-1]) + f" or {vals[-1]}" if len(vals) > 1 else vals[0]
        return text if p.unit == "year" else with_unit(text, 2, p.unit)
    if p.unit == "year":
        return f"{format_value(p.low, 'year')}\u2013{format_value(p.high, 'year')}"
    sep = "\u2013" if p.low >= 0 else " to "
    return with_unit(f"{format_number(p.low)}{sep}{format_number(p.high)}", 2, p.unit)


def _spread_text(live, key: str, unit: str) -> str:
    """The uncertainty cell, from the figures the explorer's outcomes table shows: a date's
    chance within the horizon and its median over the draws reaching it, a yes/no outcome's
    probability, else the 5-95 % range over the draws."""
    from s400lab.analysis.live import format_chance

    chance = live.chance(key)
    if is_timing(unit):
        median = live.median(key)
        text = f"{format_chance(chance)} within the horizon"
        return text if math.isnan(median) else f"{text}; median {format_outcome(median, unit)}"
    if unit == "0/1":
        return f"probability {format_chance(chance)}"
    q05, _q50, q95 = live.spread(key)
    if math.isnan(q05):
        return "n/a"
    return f"{format_outcome(q05, unit)} to {format_outcome(q95, unit)}"


def _figure_png(live, base_live, label: str) -> str:
    from s400lab.analysis.ensembles import bands_from_samples
    from s400lab.model import SERIES
    from s400lab.plots.style import OKABE_ITO, PROJECTOR_RC
    from s400lab.plots.uncertainty import fan_chart

    rc = {
        **PROJECTOR_RC,
        "font.size": 9,
        "axes.titlesize": 10,
        "axes.labelsize": 9,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "legend.fontsize": 7,
        "lines.linewidth": 1.6,
    }
    with plt.rc_context(rc):
        fig, axes = plt.subplots(1, len(FIGURE_SERIES), figsize=(10.5, 2.7), layout="constrained")
        for ax, var in zip(axes, FIGURE_SERIES, strict=True):
            unit, title = SERIES[var]
            base = fan_chart(
                ax, bands_from_samples(base_live.series[var], base_live.t), colour=OKABE_ITO["grey"]
            )
            this = fan_chart(
                ax, bands_from_samples(live.series[var], live.t), colour=OKABE_ITO["blue"], unit=unit
            )
            ax.set_title(FIGURE_TITLES.get(var, title))
            ax.get_legend().remove()
        fig.legend(
            [base["median"], this["median"]],
            ["status quo: median, 50 % and 90 % bands", f"{label}: median and bands"],
            loc="outside lower center",
            ncols=2,
            frameon=False,
        )
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=150)
        plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _safe_url(url: Any) -> str | None:
    if not isinstance(url, str):
        return None
    return url if urlparse(url).scheme in ("http", "https") else None


def _short(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters (with an ellipsis)."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return cut + "\u2026"


def _display_url(url: str, limit: int | None = None) -> str:
    """A URL as printed: without ``https://`` and ``www.``; longer than ``limit`` characters,
    only its host and "/..." (the link itself keeps the full URL).

    >>> _display_url("https://www.tass.com/defense/1116403", 34)
    'tass.com/defense/1116403'
    >>> _display_url("https://example.org/2025/12/a-very-long-article-slug-about-s-400s", 34)
    'example.org/\u2026'
    """
    text = re.sub(r"^https?://(www\.)?", "", url).rstrip("/")
    if limit is None or len(text) <= limit:
        return text
    return text.split("/", 1)[0][: limit - 2] + "/\u2026"


def _published(date: Any, precision: Any) -> str:
    """A source's date at the precision the source gives (``2025-12-17``, ``2025-12``, ``2025``)."""
    if date is None or str(date) in ("NaT", "nan", "<NA>", ""):
        return ""
    text = str(date)[:10]
    return {"year": text[:4], "month": text[:7]}.get(str(precision), text)


#: Groups of the parameter table, in display order: (changed?, kind) -> heading.
PARAM_GROUPS = {
    (True, "lever"): "Changed choices (levers)",
    (True, "uncertainty"): "Changed assumptions (drawn in the ensemble around this value)",
    (True, "setting"): "Changed model settings (fixed in every draw)",
    (False, "lever"): "Choices (levers) at their defaults",
    (False, "uncertainty"): "Assumptions drawn in the ensemble, at their central values",
}


def shown_value(value: Any, p) -> str:
    """A parameter value as the explorer's control shows it, with its unit: a choice by its
    words ("return full"), never its id (``return_full``); else :func:`format_value`."""
    if p.type == "choice" and isinstance(value, str):
        return value.replace("_", " ")
    return format_value(value, p.unit)


def _bare(value: Any, p) -> str:
    """A default value as shown next to a changed one: without the unit (same as the value's)."""
    unit = p.unit
    text = shown_value(value, p)
    if isinstance(value, (bool, str, np.bool_)) or unit in ("year", "x"):
        return text
    return format_number(float(value))


#: Source id the brief cites for a range derived from a yearly data table (one entry in the
#: source list instead of every source of the table's rows, which would not fit page 2).
TABLE_SOURCE = "table:ru_s400_yearly"


def _brief_source_ids(name: str, source_ids: Any) -> list[str]:
    """The ids the brief cites for parameter ``name``: the yearly table for the ranges
    :mod:`s400lab.model.depletion` derives from it, else the register row's own sources."""
    from s400lab.model.depletion import PARAMETERS

    return [TABLE_SOURCE] if name in PARAMETERS else list(source_ids)


def _parameter_rows(sc) -> tuple[list[dict[str, Any]], list[str]]:
    """The brief's parameter table: every choice and every drawn assumption, plus each
    setting that differs from the register; rows changed from the register defaults first.

    Returns the rows (dicts with ``name``, ``label``, ``kind``, ``group`` (a heading of
    :data:`PARAM_GROUPS`), ``value``, ``default``, ``range``, ``grade``, ``source_ids``,
    ``changed``) and the cited source ids in order of first citation (table order).
    """
    reg = sc.register
    defaults = reg.defaults()
    groups: dict[tuple[bool, str], list[dict[str, Any]]] = {k: [] for k in PARAM_GROUPS}
    from s400lab.model.scenario import idle_parameters

    idle = idle_parameters(sc.values)
    for name in reg.names():
        p = reg[name]
        value = sc.values[name]
        changed = bool(value != defaults[name])
        if (changed, p.kind) not in groups:  # an unchanged setting: not shown
            continue
        if not changed and name in idle:  # cannot change this scenario's outcomes
            continue
        groups[(changed, p.kind)].append(
            {
                "name": name,
                "label": p.label,
                "kind": p.kind,
                "group": PARAM_GROUPS[(changed, p.kind)],
                "value": shown_value(value, p),
                "default": _bare(defaults[name], p) if changed else "",
                "range": format_range(p),
                "grade": p.confidence,
                "source_ids": _brief_source_ids(name, p.source_ids),
                "changed": changed,
            }
        )
    rows = [r for k in PARAM_GROUPS for r in groups[k]]
    cited = list(dict.fromkeys(i for r in rows for i in r["source_ids"]))
    return rows, cited


#: Height (mm) page 2 may fill: US Letter (279.4 mm) less the 2 x 10 mm margins, less 3 mm.
PAGE2_MM = 256.0
#: Layouts of page 2, densest last: "full" (3 columns of sources, URLs printed), "compact" (4
#: columns; the title carries the link, no URL printed), "flow" (compact, and the table may
#: start on page 1 instead of a new page).
LAYOUTS = ("full", "compact", "flow")


def _source_text(s: dict[str, Any], with_url: bool) -> str:
    text = f"{s['n']} {s['publication']}, {s['published']}. {s['title']}"
    return text + (" " + s["display_url"] if with_url else "")


def estimate_page2_mm(params: list[dict[str, Any]], sources: list[dict[str, Any]], layout: str) -> float:
    """Estimated printed height (mm) of page 2: the parameter table plus the source list.

    Calibrated on headless Chromium (6.9 pt table rows ~3.0 mm, 6.2 pt source lines 2.56 mm,
    ~50 characters a line in 3 columns and ~38 in 4); it errs on the high side by a few mm.
    The real page count is checked by the browser test of ``tests/test_brief.py``.
    """
    groups = len({r.get("group", "") for r in params})
    long_refs = sum(len(r.get("refs", ())) > 6 for r in params)
    table = 6.0 + 3.0 * len(params) + 4.0 * groups + 2.9 * long_refs
    full = layout == "full"
    cols, cpl = (3, 50) if full else (4, 38)
    lines = sum(math.ceil(len(_source_text(s, full)) / cpl) for s in sources)
    return 26.0 + table + (lines * 2.56 + len(sources) * 0.35) / cols + 3.0


def choose_layout(params: list[dict[str, Any]], sources: list[dict[str, Any]]) -> str:
    """The least dense layout of :data:`LAYOUTS` whose page 2 fits on one page (A4 or Letter)."""
    for layout in LAYOUTS[:-1]:
        if estimate_page2_mm(params, sources, layout) <= PAGE2_MM:
            return layout
    return LAYOUTS[-1]


def _preset_of(scenario: Any) -> str:
    """The preset a scenario or scenario file starts from ("" if none)."""
    from s400lab.model import Scenario, presets

    if isinstance(scenario, Scenario):
        if scenario.scenario_id in presets():
            return scenario.scenario_id
        # Scenario.with_changes names an edited preset "<label> (changed)"
        for sid, sc in presets().items():
            if scenario.label == f"{sc.label} (changed)":
                return sid
        return ""
    text = os.fspath(scenario)
    if text in presets():
        return text
    from s400lab.model.scenario_io import load_scenario

    return load_scenario(Path(text)).preset


def brief_context(
    scenario: Any,
    n_draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    baseline: str = "status_quo",
    *,
    name: str | None = None,
    notes: str | None = None,
    preset: str | None = None,
    held: Iterable[str] | None = None,
) -> dict[str, Any]:
    """Compute everything the brief shows (no HTML).

    Parameters
    ----------
    scenario : str, path-like or Scenario
        See :func:`resolve_scenario`.
    n_draws : int, default 1000
        Ensemble size for the uncertainty ranges (>= 100); the explorer's by default.
    seed : int, default 1
        Seed of the draws (the explorer's by default); the same draws for scenario and baseline.
    baseline : str, default "status_quo"
        Preset whose choices (levers) the scenario is compared against, under the scenario's
        own assumptions and settings (as the explorer compares).
    name, notes, preset : str, optional
        Override the display name, the notes and the preset the scenario started from
        (default: from the scenario file, the preset itself, or the preset an edited
        Scenario's label names).
    held : iterable of str, optional
        Drawn switches (``war_course``) held at the scenario's value in every draw, as the
        explorer's "... in every draw" choices do (see
        :meth:`s400lab.analysis.live.LiveEnsemble.pinned`); None: held when set away from
        the default.

    Returns
    -------
    dict
        Template context: ``name``, ``notes``, ``scenario``, ``description`` (the scenario's
        own, or "" for an edited preset: the preset's text no longer holds), ``preset_label``,
        ``edited`` (labels of the values that differ from the preset), ``edits`` (each with
        ``label``, ``value``, ``preset_value``), ``baseline`` (the compared scenario),
        ``baseline_label``, ``verdict``, ``verdict_met``, ``chance_met`` (share of draws meeting
        the legal conditions, as the explorer prints it), ``horizon_end``, ``outcomes`` (key
        figures against the baseline), ``params`` (choices and assumptions, changed ones first,
        each with ``refs``: numbers into ``sources``), ``n_changed``, ``sources`` (only those
        cited by ``params``, numbered ``n`` from 1 in order of first citation), ``layout`` (one of
        :data:`LAYOUTS`, from :func:`choose_layout`), ``figure_png``, versions, ``n_draws``,
        ``seed``, ``live`` and ``base_live`` (the :class:`~s400lab.analysis.live.LiveRun` s).
    """
    from s400lab import __version__
    from s400lab.analysis.live import LiveEnsemble, format_chance
    from s400lab.model import Scenario, run

    if int(n_draws) < 100:
        raise ValueError(f"n_draws must be at least 100; got {n_draws}")
    sc, resolved_name, resolved_notes = resolve_scenario(scenario)
    name = resolved_name if name is None else name
    notes = resolved_notes if notes is None else notes
    preset_sc, edits = _edited_from_preset(sc, _preset_of(scenario) if preset is None else preset)
    base_preset = Scenario.preset(baseline)
    base = _baseline_for(sc, base_preset)
    held = None if held is None else tuple(held)
    # the explorer's live ensemble: the draws depend only on n, seed and the weight settings
    engine = LiveEnsemble(n=int(n_draws), seed=int(seed), series=FIGURE_SERIES)
    live = engine.run(sc, central=run(sc), held=held)
    base_live = engine.run(base, central=run(base), held=held)
    params, cited = _parameter_rows(sc)
    sources, data_version = _source_rows(params, cited)
    res = live.result
    edited = bool(edits)
    return {
        "name": name,
        "notes": _short(notes, NOTES_CHARS) if notes else "",
        "scenario": sc,
        "description": "" if edited else _short(sc.description, NOTES_CHARS + 200),
        "preset_label": preset_sc.label if preset_sc is not None else "",
        "edited": [e["label"] for e in edits],
        "edits": edits,
        "edits_shown": EDITS_SHOWN,
        "baseline": base,
        "baseline_label": base_preset.label,
        "verdict": res.verdict,
        "verdict_met": bool(res.raw_outcomes["legal_conditions_met"] >= 0.5),
        "chance_met": format_chance(live.chance("legal_conditions_met")),
        "horizon_end": format_outcome(live.horizon_end, "year"),
        "params": params,
        "n_changed": sum(r["changed"] for r in params),
        "layout": choose_layout(params, sources),
        "outcomes": _outcome_rows(live, base_live),
        "sources": sources,
        "figure_png": _figure_png(live, base_live, name),
        "n_draws": int(n_draws),
        "seed": int(seed),
        "live": live,
        "base_live": base_live,
        "package_version": __version__,
        "data_version": data_version,
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _baseline_for(sc, base_preset):
    """The baseline as the explorer builds it: the baseline preset's choices (levers) with the
    scenario's own assumptions and settings, so only the choices differ."""
    from s400lab.model import Scenario

    levers = set(sc.register.levers)
    values = {k: (base_preset.values[k] if k in levers else v) for k, v in sc.values.items()}
    if values == dict(base_preset.values):
        return base_preset
    return Scenario.default().with_changes(**values)


def _edited_from_preset(sc, preset: str) -> tuple[Any, list[dict[str, str]]]:
    """The preset ``sc`` started from (None if none) and the values it changed: each with its
    ``name``, ``label``, ``value`` and ``preset_value`` as the explorer shows them."""
    from s400lab.model import presets

    preset_sc = presets().get(preset) if preset else None
    if preset_sc is None:
        return None, []
    return preset_sc, [
        {
            "name": p.name,
            "label": p.label,
            "value": shown_value(sc.values[p.name], p),
            "preset_value": shown_value(preset_sc.values[p.name], p),
        }
        for p in sc.register
        if sc.values[p.name] != preset_sc.values[p.name]
    ]


def _outcome_rows(live, base_live) -> list[dict[str, Any]]:
    """The key-outcomes table: each outcome of the central run against the baseline's, with
    its uncertainty over the ensemble; a date not reached names the horizon's end. The same
    figures as the explorer's outcomes table for the same state."""
    from s400lab.model import OUTCOMES

    res, base_res = live.result, base_live.result
    ends = live.horizon_end, base_live.horizon_end
    rows = []
    for key in KEY_OUTCOMES:
        unit, label = OUTCOMES[key]
        v, b = float(res[key]), float(base_res[key])
        rows.append(
            {
                "key": key,
                "label": label,
                "unit": unit,
                "unit_text": unit_text(unit),
                # a US milestone's single-run date holds only if Congress does not block ("*")
                "value": central_date_text(key, v, ends[0], mark="*")
                if is_timing(unit)
                else format_outcome(v, unit, ends[0]),
                "baseline": central_date_text(key, b, ends[1], mark="*")
                if is_timing(unit)
                else format_outcome(b, unit, ends[1]),
                "diff": format_change(v, b, unit, same="same"),
                "spread": _spread_text(live, key, unit),
            }
        )
    return rows


def _source_rows(params: list[dict[str, Any]], cited: list[str]) -> tuple[list[dict[str, Any]], str]:
    """The numbered sources cited by ``params`` (in order of first citation; each row gets its
    ``refs`` numbers) and the data version."""
    from s400lab.data import load

    ds = load()
    table = TABLE_SOURCE in cited
    cited = [i for i in cited if i != TABLE_SOURCE]
    src = ds.sources_for(cited) if cited else ds.sources.iloc[0:0]
    number = {sid: i for i, sid in enumerate(src["source_id"], start=1)}
    number[TABLE_SOURCE] = len(number) + 1
    for row in params:
        row["refs"] = [number[i] for i in row["source_ids"]]
    sources = [
        {
            "n": number[r.source_id],
            "id": r.source_id,
            "publication": r.publication,
            "title": _short(r.title, TITLE_CHARS),
            "full_title": str(r.title),
            "url": _safe_url(r.url),
            "raw_url": str(r.url),
            "display_url": _display_url(str(r.url), URL_CHARS),
            "published": _published(r.published, r.published_precision),
        }
        for r in src.itertuples()
    ]
    if table:  # the ranges derived from the yearly table cite the table (its rows cite sources)
        rows = ds.table("ru_s400_yearly")
        n_src = len({i for cell in rows["source_ids"] for i in str(cell).split(";") if i})
        title = f"Russia's S-400 production and losses per year: {len(rows)} rows, {n_src} sources"
        sources.append(
            {
                "n": number[TABLE_SOURCE],
                "id": TABLE_SOURCE,
                "publication": "s400lab data",
                "title": title,
                "full_title": title,
                "url": None,
                "raw_url": "data/ru_s400_yearly.csv",
                "display_url": "data/ru_s400_yearly.csv",
                "published": ds.version,
            }
        )
    return sources, ds.version


def brief_html(scenario: Any, **options: Any) -> str:
    """The brief of ``scenario`` as an HTML string.

    ``options`` are those of :func:`brief_context` (``n_draws``, ``seed``, ``baseline``,
    ``name``, ``notes``, ``preset``).
    """
    return render_brief(brief_context(scenario, **options))


def brief_from_state(
    scenario: Any,
    *,
    n_draws: int,
    seed: int,
    held: Iterable[str] | None = None,
    preset: str | None = None,
    name: str | None = None,
    notes: str = "",
    baseline: str = "status_quo",
) -> str:
    """The brief of what the explorer shows: the one call of its "Export brief" button.

    Parameters
    ----------
    scenario : Scenario
        The scenario on screen (the preset with the edited values).
    n_draws, seed : int
        Size and seed of the explorer's live ensemble.
    held : iterable of str, optional
        Drawn switches the explorer holds in every draw (``ScenarioExplorer.held``).
    preset : str, optional
        The preset the values started from (``ScenarioExplorer.preset_id``): the brief says
        "Edited from preset ..." when values differ from it.
    name : str, optional
        The scenario's name as typed (default: the scenario's label).
    notes : str
        Author's notes.
    baseline : str
        Preset compared against (the explorer: the status quo).

    Returns
    -------
    str
        The brief's HTML; the same figures as the explorer for the same state (a test
        compares them).
    """
    return render_brief(
        brief_context(
            scenario,
            n_draws=n_draws,
            seed=seed,
            baseline=baseline,
            name=name or None,
            notes=notes,
            preset=preset,
            held=held,
        )
    )


def render_brief(context: dict[str, Any]) -> str:
    """Render the brief template (autoescaped) with a context from :func:`brief_context`."""
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template(TEMPLATE).render(**context)


def write_brief(
    scenario: Any,
    path: str | os.PathLike,
    n_draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    *,
    baseline: str = "status_quo",
    force: bool = False,
) -> Path:
    """Write the two-page HTML brief of ``scenario`` to ``path``.

    Parameters
    ----------
    scenario : str, path-like or Scenario
        Preset id, scenario file (JSON) or Scenario.
    path : path-like
        Output file (``*.html``); its folder is created if missing.
    n_draws : int, default 1000
        Ensemble size for uncertainty ranges (the explorer's).
    seed : int, default 1
        Random seed (same seed -> same numbers; the explorer's).
    baseline : str, default "status_quo"
    force : bool, default False
        Replace an existing file. Without it an existing file raises
        :class:`FileExistsError` and is left untouched.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    path = Path(path)
    hint = "choose another name or use --force (force=True) to replace it"
    if path.exists() and not force:  # fail before the (slower) ensemble runs
        raise FileExistsError(f"{path}: already exists; not overwritten ({hint})")
    html = render_brief(brief_context(scenario, n_draws=n_draws, seed=seed, baseline=baseline))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_new_file(path, lambda fh: fh.write(html), overwrite=force, hint=hint)
    return path


#: Ensemble sizes the command line accepts (fewer draws give no stable range; more than
#: 100,000 take minutes and gigabytes for no visible gain in a two-page brief).
DRAWS_RANGE = (100, 100_000)
#: Largest seed the command line accepts (numpy takes any non-negative integer; 2**32 - 1
#: is plenty and keeps the option readable).
SEED_MAX = 2**32 - 1


def main(argv: list[str] | None = None) -> int:
    """Command line entry: ``python -m s400lab brief --scenario NAME|FILE --out FILE``."""
    from s400lab._inputs import cli_int, cli_text

    parser = argparse.ArgumentParser(
        prog="python -m s400lab brief", description="Write a two-page HTML brief of a scenario."
    )
    parser.add_argument(
        "--scenario", required=True, type=cli_text("--scenario"), help="preset id or scenario file (.json)"
    )
    parser.add_argument("--out", required=True, type=cli_text("--out"), help="output HTML file")
    parser.add_argument(
        "--draws",
        type=cli_int(*DRAWS_RANGE, "--draws"),
        default=DEFAULT_DRAWS,
        help=f"ensemble size, {DRAWS_RANGE[0]:,}..{DRAWS_RANGE[1]:,} "
        f"(default {DEFAULT_DRAWS}, as the explorer)",
    )
    parser.add_argument(
        "--seed",
        type=cli_int(0, SEED_MAX, "--seed"),
        default=DEFAULT_SEED,
        help=f"random seed, 0..{SEED_MAX:,} (default {DEFAULT_SEED}, as the explorer)",
    )
    parser.add_argument(
        "--baseline", type=cli_text("--baseline"), default="status_quo", help="preset to compare against"
    )
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    args = parser.parse_args(argv)
    try:
        out = write_brief(
            args.scenario,
            args.out,
            n_draws=args.draws,
            seed=args.seed,
            baseline=args.baseline,
            force=args.force,
        )
    except (ValueError, FileExistsError, KeyError, OSError) as exc:
        if args.debug:
            raise
        print(f"brief: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {out}")
    return 0
