"""The explorer's look: screen layouts, the CSS file and the page probe (``fit.js``).

The styles live in ``explorer.css`` (package data, see ``[tool.setuptools.package-data]`` in
pyproject.toml); :func:`style_html` reads it once, puts in the Okabe-Ito colours and adds a
hidden 1x1 picture whose ``onload`` runs ``fit.js``: the page tells the kernel the window's
size (so the "auto" screen follows the browser's width) and sizes the explorer to the window.
"""

from __future__ import annotations

import functools
import html
from importlib import resources
from string import Template

from s400lab.plots.style import OKABE_ITO

__all__ = ["AUTO", "SCREENS", "screen_for_width", "style_html"]

#: Screen layouts: name -> (label, width of the figures column, of the controls column) in px.
#: The figures keep their pixel size (crisp); the heights follow the window (explorer.css).
SCREENS = {
    "compact": ("1024-1280", 564, 440),
    "laptop": ("1366", 732, 610),
    "wide": ("1920", 1012, 860),
}
#: The screen setting that follows the browser's width (the default; a fixed one overrides it).
AUTO = "auto"

_GIF = "data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="


def screen_for_width(width: int) -> str:
    """The widest layout whose two columns fit ``width`` px of window (plus a margin)."""
    for name in ("wide", "laptop"):
        _label, left, right = SCREENS[name]
        if width >= left + right + 20:
            return name
    return "compact"


def _read(name: str) -> str:
    return resources.files("s400lab.ui.explorer").joinpath(name).read_text(encoding="utf-8")


@functools.cache
def style_html() -> str:
    """The ``<style>`` element of the explorer and its page probe."""
    css = Template(_read("explorer.css")).substitute(
        focus=OKABE_ITO["black"], vermillion=OKABE_ITO["vermillion"], bluish_green=OKABE_ITO["bluish_green"]
    )
    script = html.escape(_read("fit.js"), quote=True)
    return (
        f"<style>\n{css}</style>"
        f"<img class='s400-fit' src='{_GIF}' alt='' width='1' height='1' "
        f"style='position:absolute;width:1px;height:1px;opacity:0' onload=\"{script}\">"
    )
