"""Lazy stand-in for the ``rfc3987_syntax`` package in the classroom's single-user servers.

Why: every Jupyter server imports ``jupyter_events``, which imports ``jsonschema``, whose format
checkers import ``rfc3987_syntax`` (installed with ``jsonschema[format-nongpl]``) when it is there;
that package compiles ~40 Lark grammars at import time. Measured in the hub's environment
(2026-12-06): importing it costs ~1.9 CPU-seconds of the ~2.8 that a single-user server's start-up
costs, for every student, although nothing in a server checks an IRI until a schema with
``format: iri`` is validated (never, in a class).

This module is found first because ``classroom/singleuser`` leads the servers' ``PYTHONPATH``
(``classroom/jupyterhub_config.py``, block "limits"). It loads the real package, from the rest
of ``sys.path``, the first time anything is asked of it (``is_valid_syntax``, or any other name),
and then replaces itself in ``sys.modules``: behaviour is the real package's, only later.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
from typing import Any

_HERE = os.path.dirname(os.path.abspath(__file__))
_real_module: Any = None


def _real() -> Any:
    """Import the real ``rfc3987_syntax`` from the rest of ``sys.path`` (once)."""
    global _real_module
    if _real_module is None:
        paths = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]
        spec = importlib.machinery.PathFinder.find_spec(__name__, paths)
        if spec is None or spec.loader is None:
            raise ImportError(f"the real {__name__} package is not installed")
        module = importlib.util.module_from_spec(spec)
        stand_in = sys.modules.get(__name__)
        sys.modules[__name__] = module  # its own submodules import through this name
        try:
            spec.loader.exec_module(module)
        except BaseException:
            if stand_in is not None:
                sys.modules[__name__] = stand_in
            raise
        _real_module = module
    return _real_module


def is_valid_syntax(term: str, value: str) -> bool:
    """The real ``rfc3987_syntax.is_valid_syntax`` (what ``jsonschema`` imports)."""
    return bool(_real().is_valid_syntax(term, value))


def __getattr__(name: str) -> Any:  # any other name: the real package's
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_real(), name)
