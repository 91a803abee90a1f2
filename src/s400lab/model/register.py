"""The parameter register: every lever, uncertain assumption and setting of the model.

The register is the table ``data/parameters.csv`` (one row per model keyword; columns in
docs/architecture.md). It is read once, turned into :class:`Parameter` objects and handed to
the model; no constant of the model lives anywhere else.

This module also reads the preset tables ``data/scenarios.csv`` and
``data/scenario_values.csv``. It uses :func:`s400lab.data.load` when that loader is available
and falls back to a small private CSV reader otherwise, so the model works on its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from s400lab._inputs import excerpt
from s400lab.data import DataError, Problem, default_data_dir, load, values
from s400lab.data.literals import BOOL_FALSE, BOOL_TRUE

__all__ = [
    "GROUPS",
    "KINDS",
    "Parameter",
    "ParameterRegister",
    "assumptions_table",
    "data_dir",
    "load_register",
]

#: The explorer's tabs, in display order.
GROUPS = ("Turkiye", "Russia", "United States", "India", "Alliance", "Model")
#: Parameter kinds: a choice someone makes, an assumption drawn in ensembles, a fixed setting
#: (evidence switches included), and a model device (a uniform "luck" number drawn in ensembles
#: but not an assumption: no slider, not in tornado or Sobol results).
KINDS = ("lever", "uncertainty", "setting", "device")
TYPES = ("float", "int", "choice", "bool")
DISTRIBUTIONS = ("uniform", "triangular", "bernoulli", "discrete", "none")

# The data layer's spellings (one home: s400lab.data.literals), compared case-insensitively.
_TRUE = {v.lower() for v in BOOL_TRUE}
_FALSE = {v.lower() for v in BOOL_FALSE}


def data_dir() -> Path:
    """Return the data directory (``$S400LAB_DATA`` or the repository's ``data/``).

    One rule for every reader: this is :func:`s400lab.data.default_data_dir`.
    """
    return default_data_dir()


@dataclass(frozen=True)
class Parameter:
    """One row of the register.

    Attributes mirror the columns of ``parameters.csv``; ``low``/``central``/``high``/``step``
    are floats (``nan`` for choice parameters) and ``choices`` a tuple of strings.
    """

    name: str
    label: str
    group: str
    kind: str
    type: str
    unit: str
    low: float
    central: float
    high: float
    step: float
    choices: tuple[str, ...]
    default: Any
    distribution: str
    description: str
    rationale: str
    source_ids: tuple[str, ...]
    confidence: str

    @property
    def on_quarter_grid(self) -> bool:
        """True for settings measured in decimal years: they must start a quarter (x.00/.25/...)."""
        return values.on_quarter_grid(self)

    @property
    def discrete_values(self) -> tuple[float, ...]:
        """The allowed values of a numeric parameter drawn from a ``discrete`` distribution
        (e.g. Turkiye's holding: 2 or 4 battalions); empty for every other parameter."""
        return values.discrete_values(self)

    @property
    def readings(self) -> tuple[float, ...]:
        """The readings of a numeric evidence dispute, to run side by side: the listed values of
        a ``discrete`` uncertainty (e.g. Turkiye's holding, 2 or 4) or of a numeric parameter with
        ``choices`` (an evidence switch, e.g. India's undelivered squadrons 0/1/2, the contract
        value 2.0/2.2/2.5/2.7); empty otherwise. A switch's readings do not restrict its values."""
        if self.type == "choice" or not self.choices:
            return ()
        try:
            return tuple(float(c) for c in self.choices)
        except ValueError:
            return ()

    @property
    def is_switch(self) -> bool:
        """True for an evidence switch: a setting whose ``choices`` list the readings of a
        disputed fact (a choice setting such as ``war_course`` or a numeric one with readings)."""
        return self.kind == "setting" and bool(self.choices)

    @property
    def is_numeric(self) -> bool:
        """True for ``float``, ``int`` and ``bool`` parameters (those that can vary per draw)."""
        return self.type in ("float", "int", "bool")

    def allowed(self) -> str:
        """Human-readable description of the allowed values (used in error messages)."""
        if self.type == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.type == "bool":
            return "True or False"
        if self.discrete_values:
            return "one of " + ", ".join(_fmt(v) for v in self.discrete_values) + f" {self.unit}".rstrip()
        rng = f"{_fmt(self.low)}..{_fmt(self.high)}"
        if self.type == "int":
            return f"an integer in {rng} {self.unit}".rstrip()
        return f"a number in {rng} {self.unit}".rstrip()

    def validate(self, value: Any) -> Any:
        """Return ``value`` converted to the parameter's type, or raise ``ValueError``.

        Parameters
        ----------
        value : Any
            Candidate value (strings are accepted, e.g. from a CSV or JSON file).

        Returns
        -------
        str, int, float or bool
            The typed value.

        Raises
        ------
        ValueError
            Naming the parameter and its allowed values when ``value`` is of the wrong type,
            NaN, outside ``low..high`` or not one of the choices.
        """
        where = f"parameter {self.name!r}"
        verdict = values.judge(self, value, where, f"use {self.allowed()}")  # the one value rule
        if verdict.kind is None:
            return verdict.value
        if verdict.kind == "number":
            raise ValueError(verdict.detail)
        if verdict.kind == "integer":
            raise ValueError(f"{where}: {excerpt(value)} is not an integer; use {self.allowed()}")
        if verdict.kind == "range":
            raise ValueError(f"{where}: {excerpt(value)} is outside the allowed range; use {self.allowed()}")
        if verdict.kind == "quarter":
            raise ValueError(
                f"{where}: {excerpt(value)} is not the start of a quarter; use a multiple of 0.25 "
                "(e.g. 2026.75 = 2026Q4)"
            )
        raise ValueError(f"{where}: {excerpt(value)} is not allowed; use {self.allowed()}")


def _fmt(x: float) -> str:
    return f"{x:g}"


@dataclass(frozen=True)
class ParameterRegister:
    """All parameters of the model, keyed by name, in file order.

    Parameters
    ----------
    params : dict of str to Parameter
        The register rows.
    table : pandas.DataFrame
        The register as read (for display: joins with sources, widget building).
    """

    params: dict[str, Parameter]
    table: pd.DataFrame = field(repr=False, compare=False)

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self.params[name]
        except KeyError:
            raise ValueError(self.unknown_message(name)) from None

    def __contains__(self, name: object) -> bool:
        return name in self.params

    def __iter__(self):
        return iter(self.params.values())

    def __len__(self) -> int:
        return len(self.params)

    def unknown_message(self, name: str) -> str:
        """Error text for an unknown parameter name (with the closest known names)."""
        import difflib

        close = difflib.get_close_matches(str(name)[:100], list(self.params), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        return f"unknown parameter {excerpt(name)}{hint} (known: {', '.join(self.params)})"

    def names(self, kind: str | None = None, group: str | None = None) -> list[str]:
        """Parameter names, optionally filtered by ``kind`` and/or ``group``."""
        return [
            p.name
            for p in self.params.values()
            if (kind is None or p.kind == kind) and (group is None or p.group == group)
        ]

    @property
    def uncertainties(self) -> list[str]:
        """Names of the parameters drawn in ensembles (``kind == "uncertainty"``)."""
        return self.names(kind="uncertainty")

    @property
    def levers(self) -> list[str]:
        """Names of the choices someone makes (``kind == "lever"``)."""
        return self.names(kind="lever")

    @property
    def devices(self) -> list[str]:
        """Names of the model devices (``kind == "device"``): drawn in ensembles with the
        uncertainties, but never sliders and never factors of a tornado or Sobol analysis."""
        return self.names(kind="device")

    @property
    def drawn(self) -> list[str]:
        """Everything an ensemble draws: the uncertainties, then the devices."""
        return self.uncertainties + self.devices

    @property
    def switches(self) -> list[str]:
        """Names of the evidence switches (settings with listed readings or choices)."""
        return [p.name for p in self.params.values() if p.is_switch]

    @property
    def settings(self) -> list[str]:
        """Names of the fixed settings (``kind == "setting"``)."""
        return self.names(kind="setting")

    def defaults(self) -> dict[str, Any]:
        """The default value of every parameter (central value for numbers)."""
        return {p.name: p.default for p in self.params.values()}


# --------------------------------------------------------------------------- reading

_REQUIRED_COLUMNS = [
    "name",
    "label",
    "group",
    "kind",
    "type",
    "unit",
    "low",
    "central",
    "high",
    "step",
    "choices",
    "default",
    "distribution",
    "description",
    "rationale",
    "source_ids",
    "confidence",
]


def _num(value: Any) -> float:
    if value is None:
        return math.nan
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value).strip()


def build_register(table: pd.DataFrame, file: str = "parameters.csv") -> ParameterRegister:
    """Build and check a :class:`ParameterRegister` from the rows of ``parameters.csv``.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per parameter with the columns of ``parameters.csv``.
    file : str
        File name used in error messages.

    Returns
    -------
    ParameterRegister

    Raises
    ------
    ValueError
        Naming file, row (1-based data row + 1 for the header, i.e. the line number) and column
        when a row is inconsistent (unknown kind, low > central, default not a choice, ...).
    """
    missing = [c for c in _REQUIRED_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{file}: missing column(s) {', '.join(missing)}")
    params: dict[str, Parameter] = {}
    for i, row in enumerate(table.to_dict("records")):
        line = i + 2  # header is line 1

        def bad(column: str, msg: str, line: int = line) -> ValueError:
            return ValueError(f"{file}, line {line}, column {column!r}: {msg}")

        name = _text(row["name"])
        if not name.isidentifier():
            raise bad("name", f"{name!r} is not a Python identifier")
        if name in params:
            raise bad("name", f"duplicate parameter {name!r}")
        group, kind, typ = _text(row["group"]), _text(row["kind"]), _text(row["type"])
        dist = _text(row["distribution"]) or "none"
        if group not in GROUPS:
            raise bad("group", f"{group!r} is not one of {', '.join(GROUPS)}")
        if kind not in KINDS:
            raise bad("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
        if typ not in TYPES:
            raise bad("type", f"{typ!r} is not one of {', '.join(TYPES)}")
        if dist not in DISTRIBUTIONS:
            raise bad("distribution", f"{dist!r} is not one of {', '.join(DISTRIBUTIONS)}")
        if kind in ("uncertainty", "device") and dist == "none":
            raise bad("distribution", f"a{'n' if kind == 'uncertainty' else ''} {kind} needs a distribution")
        if not _text(row["label"]):
            raise bad("label", "is empty")
        if not _text(row["description"]):
            raise bad("description", "is empty")
        if not _text(row["rationale"]):
            raise bad("rationale", "is empty")
        choices = tuple(c for c in _text(row["choices"]).split(";") if c)
        low, central, high = _num(row["low"]), _num(row["central"]), _num(row["high"])
        step = _num(row["step"])
        default_raw = _text(row["default"])
        if typ == "choice":
            if not choices:
                raise bad("choices", "a choice parameter needs ;-separated choices")
            if default_raw not in choices:
                raise bad("default", f"{default_raw!r} is not one of the choices {choices}")
            default: Any = default_raw
        elif typ == "bool":
            if default_raw.lower() not in _TRUE | _FALSE:
                raise bad("default", f"{default_raw!r} is not true/false")
            default = default_raw.lower() in _TRUE
            low, high = 0.0, 1.0
            if math.isnan(central):
                central = float(default)
        else:
            for col, v in (("low", low), ("central", central), ("high", high)):
                if math.isnan(v):
                    raise bad(col, "a number is required")
            if not low <= central <= high:
                raise bad("central", f"low <= central <= high fails ({low:g}, {central:g}, {high:g})")
            if not (step > 0):
                raise bad("step", "must be a number > 0")
            if typ == "int" and any(v != round(v) for v in (low, central, high)):
                raise bad("low", "an int parameter needs integer low/central/high")
            if dist == "discrete":
                if not choices:
                    raise bad("choices", "a discrete distribution lists its values in 'choices'")
                try:
                    vals = [float(c) for c in choices]
                except ValueError:
                    raise bad("choices", f"discrete values must be numbers: {choices}") from None
                if min(vals) < low or max(vals) > high:
                    raise bad("choices", "discrete values must lie within low..high")
            default = central if default_raw == "" else _num(default_raw)
            if math.isnan(default) or not low <= default <= high:
                raise bad("default", f"{default_raw!r} is not a number within low..high")
            if typ == "int":
                default = int(round(default))
        p = Parameter(
            name=name,
            label=_text(row["label"]),
            group=group,
            kind=kind,
            type=typ,
            unit=_text(row["unit"]),
            low=low,
            central=central,
            high=high,
            step=step,
            choices=choices,
            default=default,
            distribution=dist,
            description=_text(row["description"]),
            rationale=_text(row["rationale"]),
            source_ids=tuple(s for s in _text(row["source_ids"]).split(";") if s),
            confidence=_text(row["confidence"]),
        )
        params[name] = p
    frame = table.copy()
    return ParameterRegister(params=params, table=frame)


def _scenario_tables(
    scenarios: pd.DataFrame, values: pd.DataFrame
) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    meta: dict[str, dict[str, str]] = {}
    for rec in scenarios.to_dict("records"):
        sid = _text(rec["scenario_id"])
        meta[sid] = {
            "label": _text(rec["label"]),
            "description": _text(rec["description"]),
            "order": str(_text(rec.get("order", ""))),
        }
    vals: dict[str, dict[str, str]] = {sid: {} for sid in meta}
    for i, rec in enumerate(values.to_dict("records")):
        sid = _text(rec["scenario_id"])
        if sid not in vals:
            raise ValueError(
                f"scenario_values.csv, line {i + 2}, column 'scenario_id': {sid!r} is not in scenarios.csv"
            )
        vals[sid][_text(rec["parameter"])] = _text(rec["value"])
    return meta, vals


_cache: dict[tuple[str, str], tuple[ParameterRegister, Any, Any]] = {}


def _load_cached(directory: str | None):
    """Register and presets of a data directory, read through :func:`s400lab.data.load`.

    The data layer validates the whole package first, so a broken parameter row raises the same
    :class:`~s400lab.data.DataError` as ``load()`` (naming file, row and column): bad data is
    never swapped for other data. Cached per (directory, data version); the version changes
    when any file changes.
    """
    ds = load(directory)
    key = (str(ds.path), ds.version)
    hit = _cache.get(key)
    if hit is None:
        try:
            register = build_register(ds.parameters)
            meta, vals = _scenario_tables(ds.scenarios, ds.scenario_values)
        except ValueError as exc:  # a rule the register checks beyond the data package's own
            where = f"{ds.path.name}/parameters.csv"
            raise DataError([Problem(where, None, None, str(exc))], str(ds.path)) from exc
        hit = _cache[key] = (register, meta, vals)
    return hit


def load_register(directory: str | Path | None = None) -> ParameterRegister:
    """Read (once, cached) and check the parameter register.

    Parameters
    ----------
    directory : str or Path, optional
        A data directory (a data package); default ``$S400LAB_DATA`` or the repository's
        ``data/``. Read and validated by :func:`s400lab.data.load`.

    Returns
    -------
    ParameterRegister

    Raises
    ------
    s400lab.data.DataError
        If the data package (the register included) is invalid; the message names the file,
        row and column of each problem.
    """
    return _load_cached(None if directory is None else str(directory))[0]


def load_presets(
    directory: str | Path | None = None,
) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """Return ``(meta, values)`` of the presets: ``meta[id] = {label, description, order}``,
    ``values[id] = {parameter: value-as-string}``."""
    _, meta, vals = _load_cached(None if directory is None else str(directory))
    return meta, vals


def assumptions_table(register: ParameterRegister, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """The register as a readable table, each row with its sources spelled out.

    Parameters
    ----------
    register : ParameterRegister
    sources : pandas.DataFrame, optional
        ``sources.csv`` (columns ``source_id``, ``publication``, ``published``); when given,
        each source id is shown as "publication (date)".

    Returns
    -------
    pandas.DataFrame
        Index ``name``; columns group, kind, label, unit, low, central, high, confidence,
        rationale, sources.
    """
    lookup: dict[str, str] = {}
    if sources is not None:
        for rec in sources.to_dict("records"):
            date = _text(rec.get("published"))[:10]
            pub = _text(rec.get("publication"))
            lookup[_text(rec["source_id"])] = f"{pub} ({date})" if date else pub
    rows = []
    for p in register:
        numeric = p.type in ("float", "int")
        rows.append(
            {
                "name": p.name,
                "group": p.group,
                "kind": p.kind,
                "label": p.label,
                "unit": p.unit,
                "low": p.low if numeric else None,
                "central": p.central if numeric else None,
                "high": p.high if numeric else None,
                "default": p.default,
                "confidence": p.confidence,
                "rationale": p.rationale,
                "sources": "; ".join(lookup.get(s, s) for s in p.source_ids),
            }
        )
    return pd.DataFrame(rows).set_index("name")
