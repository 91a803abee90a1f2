# JupyterHub configuration for the s400lab classroom (started by classroom/hubctl.py).
#
# Every setting that differs between `make classroom`, the tests and the load test comes from an
# S400LAB_HUB_* environment variable that hubctl.py sets. Summary:
#   - 127.0.0.1 only (hub, proxy, its API and the students' servers);
#   - RosterAuthenticator: one generated password per roster user (hashes in the state dir);
#   - LocalProcessSpawner: each user's server runs as that user's own Unix account, with a
#     private umask (077) and a 0700 home, so students cannot read each other's files;
#   - on first login the user's home gets a copy of the notebooks and data (s400lab/);
#     instructors also get the solutions and the class-results notebook;
#   - warm servers: each lands on the explorer (Voila), whose kernel is kept preheated from the
#     server's start (classroom/singleuser/warm_kernels.py), and reads the hub's shared, read-only data
#     memo (the data validated once at hub start, so no kernel repeats the Frictionless passes);
#   - jupyterhub-idle-culler stops servers idle for S400LAB_HUB_CULL_TIMEOUT seconds;
#   - one origin per user (--- origins) and RBAC roles with no hub admins (--- roles), issue 20.
# ruff: noqa: F821  (`c` is injected by JupyterHub)

import os
import pwd
import shutil
import sys
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import hubctl  # noqa: E402
from roster_auth import RosterAuthenticator  # noqa: E402

env = os.environ
STATE = Path(env["S400LAB_HUB_STATE"])
CLASS_DIR = env["S400LAB_CLASS_DIR"]
VENV_BIN = Path(sys.executable).parent
members = hubctl.read_roster(env["S400LAB_HUB_ROSTER"])
instructors = {m.name for m in members if m.role == "instructor"}
students = {m.name for m in members if m.role == "student"}

# --- network: loopback only --------------------------------------------------------------------
c.JupyterHub.bind_url = f"http://127.0.0.1:{env['S400LAB_HUB_PORT']}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env["S400LAB_HUB_INTERNAL_PORT"])
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env['S400LAB_HUB_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.command = [str(hubctl.PROXY)]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.Spawner.ip = "127.0.0.1"

# --- state (git-ignored, 0700) -------------------------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# --- authentication: roster + generated passwords --------------------------------------------------
c.JupyterHub.authenticator_class = RosterAuthenticator
c.RosterAuthenticator.users_file = str(STATE / "users.json")
c.Authenticator.allowed_users = {m.name for m in members}
# no hub admins: instructors get the "instructor" role below (--- roles)


# --- spawner: real Unix users --------------------------------------------------------------------
class ClassSpawner(LocalProcessSpawner):
    """LocalProcessSpawner with a private umask: files a student creates are theirs alone."""

    def make_preexec_fn(self, name):
        become = super().make_preexec_fn(name)
        limit = _limits_preexec(name)  # as root, before becoming the user (block "limits")

        def preexec():
            limit()
            become()
            os.umask(0o077)

        return preexec

    def get_args(self):
        return [*super().get_args(), *_limits_args()]

    def get_env(self):
        env = super().get_env()
        home = pwd.getpwnam(self.user.name).pw_dir
        env.update(
            {
                "S400LAB_DATA": f"{home}/s400lab/data",  # the user's own copy of the data
                "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
                "MPLCONFIGDIR": f"{home}/.config/matplotlib",
                # classroom/jupyter-config: no extension installs (read-only extension manager),
                # no news or update checks, no language-server autodetection (it runs npm at every
                # server start): less CPU at the login burst and nothing reaches the network
                "JUPYTER_CONFIG_PATH": str(HERE / "jupyter-config"),
                # the data validated once by the hub (hubctl.ensure_memo): read, never written
                "S400LAB_SHARED_CACHE_DIR": os.environ.get("S400LAB_HUB_MEMO", ""),
                "S400LAB_EXPLORER_PREHEAT": os.environ.get("S400LAB_HUB_PREHEAT", "1"),
            }
        )
        env.update(_submission_env(self.user.name))
        env.update(_limits_env())
        return env


def _copy_workbook(spawner):
    """First login: copy the notebooks and data into ~/s400lab (owned by the user)."""
    user = pwd.getpwnam(spawner.user.name)
    home = Path(user.pw_dir)
    target = home / "s400lab"
    if target.exists():
        return
    is_instructor = spawner.user.name in instructors
    # scenarios and briefs saved in the repository's notebooks/ are the instructor's, not the class's
    ignore = shutil.ignore_patterns(
        ".ipynb_checkpoints", "*.json", "*.html", *([] if is_instructor else ["solutions"])
    )
    tmp = home / ".s400lab-copying"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(REPO / "notebooks", tmp / "notebooks", ignore=ignore)
    shutil.copytree(REPO / "data", tmp / "data", ignore=shutil.ignore_patterns("__pycache__"))
    if is_instructor:
        shutil.copy2(HERE / "instructor_class_results.ipynb", tmp)
    for root, dirs, files in os.walk(tmp):
        for n in [root, *(os.path.join(root, d) for d in dirs), *(os.path.join(root, f) for f in files)]:
            os.chown(n, user.pw_uid, user.pw_gid)
            os.chmod(n, 0o700 if os.path.isdir(n) else 0o600)
    tmp.rename(target)


c.JupyterHub.spawner_class = ClassSpawner
c.Spawner.cmd = [str(VENV_BIN / "jupyterhub-singleuser")]
c.Spawner.pre_spawn_hook = _copy_workbook
# the landing page: the explorer (its kernel preheated); JupyterLab is at /user/<name>/lab
c.Spawner.default_url = "/voila/render/s400lab/notebooks/30_scenario_explorer.ipynb"
c.Spawner.notebook_dir = "~"
c.Spawner.start_timeout = 300  # twenty students logging in at once on two cores
c.Spawner.http_timeout = 300
c.Spawner.poll_interval = int(env.get("S400LAB_HUB_POLL_INTERVAL", "30"))

# --- idle culling and the admin service used by tests/bench ------------------------------------------
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={env.get('S400LAB_HUB_CULL_TIMEOUT', '3600')}",
            f"--cull-every={env.get('S400LAB_HUB_CULL_EVERY', '300')}",
        ],
    },
    {"name": "classroom-admin", "api_token": (STATE / "admin_api_token").read_text().strip()},
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "services": ["idle-culler"],
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    },
    {
        "name": "classroom-admin",
        "services": ["classroom-admin"],
        "scopes": ["list:users", "read:users", "admin:servers", "admin:users"],
    },
]


# --- origins: one origin per user (issue 20) ------------------------------------------------------
# Each user's server is served on its own host, <name>.<hub host> (for loopback
# http://<name>.localhost:<port>: browsers send *.localhost to 127.0.0.1), the hub on the hub host
# (http://localhost:<port>). A page a student's server serves (and a student controls what it
# serves: it runs as them) is then another origin and another site than the hub and every other
# server: the browser neither lets it read the hub's pages or API nor sends it anyone's hub cookie.
PUBLIC_URL = env["S400LAB_HUB_PUBLIC_URL"]
c.JupyterHub.subdomain_host = PUBLIC_URL
HUB_DOMAIN = PUBLIC_URL.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[0].lower()
# behind TLS (--public-url https://...): __Host- cookies, which a server on a subdomain cannot
# overwrite ("cookie tossing"); they need https, so not on the loopback default
c.JupyterHub.cookie_host_prefix_enabled = PUBLIC_URL.startswith("https://")


def _hub_pages_only_on_the_hub_host():
    """The proxy sends every host's unrouted requests to the hub; on a user's host the hub would
    answer its own pages (/hub/login, /hub/token) there, in that user's origin. Send any request
    for a user's host that reaches the hub to the same path on the hub's host instead."""
    from jupyterhub.handlers.base import BaseHandler

    prepare = BaseHandler.prepare

    async def guarded_prepare(self):
        host = (self.request.host or "").rsplit(":", 1)[0].lower()
        if host.endswith("." + HUB_DOMAIN):
            self.redirect(PUBLIC_URL.rstrip("/") + self.request.uri)
            return
        return await prepare(self)

    BaseHandler.prepare = guarded_prepare


_hub_pages_only_on_the_hub_host()

# Defence in depth for what a server serves: nothing from the user's home. Jupyter's data and
# config folders (templates, static files, lab extensions, custom.js) point at empty read-only
# folders, and JupyterHub drops home paths from the servers' search paths; the user keeps
# writable folders only for JupyterLab's settings and workspaces and the kernels' runtime files,
# none of which is served as a page.
USER_JUPYTER = Path(CLASS_DIR).parent / "user-jupyter"
for _sub in ("config", "data"):
    (USER_JUPYTER / _sub).mkdir(parents=True, exist_ok=True)
    os.chown(USER_JUPYTER / _sub, 0, 0)
    os.chmod(USER_JUPYTER / _sub, 0o755)
os.chmod(USER_JUPYTER, 0o755)
c.Spawner.disable_user_config = True


def _home(spawner):
    return pwd.getpwnam(spawner.user.name).pw_dir


c.Spawner.environment.update(
    {
        "JUPYTER_CONFIG_DIR": str(USER_JUPYTER / "config"),
        "JUPYTER_DATA_DIR": str(USER_JUPYTER / "data"),
        "JUPYTER_RUNTIME_DIR": lambda sp: f"{_home(sp)}/.local/share/jupyter/runtime",
        "JUPYTERLAB_SETTINGS_DIR": lambda sp: f"{_home(sp)}/.jupyter/lab/user-settings",
        "JUPYTERLAB_WORKSPACES_DIR": lambda sp: f"{_home(sp)}/.jupyter/lab/workspaces",
    }
)
# and a Content-Security-Policy on every response of a user's server, static files included:
# classroom/jupyter-config/s400lab_server_csp.py (loaded through JUPYTER_CONFIG_PATH, above)

# --- roles: what instructors and students may do through the hub (issue 20) ------------------------
# Nobody is a hub admin (`admin_access` has had no effect since JupyterHub 2.0: an admin may enter
# every server). Instructors manage the class without entering students' servers: they list the
# users, see and start/stop students' servers and use the admin page for that; they do NOT get
# `access:servers` (a student's files, kernels, terminals) nor `tokens` for anyone else, and no
# admin scope. Reading the drop box and the merge happen in their own server, through the Unix
# group (docs/classroom.md). Students keep JupyterHub's default "user" role: their own server and
# tokens, nothing about anyone else.
c.JupyterHub.load_roles = [
    *c.JupyterHub.load_roles,
    # `users: []` states that nobody holds the admin role, so a user made admin by an earlier
    # configuration (instructors used to be) loses it at the next start
    {"name": "admin", "users": []},
    {
        "name": "instructor",
        "description": "Manage the class: list users, see, start and stop students' servers",
        "users": sorted(instructors),
        "scopes": [
            "admin-ui",
            "list:users",
            "read:users",
            "read:servers",
            *(f"servers!user={name}" for name in sorted(students)),
        ],
    },
]

# --- submission service (docs/classroom.md, "Submissions") ----------------------------------------
# Students hand in through a hub service, never into a folder they can write: the service asks
# the hub whose token a request carries, stamps that login and its own clock, and appends to the
# class store (root:<instructors>, 2750), which only instructors read.
SUBMIT_SERVICE = "s400lab-submit"
SUBMIT_URL = f"http://127.0.0.1:{env['S400LAB_HUB_SUBMIT_PORT']}"


def _submission_env(name):
    """Every server gets the service's address; only instructors get the store's path."""
    out = {"S400LAB_SUBMIT_URL": f"{SUBMIT_URL}/services/{SUBMIT_SERVICE}/"}
    if name in instructors:
        out["S400LAB_CLASS_DIR"] = CLASS_DIR
    return out


c.JupyterHub.services.append(
    {
        "name": SUBMIT_SERVICE,
        "url": SUBMIT_URL,
        "command": [sys.executable, str(HERE / "submit_service.py")],
        "environment": {"S400LAB_CLASS_DIR": CLASS_DIR, "PYTHONUNBUFFERED": "1"},
        "display": False,
        "oauth_no_confirm": True,
    }
)
c.JupyterHub.load_roles.append(
    {
        "name": "s400lab-submitters",
        "description": "hand in forecasts and scenarios to the class submission service",
        "users": sorted(m.name for m in members),
        "scopes": [f"access:services!service={SUBMIT_SERVICE}"],
    }
)
# instructors may read every student's hand-ins from the service (GET api/class); students
# hold no such scope
READ_CLASS = "custom:s400lab-submit:read-class"
c.JupyterHub.custom_scopes = {
    READ_CLASS: {"description": "read every student's hand-ins from the s400lab-submit service"}
}
c.JupyterHub.load_roles.append(
    {
        "name": "s400lab-class-readers",
        "description": "instructors: read the class's hand-ins from the submission service",
        "users": sorted(instructors),
        "scopes": [READ_CLASS],
    }
)
# the server's own token ($JUPYTERHUB_API_TOKEN) may reach the service: the default server
# scopes plus those (a token only ever gets the scopes its user holds)
c.Spawner.server_token_scopes = [
    "users:activity!user",
    "access:servers!server",
    f"access:services!service={SUBMIT_SERVICE}",
    READ_CLASS,
]


# --- limits (docs/classroom.md, "Limits"; classroom/limits.py) ---------------------------------------
# Per student: a cgroup (memory, processes, CPU) where the machine has a writable hierarchy,
# rlimits always, a private 256 MiB /dev/shm, and a kernel count on the server's command line.
import limits as _limits  # noqa: E402

LIMITS = _limits.Limits.from_env(env)


def _limits_preexec(name):
    cgroups = _limits.make_cgroups(name, LIMITS)
    if cgroups.why_not:
        print(f"s400lab limits for {name}: {cgroups.why_not}", file=sys.stderr, flush=True)
    return _limits.preexec(LIMITS, cgroups)


def _limits_args():
    return [
        # the limited manager, keeping the explorer's kernel preheated (singleuser/warm_kernels.py)
        "--ServerApp.kernel_manager_class=warm_kernels.WarmExplorerKernelManager",
        f"--LimitedKernelManager.max_kernels={LIMITS.kernels}",
    ]


def _limits_env():
    return {"PYTHONPATH": str(HERE / "singleuser")}


# --- login (docs/classroom.md, "Logins"; classroom/login_guard.py) -----------------------------------
# Back-off after 5 failed logins per (name, address) and 50 per address; hashing in a thread;
# unknown names hashed against a dummy.
c.RosterAuthenticator.free_failures = int(env.get("S400LAB_HUB_LOGIN_FREE_FAILURES", 5))
c.RosterAuthenticator.free_failures_per_address = int(env.get("S400LAB_HUB_LOGIN_FREE_PER_ADDRESS", 50))
