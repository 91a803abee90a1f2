"""Temporary alias of :mod:`s400lab.reporting.brief` (the brief moved to the reporting layer).

Only ``s400lab.ui.explorer`` still imports this name; it is being edited on another branch.
Remove this module once that import reads ``from s400lab.reporting.brief import brief_html``.
"""

from s400lab.reporting.brief import brief_html

__all__ = ["brief_html"]
