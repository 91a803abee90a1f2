"""The one browser harness: local servers, headless Chromium and the explorer's page, driven
the same way by the browser tests, the benchmarks and the classroom load test.

Users: ``tests/browser`` and ``tests/classroom`` (``pythonpath = ["tests"]``),
``benchmarks/explorer_bench.py`` and ``classroom/bench.py`` (both put ``tests/`` on
``sys.path``). It lives in ``tests/`` because it is test tooling, not part of the installed
package, and the test tree is the one place all three already import from; the classroom load
test's smoke round in ``make test`` (``tests/classroom/test_load_smoke.py``) runs these same
functions, so a locator or probe that drifts from the explorer fails there.

Contents:

* servers: JupyterLab and Voila on 127.0.0.1 with a random token, stopped by their own process
  group, never by name; Chromium's path and flags;
* the explorer's page: its locators (the ``s400-*`` CSS classes the explorer sets for tests,
  ``s400-ctl-<parameter>`` on each control), the page-ready waits (first usable control, views
  with dates) and the latency probe (key press or preset -> the last view repainted); each
  driver comes twice, for Playwright's sync API (tests, ``explorer_bench``) and its async API
  (``a``-prefixed: the load test drives many students at once), the two side by side over the
  same selectors and JavaScript;
* the classroom hub's login form and the wait for a student's server.

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
    notebook: str | Path,
    port: int | None = None,
    token: str | None = None,
    cull_idle_s: int = 120,
    pool_size: int = 1,
) -> LocalServer:
    """A Voila server (not yet started) rendering ``notebook`` on 127.0.0.1 with a token.

    Sources are stripped (dashboard mode), no browser is opened.
    """
    notebook = Path(notebook).resolve()
    port = port or free_port()
    token = token or secrets.token_hex(16)
    workdir = Path(tempfile.mkdtemp(prefix="s400lab-voila-"))
    from s400lab.ui.dashboard import voila_args, voila_env

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
        *voila_args(cull_idle_s=cull_idle_s, cull_interval_s=30, pool_size=pool_size),
    ]
    return LocalServer(
        argv=argv,
        port=port,
        token=token,
        cwd=str(notebook.parent),
        env={**_private_jupyter_env(workdir), **voila_env()},  # the dashboard's page template
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

# --------------------------------------------------------------------------- the explorer's page

#: The first control a user can operate: the page is usable once it is there.
FIRST_WIDGET = ".s400-ctl-return_quarter input"
#: The views are drawn with their dates (the Turkiye-US track view's date labels).
VIEWS_READY = ".s400-overlay-track .s400-ann.date"
#: The preset drop-down.
PRESET_SELECT = ".s400-preset select"
#: The view the latency probe watches: the Turkiye-US track, the last view the kernel sends (the
#: views are replaced as HTML, all in one frame), so its repaint means every view is repainted.
REPAINT_WATCH = ".s400-overlay-track .widget-html-content"
#: The control the key-press probe steps (its value moves the track view's dates).
KEY_CONTROL = "return_quarter"
#: A preset that changes every view from the notebook's default (status quo).
PROBE_PRESET = "full_return_cash"


def control(parameter: str, element: str = "input") -> str:
    """Selector of the input (or ``select``) of the explorer's control for ``parameter``."""
    return f".s400-ctl-{parameter} {element}"


#: Install (or reset) the repaint probe: on each keydown, or when ``window.__s400start()`` is
#: called (a preset chosen with the mouse), remember the time; when the watched view's HTML is
#: replaced, wait for its picture to decode and for the next animation frame (= painted), then
#: record the latency in ms in ``window.__s400lat``.
LATENCY_PROBE_JS = """(selector) => {
  window.__s400lat = [];
  window.__s400down = null;
  window.__s400start = () => { window.__s400down = performance.now(); };
  if (window.__s400probe) return;
  window.__s400probe = true;
  document.addEventListener("keydown", () => { window.__s400down = performance.now(); }, true);
  const box = document.querySelector(selector);
  new MutationObserver(() => {
    const t0 = window.__s400down;
    if (t0 === null) return;
    window.__s400down = null;
    const img = box.querySelector("img");
    const decoded = img ? img.decode().catch(() => null) : Promise.resolve();
    decoded.then(() => requestAnimationFrame(() => {
      window.__s400lat.push(performance.now() - t0);
    }));
  }).observe(box, {childList: true, subtree: true});
}"""

_N_LAT = "window.__s400lat.length"


def preset_label(preset_id: str = PROBE_PRESET) -> str:
    """The preset drop-down's label for ``preset_id``."""
    from s400lab.model import presets

    return presets()[preset_id].label


def _key(i: int) -> str:
    return "ArrowUp" if i % 2 == 0 else "ArrowDown"  # one step up, one back: the same two scenarios


# -- sync API (tests, benchmarks/explorer_bench.py)


def open_explorer(page, url: str, *, views: bool = False, timeout_ms: float = 240_000) -> float:
    """Go to ``url`` (a Voila page of the explorer) and wait for the first usable control (and the
    views with dates if ``views``); return the seconds from navigation to the control."""
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=timeout_ms)
    page.wait_for_selector(FIRST_WIDGET, timeout=timeout_ms)
    first = time.perf_counter() - t0
    if views:
        page.wait_for_selector(VIEWS_READY, timeout=timeout_ms)
    return first


def install_probe(page) -> None:
    """Install (or reset) the repaint probe on an explorer page."""
    page.evaluate(LATENCY_PROBE_JS, REPAINT_WATCH)


def preset_latency(page, preset_id: str = PROBE_PRESET, timeout_ms: float = 120_000) -> float:
    """Choose a preset (from another one): seconds to the views repainted."""
    install_probe(page)
    label = preset_label(preset_id)
    page.evaluate("window.__s400start()")
    page.select_option(PRESET_SELECT, label=label)
    page.wait_for_function(f"{_N_LAT} >= 1", timeout=timeout_ms)
    return page.evaluate("window.__s400lat")[0] / 1000.0


def key_press_latencies(
    page, presses: int, *, pause_ms: float = 80, timeout_ms: float = 30_000
) -> list[float]:
    """Press ArrowUp/ArrowDown ``presses + 1`` times on the return-quarter control: seconds from
    each keydown to the views repainted, the first (warm-up) press not counted. The preset must
    be one where that control moves the dates (e.g. :data:`PROBE_PRESET`)."""
    install_probe(page)
    page.locator(control(KEY_CONTROL)).focus()
    for i in range(presses + 1):
        page.keyboard.press(_key(i))
        page.wait_for_function(f"{_N_LAT} >= {i + 1}", timeout=timeout_ms)
        page.wait_for_timeout(pause_ms)
    return [x / 1000.0 for x in page.evaluate("window.__s400lat")[1:]]


# -- async API (classroom/bench.py: many students in one event loop)


async def aopen_explorer(page, url: str | None = None, *, timeout_ms: float = 240_000) -> None:
    """Go to ``url`` (None: stay on the current page) and wait for the first usable control."""
    if url is not None:
        await page.goto(url, wait_until="commit", timeout=timeout_ms)
    await page.wait_for_selector(FIRST_WIDGET, timeout=timeout_ms)


async def ainstall_probe(page) -> None:
    await page.evaluate(LATENCY_PROBE_JS, REPAINT_WATCH)


async def apreset_latency(page, preset_id: str = PROBE_PRESET, timeout_ms: float = 120_000) -> float:
    """Async :func:`preset_latency`."""
    await ainstall_probe(page)
    label = preset_label(preset_id)
    await page.evaluate("window.__s400start()")
    await page.select_option(PRESET_SELECT, label=label)
    await page.wait_for_function(f"{_N_LAT} >= 1", timeout=timeout_ms)
    return (await page.evaluate("window.__s400lat"))[0] / 1000.0


async def akey_press_latencies(
    page, presses: int, *, pause_ms: float = 150, timeout_ms: float = 120_000
) -> list[float]:
    """Async :func:`key_press_latencies` (a student's pace: 150 ms between presses)."""
    await ainstall_probe(page)
    await page.locator(control(KEY_CONTROL)).focus()
    for i in range(presses + 1):
        await page.keyboard.press(_key(i))
        await page.wait_for_function(f"{_N_LAT} >= {i + 1}", timeout=timeout_ms)
        await page.wait_for_timeout(pause_ms)
    return [x / 1000.0 for x in (await page.evaluate("window.__s400lat"))[1:]]


# --------------------------------------------------------------------------- the classroom hub
# ``hub`` is a ``classroom/hubctl.py`` Hub: its ``url``, ``user_url(name, path)`` (the one place a
# user's server address is made) and ``server_ready(name)``.

#: A spawn page that has not moved on this long after the hub reports the server ready is
#: reloaded, as a person would (its progress stream can miss the "ready" event under load).
SPAWN_POLL_MS = 15_000


def hub_login(page, hub, name: str, password: str) -> None:
    """Log in through the hub's login form (the hub then spawns the user's server)."""
    page.goto(f"{hub.url}/hub/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    page.locator("form [type=submit]").click()


def wait_for_server_page(page, hub, name: str, timeout: float = 240.0, wait_until: str = "load") -> int:
    """Wait until the spawn page has moved on to the user's server (its page loaded, or with
    ``wait_until="commit"`` its first byte in); return the reloads made."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    end, ready_seen, reloads = time.monotonic() + timeout, False, 0
    while True:
        try:
            page.wait_for_url(f"**/user/{name}/**", timeout=SPAWN_POLL_MS, wait_until=wait_until)
            return reloads
        except PlaywrightTimeout:
            if time.monotonic() > end:
                raise
            ready = hub.server_ready(name)
            if ready and ready_seen:  # up for a whole poll and the page has not moved on
                reloads += 1
                page.goto(hub.user_url(name))
            ready_seen = ready


async def ahub_login(page, hub, name: str, password: str) -> None:
    """Async :func:`hub_login`."""
    await page.goto(f"{hub.url}/hub/login")
    await page.fill("input[name=username]", name)
    await page.fill("input[name=password]", password)
    await page.locator("form [type=submit]").click()


async def await_server_page(page, hub, name: str, timeout: float = 300.0, wait_until: str = "load") -> int:
    """Async :func:`wait_for_server_page` (the hub API call runs in a thread)."""
    import asyncio

    from playwright.async_api import TimeoutError as PlaywrightTimeout

    end, ready_seen, reloads = time.monotonic() + timeout, False, 0
    while True:
        try:
            await page.wait_for_url(f"**/user/{name}/**", timeout=SPAWN_POLL_MS, wait_until=wait_until)
            return reloads
        except PlaywrightTimeout:
            if time.monotonic() > end:
                raise
            ready = await asyncio.to_thread(hub.server_ready, name)
            if ready and ready_seen:
                reloads += 1
                await page.goto(hub.user_url(name))
            ready_seen = ready


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
