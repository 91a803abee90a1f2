"""Save a scenario to a JSON file and load it back, validated.

A scenario file is a small JSON object::

    {
      "format": "s400lab-scenario",
      "format_version": 2,
      "name": "Full return, slow US",
      "preset": "full_return_cash",
      "notes": "free text",
      "created": "2026-11-25T10:30:00+00:00",
      "s400lab_version": "0.1.0",
      "data_version": "0.1.0",
      "values": {"tr_action": "return_full", "return_quarter": 2, ...}
    }

``preset`` (optional) names the preset the scenario started from; on loading, the scenario is
that preset with the file's values (labelled "<preset> (changed)" when they differ), so the
brief of a file names its preset as the explorer does. ``values`` holds every parameter of the
register when written by :func:`save_scenario`. A
hand-written file may list only some parameters; the others take the register defaults
(so files stay loadable after the register gains a parameter).

Format versions. ``format_version`` says which layout a file has (:data:`FORMAT_VERSION` is
the one written). A file of a newer version is refused first, as newer, naming both versions
(it may have keys this version does not know). Version 1 files are migrated: version 1 could
hold values of the model devices (``u_block_*``, register kind ``device``), which the explorer
never honoured; a device at its register default is dropped, any other device value is refused
with that reason. From version 2 a file holds no device value (it is refused, naming the key),
so a file means the same in the command-line brief, the explorer and the API reader.

Loading is strict, because a scenario file may come from anyone: only a regular file (a named
pipe or a device is refused without blocking) of at most :data:`MAX_BYTES`, UTF-8 JSON parsed by
:func:`s400lab._inputs.read_json_file` (finite numbers of at most 40 characters, no repeated key,
nested at most :data:`MAX_DEPTH` deep), an object with only the keys above; ``name`` and the
other metadata are one line of text, ``notes`` may have tabs and line breaks, and none may hold
another control character or a lone surrogate (the same rule when saving). Each value must have
the parameter's JSON type and pass the model's own validation
(:meth:`s400lab.model.Scenario.with_changes`, which owns the ranges). Any problem raises one
one-line :class:`ValueError` naming the file and the JSON path (``my.json: $.values.loss: ...``).
Nothing is read with ``eval`` or ``pickle``.

Saving never replaces an existing file unless ``overwrite=True``; the file is written to a
temporary file in the same folder and moved into place atomically.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from s400lab._files import write_new_file
from s400lab._inputs import excerpt, json_path, read_json_file, text_problem

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MAX_BYTES",
    "LoadedScenario",
    "load_scenario",
    "save_scenario",
    "scenario_from_dict",
    "scenario_to_dict",
]

#: Value of the ``format`` key.
FORMAT = "s400lab-scenario"
#: Version of the file layout written by this module (2: no model device values).
FORMAT_VERSION = 2
#: Versions this module reads (older ones are migrated as the module docstring says).
READABLE_VERSIONS = (1, 2)
#: Largest scenario file accepted, in bytes (a real one is ~2 kB).
MAX_BYTES = 64 * 1024
#: Deepest JSON nesting accepted in a scenario file (the layout needs 2: the object and ``values``).
MAX_DEPTH = 4
#: Longest name / notes accepted, in characters.
MAX_NAME = 200
MAX_NOTES = 10_000

_KEYS = (
    "format",
    "format_version",
    "name",
    "notes",
    "preset",
    "created",
    "s400lab_version",
    "data_version",
    "values",
)
_STR_KEYS = ("name", "notes", "preset", "created", "s400lab_version", "data_version")


@dataclass(frozen=True)
class LoadedScenario:
    """A scenario read from a file, with the file's metadata.

    Attributes
    ----------
    scenario : s400lab.model.Scenario
        The validated scenario.
    name, notes : str
        What the author called it and wrote about it.
    meta : dict
        The remaining metadata (``created``, ``s400lab_version``, ``data_version``, ...).
    path : pathlib.Path or None
        The file it came from.
    preset : str
        The preset the scenario started from ("" if the file names none).
    """

    scenario: Any
    name: str = ""
    notes: str = ""
    meta: dict = field(default_factory=dict)
    path: Path | None = None
    preset: str = ""


# --------------------------------------------------------------------------- helpers


def _register():
    from s400lab.model.register import load_register

    return load_register()


def data_version() -> str:
    """The data package's version (``data/datapackage.json``), or ``"unknown"``."""
    try:
        from s400lab.model.register import data_dir

        with open(data_dir() / "datapackage.json", encoding="utf-8") as fh:
            return str(json.load(fh).get("version", "unknown"))
    except (OSError, ValueError, ImportError):
        return "unknown"


def _package_version() -> str:
    from s400lab import __version__

    return __version__


def _text_problem(key: str, value: Any) -> str | None:
    """Why ``value`` cannot be the text of metadata ``key`` (None if it can).

    The one rule for loading and saving: a string, at most :data:`MAX_NAME` characters
    (:data:`MAX_NOTES` for ``notes``), no lone surrogate and no control character; only the
    notes may contain tabs and line breaks (a name is printed on one line of the brief).
    """
    if not isinstance(value, str):
        return f"must be a string (got {type(value).__name__})"
    limit = MAX_NOTES if key == "notes" else MAX_NAME
    if len(value) > limit:
        return f"longer than {limit:,} characters"
    return text_problem(value, allow_newlines=key == "notes")


def _plain(name: str, value: Any) -> Any:
    """A JSON-safe Python value (numpy scalars -> int/float/bool/str)."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"parameter {name!r}: {value!r} cannot be saved (not finite)")
        return value
    raise TypeError(f"parameter {name!r}: cannot save a value of type {type(value).__name__}")


# --------------------------------------------------------------------------- to/from dict


def scenario_to_dict(scenario: Any, name: str = "", notes: str = "", preset: str = "") -> dict[str, Any]:
    """The JSON document for ``scenario`` (every parameter value plus metadata).

    Parameters
    ----------
    scenario : s400lab.model.Scenario
    name, notes : str
        Shown when the file is loaded again.
    preset : str, optional
        The preset the scenario started from (default: the scenario's own id when it is a
        preset, else none).

    Returns
    -------
    dict
        Ready for :func:`json.dumps`.
    """
    for key, value in (("name", name), ("notes", notes), ("preset", preset)):
        why = _text_problem(key, value)
        if why:
            raise ValueError(f"scenario {key}: {why}")
    plain = scenario.to_dict(every_value=True)  # the one Scenario -> dict implementation
    register = scenario.register
    devices = [k for k in plain["values"] if register[k].kind == "device"]
    changed = [k for k in devices if plain["values"][k] != register[k].default]
    if changed:
        raise ValueError(
            f"{', '.join(changed)}: a model device (drawn in ensembles) cannot be saved in a scenario "
            "file; leave it at its register default"
        )
    values = {k: _plain(k, v) for k, v in plain["values"].items() if k not in devices}
    if not preset:
        sid = plain["scenario_id"]
        preset = sid if sid not in ("", "custom", "default") else ""
    doc = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "name": name,
        "notes": notes,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "s400lab_version": _package_version(),
        "data_version": data_version(),
        "values": values,
    }
    if preset:
        doc["preset"] = str(preset)
    return doc


def _check_type(param: Any, value: Any) -> str | None:
    """Why ``value`` has the wrong JSON type for ``param`` (None if the type is right)."""
    if param.type == "choice":
        return None if isinstance(value, str) else "must be a string"
    if param.type == "bool":
        return None if isinstance(value, bool) else "must be true or false"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "must be a number"
    if isinstance(value, int) and abs(value) > 2**53:
        return "is too large a number"
    if param.type == "int" and isinstance(value, float) and not value.is_integer():
        return "must be a whole number"
    return None


def scenario_from_dict(data: Any, source: str = "<dict>") -> LoadedScenario:
    """Validate a scenario document (as produced by :func:`scenario_to_dict`).

    Parameters
    ----------
    data : Any
        The parsed JSON.
    source : str
        Name used in error messages (the file name).

    Returns
    -------
    LoadedScenario

    Raises
    ------
    ValueError
        ``"<source>: <JSON path>: <problem>"`` (e.g. ``my.json: $.values.loss: ...``) for the
        first problem found.
    """
    from s400lab.model import Scenario

    def bad(key: str, msg: str, *more: str) -> ValueError:
        return ValueError(f"{source}: {json_path([key, *more])}: {msg}")

    if not isinstance(data, dict):
        raise ValueError(f"{source}: the top level must be a JSON object (got {type(data).__name__})")
    if data.get("format") != FORMAT:
        raise bad("format", f"must be {FORMAT!r} (got {excerpt(data.get('format'))})")
    version = data.get("format_version", FORMAT_VERSION)
    if isinstance(version, bool) or not isinstance(version, int):
        raise bad(
            "format_version", f"must be a whole number such as {FORMAT_VERSION} (got {excerpt(version)})"
        )
    if version > FORMAT_VERSION:  # before the keys: a newer format may add some
        raise bad(
            "format_version",
            f"the file has format version {version}, newer than version {FORMAT_VERSION} that this "
            f"s400lab ({_package_version()}) reads; open it with a newer s400lab",
        )
    if version not in READABLE_VERSIONS:
        raise bad(
            "format_version",
            f"format version {version} never existed "
            f"(versions are {READABLE_VERSIONS[0]} to {FORMAT_VERSION})",
        )
    for key in data:
        if key not in _KEYS:
            raise bad(str(key), f"unknown key; allowed keys are {', '.join(_KEYS)}")
    for key in _STR_KEYS:
        why = _text_problem(key, data.get(key, ""))
        if why:
            raise bad(key, why)
    if "values" not in data:
        raise bad("values", "missing")
    values = data["values"]
    if not isinstance(values, dict):
        raise bad("values", f"must be an object of parameter: value (got {type(values).__name__})")

    register = _register()
    scenario = Scenario.default()
    preset = data.get("preset", "")
    if preset:
        from s400lab.model import presets

        available = presets()
        if preset not in available:
            raise bad("preset", f"unknown preset {excerpt(preset)}; presets: {', '.join(available)}")
        scenario = available[preset]
    values = dict(values)
    for key, value in list(values.items()):
        if key not in register:
            raise bad("values", register.unknown_message(key), key)
        if register[key].kind == "device":
            if version == 1 and value == register[key].default and not isinstance(value, bool):
                del values[key]  # migrated: version 1 files list every value, devices included
                continue
            raise bad("values", _device_refusal(key, value, version), key)
        problem = _check_type(register[key], value)
        if problem:
            raise bad("values", f"{problem} (got {excerpt(value)}); allowed: {register[key].allowed()}", key)
        try:  # one key at a time, so the message names the key the model rejected (rules
            # spanning several parameters, e.g. weights adding up to more than 1, come below)
            register.params[key].validate(value)
        except (ValueError, TypeError) as exc:
            raise bad("values", str(exc), key) from None
    try:
        scenario = scenario.with_changes(**values)
    except (ValueError, TypeError) as exc:  # a rule that spans several parameters
        raise bad("values", str(exc)) from None
    meta = {k: data[k] for k in ("created", "s400lab_version", "data_version") if k in data}
    meta["format_version"] = version
    return LoadedScenario(
        scenario=scenario, name=data.get("name", ""), notes=data.get("notes", ""), meta=meta, preset=preset
    )


def _device_refusal(key: str, value: Any, version: int) -> str:
    """Why a file cannot set model device ``key`` (one line)."""
    what = "a model device (a uniform draw behind a congressional block, drawn in every ensemble)"
    if version < 2:
        return (
            f"this format version {version} file sets {what} to {excerpt(value)}; since format "
            "version 2 a scenario file cannot set a model device (the explorer never honoured it), "
            "so the file cannot be migrated: remove the value"
        )
    return f"{what} cannot be set in a scenario file; remove the value"


# --------------------------------------------------------------------------- files


def load_scenario(path: str | os.PathLike) -> LoadedScenario:
    """Read and validate a scenario file.

    Parameters
    ----------
    path : str or path-like
        A JSON file written by :func:`save_scenario` (or by hand, in the same layout).

    Returns
    -------
    LoadedScenario

    Raises
    ------
    ValueError
        Naming the file and the offending key, when the file is missing, too large, not
        UTF-8 JSON, uses NaN/Infinity, has unknown keys, unknown parameters or values of the
        wrong type or out of range. Nothing is changed.
    """
    path = Path(path)
    name = str(path)
    data = read_json_file(path, limit=MAX_BYTES, what="scenario file", max_depth=MAX_DEPTH)
    loaded = scenario_from_dict(data, source=name)
    return LoadedScenario(
        scenario=loaded.scenario,
        name=loaded.name,
        notes=loaded.notes,
        meta=loaded.meta,
        path=path,
        preset=loaded.preset,
    )


def save_scenario(
    scenario: Any,
    path: str | os.PathLike,
    *,
    name: str = "",
    notes: str = "",
    overwrite: bool = False,
    preset: str = "",
) -> Path:
    """Write ``scenario`` to ``path`` as JSON.

    Parameters
    ----------
    scenario : s400lab.model.Scenario
    path : str or path-like
        Target file (conventionally ``*.json``); its folder must exist.
    name, notes : str
        Stored in the file.
    overwrite : bool
        Replace an existing file (atomically). Default False: an existing file raises.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    FileExistsError
        If ``path`` exists and ``overwrite`` is False (the file is left untouched).
    ValueError
        If the scenario holds a value that cannot be saved, or the folder does not exist.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ValueError(f"{path}: folder {str(folder)!r} does not exist")
    text = (
        json.dumps(
            scenario_to_dict(scenario, name=name, notes=notes, preset=preset),
            indent=2,
            ensure_ascii=False,
            allow_nan=False,
        )
        + "\n"
    )
    return write_new_file(path, lambda fh: fh.write(text), overwrite=overwrite)
