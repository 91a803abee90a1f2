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
``python -m s400lab validate`` (run by ``make setup``) always validates in full and records the key.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

__all__ = ["cache_dir", "package_key", "known_valid", "remember_valid"]

_CODE = (Path(__file__).with_name("schema_pass.py"), Path(__file__).with_name("validation.py"))


def cache_dir() -> Path | None:
    """The folder holding the markers, or None when the memo is switched off."""
    env = os.environ.get("S400LAB_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in ("", "off", "0", "none") else Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "s400lab"


def _frictionless_version() -> str:
    try:
        return metadata.version("frictionless")
    except metadata.PackageNotFoundError:
        return "none"


def package_key(root: Path, files: Iterable[Path]) -> str | None:
    """SHA-256 over the Frictionless version, the validation code and each file's name and bytes.

    Returns None when a file cannot be read (the full validation then reports why).
    """
    h = hashlib.sha256()
    h.update(_frictionless_version().encode())
    try:
        for code in _CODE:
            h.update(code.read_bytes())
        for path in files:
            data = path.read_bytes()
            h.update(f"\0{path.relative_to(root).as_posix()}\0{len(data)}\0".encode())
            h.update(data)
    except (OSError, ValueError):
        return None
    return h.hexdigest()


def _marker(key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / "frictionless-passed" / key


def known_valid(key: str | None) -> bool:
    """True if a package with this key passed Frictionless before."""
    marker = _marker(key) if key else None
    return marker is not None and marker.is_file()


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
