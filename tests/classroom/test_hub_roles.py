"""Issue 20, item 2: every promise of docs/classroom.md's "through the hub" table, tried as an
instructor and as a student would try to break it, with their own API tokens (made the way a
user makes one: logged in, on /hub/token) and their own logged-in browsers."""

from __future__ import annotations

import json
import pwd
import subprocess
import time

import hubctl
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.classroom]


@pytest.fixture(scope="module")
def roles_hub(hub_can_run):  # skips unless a hub can run here (conftest)
    from throwaway_hub import throwaway_hub

    with throwaway_hub("s4r", ["a", "b"], cull_timeout=900) as (hub, _m):
        yield hub, hubctl.read_passwords(hub.state)


MAKE_TOKEN_JS = """async (name) => {
  const r = await fetch(`/hub/api/users/${name}/tokens`, {
    method: "POST",
    headers: {"X-XSRFToken": window.jhdata.xsrf_token, "Content-Type": "application/json"},
    body: JSON.stringify({note: "s400 roles test"}),
  });
  return (await r.json()).token;
}"""


@pytest.fixture(scope="module")
def people(roles_hub, browser):
    """Names, each user's logged-in browser page (on the hub) and API token; A's server running."""
    hub, passwords = roles_hub
    teacher, a, b = (m.name for m in hub.members)
    out = {"hub": hub, "teacher": teacher, "a": a, "b": b, "page": {}, "token": {}}
    for key, name in (("teacher", teacher), ("a", a), ("b", b)):
        ctx = browser.new_context()
        ctx.set_default_timeout(60_000)
        page = ctx.new_page()
        page.goto(f"{hub.url}/hub/login?next=/hub/token")
        page.fill("input[name=username]", name)
        page.fill("input[name=password]", passwords[name])
        page.locator("form [type=submit]").click()
        page.wait_for_url("**/hub/token")
        out["page"][key] = page
        out["token"][key] = page.evaluate(MAKE_TOKEN_JS, name)
        assert out["token"][key]
    hub.api("POST", f"/users/{a}/server")
    end = time.monotonic() + 240
    while not hub.server_ready(a):
        assert time.monotonic() < end, hub.log_tail()
        time.sleep(1)
    yield out
    for page in out["page"].values():
        page.context.close()


def _call(people, who: str, method: str, url: str, body: object | None = None) -> int:
    """Status of one request to ``url`` (a hub API path, or a full URL) with ``who``'s token."""
    hub = people["hub"]
    if url.startswith("/"):
        url = f"{hub.api_base}/hub/api{url}"
    headers = {"Authorization": f"token {people['token'][who]}", "Content-Type": "application/json"}
    data = None if body is None else json.dumps(body).encode()
    return hubctl.http(url, method, headers, data)[0]


def _json(people, who: str, path: str) -> object:
    hub = people["hub"]
    status, _h, body = hubctl.http(
        f"{hub.api_base}/hub/api{path}", headers={"Authorization": f"token {people['token'][who]}"}
    )
    assert status == 200, (path, status, body[:300])
    return json.loads(body)


DENIED = (403, 404)  # JupyterHub answers 404 where saying 403 would confirm that a user exists


# --------------------------------------------------------------------------- instructors


def test_instructor_is_not_a_hub_admin(people):
    me = _json(people, "teacher", "/user")
    assert me["admin"] is False
    assert "instructor" in me["roles"] and "admin" not in me["roles"]
    assert _call(people, "teacher", "PATCH", f"/users/{people['teacher']}", {"admin": True}) in DENIED
    assert _json(people, "teacher", "/user")["admin"] is False


def test_instructor_lists_the_class(people):
    names = {u["name"] for u in _json(people, "teacher", "/users")}
    assert {people["teacher"], people["a"], people["b"]} <= names
    # the admin page is open to instructors (for starting and stopping servers) and lists the class
    page = people["page"]["teacher"].context.new_page()
    try:
        assert page.goto(f"{people['hub'].url}/hub/admin").status == 200
        page.get_by_text(people["b"], exact=True).first.wait_for()
    finally:
        page.close()


def test_instructor_starts_and_stops_a_students_server(people):
    hub, b = people["hub"], people["b"]
    assert _call(people, "teacher", "POST", f"/users/{b}/server") in (201, 202)
    end = time.monotonic() + 240
    while not hub.server_ready(b):
        assert time.monotonic() < end, hub.log_tail()
        time.sleep(1)
    assert _call(people, "teacher", "DELETE", f"/users/{b}/server") in (202, 204)
    end = time.monotonic() + 60
    while hub.server_ready(b):
        assert time.monotonic() < end
        time.sleep(0.5)


def test_instructor_cannot_read_or_write_a_students_files(people):
    hub, a = people["hub"], people["a"]
    assert _call(people, "teacher", "GET", hub.user_url(a, "api/contents/s400lab")) == 403
    put = {"type": "file", "format": "text", "content": "planted by the instructor"}
    assert _call(people, "teacher", "PUT", hub.user_url(a, "api/contents/planted.txt"), put) == 403
    assert _call(people, "a", "GET", hub.user_url(a, "api/contents/planted.txt")) == 404
    assert _call(people, "a", "GET", hub.user_url(a, "api/contents/s400lab")) == 200  # can pass


def test_instructor_cannot_run_code_as_a_student(people):
    hub, a = people["hub"], people["a"]
    assert _call(people, "teacher", "POST", hub.user_url(a, "api/kernels"), {"name": "python3"}) == 403
    assert _call(people, "teacher", "POST", hub.user_url(a, "api/terminals"), {}) == 403
    assert _call(people, "teacher", "GET", hub.user_url(a, "api/kernels")) == 403


def test_instructor_browser_cannot_enter_a_students_server(people):
    """The instructor's logged-in browser: the hub refuses them on the student's server."""
    hub, a = people["hub"], people["a"]
    page = people["page"]["teacher"].context.new_page()
    try:
        resp = page.goto(hub.user_url(a, "lab"))
        assert resp.status == 403, (resp.status, page.url)
        assert not page.url.startswith(hub.user_url(a, "lab"))
    finally:
        page.close()


def test_instructor_cannot_make_or_read_tokens_for_a_student(people):
    a = people["a"]
    assert _call(people, "teacher", "POST", f"/users/{a}/tokens", {"note": "x"}) in DENIED
    assert _call(people, "teacher", "GET", f"/users/{a}/tokens") in DENIED


def test_instructor_cannot_change_users_or_roles(people):
    a = people["a"]
    assert _call(people, "teacher", "POST", "/users/s4rnewuser") in DENIED
    assert _call(people, "teacher", "DELETE", f"/users/{a}") in DENIED
    assert _call(people, "teacher", "PATCH", f"/users/{a}", {"admin": True}) in DENIED
    assert _call(people, "teacher", "POST", f"/shares/{a}/", {"user": people["teacher"]}) in DENIED


# --------------------------------------------------------------------------- students


def test_student_cannot_list_or_read_other_users(people):
    assert _call(people, "a", "GET", "/users") in DENIED
    assert _call(people, "a", "GET", f"/users/{people['b']}") in DENIED
    assert _call(people, "a", "GET", f"/users/{people['teacher']}") in DENIED
    assert _json(people, "a", "/user")["name"] == people["a"]  # own model: allowed
    page = people["page"]["a"].context.new_page()
    try:
        assert page.goto(f"{people['hub'].url}/hub/admin").status in DENIED
    finally:
        page.close()


def test_student_cannot_start_or_stop_another_server(people):
    hub, a = people["hub"], people["a"]
    assert _call(people, "b", "DELETE", f"/users/{a}/server") in DENIED
    assert hub.server_ready(a)
    assert _call(people, "b", "POST", f"/users/{people['teacher']}/server") in DENIED


def test_student_cannot_reach_another_server_with_a_token(people):
    hub, a = people["hub"], people["a"]
    assert _call(people, "b", "GET", hub.user_url(a, "api/contents/s400lab")) == 403
    assert _call(people, "b", "POST", hub.user_url(a, "api/kernels"), {"name": "python3"}) == 403
    assert _call(people, "teacher", "GET", hub.user_url(a, "api/contents")) == 403


def test_student_cannot_make_tokens_for_others_or_become_admin(people):
    a, b = people["a"], people["b"]
    assert _call(people, "b", "POST", f"/users/{a}/tokens", {"note": "x"}) in DENIED
    assert _call(people, "b", "POST", f"/users/{people['teacher']}/tokens", {"note": "x"}) in DENIED
    assert _call(people, "b", "PATCH", f"/users/{b}", {"admin": True}) in DENIED
    assert _json(people, "b", "/user")["admin"] is False


# --------------------------------------------------------------------------- origins


def test_each_server_has_its_own_origin_and_the_hub_answers_only_on_its_host(people):
    hub, a, b = people["hub"], people["a"], people["b"]
    origins = {hub.url} | {hub.user_url(n).split("/user/")[0] for n in (a, b, people["teacher"])}
    assert len(origins) == 4
    # the hub's own pages are never served in a user's origin: a request for them there is
    # sent to the hub's host
    status, headers, _ = hubctl.http(hub.user_url(a).split("/user/")[0] + "/hub/login")
    assert status in (301, 302, 303, 307) and headers["location"] == f"{hub.url}/hub/login"
    # defence in depth: what a student puts in their Jupyter data folder is not served, and every
    # response of a user's server carries the Content-Security-Policy
    home = pwd.getpwnam(a).pw_dir
    for rel in (".local/share/jupyter/voila/templates/x/static", ".local/share/jupyter/voila/static"):
        folder = f"{home}/{rel}"
        res = subprocess.run(["runuser", "-u", a, "--", "mkdir", "-p", folder], capture_output=True)
        assert res.returncode == 0, res.stderr
        put = ["runuser", "-u", a, "--", "tee", f"{folder}/planted.html"]
        assert subprocess.run(put, input=b"<p>planted</p>", capture_output=True).returncode == 0
    for url in (
        hub.user_url(a, "voila/templates/x/static/planted.html"),
        hub.user_url(a, "voila/static/planted.html"),
    ):
        status, headers, body = hubctl.http(url)
        assert status in (403, 404) and b"planted" not in body, (url, status)
        assert "connect-src 'self'" in headers.get("content-security-policy", ""), (url, headers)
