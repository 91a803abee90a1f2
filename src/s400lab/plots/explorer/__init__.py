"""The scenario explorer's three linked views, drawn once and updated in place.

Each view is its own small :class:`matplotlib.figure.Figure` (Agg canvas, no pyplot state),
sized in **pixels** so the PNG is shown at exactly its own size in the page (crisp on a
projector; at ``dpi=72`` one point of font size is one pixel). One module per room:

- :mod:`.blit` - :class:`BlitPanel`, the machinery: a cached static layer (axes, ticks,
  legend) with the data layer blitted over it, the quarter axis, the overlay labels;
- :mod:`.stock` - :class:`StockPanel`, Russia's S-400 stock over time: the scenario's central
  run, the ensemble bands (5-95 % and 25-75 %), the status quo and the domestic requirement,
  and below it a *difference panel* (scenario minus status quo, same draws) whose axis zooms
  to the change; its note sits in the gap above it, outside both plot areas;
- :mod:`.india` - :class:`IndiaPanel`, India's undelivered squadrons: promised quarter vs
  modelled delivery, each date with its chance within the horizon;
- :mod:`.track` - :class:`TrackPanel`, the Turkiye-US milestone track after a verified
  divestiture, each milestone with its date and chance;
- :mod:`.figure` - :class:`ExplorerFigure`, the three together, and :data:`SIZES`.

A panel's artists are created once; ``update`` only calls ``set_data`` / ``set_xy`` and
returns whether anything visible changed, so the caller re-renders (``png()``) only the panels
that changed. The panels take plain numbers (decimal years of a quarter's start; NaN = not
within the horizon or never), so they work with any source of data and never import the model's
simulation or any widget.
"""

from __future__ import annotations

from s400lab.plots.explorer.blit import (
    BASELINE_COLOUR,
    DPI,
    FONT,
    LEGEND_MARGIN_PX,
    BlitPanel,
    is_drawn,
)
from s400lab.plots.explorer.figure import SIZES, ExplorerFigure
from s400lab.plots.explorer.india import IndiaPanel
from s400lab.plots.explorer.labels import quarter_text
from s400lab.plots.explorer.stock import StockPanel
from s400lab.plots.explorer.track import TrackPanel

#: The name the tests knew before the split (``s400lab.plots.explorer._drawn``).
_drawn = is_drawn

__all__ = [
    "BASELINE_COLOUR",
    "DPI",
    "FONT",
    "LEGEND_MARGIN_PX",
    "SIZES",
    "BlitPanel",
    "ExplorerFigure",
    "IndiaPanel",
    "StockPanel",
    "TrackPanel",
    "is_drawn",
    "quarter_text",
]
