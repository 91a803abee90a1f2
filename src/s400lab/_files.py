"""Safe file writing shared by every place that saves something for the user.

One rule for scenario files, CSV exports and briefs: write to a temporary file in the target
folder, then move it into place, and never replace an existing file unless asked to.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

__all__ = ["write_new_file"]


def _exists_error(path: Path, hint: str) -> FileExistsError:
    return FileExistsError(f"{path}: already exists; not overwritten ({hint})")


def write_new_file(
    path: str | os.PathLike,
    write: Callable[[IO[str]], object],
    *,
    overwrite: bool = False,
    hint: str = "choose another name, or overwrite",
    newline: str | None = None,
) -> Path:
    """Write a text file atomically; never clobber an existing file unless ``overwrite``.

    Parameters
    ----------
    path : path-like
        Target file; its folder must exist.
    write : callable
        Called with an open text handle (UTF-8) of the temporary file; writes the content.
    overwrite : bool, default False
        Replace an existing file (atomically, with ``os.replace``). If False an existing file --
        even one that appears while we write -- raises ``FileExistsError`` and is left untouched.
    hint : str
        Appended to the ``FileExistsError`` message (what the user can do instead).
    newline : str or None
        Passed to :func:`open` (``""`` for CSV writers).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    target = Path(path).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(f"{target}: folder {str(folder)!r} does not exist")
    if target.exists() and not overwrite:
        raise _exists_error(target, hint)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, target)
        else:
            try:  # link() fails if the name appeared meanwhile: never clobber an unseen file
                os.link(tmp, target)
            except FileExistsError:
                raise _exists_error(target, hint) from None
            except OSError:  # file systems without hard links
                if target.exists():
                    raise _exists_error(target, hint) from None
                os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
