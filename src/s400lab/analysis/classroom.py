"""A class drop box for forecasts: students submit, only instructors read the whole class.

On the classroom hub (``classroom/``, ``make classroom``) every student is a Unix user and the
drop box is a directory owned by ``root:<instructors' group>`` with mode ``3753``: students can
create files in it but cannot list it, and the sticky bit stops them deleting or renaming files
they do not own. Each student's forecasts go to ``<drop box>/<user>.jsonl``:

* :func:`submission_file` creates that file with mode ``0640`` (owner read/write, the
  instructors' group -- inherited from the setgid directory -- read, others nothing), whatever
  the process's umask, so classmates cannot read it even if they guess its name;
* forecasts are appended with :func:`s400lab.analysis.forecasting.append_forecast`
  (append-only, one ``write`` under an exclusive lock: concurrent submits lose nothing);
* :func:`collect_submissions` (the instructor's side) merges only files whose Unix owner is
  the student the file is named after and whose every record carries that student's id, so a
  student cannot plant forecasts under a classmate's name; anything else is listed in
  ``rejected`` with the reason, never silently merged.

This module imports numpy/pandas only through :mod:`~s400lab.analysis.forecasting`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from s400lab.analysis import forecasting as fc

__all__ = [
    "CLASS_DIR_ENV",
    "SUBMISSION_MODE",
    "class_dir",
    "current_user",
    "submission_file",
    "submit_forecast",
    "Submissions",
    "collect_submissions",
    "expected_in",
]

#: Environment variable that names the drop box (set by the classroom hub for every server).
CLASS_DIR_ENV = "S400LAB_CLASS_DIR"
#: Mode of a student's submission file: owner rw, instructors' group r, others nothing.
SUBMISSION_MODE = 0o640


def class_dir() -> Path | None:
    """The drop box of the hub this process runs on (``$S400LAB_CLASS_DIR``), or None."""
    value = os.environ.get(CLASS_DIR_ENV, "").strip()
    return Path(value) if value else None


def current_user() -> str:
    """The hub user name (``$JUPYTERHUB_USER``), else the Unix login name of this process."""
    name = os.environ.get("JUPYTERHUB_USER", "").strip()
    if name:
        return name
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):  # Windows, or a uid without a name
        return os.environ.get("USERNAME", "student")


def submission_file(directory: str | os.PathLike, student_id: str) -> Path:
    """Return ``<directory>/<student_id>.jsonl``, created empty with mode 0640 if missing.

    Raises
    ------
    ForecastFileError
        If ``student_id`` is not a valid id, or the existing file is not a regular file.
    """
    path = fc.forecast_path(student_id, directory)
    try:
        fd = os.open(
            path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), SUBMISSION_MODE
        )
    except FileExistsError:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode):
            raise fc.ForecastFileError("not a regular file", path=path) from None
        return path
    try:
        os.fchmod(fd, SUBMISSION_MODE)  # the umask (077 on the hub) must not hide it
    finally:
        os.close(fd)
    return path


def submit_forecast(
    directory: str | os.PathLike, forecast: fc.Forecast, *, questions: pd.DataFrame | None = None
) -> int:
    """Append one forecast to the student's file in the drop box; return the file's count."""
    path = submission_file(directory, forecast.student_id)
    return fc.append_forecast(path, forecast, questions=questions)


@dataclass
class Submissions:
    """Result of :func:`collect_submissions`.

    Attributes
    ----------
    forecasts : pandas.DataFrame
        Merged as :func:`s400lab.analysis.forecasting.merge_forecasts` does.
    files : list of Path
        The files merged.
    rejected : pandas.DataFrame
        ``file, reason`` for every file left out.
    """

    forecasts: pd.DataFrame
    files: list[Path] = field(default_factory=list)
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["file", "reason"]))


def _owner_name(info: os.stat_result) -> str | None:
    try:
        import pwd

        return pwd.getpwuid(info.st_uid).pw_name
    except (ImportError, KeyError):
        return None


#: Errors one hostile file can raise while it is read and parsed; each leaves out that file only.
_FILE_ERRORS = (fc.ForecastFileError, OSError, ValueError, OverflowError, TypeError, RecursionError)


def _read_checked(path: Path, store_uid: int | None, check_owner: bool) -> tuple[bytes, str]:
    """Open ``path`` once and return its bytes, checked on that one descriptor.

    Type, size and owner come from ``fstat`` of the descriptor the bytes are read from, so a
    path swapped after the check cannot hand the merge other bytes than those checked.
    Returns ``(data, "")`` or ``(b"", reason)``.
    """
    flags = (
        os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NOCTTY", 0)
    )
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if os.path.islink(path):
            return b"", "not a regular file"
        return b"", f"cannot read ({exc.strerror or exc})"
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return b"", "not a regular file"
        if check_owner:
            owner = _owner_name(info)
            if owner is not None and owner != path.stem and info.st_uid != store_uid:
                return b"", f"owned by {owner!r}, not by {path.stem!r}"
        if info.st_size > fc.MAX_FORECAST_BYTES:
            return b"", f"{info.st_size:,} bytes is over the {fc.MAX_FORECAST_BYTES:,}-byte limit"
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
            size += len(chunk)
            if size > fc.MAX_FORECAST_BYTES:
                return b"", f"over the {fc.MAX_FORECAST_BYTES:,}-byte limit"
        return b"".join(chunks), ""
    finally:
        os.close(fd)


def collect_submissions(
    directory: str | os.PathLike,
    *,
    questions: pd.DataFrame | None = None,
    deadline: datetime | str | None = None,
    keep: str = "latest",
    check_owner: bool = True,
    pattern: str = "*.jsonl",
) -> Submissions:
    """Merge a drop box or the submission service's store: the instructor's view of the class.

    Each file is opened once; its type, size and owner are checked on that descriptor and the
    bytes merged are the bytes read from it (no check-then-read race). A file is merged only
    if it is a regular ``*.jsonl`` file, it is valid (see
    :func:`~s400lab.analysis.forecasting.parse_forecasts`), every record's ``student_id``
    equals the file name, and (``check_owner``; POSIX) its Unix owner is that student or the
    owner of ``directory`` (the submission service, which writes the store for the students).
    Whatever one file holds (any timestamp, any size, any bytes) leaves out that file only,
    with the reason in ``rejected``.

    Parameters
    ----------
    directory : path-like
        The drop box.
    questions, deadline, keep
        Passed to :func:`~s400lab.analysis.forecasting.merge_frames`.
    check_owner : bool, default True
        Set False for a folder collected by other means (e.g. files handed in by e-mail, or a
        Kubernetes volume where every pod writes as the same uid).
    pattern : str, default ``"*.jsonl"``
        Files to merge, relative to ``directory``; ``"*/*.jsonl"`` for one sub-folder per
        student (then the sub-folder must also be named after the student).

    Returns
    -------
    Submissions
    """
    directory = Path(directory)
    if deadline is not None:  # a bad deadline is the instructor's error: raise it, naming it
        fc.merge_frames([], deadline=deadline)
    store_uid = os.stat(directory).st_uid if check_owner else None
    good: list[Path] = []
    frames: list[pd.DataFrame] = []
    rejected: list[tuple[str, str]] = []
    for path in sorted(directory.glob(pattern)):
        rel = str(path.relative_to(directory))
        if path.parent != directory and path.parent.name != path.stem:
            rejected.append((rel, "not in the folder of its student"))
            continue
        try:
            data, why = _read_checked(path, store_uid, check_owner)
            if why:
                rejected.append((rel, why))
                continue
            df = fc.parse_forecasts(data, path, questions=questions)
        except _FILE_ERRORS as exc:
            why = str(exc) or type(exc).__name__
            rejected.append((rel, why.removeprefix(f"{path}, ").removeprefix(f"{path}: ")))
            continue
        others = sorted(set(df["student_id"]) - {path.stem})
        if others:
            rejected.append((rel, f"records for another student id: {', '.join(others)}"))
            continue
        good.append(path)
        frames.append(df)
    merged = fc.merge_frames(frames, questions=questions, deadline=deadline, keep=keep)
    return Submissions(merged, good, pd.DataFrame(rejected, columns=["file", "reason"]))


def expected_in(merged: pd.DataFrame, wanted: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The ``(student_id, question_id)`` pairs of ``wanted`` missing from a merge."""
    have = set(zip(merged["student_id"], merged["question_id"], strict=True))
    return [w for w in wanted if tuple(w) not in have]
