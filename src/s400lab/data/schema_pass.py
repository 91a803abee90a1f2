"""Pass 2 of the validation: Frictionless checks types, constraints and keys.

Frictionless is handed the bytes pass 1 read (a buffer resource), never a path, so it opens no
file. Its errors are turned into :class:`~s400lab.data.problems.Problem` objects with plain
messages (one per cell; one per short or long row; a duplicate id reported once); a cell is
quoted only as a short escaped excerpt.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from s400lab._inputs import excerpt, quote_excerpt
from s400lab.data.problems import Problem

if TYPE_CHECKING:
    from s400lab.data.table import Table


def _label(path: Path, root: Path) -> str:
    return f"{root.name}/{path.relative_to(root).as_posix()}"


_CONSTRAINT = re.compile(r'constraint "(\w+)"')
_SAME_ROW = re.compile(r"row at position (\d+)")
_TYPE_HELP = {
    "date": "is not a valid date (expected YYYY-MM-DD)",
    "number": "is not a number (use a dot for decimals, no thousands separator)",
    "integer": "is not a whole number",
    "boolean": "is not true or false",
    "year": "is not a year (expected YYYY)",
    "datetime": "is not a valid date-time (expected YYYY-MM-DDTHH:MM:SSZ)",
}


def frictionless_problems(root: Path, good: dict[str, Table]) -> list[Problem]:
    """Validate the readable tables with Frictionless; return their problems."""
    if not good:
        return []
    from frictionless import FrictionlessException, Package

    try:
        resources = [_resource(name, table, good) for name, table in good.items()]
        report = Package(resources=resources, name="check").validate()
    except FrictionlessException as exc:  # should not happen after pass 1; report, never crash
        msg = f"frictionless: {excerpt(str(exc), 300)}"
        return [Problem(_label(root / "datapackage.json", root), None, None, msg)]
    except (TypeError, ValueError, AttributeError, KeyError, re.error) as exc:  # a constraint of an odd type
        msg = (
            f"Frictionless could not check the tables ({type(exc).__name__}: {excerpt(str(exc), 120)}); "
            "is a constraint in a schema of the wrong type (e.g. a text minimum on a date)?"
        )
        return [Problem(_label(root / "datapackage.json", root), None, None, msg)]
    problems: list[Problem] = []
    for task in report.tasks:
        found = good.get(task.name)
        if found is None:
            continue
        table = found
        rows_with_unique: set[int] = set()
        short: dict[int, list[str]] = {}  # row -> columns without a cell
        blank: set[int] = set()
        extra_rows: set[int | None] = set()
        for err in task.errors:
            if err.type == "missing-cell":
                short.setdefault(err.row_number, []).append(err.field_name)
            elif err.type == "blank-row":
                blank.add(err.row_number)
        problems.extend(short_row_problem(table, row, cols) for row, cols in short.items())
        for err in task.errors:
            err_row = getattr(err, "row_number", None)
            if err.type == "missing-cell" or (err_row in blank and err.type != "blank-row"):
                continue
            if err_row in short and getattr(err, "field_name", None) in short[err_row]:
                continue  # "required" on a cell that is not there: already said
            if err.type == "extra-cell":
                if err_row in extra_rows:
                    continue  # one message per row, not one per surplus cell
                extra_rows.add(err_row)
            p = convert(err, table, good)
            if p is None:
                continue
            if err.type == "unique-error":
                rows_with_unique.add(p.row or 0)
            if err.type == "primary-key" and (p.row or 0) in rows_with_unique:
                continue
            problems.append(p)
    return problems


def short_row_problem(table: Table, row: int, cols: list[str]) -> Problem:
    """A row with fewer cells than the header has columns (``cols``: the columns without a cell)."""
    n = len(table.header or []) - len(cols)
    return Problem(
        table.file,
        row,
        None,
        f"row has {n} cells but the header has {len(table.header or [])} columns "
        f"(no cell for: {', '.join(cols)}); is a comma or a quote missing?",
        line=table.line_of(row),
    )


def _resource(name: str, table: Table, good: dict[str, Table]) -> Any:
    """A Frictionless resource over the bytes already read (Frictionless opens no file)."""
    from frictionless import Resource, Schema

    schema = json.loads(json.dumps(table.schema))  # private copy
    schema["fieldsMatch"] = "partial"  # match columns by name; pass 1 already reported header problems
    fks = [
        fk
        for fk in schema.get("foreignKeys", [])
        if fk.get("reference", {}).get("resource", "") in ("", *good)
    ]
    if fks:
        schema["foreignKeys"] = fks
    else:
        schema.pop("foreignKeys", None)
    return Resource(
        table.raw, name=name, format="csv", encoding="utf-8", schema=Schema.from_descriptor(schema)
    )


def _field(table: Table, name: str | None) -> dict[str, Any]:
    for f in (table.schema or {}).get("fields", []):
        if f["name"] == name:
            return f
    return {}


def convert(err: Any, table: Table, good: dict[str, Table]) -> Problem | None:
    """A Frictionless error (or an object with the same attributes) as a Problem."""
    row = getattr(err, "row_number", None)
    col = getattr(err, "field_name", None) or None
    cell = getattr(err, "cell", None)
    note = getattr(err, "note", "") or ""
    kind = err.type
    fdef = _field(table, col)
    if kind == "type-error":
        ftype = fdef.get("type", "")
        fmt = fdef.get("format", "default")
        msg = _TYPE_HELP.get(ftype, f"is not a valid {ftype}")
        if ftype == "string" and fmt == "uri":
            msg = "is not a valid URL (expected https://...)"
        msg = f"{quote_excerpt(cell)} {msg}"
    elif kind == "constraint-error":
        m = _CONSTRAINT.search(note)
        cname = m.group(1) if m else ""
        cval = fdef.get("constraints", {}).get(cname)
        if cname == "required":
            msg = "is empty but required"
        elif cname == "minimum":
            msg = f"{quote_excerpt(cell)} is below the minimum {cval}" + (
                " (negative values are not allowed)" if cval == 0 else ""
            )
        elif cname == "maximum":
            msg = f"{quote_excerpt(cell)} is above the maximum {cval}"
        elif cname == "enum":
            msg = f"{quote_excerpt(cell)} is not one of: {', '.join(map(str, cval or []))}"
        elif cname == "pattern":
            hint = " (ids are lower-case slugs: a-z, 0-9, '_', '.', '-'; several ids are separated by ';')"
            msg = f"{quote_excerpt(cell)} does not match the pattern {cval}" + (
                hint if "a-z0-9" in str(cval) else ""
            )
        elif cname == "maxLength":
            msg = f"is {len(str(cell))} characters long; at most {cval} allowed"
        elif cname == "minLength":
            msg = f"is {len(str(cell))} characters long; at least {cval} needed"
        else:
            msg = f"{quote_excerpt(cell)} breaks the constraint: {excerpt(note, 120)}"
    elif kind == "unique-error":
        m = _SAME_ROW.search(note)
        msg = f"{quote_excerpt(cell)} is a duplicate" + (f" (same as row {m.group(1)})" if m else "")
    elif kind == "primary-key":
        keys = (table.schema or {}).get("primaryKey", [])
        keys = [keys] if isinstance(keys, str) else keys
        col = ", ".join(keys) or None
        m = _SAME_ROW.search(note)
        msg = "duplicate primary key" + (f" (same as row {m.group(1)})" if m else "")
    elif kind == "foreign-key":
        fields = getattr(err, "field_names", []) or []
        cells = getattr(err, "field_cells", []) or []
        col = ", ".join(fields) or None
        ref = getattr(err, "reference_name", "") or table.name
        ref_fields = ", ".join(getattr(err, "reference_field_names", []) or [])
        ref_file = good[ref].file if ref in good else ref
        value = ", ".join(quote_excerpt(c) for c in cells)
        msg = f"{value} not found in {ref_file} (column {ref_fields})"
    elif kind == "extra-cell":
        col = None
        msg = f"row has more cells than the header has columns (extra value {quote_excerpt(cell)})"
    elif kind == "blank-row":
        msg = "row is empty (delete it)"
    else:
        title = getattr(err, "title", "") or kind
        msg = f"{title}: {excerpt(note, 120)}" if note else title
    return Problem(table.file, row, col, msg, line=table.line_of(row))
