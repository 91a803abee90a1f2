"""s400lab: a sourced, transparent scenario workbook on the return of Turkiye's S-400s.

Layers (import downward only): data -> model -> analysis -> plots -> ui.
See docs/architecture.md.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("s400lab")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
