"""The one shape of an s400lab panel (see docs/architecture.md, "UI panels").

Every panel is an ``ipywidgets.VBox`` subclass, displayed by itself (no ``.widget``
attribute), and keeps three public attributes with the same meaning everywhere:

``busy`` : bool
    True while the panel sets its own controls or updates; widget callbacks return at once
    while it is set, so one change makes one update. False at rest.
``n_redraws`` : int
    How many refresh passes (figure and/or table shown again) have completed.
``last_error`` : str or None
    The message shown for the last failed action (the text the user reads, not an exception
    object); None after a successful one.

:class:`Panel` gives them their defaults and two helpers; a panel may also keep them itself
(the tests check the attributes, not the base class).
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Iterator

import ipywidgets as widgets

__all__ = ["ERROR_STYLE", "OK_STYLE", "Panel"]

#: Inline styles of an error and of a confirmation message (Okabe-Ito vermillion and green).
ERROR_STYLE = "color:#D55E00;font-weight:bold"
OK_STYLE = "color:#009E73"


class Panel(widgets.VBox):
    """Base of the panels: the ``busy`` / ``n_redraws`` / ``last_error`` convention."""

    busy: bool = False
    n_redraws: int = 0
    last_error: str | None = None

    @contextlib.contextmanager
    def _busy(self) -> Iterator[None]:
        """Mark the panel busy for the ``with`` block (nested blocks keep it busy)."""
        old, self.busy = self.busy, True
        try:
            yield
        finally:
            self.busy = old

    def _fail(self, message: str, shown: str | None = None) -> str:
        """Record ``message`` as :attr:`last_error`; return the HTML to show: ``shown`` (the
        same message with mark-up) or else ``message`` escaped, in the error style."""
        self.last_error = message
        return shown if shown is not None else f"<span style='{ERROR_STYLE}'>{html.escape(message)}</span>"
