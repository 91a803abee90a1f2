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
import gc
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from s400lab._inputs import InputError, excerpt, loads_json, read_regular_file, resolve_inside, text_problem
from s400lab.data import cells, checks, columns, contract, frictionless_memo
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


#: Largest ``datapackage.json`` or schema file read (bytes).
MAX_JSON_BYTES = 1_000_000
#: Largest CSV file read (bytes); the shipped tables are well under 1 MB.
MAX_CSV_BYTES = 20_000_000


def _label(path: Path, root: Path) -> str:
    try:
        rel = path.relative_to(root)
    except ValueError:
        rel = path
    return f"{root.name}/{rel.as_posix()}"


class _Reader:
    """Reads files of one data directory: only regular files inside it, each under a size limit.

    Every file read is kept as ``(relative path, bytes)`` in :attr:`files` (the Frictionless memo
    key covers exactly these bytes); every refusal becomes a Problem naming the file.
    """

    def __init__(self, root: Path, problems: list[Problem]) -> None:
        self.root = root
        self.problems = problems
        self.files: list[tuple[str, bytes]] = []
        self.declared: set[str] = set()  # resource names in datapackage.json, readable or not
        self.declared_paths: set[Path] = set()  # their paths as written (a refused one included)

    def locate(self, rel: str, owner: str, what: str) -> Path | None:
        """Resolve ``rel`` (a path written in ``owner``) inside the folder, or report why not."""
        try:
            return resolve_inside(self.root, rel)
        except InputError as exc:
            self.problems.append(Problem(owner, None, None, f"{what}: {exc}"))
            return None

    def read(self, path: Path, label: str, what: str, limit: int, missing: str = "") -> bytes | None:
        """The bytes of a regular file, or None with a Problem (missing, special file, too big)."""
        if not os.path.lexists(path):
            self.problems.append(Problem(label, None, None, missing or f"{what} is missing"))
            return None
        try:
            data = read_regular_file(path, limit=limit, what=what)
        except InputError as exc:
            self.problems.append(Problem(label, None, None, str(exc).removeprefix(f"{path}: ")))
            return None
        self.files.append((label, data))
        return data

    def json(self, path: Path, label: str, what: str) -> Any:
        """Parse a JSON file strictly (depth, duplicate keys, finite numbers), or None."""
        data = self.read(path, label, what, MAX_JSON_BYTES)
        if data is None:
            return None
        try:
            return loads_json(data.decode("utf-8"), source="file")
        except UnicodeDecodeError as exc:
            self.problems.append(
                Problem(label, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
            )
        except InputError as exc:
            self.problems.append(Problem(label, None, None, str(exc).removeprefix("file: ")))
        return None


def _frictionless_schema_problems(schema: dict[str, Any], label: str) -> list[Problem]:
    from frictionless import FrictionlessException, Schema

    try:
        Schema.from_descriptor(schema)
    except (TypeError, AttributeError, KeyError, ValueError) as exc:  # Frictionless trips on odd shapes
        return [
            Problem(
                label,
                None,
                None,
                f"not a valid Table Schema ({type(exc).__name__}: {excerpt(str(exc), 120)})",
            )
        ]
    except FrictionlessException as exc:
        reasons = getattr(exc, "reasons", None) or []
        notes = [getattr(r, "note", None) or getattr(r, "message", str(r)) for r in reasons]
        msg = "; ".join(n for n in notes if n) or exc.error.note or exc.error.message
        return [Problem(label, None, None, f"not a valid Table Schema: {excerpt(msg, 300)}")]
    return []


def _decode(table: Table, raw: bytes, problems: list[Problem]) -> str | None:
    label = table.file
    if not raw:
        problems.append(
            Problem(label, None, None, "file is empty (0 bytes); it needs at least the header row")
        )
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(
            Problem(label, 1, None, "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
        )
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(
                label, None, None, f"line {line}: not UTF-8 text (byte {raw[exc.start]:#04x}); save as UTF-8"
            )
        )
        return None


def _read_csv(table: Table, raw: bytes, problems: list[Problem]) -> None:
    """Parse the bytes of ``table`` strictly; fill header/rows or report why not."""
    text = _decode(table, raw, problems)
    if text is None:
        return
    table.raw = raw
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
                    table.file,
                    len(rows) + 1,
                    None,
                    f"broken quoting starting at line {start}: {excerpt(str(exc), 120)}{hint}",
                    line=start,
                )
            )
            return
        rows.append(row)
        starts.append(start)
    table.header, table.rows, table.line_starts = rows[0], rows[1:], starts
    _check_header(table, problems)


def _column(name: str) -> str:
    """A header cell as shown in a message: itself if short and plain, else a short escaped excerpt."""
    if len(name) <= 60 and text_problem(name, allow_newlines=False) is None:
        return name
    return excerpt(name)


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
            problems.append(Problem(label, 1, _column(col), "column appears twice in the header"))
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
                Problem(
                    label,
                    1,
                    _column(col),
                    f"unknown column (not in the schema; expected: {', '.join(names)})",
                )
            )
    if ok and set(header) == set(names) and header != names:
        problems.append(
            Problem(label, 1, None, f"columns are not in the schema's order; expected: {', '.join(names)}")
        )
    table.readable = ok


@dataclass
class _Resource:
    """One resource of datapackage.json after its files were read (not yet parsed)."""

    table: Table
    schema: Any
    schema_label: str
    raw: bytes | None
    res: dict[str, Any]


def _read_schema(reader: _Reader, res: dict[str, Any], name: str, dp_label: str) -> tuple[Any, str]:
    """The resource's schema (inline, or read from its checked path) and the label of its file."""
    schema = res.get("schema")
    if "schema" not in res:
        reader.problems.append(Problem(dp_label, None, None, f'resource {name!r} has no "schema"'))
    elif isinstance(schema, str):
        spath = reader.locate(schema, dp_label, f"resource {name!r}, schema")
        if spath is None:
            return None, dp_label
        slabel = _label(reader.root / schema, reader.root)
        what = f"schema file for {name!r} (listed in datapackage.json)"
        schema = reader.json(spath, slabel, what)
        if schema is not None and not isinstance(schema, dict):
            reader.problems.append(Problem(slabel, None, None, "schema must be a JSON object"))
            return None, slabel
        return schema, slabel
    elif not isinstance(schema, dict):
        reader.problems.append(Problem(dp_label, None, None, "schema must be a JSON object"))
        return None, dp_label
    return schema, dp_label


def _read_resource(reader: _Reader, i: int, res: Any, dp_label: str) -> _Resource | None:
    """Check one entry of ``resources`` and read its files (only regular files inside the folder)."""
    name = res.get("name") if isinstance(res, dict) else None
    rpath = res.get("path") if isinstance(res, dict) else None
    if not isinstance(name, str) or not isinstance(rpath, str):
        reader.problems.append(
            Problem(dp_label, None, None, f'resource #{i + 1} needs a "name" and a "path"')
        )
        return None
    bad_name = text_problem(name, allow_newlines=False)
    if bad_name or len(name) > 60:
        why = bad_name or "is longer than 60 characters"
        reader.problems.append(
            Problem(dp_label, None, None, f"resource #{i + 1}: name {excerpt(name)} {why}")
        )
        return None
    reader.declared.add(name)
    reader.declared_paths.add(Path(os.path.normpath(reader.root / rpath)))
    assert isinstance(res, dict)
    unsupported = _unsupported(res, name)
    if unsupported:
        reader.problems.append(Problem(dp_label, None, None, unsupported))
        return None
    path = reader.locate(rpath, dp_label, f"resource {name!r}")
    if path is None:
        return None
    schema, slabel = _read_schema(reader, res, name, dp_label)
    table = Table(name, _label(reader.root / rpath, reader.root), path)
    missing = "file is missing (listed in datapackage.json)"
    raw = reader.read(path, table.file, "CSV file", MAX_CSV_BYTES, missing=missing)
    return _Resource(table, schema, slabel, raw, res)


def _foreign_key_problems(entry: _Resource, declared: set[str]) -> list[Problem]:
    """A foreign key must name a resource of the package ("" = the table itself)."""
    out = []
    for fk in entry.schema.get("foreignKeys") or []:
        ref = fk.get("reference") if isinstance(fk, dict) else None
        target = ref.get("resource", "") if isinstance(ref, dict) else ""
        if target != "" and target not in declared:
            msg = f"foreign key refers to resource {excerpt(target)}, which datapackage.json does not list"
            out.append(Problem(entry.schema_label, None, None, msg))
    return out


def _unlisted_csv_problems(root: Path, tables: dict[str, Table], declared: set[Path]) -> list[Problem]:
    listed = {t.path for t in tables.values()} | declared
    out = []
    for csv_path in sorted(root.glob("*.csv")):
        try:
            target = csv_path.resolve()
        except (OSError, RuntimeError):
            target = csv_path
        if target not in listed and Path(os.path.normpath(csv_path)) not in listed:
            out.append(
                Problem(_label(csv_path, root), None, None, "file is not described in datapackage.json")
            )
    return out


def _required_problems(dp_label: str, tables: dict[str, Table], declared: set[str]) -> list[Problem]:
    out = []
    for name in REQUIRED_TABLES:
        table = tables.get(name)
        if name not in declared:
            out.append(Problem(dp_label, None, None, f"no resource named {name!r} (the workbook needs it)"))
        elif table is not None and table.header is not None and not table.records():
            out.append(
                Problem(
                    table.file, None, None, "has a header but no data rows; the workbook needs this table"
                )
            )
    return out


_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+_-]{0,39}")
#: Resource properties that must keep their only supported value (or be left out).
_FIXED = {"format": "csv", "encoding": "utf-8", "mediatype": "text/csv"}


def _unsupported(res: dict[str, Any], name: str) -> str | None:
    """Why a resource asks for a way of reading the data does not support, or None."""
    if "dialect" in res:
        return f"resource {name!r}: a dialect is not supported (files are comma-separated, double-quoted)"
    for key, only in _FIXED.items():
        if key in res and not (isinstance(res[key], str) and res[key].lower() == only):
            return f"resource {name!r}: {key} {excerpt(res[key])} is not supported (only {only})"
    return None


def _read_package(reader: _Reader, dp_label: str) -> tuple[Any, list[_Resource]] | None:
    """Read datapackage.json and every listed file; None if the descriptor is unusable."""
    dp_path = reader.locate("datapackage.json", dp_label, "datapackage.json")
    descriptor = None if dp_path is None else reader.json(dp_path, dp_label, "datapackage.json")
    if descriptor is None:
        return None
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        reader.problems.append(Problem(dp_label, None, None, 'needs a "resources" list'))
        return None
    loaded: list[_Resource] = []
    for i, res in enumerate(resources):
        entry = _read_resource(reader, i, res, dp_label)
        if entry is None:
            continue
        twin = next((e for e in loaded if entry.table.path == e.table.path), None)
        if any(e.table.name == entry.table.name for e in loaded):
            reader.problems.append(
                Problem(dp_label, None, None, f"resource name {entry.table.name!r} appears twice")
            )
        elif twin is not None:
            msg = (
                f"resource {entry.table.name!r}: its file is already the file of resource {twin.table.name!r}"
            )
            reader.problems.append(Problem(dp_label, None, None, msg))
        else:
            loaded.append(entry)
    version = descriptor.get("version")
    if version is not None and not (isinstance(version, str) and _VERSION.fullmatch(version)):
        reader.problems.append(
            Problem(dp_label, None, None, f"$.version {excerpt(version)} is not like 0.2.0")
        )
    return descriptor, loaded


def inspect(path: str | os.PathLike[str] | None = None, *, use_memo: bool = True) -> Inspection:
    """Validate a data directory and return what was read plus every problem.

    Only regular files inside the directory are read (paths resolved, symlinks included; no
    URLs, absolute paths or ``..``), each under a size limit (:data:`MAX_JSON_BYTES`,
    :data:`MAX_CSV_BYTES`); Frictionless is handed the bytes already read, never a path.
    The cyclic garbage collector is paused while it runs (a large table is millions of small
    objects and none of them form cycles; its passes over them cost seconds).

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
    paused = gc.isenabled()
    gc.disable()
    try:
        return _inspect(path, use_memo=use_memo)
    finally:
        if paused:
            gc.enable()


def _inspect(path: str | os.PathLike[str] | None = None, *, use_memo: bool = True) -> Inspection:
    """The work of :func:`inspect` (the garbage collector paused)."""
    root = Path(path) if path is not None else default_data_dir()
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(Problem(str(root), None, None, "data directory does not exist"))
        return Inspection(root, None, {}, problems)
    reader = _Reader(root, problems)
    dp_label = _label(root / "datapackage.json", root)
    package = _read_package(reader, dp_label)
    if package is None:
        return Inspection(root, None, {}, problems)
    descriptor, loaded = package
    memo_key = None if problems else frictionless_memo.contents_key(reader.files)
    skip_frictionless = use_memo and frictionless_memo.known_valid(memo_key)
    tables: dict[str, Table] = {}
    agreed = contract.shipped(root)  # None: this is the shipped folder, the contract itself
    declared = {e.table.name: e.schema for e in loaded if isinstance(e.schema, dict)}
    for entry in loaded:
        table = tables[entry.table.name] = entry.table
        if isinstance(entry.schema, dict):
            bad = [Problem(entry.schema_label, None, None, m) for m in cells.schema_problems(entry.schema)]
            if not bad and not skip_frictionless:
                bad = _frictionless_schema_problems(entry.schema, entry.schema_label)
            bad = bad or _foreign_key_problems(entry, reader.declared)
            if not bad and agreed is not None:  # the shipped descriptor is the contract
                msgs = agreed.departures(entry.table.name, entry.schema, entry.schema_label, declared)
                bad = [Problem(entry.schema_label, None, None, m) for m in msgs]
            problems.extend(bad)
            table.schema = None if bad else entry.schema
        if entry.raw is not None:
            stale = contract.integrity_problems(entry.res, entry.raw, table.file)
            problems.extend(Problem(dp_label, None, None, m) for m in stale)
            if stale:
                table.schema = None  # the descriptor does not describe these bytes: not checked further
            _read_csv(table, entry.raw, problems)
    problems.extend(_required_problems(dp_label, tables, reader.declared))
    problems.extend(_unlisted_csv_problems(root, tables, reader.declared_paths))
    good = {n: t for n, t in tables.items() if t.readable and t.schema is not None}
    flagged = cells.grammar_problems(good.values())
    problems.extend(flagged)
    later = [] if skip_frictionless else columns.table_problems(root, good)
    seen = {(p.file, p.row, p.column) for p in flagged}  # one message per cell: the grammar's
    problems.extend(p for p in [*later, *checks.run(tables)] if (p.file, p.row, p.column) not in seen)
    if not problems:
        frictionless_memo.remember_valid(memo_key)
    order = {t.file: i for i, t in enumerate(tables.values())}
    problems.sort(key=lambda p: (order.get(p.file, -1), p.row or 0))
    return Inspection(root, descriptor, tables, cap(_dedupe(problems)))


#: Problems of one kind (same file, column and message apart from quoted values and numbers)
#: shown before the rest are summed up in one line "and N more like this".
MAX_LIKE = 5
#: Longest message kept (a longer one is cut; every quoted value is already a short excerpt).
MAX_MESSAGE = 400
_QUOTED = re.compile(r"\"(?:[^\"\\]|\\.)*\"(?:\.\.\.)?|'(?:[^'\\]|\\.)*'(?:\.\.\.)?|[0-9]+")


def _kind(p: Problem) -> tuple[Any, ...]:
    return (p.file, p.column, _QUOTED.sub("#", p.message))


def cap(problems: list[Problem]) -> list[Problem]:
    """At most :data:`MAX_LIKE` problems of each kind, then one line "and N more like this
    (rows ...)"; every message at most :data:`MAX_MESSAGE` characters."""
    groups: dict[tuple[Any, ...], list[Problem]] = {}
    for p in problems:
        groups.setdefault(_kind(p), []).append(p)
    out: list[Problem] = []
    seen: dict[tuple[Any, ...], int] = {}
    for p in problems:
        kind = _kind(p)
        group = groups[kind]
        i = seen[kind] = seen.get(kind, -1) + 1
        if i < MAX_LIKE:
            if len(p.message) > MAX_MESSAGE:
                p = Problem(p.file, p.row, p.column, p.message[: MAX_MESSAGE - 3] + "...", line=p.line)
            out.append(p)
        if i == MAX_LIKE - 1 and len(group) > MAX_LIKE:
            rest = group[MAX_LIKE:]
            rows = [str(q.row) for q in rest if q.row is not None]
            where = f" (rows {', '.join(rows[:10])}{', ...' if len(rows) > 10 else ''})" if rows else ""
            out.append(Problem(p.file, None, p.column, f"and {len(rest):,} more like this{where}"))
    return out


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
