"""Pass 2 of the validation, column by column: types, constraints and keys without Frictionless.

Frictionless checks a table row by row in Python (a 200,000-row events table took some 14 s of
a 24 s ``validate``). The workbook's own tables use a small part of Table Schema, so for them the
same checks run here a column at a time: each distinct value of a column is judged once (type,
``pattern``, ``enum``, length, bounds), whole-column set operations find missing, duplicate and
dangling keys, and only the rows of a value found wrong are looked up. The verdicts and messages
are Frictionless' own, in its order (a cell's type, then its constraints in the order
``required, minLength, maxLength, pattern, enum`` or ``required, minimum, maximum``; the row's
surplus or missing cells; then ``unique``, the primary key and the foreign keys): each one is
built as a Frictionless-shaped error and worded by :func:`s400lab.data.schema_pass.convert`, so
one function words both. A test corrupts valid tables at random and checks that both ways give
the same problems (``tests/data/test_data_columns.py``).

Only schemas inside that subset are checked here (:func:`supported`); if any readable table's
schema goes beyond it (another type or format, a reading option, a constraint on another type,
a header that is not exactly the schema's fields in order, a key over non-text fields), every
table goes to Frictionless as before. The shipped schemas, and any folder's schemas that pass
the contract (:mod:`s400lab.data.contract`), are inside it. Patterns are the schemas' own: a
data folder can only use the shipped, reviewed ones (the contract refuses any other).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from typing import Any

from s400lab.data.cells import number_problem, parse_date, transpose
from s400lab.data.literals import BOOL_FALSE, BOOL_TRUE
from s400lab.data.problems import Problem
from s400lab.data.schema_pass import convert, short_row_problem
from s400lab.data.table import Table

__all__ = ["column_problems", "supported", "table_problems"]

_TYPES = {"string", "number", "integer", "date", "year", "boolean"}
_SCHEMA_KEYS = {"fields", "missingValues", "primaryKey", "foreignKeys", "title", "description", "$schema"}
_FIELD_PROSE = {"name", "type", "format", "constraints", "title", "description", "example", "unit", "rdfType"}
_STRING_CONSTRAINTS = ("required", "minLength", "maxLength", "pattern", "enum")
_NUMBER_CONSTRAINTS = ("required", "minimum", "maximum")


def _names(value: Any) -> list[str] | None:
    """A key's field list (a name or a list of names), or None if it is neither."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def _is_num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _field_supported(f: dict[str, Any]) -> bool:
    ftype, fmt = f.get("type", "string"), f.get("format", "default")
    extra = set(f) - _FIELD_PROSE
    if ftype == "boolean":  # its spellings: lists of texts
        extra -= {
            k
            for k in ("trueValues", "falseValues")
            if isinstance(f.get(k), list) and _names(f[k]) is not None
        }
    if ftype not in _TYPES or extra:
        return False
    if fmt != "default" and not (ftype == "string" and fmt == "uri"):
        return False
    constraints = f.get("constraints", {})
    if not isinstance(constraints, dict):
        return False
    allowed = (
        (*_STRING_CONSTRAINTS, "unique")
        if ftype == "string"
        else ("required", "minimum", "maximum")
        if ftype in ("number", "integer", "year")
        else ("required",)
    )
    for key, value in constraints.items():
        if key not in allowed:
            return False
        if key in ("required", "unique") and not isinstance(value, bool):
            return False
        if key in ("minLength", "maxLength") and not (isinstance(value, int) and not isinstance(value, bool)):
            return False
        if key == "pattern" and not isinstance(value, str):
            return False
        if key == "enum" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            return False
        if key in ("minimum", "maximum"):
            ok = (
                _is_num(value)
                if ftype == "number"
                else isinstance(value, int) and not isinstance(value, bool)
            )
            if not ok:
                return False
    return True


def _plain_text(f: dict[str, Any]) -> bool:
    """A string field read as is (keys over it compare the texts themselves)."""
    return f.get("type", "string") == "string" and f.get("format", "default") == "default"


def supported(table: Table, good: dict[str, Table]) -> bool:
    """True if this module checks ``table`` exactly as Frictionless would (see the module)."""
    schema = table.schema
    if not isinstance(schema, dict) or set(schema) - _SCHEMA_KEYS:
        return False
    fields = schema.get("fields")
    if not isinstance(fields, list) or not all(isinstance(f, dict) for f in fields):
        return False
    if table.header != [f.get("name") for f in fields] or not all(_field_supported(f) for f in fields):
        return False
    mv = schema.get("missingValues", [""])
    if not isinstance(mv, list) or not all(isinstance(v, str) for v in mv):
        return False
    text = {f["name"] for f in fields if _plain_text(f)}
    pk = _names(schema.get("primaryKey", []))
    if pk is None or not set(pk) <= text:
        return False
    fks = schema.get("foreignKeys", [])
    if not isinstance(fks, list):
        return False
    for fk in fks:
        if not isinstance(fk, dict) or not isinstance(fk.get("reference"), dict):
            return False
        ref = fk["reference"]
        mine, theirs = _names(fk.get("fields")), _names(ref.get("fields"))
        target = ref.get("resource", "")
        if mine is None or theirs is None or len(mine) != len(theirs) or not set(mine) <= text:
            return False
        if not isinstance(target, str):
            return False
        if target in ("", table.name):
            if not set(theirs) <= text:
                return False
        elif target in good:
            tschema = good[target].schema or {}
            ttext = {
                f.get("name") for f in tschema.get("fields", []) if isinstance(f, dict) and _plain_text(f)
            }
            if not set(theirs) <= ttext:
                return False
    return True


# --------------------------------------------------------------------------- one table


_COLUMNS: dict[int, tuple[Any, _Columns]] = {}


def _columns(table: Table) -> _Columns:
    """The table as columns, built once per table and rows (a foreign key reads it too)."""
    key = (id(table.rows), len(table.rows), id(table.header))
    hit = _COLUMNS.get(id(table))
    if hit is None or hit[0] != key:
        hit = _COLUMNS[id(table)] = (key, _Columns(table))
    return hit[1]


class _Columns:
    """A table as columns: ``cols[j][i]`` the text of field j in data row i, None if the row
    has no such cell; ``width[i]`` how many cells row i has."""

    def __init__(self, table: Table) -> None:
        header = table.header or []
        self.n_fields = len(header)
        rows = table.rows
        self.lengths = list(map(len, rows))
        w = self.n_fields
        if rows and min(self.lengths) == max(self.lengths) == w:
            self.cols: list[Sequence[str | None]] = list(transpose(rows, w))
        else:
            padded = [r[:w] if len(r) >= w else [*r, *([None] * (w - len(r)))] for r in rows]
            self.cols = list(transpose(padded, w))
        self.index = {name: j for j, name in enumerate(header)}


def _rows_with(col: Sequence[str | None], bad: set[Any]) -> Iterable[int]:
    """Indexes of the cells of ``col`` whose value is in ``bad``."""
    return (i for i, v in enumerate(col) if v in bad)


def _err(kind: str, row: int, **kw: Any) -> SimpleNamespace:
    return SimpleNamespace(type=kind, row_number=row, **kw)


def _type_ok(field: dict[str, Any]) -> Any:
    """A function: does a (non-missing) text have this field's type, as Frictionless reads it?

    Numbers, integers, dates and years are also checked by the grammar pass
    (:mod:`s400lab.data.cells`), which is stricter than Frictionless and whose message for the
    cell wins; so a text the grammar takes is one Frictionless takes, and a text it refuses is
    reported by it (what is said here for that cell is dropped)."""
    ftype, fmt = field.get("type", "string"), field.get("format", "default")
    if ftype == "number":
        return lambda t: number_problem(t) is None
    if ftype == "integer":
        return lambda t: number_problem(t, integer=True) is None
    if ftype == "date":

        def is_date(t: str) -> bool:
            try:
                parse_date(t)
            except ValueError:
                return False
            return True

        return is_date
    if ftype == "year":
        return lambda t: len(t) == 4 and t.isascii() and t.isdigit()
    if ftype == "boolean":
        spelt = frozenset(field.get("trueValues", BOOL_TRUE)) | frozenset(
            field.get("falseValues", BOOL_FALSE)
        )
        return spelt.__contains__
    if fmt == "uri":
        return _uri_ok
    return None


def _uri_ok(text: str) -> bool:
    import rfc3986  # what Frictionless uses for format "uri"
    from rfc3986 import exceptions, validators

    validator = validators.Validator().require_presence_of("scheme")
    try:
        validator.validate(rfc3986.uri_reference(text))
    except exceptions.ValidationError:
        return False
    return True


def _bound_ok(ftype: str, name: str, bound: Any) -> Any:
    limit = Decimal(str(bound)) if isinstance(bound, float) else bound

    def value(t: str) -> Any:
        try:
            return Decimal(t.strip()) if ftype == "number" else int(t)
        except (InvalidOperation, ValueError):
            return None

    if name == "minimum":
        return lambda t: (v := value(t)) is None or v >= limit
    return lambda t: (v := value(t)) is None or v <= limit


def _cell_checks(field: dict[str, Any]) -> list[tuple[str, Any]]:
    """The constraint checks of a field, in Frictionless' order: ``(name, f)`` where ``f(texts)``
    gives the (non-missing, well-typed) texts that break the constraint."""
    ftype = field.get("type", "string")
    c = field.get("constraints") or {}
    out: list[tuple[str, Any]] = []
    order = _STRING_CONSTRAINTS if ftype == "string" else _NUMBER_CONSTRAINTS
    for name in order[1:]:  # "required" is about missing cells
        if name not in c:
            continue
        v = c[name]
        if name == "minLength":
            out.append((name, lambda ts, v=v: {t for t in ts if len(t) < v}))
        elif name == "maxLength":
            out.append((name, lambda ts, v=v: {t for t in ts if len(t) > v}))
        elif name == "pattern":
            match = re.compile(f"^{v}$").match  # as Frictionless compiles it ("$" as Python reads it)
            out.append((name, lambda ts, match=match: {t for t in ts if match(t) is None}))
        elif name == "enum":
            allowed = frozenset(v)
            out.append((name, lambda ts, allowed=allowed: ts - allowed))
        else:
            ok = _bound_ok(ftype, name, v)
            out.append((name, lambda ts, ok=ok: {t for t in ts if not ok(t)}))
    return out


class _Check:
    """The problems of one table, gathered per row in Frictionless' order."""

    def __init__(
        self, table: Table, good: dict[str, Table], lookups: dict[tuple[str, tuple[str, ...]], set[Any]]
    ):
        self.table = table
        self.good = good
        self.lookups = lookups
        schema = table.schema or {}
        self.fields = schema["fields"]
        self.missing = frozenset(schema.get("missingValues", [""]))
        self.data = _columns(table)
        self.by_row: dict[int, list[Any]] = {}  # data row index -> Frictionless-shaped errors
        self.short: dict[int, list[str]] = {}
        self.blank: set[int] = set()

    def add(self, i: int, err: Any) -> None:
        self.by_row.setdefault(i, []).append(err)

    # ----------------------------------------------------------------- cells
    def cells(self) -> list[dict[int, list[Any]]]:
        """Per field, ``{row index: [cell errors]}`` (type, then constraints)."""
        out = []
        for f, col in zip(self.fields, self.data.cols):
            errs: dict[int, list[Any]] = {}
            name = f["name"]
            required = bool((f.get("constraints") or {}).get("required"))
            distinct = set(col)
            present = distinct - self.missing - {None}
            typed = _type_ok(f)
            wrong_type = {t for t in present if not typed(t)} if typed else set()
            typed_ok = present - wrong_type
            fails = [(cname, broken(typed_ok)) for cname, broken in _cell_checks(f)]
            verdicts: dict[str, list[str]] = {}
            for t in set().union(*(b for _, b in fails)):
                verdicts[t] = [cname for cname, b in fails if t in b]
            if required and (distinct & self.missing or None in distinct):
                for i in _rows_with(col, set(self.missing) | {None}):
                    errs.setdefault(i, []).append(self._constraint(i, name, col[i] or "", "required", f))
            if wrong_type:
                for i in _rows_with(col, wrong_type):
                    errs.setdefault(i, []).append(
                        _err("type-error", i + 2, field_name=name, cell=col[i], note="")
                    )
            if verdicts:
                for i in _rows_with(col, set(verdicts)):
                    t = col[i]
                    for cname in verdicts[t]:  # type: ignore[index]
                        errs.setdefault(i, []).append(self._constraint(i, name, t, cname, f))
            out.append(errs)
        return out

    def _constraint(self, i: int, name: str, cell: Any, cname: str, f: dict[str, Any]) -> Any:
        value = (f.get("constraints") or {}).get(cname)
        note = f'constraint "{cname}" is "{value}"'
        return _err("constraint-error", i + 2, field_name=name, cell="" if cell is None else cell, note=note)

    # ----------------------------------------------------------------- shape
    def shape(self) -> dict[int, list[Any]]:
        """Surplus cells (one error per row), short rows and blank rows."""
        out: dict[int, list[Any]] = {}
        n = self.data.n_fields
        header = self.table.header or []
        lengths = self.data.lengths
        if min(lengths, default=n) < n or max(lengths, default=n) > n:
            for i, (k, r) in enumerate(zip(lengths, self.table.rows)):
                if k > n:
                    out[i] = [_err("extra-cell", i + 2, field_name="", cell=r[n], note="")]
                elif k < n:
                    self.short[i] = list(header[k:])
        # a blank row: every cell missing (or absent); it needs a missing cell in every column
        if all((None in col or not self.missing.isdisjoint(col)) for col in self.data.cols) and n:
            miss = set(self.missing) | {None}
            cands = set(range(len(lengths)))
            for col in self.data.cols:
                cands &= set(_rows_with(col, miss))
                if not cands:
                    break
            self.blank = cands
        return out

    # ----------------------------------------------------------------- keys
    def _value(self, col: Sequence[str | None], i: int) -> str | None:
        v = col[i]
        return None if v is None or v in self.missing else v

    def unique(self) -> dict[int, list[Any]]:
        out: dict[int, list[Any]] = {}
        for f, col in zip(self.fields, self.data.cols):
            if not (f.get("constraints") or {}).get("unique"):
                continue
            present = (
                [v for v in col if v is not None and v not in self.missing]
                if (None in col or not self.missing.isdisjoint(col))
                else col
            )
            if len(set(present)) == len(present):
                continue
            last: dict[str, int] = {}
            for i in range(len(col)):
                v = self._value(col, i)
                if v is None:
                    continue
                if v in last:
                    note = f"the same as in the row at position {last[v]}"
                    out.setdefault(i, []).append(
                        _err("unique-error", i + 2, field_name=f["name"], cell=v, note=note)
                    )
                last[v] = i + 2
        return out

    def primary(self) -> dict[int, list[Any]]:
        keys = _names((self.table.schema or {}).get("primaryKey", [])) or []
        if not keys:
            return {}
        cols = [self.data.cols[self.data.index[k]] for k in keys]
        out: dict[int, list[Any]] = {}
        tuples = list(zip(*cols))
        any_missing = any(None in c or not self.missing.isdisjoint(c) for c in cols)
        if not any_missing and len(set(tuples)) == len(tuples):
            return {}
        last: dict[tuple[Any, ...], int] = {}
        for i in range(len(tuples)):
            cells = tuple(self._value(c, i) for c in cols)
            if all(v is None for v in cells):
                out[i] = [_err("primary-key", i + 2, note='cells composing the primary keys are all "None"')]
                continue
            if cells in last:
                note = f"the same as in the row at position {last[cells]}"
                out[i] = [_err("primary-key", i + 2, note=note)]
            last[cells] = i + 2
        return out

    def foreign(self) -> dict[int, list[Any]]:
        out: dict[int, list[Any]] = {}
        for fk in (self.table.schema or {}).get("foreignKeys", []):
            ref = fk["reference"]
            source = ref.get("resource", "")
            if source not in ("", *self.good):
                continue
            mine, theirs = _names(fk["fields"]) or [], tuple(_names(ref["fields"]) or [])
            lookup = self.lookups[(source or self.table.name, theirs)]
            cols = [self.data.cols[self.data.index[k]] for k in mine]
            if len(cols) == 1:  # the usual case: one column, judged by its distinct values
                values = set(cols[0]) - self.missing - {None}
                if not values - lookup:
                    continue
            for i, cells in enumerate(zip(*cols)):
                vals = tuple(None if v is None or v in self.missing else v for v in cells)
                if all(v is None for v in vals) or (vals[0] if len(vals) == 1 else vals) in lookup:
                    continue
                err = _err(
                    "foreign-key",
                    i + 2,
                    field_names=list(mine),
                    field_cells=["" if v is None else v for v in vals],
                    reference_name=source,
                    reference_field_names=list(theirs),
                    note="",
                )
                out.setdefault(i, []).append(err)
        return out

    # ----------------------------------------------------------------- all
    def problems(self) -> list[Problem]:
        table = self.table
        per_field = self.cells()
        extra = self.shape()
        later = [self.unique(), self.primary(), self.foreign()]
        rows = set(extra) | set(self.short) | self.blank
        for by_row in [*per_field, *later]:
            rows |= set(by_row)
        out: list[Problem] = []
        for i in sorted(rows):
            if i in self.short and i not in self.blank:
                out.append(short_row_problem(table, i + 2, self.short[i]))
            errs: list[Any]
            if i in self.blank:
                errs = [_err("blank-row", i + 2, note="")]
            else:
                absent = set(self.short.get(i, ()))
                errs = [
                    e for f, d in zip(self.fields, per_field) if f["name"] not in absent for e in d.get(i, ())
                ]
                errs += extra.get(i, [])
            errs += [e for d in later for e in d.get(i, ())]
            with_unique = False
            for err in errs:
                if i in self.blank and err.type != "blank-row":
                    continue
                if err.type == "primary-key" and with_unique:
                    continue
                p = convert(err, table, self.good)
                if p is None:
                    continue
                if err.type == "unique-error":
                    with_unique = True
                out.append(p)
        return out


def _lookups(good: dict[str, Table]) -> dict[tuple[str, tuple[str, ...]], set[Any]]:
    """For every foreign key: the referenced resource's key tuples (all-missing ones left out);
    for a key of one field, its values."""
    out: dict[tuple[str, tuple[str, ...]], set[Any]] = {}
    for table in good.values():
        for fk in (table.schema or {}).get("foreignKeys", []):
            ref = fk["reference"]
            source = ref.get("resource", "") or table.name
            theirs = tuple(_names(ref["fields"]) or [])
            if source not in good or (source, theirs) in out:
                continue
            src = good[source]
            data = _columns(src)
            missing = frozenset((src.schema or {}).get("missingValues", [""]))
            cols = [data.cols[data.index[k]] for k in theirs]
            if len(cols) == 1:
                out[(source, theirs)] = set(cols[0]) - missing - {None}  # one key: the values themselves
                continue
            keys = set()
            for cells in zip(*cols):
                vals = tuple(None if v is None or v in missing else v for v in cells)
                if any(v is not None for v in vals):
                    keys.add(vals)
            out[(source, theirs)] = keys
    return out


def column_problems(good: dict[str, Table]) -> list[Problem]:
    """The problems Frictionless would report for the ``good`` tables (all :func:`supported`)."""
    out: list[Problem] = []
    try:
        lookups = _lookups(good)
        for table in good.values():
            out.extend(_Check(table, good, lookups).problems())
    finally:
        _COLUMNS.clear()  # the columns are not kept beyond one check
    return out


def table_problems(root: Any, good: dict[str, Table]) -> list[Problem]:
    """Pass 2: column by column when every table is :func:`supported`, else by Frictionless."""
    if all(supported(t, good) for t in good.values()):
        return column_problems(good)
    from s400lab.data.schema_pass import frictionless_problems

    return frictionless_problems(root, good)
