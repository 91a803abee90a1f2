"""The files bar: scenario name, file name, Save / Load / Export brief, and their status.

A fixed region at the bottom of the controls column: the buttons and the status line beside
them are always on the screen (the status is one bounded line; the download link sits next to
it). File names are plain names inside the scenario folder (no paths), so a dashboard user
cannot write elsewhere.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import ipywidgets as widgets

from s400lab._inputs import excerpt

__all__ = ["FilesBar", "file_path"]

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.()-]{0,100}")


def file_path(folder: Path, name: str) -> Path:
    """``folder / name`` (``.json`` added) for a plain file name; ValueError otherwise."""
    name = name.strip()
    if not name:
        raise ValueError("type a file name first")
    if not _PLAIN.fullmatch(name) or ".." in name:
        raise ValueError(
            f"{excerpt(name)}: use a plain file name (letters, digits, space, _ . - ( )), no folders"
        )
    if not name.lower().endswith(".json"):
        name += ".json"
    return folder / name


class FilesBar(widgets.VBox):
    """The widgets of the files bar; the explorer wires the buttons to its actions."""

    def __init__(self) -> None:
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
        self.message = widgets.HTML()
        self.message.add_class("s400-status")
        self.download = widgets.HTML()
        self.download.add_class("s400-download-box")
        self.file_name.add_class("s400-file-name")
        self.scenario_name.add_class("s400-scenario-name")
        row = widgets.Layout(flex_flow="row wrap", align_items="center", width="100%")
        super().__init__(
            [
                widgets.HBox([self.scenario_name, self.file_name], layout=row),
                widgets.HBox(
                    [self.save_button, self.load_button, self.brief_button, self.overwrite], layout=row
                ),
                widgets.HBox([self.message, self.download], layout=row),
            ]
        )
        self.add_class("s400-files")

    def path(self, folder: Path) -> Path:
        """The file typed, inside ``folder`` (ValueError for anything but a plain name)."""
        return file_path(folder, self.file_name.value)

    def default_name(self) -> str:
        """The file name typed (``scenario.json`` if none), ending in ``.json``."""
        name = self.file_name.value.strip() or "scenario.json"
        return name if name.lower().endswith(".json") else name + ".json"

    def offer(self, data: bytes, filename: str, mime: str, text: str) -> None:
        """A link that saves ``data`` in the user's browser (works in Voila and JupyterLab)."""
        b64 = base64.b64encode(data).decode("ascii")
        self.download.value = (
            f"<a class='s400-download' download='{html.escape(filename, quote=True)}' "
            f"href='data:{mime};base64,{b64}'>{html.escape(text)}: "
            f"{html.escape(filename)}</a>"
        )
