"""Validate the data package: structure, Frictionless Table Schema, then cross-table rules.

The work is done in three passes and every problem of every pass is collected:

1. structure (this module): ``datapackage.json`` and the schema files parse, every listed
   CSV exists, is not empty, is UTF-8 without a byte-order mark, has well-formed quoting and
   exactly the schema's columns;
2. Frictionless (:mod:`s400lab.data.schema_pass`): cell types, constraints, primary and
   foreign keys, row shape -- for every table that passed pass 1;
3. rules Table Schema cannot express (:mod:`s400lab.data.checks`): source ids exist, date
   precision, parameter ranges, scenario values, variants.

Nothing is ever written: the files are only read.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from s400lab.data import checks, frictionless_memo
from s400lab.data.problems import Problem
from s400lab.data.table import Table

#: Tables the workbook needs; datapackage.json may list more.
REQUIRED_TABLES = (
    "sources",
    "deals",
    "deliveries",
    "promises",
    "events",
    "parameters",
    "scenarios",
    "scenario_values",
)


def default_data_dir() -> Path:
    """The data directory: ``$S400LAB_DATA`` if set, else the repository's ``data/``.

    Returns
    -------
    pathlib.Path
        ``<repo>/data``, found relative to this package (``src/s400lab/data/`` -> ``data/``).
    """
    env = os.environ.get("S400LAB_DATA")
    if env:
        return Path(env).expanduser()
    return Path(__file__).resolve().parents[3] / "data"


@dataclass
class Inspection:
    """Everything learnt while validating a data directory."""

    path: Path
    descriptor: dict[str, Any] | None
    tables: dict[str, Table]
    problems: list[Problem]


def _label(path: Path, root: Path) -> str:
    try:
        rel = path.relative_to(root)
    except ValueError:
        rel = path
    return f"{root.name}/{rel.as_posix()}"


def _read_json(path: Path, label: str, what: str, problems: list[Problem]) -> Any:
    if not path.is_file():
        problems.append(Problem(label, None, None, f"{what} is missing"))
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        problems.append(Problem(label, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
    except json.JSONDecodeError as exc:
        problems.append(
            Problem(label, None, None, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")
        )
    return None


def _frictionless_schema_problems(schema: dict[str, Any], label: str) -> list[Problem]:
    from frictionless import FrictionlessException, Schema

    try:
        Schema.from_descriptor(schema)
    except FrictionlessException as exc:
        reasons = getattr(exc, "reasons", None) or []
        notes = [getattr(r, "note", None) or getattr(r, "message", str(r)) for r in reasons]
        msg = "; ".join(n for n in notes if n) or exc.error.note or exc.error.message
        return [Problem(label, None, None, f"not a valid Table Schema: {msg}")]
    return []


def _read_csv(table: Table, problems: list[Problem]) -> None:
    """Read ``table.path`` strictly; fill header/rows or report why not."""
    label, path = table.file, table.path
    if not path.is_file():
        problems.append(Problem(label, None, None, "file is missing (listed in datapackage.json)"))
        return
    raw = path.read_bytes()
    if not raw:
        problems.append(
            Problem(label, None, None, "file is empty (0 bytes); it needs at least the header row")
        )
        return
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(
            Problem(label, 1, None, "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
        )
        return
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(
                label, None, None, f"line {line}: not UTF-8 text (byte {raw[exc.start]:#04x}); save as UTF-8"
            )
        )
        return
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    starts: list[int] = []
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            hint = " (a quote is not closed?)" if "end of data" in str(exc) else ""
            problems.append(
                Problem(
                    label,
                    len(rows) + 1,
                    None,
                    f"broken quoting starting at line {start}: {exc}{hint}",
                    line=start,
                )
            )
            return
        rows.append(row)
        starts.append(start)
    table.header, table.rows, table.line_starts = rows[0], rows[1:], starts
    _check_header(table, problems)


def _check_header(table: Table, problems: list[Problem]) -> None:
    header = table.header or []
    label = table.file
    names = [f["name"] for f in (table.schema or {}).get("fields", [])]
    ok = True
    seen: set[str] = set()
    for col in header:
        if col == "":
            problems.append(Problem(label, 1, None, "a column has an empty name"))
            ok = False
        elif col in seen:
            problems.append(Problem(label, 1, col, "column appears twice in the header"))
            ok = False
        seen.add(col)
    if table.schema is None:
        return
    for col in names:
        if col not in seen:
            problems.append(Problem(label, 1, col, "column is missing from the header"))
    for col in header:
        if col and col not in names:
            problems.append(
                Problem(label, 1, col, f"unknown column (not in the schema; expected: {', '.join(names)})")
            )
    if ok and set(header) == set(names) and header != names:
        problems.append(
            Problem(label, 1, None, f"columns are not in the schema's order; expected: {', '.join(names)}")
        )
    table.readable = ok


def _memo_key(root: Path, dp_path: Path, resources: list[Any]) -> str | None:
    """Key of the files the Frictionless passes read (see :mod:`s400lab.data.frictionless_memo`)."""
    files = [dp_path]
    for res in resources:
        if not isinstance(res, dict):
            return None
        for rel in (res.get("schema"), res.get("path")):
            if isinstance(rel, str):
                if Path(rel).is_absolute() or ".." in Path(rel).parts:
                    return None
                files.append(root / rel)
    return frictionless_memo.package_key(root, files)


def inspect(path: str | os.PathLike[str] | None = None, *, use_memo: bool = True) -> Inspection:
    """Validate a data directory and return what was read plus every problem.

    Parameters
    ----------
    path : str or path-like, optional
        Directory holding ``datapackage.json`` (default: :func:`default_data_dir`).
    use_memo : bool, default True
        Skip the Frictionless passes when byte-identical files passed them before
        (:mod:`s400lab.data.frictionless_memo`); False always runs them.

    Returns
    -------
    Inspection
        ``problems`` is empty when the package is valid.
    """
    from s400lab.data.schema_pass import frictionless_problems

    root = Path(path) if path is not None else default_data_dir()
    problems: list[Problem] = []
    tables: dict[str, Table] = {}
    dp_path = root / "datapackage.json"
    if not root.is_dir():
        problems.append(Problem(str(root), None, None, "data directory does not exist"))
        return Inspection(root, None, tables, problems)
    descriptor = _read_json(dp_path, _label(dp_path, root), "datapackage.json", problems)
    if descriptor is None:
        return Inspection(root, None, tables, problems)
    dp_label = _label(dp_path, root)
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        problems.append(Problem(dp_label, None, None, 'needs a "resources" list'))
        return Inspection(root, None, tables, problems)
    memo_key = _memo_key(root, dp_path, resources)
    skip_frictionless = use_memo and frictionless_memo.known_valid(memo_key)

    for i, res in enumerate(resources):
        name = res.get("name") if isinstance(res, dict) else None
        rpath = res.get("path") if isinstance(res, dict) else None
        if not isinstance(name, str) or not isinstance(rpath, str):
            problems.append(Problem(dp_label, None, None, f'resource #{i + 1} needs a "name" and a "path"'))
            continue
        if Path(rpath).is_absolute() or ".." in Path(rpath).parts:
            problems.append(
                Problem(dp_label, None, None, f"resource {name!r}: path must stay inside {root.name}/")
            )
            continue
        table = Table(name, _label(root / rpath, root), root / rpath)
        tables[name] = table
        schema = res.get("schema")
        if isinstance(schema, str):
            spath = root / schema
            slabel = _label(spath, root)
            schema = _read_json(
                spath, slabel, f"schema file for {name!r} (listed in datapackage.json)", problems
            )
        else:
            slabel = dp_label
        if isinstance(schema, dict):
            schema_problems = [] if skip_frictionless else _frictionless_schema_problems(schema, slabel)
            problems.extend(schema_problems)
            if not schema_problems:
                table.schema = schema
        elif schema is not None:
            problems.append(Problem(slabel, None, None, "schema must be a JSON object"))
        elif "schema" not in res:
            problems.append(Problem(dp_label, None, None, f'resource {name!r} has no "schema"'))
        _read_csv(table, problems)

    for name in REQUIRED_TABLES:
        if name not in tables:
            problems.append(
                Problem(dp_label, None, None, f"no resource named {name!r} (the workbook needs it)")
            )
    listed = {t.path.resolve() for t in tables.values()}
    for csv_path in sorted(root.glob("*.csv")):
        if csv_path.resolve() not in listed:
            problems.append(
                Problem(_label(csv_path, root), None, None, "file is not described in datapackage.json")
            )

    good = {n: t for n, t in tables.items() if t.readable and t.schema is not None}
    if not skip_frictionless:
        problems.extend(frictionless_problems(root, good))
    problems.extend(checks.run(tables))
    if not problems:
        frictionless_memo.remember_valid(memo_key)

    order = {t.file: i for i, t in enumerate(tables.values())}
    problems.sort(key=lambda p: (order.get(p.file, -1), p.row or 0))
    return Inspection(root, descriptor, tables, _dedupe(problems))


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for p in problems:
        key = (p.file, p.row, p.column, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def validate(path: str | os.PathLike[str] | None = None) -> list[Problem]:
    """Check a data directory; return every problem found (an empty list = valid).

    Parameters
    ----------
    path : str or path-like, optional
        Directory holding ``datapackage.json`` (default: :func:`default_data_dir`).

    Returns
    -------
    list of Problem
    """
    return inspect(path, use_memo=False).problems
