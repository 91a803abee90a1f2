"""Load the validated data package as typed pandas DataFrames."""

from __future__ import annotations

import copy
import hashlib
import os
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from s400lab.data.literals import BOOL_FALSE, BOOL_TRUE
from s400lab.data.problems import DataError
from s400lab.data.validation import REQUIRED_TABLES, Inspection, Table, default_data_dir, inspect

_RESERVED = {"path", "package", "version", "names", "table", "sources_for"}
_BOOL_TRUE = list(BOOL_TRUE)
_BOOL_FALSE = list(BOOL_FALSE)


class Dataset:
    """The data package: one typed DataFrame per table, plus provenance helpers.

    Attributes
    ----------
    sources, deals, deliveries, promises, events, parameters, scenarios, scenario_values : DataFrame
        Dates are ``datetime64``, numbers ``float64``, integers nullable ``Int64``, booleans
        ``boolean``, text pandas ``string``; an empty cell is missing (NA / NaT / NaN).
    path : pathlib.Path
        The data directory.
    version : str
        ``<datapackage version>+<first 10 hex digits of a SHA-256 over the CSV files>``.
    package : dict
        The parsed ``datapackage.json``.
    """

    sources: pd.DataFrame
    deals: pd.DataFrame
    deliveries: pd.DataFrame
    promises: pd.DataFrame
    events: pd.DataFrame
    parameters: pd.DataFrame
    scenarios: pd.DataFrame
    scenario_values: pd.DataFrame

    def __init__(self, path: Path, package: dict[str, Any], version: str, tables: Mapping[str, pd.DataFrame]):
        self.path = path
        self.package = package
        self.version = version
        self._tables = dict(tables)
        for name, frame in self._tables.items():
            if name in REQUIRED_TABLES or (name.isidentifier() and name not in _RESERVED):
                setattr(self, name, frame)

    @property
    def names(self) -> list[str]:
        """Table names in datapackage.json order."""
        return list(self._tables)

    def table(self, name: str) -> pd.DataFrame:
        """Return the table called ``name``.

        Parameters
        ----------
        name : str
            A resource name from datapackage.json, e.g. ``"events"``.

        Returns
        -------
        DataFrame

        Raises
        ------
        KeyError
            If there is no such table (the message lists the tables).
        """
        try:
            return self._tables[name]
        except KeyError:
            raise KeyError(f"no table {name!r}; tables: {', '.join(self._tables)}") from None

    def sources_for(self, row_or_ids: Any) -> pd.DataFrame:
        """The source rows behind a fact row (or behind a list of source ids).

        Parameters
        ----------
        row_or_ids : Series, mapping, str or iterable of str
            A fact row with a ``source_ids`` cell (e.g. ``ds.events.iloc[0]``), a
            ``;``-separated string of ids, or ids.

        Returns
        -------
        DataFrame
            Rows of :attr:`sources` in the order the ids are cited (each id once).

        Raises
        ------
        KeyError
            If an id is not in sources.csv.
        """
        if isinstance(row_or_ids, (pd.Series, Mapping)):
            value = row_or_ids["source_ids"]
            ids = [] if pd.isna(value) else str(value).split(";")
        elif isinstance(row_or_ids, str):
            ids = row_or_ids.split(";")
        elif isinstance(row_or_ids, Iterable):
            ids = [str(i) for i in row_or_ids]
        else:
            raise TypeError(f"expected a row, a string or ids, not {type(row_or_ids).__name__}")
        ids = list(dict.fromkeys(i.strip() for i in ids if i and i.strip()))
        src = self.sources.set_index("source_id", drop=False)
        unknown = [i for i in ids if i not in src.index]
        if unknown:
            raise KeyError(f"unknown source id(s): {', '.join(unknown)}")
        return src.loc[ids].reset_index(drop=True)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{n}={len(f)}" for n, f in self._tables.items())
        return f"<Dataset {self.version} at {self.path}: {sizes}>"


def _typed_frame(table: Table) -> pd.DataFrame:
    """Convert an already validated text table to typed columns."""
    schema = table.schema or {}
    fields = schema.get("fields", [])
    missing = set(schema.get("missingValues", [""]))
    text = pd.DataFrame(table.rows, columns=table.header, dtype=object)
    out: dict[str, pd.Series] = {}
    for f in fields:
        name, ftype = f["name"], f.get("type", "string")
        col = text[name] if name in text else pd.Series([""] * len(text), dtype=object)
        col = col.where(~col.isin(missing), None)
        if ftype == "number":
            out[name] = pd.to_numeric(col).astype("float64")
        elif ftype == "integer":
            out[name] = pd.to_numeric(col).astype("Int64")
        elif ftype == "date":
            out[name] = pd.to_datetime(col, format="%Y-%m-%d")
        elif ftype == "boolean":
            true = f.get("trueValues", _BOOL_TRUE)
            false = f.get("falseValues", _BOOL_FALSE)
            mapping = {**{v: True for v in true}, **{v: False for v in false}}
            out[name] = col.map(mapping).astype("boolean")
        else:
            out[name] = col.astype("string")
    return pd.DataFrame(out, index=pd.RangeIndex(len(text)))


def _fingerprint(root: Path) -> tuple[Any, ...]:
    entries = []
    for p in sorted([*root.glob("*.csv"), *root.glob("*.json"), *root.glob("schemas/*.json")]):
        st = p.stat()
        entries.append((p.name, p.parent.name, st.st_mtime_ns, st.st_size))
    return tuple(entries)


_cache: dict[Path, tuple[tuple[Any, ...] | None, Dataset]] = {}
_lock = threading.Lock()


def _build(ins: Inspection) -> Dataset:
    frames = {name: _typed_frame(t) for name, t in ins.tables.items()}
    digest = hashlib.sha256()
    for name, t in sorted(ins.tables.items()):
        digest.update(name.encode() + b"\0" + t.path.read_bytes() + b"\0")
    version = f"{(ins.descriptor or {}).get('version', '0')}+{digest.hexdigest()[:10]}"
    return Dataset(ins.path, ins.descriptor or {}, version, frames)


def load(path: str | os.PathLike[str] | None = None) -> Dataset:
    """Validate and load the data package.

    Parameters
    ----------
    path : str or path-like, optional
        Directory with ``datapackage.json``; default ``$S400LAB_DATA`` or the repository's
        ``data/``.

    Returns
    -------
    Dataset
        Typed tables; repeated calls return fresh (copy-on-write) frames from an
        in-process cache that is invalidated when any file's size or mtime changes.

    Raises
    ------
    DataError
        With every problem found (``.problems``); a subclass of ValueError.

    Notes
    -----
    Nothing is written into the data folder. After a package passes with no problem, one empty
    marker file named by a hash of its files is written to the user's cache folder, so that a
    later kernel loading byte-identical files skips the slow Frictionless passes
    (:mod:`s400lab.data.frictionless_memo`; ``S400LAB_CACHE_DIR=off`` disables it).
    """
    root = (Path(path) if path is not None else default_data_dir()).expanduser().resolve()
    key = _fingerprint(root) if root.is_dir() else None
    with _lock:
        hit = _cache.get(root)
    if hit is None or key is None or hit[0] != key:
        ins = inspect(root)
        if ins.problems:
            raise DataError(ins.problems, str(root))
        ds = _build(ins)
        with _lock:
            _cache[root] = (key, ds)
    else:
        ds = hit[1]
    frames = {n: ds.table(n).copy(deep=False) for n in ds.names}
    return Dataset(ds.path, copy.deepcopy(ds.package), ds.version, frames)
