"""Remember which exact data packages Frictionless has already passed, outside the data folder.

The Frictionless passes (Table Schema descriptors, then cell types, constraints and keys) cost
about 4 s per kernel start, almost all of it importing ``jsonschema`` (whose optional URI-format
checker compiles some 40 grammars at import). Their verdict depends only on the bytes of
``datapackage.json``, the schema files and the CSV files, on the Frictionless version and on the
two modules that call Frictionless. So after a package passes with no problem at all, its key --
a SHA-256 over exactly those inputs -- is recorded as an empty marker file in the user's cache
folder; a later :func:`s400lab.data.load` of byte-identical files skips the Frictionless passes
(the structure pass and the cross-table rules still run every time). Any changed byte, a new
Frictionless or a changed validation module gives a new key, and the full validation runs.

Nothing is written into the data folder. The cache folder is ``$S400LAB_CACHE_DIR`` or
``$XDG_CACHE_HOME/s400lab`` or ``~/.cache/s400lab``; ``S400LAB_CACHE_DIR=off`` disables the
memo. A cache that cannot be written is ignored (the validation then simply runs in full).

**A shared, read-only memo.** ``$S400LAB_SHARED_CACHE_DIR`` names a cache folder that is only
read (never written): a marker found there counts as found. The classroom hub validates the
workbook's data once at start into such a folder, readable by every student and writable by
none, so each student's first kernel on their own byte-identical copy of the data skips the
Frictionless passes too (``classroom/hubctl.py``); data a student edits is validated in full
and remembered in their own cache as above.
``python -m s400lab validate`` (run by ``make setup``) always validates in full and records the key.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

__all__ = ["cache_dir", "contents_key", "known_valid", "remember_valid", "shared_cache_dir"]

_CODE = tuple(Path(__file__).with_name(n) for n in ("schema_pass.py", "columns.py", "validation.py"))


def cache_dir() -> Path | None:
    """The folder holding the markers, or None when the memo is switched off."""
    env = os.environ.get("S400LAB_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in ("", "off", "0", "none") else Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "s400lab"


def shared_cache_dir() -> Path | None:
    """The read-only shared memo (``$S400LAB_SHARED_CACHE_DIR``), or None if not set."""
    env = (os.environ.get("S400LAB_SHARED_CACHE_DIR") or "").strip()
    return Path(env).expanduser() if env else None


def _frictionless_version() -> str:
    try:
        return metadata.version("frictionless")
    except metadata.PackageNotFoundError:
        return "none"


def contents_key(files: Iterable[tuple[str, bytes]]) -> str | None:
    """SHA-256 over the Frictionless version, the validation code and each file's name and bytes.

    ``files`` are ``(name, bytes)`` of every file the validation read, as read (so nothing is
    read twice and the key covers exactly what was checked). None if the code cannot be read.
    """
    h = hashlib.sha256()
    h.update(_frictionless_version().encode())
    try:
        for code in _CODE:
            h.update(code.read_bytes())
    except OSError:
        return None
    for name, data in files:
        h.update(f"\0{name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def _marker(key: str, folder: Path | None = None) -> Path | None:
    folder = cache_dir() if folder is None else folder
    return None if folder is None else folder / "frictionless-passed" / key


def known_valid(key: str | None) -> bool:
    """True if a package with this key passed Frictionless before (in the user's memo or the
    shared read-only one)."""
    if not key:
        return False
    if os.environ.get("S400LAB_CACHE_DIR", "x").strip().lower() in ("", "off", "0", "none"):
        return False  # the memo is switched off: the shared one too
    shared = shared_cache_dir()
    for marker in (_marker(key), _marker(key, shared) if shared else None):
        if marker is not None and marker.is_file():
            return True
    return False


def remember_valid(key: str | None) -> None:
    """Record that the package with this key passed (best effort: errors are ignored)."""
    marker = _marker(key) if key else None
    if marker is None:
        return
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass
