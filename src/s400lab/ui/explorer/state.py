"""The explorer's state, without widgets: scenario, live run, baseline, last change, message.

One place holds what the explorer knows; the widgets only show it. Every change goes through
:meth:`ExplorerState.refusal` (the register's and the model's own rules, nothing invented here)
and then :meth:`ExplorerState.recompute` (one model run, one live ensemble):

    state = ExplorerState("full_return_cash", n_draws=200)
    state.refusal({"compensation_share": 1.5})   # -> "parameter 'compensation_share': ..."
    state.change({"compensation_share": 0.3})    # validated, recomputed, effects listed
    state.last_effects                           # exactly the key outcomes that moved

A refused value leaves nothing behind: not in :attr:`values`, not a held switch, no run.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from s400lab.analysis.live import Effect, LiveEnsemble, change_effects
from s400lab.model import OUTCOMES, Scenario, presets, run
from s400lab.model.formatting import quarter_label
from s400lab.model.register import Parameter, load_register
from s400lab.model.results import key_outcomes

__all__ = [
    "BASELINE_ID",
    "DRAWN",
    "EFFECT_OUTCOMES",
    "KEY_OUTCOMES",
    "ExplorerState",
    "Message",
    "effects_between",
    "visible_parameters",
]

#: Outcomes shown in the table by default (all outcomes with "all outcomes"): the model's one
#: list (:data:`s400lab.model.results.KEY_OUTCOMES`).
KEY_OUTCOMES = key_outcomes()
BASELINE_ID = "status_quo"

#: Control value of a drawn switch (``war_course``) meaning "drawn per draw by its weights":
#: the central run takes the register default, the ensemble draws the course. Each real
#: choice (attrition included) holds that course in every draw.
DRAWN = "drawn"


def visible_parameters(register) -> list[Parameter]:
    """Register rows the explorer shows: everything except model devices (kind ``device``,
    or a name starting with ``u_block`` - the uniform draws behind a congressional block)."""
    return [p for p in register if p.kind != "device" and not p.name.startswith("u_block")]


#: What "Last change" watches: the key outcomes and what the views show besides them (when
#: returned units could be in India, drawn in India's view).
EFFECT_OUTCOMES = (*KEY_OUTCOMES, "returned_india_q")


def effects_between(before: Any, after: Any, outcomes: tuple[str, ...] = EFFECT_OUTCOMES) -> list:
    """Exactly the outcomes that moved between two live runs, in ``outcomes`` order: the
    shown central value, the chance (by at least a point) or -- for a date -- the median
    quarter of the draws reaching it (where the Turkiye-US track view puts its markers)."""
    names = [k for k in outcomes if k in after.result.raw_outcomes]
    effects = {e.outcome: e for e in change_effects(before, after, names)}
    out = []
    for k in names:
        effect = effects.get(k)
        if OUTCOMES[k][0] == "year":
            mb, ma = quarter_label(before.median(k), "none"), quarter_label(after.median(k), "none")
            if mb != ma:
                text = f"median {mb} -> {ma}"
                if effect is None:
                    b, a = before.central.get(k, math.nan), after.central.get(k, math.nan)
                    effect = Effect(k, OUTCOMES[k][1], "year", b, a, text, before.chance(k), after.chance(k))
                else:
                    effect = replace(effect, text=f"{effect.text}, {text}")
        if effect is not None:
            out.append(effect)
    return out


@dataclass(frozen=True)
class Message:
    """The status line beside the file buttons: its text and whether it reports a failure."""

    text: str = ""
    error: bool = False

    def html(self) -> str:
        if not self.text:
            return ""
        cls = "error" if self.error else "ok"
        prefix = "Error: " if self.error else ""
        return (
            f"<div class='s400-msg {cls}' role='status' aria-live='polite'>"
            f"{html.escape(prefix + self.text)}</div>"
        )


class ExplorerState:
    """What the explorer shows, as data: testable without a kernel or a browser.

    Attributes
    ----------
    values : dict
        Model value of every register parameter (drawn switches at their register default).
    preset_id : str
        The preset the values started from.
    scenario : Scenario
        The preset with the values that depart from it (validated by the model).
    live, base_live : LiveRun
        The scenario's and the status quo's central run with the live ensemble.
    last_changed : list of str
        The parameters of the last change (empty after a preset, a file or a reset).
    last_effects : list
        The key outcomes that moved with the last change (:func:`change_effects`).
    message : Message
        The last status message.
    recomputes, baseline_recomputes : int
        Model runs of the scenario and of the baseline.
    """

    #: Status-quo runs kept, one per assumption and setting values (a preset chosen again
    #: finds its baseline).
    BASELINES_KEPT = 8

    def __init__(self, preset: str = BASELINE_ID, n_draws: int = 1000, seed: int = 1) -> None:
        self.register = load_register()
        self.presets = presets()
        if preset not in self.presets:
            raise ValueError(f"unknown preset {preset!r}; presets: {', '.join(self.presets)}")
        from s400lab.model.sampling import drawn_switches

        self.params = visible_parameters(self.register)
        self.switches = set(drawn_switches(self.register))
        self.lever_names = set(self.register.levers)
        self.status_quo = self.presets[BASELINE_ID]
        self.live_engine = LiveEnsemble(n=n_draws, seed=seed)
        self.base_engine = LiveEnsemble(n=n_draws, seed=seed)
        start = self.presets[preset]
        self.values: dict[str, Any] = dict(start.values)
        self.preset_id = preset
        self.scenario: Scenario = start
        self.held_switches: set[str] = set()
        for name in self.switches:  # a preset that sets a course holds it
            self.set_value(name, self.values[name], hold=False)
        self.live: Any = None
        self.base_live: Any = None
        self._baseline_key: tuple | None = None
        self._baselines: dict[tuple, Any] = {}
        self.last_changed: list[str] = []
        self.last_effects: list = []
        self._effects_from: Any = None
        self.message = Message()
        self.recomputes = 0
        self.baseline_recomputes = 0

    # ------------------------------------------------------------------ reading values
    @property
    def held(self) -> tuple[str, ...]:
        """Drawn switches held at their value in every draw (the others are drawn)."""
        return tuple(sorted(self.held_switches))

    @property
    def edited(self) -> list[str]:
        """Names of the values that depart from the selected preset."""
        preset = self.presets[self.preset_id]
        return [k for k, v in self.scenario.values.items() if preset.values.get(k) != v]

    def horizon(self) -> tuple[float, float]:
        """Start of the first quarter and end of the last (decimal years)."""
        t0 = float(self.values["start_year"])
        return t0, t0 + int(self.values["horizon_quarters"]) / 4

    def make_scenario(self) -> Scenario:
        """The preset with the values that depart from it: its label ends in "(changed)"
        once edited, as the command line names the same scenario."""
        preset = self.presets[self.preset_id]
        diff = {k: v for k, v in self.values.items() if preset.values.get(k) != v}
        return preset.with_changes(**diff) if diff else preset

    def model_values(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Model values of control values (:data:`DRAWN` -> the register default)."""
        return {
            k: (self.register[k].default if k in self.switches and v == DRAWN else v)
            for k, v in values.items()
        }

    def refusal(self, values: Mapping[str, Any]) -> str | None:
        """Why the register or the model refuses ``values`` (control values, :data:`DRAWN`
        allowed) with the others as they are; None if they are taken. Changes nothing."""
        model = self.model_values(values)
        try:
            for name, value in model.items():
                if name in self.register:
                    self.register[name].validate(value)
            preset = self.presets[self.preset_id]
            merged = {**self.values, **model}
            preset.with_changes(**{k: v for k, v in merged.items() if preset.values.get(k) != v})
        except (ValueError, TypeError) as exc:
            return str(exc)
        return None

    # ------------------------------------------------------------------ changing values
    def set_value(self, name: str, shown: Any, hold: bool = True) -> None:
        """Record control value ``shown`` of ``name`` (already taken by :meth:`refusal`); a
        drawn switch at a real choice is held in every draw when ``hold``."""
        if name in self.switches:
            if shown == DRAWN or (not hold and shown == self.register[name].default):
                self.held_switches.discard(name)
                shown = self.register[name].default
            else:
                self.held_switches.add(name)
        self.values[name] = shown

    def change(self, values: Mapping[str, Any]) -> str | None:
        """A change made by hand: refused (the reason, nothing changes) or taken and run."""
        why = self.refusal(values)
        if why is not None:
            return why
        for name, value in values.items():
            self.set_value(name, value)
        self.last_changed = list(values)
        self.recompute()
        return None

    def choose(self, preset_id: str, values: Mapping[str, Any] | None = None) -> None:
        """Start again from a preset (and a file's values over it); nothing is held."""
        self.preset_id = preset_id
        new = dict(self.presets[preset_id].values if values is None else values)
        for name, value in new.items():
            self.set_value(name, value, hold=False)
        self.last_changed = []

    # ------------------------------------------------------------------ running
    def recompute(self) -> None:
        """Run the scenario (central + live ensemble) and, when the assumptions changed, the
        status quo under them; what moved is listed by :meth:`finish_effects`."""
        before = self.live
        scenario = self.make_scenario()
        central = run(scenario)
        held = self.held
        self.live = self.live_engine.run(scenario, central=central, held=held)
        self.scenario = scenario
        self.recomputes += 1
        settings = sorted((k, v) for k, v in self.values.items() if k not in self.lever_names)
        key: tuple = (*settings, held)
        if key != self._baseline_key:
            self.base_live = self._baseline_run(key, held)
            self._baseline_key = key
        self._effects_from = before if before is not None and self.last_changed else None
        self.last_effects = []

    def finish_effects(self) -> None:
        """List what the last change moved (after the views are sent: not on the key press ->
        picture path): :func:`effects_between` the runs before and after it."""
        if self._effects_from is not None:
            self.last_effects = effects_between(self._effects_from, self.live)
            self._effects_from = None

    def baseline_values(self) -> dict[str, Any]:
        """Status quo levers + the current assumptions and settings."""
        vals = dict(self.values)
        for name in self.lever_names:
            vals[name] = self.status_quo.values[name]
        return vals

    def _baseline_run(self, key: tuple, held: tuple[str, ...]):
        cached = self._baselines.pop(key, None)
        if cached is None:
            base = Scenario.default().with_changes(**self.baseline_values())
            cached = self.base_engine.run(base, central=run(base), held=held)
            self.baseline_recomputes += 1
        self._baselines[key] = cached
        while len(self._baselines) > self.BASELINES_KEPT:
            self._baselines.pop(next(iter(self._baselines)))
        return cached

    def say(self, text: str, error: bool = False) -> Message:
        self.message = Message(text, error)
        return self.message
