"""The explorer's header: preset, comparison, reset, screen and large-text switches.

The "Screen" drop-down starts at "auto": the layout follows the window's width, which the
page reports into the hidden ``viewport`` box (``fit.js``); choosing a size overrides it.
"""

from __future__ import annotations

import ipywidgets as widgets

from s400lab.ui.explorer.styles import AUTO, SCREENS

__all__ = ["Header"]


class Header(widgets.HBox):
    """The top row of the explorer; the explorer observes its widgets."""

    def __init__(self, presets: dict, preset: str, compare: bool, screen: str, presenter: bool) -> None:
        self.preset_select = widgets.Dropdown(
            options=[(sc.label, sid) for sid, sc in presets.items()],
            value=preset,
            description="Preset",
            layout=widgets.Layout(width="330px"),
            tooltip="Load a preset scenario (all values)",
        )
        self.preset_select.add_class("s400-preset")
        self.compare = widgets.Checkbox(
            value=compare,
            description="Compare with status quo",
            indent=False,
            layout=widgets.Layout(width="auto"),
            tooltip="Overlay the status quo (Turkiye keeps its S-400s) under the same assumptions",
        )
        self.compare.add_class("s400-compare")
        self.reset_button = widgets.Button(
            description="Reset",
            tooltip="Back to the register defaults (status quo)",
            layout=widgets.Layout(width="auto"),
        )
        self.screen = widgets.Dropdown(
            options=[("auto (window)", AUTO)] + [(v[0], k) for k, v in SCREENS.items()],
            value=screen,
            description="Screen",
            layout=widgets.Layout(width="220px"),
            tooltip="Layout for the display in use: auto follows the window's width",
        )
        self.screen.add_class("s400-screen")
        # the window's size as the page reports it ("1920x1080"); never shown
        self.viewport = widgets.Text(
            value="", description="window size", layout=widgets.Layout(display="none")
        )
        self.viewport.add_class("s400-viewport")
        self.presenter = widgets.Checkbox(
            value=presenter,
            description="Large text",
            indent=False,
            layout=widgets.Layout(width="auto"),
            tooltip="Presenter mode: all text at least 18 px",
        )
        super().__init__(
            [self.preset_select, self.compare, self.reset_button, self.screen, self.presenter, self.viewport],
            layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
        )
        self.add_class("s400-header")

    def window_width(self) -> int | None:
        """The browser window's width as the page reported it (None before it did)."""
        try:
            return int(self.viewport.value.split("x")[0])
        except ValueError:
            return None
