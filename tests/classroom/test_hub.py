"""The classroom hub end to end, in a real browser: logins, separate servers, private files,
a forecast submitted from notebook 60 that shows up in the instructor's merge."""

from __future__ import annotations

import pwd
import stat
import subprocess
from pathlib import Path

import _browser as serve
import hubctl
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.classroom]

NB60 = "s400lab/notebooks/60_seminar_exercises.ipynb"
INSTRUCTOR_NB = "s400lab/instructor_class_results.ipynb"


@pytest.fixture(scope="module")
def people(class_hub):
    hub, passwords = class_hub
    teacher, a, b = (m.name for m in hub.members)
    return {"hub": hub, "passwords": passwords, "teacher": teacher, "a": a, "b": b}


@pytest.fixture(scope="module")
def sessions(browser, people):
    """One logged-in browser context per user (logins in the real hub login form)."""
    hub = people["hub"]
    out = {}
    for key in ("a", "b", "teacher"):
        name = people[key]
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        ctx.set_default_timeout(180_000)
        page = ctx.new_page()
        serve.hub_login(page, hub, name, people["passwords"][name])
        serve.wait_for_server_page(page, hub, name)
        out[key] = page
    yield out
    for page in out.values():
        page.context.close()


def _runas(user: str, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", user, "--", *argv], capture_output=True, text=True, cwd="/")


def test_wrong_password_is_refused(browser, people):
    ctx = browser.new_context()
    page = ctx.new_page()
    serve.hub_login(page, people["hub"], people["a"], people["passwords"][people["b"]])  # b's password
    page.get_by_text("Invalid username or password").wait_for()
    assert "/user/" not in page.url
    ctx.close()


def test_each_student_has_a_separate_server_as_their_own_user(people, sessions):
    hub = people["hub"]
    users = {u["name"]: u for u in hub.api("GET", "/users")}
    pids = {}
    for key in ("a", "b"):
        name = people[key]
        assert users[name]["server"] == hub.user_url(name)  # its own origin
        uid = pwd.getpwnam(name).pw_uid
        procs = [
            pid
            for pid in hubctl.pids_of_uid(uid)
            if b"jupyterhub-singleuser" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        assert procs, f"no single-user server runs as {name}"
        pids[key] = set(procs)
    assert not pids["a"] & pids["b"]
    # first login copied the workbook into the student's own home, private to them
    home_a = Path(pwd.getpwnam(people["a"]).pw_dir)
    nb = home_a / NB60
    assert nb.is_file() and nb.stat().st_uid == pwd.getpwnam(people["a"]).pw_uid
    assert stat.S_IMODE(home_a.stat().st_mode) == 0o700
    assert (home_a / "s400lab" / "data" / "datapackage.json").is_file()
    assert not (home_a / "s400lab" / "notebooks" / "solutions").exists()
    home_t = Path(pwd.getpwnam(people["teacher"]).pw_dir)
    assert (home_t / "s400lab" / "notebooks" / "solutions").is_dir()


def test_a_student_cannot_reach_another_students_server(people, sessions):
    hub, a, b = people["hub"], people["a"], people["b"]
    page = sessions["b"].context.new_page()
    try:
        resp = page.goto(hub.user_url(a, "api/contents/s400lab"))
        assert resp.status == 403, (resp.status, resp.url, resp.text()[:300])
        own = page.goto(hub.user_url(b, "api/contents/s400lab"))
        assert own.status == 200 and "notebooks" in own.text()
    finally:
        page.close()


def test_a_student_cannot_read_another_students_files(people, sessions):
    a, b = people["a"], people["b"]
    home_a = pwd.getpwnam(a).pw_dir
    denied = _runas(b, "cat", f"{home_a}/{NB60}")
    assert denied.returncode != 0 and "Permission denied" in denied.stderr
    assert _runas(b, "ls", home_a).returncode != 0
    assert _runas(a, "cat", f"{home_a}/{NB60}").returncode == 0  # the check can pass


def test_the_shared_data_memo_is_readable_and_read_only_for_students(people):
    """The hub validated the data once into the shared memo: root's, every student reads the
    marker, none can add or remove one."""
    memo, a = people["hub"].memo_dir, people["a"]
    markers = list((memo / "frictionless-passed").iterdir())
    assert len(markers) == 1 and markers[0].stat().st_uid == 0
    assert stat.S_IMODE(memo.stat().st_mode) == 0o755
    assert _runas(a, "test", "-r", str(markers[0])).returncode == 0
    denied = _runas(a, "touch", str(memo / "frictionless-passed" / "forged"))
    assert denied.returncode != 0 and "Permission denied" in denied.stderr
    assert _runas(a, "rm", "-f", str(markers[0])).returncode != 0


def _first_open_question() -> str:
    """The question the forecast form offers first: the open one resolving soonest."""
    from s400lab.analysis import forecasting as fc

    qs = fc.load_questions()
    return str(qs[qs["status"] == "open"].sort_values("resolves_on").index[0])


def test_forecast_from_notebook_60_reaches_the_instructor_only(people, sessions):
    hub, a, b = people["hub"], people["a"], people["b"]
    page = sessions["a"]
    page.goto(hub.user_url(a, f"voila/render/{NB60}"))
    button = page.get_by_role("button", name="Submit to class")
    button.wait_for()
    button.click()
    page.get_by_text("Saved 50%").wait_for()

    path = hub.class_dir / f"{a}.jsonl"
    info = path.stat()
    assert info.st_uid == 0  # written by the submission service, not by the student
    assert stat.S_IMODE(info.st_mode) == 0o640
    # a classmate can neither read the file nor list the drop box
    assert _runas(b, "cat", str(path)).returncode != 0
    assert _runas(b, "ls", str(hub.class_dir)).returncode != 0
    assert _runas(people["teacher"], "cat", str(path)).stdout.count("\n") == 1

    teacher = sessions["teacher"]
    teacher.goto(hub.user_url(people["teacher"], f"voila/render/{INSTRUCTOR_NB}"))
    teacher.get_by_text("1 forecasts from 1 students").wait_for()
    table = teacher.locator("table.s400-class-forecasts")
    assert a in table.inner_text()
    assert _first_open_question() in table.inner_text()  # the form's default question
    # the practice resolution scores it: a calibration chart is drawn
    assert teacher.locator("img[src^='data:image/png'], img[src^='blob:']").count() >= 1
