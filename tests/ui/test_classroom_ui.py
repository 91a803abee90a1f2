"""Notebook 60's form on the class hub, and the instructor's merge widget."""

from __future__ import annotations

import json
import stat

import pytest

from s400lab.analysis import classroom as cls
from s400lab.analysis import forecasting as fc
from s400lab.ui.classroom import ClassForecastForm, ClassroomResults, forecast_form
from s400lab.ui.forecast import ForecastForm


@pytest.fixture(scope="module")
def questions():
    return fc.load_questions()


def test_off_the_hub_the_form_is_the_local_one(monkeypatch, tmp_path, questions):
    monkeypatch.delenv(cls.CLASS_DIR_ENV, raising=False)
    form = forecast_form(questions, directory=tmp_path)
    assert type(form) is ForecastForm and form.directory == tmp_path


def test_on_the_hub_the_form_submits_to_the_class_under_the_login(monkeypatch, tmp_path, questions):
    monkeypatch.setenv(cls.CLASS_DIR_ENV, str(tmp_path))
    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    form = forecast_form(questions, directory="unused")
    assert isinstance(form, ClassForecastForm)
    assert form._student.value == "ana" and form._student.disabled
    form._probability.value = 0.7
    f = form.submit()
    assert f is not None and f.student_id == "ana"
    path = tmp_path / "ana.jsonl"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert fc.read_forecasts(path)["probability"].tolist() == [0.7]
    assert "Saved 70%" in form._status.value


def test_instructor_view_merges_scores_and_lists_what_it_left_out(tmp_path, questions):
    qid = "india-sq4-confirmed-2027-01"
    fc.append_forecast(cls.submission_file(tmp_path, "ana"), fc.make_forecast("ana", qid, 0.8))
    fc.append_forecast(cls.submission_file(tmp_path, "ben"), fc.make_forecast("ana", qid, 0.1))
    res = ClassroomResults(tmp_path, questions, outcomes={qid: 1}, check_owner=False)  # all ours
    assert res.forecasts["student_id"].tolist() == ["ana"]
    assert "1 forecasts from 1 students; 1 on resolved questions" in res._message.value
    assert "ben.jsonl" in res._message.value and "Left out" in res._message.value
    assert res.scores.loc["ana", "mean_brier"] == pytest.approx(0.04)
    assert bytes(res._plot.value).startswith(b"\x89PNG")


def test_a_hostile_record_is_one_line_not_a_crashed_page(tmp_path, questions):
    """One student's record with an out-of-range timestamp used to raise OverflowError and the
    instructor's page showed only "error when executing cell"."""
    qid = "india-sq4-confirmed-2027-01"
    fc.append_forecast(tmp_path / "ana.jsonl", fc.make_forecast("ana", qid, 0.8))
    rec = {"v": 1, "student_id": "ben", "question_id": qid, "probability": 0.5}
    (tmp_path / "ben.jsonl").write_text(
        json.dumps({**rec, "timestamp": "0001-01-01T00:00:00+23:59"}) + "\n", encoding="utf-8"
    )
    res = ClassroomResults(tmp_path, questions, deadline="2100-01-01T00:00:00+00:00", check_owner=False)
    assert res.forecasts["student_id"].tolist() == ["ana"]
    assert res.last_error is None
    left_out = res._message.value.split("Left out:</b>")[1]
    assert left_out.count("ben.jsonl") == 1 and "line 1" in left_out


def test_three_thousand_junk_files_give_a_short_left_out_line(tmp_path, questions):
    qid = "india-sq4-confirmed-2027-01"
    fc.append_forecast(tmp_path / "ana.jsonl", fc.make_forecast("ana", qid, 0.8))
    for i in range(3000):
        (tmp_path / f"junk{i:04d}.jsonl").write_text("x\n", encoding="utf-8")
    res = ClassroomResults(tmp_path, questions, check_owner=False)
    assert res.forecasts["student_id"].tolist() == ["ana"]
    assert len(res.submissions.rejected) == 3000  # all kept in the table for the instructor
    message = res._message.value
    assert len(message) < 4000, len(message)
    assert "and 2990 more" in message and "junk0000.jsonl" in message


def test_on_the_hub_the_form_hands_in_through_the_service(monkeypatch, tmp_path, questions):
    """The form posts to the service with the server's token; the record shown is the one the
    service stamped (login and time), not the kernel's claim; nothing is written locally."""
    from datetime import UTC, datetime

    from s400lab.ui.classroom import ServiceForecastForm

    store, calls = tmp_path / "store", []
    store.mkdir()
    stamp = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)

    def fake_submit(url, token, forecast):
        calls.append((url, token, forecast.student_id))
        f, n = cls.receive_forecast(
            store,
            "ana",
            json.dumps({"question_id": forecast.question_id, "probability": forecast.probability}).encode(),
            questions=questions,
            now=stamp,
        )
        return {**json.loads(f.to_json()), "count": n}

    monkeypatch.setattr(cls, "submit_to_service", fake_submit)
    monkeypatch.setattr(cls, "service_forecasts", lambda url, token: cls.stored_forecasts(store, "ana"))
    monkeypatch.setenv(cls.SUBMIT_URL_ENV, "http://127.0.0.1:1/services/s400lab-submit/")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "tok")
    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    monkeypatch.chdir(tmp_path)
    form = forecast_form(questions, directory="unused")
    assert isinstance(form, ServiceForecastForm) and form._student.disabled
    assert "No forecasts handed in yet" in form._history.value
    form._probability.value = 0.7
    f = form.submit(timestamp=datetime(2026, 1, 1, tzinfo=UTC))  # a backdated claim
    assert f is not None and f.timestamp == stamp and f.student_id == "ana"
    assert calls == [("http://127.0.0.1:1/services/s400lab-submit/", "tok", "ana")]
    assert "Saved 70%" in form._status.value and "2026-12-01 09:30:00 UTC" in form._status.value
    assert "q" not in {p.name for p in tmp_path.iterdir()} and not list(tmp_path.glob("*.jsonl"))
    assert f.question_id in form._history.value


def test_a_refusal_by_the_service_is_shown_not_raised(monkeypatch, questions):
    from s400lab.ui.classroom import ServiceForecastForm

    def refuse(url, token, forecast=None):
        raise cls.SubmissionRefused("the class submission service refused it (403): no", 403)

    monkeypatch.setattr(cls, "submit_to_service", refuse)
    monkeypatch.setattr(cls, "service_forecasts", refuse)
    form = ServiceForecastForm(questions, url="http://127.0.0.1:1/x/", token="t")
    assert "refused it (403)" in form._history.value
    assert form.submit() is None and "Not saved" in form._status.value and "403" in form._status.value
