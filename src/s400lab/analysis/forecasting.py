"""Forecasting exercise: resolvable questions, append-only forecast files, Brier scores.

Students record probability forecasts for the concrete yes/no questions in
``data/forecast_questions.csv``; each forecast is one line of a JSON Lines file
(default directory ``./forecasts/``, git-ignored, one file per student is the
convention). The instructor merges a class's files, resolves questions (status
``yes``/``no`` with the sources that justify it) and scores forecasts.

File format (one JSON object per line, UTF-8, ``\\n``-terminated)::

    {"v": 1, "student_id": "ana", "question_id": "us-caatsa-ssb-lifted-2027-12",
     "probability": 0.3, "timestamp": "2026-11-25T10:15:00+00:00", "rationale": "..."}

Files are append-only: :func:`append_forecast` never rewrites a line. It opens the
file with ``O_APPEND``, takes an exclusive ``fcntl`` lock (``msvcrt`` on Windows),
re-validates the existing lines under the lock, then writes the new line with one
``write`` call, so concurrent appends from threads or processes neither interleave
nor lose lines. A malformed existing file raises :class:`ForecastFileError` naming
file, line and field and nothing is written. A file is never opened through a symlink
(``O_NOFOLLOW``; a new file is made with ``O_CREAT | O_EXCL``), so a link planted in the
forecasts folder -- dangling or not -- cannot send a forecast elsewhere; only regular files are
read or appended to. Student and question ids must match their grammar in full
(``re.fullmatch``: no final newline or other whitespace).

Scoring. The Brier score of one forecast is ``(p - o)**2`` where ``o`` is 1 if the
question resolved YES and 0 if NO: 0 is perfect, 0.25 is what "always 50 %" earns,
1 is confidently wrong. :func:`murphy_decomposition` splits a mean Brier score into
reliability - resolution + uncertainty (Murphy 1973).

This module imports numpy and pandas only (no widgets, no matplotlib).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from s400lab._inputs import InputError, excerpt, loads_json, read_regular_file, text_problem
from s400lab.analysis.ensembles import wilson_interval

__all__ = [
    "DEFAULT_FORECAST_DIR",
    "QUESTION_COLUMNS",
    "FORECAST_FIELDS",
    "ForecastFileError",
    "Forecast",
    "default_questions_path",
    "load_questions",
    "questions_frame",
    "make_forecast",
    "append_forecast",
    "read_forecasts",
    "forecast_path",
    "merge_forecasts",
    "merge_frames",
    "parse_forecasts",
    "brier_score",
    "score_forecasts",
    "student_scores",
    "calibration_table",
    "murphy_decomposition",
]

#: Default directory for forecast files (git-ignored in the repository).
DEFAULT_FORECAST_DIR = Path("forecasts")

#: Columns of data/forecast_questions.csv, in order.
QUESTION_COLUMNS = (
    "question_id",
    "question",
    "resolves_on",
    "resolution_criteria",
    "status",
    "resolved_on",
    "source_ids",
    "notes",
)

#: Keys of one forecast record (``rationale`` may be empty).
FORECAST_FIELDS = ("v", "student_id", "question_id", "probability", "timestamp", "rationale")

FORMAT_VERSION = 1
MAX_RATIONALE = 1000
#: Largest forecast file read or appended to, in bytes (a record is at most ~1.3 kB: room
#: for over 10,000 forecasts of one student).
MAX_FORECAST_BYTES = 16 * 1024 * 1024
# Ids are checked with ``fullmatch`` (``$`` alone would accept a final newline: "ana\n").
_SLUG = re.compile(r"[a-z0-9][a-z0-9_.-]*")
_SOURCE_IDS = re.compile(r"[a-z0-9][a-z0-9_.-]*(?:;[a-z0-9][a-z0-9_.-]*)*")
#: Student ids: a pseudonym or initials; letters, digits, ``_ . -``; 1-64 characters.
_STUDENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
#: Clock skew tolerated for timestamps "in the future".
_FUTURE_SLACK = timedelta(days=1)
#: Timestamps (and deadlines) outside [EARLIEST, LATEST) are refused: no forecast of this
#: exercise was made then, and far dates overflow datetime arithmetic or pandas' range.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


class ForecastFileError(InputError):
    """A forecast or question file (or a new forecast) is invalid.

    The message names the file, the line (or row) and the field; ``path``, ``line``
    and ``field`` are also kept as attributes.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | os.PathLike | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        where = []
        if path is not None:
            where.append(str(path))
        if line is not None:
            where.append(f"line {line}")
        if field is not None:
            where.append(f"field {field!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)
        self.path, self.line, self.field = path, line, field


# --------------------------------------------------------------------------- questions


def default_questions_path() -> Path:
    """Return the path of ``forecast_questions.csv`` in the data directory.

    Returns
    -------
    pathlib.Path
        ``$S400LAB_DATA/forecast_questions.csv`` or ``<repository>/data/forecast_questions.csv``
        (one rule for every reader: :func:`s400lab.data.default_data_dir`).
    """
    from s400lab.data import default_data_dir

    return default_data_dir() / "forecast_questions.csv"


def _as_date(value) -> date | None:
    """A table cell as a date: ``None`` for an empty cell (``""``, ``None``, NaT, NA)."""
    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return date.fromisoformat(value) if value else None
    return value.date() if isinstance(value, datetime) else value


def questions_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The questions in the shape the functions of this module use.

    Parameters
    ----------
    table : pandas.DataFrame
        The rows of ``forecast_questions``, already checked: ``s400lab.data.load().table(
        "forecast_questions")`` (typed columns, a ``question_id`` column) or the frame of
        :func:`load_questions` (returned as it is).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``question_id``; text columns as ``str`` (``""`` when empty),
        ``resolves_on``/``resolved_on`` as :class:`datetime.date` (``None`` when empty) and
        ``outcome``: 1.0 (yes), 0.0 (no) or NaN (open).
    """
    if "outcome" in table.columns and table.index.name == "question_id":
        return table
    missing = [c for c in QUESTION_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"questions table: missing column(s) {', '.join(missing)}")
    df = pd.DataFrame(index=pd.Index([str(q) for q in table["question_id"]], name="question_id"))
    for col in QUESTION_COLUMNS[1:]:
        values = table[col].tolist()
        if col in ("resolves_on", "resolved_on"):
            df[col] = [_as_date(v) for v in values]
        else:
            df[col] = ["" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v) for v in values]
    df["outcome"] = df["status"].map({"yes": 1.0, "no": 0.0}).astype(float)
    return df


#: Largest questions file an instructor may hand in, in bytes (the shipped one is ~6 kB).
MAX_QUESTIONS_BYTES = 1024 * 1024


def load_questions(
    path: str | os.PathLike | None = None, source_ids: Iterable[str] | None = None
) -> pd.DataFrame:
    """The forecast questions: the data package's, or an instructor's own file, checked.

    Parameters
    ----------
    path : path-like, optional
        An instructor's own CSV file (same columns as ``data/forecast_questions.csv``). Default:
        the data package's table, through :func:`s400lab.data.load` (validated there).
    source_ids : iterable of str, optional
        Known source ids (from sources.csv). When given, every id cited by a resolved
        question must be among them.

    Returns
    -------
    pandas.DataFrame
        See :func:`questions_frame`.

    Raises
    ------
    ForecastFileError
        On the first problem of a file, naming file, row (the header is row 1) and column:
        not a regular file or over :data:`MAX_QUESTIONS_BYTES`, not UTF-8, a bad header or
        cell, a duplicate id, or a broken rule of
        :func:`s400lab.data.checks.check_forecast_questions`.
    s400lab.data.DataError
        When ``path`` is not given and the data package is invalid.
    """
    if path is None:
        from s400lab.data import load

        df = questions_frame(load().table("forecast_questions"))
    else:
        df = _read_questions_file(Path(path))
    if source_ids is not None:
        known = set(source_ids)
        for row, (qid, ids) in enumerate(df["source_ids"].items(), start=2):
            missing = [s for s in ids.split(";") if s and s not in known]
            if missing:
                raise ForecastFileError(
                    f"question {qid!r}: unknown source id(s) {missing}",
                    path=path,
                    line=row,
                    field="source_ids",
                )
    return df


def _read_questions_file(path: Path) -> pd.DataFrame:
    """Read an instructor's questions file: the one checked reader for a user's questions."""
    from s400lab.data.checks import check_forecast_questions
    from s400lab.data.table import Table

    raw = _read_file(path, MAX_QUESTIONS_BYTES, "questions file")
    try:
        text = raw.decode("utf-8-sig")  # a spreadsheet's "CSV UTF-8" starts with a BOM
    except UnicodeDecodeError as exc:
        raise ForecastFileError(
            f"not UTF-8 text (byte {exc.start}); save the file as UTF-8 (CSV UTF-8 in a spreadsheet)",
            path=path,
        ) from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ForecastFileError(f"not a readable CSV file ({exc})", path=path) from None
    header = rows[0] if rows else None
    if header is None or tuple(header) != QUESTION_COLUMNS:
        shown = excerpt(",".join(header or []), 120)
        raise ForecastFileError(
            f"header must be {','.join(QUESTION_COLUMNS)}; got {shown}", path=path, line=1
        )
    if len(rows) < 2:
        raise ForecastFileError("no questions: the file has only a header", path=path, line=2)
    seen: set[str] = set()
    for row_no, row in enumerate(rows[1:], start=2):
        if len(row) != len(QUESTION_COLUMNS):
            raise ForecastFileError(
                f"expected {len(QUESTION_COLUMNS)} cells, got {len(row)}", path=path, line=row_no
            )
        _check_question(dict(zip(QUESTION_COLUMNS, row, strict=True)), path, row_no, seen)
    table = Table("forecast_questions", str(path), path, header=list(header), rows=rows[1:])
    for problem in check_forecast_questions({"forecast_questions": table}):
        raise ForecastFileError(problem.message, path=path, line=problem.row, field=problem.column)
    return questions_frame(pd.DataFrame(rows[1:], columns=list(QUESTION_COLUMNS)))


def _check_question(rec: dict, path, row: int, seen: set) -> None:
    """The column rules of the schema for one row of a questions file (the data package's
    table is checked by Frictionless against ``schemas/forecast_questions.schema.json``)."""
    for col, cell in rec.items():
        why = text_problem(cell, allow_newlines=col in ("resolution_criteria", "notes"))
        if why:
            raise ForecastFileError(why, path=path, line=row, field=col)
    qid = rec["question_id"]
    if not _SLUG.fullmatch(qid):
        raise ForecastFileError(
            f"{excerpt(qid)} is not a lower-case slug", path=path, line=row, field="question_id"
        )
    if qid in seen:
        raise ForecastFileError(f"duplicate question id {qid!r}", path=path, line=row, field="question_id")
    seen.add(qid)
    for col in ("question", "resolution_criteria"):
        if not rec[col].strip():
            raise ForecastFileError("must not be empty", path=path, line=row, field=col)
    for col in ("resolves_on", "resolved_on"):
        if (rec[col] or col == "resolves_on") and not _is_iso_date(rec[col]):
            raise ForecastFileError(
                f"{excerpt(rec[col])} is not a date YYYY-MM-DD", path=path, line=row, field=col
            )
    if rec["status"] not in ("open", "yes", "no"):
        raise ForecastFileError(
            f"status must be open, yes or no; got {excerpt(rec['status'])}",
            path=path,
            line=row,
            field="status",
        )
    if rec["source_ids"] and not _SOURCE_IDS.fullmatch(rec["source_ids"]):
        raise ForecastFileError(
            "source ids are ';'-separated ids without spaces ('a;b')", path=path, line=row, field="source_ids"
        )


def _is_iso_date(text: str) -> bool:
    try:
        return len(text) == 10 and bool(date.fromisoformat(text))
    except ValueError:
        return False


def _read_file(path: Path, limit: int, what: str) -> bytes:
    """:func:`s400lab._inputs.read_regular_file`, its refusal as a :class:`ForecastFileError`."""
    try:
        return read_regular_file(path, limit=limit, what=what)
    except InputError as exc:
        err = ForecastFileError(str(exc))
        err.path = path
        raise err from None


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Forecast:
    """One validated forecast (see :func:`make_forecast`)."""

    student_id: str
    question_id: str
    probability: float
    timestamp: datetime
    rationale: str = field(default="")

    def to_json(self) -> str:
        """Return the record as one JSON line (no trailing newline)."""
        return json.dumps(
            {
                "v": FORMAT_VERSION,
                "student_id": self.student_id,
                "question_id": self.question_id,
                "probability": self.probability,
                "timestamp": self.timestamp.isoformat(timespec="seconds"),
                "rationale": self.rationale,
            },
            ensure_ascii=False,
            allow_nan=False,
        )


def _check_probability(value, where: dict) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ForecastFileError(
            f"probability must be a number in [0, 1]; got {excerpt(value)}", field="probability", **where
        )
    try:
        p = float(value)
    except OverflowError:  # an integer too large for a float is certainly not in [0, 1]
        p = math.inf
    if not math.isfinite(p) or not 0.0 <= p <= 1.0:
        raise ForecastFileError(
            f"probability must be a finite number in [0, 1]; got {excerpt(value)}",
            field="probability",
            **where,
        )
    return p


def _check_timestamp(value, where: dict, now: datetime | None, name: str = "timestamp") -> datetime:
    """``value`` (ISO text or datetime) as an aware UTC datetime; ``name`` is the field (or the
    argument, e.g. ``deadline``) named in a refusal."""
    field = name if where or name == "timestamp" else None
    label = name if field else f"argument {name}"
    if isinstance(value, str):
        try:
            ts = datetime.fromisoformat(value)
        except ValueError:
            raise ForecastFileError(
                f"{label} {excerpt(value)} is not an ISO 8601 timestamp (e.g. 2026-11-25T10:15:00+00:00)",
                field=field,
                **where,
            ) from None
    elif isinstance(value, datetime):
        ts = value
    else:
        raise ForecastFileError(
            f"{label} must be an ISO 8601 string; got {excerpt(value)}", field=field, **where
        )
    if ts.tzinfo is None or ts.utcoffset() is None:
        raise ForecastFileError(
            f"{label} {excerpt(value)} needs a time zone (e.g. +00:00 for UTC)", field=field, **where
        )
    try:  # 0001-01-01T00:00:00+23:59 is a valid ISO text whose UTC time is before year 1
        utc: datetime | None = ts.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not EARLIEST <= utc < LATEST:
        raise ForecastFileError(
            f"{label} {excerpt(value)} is outside {EARLIEST.year}-{LATEST.year - 1} (UTC)",
            field=field,
            **where,
        )
    ts = utc
    if now is not None and ts > now + _FUTURE_SLACK:
        raise ForecastFileError(f"{label} {ts.isoformat()} is in the future", field=field, **where)
    return ts


def _check_record(
    obj: Mapping, *, questions: pd.DataFrame | None, now: datetime | None, where: dict
) -> Forecast:
    student = obj.get("student_id")
    if not isinstance(student, str) or not _STUDENT.fullmatch(student):
        raise ForecastFileError(
            f"student id must be 1-64 letters, digits, '_', '.' or '-' (a pseudonym is fine); "
            f"got {excerpt(student)}",
            field="student_id",
            **where,
        )
    qid = obj.get("question_id")
    if not isinstance(qid, str) or not _SLUG.fullmatch(qid):
        raise ForecastFileError(f"not a question id: {excerpt(qid)}", field="question_id", **where)
    if questions is not None and qid not in questions.index:
        raise ForecastFileError(f"unknown question id {qid!r}", field="question_id", **where)
    p = _check_probability(obj.get("probability"), where)
    ts = _check_timestamp(obj.get("timestamp"), where, now)
    rationale = obj.get("rationale", "")
    if rationale is None:
        rationale = ""
    if not isinstance(rationale, str) or len(rationale) > MAX_RATIONALE:
        raise ForecastFileError(
            f"rationale must be text of at most {MAX_RATIONALE} characters", field="rationale", **where
        )
    why = text_problem(rationale, allow_newlines=True)
    if why:
        raise ForecastFileError(why, field="rationale", **where)
    return Forecast(student, qid, p, ts, rationale)


def make_forecast(
    student_id: str,
    question_id: str,
    probability: float,
    *,
    timestamp: datetime | str | None = None,
    rationale: str = "",
    questions: pd.DataFrame | None = None,
) -> Forecast:
    """Validate the parts of a new forecast and return a :class:`Forecast`.

    Parameters
    ----------
    student_id : str
        Pseudonym or initials (letters, digits, ``_ . -``; 1-64 characters).
    question_id : str
        Must be an id of ``questions`` when that is given.
    probability : float
        Probability of YES, finite, in [0, 1].
    timestamp : datetime or str, optional
        Time zone-aware; default now (UTC). Not more than one day in the future.
    rationale : str, optional
        Short free-text reasoning (at most 1000 characters).
    questions : pandas.DataFrame, optional
        From :func:`load_questions`; checks the question exists and is still open.

    Returns
    -------
    Forecast

    Raises
    ------
    ForecastFileError
        Naming the offending field.
    """
    now = datetime.now(UTC)
    if questions is not None:
        questions = questions_frame(questions)
    rec = {
        "student_id": student_id,
        "question_id": question_id,
        "probability": probability,
        "timestamp": now if timestamp is None else timestamp,
        "rationale": rationale,
    }
    fc = _check_record(rec, questions=questions, now=now, where={})
    if questions is not None and questions.loc[question_id, "status"] != "open":
        raise ForecastFileError(f"question {question_id!r} is already resolved", field="question_id")
    return fc


def forecast_path(student_id: str, directory: str | os.PathLike = DEFAULT_FORECAST_DIR) -> Path:
    """Return the conventional file of one student: ``<directory>/<student_id>.jsonl``.

    Parameters
    ----------
    student_id : str
        Validated like :func:`make_forecast` does.
    directory : path-like
        Default ``./forecasts``.

    Returns
    -------
    pathlib.Path
    """
    if not isinstance(student_id, str) or not _STUDENT.fullmatch(student_id):
        raise ForecastFileError(f"invalid student id {student_id!r}", field="student_id")
    return Path(directory) / f"{student_id}.jsonl"


# --------------------------------------------------------------------------- file I/O


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: lock the first byte (blocks until free)
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


def _unlock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(fd, fcntl.LOCK_UN)


def _parse_lines(data: bytes, path, questions: pd.DataFrame | None) -> list[Forecast]:
    if data and not data.endswith(b"\n"):
        n = data.count(b"\n") + 1
        raise ForecastFileError(
            "last line is incomplete (no newline at the end); the file was cut off or edited by hand",
            path=path,
            line=n,
        )
    out = []
    for n, raw in enumerate(data.split(b"\n")[:-1] if data else [], start=1):
        where = {"path": path, "line": n}
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ForecastFileError("not valid UTF-8", **where) from None
        if not text.strip():
            raise ForecastFileError("empty line", **where)
        try:  # strict: no NaN/Infinity, no repeated key, flat (a record nests nothing)
            obj = loads_json(text, source="", max_depth=1)
        except InputError as exc:
            why = str(exc).removeprefix(": ")
            key = re.match(r"\$\.(\w+): ", why)
            raise ForecastFileError(why, field=key.group(1) if key else None, **where) from None
        if not isinstance(obj, dict):
            raise ForecastFileError("each line must be a JSON object", **where)
        unknown = set(obj) - set(FORECAST_FIELDS)
        if unknown:
            names = sorted(unknown)
            raise ForecastFileError(
                f"unknown key(s) {', '.join(excerpt(k) for k in names[:3])}", field=names[0], **where
            )
        if obj.get("v") != FORMAT_VERSION:
            raise ForecastFileError(f"format version must be {FORMAT_VERSION}", field="v", **where)
        out.append(_check_record(obj, questions=questions, now=None, where=where))
    return out


def append_forecast(
    path: str | os.PathLike, forecast: Forecast, *, questions: pd.DataFrame | None = None, fsync: bool = True
) -> int:
    """Append one forecast to a JSON Lines file, safely under concurrency.

    The file (and its directory) is created if missing. Under an exclusive lock the
    existing content is validated first; if it is malformed nothing is written.

    Parameters
    ----------
    path : path-like
        Forecast file (e.g. from :func:`forecast_path`).
    forecast : Forecast
        From :func:`make_forecast`.
    questions : pandas.DataFrame, optional
        When given, existing lines must also cite known question ids.
    fsync : bool, default True
        Flush to disk before releasing the lock.

    Returns
    -------
    int
        Number of forecasts in the file after the append.

    Raises
    ------
    ForecastFileError
        If the existing file is malformed (naming line and field).
    """
    if not isinstance(forecast, Forecast):
        raise TypeError("forecast must be a Forecast (use make_forecast)")
    path = Path(path)
    if questions is not None:
        questions = questions_frame(questions)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (forecast.to_json() + "\n").encode("utf-8")
    fd = _open_for_append(path)
    try:
        _check_appendable(fd, path)
        _lock(fd)
        try:
            existing = _read_all(fd)
            count = len(_parse_lines(existing, path, questions))
            view = memoryview(line)
            while view:  # os.write may write less than asked; the lock keeps us atomic
                view = view[os.write(fd, view) :]
            if fsync:
                os.fsync(fd)
        finally:
            _unlock(fd)
    finally:
        os.close(fd)
    return count + 1


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _open_for_append(path: Path) -> int:
    """Open ``path`` for appending without ever following a symlink (a dangling one included).

    The file is created with ``O_CREAT | O_EXCL | O_NOFOLLOW`` when it is new, else opened with
    ``O_NOFOLLOW``; a symlink, a folder, a named pipe or a device is refused (a named pipe opens
    without waiting thanks to ``O_NONBLOCK``, then :func:`_check_appendable` refuses it).
    """
    base = os.O_RDWR | os.O_APPEND | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    if os.path.islink(path):
        raise ForecastFileError("is a symlink; forecasts are only written to regular files", path=path)
    for flags in (base | os.O_CREAT | os.O_EXCL, base):
        try:
            return os.open(path, flags, 0o644)
        except FileExistsError:
            continue  # it exists: open it as it is (never created twice, never through a link)
        except OSError as exc:
            if os.path.islink(path):  # appeared between the check and the open (ELOOP)
                raise ForecastFileError(
                    "is a symlink; forecasts are only written to regular files", path=path
                ) from None
            raise ForecastFileError(f"cannot open for appending ({exc.strerror or exc})", path=path) from None
    raise ForecastFileError("cannot open for appending (it changed while opening)", path=path)


def _check_appendable(fd: int, path: Path) -> None:
    """Refuse a special file (it could block or never end) and a file over the size limit."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raise ForecastFileError("not a regular file; only regular files are read and appended to", path=path)
    if info.st_size > MAX_FORECAST_BYTES:
        raise ForecastFileError(
            f"{info.st_size:,} bytes is over the {MAX_FORECAST_BYTES:,}-byte limit for a forecast file",
            path=path,
        )


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def read_forecasts(path: str | os.PathLike, *, questions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and validate one forecast file.

    Parameters
    ----------
    path : path-like
        A JSON Lines file written by :func:`append_forecast`.
    questions : pandas.DataFrame, optional
        When given, every question id must exist.

    Returns
    -------
    pandas.DataFrame
        Columns ``student_id, question_id, probability, timestamp (UTC), rationale,
        file, line``, in file order.

    Raises
    ------
    ForecastFileError
        Naming file, line and field of the first problem; also for a path that is not a
        regular file (a folder, a named pipe) or is over :data:`MAX_FORECAST_BYTES`.
    """
    path = Path(path)
    return parse_forecasts(_read_file(path, MAX_FORECAST_BYTES, "forecast file"), path, questions=questions)


def parse_forecasts(
    data: bytes, path: str | os.PathLike, *, questions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Validate the bytes of one forecast file already read (e.g. from a descriptor whose owner
    was checked) into the frame :func:`read_forecasts` returns; ``path`` names it in messages.

    Raises
    ------
    ForecastFileError
        As :func:`read_forecasts`.
    """
    if len(data) > MAX_FORECAST_BYTES:
        raise ForecastFileError(
            f"{len(data):,} bytes is over the {MAX_FORECAST_BYTES:,}-byte limit for a forecast file",
            path=path,
        )
    if questions is not None:
        questions = questions_frame(questions)
    records = _parse_lines(data, path, questions)
    return _to_frame(records, [str(path)] * len(records), range(1, len(records) + 1))


def _to_frame(records: list[Forecast], files, lines) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "student_id": pd.Series([r.student_id for r in records], dtype="string"),
            "question_id": pd.Series([r.question_id for r in records], dtype="string"),
            "probability": np.array([r.probability for r in records], dtype=float),
            "timestamp": pd.to_datetime([r.timestamp for r in records], utc=True),
            "rationale": pd.Series([r.rationale for r in records], dtype="string"),
            "file": pd.Series(list(files), dtype="string"),
            "line": np.array(list(lines), dtype=int),
        }
    )
    return df


def merge_forecasts(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    questions: pd.DataFrame | None = None,
    deadline: datetime | str | None = None,
    keep: str = "latest",
    exclude_after_resolution: bool = True,
) -> pd.DataFrame:
    """Merge a class's forecast files into one table.

    Rules (in this order):

    1. Every file is validated; the first problem raises (nothing is merged).
    2. Forecasts made after ``deadline`` are dropped.
    3. If ``exclude_after_resolution``, forecasts made on or after a resolved
       question's ``resolved_on`` date (UTC) are dropped: they may know the answer.
    4. ``keep="latest"``: one row per (student, question), the latest timestamp.
       ``keep="all"``: every remaining forecast.
       Identical records found in two files (a file passed twice) count once.

    Ties (one student, question and timestamp -- timestamps are to the second): within one
    file the later line is the later forecast (files are append-only). Two *different* files
    that disagree at the same second have no order, so the merge refuses them, naming both
    files and lines, whatever the order in which the files are given.

    Parameters
    ----------
    paths : path-like or iterable of path-like
        A directory (all ``*.jsonl`` in it) or a list of files.
    questions : pandas.DataFrame, optional
        From :func:`load_questions`; needed for rule 3 and to check question ids.
    deadline : datetime or ISO str, optional
        Time zone-aware cut-off.
    keep : {"latest", "all"}
    exclude_after_resolution : bool, default True

    Returns
    -------
    pandas.DataFrame
        Columns as :func:`read_forecasts`, sorted by student, question, timestamp.
    """
    if keep not in ("latest", "all"):
        raise ValueError(f"keep must be 'latest' or 'all'; got {excerpt(keep)}")
    if deadline is not None:
        _check_timestamp(deadline, {}, None, name="deadline")
    if questions is not None:
        questions = questions_frame(questions)
    if isinstance(paths, (str, os.PathLike)) and Path(paths).is_dir():
        files = sorted(Path(paths).glob("*.jsonl"))
    elif isinstance(paths, (str, os.PathLike)):
        files = [Path(paths)]
    else:
        files = [Path(p) for p in paths]
    frames = [read_forecasts(f, questions=questions) for f in files]
    return merge_frames(
        frames,
        questions=questions,
        deadline=deadline,
        keep=keep,
        exclude_after_resolution=exclude_after_resolution,
    )


def merge_frames(
    frames: Iterable[pd.DataFrame],
    *,
    questions: pd.DataFrame | None = None,
    deadline: datetime | str | None = None,
    keep: str = "latest",
    exclude_after_resolution: bool = True,
) -> pd.DataFrame:
    """:func:`merge_forecasts` of files already read (frames from :func:`parse_forecasts`)."""
    if keep not in ("latest", "all"):
        raise ValueError(f"keep must be 'latest' or 'all'; got {excerpt(keep)}")
    cut = None if deadline is None else _check_timestamp(deadline, {}, None, name="deadline")
    if questions is not None:
        questions = questions_frame(questions)
    frames = list(frames)
    df = pd.concat(frames, ignore_index=True) if frames else _to_frame([], [], [])
    _refuse_conflicting_ties(df)
    df = df.drop_duplicates(
        ["student_id", "question_id", "probability", "timestamp", "rationale"], keep="last"
    )
    if cut is not None:
        df = df[df["timestamp"] <= cut]
    if exclude_after_resolution and questions is not None and len(df):
        resolved = {
            qid: pd.Timestamp(d.isoformat(), tz="UTC")
            for qid, d in questions["resolved_on"].map(_as_date).items()
            if d is not None
        }
        limit = pd.to_datetime(df["question_id"].map(resolved).astype(object), utc=True)
        df = df[~(limit.notna() & (df["timestamp"] >= limit))]
    df = df.sort_values(["student_id", "question_id", "timestamp"], kind="stable")
    if keep == "latest":
        df = df.drop_duplicates(["student_id", "question_id"], keep="last")
    return df.reset_index(drop=True)


_TIE = ["student_id", "question_id", "timestamp"]


def _refuse_conflicting_ties(df: pd.DataFrame) -> None:
    """Raise if two files hold different forecasts of one student and question at one second
    (each file's last line at that second is what the file says; see :func:`merge_forecasts`)."""
    said = df.drop_duplicates([*_TIE, "file"], keep="last")
    said = said.drop_duplicates([*_TIE, "probability", "rationale"])
    clash = said[said.duplicated(_TIE, keep=False)]
    if clash.empty:
        return
    a, b = (clash.sort_values([*_TIE, "file", "line"], kind="stable").iloc[i] for i in (0, 1))
    raise ForecastFileError(
        f"{a['file']} line {a['line']} and {b['file']} line {b['line']} disagree: student "
        f"{a['student_id']!r}, question {a['question_id']!r} at {a['timestamp'].isoformat()} has "
        f"probability {a['probability']:g} in one and {b['probability']:g} in the other (or another "
        "rationale); two files at the same second have no order: keep one of the two records"
    )


# --------------------------------------------------------------------------- scoring


def brier_score(probability, outcome) -> np.ndarray | float:
    """Brier score ``(p - o)**2`` of forecasts (elementwise).

    Parameters
    ----------
    probability : float or array-like
        Forecast probabilities of YES, in [0, 1].
    outcome : int, bool or array-like
        1 (YES) or 0 (NO).

    Returns
    -------
    float or numpy.ndarray
        0 = perfect, 0.25 = "always 50 %", 1 = confidently wrong.

    Examples
    --------
    >>> round(brier_score(0.7, 1), 10)
    0.09
    """
    p = np.asarray(probability, dtype=float)
    o = np.asarray(outcome, dtype=float)
    if np.any(~np.isfinite(p)) or np.any((p < 0) | (p > 1)):
        raise ValueError("probabilities must be finite and in [0, 1]")
    if np.any((o != 0) & (o != 1)):
        raise ValueError("outcomes must be 0 or 1")
    score = (p - o) ** 2
    return float(score) if score.ndim == 0 else score


def score_forecasts(
    forecasts: pd.DataFrame, questions: pd.DataFrame, outcomes: Mapping[str, int | bool] | None = None
) -> pd.DataFrame:
    """Attach outcomes and Brier scores to forecasts of resolved questions.

    Parameters
    ----------
    forecasts : pandas.DataFrame
        From :func:`merge_forecasts` or :func:`read_forecasts`.
    questions : pandas.DataFrame
        From :func:`load_questions` (its ``outcome`` column), or the data package's table
        (see :func:`questions_frame`).
    outcomes : mapping, optional
        Overrides ``{question_id: 1 or 0}``, e.g. "suppose it resolves YES" in a class
        exercise. Label such scores as hypothetical.

    Returns
    -------
    pandas.DataFrame
        The forecasts on resolved (or overridden) questions with ``outcome`` and
        ``brier`` columns.
    """
    resolved = questions_frame(questions)["outcome"].astype(float).to_dict()
    for qid, val in (outcomes or {}).items():
        if qid not in resolved:
            raise KeyError(f"unknown question id {qid!r}")
        if val not in (0, 1, True, False):
            raise ValueError(f"outcome for {qid!r} must be 0 or 1; got {val!r}")
        resolved[qid] = float(val)
    out = forecasts.copy()
    out["outcome"] = out["question_id"].map(resolved).astype(float)
    out = out[out["outcome"].notna()].copy()
    out["brier"] = brier_score(out["probability"].to_numpy(), out["outcome"].to_numpy())
    return out.reset_index(drop=True)


def student_scores(scored: pd.DataFrame) -> pd.DataFrame:
    """Mean Brier score per student, best first.

    Parameters
    ----------
    scored : pandas.DataFrame
        From :func:`score_forecasts` (one forecast per student and question is
        expected, i.e. ``merge_forecasts(keep="latest")``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``student_id``: ``n`` (questions scored), ``mean_brier``,
        ``skill_vs_coinflip`` = 1 - mean_brier / 0.25 (positive = better than
        always saying 50 %).
    """
    g = scored.groupby("student_id", observed=True)["brier"]
    out = pd.DataFrame({"n": g.size(), "mean_brier": g.mean()})
    out["skill_vs_coinflip"] = 1.0 - out["mean_brier"] / 0.25
    return out.sort_values(["mean_brier", "n"], ascending=[True, False])


def calibration_table(probability, outcome, bins: int | Iterable[float] = 5) -> pd.DataFrame:
    """Calibration (reliability) table: forecasts binned, observed frequency per bin.

    Parameters
    ----------
    probability, outcome : array-like
        Forecasts in [0, 1] and outcomes 0/1.
    bins : int or sequence of float, default 5
        Number of equal-width bins on [0, 1] or explicit edges (first 0, last 1).
        Bins are closed on the left, the last also on the right.

    Returns
    -------
    pandas.DataFrame
        One row per bin: ``bin_low, bin_high, n, mean_forecast, observed, ci_low,
        ci_high`` (95 % Wilson interval of the observed frequency; NaN when n = 0).
        A well-calibrated forecaster has ``observed`` close to ``mean_forecast``.
    """
    p = np.asarray(probability, dtype=float)
    o = np.asarray(outcome, dtype=float)
    brier_score(p, o)  # validates
    edges = np.linspace(0, 1, bins + 1) if isinstance(bins, int) else np.asarray(list(bins), float)
    if edges[0] != 0 or edges[-1] != 1 or np.any(np.diff(edges) <= 0):
        raise ValueError("bin edges must increase from 0 to 1")
    idx = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, len(edges) - 2)
    k = len(edges) - 1
    n = np.bincount(idx, minlength=k).astype(float)
    sum_p = np.bincount(idx, weights=p, minlength=k)
    sum_o = np.bincount(idx, weights=o, minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_p, obs = sum_p / n, sum_o / n
    lo, hi = np.full(k, np.nan), np.full(k, np.nan)  # an empty bin has no interval
    has = n > 0
    if has.any():
        lo[has], hi[has] = wilson_interval(sum_o[has], n[has])
    return pd.DataFrame(
        {
            "bin_low": edges[:-1],
            "bin_high": edges[1:],
            "n": n.astype(int),
            "mean_forecast": mean_p,
            "observed": obs,
            "ci_low": lo,
            "ci_high": hi,
        }
    )


def murphy_decomposition(probability, outcome) -> dict[str, float]:
    """Murphy (1973) decomposition of the mean Brier score.

    Forecasts are grouped by their distinct values, so the identity
    ``brier = reliability - resolution + uncertainty`` holds exactly.

    Parameters
    ----------
    probability, outcome : array-like
        Forecasts in [0, 1] and outcomes 0/1 (at least one).

    Returns
    -------
    dict
        ``brier`` (mean), ``reliability`` (lower is better: distance of forecasts
        from observed frequencies), ``resolution`` (higher is better: how much
        the observed frequency varies between forecast values), ``uncertainty``
        (base rate * (1 - base rate), not the forecaster's doing).
    """
    p = np.asarray(probability, dtype=float).ravel()
    o = np.asarray(outcome, dtype=float).ravel()
    if p.size == 0:
        raise ValueError("need at least one forecast")
    bs = np.asarray(brier_score(p, o))
    values, inv = np.unique(p, return_inverse=True)
    n_k = np.bincount(inv).astype(float)
    o_k = np.bincount(inv, weights=o) / n_k
    base = o.mean()
    rel = float(np.sum(n_k * (values - o_k) ** 2) / p.size)
    res = float(np.sum(n_k * (o_k - base) ** 2) / p.size)
    return {
        "brier": float(bs.mean()),
        "reliability": rel,
        "resolution": res,
        "uncertainty": float(base * (1 - base)),
    }
