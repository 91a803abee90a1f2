"""Set up and start the classroom JupyterHub (``make classroom``); also used by tests and bench.

What ``start`` does, as root (real isolation needs real Unix users):

1. reads the roster (``classroom/roster.csv``: ``name,role`` with role ``instructor`` or
   ``student``; names are Unix user names: lower-case letters, digits, ``_``/``-``);
2. creates one Unix user per roster row that does not exist yet (``useradd``, comment
   ``s400lab classroom``, home mode 0700) and the instructors' group (default ``s400teach``).
   An existing account that this tool did not create is never touched: the roster is refused;
3. creates the class store (default ``/srv/s400lab-classroom/forecasts``): owner root, group =
   instructors' group, mode 2750 (setgid; instructors list and read, students nothing). Only
   the submission service (``classroom/submit_service.py``, run by the hub) writes into it;
   and validates the workbook's data once into a shared, read-only memo beside it (``memo/``,
   root's, world-readable): each student's first explorer kernel then skips the slow
   Frictionless passes on its byte-identical copy (``s400lab.data.frictionless_memo``);
4. generates a password per user at first start into ``<state>/passwords.csv`` (0600, state
   dir 0700, git-ignored; hashes for the hub in ``<state>/users.json``) and prints where it is;
5. runs ``jupyterhub -f classroom/jupyterhub_config.py`` on 127.0.0.1 in the foreground.

``prespawn`` (``make classroom-prespawn``), with the hub running, starts every student's server
before the class arrives through the hub's API (the ``classroom-admin`` service's token from the
state dir), a few at a time: each login then only authenticates and lands on a running server
whose explorer kernel is warm, instead of paying the server's start during the login burst
(docs/classroom.md, "Load test"). ``remove-users`` deletes the roster's accounts again (only those
created by this tool) with their homes. Nothing here reaches the network.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import grp
import json
import os
import pwd
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
#: The hub's own environment (``make classroom-setup``). Built from a Python that every user can
#: execute: the students' servers run as their own Unix users, and an interpreter under /root
#: (pyenv) is out of their reach.
VENV_BIN = Path(os.environ.get("S400LAB_CLASSROOM_VENV", REPO / ".venv-classroom")) / "bin"
PROXY = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
CONFIG = HERE / "jupyterhub_config.py"
MARKER = "s400lab classroom"
ROLES = ("instructor", "student")
_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")

DEFAULTS = {
    "roster": HERE / "roster.csv",
    "state": HERE / ".state",
    "homes": Path("/home"),
    "class_dir": Path("/srv/s400lab-classroom/forecasts"),
    "group": "s400teach",
}

sys.path.insert(0, str(HERE))

import limits  # noqa: E402
from passwords import hash_password  # noqa: E402


class RosterError(ValueError):
    """The roster file is invalid; the message names file, row and column."""


@dataclass(frozen=True)
class Member:
    name: str
    role: str


def read_roster(path: str | os.PathLike) -> list[Member]:
    """Read and check ``name,role`` rows (header required; one instructor at least)."""
    path = Path(path)
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or [f.strip() for f in reader.fieldnames] != ["name", "role"]:
            raise RosterError(f"{path}, row 1: the header must be 'name,role'")
        members, seen = [], set()
        for row_no, row in enumerate(reader, start=2):
            name, role = (row.get("name") or "").strip(), (row.get("role") or "").strip()
            if not _NAME.match(name):
                raise RosterError(
                    f"{path}, row {row_no}, column 'name': {name!r} is not a valid "
                    "user name (a-z first, then a-z 0-9 _ -, at most 31)"
                )
            if name in seen:
                raise RosterError(f"{path}, row {row_no}, column 'name': {name!r} appears twice")
            if role not in ROLES:
                raise RosterError(
                    f"{path}, row {row_no}, column 'role': {role!r} is not one of {', '.join(ROLES)}"
                )
            seen.add(name)
            members.append(Member(name, role))
    if not any(m.role == "instructor" for m in members):
        raise RosterError(f"{path}: the roster needs at least one instructor")
    return members


def write_roster(path: str | os.PathLike, members: list[Member]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "role"])
        w.writerows([m.name, m.role] for m in members)


# --------------------------------------------------------------------------- accounts


def _run(argv: list[str]) -> None:
    res = subprocess.run(argv, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed: {res.stderr.strip()}")


def _ours(name: str) -> bool | None:
    """None if no such user; True if created by this tool; False if someone else's."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return None
    return entry.pw_gecos.startswith(MARKER)


def ensure_accounts(members: list[Member], homes: Path, group: str) -> None:
    """Create missing Unix users (home 0700) and the instructors' group; idempotent."""
    if os.geteuid() != 0:
        raise PermissionError(
            "the classroom hub creates one Unix user per student and must run "
            "as root (sudo make classroom); see docs/classroom.md"
        )
    clash = [m.name for m in members if _ours(m.name) is False]
    if clash:
        raise RosterError(
            f"roster names already used by accounts this tool did not create: "
            f"{', '.join(clash)}; rename them in the roster"
        )
    try:
        grp.getgrnam(group)
    except KeyError:
        _run(["groupadd", group])
    homes.mkdir(parents=True, exist_ok=True)
    for m in members:
        if _ours(m.name) is None:
            _run(
                [
                    "useradd",
                    "--create-home",
                    "--home-dir",
                    str(homes / m.name),
                    "--shell",
                    "/bin/bash",
                    "--comment",
                    f"{MARKER} {m.role}",
                    "--user-group",
                    m.name,
                ]
            )
        os.chmod(pwd.getpwnam(m.name).pw_dir, 0o700)
        if m.role == "instructor":
            _run(["usermod", "--append", "--groups", group, m.name])


def ensure_class_dir(class_dir: Path, group: str) -> None:
    """The class store: root:<group>, mode 2750 (setgid; instructors read, students nothing;
    the submission service, running as root, writes)."""
    parent = class_dir.parent
    if not parent.exists():
        parent.mkdir(parents=True, mode=0o755)
    class_dir.mkdir(exist_ok=True)
    os.chown(class_dir, 0, grp.getgrnam(group).gr_gid)
    os.chmod(class_dir, 0o2750)


def protect_solutions(group: str, solutions: Path | None = None) -> None:
    """Solutions only for instructors: the checkout's ``notebooks/solutions`` becomes
    ``root:<group>``, folders 0750, files 0640. The checkout itself must stay world-readable
    (the students' servers import the workbook from it), so without this a student's kernel
    could read the solutions straight from the checkout."""
    solutions = solutions or REPO / "notebooks" / "solutions"
    if not solutions.is_dir():
        return
    gid = grp.getgrnam(group).gr_gid
    for root, _dirs, files in os.walk(solutions):
        os.chown(root, 0, gid)
        os.chmod(root, 0o750)
        for f in files:
            os.chown(os.path.join(root, f), 0, gid)
            os.chmod(os.path.join(root, f), 0o640)


def git_history_readable() -> str | None:
    """Where students could still read the solutions: a git object store readable by others
    (``git show HEAD:notebooks/solutions/...``). None if there is none."""
    dot_git = REPO / ".git"
    if dot_git.is_file():  # a worktree: "gitdir: <common>/worktrees/<name>"
        text = dot_git.read_text().strip()
        common = Path(text.removeprefix("gitdir:").strip()).parent.parent
    else:
        common = dot_git
    objects = common / "objects"
    if objects.is_dir():
        path = objects
        while path != path.parent:  # every folder on the way must be searchable by others
            if not path.stat().st_mode & 0o001:
                return None
            path = path.parent
        return str(objects)
    return None


def close_git_history() -> str | None:
    """Make the checkout's git object store unreadable by others (root keeps full access), so
    students cannot read the solutions from history; returns the folder closed (None if none)."""
    objects = git_history_readable()
    if objects:
        mode = os.stat(objects).st_mode
        os.chmod(objects, mode & ~0o007)
    return objects


def ensure_memo(memo_dir: Path) -> None:
    """Validate the workbook's data in full into ``memo_dir`` (root's, world-readable, read-only
    for everyone else), with the hub's Python: the same code and Frictionless as the kernels."""
    memo_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "S400LAB_CACHE_DIR": str(memo_dir)}
    env.pop("S400LAB_DATA", None)
    res = subprocess.run(
        [str(VENV_BIN / "python"), "-m", "s400lab", "validate", str(REPO / "data")],
        capture_output=True,
        text=True,
        env=env,
        cwd="/",
    )
    if res.returncode != 0:
        raise RuntimeError(f"the workbook's data does not validate:\n{res.stdout}{res.stderr}")
    for root, _dirs, files in os.walk(memo_dir):
        os.chmod(root, 0o755)
        for f in files:
            os.chmod(os.path.join(root, f), 0o644)


def remove_accounts(members: list[Member], group: str | None = None) -> list[str]:
    """Delete the roster's accounts created by this tool, with their homes; return the names.

    Processes still running as those users are ended first, each by its process id.
    """
    removed = []
    for m in members:
        if not _ours(m.name):
            continue
        uid = pwd.getpwnam(m.name).pw_uid
        for pid in pids_of_uid(uid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        subprocess.run(["userdel", "--remove", m.name], capture_output=True)
        limits.remove_cgroups(m.name)
        removed.append(m.name)
    if group:
        try:
            grp.getgrnam(group)
            subprocess.run(["groupdel", group], capture_output=True)
        except KeyError:
            pass
    return removed


def pids_of_uid(uid: int) -> list[int]:
    """Process ids whose real uid is ``uid`` (from /proc)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.stat(f"/proc/{entry}").st_uid == uid:
                out.append(int(entry))
        except FileNotFoundError:
            continue
    return out


def check_runnable(user: str) -> None:
    """The hub's Python and the workbook must be usable by a roster user (not only root)."""
    python = VENV_BIN / "python"
    if not python.exists():
        raise FileNotFoundError(f"{python} is missing: run `make classroom-setup`")
    res = subprocess.run(
        ["runuser", "-u", user, "--", str(python), "-c", "import s400lab, jupyterhub"],
        capture_output=True,
        text=True,
        cwd="/",
    )
    if res.returncode != 0:
        raise RuntimeError(
            f"user {user!r} cannot run {python} with the workbook "
            f"({res.stderr.strip().splitlines()[-1:]}); the hub's venv must be built "
            "from a Python every user can execute (make classroom-setup uses "
            "/usr/bin/python3) inside a world-readable checkout"
        )


# --------------------------------------------------------------------------- secrets


def ensure_passwords(members: list[Member], state: Path) -> Path:
    """Generate a password for every roster member without one; return passwords.csv.

    Plain passwords (for the instructor to hand out) go to ``passwords.csv``; the hub reads
    only the scrypt hashes in ``users.json``. Both 0600 in a 0700 directory.
    """
    state.mkdir(parents=True, exist_ok=True)
    os.chmod(state, 0o700)
    plain_path = state / "passwords.csv"
    plain: dict[str, str] = {}
    if plain_path.exists():
        with open(plain_path, newline="", encoding="utf-8") as fh:
            plain = {r["name"]: r["password"] for r in csv.DictReader(fh)}
    for m in members:
        plain.setdefault(m.name, secrets.token_urlsafe(12))
    roles = {m.name: m.role for m in members}
    fd = os.open(plain_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "role", "password"])
        w.writerows([n, roles.get(n, "removed"), p] for n, p in plain.items() if n in roles)
    os.chmod(plain_path, 0o600)
    hashes = {n: hash_password(plain[n]) for n in roles}
    users_path = state / "users.json"
    fd = os.open(users_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(hashes, fh)
    return plain_path


def read_passwords(state: Path) -> dict[str, str]:
    with open(state / "passwords.csv", newline="", encoding="utf-8") as fh:
        return {r["name"]: r["password"] for r in csv.DictReader(fh)}


def _token_file(state: Path, name: str) -> str:
    """A random secret kept in ``state/name`` (0600), created on first use."""
    path = state / name
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


# --------------------------------------------------------------------------- the hub


_DNS_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")


def user_host(name: str, hub_netloc: str) -> str:
    """``<label>.<hub host>[:port]`` of a user's server, as JupyterHub names it (its 'idna'
    subdomain hook: the name itself when it is a DNS label without ``--``)."""
    if _DNS_LABEL.match(name) and "--" not in name:
        label = name
    else:  # e.g. an underscore: JupyterHub's own encoding (needs the hub's venv)
        from jupyterhub.utils import _strict_dns_safe_encode

        label = _strict_dns_safe_encode(name)
    return f"{label}.{hub_netloc}"


def http(
    url: str, method: str = "GET", headers: dict[str, str] | None = None, body: bytes | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One HTTP request, redirects not followed: ``(status, headers, body)``.

    Browsers (Chromium) send ``*.localhost`` to 127.0.0.1 themselves; the system resolver may not,
    so a ``localhost`` URL (a user's ``<name>.localhost`` included) is connected to 127.0.0.1
    with the URL's host in the ``Host`` header.
    """
    import http.client

    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    target = "127.0.0.1" if host == "localhost" or host.endswith(".localhost") else host
    conn = http.client.HTTPConnection(target, parts.port or 80, timeout=30)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, path or "/", body=body, headers={"Host": parts.netloc, **(headers or {})})
        resp = conn.getresponse()
        headers: dict[str, str] = {}
        for key, value in resp.getheaders():  # a repeated header: its values joined by ", "
            headers[key.lower()] = f"{headers[key.lower()]}, {value}" if key.lower() in headers else value
        return resp.status, headers, resp.read()
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _default_sigint() -> None:
    """Child processes started from a background job inherit an ignored SIGINT, and then
    JupyterHub cannot stop its services (the idle culler) with SIGINT: restore the default."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@dataclass
class Hub:
    """A classroom hub: accounts, secrets, then ``jupyterhub`` in its own process group."""

    roster: Path = DEFAULTS["roster"]
    state: Path = DEFAULTS["state"]
    homes: Path = DEFAULTS["homes"]
    class_dir: Path = DEFAULTS["class_dir"]
    group: str = DEFAULTS["group"]
    port: int = 8000
    #: public origin of the hub (``https://hub.example.org``); users' servers are on
    #: ``<name>.<its host>``; empty: ``http://localhost:<port>``
    public_url: str = ""
    hub_port: int = 0
    proxy_api_port: int = 0
    submit_port: int = 0
    cull_timeout: int = 3600
    cull_every: int = 300
    #: keep one explorer kernel preheated in each user's server (classroom/singleuser/warm_kernels.py)
    preheat: bool = True
    #: seconds between the hub's checks that each server is still alive (JupyterHub's default)
    poll_interval: int = 30
    members: list[Member] = field(default_factory=list)
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """The hub's public origin, what browsers open (default ``http://localhost:<port>``)."""
        return (self.public_url or f"http://localhost:{self.port}").rstrip("/")

    @property
    def api_base(self) -> str:
        """Where this machine reaches the proxy directly (the hub's API, readiness checks)."""
        return f"http://127.0.0.1:{self.port}"

    def user_url(self, name: str, path: str = "") -> str:
        """Absolute URL of ``path`` in ``name``'s server: the one place that builds it.

        Each user's server has its own origin (``JupyterHub.subdomain_host``):
        ``http://<name>.localhost:<port>/user/<name>/<path>`` for the default hub.
        """
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{user_host(name, parts.netloc)}/user/{name}/{path.lstrip('/')}"

    @property
    def admin_token(self) -> str:
        """API token of the hub's ``classroom-admin`` service (tests, bench)."""
        return _token_file(self.state, "admin_api_token")

    @property
    def memo_dir(self) -> Path:
        """The shared read-only data memo (beside the drop box)."""
        return self.class_dir.parent / "memo"

    def prepare(self) -> Path:
        """Roster, accounts, drop box and passwords; return the passwords file."""
        if not PROXY.exists():
            raise FileNotFoundError(
                f"{PROXY} is missing: run `make classroom-setup` (npm install in classroom/)"
            )
        self.members = read_roster(self.roster)
        ensure_accounts(self.members, self.homes, self.group)
        ensure_class_dir(self.class_dir, self.group)
        ensure_memo(self.memo_dir)
        protect_solutions(self.group)
        closed = close_git_history()
        if closed:
            print(f"  closed {closed} to other users (solutions in git history)", flush=True)
        check_runnable(self.members[-1].name)
        path = ensure_passwords(self.members, self.state)
        self.admin_token  # noqa: B018 - create it before the hub reads it
        return path

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "S400LAB_HUB_STATE": str(self.state),
                "S400LAB_HUB_PORT": str(self.port),
                "S400LAB_HUB_PUBLIC_URL": self.url,
                "S400LAB_HUB_INTERNAL_PORT": str(self.hub_port or free_port()),
                "S400LAB_HUB_PROXY_API_PORT": str(self.proxy_api_port or free_port()),
                "S400LAB_HUB_SUBMIT_PORT": str(self.submit_port or free_port()),
                "S400LAB_HUB_HOMES": str(self.homes),
                "S400LAB_HUB_ROSTER": str(self.roster),
                "S400LAB_HUB_GROUP": self.group,
                "S400LAB_CLASS_DIR": str(self.class_dir),
                "S400LAB_HUB_CULL_TIMEOUT": str(self.cull_timeout),
                "S400LAB_HUB_CULL_EVERY": str(self.cull_every),
                "S400LAB_HUB_MEMO": str(self.memo_dir),
                "S400LAB_HUB_PREHEAT": "1" if self.preheat else "0",
                "S400LAB_HUB_POLL_INTERVAL": str(self.poll_interval),
                "PATH": f"{VENV_BIN}:{env.get('PATH', '/usr/bin:/bin')}",
            }
        )
        return env

    def argv(self) -> list[str]:
        return [str(VENV_BIN / "jupyterhub"), "-f", str(CONFIG)]

    def start(self, timeout: float = 90.0, log: Path | None = None) -> Hub:
        """Start in the background (own process group); wait until the hub answers."""
        self.prepare()
        out = open(log or (self.state / "hub.log"), "ab")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            self.argv(),
            cwd=self.state,
            env=self.env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_default_sigint,
        )
        out.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.api_base}/hub/api/", timeout=3) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        self.stop()
        raise TimeoutError(f"hub did not answer on {self.url} in {timeout:.0f} s\n{self.log_tail()}")

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join((self.state / "hub.log").read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    def api(self, method: str, path: str, body: dict | None = None) -> object:
        """Call the hub's REST API with the admin service token."""
        req = urllib.request.Request(
            f"{self.api_base}/hub/api{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.admin_token}"},
        )
        with urllib.request.urlopen(req, timeout=30) as r:
            data = r.read()
        return json.loads(data) if data else None

    def server_ready(self, name: str) -> bool:
        """True once the user's default server is up (hub API)."""
        user = self.api("GET", f"/users/{name}")
        server = (user or {}).get("servers", {}).get("", {})  # type: ignore[union-attr]
        return bool(server.get("ready"))

    def prespawn(
        self, names: list[str], parallel: int = 2, timeout: float = 900.0, progress: bool = False
    ) -> dict[str, float]:
        """Start these users' servers before they log in (the hub's API with the
        ``classroom-admin`` service's token), at most ``parallel`` starting at once; return the
        seconds each took from its request to ready.

        A student who then logs in only authenticates and is sent to the running server, whose
        explorer kernel is already warm: the server start, the copy of the workbook and the
        explorer notebook's first run are paid before the class arrives instead of during the
        login burst. A server already running is left as it is (0 s). Servers idle for the hub's
        cull timeout (``--cull-timeout``, default an hour) are stopped again: prespawn within
        that time before the class.
        """
        todo, active, took = list(names), {}, {}
        end = time.monotonic() + timeout
        while todo or active:
            while todo and len(active) < max(1, parallel):
                name = todo.pop(0)
                try:
                    self.api("POST", f"/users/{name}/server")
                except urllib.error.HTTPError as err:
                    if err.code != 400:  # 400: already running (or stopping: wait below)
                        raise
                except urllib.error.URLError as err:
                    if isinstance(err.reason, ConnectionRefusedError):
                        raise  # no hub there at all
                    # a busy hub answers late; the spawn goes on, wait for it below
                except TimeoutError:
                    pass
                active[name] = time.monotonic()
            for name, t0 in list(active.items()):
                with contextlib.suppress(urllib.error.URLError, TimeoutError):
                    if self.server_ready(name):
                        took[name] = time.monotonic() - t0
                        del active[name]
                        if progress:
                            done = f"{len(took)}/{len(names)}"
                            print(f"  {name}: ready in {took[name]:.1f} s ({done})", flush=True)
            if time.monotonic() > end:
                raise TimeoutError(f"servers not ready in {timeout:.0f} s: {', '.join([*active, *todo])}")
            if active:
                time.sleep(0.5)
        return took

    def stop_server(self, name: str) -> None:
        try:
            self.api("DELETE", f"/users/{name}/server")
        except urllib.error.HTTPError as err:
            if err.code not in (202, 204, 400, 404):
                raise

    def stop(self, grace: float = 20.0) -> None:
        """SIGTERM the hub's process group (the hub stops the students' servers), then kill."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=grace)


# --------------------------------------------------------------------------- CLI


def _print_login(hub: Hub, passwords: Path) -> None:
    instructors = [m.name for m in hub.members if m.role == "instructor"]
    n_students = sum(m.role == "student" for m in hub.members)
    print(
        f"""
s400lab classroom hub
  URL          {hub.url}/   (127.0.0.1 only; put a TLS reverse proxy in front to open it to a class)
  servers      {hub.url.replace("://", "://<name>.", 1)}/user/<name>/   (each user's server on its own origin)
  users        {", ".join(instructors)} (instructor) + {n_students} students from {hub.roster}
  passwords    {passwords}   (one per user, generated at first start; hand them out, never commit)
  explorer     {hub.url}/hub/user-redirect/voila/render/s400lab/notebooks/30_scenario_explorer.ipynb
               (every user lands on it after logging in; JupyterLab: {hub.url}/hub/user-redirect/lab)
  forecasts    {hub.class_dir}   (students submit from notebook 60; instructors read)
  instructor   s400lab/instructor_class_results.ipynb in the instructor's home
  idle servers stopped after {hub.cull_timeout} s; Ctrl-C stops the hub and every student server
""",
        flush=True,
    )
    exposed = git_history_readable()
    if exposed:
        print(
            f"  WARNING      {exposed} is readable by every user: students can read the solutions from\n"
            "               git history; run the hub from a checkout whose .git is 0700 (docs/classroom.md)",
            flush=True,
        )


def _prespawn(args: argparse.Namespace) -> int:
    """``hubctl.py prespawn``: start the roster's students' servers on the running hub."""
    members = read_roster(args.roster)
    names = args.names or [m.name for m in members if m.role == "student"]
    unknown = sorted(set(names) - {m.name for m in members})
    if unknown:
        raise RosterError(f"not on the roster {args.roster}: {', '.join(unknown)}")
    hub = Hub(roster=args.roster.resolve(), state=args.state.resolve(), port=args.port)
    if not (hub.state / "admin_api_token").exists():
        raise FileNotFoundError(f"no hub state in {hub.state}: start the hub first (make classroom)")
    t0 = time.monotonic()
    print(f"starting {len(names)} servers, {args.parallel} at a time ...", flush=True)
    try:
        took = hub.prespawn(names, parallel=args.parallel, progress=True)
    except urllib.error.URLError as exc:
        raise RuntimeError(f"no hub answers on {hub.api_base} ({exc.reason}): is it running?") from exc
    print(
        f"{len(took)} servers ready in {time.monotonic() - t0:.0f} s; each student's login now only "
        f"authenticates (idle servers are stopped after the hub's cull timeout)",
        flush=True,
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("start", "remove-users", "prespawn"):
        p = sub.add_parser(name)
        p.add_argument("--roster", type=Path, default=DEFAULTS["roster"])
        p.add_argument("--group", default=DEFAULTS["group"])
        if name == "prespawn":
            p.description = (
                "start the students' servers before the class arrives (a running hub: "
                "`make classroom` in another terminal), so that a login only authenticates"
            )
            p.add_argument("--port", type=int, default=8000, help="the running hub's port")
            p.add_argument("--state", type=Path, default=DEFAULTS["state"])
            p.add_argument(
                "--parallel", type=int, default=max(1, (os.cpu_count() or 2)), help="servers starting at once"
            )
            p.add_argument("names", nargs="*", help="only these users (default: every student on the roster)")
        if name == "start":
            p.add_argument("--port", type=int, default=8000)
            p.add_argument(
                "--public-url",
                default="",
                help="public origin of the hub behind a TLS proxy (https://hub.example.org); "
                "users' servers are on <name>.<that host> (wildcard DNS and certificate); "
                "default http://localhost:PORT",
            )
            p.add_argument("--state", type=Path, default=DEFAULTS["state"])
            p.add_argument("--homes", type=Path, default=DEFAULTS["homes"])
            p.add_argument("--class-dir", type=Path, default=DEFAULTS["class_dir"])
            p.add_argument("--cull-timeout", type=int, default=3600)
    args = ap.parse_args(argv)
    try:
        if args.cmd == "remove-users":
            removed = remove_accounts(read_roster(args.roster), args.group)
            print(f"removed {len(removed)} accounts: {' '.join(removed)}")
            return 0
        if args.cmd == "prespawn":
            return _prespawn(args)
        hub = Hub(
            roster=args.roster.resolve(),
            state=args.state.resolve(),
            homes=args.homes,
            class_dir=args.class_dir,
            group=args.group,
            port=args.port,
            public_url=args.public_url,
            cull_timeout=args.cull_timeout,
        )
        passwords = hub.prepare()
    except (RosterError, PermissionError, FileNotFoundError, RuntimeError, TimeoutError) as exc:
        print(f"classroom: {exc}", file=sys.stderr)
        return 2
    _print_login(hub, passwords)
    os.chdir(hub.state)
    os.execve(hub.argv()[0], hub.argv(), hub.env())
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
