"""The shipped ``data/datapackage.json`` is the contract a data folder's descriptor is held to.

A data folder brings its own ``datapackage.json`` and schema files, and those are input too: a
hand-edited schema could loosen a type (a date read as text fails deep in the model), let a
``missingValues`` entry swallow real values, point a foreign key at a field that does not exist,
or carry a regular expression that backtracks for ever. So before a folder's descriptor is
trusted, every resource the shipped package also describes is compared with the shipped one
(read afresh from the repository's ``data/`` folder, so a resource or column added there is part
of the contract at once). A departure is refused, naming the descriptor file, the resource and
the field; the table is then not checked further (one message, not one per row).

Allowed, because it can only make the folder stricter or only changes words:

* titles, descriptions, examples, units and other prose; the resource's ``path`` and ``schema``
  location (they are checked to stay inside the folder elsewhere);
* a field or resource the folder leaves out (the workbook's own checks say if it needs it);
* per field: ``required`` or ``unique`` added; an ``enum`` that is a subset of the shipped one;
  a ``minimum`` / ``minLength`` raised or a ``maximum`` / ``maxLength`` lowered (same type);
* ``missingValues`` that are a subset of the shipped ones.

Refused: a different ``type``, ``format``, ``pattern``, ``trueValues`` / ``falseValues`` or any
other reading option; an enum value or ``missingValues`` entry the shipped schema lacks; a changed
``primaryKey`` or ``foreignKeys``. A field or resource the contract does not know is checked
safely instead: no ``pattern`` except one the shipped schemas use (patterns run in Python's
backtracking engine, so only reviewed ones run), an ``enum`` of at most :data:`MAX_ENUM` short
values, ``missingValues`` only from the shipped ones, and foreign keys naming existing fields.

Whatever the folder: a resource's ``bytes`` and ``hash`` (``md5`` by default, or
``<algorithm>:<hex>`` as Frictionless writes it) are checked against the bytes read.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from s400lab._inputs import InputError, excerpt, loads_json, read_regular_file, resolve_inside

__all__ = ["Contract", "MAX_ENUM", "integrity_problems", "shipped"]

#: Most values an ``enum`` of a field the contract does not know may list.
MAX_ENUM = 200
#: Longest value in such an enum.
MAX_ENUM_VALUE = 100
#: Field keys that only describe (never change how a cell is read).
_PROSE = {"name", "title", "description", "example", "unit", "rdfType", "x-note"}
#: Schema keys that only describe.
_SCHEMA_PROSE = {"title", "description", "$schema", "fields", "missingValues", "primaryKey", "foreignKeys"}
_TIGHTER_UP = ("minimum", "minLength")  # may be raised
_TIGHTER_DOWN = ("maximum", "maxLength")  # may be lowered
_FLAGS = ("required", "unique")  # may be added


def _shipped_dir() -> Path:
    return Path(__file__).resolve().parents[3] / "data"


@dataclass(frozen=True)
class Contract:
    """The shipped resources: ``{name: schema}`` and the patterns their schemas use."""

    root: Path
    schemas: dict[str, dict[str, Any]]
    patterns: frozenset[str]
    missing_values: frozenset[str]

    # ------------------------------------------------------------------ one resource
    def departures(
        self, name: str, schema: dict[str, Any], label: str, declared: dict[str, Any]
    ) -> list[str]:
        """Why the folder's ``schema`` of resource ``name`` departs from the contract (one
        message each, already naming the resource and field; the caller names the file).

        ``declared`` maps the folder's resource names to their schemas (for foreign keys).
        """
        where = f"resource {name!r}"
        shipped = self.schemas.get(name)
        fields = {f["name"]: f for f in schema.get("fields", []) if isinstance(f, dict)}
        out: list[str] = []
        if shipped is None:
            for f in fields.values():
                out.extend(self._unknown_field(where, f))
            out.extend(self._missing_values(where, schema, None))
            out.extend(_key_problems(where, schema, fields, declared))
            return out
        known = {f["name"]: f for f in shipped.get("fields", [])}
        for fname, f in fields.items():
            if fname in known:
                out.extend(_field_departures(where, f, known[fname]))
            else:
                out.extend(self._unknown_field(where, f))
        out.extend(self._missing_values(where, schema, shipped))
        for key in ("primaryKey", "foreignKeys"):
            if key in schema and _norm(schema.get(key)) != _norm(shipped.get(key)):
                out.append(
                    f"{where}: {key} {_show(schema.get(key), 80)} departs from the "
                    f"shipped schema ({_show(shipped.get(key), 80)})"
                )
            elif key not in schema and key in shipped:
                out.append(f"{where}: {key} of the shipped schema is missing")
        for key in sorted(set(schema) - _SCHEMA_PROSE):
            if _norm(schema[key]) != _norm(shipped.get(key)):
                out.append(f"{where}: schema option {excerpt(key)} departs from the shipped schema")
        return out

    def _unknown_field(self, where: str, f: dict[str, Any]) -> list[str]:
        """A field the contract does not know: only what is safe to run."""
        fw = f"{where}, field {excerpt(f['name'])}"
        out = []
        raw = f.get("constraints")
        constraints: dict[str, Any] = raw if isinstance(raw, dict) else {}
        pattern = constraints.get("pattern")
        if pattern is not None and pattern not in self.patterns:
            out.append(
                f"{fw}: pattern {excerpt(pattern)} is not one of the shipped schemas' patterns "
                "(a pattern from a data folder is not run)"
            )
        enum = constraints.get("enum")
        if enum is not None and (
            not isinstance(enum, list)
            or len(enum) > MAX_ENUM
            or any(len(str(v)) > MAX_ENUM_VALUE for v in enum)
        ):
            size = f"{len(enum):,} values" if isinstance(enum, list) else type(enum).__name__
            out.append(
                f"{fw}: enum ({size}) must list at most {MAX_ENUM} values "
                f"of at most {MAX_ENUM_VALUE} characters"
            )
        return out

    def _missing_values(
        self, where: str, schema: dict[str, Any], shipped: dict[str, Any] | None
    ) -> list[str]:
        mv = schema.get("missingValues", [""])
        allowed = set(shipped.get("missingValues", [""])) if shipped is not None else set(self.missing_values)
        if not isinstance(mv, list) or not all(isinstance(v, str) for v in mv):
            return [f"{where}: missingValues must be a list of strings"]
        extra = [v for v in mv if v not in allowed]
        if extra:
            return [
                f"{where}: missingValues {', '.join(excerpt(v) for v in extra[:5])} would read real cells as "
                f"empty; the shipped schema has only {', '.join(excerpt(v) for v in sorted(allowed))}"
            ]
        return []


def _show(value: Any, limit: int) -> str:
    """A short escaped excerpt of a descriptor value (text as itself, anything else as JSON)."""
    return excerpt(value if isinstance(value, str) else json.dumps(value), limit)


def _norm(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _field_departures(where: str, f: dict[str, Any], ship: dict[str, Any]) -> list[str]:
    fw = f"{where}, field {excerpt(f['name'])}"
    out = []
    for key in sorted((set(f) | set(ship)) - _PROSE - {"constraints"}):
        mine, theirs = f.get(key, _DEFAULTS.get(key)), ship.get(key, _DEFAULTS.get(key))
        if _norm(mine) != _norm(theirs):
            out.append(f"{fw}: {key} {_show(mine, 60)} departs from the shipped schema ({_show(theirs, 60)})")
    mine_c = f.get("constraints") or {}
    ship_c = ship.get("constraints") or {}
    if not isinstance(mine_c, dict):
        return [*out, f"{fw}: constraints must be an object"]
    for key in sorted(set(mine_c) | set(ship_c)):
        why = _constraint_departure(key, mine_c.get(key), ship_c.get(key), key in mine_c, key in ship_c)
        if why:
            out.append(f"{fw}: {why}")
    return out


_DEFAULTS: dict[str, Any] = {"type": "string", "format": "default"}


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _constraint_departure(key: str, mine: Any, ship: Any, has: bool, shipped_has: bool) -> str | None:
    """Why constraint ``key`` of the folder is looser than or different from the shipped one."""
    if has and shipped_has and _norm(mine) == _norm(ship):
        return None
    if key in _FLAGS:
        if bool(mine) or not bool(ship):
            return None if (not has or isinstance(mine, bool)) else f"{key} must be true or false"
        return f"{key} is dropped (the shipped schema requires it)"
    if key == "enum":
        if not has:
            return "enum of the shipped schema is dropped"
        if not isinstance(mine, list):
            return "enum must be a list"
        if not shipped_has:
            return f"enum ({len(mine):,} values) is not in the shipped schema"
        extra = [v for v in mine if v not in ship]
        if extra:
            shown = ", ".join(excerpt(v, 20) for v in extra[:3])
            more = f" and {len(extra) - 3:,} more" if len(extra) > 3 else ""
            return f"enum adds {shown}{more}, which the shipped schema ({len(ship)} values) does not allow"
        return None
    if key in _TIGHTER_UP or key in _TIGHTER_DOWN:
        if not has:
            return f"{key} {ship} of the shipped schema is dropped"
        if shipped_has and _number(mine) and _number(ship):
            tighter = mine >= ship if key in _TIGHTER_UP else mine <= ship
            return None if tighter else f"{key} {mine} is looser than the shipped {ship}"
        if not shipped_has and key in ("minLength", "maxLength") and isinstance(mine, int) and mine >= 0:
            return None
        if not shipped_has:
            return f"{key} {_show(mine, 40)} is not in the shipped schema"
        return f"{key} {_show(mine, 40)} departs from the shipped schema ({_show(ship, 40)})"
    # pattern and anything else: exactly the shipped value (a pattern is never run from a folder)
    if not shipped_has:
        return (
            f"{key} {_show(mine, 60)} is not in the shipped schema (a {key} from a data folder is not used)"
        )
    if not has:
        return f"{key} {_show(ship, 60)} of the shipped schema is dropped"
    return f"{key} {_show(mine, 60)} departs from the shipped schema ({_show(ship, 60)})"


def _key_problems(
    where: str, schema: dict[str, Any], fields: dict[str, Any], declared: dict[str, Any]
) -> list[str]:
    """Keys of a resource the contract does not know: they must name existing fields."""
    out = []
    pk = schema.get("primaryKey", [])
    for name in [pk] if isinstance(pk, str) else pk if isinstance(pk, list) else []:
        if name not in fields:
            out.append(f"{where}: primaryKey names {excerpt(name)}, which is not a field")
    for fk in schema.get("foreignKeys") or []:
        if not isinstance(fk, dict) or not isinstance(fk.get("reference"), dict):
            continue
        mine = fk.get("fields")
        for name in [mine] if isinstance(mine, str) else mine if isinstance(mine, list) else []:
            if name not in fields:
                out.append(f"{where}: a foreign key names field {excerpt(name)}, which is not a field")
        ref = fk["reference"]
        target = declared.get(ref.get("resource") or "", schema) if ref.get("resource") else schema
        tfields = {f.get("name") for f in (target or {}).get("fields", []) if isinstance(f, dict)}
        theirs = ref.get("fields")
        for name in [theirs] if isinstance(theirs, str) else theirs if isinstance(theirs, list) else []:
            if name not in tfields:
                out.append(
                    f"{where}: a foreign key refers to field {excerpt(name)} of resource "
                    f"{excerpt(ref.get('resource') or '(itself)')}, which has no such field"
                )
    return out


# --------------------------------------------------------------------------- reading the contract

_cache: dict[Path, tuple[tuple[Any, ...], Contract | None]] = {}


def _stamp(root: Path) -> tuple[Any, ...]:
    out: list[tuple[str, int | None, int | None]] = []
    for p in sorted([root / "datapackage.json", *root.glob("schemas/*.json")]):
        try:
            st = p.stat()
            out.append((p.name, st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((p.name, None, None))
    return tuple(out)


def _read_json(path: Path) -> Any:
    return loads_json(read_regular_file(path, limit=1_000_000, what="file").decode("utf-8"), source="file")


def shipped(folder: Path | None = None) -> Contract | None:
    """The contract: the shipped ``data/`` package (re-read when its files change), or None
    when ``folder`` is the shipped folder itself or the shipped descriptor cannot be read."""
    root = _shipped_dir()
    try:
        if folder is not None and os.path.samefile(folder, root):
            return None
    except OSError:
        pass
    stamp = _stamp(root)
    hit = _cache.get(root)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    contract: Contract | None
    try:
        doc = _read_json(root / "datapackage.json")
        schemas: dict[str, dict[str, Any]] = {}
        for res in doc.get("resources", []):
            schema = res.get("schema")
            if isinstance(schema, str):
                schema = _read_json(resolve_inside(root, schema))
            if isinstance(schema, dict):
                schemas[res["name"]] = schema
        patterns = frozenset(
            f["constraints"]["pattern"]
            for s in schemas.values()
            for f in s.get("fields", [])
            if isinstance(f.get("constraints"), dict) and isinstance(f["constraints"].get("pattern"), str)
        )
        missing = frozenset(v for s in schemas.values() for v in s.get("missingValues", [""]))
        contract = Contract(root, schemas, patterns, missing)
    except (InputError, OSError, ValueError, KeyError, TypeError, AttributeError):
        contract = Contract(
            root, {}, frozenset(), frozenset({""})
        )  # nothing known: everything checked safely
    _cache[root] = (stamp, contract)
    return contract


# --------------------------------------------------------------------------- bytes and hash

_HASHES = ("md5", "sha1", "sha256", "sha512")


def integrity_problems(res: dict[str, Any], raw: bytes, label: str) -> list[str]:
    """A resource's declared ``bytes`` and ``hash`` against the bytes read (messages name the
    resource; the caller names the descriptor)."""
    where = f"resource {res.get('name')!r}"
    out = []
    if "bytes" in res:
        size = res["bytes"]
        if not _number(size) or size != len(raw):
            out.append(f"{where}: bytes {excerpt(size)} does not match the file ({len(raw):,} bytes)")
    if "hash" in res:
        value = res["hash"]
        algo, _, digest = value.rpartition(":") if isinstance(value, str) else ("", "", "")
        algo = algo or "md5"
        if not isinstance(value, str) or algo not in _HASHES:
            out.append(f"{where}: hash {excerpt(value)} is not <algorithm>:<hex> ({', '.join(_HASHES)})")
        elif hashlib.new(algo, raw).hexdigest() != digest.lower():
            out.append(f"{where}: hash {excerpt(value, 30)} does not match the file {label} (it changed?)")
    return out
