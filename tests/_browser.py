"""Start local JupyterLab / Voila servers and a headless Chromium (tests and benchmarks).

This helper is shared by ``tests/browser`` and ``benchmarks/explorer_bench.py``, so both drive
the explorer the same way; it is test tooling and lives outside the installed package.
Everything binds to 127.0.0.1, token authentication stays on (a random token per server) and a
server is stopped by its own process group, never by name.

Nothing here is imported by the explorer itself; Playwright is imported lazily by callers.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

#: Chromium flags that work headless as root on a machine without a display and with a
#: network that refuses most hosts (see docs: browser testing notes).
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def chromium_path() -> str | None:
    """Return the Chromium executable to drive, or None if there is none.

    ``$S400LAB_CHROMIUM`` wins; then ``/usr/bin/chromium`` (Debian's package); then ``chromium``
    on ``PATH``.
    """
    env = os.environ.get("S400LAB_CHROMIUM")
    if env:
        return env if os.path.exists(env) else None
    if os.path.exists("/usr/bin/chromium"):
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _bin(name: str) -> str:
    """Path of a console script installed next to the running interpreter."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise FileNotFoundError(f"cannot find the {name!r} command next to {sys.executable}")
    return found


@dataclass
class LocalServer:
    """A Jupyter-family server process on 127.0.0.1 with a token.

    Use as a context manager, or call :meth:`start` and :meth:`stop`.
    """

    argv: list[str]
    port: int
    token: str
    cwd: str
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen | None = None
    workdir: str = ""

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/", token: bool = True) -> str:
        """Absolute URL of ``path``, with ``?token=...`` unless ``token=False``."""
        sep = "&" if "?" in path else "?"
        return f"{self.base}{path}{sep}token={self.token}" if token else f"{self.base}{path}"

    @property
    def log_path(self) -> Path:
        return Path(self.workdir) / "server.log"

    def log_tail(self, n: int = 40) -> str:
        """Last ``n`` lines of the server's log (for error messages)."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    def start(self, timeout: float = 90.0) -> LocalServer:
        """Start the process in its own process group and wait until it answers HTTP."""
        env = dict(os.environ)
        env.update(self.env)
        log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self._log = log
        self.proc = subprocess.Popen(
            self.argv,
            cwd=self.cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"server exited with code {self.proc.returncode}: {' '.join(self.argv)}\n"
                    f"{self.log_tail()}"
                )
            if self.status("/", token=False) is not None:
                return self
            time.sleep(0.25)
        self.stop()
        raise TimeoutError(f"server on port {self.port} did not answer in {timeout:.0f} s\n{self.log_tail()}")

    def status(self, path: str = "/", token: bool = True) -> int | None:
        """HTTP status of a GET (redirects not followed), or None if nothing answers."""

        class _NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(self.url(path, token=token), timeout=5) as resp:
                return int(resp.status)
        except urllib.error.HTTPError as err:
            return int(err.code)
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return None

    def stop(self, grace: float = 10.0) -> None:
        """Terminate the server's process group (SIGTERM, then SIGKILL after ``grace`` s)."""
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            try:
                pgid = os.getpgid(proc.pid)
            except ProcessLookupError:
                pgid = None
            if pgid is not None and pgid == proc.pid:  # our own session: kill the group
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pgid, signal.SIGTERM)
            else:
                proc.terminate()
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=grace)
        log = getattr(self, "_log", None)
        if log is not None:
            log.close()
            self._log = None
        if self.workdir and os.environ.get("S400LAB_KEEP_SERVER_DIRS") != "1":
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = ""

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _private_jupyter_env(workdir: Path) -> dict[str, str]:
    """Jupyter config/data/runtime dirs inside ``workdir``: a fresh profile per server.

    The user's own ~/.jupyter is not read or written; the kernelspecs installed in the
    running environment stay visible through ``sys.prefix``.
    """
    dirs = {name: workdir / name for name in ("config", "runtime", "settings", "workspaces")}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    # JupyterLab's news pop-up can cover the page in a fresh profile: turn it off.
    notif = dirs["settings"] / "@jupyterlab" / "apputils-extension"
    notif.mkdir(parents=True, exist_ok=True)
    (notif / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}'
    )
    return {
        "JUPYTER_CONFIG_DIR": str(dirs["config"]),
        "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
        "JUPYTERLAB_SETTINGS_DIR": str(dirs["settings"]),
        "JUPYTERLAB_WORKSPACES_DIR": str(dirs["workspaces"]),
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "MPLBACKEND": "agg",
        "JUPYTER_DATA_DIR": str(workdir / "data"),
    }


def jupyterlab_server(root_dir: str | Path, port: int | None = None, token: str | None = None) -> LocalServer:
    """A JupyterLab server (not yet started) serving ``root_dir`` on 127.0.0.1.

    Token authentication is on (random token unless given); ``--allow-root`` is added only when
    running as root; news and update checks are off; no browser is opened.
    """
    port = port or free_port()
    token = token or secrets.token_hex(16)
    workdir = Path(tempfile.mkdtemp(prefix="s400lab-lab-"))
    argv = [
        _bin("jupyter"),
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={Path(root_dir).resolve()}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--ServerApp.disable_check_xsrf=False",
        "--MappingKernelManager.cull_idle_timeout=600",
        "--MappingKernelManager.cull_interval=60",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")
    return LocalServer(
        argv=argv,
        port=port,
        token=token,
        cwd=str(root_dir),
        env=_private_jupyter_env(workdir),
        workdir=str(workdir),
    )


def voila_server(
    notebook: str | Path, port: int | None = None, token: str | None = None, cull_idle_s: int = 120
) -> LocalServer:
    """A Voila server (not yet started) rendering ``notebook`` on 127.0.0.1 with a token.

    Sources are stripped (dashboard mode), no browser is opened.
    """
    notebook = Path(notebook).resolve()
    port = port or free_port()
    token = token or secrets.token_hex(16)
    workdir = Path(tempfile.mkdtemp(prefix="s400lab-voila-"))
    from s400lab.ui.dashboard import voila_args

    argv = [
        _bin("voila"),
        str(notebook),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--Voila.port_retries=0",
        f"--Voila.token={token}",
        "--strip_sources=True",
        # the dashboard's own settings (kernel shutdown on close; culling as a safety net,
        # shorter here so a test run never leaves kernels for long)
        *voila_args(cull_idle_s=cull_idle_s, cull_interval_s=30),
    ]
    return LocalServer(
        argv=argv,
        port=port,
        token=token,
        cwd=str(notebook.parent),
        env=_private_jupyter_env(workdir),
        workdir=str(workdir),
    )


def launch_chromium(playwright, **kwargs):
    """Launch headless Chromium (``playwright.chromium``) with the flags that work here."""
    path = chromium_path()
    if path is None:
        raise FileNotFoundError(
            "Chromium not found: install it (make browser) or set S400LAB_CHROMIUM=/path/to/chromium"
        )
    return playwright.chromium.launch(executable_path=path, headless=True, args=list(CHROMIUM_ARGS), **kwargs)


# --------------------------------------------------------------------------- driving the explorer

#: JavaScript returning ``{outcome: shown text}`` of the explorer's outcomes table ("This
#: scenario" column).
READ_TABLE_JS = """() => {
  const out = {};
  for (const td of document.querySelectorAll("table.s400-outcomes tr[data-outcome] td.v")) {
    out[td.parentElement.dataset.outcome] = td.textContent.trim();
  }
  return out;
}"""

#: JavaScript (argument: expected mapping) that is true once every expected cell shows its text.
TABLE_MATCHES_JS = """(expected) => {
  for (const [k, v] of Object.entries(expected)) {
    const td = document.querySelector(`table.s400-outcomes tr[data-outcome='${k}'] td.v`);
    if (!td || td.textContent.trim() !== v) return false;
  }
  return true;
}"""

#: Install a probe: on each keydown remember the time; when the watched image's ``src`` changes,
#: wait for the new image to decode and for the next animation frame (= painted), then record
#: the latency. ``window.__s400lat`` collects the figures in ms.
LATENCY_PROBE_JS = """(selector) => {
  window.__s400lat = [];
  window.__s400down = null;
  document.addEventListener("keydown", () => { window.__s400down = performance.now(); }, true);
  const img = document.querySelector(selector);
  new MutationObserver(() => {
    const t0 = window.__s400down;
    if (t0 === null) return;
    window.__s400down = null;
    img.decode().catch(() => null).then(() => requestAnimationFrame(() => {
      window.__s400lat.push(performance.now() - t0);
    }));
  }).observe(img, {attributes: true, attributeFilter: ["src"]});
}"""


def expected_texts(values: dict | None = None, preset: str = "status_quo", outcomes=None) -> dict[str, str]:
    """The table texts the explorer must show for a scenario, computed with the model."""
    from s400lab.model import Scenario, run
    from s400lab.model.formatting import central_date_text
    from s400lab.ui.explorer import KEY_OUTCOMES, format_value

    sc = Scenario.preset(preset).with_changes(**(values or {}))
    out = run(sc).outcomes
    end = float(sc.values["start_year"]) + 0.25 * (int(sc.values["horizon_quarters"]) - 1)
    names = [k for k in (outcomes or KEY_OUTCOMES) if k in out.index]

    def text(k: str) -> str:  # a US date of the single run reads "... if not blocked"
        v, unit = float(out.at[k, "value"]), out.at[k, "unit"]
        return central_date_text(k, v, end) if unit == "year" else format_value(v, unit, end)

    return {k: text(k) for k in names}


# --------------------------------------------------------------------------- kernels


def kernel_processes(server: LocalServer) -> list:
    """The ipykernel processes started by ``server`` (psutil.Process objects)."""
    import psutil

    if server.proc is None:
        return []
    try:
        children = psutil.Process(server.proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    out = []
    for child in children:
        try:
            cmd = " ".join(child.cmdline())
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        if "ipykernel" in cmd:
            out.append(child)
    return out


def voila_pool_size() -> int:
    """How many preheated kernels a dashboard server keeps (``s400lab.ui.dashboard.voila_args``)."""
    from s400lab.ui.dashboard import voila_args

    sizes = [int(a.split("=", 1)[1]) for a in voila_args() if a.startswith("--pool_size=")]
    return sizes[0] if sizes else 0


def kernel_count(server: LocalServer) -> int:
    """How many kernels ``server`` is running right now."""
    return len(kernel_processes(server))


def wait_kernels_quiet(
    server: LocalServer, count: int, timeout: float = 120.0, window: float = 1.0, busy: float = 0.05
) -> bool:
    """Wait until ``server`` runs ``count`` kernels that together used less than ``busy`` of one
    core over ``window`` seconds: a preheated kernel has finished running the notebook. False if
    ``timeout`` passed first."""
    import psutil

    def cpu_seconds() -> float:
        total = 0.0
        for proc in kernel_processes(server):
            with contextlib.suppress(psutil.NoSuchProcess):
                t = proc.cpu_times()
                total += t.user + t.system
        return total

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if kernel_count(server) != count:
            time.sleep(0.25)
            continue
        before = cpu_seconds()
        time.sleep(window)
        if kernel_count(server) == count and cpu_seconds() - before < busy * window:
            return True
    return False


def kernel_rss_mb(server: LocalServer) -> list[float]:
    """Resident memory (MB) of each of ``server``'s kernels."""
    import psutil

    out = []
    for proc in kernel_processes(server):
        with contextlib.suppress(psutil.NoSuchProcess):
            out.append(proc.memory_info().rss / 2**20)
    return out
