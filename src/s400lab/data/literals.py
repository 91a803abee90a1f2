"""Literal spellings shared by every reader of the data and of scenario files (one home)."""

from __future__ import annotations

#: How a boolean cell may be written (Frictionless' default true/false values).
BOOL_TRUE: tuple[str, ...] = ("true", "True", "TRUE", "1")
BOOL_FALSE: tuple[str, ...] = ("false", "False", "FALSE", "0")
