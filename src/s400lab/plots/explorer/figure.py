"""The three views together (:class:`ExplorerFigure`) and their pixel sizes per screen layout."""

from __future__ import annotations

from s400lab.plots.explorer.blit import DPI
from s400lab.plots.explorer.india import IndiaPanel
from s400lab.plots.explorer.stock import StockPanel
from s400lab.plots.explorer.track import TrackPanel

#: Panel sizes in pixels (width, height) per screen layout; the UI picks one.
SIZES = {
    "compact": {"stock": (560, 262), "india": (560, 164), "track": (560, 204)},
    "laptop": {"stock": (720, 262), "india": (720, 164), "track": (720, 204)},
    "wide": {"stock": (1000, 420), "india": (1000, 210), "track": (1000, 270)},
}


class ExplorerFigure:
    """The three views of the scenario explorer.

    Parameters
    ----------
    t0, t1 : float
        The model horizon (decimal years); fixed x-limits for all panels, so the three views
        share one time axis and read together.
    dpi : int
        PNG resolution (72: font points = pixels).
    layout : str
        A key of :data:`SIZES` (panel pixel sizes).
    """

    def __init__(self, t0: float, t1: float, dpi: int = DPI, layout: str = "compact") -> None:
        if layout not in SIZES:
            raise ValueError(f"layout must be one of {', '.join(SIZES)}, got {layout!r}")
        self.layout = layout
        sizes = SIZES[layout]
        self.stock = StockPanel(t0, t1, size_px=sizes["stock"], dpi=dpi)
        self.india = IndiaPanel(t0, t1, size_px=sizes["india"], dpi=dpi)
        self.track = TrackPanel(t0, t1, size_px=sizes["track"], dpi=dpi)
        self.panels = {"stock": self.stock, "india": self.india, "track": self.track}

    def set_horizon(self, t0: float, t1: float) -> None:
        """Set the shared time axis of all panels (decimal years)."""
        for panel in self.panels.values():
            panel.set_horizon(t0, t1)

    @property
    def draws(self) -> int:
        """Total number of panel renders so far."""
        return sum(p.draws for p in self.panels.values())
