"""Hub URLs (issue 20): one origin per user, built in one place (``Hub.user_url``); no hub needed."""

from __future__ import annotations

import http.server
import threading

import hubctl
import pytest


def test_each_user_has_an_origin_of_their_own_under_the_hub_host():
    hub = hubctl.Hub(port=8123)
    assert hub.url == "http://localhost:8123"
    assert hub.api_base == "http://127.0.0.1:8123"
    assert hub.user_url("ann") == "http://ann.localhost:8123/user/ann/"
    assert (
        hub.user_url("ann", "/voila/render/x.ipynb")
        == "http://ann.localhost:8123/user/ann/voila/render/x.ipynb"
    )
    behind_tls = hubctl.Hub(port=8000, public_url="https://hub.example.org/")
    assert behind_tls.url == "https://hub.example.org"
    assert behind_tls.user_url("bo-2", "lab") == "https://bo-2.hub.example.org/user/bo-2/lab"


@pytest.mark.parametrize("name", ["ann", "a1", "stud-3"])
def test_a_dns_safe_name_is_its_own_label(name):
    assert hubctl.user_host(name, "localhost:9") == f"{name}.localhost:9"


def test_http_reaches_a_users_localhost_name_on_127_0_0_1():
    seen = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen["host"] = self.headers["Host"]
            self.send_response(204)
            self.send_header("X-Twice", "one")
            self.send_header("X-Twice", "two")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        status, headers, _ = hubctl.http(f"http://ann.localhost:{port}/user/ann/")
        assert status == 204
        assert seen["host"] == f"ann.localhost:{port}"
        assert headers["x-twice"] == "one, two"
    finally:
        server.shutdown()
        server.server_close()
