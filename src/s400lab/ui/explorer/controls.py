"""The controls, built from the parameter register: one input per visible row, grouped in tabs.

Every control carries the classes ``s400-ctl`` and ``s400-ctl-<parameter>`` (the browser
tests and the benchmarks find it by them), an accessible name (label with the unit typed in)
and a tooltip (description, allowed values, rationale, sources). Shares and probabilities are
typed in percent, quarters as ``2027Q3`` (:mod:`s400lab.ui.explorer.units`). No control clamps:
a value out of range reaches the explorer, which refuses it beside the control.
"""

from __future__ import annotations

import ipywidgets as widgets

from s400lab.model.register import GROUPS, Parameter
from s400lab.ui.explorer.state import DRAWN
from s400lab.ui.explorer.texts import KIND_TITLES, TAB_TITLES, control_label, help_table, tooltip
from s400lab.ui.explorer.units import is_percent, is_quarter, quarter_options, to_shown

__all__ = ["group_tabs", "make_control", "make_note"]


def make_control(p: Parameter, drawn: bool = False) -> widgets.Widget:
    """The input widget for one register row, showing the register default.

    ``drawn``: a switch the ensemble draws per draw gets a first choice :data:`DRAWN` (the
    default; the central run uses the register default), and each course is held.
    """
    common = dict(
        description=control_label(p),
        tooltip=tooltip(p),
        layout=widgets.Layout(width="94%"),
        style={"description_width": "initial"},
    )
    w: widgets.Widget
    if p.type == "choice" and drawn:
        options = [(f"drawn by the weights (central run: {p.default.replace('_', ' ')})", DRAWN)]
        options += [(f"{c.replace('_', ' ')} in every draw", c) for c in p.choices]
        w = widgets.Dropdown(options=options, value=DRAWN, **common)
    elif p.type == "choice":
        w = widgets.Dropdown(options=[(c.replace("_", " "), c) for c in p.choices], value=p.default, **common)
    elif p.type == "bool":
        w = widgets.Checkbox(value=bool(p.default), indent=False, **common)
    elif is_quarter(p):
        # typed as 2027Q3 (or picked from the list of allowed quarters); read on Enter or on
        # leaving the box, so a half-typed quarter is never refused
        w = widgets.Combobox(
            value=to_shown(p, p.default),
            options=quarter_options(p),
            ensure_option=False,
            placeholder="e.g. 2027Q3",
            continuous_update=False,
            **common,
        )
    elif p.type == "int":
        # A labelled number box (ArrowUp/ArrowDown = one step), not an ipywidgets slider:
        # a slider's handle carries no accessible name. Not a Bounded*Text: those clamp a
        # typed 30 to the maximum silently; the explorer refuses it instead, beside the
        # control, naming the range (issue 23).
        w = widgets.IntText(step=max(1, int(p.step)), value=int(p.default), continuous_update=True, **common)
    elif is_percent(p):
        w = widgets.FloatText(
            step=to_shown(p, p.step), value=to_shown(p, p.default), continuous_update=True, **common
        )
    else:
        w = widgets.FloatText(step=p.step, value=float(p.default), continuous_update=True, **common)
    w.add_class("s400-ctl")
    w.add_class(f"s400-ctl-{p.name}")  # stable hooks for browser tests and benchmarks
    return w


def make_note() -> widgets.HTML:
    """The note under a control, shown only while a value typed there is refused."""
    note = widgets.HTML("", layout=widgets.Layout(display="none"))
    note.add_class("s400-refused")
    return note


def _group_tab(
    params: list[Parameter], controls: dict, notes: dict, bargain_box: widgets.Widget
) -> widgets.VBox:
    children: list[widgets.Widget] = []
    for kind in ("lever", "uncertainty", "setting"):
        ps = [p for p in params if p.kind == kind]
        if ps:
            children.append(widgets.HTML(f"<b>{KIND_TITLES[kind]}</b>"))
            for p in ps:
                children.extend([controls[p.name], notes[p.name]])
                if p.name == "compensation_share":  # the bargaining range, right under it
                    children.append(bargain_box)
    about = widgets.HTML(
        "<details><summary>About these values (descriptions, ranges, sources)</summary>"
        f"{help_table(params)}</details>"
    )
    children.append(about)
    return widgets.VBox(children)


def group_tabs(
    params: list[Parameter],
    controls: dict,
    notes: dict,
    bargain_box: widgets.Widget,
    outcomes: widgets.Widget,
) -> widgets.Tab:
    """One tab of controls per register group (in :data:`GROUPS` order), then ``outcomes``."""
    tabs, titles = [], []
    for group in GROUPS:
        ps = [p for p in params if p.group == group]
        if ps:
            tabs.append(_group_tab(ps, controls, notes, bargain_box))
            titles.append(TAB_TITLES.get(group, group))
    tabs.append(outcomes)
    titles.append("Outcomes")
    tab = widgets.Tab(tabs)
    for i, t in enumerate(titles):
        tab.set_title(i, t)
    tab.selected_index = 0
    return tab
