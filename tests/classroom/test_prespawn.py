"""``hubctl.py prespawn`` (issue 22): students' servers started before the class, no hub needed.

A stand-in for the hub's REST API on 127.0.0.1 answers what ``Hub.prespawn`` asks (start a
server, is it ready?) and records it; the real hub path is run by the load test's smoke round
(``test_load_smoke.py``), which prespawns its students.
"""

from __future__ import annotations

import http.server
import json
import threading
import time

import hubctl
import pytest


class FakeHubApi:
    """POST /hub/api/users/<name>/server starts a 'server' that is ready ``ready_after`` s later;
    GET /hub/api/users/<name> reports it. Records the most servers starting at once."""

    def __init__(self, ready_after: float = 0.3, already_running: tuple[str, ...] = ()) -> None:
        self.started: dict[str, float] = {n: 0.0 for n in already_running}
        self.posts: list[str] = []
        self.tokens: set[str] = set()
        self.most_pending = 0
        api = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _name(self) -> str:
                return self.path.split("/hub/api/users/", 1)[1].split("/", 1)[0]

            def do_POST(self):
                api.tokens.add(self.headers.get("Authorization", ""))
                name = self._name()
                api.posts.append(name)
                if name in api.started:
                    self.send_response(400)  # what JupyterHub answers for a running server
                else:
                    api.started[name] = time.monotonic() + ready_after
                    now = time.monotonic()
                    api.most_pending = max(api.most_pending, sum(t > now for t in api.started.values()))
                    self.send_response(202)
                self.end_headers()

            def do_GET(self):
                name = self._name()
                ready = name in api.started and time.monotonic() >= api.started[name]
                body = json.dumps(
                    {"name": name, "servers": {"": {"ready": ready}} if name in api.started else {}}
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def state(tmp_path):
    (tmp_path / "admin_api_token").write_text("secret-admin-token\n")
    return tmp_path


def test_prespawn_starts_every_server_at_most_parallel_at_once_with_the_admin_token(state):
    api = FakeHubApi(ready_after=0.3)
    try:
        hub = hubctl.Hub(state=state, port=api.port)
        names = [f"s{i}" for i in range(5)]
        took = hub.prespawn(names, parallel=2)
        assert sorted(took) == names
        assert sorted(api.posts) == names  # each asked once
        assert api.most_pending <= 2  # never more than `parallel` starting at once
        assert all(t >= 0.25 for t in took.values())  # each waited until its server was ready
        assert api.tokens == {"token secret-admin-token"}
    finally:
        api.close()


def test_a_running_server_is_left_as_it_is(state):
    api = FakeHubApi(already_running=("s0",))
    try:
        took = hubctl.Hub(state=state, port=api.port).prespawn(["s0", "s1"], parallel=2)
        assert set(took) == {"s0", "s1"}
        assert api.started["s0"] == 0.0  # not restarted
    finally:
        api.close()


def test_a_server_that_never_gets_ready_is_named_in_the_timeout(state):
    api = FakeHubApi(ready_after=3600)
    try:
        with pytest.raises(TimeoutError, match="s1"):
            hubctl.Hub(state=state, port=api.port).prespawn(["s1"], timeout=1.0)
    finally:
        api.close()


def test_the_command_refuses_names_not_on_the_roster(tmp_path, state, capsys):
    roster = tmp_path / "roster.csv"
    hubctl.write_roster(roster, [hubctl.Member("teach", "instructor"), hubctl.Member("ann", "student")])
    code = hubctl.main(["prespawn", "--roster", str(roster), "--state", str(state), "nobody"])
    assert code == 2
    assert "nobody" in capsys.readouterr().err


def test_the_command_says_when_no_hub_answers(tmp_path, state, capsys):
    roster = tmp_path / "roster.csv"
    hubctl.write_roster(roster, [hubctl.Member("teach", "instructor"), hubctl.Member("ann", "student")])
    port = hubctl.free_port()  # nothing listens there
    code = hubctl.main(["prespawn", "--roster", str(roster), "--state", str(state), "--port", str(port)])
    assert code == 2
    assert "is it running" in capsys.readouterr().err
