"""Fixtures for the classroom hub tests: a throw-away hub with its own roster and Unix users.

The hub (``classroom/hubctl.py``) runs on free 127.0.0.1 ports with a temporary roster of
randomly named users, homes and drop box under a temporary directory; at teardown the hub is
stopped (it stops the users' servers), the users and their group are deleted with their homes
and the directory is removed. Needs root (real Unix users), ``runuser``, the hub's venv and proxy
(``make classroom-setup``) and Chromium; skips with the reason otherwise.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "classroom"))

import hubctl  # noqa: E402


def hub_missing() -> str | None:
    """Why the hub cannot run here, or None."""
    if os.geteuid() != 0:
        return "the classroom hub creates Unix users: run as root"
    if shutil.which("runuser") is None or shutil.which("useradd") is None:
        return "runuser/useradd not found"
    if not (hubctl.VENV_BIN / "jupyterhub").exists() or not hubctl.PROXY.exists():
        return "hub not installed: run `make classroom-setup`"
    return None


@pytest.fixture(scope="module")
def class_hub():
    """A running hub with one instructor and two students; yields (hub, passwords)."""
    why = hub_missing()
    if why:
        if os.environ.get("S400LAB_REQUIRE_BROWSER") == "1":
            pytest.fail(why)
        pytest.skip(why)
    tag = secrets.token_hex(2)
    base = Path(tempfile.mkdtemp(prefix="s400lab-hubtest-"))
    os.chmod(base, 0o755)  # the users must reach their homes and the drop box below it
    members = [
        hubctl.Member(f"s4l{tag}t", "instructor"),
        hubctl.Member(f"s4l{tag}a", "student"),
        hubctl.Member(f"s4l{tag}b", "student"),
    ]
    roster = base / "roster.csv"
    hubctl.write_roster(roster, members)
    hub = hubctl.Hub(
        roster=roster,
        state=base / "state",
        homes=base / "homes",
        class_dir=base / "class" / "forecasts",
        group=f"s4l{tag}g",
        port=hubctl.free_port(),
        cull_timeout=600,
        cull_every=60,
    )
    try:
        hub.start(timeout=120)
        yield hub, hubctl.read_passwords(hub.state)
    finally:
        try:
            hub.stop()
        finally:
            hubctl.remove_accounts(members, hub.group)
            if os.environ.get("S400LAB_KEEP_SERVER_DIRS") != "1":
                shutil.rmtree(base, ignore_errors=True)
