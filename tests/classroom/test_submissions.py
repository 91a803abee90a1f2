"""Hand-ins the hub vouches for (issue 20): the attacks a student could make on the class drop
box, tried on a real hub as the student, and the submission service that stops them.

Each student acts with what their own server has: their Unix account and the server's
environment (``$JUPYTERHUB_API_TOKEN``, ``$S400LAB_SUBMIT_URL``), read from the running
``jupyterhub-singleuser`` process. The instructor's merge is
:func:`s400lab.analysis.classroom.collect_submissions` over the class store, as the instructor's
notebook does it.
"""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import hubctl
import pytest
from throwaway_hub import server_environ

from s400lab.analysis import classroom as cls

pytestmark = [pytest.mark.classroom]

QID = "india-sq4-confirmed-2027-01"
RUNUSER = shutil.which("runuser") or "runuser"
PYTHON = str(hubctl.VENV_BIN / "python")  # the students' servers' Python


def as_student(name: str, env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    """Run Python ``code`` as ``name`` with their server's environment (what their kernel has)."""
    return subprocess.run(
        [RUNUSER, "-u", name, "--", PYTHON, "-c", code],
        capture_output=True,
        text=True,
        cwd="/",
        env=env,
        timeout=300,
    )


def post(url: str, body: bytes, token: str | None) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"token {token}"
    req = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


@pytest.fixture(scope="module")
def hub_people(class_hub):
    hub, passwords = class_hub
    teacher, a, b = (m.name for m in hub.members)
    envs = {n: server_environ(hub, n) for n in (a, b, teacher)}
    return {"hub": hub, "teacher": teacher, "a": a, "b": b, "env": envs}


FORM = """
import sys
from datetime import UTC, datetime
from s400lab.ui.classroom import forecast_form
form = forecast_form()
form._question.value = {qid!r}
form._probability.value = {p}
form._student.value = {claim!r} or form._student.value   # a changed id (the widget is disabled)
f = form.submit(timestamp=datetime(2026, 1, 2, tzinfo=UTC) if {backdate} else None)
print(form._status.value)
"""


def form_submit(people, who, p, *, claim="", backdate=False):
    code = FORM.format(qid=QID, p=p, claim=claim, backdate=backdate)
    return as_student(people[who], people["env"][people[who]], code)


def merged(people, **kw):
    return cls.collect_submissions(people["hub"].class_dir, **kw)


def test_a_student_can_neither_write_nor_list_the_class_store(hub_people):
    """Name squatting: creating a classmate's file first blocked their submissions."""
    p = hub_people
    store, victim = p["hub"].class_dir, p["a"]
    res = as_student(
        p["b"],
        p["env"][p["b"]],
        f"import os\nos.open({str(store / (victim + '.jsonl'))!r}, os.O_WRONLY | os.O_CREAT, 0o600)",
    )
    assert res.returncode != 0 and "PermissionError" in res.stderr, res.stderr[-500:]
    assert not (store / f"{victim}.jsonl").exists()
    res = as_student(p["b"], p["env"][p["b"]], f"import os; print(os.listdir({str(store)!r}))")
    assert res.returncode != 0 and "PermissionError" in res.stderr


def test_a_classmates_attempt_to_squat_does_not_stop_the_forecast(hub_people):
    p = hub_people
    res = form_submit(p, "a", 0.62)
    assert res.returncode == 0, res.stderr[-800:]
    assert "Saved 62%" in res.stdout, res.stdout[-800:]
    sub = merged(p)
    mine = sub.forecasts[sub.forecasts["student_id"] == p["a"]]
    assert mine["probability"].tolist() == [0.62]
    info = (p["hub"].class_dir / f"{p['a']}.jsonl").stat()
    assert info.st_uid == 0 and stat.S_IMODE(info.st_mode) == 0o640  # written by the service


def test_the_login_and_the_time_are_the_services_not_the_students(hub_people):
    """Forging a classmate's name and backdating a record: the service stamps both itself."""
    p = hub_people
    before = datetime.now(UTC) - timedelta(seconds=1)
    # the student's own form, its clock claiming a time long before the deadline
    res = form_submit(p, "b", 0.97, backdate=True)
    assert res.returncode == 0 and "Saved 97%" in res.stdout, (res.stdout[-800:], res.stderr[-800:])
    late = merged(p, keep="all", deadline=before).forecasts
    assert late.query("student_id == @p['b']").empty, late  # it arrived after the deadline
    # the form with a classmate's id (the widget is disabled, not the attribute)
    res = form_submit(p, "b", 0.99, claim=p["a"], backdate=True)
    assert res.returncode == 0, res.stderr[-800:]
    sub = merged(p, keep="all")
    forged = sub.forecasts[(sub.forecasts["student_id"] == p["a"]) & (sub.forecasts["probability"] == 0.99)]
    assert forged.empty
    # straight to the service with the server's token, claiming a's id and an old time
    env = p["env"][p["b"]]
    body = json.dumps(
        {
            "question_id": QID,
            "probability": 0.98,
            "student_id": p["a"],
            "timestamp": "2026-01-02T00:00:00+00:00",
        }
    ).encode()
    status, answer = post(env["S400LAB_SUBMIT_URL"] + "api/forecasts", body, env["JUPYTERHUB_API_TOKEN"])
    assert status == 201, answer
    assert answer["student_id"] == p["b"]
    assert datetime.fromisoformat(answer["timestamp"]) >= before.replace(microsecond=0)
    sub = merged(p, keep="all")
    assert sub.rejected.empty, sub.rejected
    b_rows = sub.forecasts[sub.forecasts["student_id"] == p["b"]]
    assert (b_rows["timestamp"] >= before.replace(microsecond=0)).all()
    assert 0.98 in b_rows["probability"].tolist()
    assert 0.98 not in sub.forecasts.loc[sub.forecasts["student_id"] == p["a"], "probability"].tolist()
    # a deadline before the hand-in leaves the backdated records out
    assert merged(p, keep="all", deadline=before).forecasts.query("student_id == @p['b']").empty


def test_the_service_answers_only_a_users_own_token_with_the_scope(hub_people):
    p = hub_people
    env = p["env"][p["a"]]
    url = env["S400LAB_SUBMIT_URL"] + "api/forecasts"
    body = json.dumps({"question_id": QID, "probability": 0.5}).encode()
    assert post(url, body, None)[0] == 403
    assert post(url, body, "not-a-token")[0] == 403
    assert post(url, body, p["hub"].admin_token)[0] == 403  # a service's token is not a student
    status, answer = post(url, b"x" * 5000, env["JUPYTERHUB_API_TOKEN"])
    assert status == 413 and "4,096-byte limit" in answer["message"]
    status, answer = post(url, b'{"question_id": "nope", "probability": 0.5}', env["JUPYTERHUB_API_TOKEN"])
    assert status == 400 and "unknown question id" in answer["message"]


def test_only_instructors_read_the_store(hub_people):
    p = hub_people
    path = str(p["hub"].class_dir / f"{p['a']}.jsonl")
    read = f"print(open({path!r}).read().count(chr(10)))"
    assert as_student(p["b"], p["env"][p["b"]], read).returncode != 0
    teacher = subprocess.run(
        [RUNUSER, "-u", p["teacher"], "--", PYTHON, "-c", read],
        capture_output=True,
        text=True,
        cwd="/",
    )
    assert teacher.returncode == 0 and int(teacher.stdout) >= 1, teacher.stderr


def test_a_scenario_is_handed_in_under_the_login(hub_people):
    from s400lab.model import scenario_io
    from s400lab.model.scenario import presets

    p = hub_people
    env = p["env"][p["b"]]
    doc = scenario_io.scenario_to_dict(next(iter(presets().values())), name="ours")
    got = cls.submit_scenario_to_service(env["S400LAB_SUBMIT_URL"], env["JUPYTERHUB_API_TOKEN"], "ours", doc)
    assert got["student_id"] == p["b"]
    path = p["hub"].class_dir / "scenarios" / p["b"] / got["stored"]
    assert path.stat().st_uid == 0 and scenario_io.load_scenario(path).name == "ours"
    with pytest.raises(cls.SubmissionRefused) as info:
        cls.submit_scenario_to_service(
            env["S400LAB_SUBMIT_URL"], env["JUPYTERHUB_API_TOKEN"], "bad", {"x": 1}
        )
    assert info.value.status == 400
    with pytest.raises(cls.SubmissionRefused) as info:
        cls.submit_scenario_to_service(env["S400LAB_SUBMIT_URL"], env["JUPYTERHUB_API_TOKEN"], "..", doc)
    assert info.value.status in (400, 404)


def test_instructors_read_the_merged_class_from_the_service_and_students_do_not(hub_people):
    p = hub_people
    get = "api/class"

    def call(who):
        env = p["env"][p[who]]
        req = urllib.request.Request(
            env["S400LAB_SUBMIT_URL"] + get, headers={"Authorization": f"token {env['JUPYTERHUB_API_TOKEN']}"}
        )
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"{}")

    status, answer = call("teacher")
    assert status == 200, answer
    assert {p["a"], p["b"]} <= {r["student_id"] for r in answer["forecasts"]}
    assert answer["left_out"] == []
    for who in ("a", "b"):
        status, answer = call(who)
        assert status == 403 and "only instructors" in answer["message"]
