"""Check the seminar environment before class: ``check_environment()`` -> one row per check.

What is checked
---------------
* the kernel's Python version against the package's ``Requires-Python``;
* every runtime dependency (and, optionally, the ``test`` extras) against the minimum version
  declared in the *installed* distribution metadata of s400lab -- the same list as
  pyproject.toml, so there is no second list to keep in sync;
* that ``data/`` validates and loads (``s400lab.data.load()``), with the row counts;
* whether a Chromium browser is present (information only: used by the browser tests).

Run it in ``notebooks/00_start_here.ipynb`` or from a shell::

    python -c "from s400lab.envcheck import check_environment; print(check_environment())"
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
from importlib import metadata
from typing import cast

import pandas as pd
from packaging.markers import default_environment
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

#: Status values, from good to bad.
OK, INFO, MISSING, TOO_OLD, FAILED = "ok", "info", "missing", "too old", "failed"

COLUMNS = ["check", "required", "found", "status", "note"]


def _requirements(dist: str, extras: tuple[str, ...]) -> list[Requirement]:
    # packaging types Environment as a TypedDict; evaluate() wants a plain str -> str mapping.
    env = cast("dict[str, str]", default_environment())
    reqs = []
    for text in metadata.requires(dist) or []:
        try:
            req = Requirement(text)
        except InvalidRequirement:
            continue
        if req.marker is None or any(req.marker.evaluate({**env, "extra": e}) for e in extras):
            reqs.append(req)
    return reqs


def check_requirement(req: Requirement) -> dict:
    """Compare one requirement with what is installed.

    Parameters
    ----------
    req : packaging.requirements.Requirement
        e.g. ``Requirement("pandas>=2.2")``.

    Returns
    -------
    dict
        A row with the keys of :data:`COLUMNS`.
    """
    row = {"check": f"package {req.name}", "required": str(req.specifier) or "any"}
    try:
        found = metadata.version(req.name)
    except metadata.PackageNotFoundError:
        return {**row, "found": "", "status": MISSING, "note": f"install it: python -m pip install '{req}'"}
    try:
        ok = req.specifier.contains(Version(found), prereleases=True)
    except InvalidVersion:
        return {**row, "found": found, "status": INFO, "note": "version not comparable"}
    note = "" if ok else f"upgrade: python -m pip install --upgrade '{req}'"
    return {**row, "found": found, "status": OK if ok else TOO_OLD, "note": note}


def _python_row(dist: str) -> dict:
    spec = (metadata.metadata(dist)["Requires-Python"] or "").strip()
    found = platform.python_version()
    ok = not spec or SpecifierSet(spec).contains(found)
    return {
        "check": "kernel python",
        "required": spec or "any",
        "found": found,
        "status": OK if ok else TOO_OLD,
        "note": sys.executable,
    }


def _data_row(data_dir) -> dict:
    try:
        from s400lab.data import load

        ds = load(data_dir)
    except Exception as exc:  # report any failure as a row; never crash the check
        lines = [ln.strip() for ln in str(exc).strip().splitlines() if ln.strip()] or [repr(exc)]
        note = f"{type(exc).__name__}: {lines[0]}"
        if len(lines) > 1:
            note += f" First: {lines[1]}"
        return {
            "check": "data validates",
            "required": "valid data/",
            "found": "",
            "status": FAILED,
            "note": note,
        }
    sizes = ", ".join(f"{n} {len(ds.table(n))}" for n in ds.names)
    return {
        "check": "data validates",
        "required": "valid data/",
        "found": ds.version,
        "status": OK,
        "note": f"rows: {sizes}",
    }


def _chromium_row() -> dict:
    env = os.environ.get("S400LAB_CHROMIUM")
    candidates: list[str | None] = [env] if env else []
    candidates += [shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")]
    found = next((c for c in candidates if c and os.path.exists(c)), "")
    return {
        "check": "chromium (browser tests only)",
        "required": "optional",
        "found": found,
        "status": INFO,
        "note": "present" if found else "not found: only the real-browser tests need it (make browser)",
    }


def check_environment(*, include_test: bool = False, data_dir=None, dist: str = "s400lab") -> pd.DataFrame:
    """Check the kernel, the packages, the data and the browser.

    Parameters
    ----------
    include_test : bool
        Also check the ``test`` extras (pytest, hypothesis, nbmake, the browser driver, ...).
    data_dir : path-like, optional
        Data directory to validate (default: the workbook's ``data/``).
    dist : str
        The distribution whose metadata lists the requirements.

    Returns
    -------
    DataFrame
        Columns ``check, required, found, status, note``; ``status`` is one of
        ``ok, info, missing, too old, failed``. A workbook is ready when no row is
        ``missing``, ``too old`` or ``failed`` (see :func:`problems`).
    """
    rows = [_python_row(dist)]
    rows += [check_requirement(r) for r in _requirements(dist, ("test",) if include_test else ())]
    rows.append(_data_row(data_dir))
    rows.append(_chromium_row())
    return pd.DataFrame(rows, columns=COLUMNS)


def problems(report: pd.DataFrame) -> pd.DataFrame:
    """The rows of a :func:`check_environment` report that need fixing."""
    return report[report["status"].isin([MISSING, TOO_OLD, FAILED])]


def summary(report: pd.DataFrame) -> str:
    """One sentence: ready, or what to fix."""
    bad = problems(report)
    if bad.empty:
        return "Ready: every check passed."
    return "Fix before class: " + "; ".join(f"{r.check} ({r.status})" for r in bad.itertuples())
