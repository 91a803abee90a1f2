"""Tests for s400lab.analysis.forecasting: questions, append-only files, Brier scores."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import textwrap
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from s400lab.analysis import forecasting as fc

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
HEADER = ",".join(fc.QUESTION_COLUMNS)


def write_questions(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "questions.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def questions(tmp_path):
    path = write_questions(
        tmp_path,
        [
            "q-yes,Did it happen?,2026-12-31,Official statement,yes,2026-11-22,src-a,",
            "q-no,Did the other happen?,2026-12-31,Official statement,no,2026-11-23,src-a;src-b,",
            "q-open,Will it happen?,2027-12-31,Official statement,open,,,",
        ],
    )
    return fc.load_questions(path)


# ----------------------------------------------------------------------------- questions


def test_repository_questions_are_valid_and_open():
    q = fc.load_questions()
    assert len(q) >= 6
    assert set(q["status"]) <= {"open", "yes", "no"}
    assert q["outcome"][q["status"] == "open"].isna().all()
    # ids encode the resolution month, so a reader sees the horizon at a glance
    for qid, row in q.iterrows():
        assert row["resolves_on"].strftime("%Y") in qid


def test_questions_outcomes(questions):
    assert questions.loc["q-yes", "outcome"] == 1.0
    assert questions.loc["q-no", "outcome"] == 0.0
    assert math.isnan(questions.loc["q-open", "outcome"])


@pytest.mark.parametrize(
    "row, field",
    [
        ("q1,Q?,2027-13-01,crit,open,,,", "resolves_on"),
        ("q1,Q?,2027-01-01,crit,maybe,,,", "status"),
        ("q1,Q?,2027-01-01,crit,yes,,src-a,", "resolved_on"),
        ("q1,Q?,2027-01-01,crit,yes,2026-11-01,,", "source_ids"),
        ("q1,Q?,2027-01-01,crit,open,2026-11-01,,", "resolved_on"),
        ("Q 1,Q?,2027-01-01,crit,open,,,", "question_id"),
        ("q1,Q?,2027-01-01,,open,,,", "resolution_criteria"),
    ],
)
def test_bad_question_rows_name_row_and_field(tmp_path, row, field):
    path = write_questions(tmp_path, ["q0,Fine?,2027-01-01,crit,open,,,", row])
    with pytest.raises(fc.ForecastFileError) as err:
        fc.load_questions(path)
    assert err.value.line == 3 and err.value.field == field
    assert str(path) in str(err.value) and "line 3" in str(err.value)


def test_unknown_resolution_source_rejected(tmp_path):
    path = write_questions(tmp_path, ["q1,Q?,2027-01-01,crit,yes,2026-11-01,nope,"])
    with pytest.raises(fc.ForecastFileError, match="unknown source"):
        fc.load_questions(path, source_ids={"src-a"})


def test_duplicate_question_id(tmp_path):
    path = write_questions(tmp_path, ["q1,Q?,2027-01-01,c,open,,,", "q1,Q?,2027-01-01,c,open,,,"])
    with pytest.raises(fc.ForecastFileError, match="duplicate"):
        fc.load_questions(path)


# ----------------------------------------------------------------------------- records


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"probability": 1.2}, "probability"),
        ({"probability": -0.01}, "probability"),
        ({"probability": float("nan")}, "probability"),
        ({"probability": float("inf")}, "probability"),
        ({"probability": True}, "probability"),
        ({"probability": "0.5"}, "probability"),
        ({"student_id": "ana maria"}, "student_id"),
        ({"student_id": ""}, "student_id"),
        ({"question_id": "nope"}, "question_id"),
        ({"question_id": "q-yes"}, "question_id"),  # already resolved
        ({"timestamp": "2026-11-20T12:00:00"}, "timestamp"),  # naive
        ({"timestamp": "yesterday"}, "timestamp"),
        ({"timestamp": datetime(2099, 1, 1, tzinfo=UTC)}, "timestamp"),
        ({"rationale": "x" * 1001}, "rationale"),
    ],
)
def test_make_forecast_rejects_bad_input(questions, kwargs, field):
    args = {"student_id": "ana", "question_id": "q-open", "probability": 0.5, **kwargs}
    sid, qid, p = args.pop("student_id"), args.pop("question_id"), args.pop("probability")
    with pytest.raises(fc.ForecastFileError) as err:
        fc.make_forecast(sid, qid, p, questions=questions, **args)
    assert err.value.field == field


def test_timestamp_normalised_to_utc(questions):
    f = fc.make_forecast("ana", "q-open", 0.25, timestamp="2026-11-20T15:00:00+03:00", questions=questions)
    assert f.timestamp == T0


def test_append_and_read_roundtrip(tmp_path, questions):
    path = fc.forecast_path("ana", tmp_path / "forecasts")
    for i, p in enumerate([0.1, 0.35, 1.0]):
        n = fc.append_forecast(
            path, fc.make_forecast("ana", "q-open", p, rationale=f"r{i}", timestamp=T0 + timedelta(hours=i))
        )
        assert n == i + 1
    df = fc.read_forecasts(path, questions=questions)
    assert df["probability"].tolist() == [0.1, 0.35, 1.0]
    assert df["line"].tolist() == [1, 2, 3]
    assert df["rationale"].tolist() == ["r0", "r1", "r2"]
    assert str(df["timestamp"].dt.tz) == "UTC"


@pytest.mark.parametrize(
    "content, line, field",
    [
        (
            '{"v": 1, "student_id": "ana", "question_id": "q-open", "probability": 1.5, '
            '"timestamp": "2026-11-20T12:00:00+00:00"}\n',
            2,
            "probability",
        ),
        (
            '{"v": 1, "student_id": "ana", "question_id": "q-open", "probability": NaN, '
            '"timestamp": "2026-11-20T12:00:00+00:00"}\n',
            2,
            "probability",
        ),
        (
            '{"v": 1, "student_id": "ana", "question_id": "zzz", "probability": 0.5, '
            '"timestamp": "2026-11-20T12:00:00+00:00"}\n',
            2,
            "question_id",
        ),
        (
            '{"v": 1, "student_id": "ana", "question_id": "q-open", "probability": 0.5, '
            '"timestamp": "2026-11-20T12:00:00+00:00", "extra": 1}\n',
            2,
            "extra",
        ),
        (
            '{"v": 1, "student_id": "ana", "question_id": "q-open", "probability": 0.5, '
            '"timestamp": "2026-11-20"}\n',
            2,
            "timestamp",
        ),
        ("not json\n", 2, None),
        ('{"v": 1, "student_id": "ana", "question_id": "q-open", "prob', 2, None),  # cut off
        ("\n", 2, None),
    ],
)
def test_malformed_file_is_reported_and_left_unchanged(tmp_path, questions, content, line, field):
    path = tmp_path / "ana.jsonl"
    fc.append_forecast(path, fc.make_forecast("ana", "q-open", 0.5, timestamp=T0))
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(content)
    before = path.read_bytes()
    with pytest.raises(fc.ForecastFileError) as err:
        fc.append_forecast(path, fc.make_forecast("ana", "q-open", 0.6, timestamp=T0), questions=questions)
    assert err.value.line == line and err.value.field == field
    assert str(path) in str(err.value)
    assert path.read_bytes() == before
    with pytest.raises(fc.ForecastFileError):
        fc.read_forecasts(path, questions=questions)


APPENDER = textwrap.dedent("""
    import sys
    from datetime import datetime, timezone
    from s400lab.analysis import forecasting as fc
    path, worker, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for i in range(n):
        f = fc.make_forecast(f"s{worker}", "q-open", i / n, rationale="x" * 300 + str(i),
                             timestamp=datetime(2026, 11, 20, tzinfo=timezone.utc))
        fc.append_forecast(path, f, fsync=False)
""")


def test_concurrent_appends_from_processes(tmp_path):
    path = tmp_path / "class.jsonl"
    procs = [subprocess.Popen([sys.executable, "-c", APPENDER, str(path), str(w), "50"]) for w in range(4)]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    df = fc.read_forecasts(path)
    assert len(df) == 200
    counts = df.groupby("student_id").size()
    assert counts.to_dict() == {"s0": 50, "s1": 50, "s2": 50, "s3": 50}
    # each worker's lines stay in its own order
    for _, g in df.groupby("student_id"):
        assert g["probability"].is_monotonic_increasing


def test_concurrent_appends_from_threads(tmp_path):
    path = tmp_path / "class.jsonl"

    def work(w):
        for i in range(25):
            fc.append_forecast(path, fc.make_forecast(f"t{w}", "q-open", i / 25, timestamp=T0), fsync=False)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(fc.read_forecasts(path)) == 100


# ----------------------------------------------------------------------------- merge


def _write(path, rows):
    for sid, qid, p, ts in rows:
        fc.append_forecast(path, fc.make_forecast(sid, qid, p, timestamp=ts))


def test_merge_latest_before_deadline(tmp_path, questions):
    d = tmp_path / "class"
    _write(
        fc.forecast_path("ana", d),
        [
            ("ana", "q-yes", 0.2, T0 - timedelta(days=3)),
            ("ana", "q-yes", 0.7, T0 - timedelta(days=1)),
            ("ana", "q-yes", 0.99, T0 + timedelta(days=1)),  # after deadline
        ],
    )
    _write(
        fc.forecast_path("bo", d),
        [
            ("bo", "q-yes", 0.4, T0 - timedelta(days=2)),
            ("bo", "q-no", 0.1, T0 - timedelta(days=2)),
            ("bo", "q-no", 0.0, datetime(2026, 11, 23, 6, tzinfo=UTC)),  # after resolution
        ],
    )
    latest = fc.merge_forecasts(d, questions=questions, deadline=T0)
    got = {(r.student_id, r.question_id): r.probability for r in latest.itertuples()}
    assert got == {("ana", "q-yes"): 0.7, ("bo", "q-yes"): 0.4, ("bo", "q-no"): 0.1}
    everything = fc.merge_forecasts(d, questions=questions, keep="all", exclude_after_resolution=False)
    assert len(everything) == 6
    # the same file passed twice does not double-count
    twice = fc.merge_forecasts([fc.forecast_path("ana", d)] * 2, keep="all")
    assert len(twice) == 3


def test_merge_rejects_bad_file_naming_it(tmp_path, questions):
    d = tmp_path / "class"
    _write(fc.forecast_path("ana", d), [("ana", "q-yes", 0.2, T0)])
    (d / "bo.jsonl").write_text('{"v": 1}\n', encoding="utf-8")
    with pytest.raises(fc.ForecastFileError, match="bo.jsonl"):
        fc.merge_forecasts(d, questions=questions)


# ----------------------------------------------------------------------------- scores


@pytest.mark.parametrize(
    "p, o, expected",
    [
        (0.7, 1, 0.09),
        (0.7, 0, 0.49),
        (0.5, 1, 0.25),
        (0.5, 0, 0.25),
        (1.0, 1, 0.0),
        (1.0, 0, 1.0),
        (0.0, 0, 0.0),
        (0.2, 1, 0.64),
    ],
)
def test_brier_known_values(p, o, expected):
    assert fc.brier_score(p, o) == pytest.approx(expected, abs=1e-12)


def test_brier_rejects_bad_values():
    with pytest.raises(ValueError):
        fc.brier_score(1.1, 1)
    with pytest.raises(ValueError):
        fc.brier_score(0.5, 2)


def test_score_and_student_means(tmp_path, questions):
    forecasts = pd.DataFrame(
        {
            "student_id": ["ana", "ana", "ana", "bo", "bo"],
            "question_id": ["q-yes", "q-no", "q-open", "q-yes", "q-no"],
            "probability": [0.7, 0.2, 0.5, 0.5, 0.9],
        }
    )
    scored = fc.score_forecasts(forecasts, questions)
    assert len(scored) == 4  # open question not scored
    means = fc.student_scores(scored)
    assert means.loc["ana", "mean_brier"] == pytest.approx((0.09 + 0.04) / 2)
    assert means.loc["bo", "mean_brier"] == pytest.approx((0.25 + 0.81) / 2)
    assert means.index[0] == "ana"
    assert means.loc["ana", "skill_vs_coinflip"] == pytest.approx(1 - 0.065 / 0.25)
    hypo = fc.score_forecasts(forecasts, questions, outcomes={"q-open": 0})
    assert hypo.loc[hypo["question_id"] == "q-open", "brier"].item() == pytest.approx(0.25)
    with pytest.raises(KeyError):
        fc.score_forecasts(forecasts, questions, outcomes={"zzz": 1})


def test_calibration_table_hand_checked():
    p = [0.1, 0.1, 0.3, 0.9, 0.9, 0.9, 1.0]
    o = [0, 1, 0, 1, 1, 0, 1]
    t = fc.calibration_table(p, o, bins=5)
    assert t["n"].tolist() == [2, 1, 0, 0, 4]
    assert t.loc[0, "observed"] == pytest.approx(0.5)
    assert t.loc[4, "mean_forecast"] == pytest.approx(0.925)
    assert t.loc[4, "observed"] == pytest.approx(0.75)
    assert t["observed"].isna().tolist() == [False, False, True, True, False]
    assert (t["ci_low"][t["n"] > 0] <= t["observed"][t["n"] > 0]).all()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.8, 1.0]), st.integers(0, 1)),
        min_size=1,
        max_size=40,
    )
)
def test_murphy_identity(pairs):
    p, o = map(np.array, zip(*pairs, strict=True))
    d = fc.murphy_decomposition(p, o)
    assert d["brier"] == pytest.approx(d["reliability"] - d["resolution"] + d["uncertainty"], abs=1e-12)
    assert d["reliability"] >= 0 and d["resolution"] >= 0 and 0 <= d["uncertainty"] <= 0.25


def test_file_is_plain_json_lines(tmp_path):
    path = tmp_path / "a.jsonl"
    fc.append_forecast(path, fc.make_forecast("ana", "q-open", 0.3, timestamp=T0))
    obj = json.loads(path.read_text(encoding="utf-8"))
    assert obj == {
        "v": 1,
        "student_id": "ana",
        "question_id": "q-open",
        "probability": 0.3,
        "timestamp": "2026-11-20T12:00:00+00:00",
        "rationale": "",
    }


# ----------------------------------------------------------------------------- hostile input (issue 15)

LINE = (
    '{{"v": 1, "student_id": "ana", "question_id": "q-open", "probability": {p}, '
    '"timestamp": "2026-11-20T12:00:00+00:00"}}\n'
)


@pytest.mark.parametrize(
    "content, field, message",
    [
        (LINE.format(p="9" * 39), "probability", "probability must be a finite number in [0, 1]; got '999"),
        (LINE.format(p="9" * 5000), "probability", "$.probability: number of 5000 characters is too long"),
        (LINE.format(p="1e309"), "probability", "$.probability: number '1e309' is out of range"),
        (LINE.format(p="Infinity"), "probability", "$.probability: Infinity is not allowed"),
        (
            LINE.format(p='0.5, "probability": 0.9'),
            "probability",
            "$.probability: key appears more than once",
        ),
        (LINE.format(p="[" * 50_000 + "]" * 50_000), None, "JSON nested 50001 levels deep (at most 1)"),
        (LINE.format(p="[0.5]"), None, "JSON nested 2 levels deep (at most 1)"),
        (LINE.replace("ana", "an\\u0000a", 1).format(p=0.5), "student_id", "control character"),
        (
            LINE.replace('"v": 1', '"v": 1, "rationale": "\\ud800"').format(p=0.5),
            "rationale",
            "lone surrogate",
        ),
    ],
)
def test_hostile_lines_are_refused_clearly(tmp_path, questions, content, field, message):
    path = tmp_path / "ana.jsonl"
    path.write_text(content, encoding="utf-8")
    for call in (
        lambda: fc.read_forecasts(path, questions=questions),
        lambda: fc.merge_forecasts([path], questions=questions),
        lambda: fc.append_forecast(path, fc.make_forecast("ana", "q-open", 0.5, timestamp=T0)),
    ):
        with pytest.raises(fc.ForecastFileError) as err:
            call()
        assert (err.value.line, err.value.field) == (1, field)
        assert message in str(err.value) and str(path) in str(err.value)
    assert path.read_text(encoding="utf-8") == content  # nothing appended


def test_huge_integer_probability_in_python_is_clear():
    with pytest.raises(fc.ForecastFileError, match=r"probability must be a finite number in \[0, 1\]") as err:
        fc.make_forecast("ana", "q-open", 10**400, timestamp=T0)
    assert err.value.field == "probability" and len(str(err.value)) < 200


@pytest.mark.parametrize("call", ["read", "append", "merge"])
def test_a_named_pipe_is_refused_at_once(tmp_path, call):
    """A FIFO would block the reader forever; it is refused without waiting for a writer."""
    fifo = tmp_path / "ana.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(fc.ForecastFileError, match="named pipe|not a regular file") as err:
        if call == "read":
            fc.read_forecasts(fifo)
        elif call == "append":
            fc.append_forecast(fifo, fc.make_forecast("ana", "q-open", 0.5, timestamp=T0))
        else:
            fc.merge_forecasts(tmp_path)
    assert str(fifo) in str(err.value)


def test_a_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "ana.jsonl"
    fc.append_forecast(path, fc.make_forecast("ana", "q-open", 0.5, timestamp=T0))
    monkeypatch.setattr(fc, "MAX_FORECAST_BYTES", 50)
    with pytest.raises(fc.ForecastFileError, match="over the 50-byte limit"):
        fc.read_forecasts(path)
    before = path.read_bytes()
    with pytest.raises(fc.ForecastFileError, match="over the 50-byte limit"):
        fc.append_forecast(path, fc.make_forecast("ana", "q-open", 0.6, timestamp=T0))
    assert path.read_bytes() == before


@pytest.mark.parametrize("deadline", ["2026-11-21T00:00:00", datetime(2026, 11, 21), "2026-11-21"])
def test_naive_deadline_names_the_argument(tmp_path, deadline):
    path = tmp_path / "ana.jsonl"
    fc.append_forecast(path, fc.make_forecast("ana", "q-open", 0.5, timestamp=T0))
    with pytest.raises(fc.ForecastFileError) as err:
        fc.merge_forecasts(tmp_path, deadline=deadline)
    assert str(err.value).startswith("argument deadline ") and "needs a time zone" in str(err.value)


def test_ties_within_a_file_the_later_line_wins(tmp_path):
    path = tmp_path / "ana.jsonl"
    for p in (0.2, 0.8):  # two clicks in the same second
        fc.append_forecast(path, fc.make_forecast("ana", "q-open", p, timestamp=T0))
    latest = fc.merge_forecasts(tmp_path)
    assert latest["probability"].tolist() == [0.8] and latest["line"].tolist() == [2]
    assert len(fc.merge_forecasts(tmp_path, keep="all")) == 2


def test_a_tie_across_files_that_disagree_is_refused_naming_both(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    fc.append_forecast(a, fc.make_forecast("ana", "q-open", 0.2, timestamp=T0))
    fc.append_forecast(b, fc.make_forecast("ana", "q-open", 0.3, timestamp=T0 - timedelta(days=1)))
    fc.append_forecast(b, fc.make_forecast("ana", "q-open", 0.7, timestamp=T0))
    for order in ([a, b], [b, a]):  # the refusal does not depend on the order of the files
        with pytest.raises(fc.ForecastFileError) as err:
            fc.merge_forecasts(order)
        assert f"{a} line 1 and {b} line 2 disagree" in str(err.value)
        assert "probability 0.2 in one and 0.7 in the other" in str(err.value)


def test_the_same_record_in_two_files_is_not_a_conflict(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    f = fc.make_forecast("ana", "q-open", 0.4, timestamp=T0)
    fc.append_forecast(a, f)
    fc.append_forecast(b, f)
    for order in ([a, b], [b, a]):
        assert fc.merge_forecasts(order, keep="all")["probability"].tolist() == [0.4]


@settings(max_examples=150, deadline=None)
@given(
    value=st.one_of(
        st.integers(),
        st.floats(),
        st.text(max_size=30),
        st.booleans(),
        st.none(),
        st.lists(st.integers(), max_size=2),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    ),
    key=st.sampled_from(["probability", "student_id", "question_id", "timestamp", "rationale", "v", "x"]),
)
def test_any_record_value_is_accepted_or_one_forecast_file_error(tmp_path_factory, value, key):
    rec = {"v": 1, "student_id": "ana", "question_id": "q-open", "probability": 0.5}
    rec |= {"timestamp": "2026-11-20T12:00:00+00:00", key: value}
    text = json.dumps(rec, ensure_ascii=False) + "\n"  # may hold NaN / Infinity literals
    path = tmp_path_factory.mktemp("r") / "ana.jsonl"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        df = fc.read_forecasts(path)
    except fc.ForecastFileError as exc:
        assert str(path) in str(exc) and "\n" not in str(exc)
        return
    assert 0 <= df["probability"].iloc[0] <= 1


# ----------------------------------------------------------------------------- questions (issue 15)


def test_default_questions_come_from_load():
    from s400lab.data import load

    table = load().table("forecast_questions")
    q = fc.load_questions()
    assert q.equals(fc.questions_frame(table))
    # the shipped file through the instructor's reader gives the same frame
    assert q.equals(fc.load_questions(fc.default_questions_path()))
    assert q.index.name == "question_id" and list(q.index) == list(table["question_id"])


def test_questions_file_in_latin1_is_named(tmp_path):
    path = tmp_path / "q.csv"
    path.write_bytes((HEADER + "\nq1,Türkiye?,2027-01-01,crit,open,,,\n").encode("latin-1"))
    with pytest.raises(fc.ForecastFileError) as err:
        fc.load_questions(path)
    assert str(err.value).startswith(f"{path}: not UTF-8 text (byte ")


def test_questions_file_from_a_spreadsheet_with_a_bom_is_read(tmp_path):
    path = tmp_path / "q.csv"
    path.write_bytes(("\ufeff" + HEADER + "\nq1,Türkiye?,2027-01-01,crit,open,,,\n").encode("utf-8"))
    assert fc.load_questions(path).loc["q1", "question"] == "Türkiye?"


def test_questions_file_with_only_a_header_says_so(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text(HEADER + "\n", encoding="utf-8")
    with pytest.raises(fc.ForecastFileError, match="line 2: no questions: the file has only a header"):
        fc.load_questions(path)


def test_questions_file_must_be_a_regular_file(tmp_path):
    fifo = tmp_path / "q.csv"
    os.mkfifo(fifo)
    with pytest.raises(fc.ForecastFileError, match="is a named pipe"):
        fc.load_questions(fifo)
    with pytest.raises(fc.ForecastFileError, match="is a folder"):
        fc.load_questions(tmp_path)


@pytest.mark.parametrize(
    "row, field",
    [
        ("q1,Q?,2027-1-01,crit,open,,,", "resolves_on"),  # not zero-padded
        ("q1,Q?,2027-01-01,crit,no,2026-11-1,src-a,", "resolved_on"),
        ("q1,Q\x1b[2J?,2027-01-01,crit,open,,,", "question"),
        ("q1,Q?,2027-01-01,crit,open,,,\ufffe\x07", "notes"),
        ("q1,Q?,2027-01-01,crit,yes,2026-11-01,a b,", "source_ids"),
    ],
)
def test_more_bad_question_rows(tmp_path, row, field):
    path = write_questions(tmp_path, ["q0,Fine?,2027-01-01,crit,open,,,", row])
    with pytest.raises(fc.ForecastFileError) as err:
        fc.load_questions(path)
    assert (err.value.line, err.value.field) == (3, field), str(err.value)


def test_question_rule_is_one_data_check():
    """The open/resolved rule lives in s400lab.data.checks and runs inside load()."""
    from s400lab.data import checks
    from s400lab.data.table import Table

    rows = [
        ["a", "Q?", "2027-01-01", "c", "open", "2026-01-01", "", ""],
        ["b", "Q?", "2027-01-01", "c", "yes", "", "", ""],
        ["c", "Q?", "2027-01-01", "c", "no", "2026-05-01", "src", ""],
        ["d", "Q?", "2027-1-01", "c", "open", "", "", ""],  # Frictionless would take it
    ]
    table = Table("forecast_questions", "q.csv", Path("q.csv"), header=list(fc.QUESTION_COLUMNS), rows=rows)
    found = [(p.row, p.column) for p in checks.check_forecast_questions({"forecast_questions": table})]
    assert found == [(2, "resolved_on"), (3, "resolved_on"), (3, "source_ids"), (5, "resolves_on")]
    assert checks.check_forecast_questions in checks.RULES


def test_instructor_merge_with_the_data_package_questions_table(tmp_path):
    """Valid files merged and scored with ``load().table("forecast_questions")`` (was a
    KeyError 'outcome' traceback; the question ids were also refused as unknown)."""
    from s400lab.data import load

    table = load().table("forecast_questions")
    qids = list(table["question_id"][:2])
    for student, p in (("ana", 0.2), ("bo", 0.9)):
        for qid in qids:
            fc.append_forecast(
                fc.forecast_path(student, tmp_path), fc.make_forecast(student, qid, p, timestamp=T0)
            )
    merged = fc.merge_forecasts(tmp_path, questions=table, deadline=T0 + timedelta(days=1))
    assert merged.equals(fc.merge_forecasts(tmp_path, questions=fc.load_questions()))
    assert len(merged) == 4
    scored = fc.score_forecasts(merged, table, {qids[0]: 1})  # hypothetical resolution
    assert sorted(scored["brier"].round(6)) == [0.01, 0.64]


def test_a_broken_question_in_the_data_package_is_a_data_error(tmp_path, monkeypatch):
    """The default questions come through load(): a broken row raises its DataError (no
    second reader that could disagree), naming file, row and column."""
    import shutil

    from s400lab.data import DataError, default_data_dir

    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    csv_path = data / "forecast_questions.csv"
    text = csv_path.read_text(encoding="utf-8").replace(",open,,,", ",yes,,,", 1)
    csv_path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("S400LAB_DATA", str(data))
    with pytest.raises(DataError) as err:
        fc.load_questions()
    assert 'forecast_questions.csv, row 2, column "resolved_on": required when status is yes' in str(
        err.value
    )
