"""The scenario explorer panel: the widgets around :class:`~s400lab.ui.explorer.state.ExplorerState`.

A thin :class:`~s400lab.ui.panel.Panel`: it builds the regions (header, views, verdict, "Last
change", the tabs of controls, the files bar), turns a control's value into a model value
(:mod:`~s400lab.ui.explorer.units`), asks the state, and shows what the state says
(:mod:`~s400lab.ui.explorer.texts`, :mod:`~s400lab.ui.explorer.table`,
:mod:`~s400lab.ui.explorer.views`). Saving, loading and the brief are in
:mod:`~s400lab.ui.explorer.actions`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from s400lab.ui.explorer import actions
from s400lab.ui.explorer.controls import group_tabs, make_control, make_note
from s400lab.ui.explorer.files import FilesBar
from s400lab.ui.explorer.header import Header
from s400lab.ui.explorer.state import BASELINE_ID, DRAWN, ExplorerState
from s400lab.ui.explorer.styles import AUTO, SCREENS, screen_for_width, style_html
from s400lab.ui.explorer.table import outcomes_frame, table_html
from s400lab.ui.explorer.texts import (
    FIGURE_TITLES,
    bargain_html,
    effect_html,
    refusal_html,
    scenario_line_html,
    verdict_html,
)
from s400lab.ui.explorer.units import from_shown, shown_text, to_shown
from s400lab.ui.explorer.views import update_views, view_pictures
from s400lab.ui.panel import Panel

__all__ = ["ScenarioExplorer"]


class ScenarioExplorer(actions.FileActions, Panel):
    """Interactive scenario explorer (ipywidgets), for JupyterLab and Voila.

    Parameters
    ----------
    preset : str
        Preset to start from (``scenario_id`` of ``data/scenarios.csv``).
    compare : bool
        Start with the comparison with the status quo on.
    save_dir : str or Path
        Folder where scenario files are saved to and loaded from (file names only).
    dpi : int
        Resolution of the figures (72: a font point is a pixel).
    screen : {"auto", "compact", "laptop", "wide"}
        Layout (see :data:`~s400lab.ui.explorer.styles.SCREENS`); ``"auto"`` follows the
        browser's width; the "Screen" drop-down overrides it.
    presenter : bool
        Presenter mode: text at least 18 px.
    n_draws, seed : int
        Size and seed of the live ensemble.

    Attributes
    ----------
    state : ExplorerState
        Everything the explorer knows, without widgets.
    controls : dict of str to ipywidgets.Widget
        One input per visible register parameter (shares in percent, quarters as 2027Q3).
    notes : dict of str to ipywidgets.HTML
        The refusal note under each control.
    """

    def __init__(
        self,
        preset: str = BASELINE_ID,
        compare: bool = True,
        save_dir: str | Path = ".",
        dpi: int = 72,
        screen: str = AUTO,
        presenter: bool = True,
        n_draws: int = 1000,
        seed: int = 1,
    ) -> None:
        if screen != AUTO and screen not in SCREENS:
            raise ValueError(f"screen must be one of {AUTO}, {', '.join(SCREENS)}, got {screen!r}")
        self.state = ExplorerState(preset, n_draws=n_draws, seed=seed)
        self.register, self.presets = self.state.register, self.state.presets
        self.save_dir = Path(save_dir)
        self.dpi = dpi
        self.n_redraws = 0
        self.last_error = None
        self.busy = False
        self._started = False
        self._figure: Any = None
        self._layout_name = "compact" if screen == AUTO else screen
        self.png: dict[str, bytes] = {name: b"" for name in FIGURE_TITLES}
        self._build(preset, compare, screen, presenter)
        with self._held():
            self._show_values(self.state.values)
        self._start_soon()

    # ------------------------------------------------------------------ building
    def _build(self, preset: str, compare: bool, screen: str, presenter: bool) -> None:
        st = self.state
        self.controls: dict[str, widgets.Widget] = {}
        self.notes: dict[str, widgets.HTML] = {}
        for p in st.params:
            self.controls[p.name] = make_control(p, drawn=p.name in st.switches)
            self.controls[p.name].observe(self._observer(p.name), names="value")
            self.notes[p.name] = make_note()
        self.bargain_box = widgets.HTML()
        self.bargain_box.add_class("s400-bargain")
        self.show_all = widgets.Checkbox(
            value=False, description="all outcomes", indent=False, layout=widgets.Layout(width="auto")
        )
        self.show_all.observe(lambda _c: self._refresh(recompute=False), names="value")
        self.table = widgets.HTML()
        self.table.add_class("s400-table")
        outcomes = widgets.VBox([self.show_all, self.table])
        outcomes.add_class("s400-outcomes-tab")
        self.tabs = group_tabs(st.params, self.controls, self.notes, self.bargain_box, outcomes)
        self._outcomes_tab = len(self.tabs.children) - 1
        self._table_stale = True
        self.tabs.observe(self._on_tab, names="selected_index")
        self.verdict, self.scenario_line, self.effect = widgets.HTML(), widgets.HTML(), widgets.HTML()
        for w, cls in (
            (self.verdict, "verdict-box"),
            (self.scenario_line, "scenario-line"),
            (self.effect, "effect-box"),
        ):
            w.add_class(f"s400-{cls}")
        self.files = FilesBar()
        for name in ("file_name", "scenario_name", "overwrite", "save_button", "load_button", "brief_button"):
            setattr(self, name, getattr(self.files, name))
        self.message, self.download = self.files.message, self.files.download
        self.save_button.on_click(lambda _b: self.save())
        self.load_button.on_click(lambda _b: self.load())
        self.brief_button.on_click(lambda _b: self.export_brief())
        # each view: one HTML widget with the PNG (<img> with alternative text, at its pixel
        # size) and the text over it, replaced together in one message
        self.overlays = {name: widgets.HTML() for name in FIGURE_TITLES}
        for name, box in self.overlays.items():
            box.add_class("s400-figwrap")
            box.add_class(f"s400-overlay-{name}")
        self.figure_boxes = self.overlays
        self.pane = widgets.Box([self.tabs])
        self.pane.add_class("s400-pane")
        self.left = widgets.VBox(list(self.overlays.values()))
        self.left.add_class("s400-figures")
        self.right = widgets.VBox([self.verdict, self.scenario_line, self.effect, self.pane, self.files])
        self.right.add_class("s400-controls")
        body = widgets.HBox([self.left, self.right], layout=widgets.Layout(flex_flow="row nowrap"))
        body.add_class("s400-body")
        super().__init__([widgets.HTML(style_html()), self._header(preset, compare, screen, presenter), body])
        self.add_class("s400-explorer")
        if presenter:
            self.add_class("s400-presenter")
        self._apply_screen(self._layout_name)

    def _header(self, preset: str, compare: bool, screen: str, presenter: bool) -> Header:
        """The top row (:class:`Header`), wired to the explorer."""
        header = Header(self.presets, preset, compare, screen, presenter)
        for name in ("preset_select", "compare", "reset_button", "screen", "viewport", "presenter"):
            setattr(self, name, getattr(header, name))
        self.preset_select.observe(self._on_preset, names="value")
        self.compare.observe(lambda _c: self._refresh(recompute=False), names="value")
        self.reset_button.on_click(lambda _b: self.reset())
        self.screen.observe(lambda _c: self._relayout(), names="value")
        self.viewport.observe(lambda _c: self._relayout(), names="value")
        self.presenter.observe(self._on_presenter, names="value")
        self._header_row = header
        return header

    # ------------------------------------------------------------------ screen
    @property
    def layout_name(self) -> str:
        """The layout in use: the Screen setting, or for "auto" the one the window's width fits."""
        if self.screen.value != AUTO:
            return self.screen.value
        width = self._header_row.window_width()
        return screen_for_width(width) if width else self._layout_name

    def _relayout(self) -> None:
        name = self.layout_name
        if name == self._layout_name:
            return
        self._layout_name = name
        self._apply_screen(name)
        if self._started:
            self._new_figure()
            self._refresh(recompute=False)

    def _apply_screen(self, screen: str) -> None:
        _label, left_w, right_w = SCREENS[screen]
        self.left.layout.width = self.left.layout.min_width = f"{left_w}px"
        self.right.layout.width = f"{right_w}px"
        self.pane.layout.width = "100%"

    def _on_presenter(self, change: dict) -> None:
        (self.add_class if change["new"] else self.remove_class)("s400-presenter")

    # ------------------------------------------------------------------ starting
    def _start_soon(self) -> None:
        """Draw the views now, or -- in a kernel (an event loop is running) -- just after the
        cell has run, so the controls show first (the first run imports matplotlib and scipy
        and samples the draws). Anything that needs the results starts it at once."""
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
                self.state.live_engine.draws(self.state.make_scenario())
            loop.call_later(0.01, self._start)

        loop.call_later(0.05, warm)

    def _start(self) -> None:
        """Build the views and run the first refresh (once)."""
        if self._started:
            return
        self._started = True
        try:
            self._new_figure()
        except Exception as exc:  # shown in the panel, never a silent dead widget
            self._fail(f"{type(exc).__name__}: {exc}")
            self._say(f"could not draw the views ({self.last_error})", error=True)
            return
        self._refresh(recompute=True)

    def _new_figure(self) -> None:
        from s400lab.plots.explorer import ExplorerFigure  # matplotlib: only when drawn

        t0, t1 = self.state.horizon()
        self._figure = ExplorerFigure(t0, t1, dpi=self.dpi, layout=self._layout_name)
        for name, box in self.overlays.items():  # the PNG is shown at exactly its size: crisp
            w, h = self._figure.panels[name].size_px
            box.layout.width = box.layout.min_width = f"{w}px"
            box.layout.height = f"{h}px"
        for name in self.png:
            self.png[name] = b""

    @property
    def figure(self):
        """The three views (:class:`s400lab.plots.explorer.ExplorerFigure`)."""
        self._start()
        return self._figure

    # ------------------------------------------------------------------ controls -> state
    def _observer(self, name: str):
        def on_change(change: dict) -> None:
            if self.busy:  # a batch of values already validated (preset, file, set_values)
                return
            p = self.register[name]
            why: str | None = None
            try:
                value = from_shown(p, change["new"])
                p.validate(self.state.model_values({name: value})[name])  # the register's rule
            except ValueError as exc:
                why = str(exc) if "not a" in str(exc) else "outside the allowed values"
            else:
                why = self.state.refusal({name: value})
            if why is not None:  # nothing changes: the control goes back, the note says why
                with self._held():
                    self.controls[name].value = change["old"]
                self._note(name, why, change["new"])
                return
            self._note(name, None)
            self.state.set_value(name, value)
            self.state.last_changed = [name]
            self._refresh(recompute=True)

        return on_change

    def _note(self, name: str, why: str | None, typed: Any = None) -> None:
        """Show (or clear) the refusal under control ``name``: what was refused and the range."""
        note = self.notes[name]
        if why is None:
            if note.layout.display != "none":
                note.value, note.layout.display = "", "none"
            return
        p = self.register[name]
        shown = (
            f"{typed:g}%"
            if isinstance(typed, float) and "%" in self.controls[name].description
            else str(typed)
        )
        note.value = refusal_html(p, why, shown)
        note.layout.display = ""

    @contextlib.contextmanager
    def _held(self):
        """Suspend the refresh while many controls change (and batch the sync messages)."""
        with self._busy(), contextlib.ExitStack() as stack:
            for w in self.controls.values():
                stack.enter_context(w.hold_sync())
            yield

    def _show_values(self, values: Mapping[str, Any]) -> None:
        """Show model values in the controls (a drawn switch shows :data:`DRAWN` unless the
        state holds it) and clear their refusal notes."""
        st = self.state
        for name, value in values.items():
            if name not in self.controls:
                continue
            p = self.register[name]
            if name in st.switches:  # the state knows whether it is held
                shown: Any = value if name in st.held_switches else DRAWN
            else:
                shown = to_shown(p, value)
            w = self.controls[name]
            if w.value != shown:
                w.value = shown
            self._note(name, None)

    # ------------------------------------------------------------------ state -> screen
    def _refresh(self, recompute: bool) -> None:
        """Recompute (optional) and redraw everything; errors go to the panel."""
        if not self._started:
            self._start()  # its first refresh runs on the current values
            return
        try:
            if recompute:
                self.state.recompute()
            self._redraw()
            self.n_redraws += 1
            if self.last_error is not None:
                self.last_error = None
                self.message.value = ""
        except Exception as exc:  # shown in the panel, never a silent dead widget
            self._fail(f"{type(exc).__name__}: {exc}")
            self._say(f"could not update the results ({self.last_error})", error=True)

    def _redraw(self) -> None:
        st = self.state
        live, t1 = st.live, st.horizon()[1]
        changed = update_views(self._figure, live, st.base_live, st.values, st.horizon(), self.compare.value)
        pictures = view_pictures(self._figure, changed, self.png)
        verdict = verdict_html(live, t1)
        # sent back to back, so the browser lays them out and paints them in one frame
        for name, picture in pictures.items():
            self.overlays[name].value = picture
        self.verdict.value = verdict
        self.bargain_box.value = bargain_html(live)
        if self.tabs.selected_index == self._outcomes_tab:
            self.table.value = self._table_html()
            self._table_stale = False
        else:  # rendered when the tab is opened: a hidden table costs nothing per key press
            self._table_stale = True
        edited = [self.register[k].label for k in st.edited]
        self.scenario_line.value = scenario_line_html(self.presets[st.preset_id], edited)
        st.finish_effects()  # after the views: not on the key press -> picture path
        start = st.values["start_year"]
        names = [
            f"{self.register[k].label} to {shown_text(self.register[k], st.values[k], start)}"
            for k in st.last_changed
            if k in self.register
        ]
        self.effect.value = effect_html(names, st.last_effects)

    def _table_html(self) -> str:
        frame = outcomes_frame(self.state.live, self.state.base_live, all_outcomes=self.show_all.value)
        return table_html(frame, self.state.live, self.compare.value)

    def _on_tab(self, change: dict) -> None:
        if change["new"] == self._outcomes_tab and self._table_stale and self.state.live is not None:
            self.table.value = self._table_html()
            self._table_stale = False

    def show_outcomes(self) -> None:
        """Open the Outcomes tab (its table is rendered only while it is shown)."""
        self.tabs.selected_index = self._outcomes_tab

    def _say(self, text: str, error: bool = False) -> None:
        self.message.value = self.state.say(text, error).html()

    # ------------------------------------------------------------------ public API
    recomputes = property(lambda self: self.state.recomputes, doc="Model runs of the scenario.")
    baseline_recomputes = property(
        lambda self: self.state.baseline_recomputes, doc="Model runs of the baseline."
    )
    preset_id = property(lambda self: self.state.preset_id, doc="The preset the values started from.")
    edited = property(lambda self: self.state.edited, doc="Names of the values that depart from the preset.")
    held = property(lambda self: self.state.held, doc="Drawn switches held in every draw.")
    scenario = property(lambda self: self.state.scenario, doc="The scenario the controls describe.")
    #: the scenario under its name before the explorer became a package (tests of the
    #: scenario files read it)
    _scenario = scenario
    last_effects = property(lambda self: self.state.last_effects, doc="What the last change moved.")

    @property
    def result(self):
        """The model :class:`~s400lab.model.Result` of :attr:`scenario` (central run)."""
        self._start()
        return self.state.live.result

    @property
    def live(self):
        """The :class:`~s400lab.analysis.live.LiveRun` of the scenario (central + ensemble)."""
        self._start()
        return self.state.live

    @property
    def baseline_result(self):
        """The model result of the status quo under the current assumptions and settings."""
        self._start()
        return self.state.base_live.result

    @property
    def outcomes_frame(self) -> pd.DataFrame:
        """The outcomes table as shown: value, baseline, difference (numbers) and the texts."""
        self._start()
        return outcomes_frame(self.state.live, self.state.base_live, all_outcomes=True)

    def set_values(self, **values: Any) -> None:
        """Set several controls at once (model values): one model run and one redraw.

        Raises
        ------
        ValueError
            From the register's or the model's validation; nothing is changed then.
        """
        if not values:
            return
        hidden = [k for k in values if k not in self.controls]
        if hidden:
            raise ValueError(
                f"{', '.join(hidden)}: not a control of the explorer (model devices are not set by hand)"
            )
        why = self.state.refusal(values)
        if why is not None:
            raise ValueError(why)
        with self._held():
            for name, value in values.items():
                self.state.set_value(name, value)
            self._show_values(values)
        self.state.last_changed = list(values)
        self._refresh(recompute=True)

    def _choose(self, preset_id: str, values: Mapping[str, Any] | None = None) -> None:
        """Start again from a preset (and a file's values): one run and one redraw."""
        with self._held():
            self.preset_select.value = preset_id
            self.state.choose(preset_id, values)
            self._show_values(self.state.values)
        self._refresh(recompute=True)

    def reset(self) -> None:
        """Back to the register defaults (the status quo); one run and one redraw."""
        self._choose(BASELINE_ID, self.register.defaults())
        self._say("Reset to the register defaults (status quo).")

    def load_preset(self, scenario_id: str) -> None:
        """Select a preset (same as choosing it in the dropdown)."""
        self.preset_select.value = scenario_id

    def _on_preset(self, change: dict) -> None:
        if self.busy:
            return
        self._choose(change["new"])
        self._say(f"Preset loaded: {self.presets[change['new']].label}.")
