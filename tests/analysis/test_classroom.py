"""The class drop box: private submission files, concurrent appends, the instructor's merge."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import re
import stat
from datetime import UTC, datetime, timedelta

import pytest

from s400lab.analysis import classroom as cls
from s400lab.analysis import forecasting as fc

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
QID = "india-sq4-confirmed-2027-01"


@pytest.fixture(scope="module")
def questions():
    return fc.load_questions()


def _forecast(student, p=0.4, minutes=0, questions=None):
    return fc.make_forecast(student, QID, p, timestamp=T0 + timedelta(minutes=minutes), questions=questions)


def test_submission_file_is_private_whatever_the_umask(tmp_path):
    old = os.umask(0o077)
    try:
        path = cls.submission_file(tmp_path, "ana")
    finally:
        os.umask(old)
    assert path == tmp_path / "ana.jsonl" and path.read_bytes() == b""
    assert stat.S_IMODE(path.stat().st_mode) == cls.SUBMISSION_MODE == 0o640
    path.write_text("kept\n")
    assert cls.submission_file(tmp_path, "ana").read_text() == "kept\n"  # never truncated


def test_submission_file_refuses_a_symlink_and_bad_ids(tmp_path):
    (tmp_path / "target").write_text("")
    (tmp_path / "ana.jsonl").symlink_to(tmp_path / "target")
    with pytest.raises(fc.ForecastFileError, match="not a regular file"):
        cls.submission_file(tmp_path, "ana")
    with pytest.raises(fc.ForecastFileError, match="invalid student id"):
        cls.submission_file(tmp_path, "../ana")


def _submit_many(args):
    directory, student, n = args
    questions = fc.load_questions()
    for i in range(n):
        cls.submit_forecast(
            directory,
            _forecast(student, p=(i % 100) / 100, minutes=i, questions=questions),
            questions=questions,
        )


def test_concurrent_submits_lose_nothing(tmp_path, questions):
    jobs = [(tmp_path, "ana", 30)] * 3 + [(tmp_path, "ben", 30)] * 2
    with mp.get_context("fork").Pool(len(jobs)) as pool:
        pool.map(_submit_many, jobs)
    sub = cls.collect_submissions(tmp_path, questions=questions, keep="all", check_owner=False)
    assert sub.rejected.empty
    counts = sub.forecasts["student_id"].value_counts()
    # three processes for ana each appended 30 forecasts with the same timestamps: duplicates
    # are merged (identical records count once), nothing else is lost or interleaved
    assert counts["ana"] == 30 and counts["ben"] == 30
    lines = (tmp_path / "ana.jsonl").read_bytes().splitlines()
    assert len(lines) == 90 and len(fc.read_forecasts(tmp_path / "ana.jsonl")) == 90


def test_merge_rejects_forecasts_filed_under_another_students_name(tmp_path, questions):
    cls.submit_forecast(tmp_path, _forecast("ana", questions=questions), questions=questions)
    # ben writes a record for ana into a file of his own name, and one under ana's name
    fc.append_forecast(cls.submission_file(tmp_path, "ben"), _forecast("ana", p=0.9))
    sub = cls.collect_submissions(tmp_path, questions=questions, check_owner=False)
    assert list(sub.forecasts["student_id"]) == ["ana"]
    assert sub.forecasts["probability"].tolist() == [0.4]
    assert sub.rejected.to_dict("records") == [
        {"file": "ben.jsonl", "reason": "records for another student id: ana"}
    ]
    assert cls.expected_in(sub.forecasts, [("ana", QID), ("ben", QID)]) == [("ben", QID)]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root (chown)")
def test_merge_rejects_a_file_owned_by_someone_else(tmp_path, questions):
    import pwd

    nobody = pwd.getpwnam("nobody")
    path = cls.submission_file(tmp_path, "ana")
    fc.append_forecast(path, _forecast("ana"))
    os.chown(path, nobody.pw_uid, nobody.pw_gid)  # e.g. planted by a classmate
    sub = cls.collect_submissions(tmp_path, questions=questions)
    assert sub.forecasts.empty
    assert "owned by 'nobody'" in sub.rejected.loc[0, "reason"]
    assert len(cls.collect_submissions(tmp_path, check_owner=False).forecasts) == 1


def test_merge_with_every_question_still_open(tmp_path, questions):
    """Regression: with no resolved question the resolution cut-off is all NaT (tz-naive)."""
    open_only = questions.assign(status="open", resolved_on=None)
    fc.append_forecast(tmp_path / "ana.jsonl", _forecast("ana"))
    merged = fc.merge_forecasts(tmp_path, questions=open_only)
    assert merged["student_id"].tolist() == ["ana"]


def test_one_folder_per_student_layout(tmp_path, questions):
    """Kubernetes: each pod mounts its own sub-folder; the instructor merges them all."""
    for who in ("ana", "ben"):
        (tmp_path / who).mkdir()
        cls.submit_forecast(tmp_path / who, _forecast(who, questions=questions), questions=questions)
    fc.append_forecast(cls.submission_file(tmp_path / "ben", "ana"), _forecast("ana", p=0.9))
    sub = cls.collect_submissions(tmp_path, questions=questions, check_owner=False, pattern="*/*.jsonl")
    assert sub.forecasts["student_id"].tolist() == ["ana", "ben"]
    assert sub.forecasts["probability"].tolist() == [0.4, 0.4]
    assert sub.rejected.to_dict("records") == [
        {"file": "ben/ana.jsonl", "reason": "not in the folder of its student"}
    ]


# --------------------------------------------------------------------------- hostile input (issue 15)


def test_instructor_merge_with_the_data_package_table(tmp_path, questions):
    """The instructor's merge of valid files with ``load().table("forecast_questions")`` (the
    questions table as the data package gives it) works and equals the merge with
    :func:`load_questions` (it raised KeyError 'outcome' after refusing every file)."""
    from s400lab.data import load

    table = load().table("forecast_questions")
    for who, p in (("ana", 0.3), ("ben", 0.8)):
        cls.submit_forecast(tmp_path, _forecast(who, p=p, questions=table), questions=table)
    sub = cls.collect_submissions(tmp_path, questions=table, check_owner=False)
    assert sub.rejected.empty and sub.forecasts["probability"].tolist() == [0.3, 0.8]
    same = cls.collect_submissions(tmp_path, questions=questions, check_owner=False)
    assert sub.forecasts.equals(same.forecasts)
    scored = fc.score_forecasts(sub.forecasts, table, {QID: 0})
    assert scored["brier"].round(6).tolist() == [0.09, 0.64]


def test_a_named_pipe_or_a_hostile_file_in_the_drop_box_is_left_out(tmp_path, questions):
    cls.submit_forecast(tmp_path, _forecast("ana", questions=questions), questions=questions)
    os.mkfifo(tmp_path / "ben.jsonl")  # would block a reader forever
    deep = '{"v": 1, "student_id": "cy", "x": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
    (tmp_path / "cy.jsonl").write_text(deep, encoding="utf-8")
    sub = cls.collect_submissions(tmp_path, questions=questions, check_owner=False)
    assert sub.forecasts["student_id"].tolist() == ["ana"]
    reasons = dict(zip(sub.rejected["file"], sub.rejected["reason"], strict=True))
    assert reasons["ben.jsonl"] == "not a regular file"
    assert reasons["cy.jsonl"] == "line 1: JSON nested 100001 levels deep (at most 1)"


def test_a_naive_deadline_is_one_clear_error(tmp_path, questions):
    cls.submit_forecast(tmp_path, _forecast("ana", questions=questions), questions=questions)
    with pytest.raises(
        fc.ForecastFileError, match="argument deadline '2026-11-21T00:00:00' needs a time zone"
    ):
        cls.collect_submissions(
            tmp_path, questions=questions, deadline="2026-11-21T00:00:00", check_owner=False
        )


# --------------------------------------------------------------------------- attacks (issue 20)


def test_a_file_swapped_after_the_owner_check_is_not_what_gets_merged(tmp_path, questions, monkeypatch):
    """Race: the merge checked a file's owner, then opened the path again; an attacker who
    replaced the path in between got a forged record merged. The merge now reads what it
    checked (one open, the owner from that descriptor)."""
    victim = tmp_path / "ana.jsonl"
    fc.append_forecast(victim, _forecast("ana", p=0.4))
    forged = tmp_path / ".forged"
    fc.append_forecast(forged, _forecast("ana", p=1.0))
    genuine_ino = victim.stat().st_ino
    swapped = []

    def owner_then_swap(info):
        # the owner check sees the genuine file; right after it the attacker swaps the path
        if not swapped:
            os.replace(forged, victim)
            swapped.append(True)
        return "ana" if info.st_ino == genuine_ino else "mallory"

    monkeypatch.setattr(cls, "_owner_name", owner_then_swap)
    sub = cls.collect_submissions(tmp_path, questions=questions)
    assert swapped
    assert sub.forecasts["probability"].tolist() == [0.4]


HOSTILE_TIMESTAMPS = [
    "0001-01-01T00:00:00+23:59",
    "0001-01-01T00:00:00+00:00",
    "9999-12-31T23:59:59-23:59",
    "1677-09-21T00:00:00+00:00",
]


@pytest.mark.parametrize("stamp", HOSTILE_TIMESTAMPS)
def test_a_hostile_timestamp_leaves_out_one_file_naming_student_and_line(tmp_path, questions, stamp):
    cls.submit_forecast(tmp_path, _forecast("ana", questions=questions), questions=questions)
    good = _forecast("ben").to_json() + "\n"
    bad = json.dumps(
        {"v": 1, "student_id": "ben", "question_id": QID, "probability": 0.5, "timestamp": stamp}
    )
    (tmp_path / "ben.jsonl").write_text(good + bad + "\n", encoding="utf-8")
    sub = cls.collect_submissions(tmp_path, questions=questions, deadline=T0, check_owner=False)
    assert sub.forecasts["student_id"].tolist() == ["ana"]
    [row] = sub.rejected.to_dict("records")
    assert row["file"] == "ben.jsonl"
    assert "line 2" in row["reason"] and "timestamp" in row["reason"]


# --------------------------------------------------------------------------- the submission service


def _body(**kw):
    return json.dumps({"question_id": QID, "probability": 0.3, "rationale": "base rate", **kw}).encode()


def test_the_service_stamps_the_login_and_its_own_clock(tmp_path, questions):
    """Name forging and backdating: whatever id and time the body claims, the record carries the
    hub login and the service's time, so ``deadline=`` judges when it arrived."""
    now = datetime.now(UTC).replace(microsecond=0)
    body = _body(student_id="ana", timestamp="2026-01-01T00:00:00+00:00")
    f, n = cls.receive_forecast(tmp_path, "ben", body, questions=questions, now=now)
    assert (f.student_id, f.timestamp, n) == ("ben", now, 1)
    assert not (tmp_path / "ana.jsonl").exists()
    stored = fc.read_forecasts(tmp_path / "ben.jsonl")
    assert stored["timestamp"].tolist() == [now]
    before = cls.collect_submissions(tmp_path, questions=questions, deadline=now - timedelta(seconds=1))
    assert before.forecasts.empty and before.rejected.empty
    assert len(cls.collect_submissions(tmp_path, questions=questions, deadline=now).forecasts) == 1


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        (b"x" * 5000, 413, "over the 4,096-byte limit"),
        (b"[1]", 400, "must be a JSON object"),
        (b"\xff", 400, "not valid UTF-8"),
        (_body(extra=1), 400, "unknown key(s) 'extra'"),
        (_body(probability=1.5), 400, "probability"),
        (_body(question_id="nope"), 400, "unknown question id 'nope'"),
        (b'{"question_id": {"a": 1}}', 400, "nested"),
    ],
)
def test_the_service_refuses_what_is_not_a_forecast(tmp_path, questions, body, status, words):
    with pytest.raises(cls.SubmissionRefused, match=re.escape(words)) as info:
        cls.receive_forecast(tmp_path, "ben", body, questions=questions)
    assert info.value.status == status
    assert list(tmp_path.iterdir()) == []


def test_the_service_bounds_what_one_student_stores(tmp_path, questions, monkeypatch):
    monkeypatch.setattr(cls, "MAX_STUDENT_FORECAST_BYTES", 1000)
    for _ in range(10):
        try:
            cls.receive_forecast(tmp_path, "ben", _body(), questions=questions)
        except cls.SubmissionRefused as exc:
            assert exc.status == 429 and "limit" in str(exc)
            break
    else:
        pytest.fail("no limit")
    assert (tmp_path / "ben.jsonl").stat().st_size < 1000 + cls.MAX_FORECAST_REQUEST


def test_the_service_stores_a_scenario_under_the_login_and_time(tmp_path):
    from s400lab.model import scenario_io
    from s400lab.model.scenario import presets

    doc = scenario_io.scenario_to_dict(next(iter(presets().values())), name="mine")
    now = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    path = cls.receive_scenario(tmp_path, "ben", "mine", json.dumps(doc).encode(), now=now)
    assert path == tmp_path / "scenarios" / "ben" / "20261201T093000000000Z-mine.json"
    assert scenario_io.load_scenario(path).scenario is not None
    with pytest.raises(cls.SubmissionRefused, match="scenario name"):
        cls.receive_scenario(tmp_path, "ben", "../ana", json.dumps(doc).encode())
    with pytest.raises(cls.SubmissionRefused):
        cls.receive_scenario(tmp_path, "ben", "bad", b'{"not": "a scenario"}')
    with pytest.raises(cls.SubmissionRefused) as info:
        cls.receive_scenario(tmp_path, "ben", "big", b" " * (cls.MAX_SCENARIO_REQUEST + 1))
    assert info.value.status == 413
