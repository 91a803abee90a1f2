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
#     server's start (classroom/warm_kernels.py), and reads the hub's shared, read-only data
#     memo (the data validated once at hub start, so no kernel repeats the Frictionless passes);
#   - jupyterhub-idle-culler stops servers idle for S400LAB_HUB_CULL_TIMEOUT seconds.
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
c.Authenticator.admin_users = instructors
c.JupyterHub.admin_access = False  # instructors administer servers but cannot enter students'


# --- spawner: real Unix users --------------------------------------------------------------------
class ClassSpawner(LocalProcessSpawner):
    """LocalProcessSpawner with a private umask: files a student creates are theirs alone."""

    def make_preexec_fn(self, name):
        become = super().make_preexec_fn(name)

        def preexec():
            become()
            os.umask(0o077)

        return preexec

    def get_env(self):
        env = super().get_env()
        home = pwd.getpwnam(self.user.name).pw_dir
        env.update(
            {
                "S400LAB_CLASS_DIR": CLASS_DIR,
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
