"""Fixtures for the classroom hub tests: a throw-away hub with its own roster and Unix users.

The hub is ``classroom/throwaway_hub.py``'s (shared with the classroom load test): free
127.0.0.1 ports, a temporary roster of randomly named users, homes and drop box under a
temporary directory; at teardown the hub is stopped (it stops the users' servers), the users
and their group are deleted with their homes and the directory is removed. Needs root (real
Unix users), ``runuser``, the hub's venv and proxy (``make classroom-setup``) and Chromium;
skips with the reason otherwise.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "classroom"))

import hubctl  # noqa: E402
from throwaway_hub import server_environ, throwaway_hub  # noqa: E402


def hub_missing() -> str | None:
    """Why the hub cannot run here, or None."""
    if os.geteuid() != 0:
        return "the classroom hub creates Unix users: run as root"
    if shutil.which("runuser") is None or shutil.which("useradd") is None:
        return "runuser/useradd not found"
    if not (hubctl.VENV_BIN / "jupyterhub").exists() or not hubctl.PROXY.exists():
        return "hub not installed: run `make classroom-setup`"
    return None


def skip_unless_hub_runs(chromium: bool = False) -> None:
    """Skip (fail under ``S400LAB_REQUIRE_BROWSER=1``) with the reason the hub cannot run here."""
    why = hub_missing()
    if why is None and chromium:
        import _browser as serve

        why = None if serve.chromium_path() else "Chromium not found: run `make browser`"
    if why:
        if os.environ.get("S400LAB_REQUIRE_BROWSER") == "1":
            pytest.fail(why)
        pytest.skip(why)


@pytest.fixture(scope="module")
def hub_can_run() -> None:
    """Skips the module's hub tests unless a hub can run here (root, `make classroom-setup`)."""
    skip_unless_hub_runs()


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium (Debian's) for a module's hub tests."""
    sync_api = pytest.importorskip("playwright.sync_api")
    import _browser as serve

    if serve.chromium_path() is None:
        pytest.skip("Chromium not found: run `make browser`")
    with sync_api.sync_playwright() as p:
        b = serve.launch_chromium(p)
        yield b
        b.close()


@pytest.fixture
def hub_runs_here() -> None:
    """Skips the test unless a hub and Chromium can run here (root, `make classroom-setup`)."""
    skip_unless_hub_runs(chromium=True)


@pytest.fixture(scope="module")
def class_hub():
    """A running hub with one instructor and two students; yields (hub, passwords)."""
    skip_unless_hub_runs()
    with throwaway_hub("s4l", ["a", "b"], start_timeout=120, cull_timeout=600, cull_every=60) as (hub, _m):
        yield hub, hubctl.read_passwords(hub.state)


# --- limits (test_limits.py): a hub whose memory and process limits are cheap to exceed ------------
LIMITS_MEM_MB, LIMITS_PROCS = 768, 128


@pytest.fixture(scope="module")
def limits_hub():
    why = hub_missing()
    if why:
        if os.environ.get("S400LAB_REQUIRE_BROWSER") == "1":
            pytest.fail(why)
        pytest.skip(why)
    saved = dict(os.environ)
    os.environ.update({"S400LAB_HUB_MEM_MB": str(LIMITS_MEM_MB), "S400LAB_HUB_MAX_PROCS": str(LIMITS_PROCS)})
    try:
        with throwaway_hub("s4m", ["a", "b"], start_timeout=120) as (hub, _m):
            os.environ.clear()
            os.environ.update(saved)
            teacher, a, b = (m.name for m in hub.members)
            env = server_environ(hub, a)
            yield {"hub": hub, "teacher": teacher, "a": a, "b": b, "env": env}
    finally:
        os.environ.clear()
        os.environ.update(saved)
