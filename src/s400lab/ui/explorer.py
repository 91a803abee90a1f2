"""The scenario explorer: presets, levers and assumptions -> model + live ensemble -> views.

Build it in a notebook (or a Voila dashboard) and display it::

    from s400lab.ui.explorer import ScenarioExplorer
    ScenarioExplorer()

Projector first: one screen shows the three views (left, at their pixel size) and, on the
right, the verdict, what the last change did, and the active tab's controls in a scrolling pane
with the file buttons and their status under it; the page itself does not scroll at 1024x768,
1280x720 or 1366x768 ("compact"/"laptop" screens) and the "wide" screen uses a 1920 px display.
Presenter mode sets all text to at least 18 px.

Every control is built from the parameter register (``data/parameters.csv``): its label, unit,
range, step, choices and a help text (description, rationale of the range, sources) that is
also listed under *About these values* in each tab, reachable by keyboard. Rows whose kind is
``device`` (model devices such as the uniform draws behind a congressional block, named
``u_block_*``) are never shown.

Each change runs the central scenario and a seeded ensemble (:mod:`s400lab.analysis.live`;
1,000 draws by default, same seed -> same numbers): the stock view shows bands and the
difference from the status quo; every milestone and India's dates carry their chance within
the horizon. The explorer does no model arithmetic itself.

For tests and scripts: :meth:`set_values`, :attr:`scenario`, :attr:`result`, :attr:`live`,
:attr:`outcomes_frame`, :meth:`brief_html`, and the counters :attr:`recomputes` (model runs of
the scenario), :attr:`baseline_recomputes` and :attr:`n_redraws` (refresh passes).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import html
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from s400lab._inputs import excerpt
from s400lab.analysis.bargain import BARGAIN_OUTCOMES, bargain_range, range_text
from s400lab.analysis.live import (
    LiveEnsemble,
    change_effects,
    format_chance,
    format_change,
    format_outcome,
)
from s400lab.model import Scenario, presets, run
from s400lab.model.formatting import central_date_text, unit_text
from s400lab.model.register import GROUPS, Parameter, load_register
from s400lab.model.results import india_timing_core, key_outcomes
from s400lab.plots.style import OKABE_ITO
from s400lab.ui.overlay import picture_html

__all__ = [
    "DRAWN",
    "ScenarioExplorer",
    "format_value",
    "format_difference",
    "KEY_OUTCOMES",
    "visible_parameters",
]

#: Outcomes shown in the table by default (all outcomes with "all outcomes"): the model's one
#: list (:data:`s400lab.model.results.KEY_OUTCOMES`); names the model does not have are skipped.
KEY_OUTCOMES = key_outcomes()

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
    "stock": "Russia's S-400 stock over time: this scenario with its 90% band, the status quo "
    "and the home requirement; below, the difference from the status quo",
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
BASELINE_ID = "status_quo"

#: Control value of a drawn switch (``war_course``) meaning "drawn per draw by its weights":
#: the central run takes the register default, the ensemble draws the course. Each real
#: choice (attrition included) holds that course in every draw.
DRAWN = "drawn"

#: Screen layouts: name -> (label, width of the figures column, of the controls column,
#: height of the scrolling controls pane) in px. The figures keep their pixel size (crisp).
SCREENS = {
    "compact": ("1024-1280", 564, 440, 270),
    "laptop": ("1366", 732, 610, 300),
    "wide": ("1920", 1012, 860, 620),
}

_FOCUS = OKABE_ITO["black"]
_CSS = f"""
<style>
.s400-explorer {{ font-size: 15px; line-height: 1.25; }}
.s400-explorer.s400-presenter, .s400-explorer.s400-presenter .widget-label,
.s400-explorer.s400-presenter .widget-readout, .s400-explorer.s400-presenter select,
.s400-explorer.s400-presenter input, .s400-explorer.s400-presenter button,
.s400-explorer.s400-presenter .lm-TabBar-tabLabel, .s400-explorer.s400-presenter .widget-html-content,
.s400-explorer.s400-presenter .lm-AccordionPanel-title,
.s400-explorer.s400-presenter table, .s400-explorer.s400-presenter summary
  {{ font-size: 18px !important; }}
.s400-explorer .widget-label, .s400-explorer .widget-readout {{ color: #111; }}
.s400-explorer .s400-ctl.widget-inline-hbox {{ flex-wrap: wrap; height: auto; }}
.s400-explorer .s400-ctl > .widget-label {{ width: 100% !important; max-width: 100% !important;
  text-align: left !important; line-height: 1.25; height: auto; white-space: normal; }}
.s400-explorer :focus-visible, .s400-explorer .noUi-handle:focus,
.s400-explorer button:focus, .s400-explorer select:focus, .s400-explorer input:focus,
.s400-explorer .lm-TabBar-tab:focus, .s400-explorer summary:focus
  {{ outline: 3px solid {_FOCUS} !important; outline-offset: 2px; box-shadow: 0 0 0 5px #fff; }}
.s400-explorer .s400-pane {{ overflow-y: auto; overflow-x: hidden; }}
.s400-explorer .lm-TabBar {{ flex: 0 0 auto !important; height: auto !important;
  min-height: 26px !important; }}
.s400-explorer .lm-TabBar-content {{ flex-wrap: wrap !important; height: auto !important; }}
.s400-explorer .lm-TabBar-tab {{ flex: 0 0 auto !important; min-width: 0 !important;
  max-width: none !important; padding: 0 4px !important; }}
.s400-explorer .lm-TabBar-tabLabel {{ overflow: visible !important; text-overflow: clip !important; }}
.s400-explorer .lm-TabBar-tab:not(.lm-mod-current),
.s400-explorer .lm-TabBar-tab:not(.lm-mod-current) .lm-TabBar-tabLabel {{ color: #555 !important; }}
.s400-explorer .s400-header {{ gap: 4px 10px; }}
.s400-explorer .s400-header .widget-label {{ width: auto !important; }}
.s400-explorer .widget-checkbox label, .s400-explorer .widget-checkbox span
  {{ font-size: inherit; }}
.s400-explorer.s400-presenter .widget-checkbox, .s400-explorer.s400-presenter .widget-checkbox *,
.s400-explorer.s400-presenter .widget-dropdown *, .s400-explorer.s400-presenter .widget-text *
  {{ font-size: 18px !important; }}
.s400-explorer .widget-dropdown, .s400-explorer .widget-text, .s400-explorer .widget-checkbox,
.s400-explorer .widget-button, .s400-explorer .widget-slider {{ height: auto; min-height: 30px; }}
.s400-explorer .widget-dropdown select {{ height: 32px; }}
.s400-explorer details summary {{ cursor: pointer; }}
.s400-explorer .s400-ctl input[type=number] {{ flex: 0 0 140px; max-width: 140px; }}
.s400-explorer .s400-ctl select {{ flex: 1 1 auto; min-width: 0; max-width: 100%; }}
.s400-explorer .s400-pane > .widget-tab {{ width: 100%; }}
.s400-explorer table.s400-outcomes {{ border-collapse: collapse; width: 100%; }}
.s400-explorer table.s400-outcomes th, .s400-explorer table.s400-outcomes td
  {{ padding: 2px 5px; border-bottom: 1px solid #ccc; text-align: right; vertical-align: top; }}
.s400-explorer table.s400-outcomes th:first-child, .s400-explorer table.s400-outcomes td:first-child
  {{ text-align: left; }}
.s400-explorer table.s400-outcomes td.u {{ text-align: left; color: #333; white-space: nowrap; }}
.s400-explorer table.s400-outcomes td.v, .s400-explorer table.s400-outcomes td.b,
.s400-explorer table.s400-outcomes td.d, .s400-explorer table.s400-outcomes td.p
  {{ white-space: nowrap; }}
.s400-explorer .s400-verdict {{ padding: 4px 8px; border-left: 6px solid; }}
.s400-explorer .s400-verdict.not-met {{ border-color: {OKABE_ITO["vermillion"]}; }}
.s400-explorer .s400-verdict.met {{ border-color: {OKABE_ITO["bluish_green"]}; }}
.s400-explorer .s400-msg.error {{ color: #a33100; font-weight: 600; }}
.s400-explorer .s400-msg.ok {{ color: #00573f; }}
.s400-explorer .s400-effect.dead {{ color: #a33100; }}
.s400-explorer .s400-help td {{ vertical-align: top; padding: 2px 6px; }}
.s400-explorer .s400-small {{ color: #333; }}
.s400-explorer a.s400-download {{ color: #0050a0; font-weight: 600; }}
.s400-explorer .s400-figwrap {{ margin: 0 0 4px 0 !important; padding: 0; }}
.s400-explorer .s400-figwrap .widget-html-content {{ position: relative; width: 100%;
  height: 100%; line-height: 1.1; padding: 0; margin: 0; }}
.s400-explorer img.s400-img {{ display: block; max-width: none; }}
.s400-explorer .s400-ann {{ position: absolute; white-space: nowrap; font-size: 18px;
  background: rgba(255,255,255,0.85); padding: 0 3px; color: #111; }}
.s400-explorer .s400-ann.left.middle {{ transform: translate(0, -50%); }}
.s400-explorer .s400-ann.right.middle {{ transform: translate(-100%, -50%); }}
.s400-explorer .s400-ann.right.top {{ transform: translate(-100%, 0); }}
.s400-explorer .s400-ann.bad {{ color: #a33100; font-weight: 600; }}
.s400-explorer .s400-ann.good {{ color: #00573f; font-weight: 600; }}
.s400-explorer .s400-ann.date {{ font-weight: 600; }}
</style>
"""


# --------------------------------------------------------------------------- formatting


def _is_missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


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


def visible_parameters(register) -> list[Parameter]:
    """Register rows the explorer shows: everything except model devices (kind ``device``,
    or a name starting with ``u_block`` - the uniform draws behind a congressional block)."""
    return [p for p in register if p.kind != "device" and not p.name.startswith("u_block")]


def _tooltip(p: Parameter) -> str:
    """Plain-text help for a control: description, range, rationale, sources."""
    parts = [p.description]
    if p.type in ("float", "int"):
        parts.append(f"Range {p.low:g} to {p.high:g} {p.unit} (central {p.central:g}).")
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


def _label(p: Parameter) -> str:
    unit = p.unit.strip()
    if not unit or unit.lower() in p.label.lower() or unit.split()[0].lower() in p.label.lower():
        return p.label
    return f"{p.label} ({unit})"


def _control(p: Parameter, drawn: bool = False) -> widgets.Widget:
    """The input widget for one register row (value = the register default); its
    description is the label with the unit, so every control has an accessible name.
    ``drawn``: a switch the ensemble draws per draw gets a first choice :data:`DRAWN`
    (the default; the central run uses the register default), and each course is held."""
    common = dict(
        description=_label(p),
        tooltip=_tooltip(p),
        layout=widgets.Layout(width="94%"),
        style={"description_width": "initial"},
    )
    if p.type == "choice" and drawn:
        options = [(f"drawn by the weights (central run: {p.default.replace('_', ' ')})", DRAWN)]
        options += [(f"{c.replace('_', ' ')} in every draw", c) for c in p.choices]
        w = widgets.Dropdown(options=options, value=DRAWN, **common)
    elif p.type == "choice":
        w = widgets.Dropdown(options=[(c.replace("_", " "), c) for c in p.choices], value=p.default, **common)
    elif p.type == "bool":
        w = widgets.Checkbox(value=bool(p.default), indent=False, **common)
    elif p.type == "int":
        # A labelled number box (ArrowUp/ArrowDown = one step), not an ipywidgets slider:
        # a slider's handle carries no accessible name and ipywidgets offers no way to give it
        # one, so screen readers announced 26 unnamed "slider"s. Not a Bounded*Text: those
        # clamp a typed 30 to the maximum silently; the explorer refuses it instead, beside the
        # control, naming the range (issue 23).
        w = widgets.IntText(step=max(1, int(p.step)), value=int(p.default), continuous_update=True, **common)
    else:
        w = widgets.FloatText(step=p.step, value=float(p.default), continuous_update=True, **common)
    w.add_class("s400-ctl")
    return w


def _help_table(params: list[Parameter]) -> str:
    rows = []
    for p in params:
        rng = (
            f"{p.low:g} to {p.high:g} {html.escape(p.unit)}"
            if p.type in ("float", "int")
            else html.escape(", ".join(c.replace("_", " ") for c in p.choices))
        )
        rows.append(
            f"<tr><td><b>{html.escape(p.label)}</b><br><i>{rng}</i></td>"
            f"<td>{html.escape(p.description)}<br><i>Why:</i> {html.escape(p.rationale)}"
            f"<br><i>Sources:</i> {html.escape(', '.join(p.source_ids) or 'none (assumption)')}"
            f"</td></tr>"
        )
    return f"<table class='s400-help'>{''.join(rows)}</table>"


def _figure_html(name: str, png: bytes, size: tuple[int, int], labels: list[dict]) -> str:
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


def _short_verdict(text: str) -> str:
    """First sentence of the verdict (up to the first ': ' or '. ')."""
    m = re.match(r"(.+?[.:])(\s|$)", text)
    return (m.group(1) if m else text).rstrip(":.")


# --------------------------------------------------------------------------- the explorer


class ScenarioExplorer(widgets.VBox):
    """Interactive scenario explorer (ipywidgets), for JupyterLab and Voila.

    Parameters
    ----------
    preset : str
        Preset to start from (``scenario_id`` of ``data/scenarios.csv``).
    compare : bool
        Start with the comparison with the status quo on.
    save_dir : str or Path
        Folder where scenario files are saved to and loaded from (file names only, no paths,
        so a dashboard user cannot write elsewhere). Default: the current folder.
    dpi : int
        Resolution of the figures (72: a font point is a pixel).
    screen : {"compact", "laptop", "wide"}
        Starting layout (see :data:`SCREENS`); a dropdown changes it.
    presenter : bool
        Presenter mode: text at least 18 px.
    n_draws, seed : int
        Size and seed of the live ensemble.

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        One input per visible register parameter.
    recomputes, baseline_recomputes, n_redraws : int
        Model runs of the scenario, of the baseline, and refresh passes.
    last_error : str or None
        The last error shown in the panel.
    """

    def __init__(
        self,
        preset: str = BASELINE_ID,
        compare: bool = True,
        save_dir: str | Path = ".",
        dpi: int = 72,
        screen: str = "compact",
        presenter: bool = True,
        n_draws: int = 1000,
        seed: int = 1,
    ) -> None:
        self.register = load_register()
        self.presets = presets()
        if preset not in self.presets:
            raise ValueError(f"unknown preset {preset!r}; presets: {', '.join(self.presets)}")
        if screen not in SCREENS:
            raise ValueError(f"screen must be one of {', '.join(SCREENS)}, got {screen!r}")
        self.save_dir = Path(save_dir)
        self.dpi = dpi
        self.recomputes = 0
        self.baseline_recomputes = 0
        self.n_redraws = 0
        self.last_error: str | None = None
        self.last_effects: list = []
        self._effects_from: Any = None  # the LiveRun before the last change, until compared
        self.busy = False
        self._live_engine = LiveEnsemble(n=n_draws, seed=seed)
        self._base_engine = LiveEnsemble(n=n_draws, seed=seed)
        self._live: Any = None  # a LiveRun after the first refresh
        self._base_live: Any = None
        self._baseline_key: tuple | None = None
        self._baselines: dict[tuple, Any] = {}
        self._last_changed: list[str] = []
        self._lever_names = set(self.register.levers)
        self._status_quo = self.presets[BASELINE_ID]
        self._params = visible_parameters(self.register)
        from s400lab.model.sampling import drawn_switches

        self._switches = set(drawn_switches(self.register))
        self._held_switches: set[str] = set()  # drawn switches the user holds in every draw

        start = self.presets[preset]
        self._values: dict[str, Any] = dict(start.values)
        self._preset_id = preset
        self._scenario = start
        self._figure: Any = None  # an ExplorerFigure once started
        self._started = False
        self._build_controls()
        self._build_layout(preset, compare, screen, presenter)
        with self._held():
            self._apply_to_controls(self._values)
        self._start_soon()

    # ------------------------------------------------------------------ starting
    def _start_soon(self) -> None:
        """Draw the views now, or -- in a kernel (an event loop is running) -- just after the
        cell has run, so the controls show first: the first run imports matplotlib and scipy
        and samples the draws (~2 s on a fresh dashboard kernel). It runs in steps, each
        letting the kernel answer the page in between. Anything that needs the results
        (:attr:`result`, :attr:`figure`, a control change...) starts it at once."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._start()
            return
        for box in self.overlays.values():
            box.value = "<span class='s400-small'>Drawing the view...</span>"

        def warm() -> None:  # the draws (imports scipy), then the figures (matplotlib)
            if self._started:
                return
            with contextlib.suppress(Exception):  # the first refresh meets it again, shows it
                self._live_engine.draws(self._make_scenario())
            loop.call_later(0.01, self._start)

        loop.call_later(0.05, warm)

    def _start(self) -> None:
        """Build the views and run the first refresh (once)."""
        if self._started:
            return
        self._started = True
        try:
            self._new_figure(self.screen.value)
        except Exception as exc:  # shown in the panel, never a silent dead widget
            self.last_error = f"{type(exc).__name__}: {exc}"
            self._say(f"could not draw the views ({self.last_error})", error=True)
            return
        self._refresh(recompute=True)

    def _new_figure(self, screen: str) -> None:
        from s400lab.plots.explorer import ExplorerFigure  # matplotlib: only when drawn

        t0, t1 = self._horizon()
        self._figure = ExplorerFigure(t0, t1, dpi=self.dpi, layout=screen)
        self._size_images()
        for name in self.png:
            self.png[name] = b""

    @property
    def figure(self):
        """The three views (:class:`s400lab.plots.explorer.ExplorerFigure`)."""
        self._start()
        return self._figure

    # ------------------------------------------------------------------ building
    def _build_controls(self) -> None:
        self.controls: dict[str, widgets.Widget] = {}
        #: One note under each control, shown only while a value typed there is refused.
        self.notes: dict[str, widgets.HTML] = {}
        for p in self._params:
            w = _control(p, drawn=p.name in self._switches)
            w.add_class(f"s400-ctl-{p.name}")  # stable hooks for browser tests
            w.observe(self._make_observer(p.name), names="value")
            self.controls[p.name] = w
            note = widgets.HTML("", layout=widgets.Layout(display="none"))
            note.add_class("s400-refused")
            self.notes[p.name] = note
        # the bargaining range, shown right under the compensation share and updated live
        self.bargain_box = widgets.HTML()
        self.bargain_box.add_class("s400-bargain")

    def _make_observer(self, name: str):
        def on_change(change: dict) -> None:
            if self.busy:  # a batch of values already validated (preset, file, set_values)
                self._values[name] = self._model_value(name, change["new"])
                return
            why = self._refusal({name: change["new"]})
            if why is not None:  # nothing changes: the control goes back, the note says why
                with self._held():
                    self.controls[name].value = change["old"]
                self._show_note(name, why)
                return
            self._show_note(name, None)
            self._values[name] = self._model_value(name, change["new"])
            self._last_changed = [name]
            self._refresh(recompute=True)

        return on_change

    def _refusal(self, shown: Mapping[str, Any]) -> str | None:
        """Why the model refuses the controls' values ``shown`` with the others as they are
        (None if it takes them). Changes nothing: no held switch, no value."""
        model = {}
        for name, value in shown.items():
            if name in self._switches and isinstance(value, str) and value == DRAWN:
                model[name] = self.register[name].default
            else:
                model[name] = value
        try:
            for name, value in model.items():
                if name in self.register:
                    self.register[name].validate(value)
            preset = self.presets[self._preset_id]
            values = {**self._values, **model}
            preset.with_changes(**{k: v for k, v in values.items() if preset.values.get(k) != v})
        except (ValueError, TypeError) as exc:
            return str(exc)
        return None

    def _show_note(self, name: str, why: str | None) -> None:
        """Show (or clear) the refusal under control ``name``: what was refused and the range."""
        note = self.notes[name]
        if why is None:
            if note.layout.display != "none":
                note.value, note.layout.display = "", "none"
            return
        p = self.register[name]
        if p.type in ("int", "float") and not p.choices:
            allowed = f"allowed: between {p.low:g} and {p.high:g} {html.escape(p.unit)}".rstrip()
        else:
            allowed = f"allowed: {html.escape(p.allowed())}"
        note.value = (
            f"<div class='s400-msg error' role='alert'>Not taken: {html.escape(excerpt(why, 200))} "
            f"({allowed}); the value is unchanged.</div>"
        )
        note.layout.display = ""

    def _group_tab(self, params: list[Parameter]) -> widgets.Widget:
        children: list[widgets.Widget] = []
        for kind in ("lever", "uncertainty", "setting"):
            ps = [p for p in params if p.kind == kind]
            if ps:
                children.append(widgets.HTML(f"<b>{KIND_TITLES[kind]}</b>"))
                for p in ps:
                    children.extend([self.controls[p.name], self.notes[p.name]])
                    if p.name == "compensation_share":
                        children.append(self.bargain_box)
        about = widgets.HTML(
            "<details><summary>About these values (descriptions, ranges, sources)</summary>"
            f"{_help_table(params)}</details>"
        )
        children.append(about)
        return widgets.VBox(children)

    def _build_layout(self, preset: str, compare: bool, screen: str, presenter: bool) -> None:
        """Build every widget and lay them out: header, views on the left, verdict and
        controls on the right (widths from :data:`SCREENS`)."""
        header = self._build_header(preset, compare, screen, presenter)
        self._build_tabs()
        self._build_outputs()
        files = self._build_files()
        self.pane = widgets.Box([self.tabs])
        self.pane.add_class("s400-pane")
        self.left = widgets.VBox([self.figure_boxes[k] for k in FIGURE_TITLES])
        self.left.add_class("s400-figures")
        self.right = widgets.VBox([self.verdict, self.scenario_line, self.effect, self.pane, files])
        self.right.add_class("s400-controls")
        super().__init__(
            [
                widgets.HTML(_CSS),
                header,
                widgets.HBox(
                    [self.left, self.right],
                    layout=widgets.Layout(flex_flow="row nowrap", align_items="flex-start"),
                ),
            ]
        )
        self.add_class("s400-explorer")
        if presenter:
            self.add_class("s400-presenter")
        self._apply_screen(screen)

    def _build_header(self, preset: str, compare: bool, screen: str, presenter: bool) -> widgets.HBox:
        """The top row: preset, compare toggle, reset, screen and large-text switches."""
        options = [(sc.label, sid) for sid, sc in self.presets.items()]
        self.preset_select = widgets.Dropdown(
            options=options,
            value=preset,
            description="Preset",
            layout=widgets.Layout(width="330px"),
            tooltip="Load a preset scenario (all values)",
        )
        self.preset_select.observe(self._on_preset, names="value")
        self.preset_select.add_class("s400-preset")
        self.compare = widgets.Checkbox(
            value=compare,
            description="Compare with status quo",
            indent=False,
            layout=widgets.Layout(width="auto"),
            tooltip="Overlay the status quo (Turkiye keeps its S-400s) under the same assumptions",
        )
        self.compare.add_class("s400-compare")
        self.compare.observe(lambda _c: self._refresh(recompute=False), names="value")
        self.reset_button = widgets.Button(
            description="Reset",
            tooltip="Back to the register defaults (status quo)",
            layout=widgets.Layout(width="auto"),
        )
        self.reset_button.on_click(lambda _b: self.reset())
        self.screen = widgets.Dropdown(
            options=[(v[0], k) for k, v in SCREENS.items()],
            value=screen,
            description="Screen",
            layout=widgets.Layout(width="200px"),
            tooltip="Layout for the display in use",
        )
        self.screen.observe(self._on_screen, names="value")
        self.screen.add_class("s400-screen")
        self.presenter = widgets.Checkbox(
            value=presenter,
            description="Large text",
            indent=False,
            layout=widgets.Layout(width="auto"),
            tooltip="Presenter mode: all text at least 18 px",
        )
        self.presenter.observe(self._on_presenter, names="value")
        self.show_all = widgets.Checkbox(
            value=False, description="all outcomes", indent=False, layout=widgets.Layout(width="auto")
        )
        self.show_all.observe(lambda _c: self._refresh(recompute=False), names="value")

        header = widgets.HBox(
            [self.preset_select, self.compare, self.reset_button, self.screen, self.presenter],
            layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
        )
        header.add_class("s400-header")
        return header

    def _build_tabs(self) -> None:
        """One tab of number boxes per parameter group, then the outcomes table."""
        self.table = widgets.HTML()
        self.table.add_class("s400-table")
        tabs, titles = [], []
        for group in GROUPS:
            params = [p for p in self._params if p.group == group]
            if params:
                tabs.append(self._group_tab(params))
                titles.append(TAB_TITLES.get(group, group))
        tabs.append(widgets.VBox([self.show_all, self.table]))
        titles.append("Outcomes")
        self.tabs = widgets.Tab(tabs)
        for i, t in enumerate(titles):
            self.tabs.set_title(i, t)
        self.tabs.selected_index = 0
        self._outcomes_tab = len(tabs) - 1
        self._table_stale = True
        self.tabs.observe(self._on_tab, names="selected_index")

    def _build_outputs(self) -> None:
        """Verdict, scenario line, last-change line, status, download link and the three views."""
        self.scenario_line = widgets.HTML()
        self.scenario_line.add_class("s400-scenario-line")
        self.verdict = widgets.HTML()
        self.verdict.add_class("s400-verdict-box")
        self.effect = widgets.HTML()
        self.effect.add_class("s400-effect-box")
        self.message = widgets.HTML()
        self.message.add_class("s400-status")
        self.download = widgets.HTML()
        self.download.add_class("s400-download-box")
        # Each view is one HTML widget: the PNG (an <img> with alternative text, shown at its
        # pixel size) and the text drawn over it (dates with chances, notes), replaced together
        # in one message. (ipywidgets' Image cannot carry alternative text.)
        self.png: dict[str, bytes] = {name: b"" for name in FIGURE_TITLES}
        self.overlays = {name: widgets.HTML() for name in FIGURE_TITLES}
        self.figure_boxes = {}
        for name, box in self.overlays.items():
            box.add_class("s400-figwrap")
            box.add_class(f"s400-overlay-{name}")
            self.figure_boxes[name] = box

    def _build_files(self) -> widgets.VBox:
        """Name, file name, Save / Load / Export brief, with the status right beside them."""
        self.file_name = widgets.Text(
            value="my_scenario.json",
            description="File",
            layout=widgets.Layout(width="48%"),
            tooltip="File name in the scenario folder (.json)",
        )
        self.scenario_name = widgets.Text(
            value="",
            description="Name",
            placeholder="optional",
            layout=widgets.Layout(width="48%"),
            tooltip="Name of this scenario (shown in the brief)",
        )
        self.overwrite = widgets.Checkbox(
            value=False, description="overwrite", indent=False, layout=widgets.Layout(width="auto")
        )
        self.save_button = widgets.Button(
            description="Save",
            icon="save",
            tooltip="Save all values to the JSON file",
            layout=widgets.Layout(width="auto"),
        )
        self.load_button = widgets.Button(
            description="Load",
            icon="folder-open",
            tooltip="Load a scenario JSON file (validated)",
            layout=widgets.Layout(width="auto"),
        )
        self.brief_button = widgets.Button(
            description="Export brief",
            icon="file-text",
            layout=widgets.Layout(width="auto"),
            tooltip="The two-page HTML brief (choices, assumptions with sources, outcomes "
            "against the status quo, uncertainty ranges), offered as a download",
        )
        self.file_name.add_class("s400-file-name")
        self.scenario_name.add_class("s400-scenario-name")
        self.save_button.on_click(lambda _b: self.save())
        self.load_button.on_click(lambda _b: self.load())
        self.brief_button.on_click(lambda _b: self.export_brief())
        row = widgets.Layout(flex_flow="row wrap", align_items="center", width="100%")
        files = widgets.VBox(
            [
                widgets.HBox([self.scenario_name, self.file_name], layout=row),
                widgets.HBox(
                    [self.save_button, self.load_button, self.brief_button, self.overwrite], layout=row
                ),
                widgets.HBox([self.message, self.download], layout=row),
            ]
        )
        files.add_class("s400-files")
        return files

    def _apply_screen(self, screen: str) -> None:
        _label, left_w, right_w, pane_h = SCREENS[screen]
        self.left.layout.width = f"{left_w}px"
        self.left.layout.min_width = f"{left_w}px"
        self.right.layout.width = f"{right_w}px"
        self.pane.layout.height = f"{pane_h}px"
        self.pane.layout.width = "100%"

    def _size_images(self) -> None:
        """Reserve every view's pixel size (the PNG is shown at exactly that size: crisp)."""
        for name, box in self.figure_boxes.items():
            w, h = self._figure.panels[name].size_px
            box.layout.width = f"{w}px"
            box.layout.height = f"{h}px"
            box.layout.min_width = f"{w}px"

    def _on_screen(self, change: dict) -> None:
        screen = change["new"]
        self._apply_screen(screen)
        if self._started:
            self._new_figure(screen)
            self._refresh(recompute=False)

    def _on_tab(self, change: dict) -> None:
        if change["new"] == self._outcomes_tab and self._table_stale and self._live is not None:
            self.table.value = self._table_html()
            self._table_stale = False

    def show_outcomes(self) -> None:
        """Open the Outcomes tab (its table is rendered only while it is shown)."""
        self.tabs.selected_index = self._outcomes_tab

    def _on_presenter(self, change: dict) -> None:
        if change["new"]:
            self.add_class("s400-presenter")
        else:
            self.remove_class("s400-presenter")

    # ------------------------------------------------------------------ public API
    @property
    def scenario(self) -> Scenario:
        """The scenario the controls describe (validated by the model)."""
        return self._scenario

    @property
    def result(self):
        """The model :class:`~s400lab.model.Result` of :attr:`scenario` (central run)."""
        self._start()
        return self._live.result

    @property
    def live(self):
        """The :class:`~s400lab.analysis.live.LiveRun` of the scenario (central + ensemble)."""
        self._start()
        return self._live

    @property
    def baseline_result(self):
        """The model result of the status quo under the current assumptions and settings."""
        self._start()
        return self._base_live.result

    @property
    def preset_id(self) -> str:
        """The preset the current values started from."""
        return self._preset_id

    @property
    def edited(self) -> list[str]:
        """Names of the values that depart from the selected preset."""
        preset = self.presets[self._preset_id]
        return [k for k, v in self._scenario.values.items() if preset.values.get(k) != v]

    @property
    def outcomes_frame(self) -> pd.DataFrame:
        """The outcomes table as shown: value, baseline, difference (numbers) and the texts."""
        self._start()
        return self._outcomes_frame(all_outcomes=True)

    def set_values(self, **values: Any) -> None:
        """Set several controls at once: one model run and one redraw.

        Raises
        ------
        ValueError
            From the model's validation (unknown parameter, value out of range); nothing is
            changed then.
        """
        if not values:
            return
        hidden = [k for k in values if k not in self.controls]
        if hidden:
            raise ValueError(
                f"{', '.join(hidden)}: not a control of the explorer (model devices are not set by hand)"
            )
        # a drawn switch may also be set to DRAWN (the model sees its default); checked with
        # no side effect, so a refused value leaves nothing behind (issue 23)
        why = self._refusal(values)
        if why is not None:
            raise ValueError(why)
        with self._held():
            self._apply_to_controls(values, hold=True)
        self._last_changed = list(values)
        self._refresh(recompute=True)

    def reset(self) -> None:
        """Back to the register defaults (the status quo); one run and one redraw."""
        with self._held():
            self.preset_select.value = BASELINE_ID
            self._preset_id = BASELINE_ID
            self._apply_to_controls(self._visible(self.register.defaults()))
        self._last_changed = []
        self._refresh(recompute=True)
        self._say("Reset to the register defaults (status quo).")

    def load_preset(self, scenario_id: str) -> None:
        """Select a preset (same as choosing it in the dropdown)."""
        self.preset_select.value = scenario_id

    def scenario_document(self) -> dict[str, Any]:
        """The scenario file's content for the current values (name, preset, values)."""
        from s400lab.model.scenario_io import scenario_to_dict

        return scenario_to_dict(self._scenario, name=self.scenario_name.value.strip(), preset=self._preset_id)

    def save(self) -> Path | None:
        """Save the current scenario to :attr:`file_name` in ``save_dir``; report beside the
        buttons and offer the file as a download."""
        from s400lab.model.scenario_io import save_scenario

        try:
            path = self._file_path()
            save_scenario(
                self._scenario,
                path,
                name=self.scenario_name.value.strip(),
                overwrite=self.overwrite.value,
                preset=self._preset_id,
            )
            self._offer(path.read_bytes(), path.name, "application/json", "Download the file")
        except (ValueError, OSError) as exc:  # InputError is a ValueError: one line, no traceback
            self._say(f"Not saved: {exc}", error=True)
            return None
        self._say(f"Saved to {path.name} in the scenario folder.")
        return path

    def brief_html(self) -> str:
        """The two-page brief of what the explorer shows: the same scenario, draws, seed and
        held switches as the live ensemble, the preset it was edited from, the typed name."""
        from s400lab.reporting.brief import brief_from_state

        return brief_from_state(
            self._scenario,
            n_draws=self._live_engine.n,
            seed=self._live_engine.seed,
            held=self.held,
            preset=self._preset_id,
            name=self.scenario_name.value.strip(),
        )

    def export_brief(self) -> Path | None:
        """Make the two-page HTML brief of the current scenario: offered as a download in the
        browser, and written next to the scenario file (replaced only when *overwrite* is
        ticked). Reports beside the buttons."""
        self._say("Writing the brief (runs an ensemble)...")
        try:
            path = self._file_path().with_suffix(".html")
            text = self.brief_html()
        except (ValueError, KeyError, OSError) as exc:
            self._say(f"Brief not made: {exc}", error=True)
            return None
        self._offer(text.encode("utf-8"), path.name, "text/html", "Download the brief")
        if path.exists() and not self.overwrite.value:
            self._say(
                f"{path.name} already exists in the scenario folder; not overwritten "
                "(tick overwrite). The brief is offered as a download.",
                error=True,
            )
            return None
        try:
            from s400lab._files import write_new_file

            write_new_file(
                path,
                lambda fh: fh.write(text),
                overwrite=self.overwrite.value,
                hint="tick overwrite to replace it",
            )
        except (ValueError, OSError) as exc:
            self._say(f"Brief not written to the folder: {exc}", error=True)
            return None
        self._say(f"Brief ready: {path.name} (download it, open it in a browser, print A4/Letter).")
        return path

    def load(self) -> bool:
        """Load :attr:`file_name` from ``save_dir``; on any problem nothing changes."""
        from s400lab.model.scenario_io import load_scenario

        try:
            path = self._file_path()
            loaded = load_scenario(path)  # only a regular file under the size limit is read
        except (ValueError, OSError) as exc:  # InputError is a ValueError: one line, no traceback
            self._say(f"Not loaded: {exc}", error=True)
            return False
        with self._held():
            preset = loaded.preset if loaded.preset in self.presets else BASELINE_ID
            self.preset_select.value = preset
            self._preset_id = preset
            self._apply_to_controls(self._visible(loaded.scenario.values))
            self.scenario_name.value = loaded.name
        self._last_changed = []
        self._refresh(recompute=True)
        if self.last_error is None:
            self._say(f"Loaded {loaded.name or path.name!r} from {path.name}.")
        return self.last_error is None

    # ------------------------------------------------------------------ internals
    def _visible(self, values: Mapping[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in values.items() if k in self.controls}

    @contextlib.contextmanager
    def _held(self):
        """Suspend the refresh while many controls change (and batch the sync messages)."""
        old, self.busy = self.busy, True
        try:
            with contextlib.ExitStack() as stack:
                for w in self.controls.values():
                    stack.enter_context(w.hold_sync())
                yield
        finally:
            self.busy = old

    def _apply_to_controls(self, values: dict[str, Any], hold: bool = False) -> None:
        """Set controls to model values. A drawn switch at its register default shows
        :data:`DRAWN` (a preset or file does not hold it) unless ``hold`` (set by hand)."""
        for name, value in values.items():
            if name not in self.controls:
                self._values[name] = value
                continue
            w = self.controls[name]
            shown = value
            if name in self._switches and not hold and value == self.register[name].default:
                shown = DRAWN
            if w.value != shown:
                w.value = shown
            self._values[name] = self._model_value(name, shown)

    def _model_value(self, name: str, shown: Any) -> Any:
        """The model value of a control's value; records whether a drawn switch is held."""
        if name not in self._switches:
            return shown
        if shown == DRAWN:
            self._held_switches.discard(name)
            return self.register[name].default
        self._held_switches.add(name)
        return shown

    @property
    def held(self) -> tuple[str, ...]:
        """Drawn switches (``war_course``) held at their value in every draw of the ensemble;
        the others are drawn by their weights."""
        return tuple(sorted(self._held_switches))

    def _on_preset(self, change: dict) -> None:
        if self.busy:
            return
        sc = self.presets[change["new"]]
        self._preset_id = change["new"]
        with self._held():
            self._values.update(sc.values)
            self._apply_to_controls(self._visible(sc.values))
        self._last_changed = []
        self._refresh(recompute=True)
        self._say(f"Preset loaded: {sc.label}.")

    def _file_name_or_default(self) -> str:
        name = self.file_name.value.strip() or "scenario.json"
        return name if name.lower().endswith(".json") else name + ".json"

    def _file_path(self) -> Path:
        name = self.file_name.value.strip()
        if not name:
            raise ValueError("type a file name first")
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 _.()-]{0,100}", name) or ".." in name:
            raise ValueError(
                f"{excerpt(name)}: use a plain file name (letters, digits, space, _ . - ( )), no folders"
            )
        if not name.lower().endswith(".json"):
            name += ".json"
        return self.save_dir / name

    def _offer(self, data: bytes, filename: str, mime: str, text: str) -> None:
        """A link that saves ``data`` in the user's browser (works in Voila and JupyterLab)."""
        b64 = base64.b64encode(data).decode("ascii")
        self.download.value = (
            f"<a class='s400-download' download='{html.escape(filename, quote=True)}' "
            f"href='data:{mime};base64,{b64}'>{html.escape(text)}: "
            f"{html.escape(filename)}</a>"
        )

    def _say(self, text: str, error: bool = False) -> None:
        cls = "error" if error else "ok"
        prefix = "Error: " if error else ""
        self.message.value = (
            f"<div class='s400-msg {cls}' role='status' aria-live='polite'>{html.escape(prefix + text)}</div>"
        )

    def _horizon(self) -> tuple[float, float]:
        t0 = float(self._values["start_year"])
        return t0, t0 + int(self._values["horizon_quarters"]) / 4

    def _baseline_values(self) -> dict[str, Any]:
        """Status quo levers + the current assumptions and settings."""
        vals = dict(self._values)
        for name in self._lever_names:
            vals[name] = self._status_quo.values[name]
        return vals

    def _make_scenario(self) -> Scenario:
        """The preset with the values that depart from it: its label ends in "(changed)"
        once edited, as the command line names the same scenario."""
        preset = self.presets[self._preset_id]
        diff = {k: v for k, v in self._values.items() if preset.values.get(k) != v}
        return preset.with_changes(**diff) if diff else preset

    def _refresh(self, recompute: bool) -> None:
        """Recompute (optional) and redraw everything; errors go to the panel."""
        if not self._started:
            self._start()  # its first refresh runs on the current values
            return
        try:
            if recompute:
                before = self._live
                scenario = self._make_scenario()
                central = run(scenario)
                held = self.held
                self._live = self._live_engine.run(scenario, central=central, held=held)
                self._scenario = scenario
                self.recomputes += 1
                settings = sorted((k, v) for k, v in self._values.items() if k not in self._lever_names)
                key: tuple = (*settings, held)
                if key != self._baseline_key:
                    self._base_live = self._baseline_run(key, held)
                    self._baseline_key = key
                # what the change moved is worked out after the views are sent (_redraw)
                self._effects_from = before if before is not None and self._last_changed else None
                self.last_effects = []
            self._redraw()
            self.n_redraws += 1
            if self.last_error is not None:
                self.last_error = None
                self.message.value = ""
        except Exception as exc:  # shown in the panel, never a silent dead widget
            self.last_error = f"{type(exc).__name__}: {exc}"
            self._say(f"could not update the results ({self.last_error})", error=True)

    #: Status-quo runs kept, one per assumption and setting values (a preset chosen again
    #: finds its baseline).
    BASELINES_KEPT = 8

    def _baseline_run(self, key: tuple, held: tuple[str, ...]):
        """The status quo's LiveRun under the current assumptions and settings (cached)."""
        cached = self._baselines.pop(key, None)
        if cached is None:
            base = Scenario.default().with_changes(**self._baseline_values())
            cached = self._base_engine.run(base, central=run(base), held=held)
            self.baseline_recomputes += 1
        self._baselines[key] = cached
        while len(self._baselines) > self.BASELINES_KEPT:
            self._baselines.pop(next(iter(self._baselines)))
        return cached

    def _effect_outcomes(self) -> list[str]:
        out = self._live.result.raw_outcomes
        return [k for k in KEY_OUTCOMES if k in out]

    def _redraw(self) -> None:
        live, base = self._live, self._base_live
        res = live.result
        compare = self.compare.value
        t0, t1 = self._horizon()
        self.figure.set_horizon(t0, t1)
        ro, bo = res.raw_outcomes, base.result.raw_outcomes
        stock = np.asarray(res.raw_series["ru_stock"], dtype=float)
        t = t0 + 0.25 * np.arange(stock.size)
        diff_band = live.difference_band(base, "ru_stock") if compare and "ru_stock" in base.series else None
        from s400lab.plots.explorer.labels import refusal_text  # matplotlib is loaded by now

        changed = {
            "stock": self.figure.stock.update(
                t,
                stock,
                np.full(stock.size, float(self._values["home_requirement_bn"])),
                baseline=np.asarray(base.result.raw_series["ru_stock"], dtype=float) if compare else None,
                band=live.band("ru_stock"),
                diff_band=diff_band,
                refused=refusal_text(ro, self._ask()),
            ),
            "india": self.figure.india.update(
                self._india_labels(ro),
                [self._values["india_promise_sq4"], self._values["india_promise_sq5"]],
                [ro["india_sq4_q"], ro["india_sq5_q"]],
                baseline=[bo["india_sq4_q"], bo["india_sq5_q"]] if compare else None,
                chances=[live.chance(k) for k in INDIA_DATES],
                returned=ro.get("returned_india_q", float("nan"))
                if self._values.get("ru_use_returned") == "india"
                else float("nan"),
            ),
            # the US track told straight: each milestone at the median of the draws that
            # reach it, with the chance of reaching it (the single run's dates are the modes
            # of the durations and never blocked: "if not blocked" in the outcomes table)
            "track": self.figure.track.update(
                list(MILESTONES.values()),
                [live.median(k) for k in MILESTONES],
                note=self._track_note(ro),
                good=self._track_note(ro) == "legal conditions met",
                baseline=[base.median(k) for k in MILESTONES] if compare else None,
                chances=[live.chance(k) for k in MILESTONES],
            ),
        }
        pictures = {}
        for name, did in changed.items():
            if did or not self.png[name]:
                panel = self.figure.panels[name]
                self.png[name] = panel.png()
                pictures[name] = _figure_html(name, self.png[name], panel.size_px, panel.labels)
        verdict = self._verdict_html(live, t1)
        # sent back to back, so the browser lays them out and paints them in one frame
        for name, picture in pictures.items():
            self.overlays[name].value = picture
        self.verdict.value = verdict
        self.bargain_box.value = self._bargain_html(live)
        if self.tabs.selected_index == self._outcomes_tab:
            self.table.value = self._table_html()
            self._table_stale = False
        else:  # rendered when the tab is opened: a hidden table costs nothing per key press
            self._table_stale = True
        self._scenario_line()
        if self._effects_from is not None:  # after the views: not on the key press -> picture path
            self.last_effects = change_effects(self._effects_from, self._live, self._effect_outcomes())
            self._effects_from = None
        self._effect_line()

    def _ask(self) -> float:
        """The compensation share the terms ask (0 without compensation)."""
        v = self._values
        return (
            float(v.get("compensation_share", 0.0)) if v.get("compensation_form", "none") != "none" else 0.0
        )

    def _verdict_html(self, live: Any, t1: float) -> str:
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
            f"<b>{html.escape(_short_verdict(res.verdict))}.</b> "
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

    def _bargain_html(self, live: Any) -> str:
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

    def _scenario_line(self) -> None:
        preset = self.presets[self._preset_id]
        edited = self.edited
        if edited:
            names = ", ".join(self.register[k].label for k in edited[:3])
            more = f" and {len(edited) - 3} more" if len(edited) > 3 else ""
            state = (
                f"<b>edited</b> ({len(edited)} value{'s' if len(edited) != 1 else ''} "
                f"differ from the preset: {html.escape(names)}{more}); the preset said: "
            )
        else:
            state = ""
        self.scenario_line.value = (
            f"<details class='s400-small'><summary><b>Preset:</b> {html.escape(preset.label)}"
            f"{' <b>(edited)</b>' if edited else ''}</summary>{state}"
            f"<i>{html.escape(preset.description)}</i></details>"
        )

    def _effect_line(self) -> None:
        if not self._last_changed:
            self.effect.value = (
                "<div class='s400-effect'>Move a control: what it changes is listed here.</div>"
            )
            return
        names = ", ".join(self.register[k].label for k in self._last_changed if k in self.register)
        if not self.last_effects:
            self.effect.value = (
                f"<div class='s400-effect dead'><b>Last change</b> ({html.escape(names)}): "
                "no key outcome moved &mdash; this control has no effect under the current "
                "choices.</div>"
            )
            return
        parts = [f"{html.escape(e.label)} <b>{html.escape(e.text)}</b>" for e in self.last_effects[:4]]
        more = f" and {len(self.last_effects) - 4} more" if len(self.last_effects) > 4 else ""
        self.effect.value = (
            f"<div class='s400-effect'><b>Last change</b> "
            f"({html.escape(names)}): {'; '.join(parts)}{more}.</div>"
        )

    @staticmethod
    def _india_labels(ro: dict) -> list[str]:
        undelivered = int(round(ro.get("india_undelivered_start", 2)))
        return [
            "4th squadron" if undelivered >= 2 else "4th (done)",
            "5th squadron" if undelivered >= 1 else "5th (done)",
        ]

    @staticmethod
    def _track_note(ro: dict) -> str:
        if ro["legal_conditions_met"] < 0.5:
            return "legal conditions NOT met"
        if ro.get("sanctions_blocked", 0) >= 0.5:
            return "Congress blocks sanctions relief"
        if ro.get("f35_blocked", 0) >= 0.5:
            return "Congress blocks F-35 readmission"
        return "legal conditions met"

    def _outcomes_frame(self, all_outcomes: bool) -> pd.DataFrame:
        out = self._live.result.outcomes
        base = self._base_live.result.outcomes
        end = self._live.horizon_end
        names = list(out.index) if all_outcomes else [k for k in KEY_OUTCOMES if k in out.index]
        rows = []
        for k in names:
            v, b, unit = float(out.at[k, "value"]), float(base.at[k, "value"]), out.at[k, "unit"]
            chance = self._live.chance(k)
            q05, _q50, q95 = self._live.spread(k)
            median = self._live.median(k) if unit == "year" else math.nan
            if not math.isnan(median):  # a date: its chance and the median of the draws reaching it
                spread_text = f"{format_chance(chance)}, median {format_value(median, unit)}"
            elif not math.isnan(chance):
                spread_text = f"{format_chance(chance)}"
            elif math.isnan(q05):
                spread_text = ""
            else:
                spread_text = f"{format_value(q05, unit)} to {format_value(q95, unit)}"
            rows.append(
                {
                    "outcome": k,
                    "label": out.at[k, "label"],
                    "unit": unit,
                    "value": v,
                    "baseline": b,
                    "difference": (v - b) if not (_is_missing(v) or _is_missing(b)) else math.nan,
                    "chance": chance,
                    "value_text": central_date_text(k, v, end)
                    if unit == "year"
                    else format_value(v, unit, end),
                    "baseline_text": central_date_text(k, b, end)
                    if unit == "year"
                    else format_value(b, unit, end),
                    "difference_text": format_difference(v, b, unit),
                    "spread_text": spread_text,
                    "unit_text": unit_text(unit),
                }
            )
        return pd.DataFrame(rows).set_index("outcome")

    def _table_html(self) -> str:
        frame = self._outcomes_frame(all_outcomes=self.show_all.value)
        compare = self.compare.value
        head = (
            "<th scope='col'>Outcome</th><th scope='col'>Scenario</th>"
            "<th scope='col'>Unit</th><th scope='col'>Chance / 90% range</th>"
        )
        if compare:
            head += "<th scope='col'>Status quo</th><th scope='col'>Difference</th>"
        rows = []
        for k, r in frame.iterrows():
            cells = (
                f"<td>{html.escape(r['label'])}</td>"
                f"<td class='v' data-value='{r['value']!r}'>{html.escape(r['value_text'])}</td>"
                f"<td class='u'>{html.escape(r['unit_text'])}</td>"
                f"<td class='p'>{html.escape(r['spread_text'])}</td>"
            )
            if compare:
                cells += (
                    f"<td class='b' data-value='{r['baseline']!r}'>"
                    f"{html.escape(r['baseline_text'])}</td>"
                    f"<td class='d'>{html.escape(r['difference_text'])}</td>"
                )
            rows.append(f"<tr data-outcome='{k}'>{cells}</tr>")
        end = format_value(self._live.horizon_end, "year")
        return (
            f"<table class='s400-outcomes'><caption class='s400-small'>Quarters by their "
            f"start; horizon ends {end}; chance = share of {self._live.n:,} draws in which "
            "it happens within the horizon, median = over those draws; a single-run US date "
            "assumes Congress does not block ('if not blocked').</caption>"
            f"<thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
