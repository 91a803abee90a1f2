"""Hand-ins for a class: the submission service's logic, a drop box, and the instructor's merge.

On the classroom hub (``classroom/``, ``make classroom``) students hand in through the hub's
submission service (``classroom/submit_service.py``): :func:`receive_forecast` and
:func:`receive_scenario` are what it does with a request -- the student is the hub login of the
request's token and the time is the service's clock, whatever the body claims; the body is size-
bounded and validated; records are appended to ``<store>/<login>.jsonl`` in a store
(``root:<instructors>``, mode 2750) that only the service writes. A student's server calls it
with :func:`submit_to_service` (``$S400LAB_SUBMIT_URL``, ``$JUPYTERHUB_API_TOKEN``).

Without the service (e.g. one folder per pod on Kubernetes) a drop box still works:
:func:`submission_file` creates ``<drop box>/<id>.jsonl`` with mode ``0640`` and
:func:`submit_forecast` appends to it (append-only, one ``write`` under an exclusive lock).

:func:`collect_submissions` (the instructor's side) opens each file once and checks its type,
size and owner on that descriptor (the bytes merged are the bytes checked: no swap between
check and read); it merges a file only if its owner is the student it is named after or the
store's owner (the service) and every record carries that student's id. Anything else -- a
planted file, a hostile timestamp, junk -- is one row of ``rejected`` with the reason, never a
failed merge.

This module imports numpy/pandas only through :mod:`~s400lab.analysis.forecasting`.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from s400lab._inputs import InputError, excerpt, loads_json
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
    "SUBMIT_URL_ENV",
    "SubmissionRefused",
    "receive_forecast",
    "receive_scenario",
    "stored_forecasts",
    "submit_to_service",
    "service_forecasts",
    "submit_scenario_to_service",
    "service_url",
]

#: Environment variable that names the drop box (set by the classroom hub for every server).
CLASS_DIR_ENV = "S400LAB_CLASS_DIR"
#: Environment variable with the submission service's URL (set by the hub for every server).
SUBMIT_URL_ENV = "S400LAB_SUBMIT_URL"
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


# --------------------------------------------------------------------------- the submission service

#: Largest body of one submission (a forecast is ~1.3 kB at most).
MAX_FORECAST_REQUEST = 4096
#: Largest store file of one student (about 1,500 forecasts); then the service refuses more.
MAX_STUDENT_FORECAST_BYTES = 2 * 1024 * 1024
#: Largest scenario handed in, and how many one student may hand in.
MAX_SCENARIO_REQUEST = 256 * 1024
MAX_SCENARIOS_PER_STUDENT = 100
#: Keys a student's form may send; ``student_id`` and ``timestamp`` are ignored (the service
#: stamps the hub login and its own clock).
_REQUEST_KEYS = {"question_id", "probability", "rationale", "student_id", "timestamp"}
_SCENARIO_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class SubmissionRefused(ValueError):
    """A submission the service refuses; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _request_object(body: bytes, limit: int, what: str, max_depth: int) -> dict:
    if len(body) > limit:
        raise SubmissionRefused(f"{what}: {len(body):,} bytes is over the {limit:,}-byte limit", 413)
    try:
        obj = loads_json(body.decode("utf-8"), source=what, max_depth=max_depth)
    except UnicodeDecodeError:
        raise SubmissionRefused(f"{what}: not valid UTF-8") from None
    except InputError as exc:
        raise SubmissionRefused(str(exc)) from None
    if not isinstance(obj, dict):
        raise SubmissionRefused(f"{what}: must be a JSON object")
    return obj


def receive_forecast(
    store: str | os.PathLike,
    user: str,
    body: bytes,
    *,
    questions: pd.DataFrame | None = None,
    now: datetime | None = None,
) -> tuple[fc.Forecast, int]:
    """What the submission service does with one forecast a student's server posts.

    The student is ``user`` (the hub login the service got from the hub for the request's
    token) and the time is ``now`` (the service's clock): whatever id or time the body claims
    is ignored. The forecast is appended to ``<store>/<user>.jsonl``, which only the service
    writes (see docs/classroom.md, "Submissions").

    Returns
    -------
    (Forecast, int)
        The stored forecast and the student's number of forecasts.

    Raises
    ------
    SubmissionRefused
        Too large (413), not a forecast (400, naming the field), or the student's store file
        is full (429).
    """
    obj = _request_object(body, MAX_FORECAST_REQUEST, "forecast", 1)
    unknown = sorted(set(obj) - _REQUEST_KEYS)
    if unknown:
        raise SubmissionRefused(f"forecast: unknown key(s) {', '.join(excerpt(k) for k in unknown[:3])}")
    path = fc.forecast_path(user, store)
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        size = 0
    if size > MAX_STUDENT_FORECAST_BYTES:
        raise SubmissionRefused(
            f"{user} has handed in {size:,} bytes of forecasts, the limit; ask the instructor", 429
        )
    try:
        forecast = fc.make_forecast(
            user,
            obj.get("question_id"),  # type: ignore[arg-type]
            obj.get("probability"),  # type: ignore[arg-type]
            timestamp=now or datetime.now(UTC),
            rationale=obj.get("rationale") or "",
            questions=questions,
        )
        count = fc.append_forecast(path, forecast, questions=questions)
    except fc.ForecastFileError as exc:
        raise SubmissionRefused(str(exc)) from None
    return forecast, count


def stored_forecasts(store: str | os.PathLike, user: str) -> pd.DataFrame:
    """The forecasts the service stored for ``user`` (empty if none)."""
    path = fc.forecast_path(user, store)
    if not path.exists():
        return fc.merge_frames([], keep="all")
    return fc.read_forecasts(path)


def receive_scenario(
    store: str | os.PathLike, user: str, name: str, body: bytes, *, now: datetime | None = None
) -> Path:
    """Store a scenario a student hands in: ``<store>/scenarios/<user>/<UTC time>-<name>``.

    The scenario must load (:func:`s400lab.model.scenario_io.scenario_from_dict`); the student
    and the time are the service's (directory and file name), never the body's.
    """
    from s400lab.model import scenario_io

    if not isinstance(name, str) or not _SCENARIO_NAME.match(name):
        raise SubmissionRefused(
            f"scenario name must be 1-64 letters, digits, '_', '.', '-'; got {excerpt(name)}"
        )
    obj = _request_object(body, MAX_SCENARIO_REQUEST, "scenario", scenario_io.MAX_DEPTH)
    try:
        scenario_io.scenario_from_dict(obj, source=f"scenario {name}")
    except (InputError, ValueError, TypeError) as exc:
        raise SubmissionRefused(str(exc)) from None
    folder = Path(store) / "scenarios" / fc.forecast_path(user, ".").stem
    folder.mkdir(parents=True, exist_ok=True)
    if sum(1 for _ in folder.iterdir()) >= MAX_SCENARIOS_PER_STUDENT:
        raise SubmissionRefused(f"{user} has handed in {MAX_SCENARIOS_PER_STUDENT} scenarios, the limit", 429)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    stem = name.removesuffix(".json")
    path = folder / f"{stamp}-{stem}.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), SUBMISSION_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, ensure_ascii=False, indent=1)
    return path


def submit_to_service(url: str, token: str, forecast: fc.Forecast, *, timeout: float = 30.0) -> dict:
    """Post a forecast to the class's submission service (from a student's server).

    ``url`` is ``$S400LAB_SUBMIT_URL``, ``token`` the server's ``$JUPYTERHUB_API_TOKEN``: the
    service asks the hub whose token it is. Returns the stored record (``student_id``,
    ``timestamp`` and ``count`` as the service stamped them).

    Raises
    ------
    SubmissionRefused
        With the service's message, or why it could not be reached.
    """
    body = json.dumps(
        {
            "question_id": forecast.question_id,
            "probability": forecast.probability,
            "rationale": forecast.rationale,
        }
    ).encode("utf-8")
    return _call_service(url, token, "api/forecasts", body, timeout)


def submit_scenario_to_service(
    url: str, token: str, name: str, document: dict, *, timeout: float = 30.0
) -> dict:
    """Hand a scenario document (:func:`s400lab.model.scenario_io.scenario_to_dict`) in to the
    class's submission service; returns ``{"student_id", "stored"}`` as the service stamped them."""
    from urllib.parse import quote

    body = json.dumps(document, ensure_ascii=False, allow_nan=False).encode("utf-8")
    return _call_service(url, token, f"api/scenarios/{quote(name, safe='')}", body, timeout)


def service_forecasts(url: str, token: str, *, timeout: float = 30.0) -> pd.DataFrame:
    """The caller's own forecasts as the submission service stored them (newest last)."""
    answer = _call_service(url, token, "api/forecasts", None, timeout)
    records = [{"student_id": answer.get("student_id"), **r} for r in answer.get("forecasts", [])]
    df = pd.DataFrame(records, columns=["student_id", "question_id", "probability", "timestamp", "rationale"])
    df["timestamp"] = pd.to_datetime(df["timestamp"], utc=True)
    return df


def _call_service(url: str, token: str, path: str, body: bytes | None, timeout: float) -> dict:
    import urllib.error
    import urllib.request

    req = urllib.request.Request(
        url.rstrip("/") + "/" + path,
        data=body,
        method="GET" if body is None else "POST",
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return json.loads(resp.read(64 * 1024))
    except urllib.error.HTTPError as err:
        try:
            message = json.loads(err.read(64 * 1024)).get("message") or err.reason
        except (ValueError, AttributeError, OSError):
            message = err.reason
        raise SubmissionRefused(
            f"the class submission service refused it ({err.code}): {message}", err.code
        ) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise SubmissionRefused(f"the class submission service cannot be reached ({exc})", 503) from None


def service_url() -> str | None:
    """``$S400LAB_SUBMIT_URL`` when this server runs on the classroom hub, else None."""
    value = os.environ.get(SUBMIT_URL_ENV, "").strip()
    return value or None


def expected_in(merged: pd.DataFrame, wanted: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The ``(student_id, question_id)`` pairs of ``wanted`` missing from a merge."""
    have = set(zip(merged["student_id"], merged["question_id"], strict=True))
    return [w for w in wanted if tuple(w) not in have]
