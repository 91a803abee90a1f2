"""The grammar of a CSV cell, by its schema field (one home for validation and the typed load).

Frictionless (pass 2) and pandas are lenient where Python is: ``float()`` and ``int()`` take
``1_000``, Arabic-Indic digits, ``inf``, ``NaN`` and surrounding spaces, and ``2025-3-5`` passes
as a date. The data package is read exactly instead; a cell is refused when:

* it has a leading or trailing space (nothing is stripped anywhere, so a grade `` official``
  or a code with a trailing space is an error, not silently fixed);
* it holds a control character or a lone surrogate (any text field; line breaks are allowed
  only in free text: string fields without ``enum``, ``pattern`` or ``format``);
* a ``number`` field: not ``[+-]digits[.digits][e[+-]digits]`` in ASCII digits, longer than
  :data:`~s400lab._inputs.MAX_NUMBER_CHARS`, or not finite (``inf``, ``NaN``, ``1e999``);
* an ``integer`` field: not ``[+-]digits`` in ASCII digits, or larger than :data:`MAX_INTEGER`;
* a ``date`` field: not ``YYYY-MM-DD`` with zero padding, not a calendar date, or outside the
  years :data:`DATE_YEARS`;
* a ``year`` field: not four ASCII digits.

The typed load (:mod:`s400lab.data.dataset`) converts with :func:`parse_number` and
:func:`parse_date`, so it cannot accept what validation refused.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
from collections.abc import Iterable, Sequence
from typing import Any

from s400lab._inputs import MAX_NUMBER_CHARS, excerpt, quote_excerpt, text_problem
from s400lab.data.problems import Problem
from s400lab.data.table import Table

__all__ = ["cell_problem", "grammar_problems", "number_problem", "parse_number", "parse_date", "is_free_text"]

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YEAR = re.compile(r"[0-9]{4}")
#: Largest whole number in an integer cell (exact as a float and in pandas' Int64).
MAX_INTEGER = 2**53 - 1
#: Years a date cell may have: the data's own rule (data/README.md). The workbook's facts, promises
#: and questions lie well inside it, and it is within the span of pandas' datetime64[ns].
DATE_YEARS = (1900, 2100)


_NUMBER_OPTIONS = ("decimalChar", "groupChar", "bareNumber")


def _regex_problem(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return True
    return False


def schema_problems(schema: dict[str, Any]) -> list[str]:
    """What in a Table Schema this one grammar does not support (checked before Frictionless).

    ``fields`` must be a list of objects with a string ``name``; a number or integer field may
    not set ``decimalChar``, ``groupChar`` or ``bareNumber``, and a date field may not set a
    ``format``: the files are written in the one grammar this module reads.
    """
    fields = schema.get("fields")
    if not isinstance(fields, list) or not all(
        isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields
    ):
        return ['"fields" must be a list of objects, each with a "name"']
    out = []
    for f in fields:
        name, ftype = excerpt(f["name"]), f.get("type", "string")
        options = [o for o in _NUMBER_OPTIONS if o in f] if ftype in ("number", "integer") else []
        if options:
            out.append(
                f"field {name}: {', '.join(options)} is not supported; "
                "numbers use one grammar (data/README.md)"
            )
        pattern = (
            (f.get("constraints") or {}).get("pattern") if isinstance(f.get("constraints"), dict) else None
        )
        if isinstance(pattern, str) and _regex_problem(pattern):
            out.append(f"field {name}: pattern {excerpt(pattern)} is not a valid regular expression")
        if ftype == "date" and f.get("format", "default") != "default":
            out.append(
                f"field {name}: date format {excerpt(f['format'])} is not supported; dates are YYYY-MM-DD"
            )
    return out


def number_problem(text: str, *, integer: bool = False) -> str | None:
    """Why ``text`` is not a number of the data's grammar (None if it is).

    >>> number_problem("1_000").split(":")[0]
    '"1_000" is not a number'
    >>> number_problem("1e999")
    '"1e999" is not a finite number'
    >>> number_problem("-2.5") is None
    True
    """
    shown = quote_excerpt(text)
    if len(text) > MAX_NUMBER_CHARS:
        return f"{shown} is {len(text)} characters long; a number has at most {MAX_NUMBER_CHARS}"
    if integer:
        if not _INTEGER.fullmatch(text):
            return f"{shown} is not a whole number: write ASCII digits only (no spaces, _, dot or exponent)"
        if abs(int(text)) > MAX_INTEGER:
            return f"{shown} is too large for a whole number (at most {MAX_INTEGER:,} in size)"
        return None
    if text.lstrip("+-").lower() in ("inf", "infinity", "nan"):
        return f"{shown} is not a finite number (inf and NaN are not allowed)"
    if not _NUMBER.fullmatch(text):
        return (
            f"{shown} is not a number: write ASCII digits with a dot for decimals "
            "(no spaces, _ or thousands separator)"
        )
    if not math.isfinite(float(text)):
        return f"{shown} is not a finite number"
    return None


def parse_number(text: str) -> float:
    """The value of a number cell; ValueError (with the reason) if the grammar refuses it."""
    why = number_problem(text)
    if why:
        raise ValueError(why)
    return float(text)


def parse_date(text: str) -> dt.date:
    """The value of a ``YYYY-MM-DD`` cell; ValueError (with the reason) if refused."""
    if not _DATE.fullmatch(text):
        raise ValueError(
            f"{quote_excerpt(text)} is not a valid date "
            "(expected YYYY-MM-DD with zero padding, e.g. 2025-03-05)"
        )
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{quote_excerpt(text)} is not a valid date (expected YYYY-MM-DD)") from None
    if not DATE_YEARS[0] <= day.year <= DATE_YEARS[1]:
        raise ValueError(
            f"{quote_excerpt(text)} is outside the years {DATE_YEARS[0]} to {DATE_YEARS[1]} "
            "that a date of this data may have (data/README.md)"
        )
    return day


def is_free_text(field: dict[str, Any]) -> bool:
    """A string field without enum, pattern or format: prose, where line breaks are allowed."""
    if field.get("type", "string") != "string" or field.get("format", "default") != "default":
        return False
    constraints = field.get("constraints") or {}
    return "enum" not in constraints and "pattern" not in constraints


def _typed_problem(ftype: str, fmt: str, text: str) -> str | None:
    if ftype == "number":
        return number_problem(text)
    if ftype == "integer":
        return number_problem(text, integer=True)
    if ftype == "date" and fmt == "default":
        try:
            parse_date(text)
        except ValueError as exc:
            return str(exc)
    if ftype == "year" and not _YEAR.fullmatch(text):
        return f"{quote_excerpt(text)} is not a year (expected YYYY)"
    return None


def cell_problem(field: dict[str, Any], text: str, missing: frozenset[str] | set[str]) -> str | None:
    """Why the cell ``text`` does not follow the grammar of its schema ``field`` (None if it does).

    ``missing`` are the schema's ``missingValues`` (an empty cell is left to the ``required``
    constraint). Types, formats and constraints not listed in the module docstring are left to
    Frictionless.
    """
    why = text_problem(text, allow_newlines=is_free_text(field))
    if why:
        return why
    if text != text.strip():
        return (
            f"{quote_excerpt(text)} has a leading or trailing space; cells are read exactly "
            "(nothing is stripped), so remove it"
        )
    if text in missing:
        return None
    return _typed_problem(str(field.get("type", "string")), str(field.get("format", "default")), text)


def transpose(rows: Sequence[Sequence[Any]], width: int) -> list[list[Any]]:
    """Columns of rows that all have ``width`` cells (``map`` per column: ``zip(*rows)`` makes an
    iterator per row, and on 200,000 rows the garbage collector's passes over them cost more than
    the copy)."""
    return [list(map(operator.itemgetter(j), rows)) for j in range(width)]


def _plain_text_fine(values: list[str]) -> bool:
    """True if no text has anything to refuse in a plain string field: all printable (no control
    character, line break or surrogate), none with an edge space. Judged on the joined column
    (C speed); False means "look at each"."""
    if not "".join(values).isprintable():
        return False
    joined = "\x00".join(values)
    return not (joined[:1] == " " or joined[-1:] == " " or " \x00" in joined or "\x00 " in joined)


def _column_verdicts(
    field: dict[str, Any], values: set[str], missing: frozenset[str], plain: bool
) -> dict[str, str]:
    """``{text: why}`` for the distinct texts of one column that break the field's grammar."""
    if plain:
        listed = list(values)
        if _plain_text_fine(listed):
            return {}
        values = {t for t in listed if not (t.isprintable() and t[:1] != " " and t[-1:] != " ")}
    out = {}
    for text in values:
        why = cell_problem(field, text, missing)
        if why:
            out[text] = why
    return out


def grammar_problems(tables: Iterable[Table]) -> list[Problem]:
    """Every cell of the readable ``tables`` that breaks its field's grammar (see the module).

    Column by column: each distinct text of a column is judged once, and only the rows of a
    text found wrong are looked up (a 200,000-row table is checked in a fraction of a second).
    Problems come in row order, and within a row in column order."""
    out: list[Problem] = []
    for table in tables:
        schema = table.schema or {}
        fields = {f["name"]: f for f in schema.get("fields", []) if isinstance(f, dict) and "name" in f}
        missing = frozenset(schema.get("missingValues", [""]))
        header = table.header or []
        width = len(header)
        # as records() reads them: short rows padded with "", surplus cells cut, blank lines left out
        rows = [r if len(r) == width else (r + [""] * (width - len(r)))[:width] for r in table.rows if r]
        numbers = [i + 2 for i, r in enumerate(table.rows) if r]
        found: list[tuple[int, int, str]] = []
        columns = transpose(rows, width)
        for j, column in enumerate(header):
            field = fields.get(column)
            if field is None or not rows:
                continue
            col = columns[j]
            plain = field.get("type", "string") == "string"
            bad = _column_verdicts(field, set(col), missing, plain)
            if bad:
                found.extend((k, j, bad[t]) for k, t in enumerate(col) if t in bad)
        for k, j, why in sorted(found, key=lambda x: (x[0], x[1])):
            row = numbers[k]
            out.append(Problem(table.file, row, header[j], why, line=table.line_of(row)))
    return out
