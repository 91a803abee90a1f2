"""The scenario explorer: presets, levers and assumptions -> model + live ensemble -> views.

Build it in a notebook (or a Voila dashboard) and display it::

    from s400lab.ui.explorer import ScenarioExplorer
    ScenarioExplorer()

Projector first: the explorer is as tall as the window and made of fixed regions, each with
its own scrolling -- the header; the three views (left, at their pixel size); on the right the
verdict, what the last change did (a bounded box), the active tab's controls (the only part
that grows: it scrolls) and the files bar with its status. Nothing moves off the screen when
a key is pressed, a preset chosen or a file saved, at 1024x768, 1280x720, 1366x768 and
1920x1080. The layout follows the browser's width ("auto"; the Screen drop-down overrides it).
Presenter mode sets all text to at least 18 px.

Every control is built from the parameter register (``data/parameters.csv``): its label, unit,
range, step, choices and a help text. Shares and probabilities are typed in percent, quarters
as 2027Q3; a value out of range is refused beside its control, naming the range.

The rooms of the package (see docs/architecture.md):

- :mod:`.state` -- the state without widgets (scenario, live run, last change, message);
- :mod:`.units` -- values as people read and type them (percent, quarters);
- :mod:`.texts`, :mod:`.table`, :mod:`.views` -- pure functions making the words, the
  outcomes table and the views' pictures;
- :mod:`.controls` -- the controls from the register; :mod:`.files` -- the files bar;
  :mod:`.actions` -- Save / Load / Export brief;
- :mod:`.styles` with ``explorer.css`` and ``fit.js`` -- the look and the page probe;
- :mod:`.app` -- :class:`ScenarioExplorer`, the thin panel that wires them.

For tests and scripts: :meth:`~ScenarioExplorer.set_values`, ``scenario``, ``result``,
``live``, ``outcomes_frame``, ``brief_html()``, ``state`` and the counters ``recomputes``,
``baseline_recomputes`` and ``n_redraws``.
"""

from __future__ import annotations

from s400lab.ui.explorer.app import ScenarioExplorer
from s400lab.ui.explorer.state import BASELINE_ID, DRAWN, KEY_OUTCOMES, ExplorerState, visible_parameters
from s400lab.ui.explorer.styles import AUTO, SCREENS
from s400lab.ui.explorer.texts import (
    FIGURE_TITLES,
    INDIA_DATES,
    KIND_TITLES,
    MILESTONES,
    TAB_TITLES,
    format_difference,
    format_value,
)

__all__ = [
    "AUTO",
    "BASELINE_ID",
    "DRAWN",
    "FIGURE_TITLES",
    "INDIA_DATES",
    "KEY_OUTCOMES",
    "KIND_TITLES",
    "MILESTONES",
    "SCREENS",
    "TAB_TITLES",
    "ExplorerState",
    "ScenarioExplorer",
    "format_difference",
    "format_value",
    "visible_parameters",
]
