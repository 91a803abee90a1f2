"""The scenario explorer: presets, levers and assumptions -> model -> three linked views.

Build it in a notebook (or a Voila dashboard) and display it::

    from s400lab.ui.explorer import ScenarioExplorer
    ScenarioExplorer()

Every control is built from the parameter register (``data/parameters.csv``): its label, unit,
range, step, choices and a help text with the description, the rationale of the range and the
source ids. The explorer does no model arithmetic: a change calls :func:`s400lab.model.run`
once and hands the numbers to :mod:`s400lab.plots.explorer`, whose figures are created once and
updated in place (rendered to PNG into ``Image`` widgets; only the panels that changed are
re-rendered).

For tests and scripts the explorer has a small programmatic API: :meth:`set_values`,
:attr:`scenario`, :attr:`result`, :attr:`outcomes_frame`, and the counters
:attr:`recomputes` (model runs of the scenario) and :attr:`redraws` (refresh passes).
"""

from __future__ import annotations

import contextlib
import html
import math
import re
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from s400lab.brief import write_brief
from s400lab.model import Scenario, presets, quarter_label, run
from s400lab.model.register import GROUPS, Parameter, load_register
from s400lab.plots.explorer import ExplorerFigure
from s400lab.plots.style import OKABE_ITO
from s400lab.scenario_io import load_scenario, save_scenario

__all__ = ["ScenarioExplorer", "format_value", "format_difference", "KEY_OUTCOMES"]

#: Outcomes shown in the table by default (all outcomes with "show all").
KEY_OUTCOMES = (
    "legal_conditions_met",
    "battalions_divested",
    "returned_to_russia",
    "sanctions_lifted_q",
    "f35_readmission_q",
    "f35_first_delivery_q",
    "ru_stock_end",
    "ru_stock_min",
    "ru_shortfall_end",
    "india_sq4_q",
    "india_sq5_q",
    "india_done_by_deadline",
    "tr_recovered_usd_bn",
    "ru_net_usd_bn",
    "alliance_score",
)

#: The Turkiye-US milestones, in order: outcome name -> label in the track panel.
MILESTONES = {
    "divestiture_q": "Verified divestiture",
    "sanctions_lifted_q": "CAATSA lifted (s.1241)",
    "f35_readmission_q": "F-35 readmission (s.1245)",
    "f35_first_delivery_q": "First F-35 delivered",
}

#: Tab titles per register group.
TAB_TITLES = {"Turkiye": "Turkiye", "Russia": "Russia", "United States": "United States",
              "India": "India", "Alliance": "Alliance score", "Model": "Model"}
KIND_TITLES = {"lever": "Choices (levers)", "uncertainty": "Assumptions (uncertain)",
               "setting": "Settings"}
BASELINE_ID = "status_quo"

_CSS = f"""
<style>
.s400-explorer {{ font-size: 15px; }}
.s400-explorer .s400-title {{ font-size: 22px; font-weight: 600; margin: 0; }}
.s400-explorer .s400-lab {{ font-size: 14px; line-height: 1.2; }}
.s400-explorer .s400-unit {{ font-size: 13px; color: #444; }}
.s400-explorer table.s400-outcomes {{ border-collapse: collapse; font-size: 14px; width: 100%; }}
.s400-explorer table.s400-outcomes th, .s400-explorer table.s400-outcomes td
  {{ padding: 3px 8px; border-bottom: 1px solid #ddd; text-align: right; }}
.s400-explorer table.s400-outcomes th:first-child, .s400-explorer table.s400-outcomes td:first-child
  {{ text-align: left; }}
.s400-explorer table.s400-outcomes td.v, .s400-explorer table.s400-outcomes td.b,
.s400-explorer table.s400-outcomes td.d {{ white-space: nowrap; }}
.s400-explorer .s400-verdict {{ font-size: 16px; padding: 6px 10px; border-left: 6px solid; }}
.s400-explorer .s400-verdict.not-met {{ border-color: {OKABE_ITO["vermillion"]}; }}
.s400-explorer .s400-verdict.met {{ border-color: {OKABE_ITO["bluish_green"]}; }}
.s400-explorer .s400-msg.error {{ color: {OKABE_ITO["vermillion"]}; font-weight: 600; }}
.s400-explorer .s400-msg.ok {{ color: #00664a; }}
.s400-explorer .s400-help td {{ vertical-align: top; padding: 2px 6px; font-size: 13px; }}
</style>
"""


# --------------------------------------------------------------------------- formatting

def _is_missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def format_value(value: float, unit: str) -> str:
    """How the explorer shows an outcome value.

    Parameters
    ----------
    value : float
        Outcome value (NaN = not within the horizon).
    unit : str
        The outcome's unit from the model (``year`` for a quarter, ``0/1`` for yes/no, ...).

    Returns
    -------
    str
        ``"2027Q2"`` for a quarter, ``"yes"``/``"no"`` for 0/1, ``"not within horizon"`` for
        NaN, else the number with two decimals.
    """
    if _is_missing(value):
        return "not within horizon"
    if unit == "year":
        return quarter_label(value)
    if unit == "0/1":
        return "yes" if value >= 0.5 else "no"
    return f"{value:.2f}"


def format_difference(value: float, base: float, unit: str) -> str:
    """Difference of an outcome from the baseline, as shown in the table (empty = same)."""
    if _is_missing(value) and _is_missing(base):
        return ""
    if _is_missing(value) or _is_missing(base):
        return "changed"
    if unit == "0/1":
        return "" if (value >= 0.5) == (base >= 0.5) else "changed"
    d = value - base
    if abs(d) < 5e-10:
        return ""
    if unit == "year":
        return f"{d * 4:+.0f} quarters"
    return f"{d:+.2f}"


def _tooltip(p: Parameter) -> str:
    """Plain-text help for a control: description, range, rationale, sources."""
    parts = [p.description]
    if p.type in ("float", "int"):
        parts.append(f"Range {p.low:g} to {p.high:g} {p.unit} (central {p.central:g}).")
    elif p.type == "choice":
        parts.append("Choices: " + ", ".join(c.replace("_", " ") for c in p.choices) + ".")
    parts.append(f"Why: {p.rationale}")
    parts.append("Sources: " + (", ".join(p.source_ids) if p.source_ids
                                else "none (a labelled assumption or model setting)"))
    if p.confidence:
        parts.append(f"Evidence: {p.confidence}; kind: {p.kind}.")
    return "\n".join(parts)


def _decimals(step: float) -> int:
    text = f"{step:g}"
    return len(text.split(".")[1]) if "." in text else 0


def _control(p: Parameter) -> widgets.Widget:
    """The input widget for one register row (value = the register default)."""
    tip = _tooltip(p)
    common = dict(tooltip=tip, layout=widgets.Layout(width="290px"), style={"description_width": "0px"})
    if p.type == "choice":
        return widgets.Dropdown(options=[(c.replace("_", " "), c) for c in p.choices],
                                value=p.default, **common)
    if p.type == "bool":
        return widgets.Checkbox(value=bool(p.default), indent=False, **common)
    if p.type == "int":
        return widgets.IntSlider(min=int(p.low), max=int(p.high), step=max(1, int(p.step)),
                                 value=int(p.default), continuous_update=False, **common)
    return widgets.FloatSlider(min=p.low, max=p.high, step=p.step, value=float(p.default),
                               readout_format=f".{_decimals(p.step)}f",
                               continuous_update=False, **common)


def _help_table(params: list[Parameter]) -> str:
    rows = []
    for p in params:
        rng = (f"{p.low:g} to {p.high:g} {html.escape(p.unit)}" if p.type in ("float", "int")
               else html.escape(", ".join(p.choices)))
        rows.append(
            f"<tr><td><b>{html.escape(p.label)}</b><br><i>{rng}</i></td>"
            f"<td>{html.escape(p.description)}<br><i>Why:</i> {html.escape(p.rationale)}"
            f"<br><i>Sources:</i> {html.escape(', '.join(p.source_ids) or 'none (assumption)')}"
            f"</td></tr>")
    return f"<table class='s400-help'>{''.join(rows)}</table>"


# --------------------------------------------------------------------------- the explorer

class ScenarioExplorer:
    """Interactive scenario explorer (ipywidgets), for JupyterLab and Voila.

    Parameters
    ----------
    preset : str
        Preset to start from (``scenario_id`` of ``data/scenarios.csv``).
    compare : bool
        Start with the "compare with status quo" overlay on.
    save_dir : str or Path
        Folder where scenario files are saved to and loaded from (file names only, no paths,
        so a dashboard user cannot write elsewhere). Default: the current folder.
    dpi : int
        Resolution of the figures.

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        One input per register parameter.
    recomputes : int
        How many times the scenario was run through the model.
    baseline_recomputes : int
        How many times the baseline was run (only when a non-lever value changed).
    redraws : int
        How many refresh passes (figures + table) happened.
    last_error : str or None
        The last error shown in the panel.
    """

    def __init__(self, preset: str = BASELINE_ID, compare: bool = True,
                 save_dir: str | Path = ".", dpi: int = 80) -> None:
        self.register = load_register()
        self.presets = presets()
        if preset not in self.presets:
            raise ValueError(f"unknown preset {preset!r}; presets: {', '.join(self.presets)}")
        self.save_dir = Path(save_dir)
        self.recomputes = 0
        self.baseline_recomputes = 0
        self.redraws = 0
        self.last_error: str | None = None
        self._hold = False
        self._result = None
        self._baseline_key: tuple | None = None
        self._baseline_result = None
        self._lever_names = set(self.register.levers)
        self._status_quo = self.presets[BASELINE_ID]

        start = self.presets[preset]
        self._values: dict[str, Any] = dict(start.values)
        self._scenario = start
        self._build_controls()
        self._build_layout(preset, compare)
        t0, t1 = self._horizon()
        self.figure = ExplorerFigure(t0, t1, dpi=dpi)
        with self._held():
            self._apply_to_controls(self._values)
        self._refresh(recompute=True)

    # ------------------------------------------------------------------ building
    def _build_controls(self) -> None:
        self.controls: dict[str, widgets.Widget] = {}
        for p in self.register:
            w = _control(p)
            w.add_class(f"s400-ctl-{p.name}")  # stable hooks for browser tests
            w.observe(self._make_observer(p.name), names="value")
            self.controls[p.name] = w

    def _make_observer(self, name: str):
        def on_change(change: dict) -> None:
            self._values[name] = change["new"]
            if not self._hold:
                self._refresh(recompute=True)

        return on_change

    def _row(self, p: Parameter) -> widgets.Widget:
        tip = _tooltip(p)
        label = widgets.HTML(f"<span class='s400-lab' title='{html.escape(tip, quote=True)}'>"
                             f"{html.escape(p.label)}</span>",
                             layout=widgets.Layout(width="250px"), tooltip=tip)
        unit = widgets.HTML(f"<span class='s400-unit'>{html.escape(p.unit)}</span>",
                            layout=widgets.Layout(width="120px"))
        return widgets.HBox([label, self.controls[p.name], unit],
                            layout=widgets.Layout(align_items="center"))

    def _build_layout(self, preset: str, compare: bool) -> None:
        options = [(sc.label, sid) for sid, sc in self.presets.items()]
        self.preset_select = widgets.Dropdown(options=options, value=preset,
                                              description="Preset",
                                              layout=widgets.Layout(width="430px"),
                                              tooltip="Load a preset scenario (all values)")
        self.preset_select.observe(self._on_preset, names="value")
        self.compare = widgets.ToggleButton(value=compare, description="Compare with status quo",
                                            icon="balance-scale",
                                            layout=widgets.Layout(width="230px"),
                                            tooltip="Overlay the status quo (Turkiye keeps its "
                                                    "S-400s) under the same assumptions")
        self.compare.observe(lambda _c: self._refresh(recompute=False), names="value")
        self.reset_button = widgets.Button(description="Reset", icon="undo",
                                           tooltip="Back to the register defaults (status quo)")
        self.reset_button.on_click(lambda _b: self.reset())
        self.show_all = widgets.Checkbox(value=False, description="all outcomes", indent=False,
                                         layout=widgets.Layout(width="140px"))
        self.show_all.observe(lambda _c: self._refresh(recompute=False), names="value")

        tabs, titles = [], []
        for group in GROUPS:
            params = [p for p in self.register if p.group == group]
            if not params:
                continue
            children: list[widgets.Widget] = []
            for kind in ("lever", "uncertainty", "setting"):
                ps = [p for p in params if p.kind == kind]
                if ps:
                    children.append(widgets.HTML(f"<b>{KIND_TITLES[kind]}</b>"))
                    children.extend(self._row(p) for p in ps)
            about = widgets.Accordion([widgets.HTML(_help_table(params))])
            about.set_title(0, "About these values (descriptions, ranges, sources)")
            about.selected_index = None
            children.append(about)
            tabs.append(widgets.VBox(children))
            titles.append(TAB_TITLES.get(group, group))
        self.tabs = widgets.Tab(tabs)
        for i, t in enumerate(titles):
            self.tabs.set_title(i, t)

        self.scenario_line = widgets.HTML()
        self.verdict = widgets.HTML()
        self.message = widgets.HTML()
        self.table = widgets.HTML()
        self.images = {name: widgets.Image(format="png") for name in ("stock", "india", "track")}
        for name, image in self.images.items():
            image.add_class(f"s400-img-{name}")
        self.preset_select.add_class("s400-preset")

        self.file_name = widgets.Text(value="my_scenario.json", description="File",
                                      layout=widgets.Layout(width="300px"),
                                      tooltip="File name in the scenario folder (.json)")
        self.scenario_name = widgets.Text(value="", description="Name", placeholder="optional",
                                          layout=widgets.Layout(width="300px"))
        self.overwrite = widgets.Checkbox(value=False, description="overwrite", indent=False,
                                          layout=widgets.Layout(width="110px"))
        self.save_button = widgets.Button(description="Save", icon="save",
                                          tooltip="Save all values to the JSON file")
        self.load_button = widgets.Button(description="Load", icon="folder-open",
                                          tooltip="Load a scenario JSON file (validated)")
        self.brief_button = widgets.Button(
            description="Export brief", icon="file-text",
            tooltip="Write the two-page HTML brief (choices, assumptions with sources, outcomes "
                    "against the status quo, uncertainty ranges) next to the scenario file")
        self.save_button.on_click(lambda _b: self.save())
        self.load_button.on_click(lambda _b: self.load())
        self.brief_button.on_click(lambda _b: self.export_brief())
        files = widgets.VBox([
            widgets.HTML("<b>Scenario file</b>"),
            widgets.HBox([self.file_name, self.overwrite]),
            widgets.HBox([self.scenario_name, self.save_button, self.load_button,
                          self.brief_button]),
        ])

        header = widgets.HBox([self.preset_select, self.compare, self.reset_button],
                              layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        left = widgets.VBox([self.tabs, widgets.HBox([widgets.HTML("<b>Outcomes</b>"),
                                                      self.show_all]),
                             self.table, files],
                            layout=widgets.Layout(width="690px"))
        right = widgets.VBox([self.verdict, self.images["stock"], self.images["india"],
                              self.images["track"]],
                             layout=widgets.Layout(width="590px"))
        self.widget = widgets.VBox([
            widgets.HTML(_CSS),
            header, self.scenario_line, self.message,
            widgets.HBox([left, right], layout=widgets.Layout(flex_flow="row wrap")),
        ])
        self.widget.add_class("s400-explorer")

    # ------------------------------------------------------------------ public API
    @property
    def scenario(self) -> Scenario:
        """The scenario the controls describe (validated by the model)."""
        return self._scenario

    @property
    def result(self):
        """The model :class:`~s400lab.model.Result` of :attr:`scenario`."""
        return self._result

    @property
    def baseline_result(self):
        """The model result of the status quo under the current assumptions and settings."""
        return self._baseline_result

    @property
    def outcomes_frame(self) -> pd.DataFrame:
        """The outcomes table as shown: value, baseline, difference (numbers) and the texts."""
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
        self._scenario.with_changes(**values)  # validate first: all or nothing
        with self._held():
            self._apply_to_controls(values)
        self._refresh(recompute=True)

    def reset(self) -> None:
        """Back to the register defaults (the status quo); one run and one redraw."""
        with self._held():
            self.preset_select.value = BASELINE_ID
            self._apply_to_controls(self.register.defaults())
        self._refresh(recompute=True)
        self._say("Reset to the register defaults (status quo).")

    def load_preset(self, scenario_id: str) -> None:
        """Select a preset (same as choosing it in the dropdown)."""
        self.preset_select.value = scenario_id

    def save(self) -> Path | None:
        """Save the current scenario to :attr:`file_name` in ``save_dir``; report in the panel."""
        try:
            path = self._file_path()
            save_scenario(self._scenario, path, name=self.scenario_name.value,
                          overwrite=self.overwrite.value)
        except (ValueError, OSError) as exc:
            self._say(f"Not saved: {exc}", error=True)
            return None
        self._say(f"Saved to {path}.")
        return path

    def export_brief(self, n_draws: int = 2000) -> Path | None:
        """Write the two-page HTML brief of the current scenario; report in the panel.

        The brief goes next to the scenario file, with the same name and ``.html``; an existing
        brief is replaced only when *overwrite* is ticked.
        """
        self._say("Writing the brief (runs an ensemble)...")
        try:
            path = self._file_path().with_suffix(".html")
            write_brief(self._scenario, path, n_draws=n_draws, force=self.overwrite.value)
        except (ValueError, OSError) as exc:
            self._say(f"Brief not written: {exc}", error=True)
            return None
        self._say(f"Brief written to {path}; open it in a browser and print it (A4/Letter).")
        return path

    def load(self) -> bool:
        """Load :attr:`file_name` from ``save_dir``; on any problem nothing changes."""
        try:
            path = self._file_path()
            loaded = load_scenario(path)
        except (ValueError, OSError) as exc:
            self._say(f"Not loaded: {exc}", error=True)
            return False
        with self._held():
            self._apply_to_controls(loaded.scenario.values)
            if loaded.name:
                self.scenario_name.value = loaded.name
        self._refresh(recompute=True)
        if self.last_error is None:
            self._say(f"Loaded {loaded.name or path.name!r} from {path}.")
        return self.last_error is None

    def _ipython_display_(self) -> None:  # pragma: no cover - exercised in the browser tests
        from IPython.display import display

        display(self.widget)

    # ------------------------------------------------------------------ internals
    @contextlib.contextmanager
    def _held(self):
        """Suspend the refresh while many controls change (and batch the sync messages)."""
        old, self._hold = self._hold, True
        try:
            with contextlib.ExitStack() as stack:
                for w in self.controls.values():
                    stack.enter_context(w.hold_sync())
                yield
        finally:
            self._hold = old

    def _apply_to_controls(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            w = self.controls[name]
            if w.value != value:
                w.value = value
            self._values[name] = value

    def _on_preset(self, change: dict) -> None:
        if self._hold:
            return
        sc = self.presets[change["new"]]
        with self._held():
            self._apply_to_controls(sc.values)
        self._refresh(recompute=True)
        self._say(sc.description)

    def _file_path(self) -> Path:
        name = self.file_name.value.strip()
        if not name:
            raise ValueError("type a file name first")
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 _.()-]{0,100}", name) or ".." in name:
            raise ValueError(f"{name!r}: use a plain file name (letters, digits, space, _ . - ( )),"
                             " no folders")
        if not name.lower().endswith(".json"):
            name += ".json"
        return self.save_dir / name

    def _say(self, text: str, error: bool = False) -> None:
        cls = "error" if error else "ok"
        prefix = "Error: " if error else ""
        self.message.value = (f"<div class='s400-msg {cls}' role='status'>"
                              f"{html.escape(prefix + text)}</div>")

    def _horizon(self) -> tuple[float, float]:
        t0 = float(self._values["start_year"])
        return t0, t0 + int(self._values["horizon_quarters"]) / 4

    def _baseline_values(self) -> dict[str, Any]:
        """Status quo levers + the current assumptions and settings."""
        vals = dict(self._values)
        for name in self._lever_names:
            vals[name] = self._status_quo.values[name]
        return vals

    def _refresh(self, recompute: bool) -> None:
        """Recompute (optional) and redraw everything; errors go to the panel."""
        try:
            if recompute:
                self._scenario = Scenario.default().with_changes(**self._values)
                self._result = run(self._scenario)
                self.recomputes += 1
                key = tuple(sorted((k, v) for k, v in self._values.items()
                                   if k not in self._lever_names))
                if key != self._baseline_key:
                    base = Scenario.default().with_changes(**self._baseline_values())
                    self._baseline_result = run(base)
                    self._baseline_key = key
                    self.baseline_recomputes += 1
            self._redraw()
            self.redraws += 1
            if self.last_error is not None:
                self.last_error = None
                self.message.value = ""
        except Exception as exc:  # shown in the panel, never a silent dead widget
            self.last_error = f"{type(exc).__name__}: {exc}"
            self._say(f"could not update the results ({self.last_error})", error=True)

    def _redraw(self) -> None:
        res, base = self._result, self._baseline_result
        compare = self.compare.value
        t0, t1 = self._horizon()
        self.figure.set_horizon(t0, t1)
        ro, bo = res.raw_outcomes, base.raw_outcomes
        stock = np.asarray(res.raw_series["ru_stock"], dtype=float)
        t = t0 + 0.25 * np.arange(stock.size)
        changed = {
            "stock": self.figure.stock.update(
                t, stock, np.full(stock.size, float(self._values["home_requirement_bn"])),
                baseline=np.asarray(base.raw_series["ru_stock"], dtype=float) if compare
                else None),
            "india": self.figure.india.update(
                self._india_labels(ro),
                [self._values["india_promise_sq4"], self._values["india_promise_sq5"]],
                [ro["india_sq4_q"], ro["india_sq5_q"]],
                baseline=[bo["india_sq4_q"], bo["india_sq5_q"]] if compare else None),
            "track": self.figure.track.update(
                list(MILESTONES.values()), [ro[k] for k in MILESTONES],
                note=self._track_note(ro), good=self._track_note(ro) == "legal conditions met",
                baseline=[bo[k] for k in MILESTONES] if compare else None),
        }
        for name, did in changed.items():
            if did or not self.images[name].value:
                self.images[name].value = self.figure.panels[name].png()
        met = ro["legal_conditions_met"] >= 0.5
        self.verdict.value = (f"<div class='s400-verdict {'met' if met else 'not-met'}'>"
                              f"{html.escape(res.verdict)}</div>")
        self.table.value = self._table_html()
        changes = self._scenario.changes()
        preset = self.presets.get(self.preset_select.value)
        same = preset is not None and dict(preset.values) == dict(self._scenario.values)
        label = preset.label if same else "Custom scenario"
        self.scenario_line.value = (
            f"<span><b>Scenario:</b> {html.escape(label)} &middot; "
            f"{len(changes)} value(s) differ from the register defaults</span>")

    @staticmethod
    def _india_labels(ro: dict) -> list[str]:
        undelivered = int(round(ro.get("india_undelivered_start", 2)))
        return ["4th squadron" if undelivered >= 2 else "4th (delivered)",
                "5th squadron" if undelivered >= 1 else "5th (delivered)"]

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
        out = self._result.outcomes
        base = self._baseline_result.outcomes
        names = list(out.index) if all_outcomes else [k for k in KEY_OUTCOMES if k in out.index]
        rows = []
        for k in names:
            v, b, unit = float(out.at[k, "value"]), float(base.at[k, "value"]), out.at[k, "unit"]
            rows.append({
                "outcome": k, "label": out.at[k, "label"], "unit": unit,
                "value": v, "baseline": b,
                "difference": (v - b) if not (_is_missing(v) or _is_missing(b)) else math.nan,
                "value_text": format_value(v, unit), "baseline_text": format_value(b, unit),
                "difference_text": format_difference(v, b, unit),
            })
        return pd.DataFrame(rows).set_index("outcome")

    def _table_html(self) -> str:
        frame = self._outcomes_frame(all_outcomes=self.show_all.value)
        compare = self.compare.value
        head = "<th>Outcome</th><th>This scenario</th>"
        if compare:
            head += "<th>Status quo</th><th>Difference</th>"
        rows = []
        for k, r in frame.iterrows():
            unit = "" if r["unit"] in ("year", "0/1") else f" <small>{html.escape(r['unit'])}</small>"
            cells = (f"<td>{html.escape(r['label'])}{unit}</td>"
                     f"<td class='v' data-value='{r['value']!r}'>{html.escape(r['value_text'])}</td>")
            if compare:
                cells += (f"<td class='b' data-value='{r['baseline']!r}'>"
                          f"{html.escape(r['baseline_text'])}</td>"
                          f"<td class='d'>{html.escape(r['difference_text'])}</td>")
            rows.append(f"<tr data-outcome='{k}'>{cells}</tr>")
        return (f"<table class='s400-outcomes'><thead><tr>{head}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")
