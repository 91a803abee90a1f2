"""A throw-away classroom hub for the hub tests and the classroom load test (one start-up).

Under a fresh temporary directory: a roster of randomly tagged users (``<prefix><tag>t`` the
instructor, ``<prefix><tag><suffix>`` each student, group ``<prefix><tag>g``), their homes,
the hub's state and the class drop box, on a free 127.0.0.1 port. On leaving the ``with``
block the hub is stopped (it stops the users' servers), the users and their group are deleted
with their homes, and the directory is removed unless ``S400LAB_KEEP_SERVER_DIRS=1``. Needs
root (real Unix users); see ``tests/classroom/conftest.py`` for the checks that skip otherwise.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import tempfile
import time
import urllib.error
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import hubctl

__all__ = ["throwaway_hub", "server_environ"]


@contextlib.contextmanager
def throwaway_hub(
    prefix: str, students: Sequence[str], *, start_timeout: float = 120, **hub_options: Any
) -> Iterator[tuple[hubctl.Hub, list[hubctl.Member]]]:
    """Start a hub with one instructor and ``students``; yield ``(hub, members)``.

    Parameters
    ----------
    prefix : str
        Start of every user name (short: Unix names are at most 32 characters).
    students : sequence of str
        Suffix of each student's name after ``<prefix><tag>``.
    start_timeout : float
        Seconds the hub may take to answer.
    **hub_options
        Further :class:`hubctl.Hub` fields (``cull_timeout``, ``cull_every``).
    """
    tag = secrets.token_hex(2)
    base = Path(tempfile.mkdtemp(prefix=f"s400lab-hub-{prefix}-"))
    os.chmod(base, 0o755)  # the users must reach their homes and the drop box below it
    members = [hubctl.Member(f"{prefix}{tag}t", "instructor")]
    members += [hubctl.Member(f"{prefix}{tag}{s}", "student") for s in students]
    roster = base / "roster.csv"
    hubctl.write_roster(roster, members)
    hub = hubctl.Hub(
        roster=roster,
        state=base / "state",
        homes=base / "homes",
        class_dir=base / "class" / "forecasts",
        group=f"{prefix}{tag}g",
        port=hubctl.free_port(),
        **hub_options,
    )
    try:
        hub.start(timeout=start_timeout)
        yield hub, members
    finally:
        try:
            hub.stop()
        finally:
            hubctl.remove_accounts(members, hub.group)
            if os.environ.get("S400LAB_KEEP_SERVER_DIRS") != "1":
                shutil.rmtree(base, ignore_errors=True)


def server_environ(hub, name: str, timeout: float = 300.0) -> dict[str, str]:
    """Start ``name``'s server through the hub API; return the server process's environment."""
    try:
        hub.api("POST", f"/users/{name}/server")
    except urllib.error.HTTPError as err:
        if err.code != 400:  # 400: already running
            raise
    except (urllib.error.URLError, TimeoutError):
        pass  # a busy hub answers late; the spawn goes on, wait for it below
    end = time.monotonic() + timeout
    while True:
        try:
            if hub.server_ready(name):
                break
        except (urllib.error.URLError, TimeoutError):
            pass  # the hub is busy starting servers on a loaded machine: ask again
        if time.monotonic() > end:
            raise TimeoutError(f"{name}'s server did not start\n{hub.log_tail()}")
        time.sleep(1)
    uid = pwd.getpwnam(name).pw_uid
    for pid in hubctl.pids_of_uid(uid):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                if b"jupyterhub-singleuser" not in fh.read():
                    continue
            with open(f"/proc/{pid}/environ", "rb") as fh:
                raw = fh.read()
        except OSError:
            continue
        return dict(kv.decode().split("=", 1) for kv in raw.split(b"\0") if b"=" in kv)
    raise RuntimeError(f"no jupyterhub-singleuser process for {name}")
