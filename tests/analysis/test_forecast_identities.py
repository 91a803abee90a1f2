"""Issue 23, item 5: forecast identities are exact and file writes stay in the forecasts folder.

Student and question ids full-match their grammar (``$`` alone would accept a final newline);
a write refuses a symlink (dangling or not) and any non-regular file, and says where it wrote.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from s400lab.analysis import forecasting as fc

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
WHITESPACE = ["\n", "\r", "\t", " ", "\r\n", "\x0b", "\x0c", "\u2028", "\u00a0"]


def _line(student: str, qid: str = "q-open") -> str:
    rec = {"v": 1, "student_id": student, "question_id": qid, "probability": 0.5}
    rec["timestamp"] = "2026-11-20T12:00:00+00:00"
    return json.dumps(rec) + "\n"


@pytest.mark.parametrize("tail", WHITESPACE)
def test_student_id_with_trailing_whitespace_is_refused(tail: str, tmp_path: Path) -> None:
    with pytest.raises(fc.ForecastFileError, match="student_id"):
        fc.make_forecast("ana" + tail, "q-open", 0.5, timestamp=T0)
    with pytest.raises(fc.ForecastFileError, match="student_id"):
        fc.forecast_path("ana" + tail, tmp_path)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("tail", WHITESPACE)
def test_question_id_with_trailing_whitespace_is_refused(tail: str) -> None:
    with pytest.raises(fc.ForecastFileError, match="question_id"):
        fc.make_forecast("ana", "q-open" + tail, 0.5, timestamp=T0)


def test_a_file_line_with_a_newline_in_the_id_is_not_a_second_student(tmp_path: Path) -> None:
    (tmp_path / "ana.jsonl").write_text(_line("ana") + _line("ana\n"))
    with pytest.raises(fc.ForecastFileError) as info:
        fc.merge_forecasts(tmp_path)
    assert info.value.line == 2 and info.value.field == "student_id"


@settings(max_examples=200, deadline=None)
@given(
    core=st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,20}", fullmatch=True),
    tail=st.text(min_size=1, max_size=3).filter(lambda t: not all(c.isalnum() or c in "_.-" for c in t)),
)
def test_any_id_with_a_foreign_character_is_refused(core: str, tail: str) -> None:
    for student in (core + tail, tail + core):
        with pytest.raises(fc.ForecastFileError):
            fc.make_forecast(student, "q-open", 0.5, timestamp=T0)


def test_source_ids_of_a_question_full_match(tmp_path: Path) -> None:
    path = tmp_path / "questions.csv"
    rows = [",".join(fc.QUESTION_COLUMNS), 'q-yes,Did it?,2026-12-31,Statement,yes,2026-11-22,"src-a\n",']
    path.write_text("\n".join(rows) + "\n")
    with pytest.raises(fc.ForecastFileError, match="source_ids"):
        fc.load_questions(path)


# --------------------------------------------------------------------------- writes


@pytest.mark.parametrize("kind", ["dangling", "to_file_outside", "to_file_inside"])
def test_append_refuses_a_symlink_and_writes_nothing(kind: str, tmp_path: Path) -> None:
    folder, outside = tmp_path / "forecasts", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    target = {
        "dangling": outside / "new.jsonl",
        "to_file_outside": outside / "old.jsonl",
        "to_file_inside": folder / "other.jsonl",
    }[kind]
    if kind != "dangling":
        target.write_text("")
    (folder / "ana.jsonl").symlink_to(target)
    f = fc.make_forecast("ana", "q-open", 0.5, timestamp=T0)
    with pytest.raises(fc.ForecastFileError, match="symlink"):
        fc.append_forecast(folder / "ana.jsonl", f)
    assert not (outside / "new.jsonl").exists()
    assert all(p.read_text() == "" for p in [*outside.iterdir(), *folder.iterdir()] if p.exists())


def test_append_refuses_a_folder_and_a_fifo(tmp_path: Path) -> None:
    f = fc.make_forecast("ana", "q-open", 0.5, timestamp=T0)
    (tmp_path / "ana.jsonl").mkdir()
    with pytest.raises(fc.ForecastFileError):
        fc.append_forecast(tmp_path / "ana.jsonl", f)
    os.mkfifo(tmp_path / "bob.jsonl")
    with pytest.raises(fc.ForecastFileError, match="not a regular file"):
        fc.append_forecast(tmp_path / "bob.jsonl", f)


def test_append_still_creates_and_appends_a_regular_file(tmp_path: Path) -> None:
    path = fc.forecast_path("ana", tmp_path)
    f = fc.make_forecast("ana", "q-open", 0.5, timestamp=T0)
    assert fc.append_forecast(path, f) == 1
    assert fc.append_forecast(path, f) == 2
    assert path.is_file() and not path.is_symlink()


def test_the_form_refuses_a_dangling_symlink_and_says_so(tmp_path: Path, questions_frame) -> None:
    from s400lab.ui.forecast import ForecastForm

    folder, outside = tmp_path / "forecasts", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (folder / "ana.jsonl").symlink_to(outside / "stolen.jsonl")
    form = ForecastForm(questions_frame, directory=folder, student_id="ana")
    assert form.submit(timestamp=T0) is None
    assert "Not saved" in form._status.value and "symlink" in form._status.value
    assert not (outside / "stolen.jsonl").exists()


def test_the_form_reports_the_file_it_wrote(tmp_path: Path, questions_frame) -> None:
    from s400lab.ui.forecast import ForecastForm

    form = ForecastForm(questions_frame, directory=tmp_path, student_id="ana")
    assert form.submit(timestamp=T0) is not None
    assert str(tmp_path / "ana.jsonl") in form._status.value


@pytest.fixture
def questions_frame(tmp_path: Path):
    path = tmp_path / "questions.csv"
    rows = [",".join(fc.QUESTION_COLUMNS), "q-open,Will it happen?,2027-12-31,Official statement,open,,,"]
    path.write_text("\n".join(rows) + "\n")
    return fc.load_questions(path)
