"""Load test of the classroom hub (``make bench-classroom K=5,10,20,30``): K students at once.

Starts a throw-away hub (127.0.0.1, free ports) with its own roster of ``sum(K)`` students and
one instructor, as real Unix users under a temporary directory (root needed). For each K, a fresh
set of K students' servers is first started through the hub's API, ``--prespawn`` at once (what
``make classroom-prespawn`` does before a class; timed and costed apart; ``--prespawn 0``: each
login spawns its server instead). Then the K students arrive within ``--arrive-within`` seconds
(default 60, evenly spread), each in its own Playwright browser context in one headless browser
(Chromium's headless shell where installed, else Debian's Chromium):

1. log in through the hub's login form (the hub sends the student to the server, or spawns it,
   which lands on the Voila explorer): **login -> server** (the server's first byte reaches the
   browser: the hub's part), and wait for the explorer's first usable control: **login -> first
   widget** (a page still blank 60 s after it arrived is reloaded once, counted);
2. choose the preset "full return for a cash refund": **preset -> repaint**;
3. press ArrowUp/ArrowDown on the return-quarter control ``--presses`` times (plus a warm-up
   press, not counted): **key press -> repaint**. A student whose spawn page has not moved on
   15-30 s after the server is up reloads it (counted);
4. submit a forecast with notebook 60's form (a one-cell notebook with the same call, rendered in
   Voila) and wait for "Saved" (:func:`submit_forecast`, the one place a forecast is submitted).

The page is driven by the browser harness shared with the browser tests and ``make bench``
(``tests/_browser.py``: locators, page-ready waits, the repaint probe); the round itself is run
by ``make test`` as a smoke round with K = 2 (``tests/classroom/test_load_smoke.py``), so the
load test cannot drift from the explorer unnoticed.

Meanwhile it samples every 5 s the memory (PSS: shared pages split between processes) of the hub
(hub, proxy, culler) and of each student's processes (server + kernels), keeps the peaks and the
highest 1-minute load average, and counts the CPU time of every part of a login (students'
servers and kernels, hub, proxy, the load test's own browser: ``cpu_account.py``). Then it
merges the drop box as the instructor does and checks every submitted forecast is there, stops
the round's servers and goes on. Printed: one row per K. Bounded: each round has a deadline.
Nothing but loopback is used. Accounts, homes and the hub are removed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import pwd
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE.parent / "tests"))  # _browser.py: the browser harness (test tooling)


import _browser as serve  # noqa: E402
import hubctl  # noqa: E402
import limits  # noqa: E402
from cpu_account import CpuAccount, breakdown_table  # noqa: E402
from throwaway_hub import throwaway_hub  # noqa: E402

from s400lab.analysis import classroom as cls  # noqa: E402

EXPLORER = "s400lab/notebooks/30_scenario_explorer.ipynb"
SUBMIT_NB = "s400lab/notebooks/submit_forecast.ipynb"


def first_question() -> str:
    """The forecast form's first question: the open one resolving soonest (what a student
    who submits without choosing forecasts)."""
    from s400lab.analysis.forecasting import load_questions

    qs = load_questions()
    return str(qs[qs["status"] == "open"].sort_values("resolves_on").index[0])


#: What every student must reach, in order (the smoke round asserts all of them).
STEPS = ("login", "first widget", "preset", "key presses", "forecast")


@dataclass
class StudentRun:
    name: str
    login_to_server: float | None = None  # s: the server's first byte in the browser
    login_to_widget: float | None = None
    preset_s: float | None = None
    key_s: list[float] = field(default_factory=list)
    submitted: bool = False
    reloads: int = 0
    reached: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def submit_notebook() -> str:
    """A one-cell notebook with notebook 60's forecast-form call (the same code path)."""
    import nbformat

    nb60 = nbformat.read(HERE.parent / "notebooks" / "60_seminar_exercises.ipynb", 4)
    call = next(c.source for c in nb60.cells if "forecast_form(" in c.source)
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from pathlib import Path\n\nfrom s400lab.analysis.forecasting import load_questions\n"
            "from s400lab.ui.classroom import forecast_form\n\nquestions = load_questions()\n" + call
        )
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nbformat.writes(nb)


async def submit_forecast(page, hub: hubctl.Hub, name: str, nb_text: str) -> None:
    """Submit one forecast (the form's first question) as ``name``, as a student does with
    notebook 60's form, and wait until the form says it is saved."""
    user = pwd.getpwnam(name)
    nb_path = Path(user.pw_dir) / SUBMIT_NB
    nb_path.write_text(nb_text)
    os.chown(nb_path, user.pw_uid, user.pw_gid)
    await page.goto(hub.user_url(name, f"voila/render/{SUBMIT_NB}"))
    await page.get_by_role("button", name="Submit to class").click()
    await page.get_by_text("Saved").first.wait_for()


#: A student whose explorer shows no control this long after its page arrived reloads it (once
#: more at most). Under load the widgets' state can reach the page later than Voila's widget
#: manager waits for it (4 s, hard-coded: ipywidgets' "control comm" timeout); its fallback does
#: not render ipywidgets 8 widgets, so the page stays blank below the notebook's text.
BLANK_RELOAD_S = 60.0


async def open_explorer_as_a_student(
    page, url: str | None, run: StudentRun, timeout_s: float = 240.0
) -> None:
    """Wait for the explorer's first control (going to ``url`` first unless None), reloading a
    page that stays blank for :data:`BLANK_RELOAD_S` once, as a student would (counted in
    ``run.reloads``). Raises Playwright's TimeoutError after ``timeout_s`` in all."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    end = time.monotonic() + timeout_s
    try:
        await serve.aopen_explorer(page, url, timeout_ms=1e3 * min(BLANK_RELOAD_S, timeout_s))
        return
    except PlaywrightTimeout:
        left = end - time.monotonic()
        if left <= 0:
            raise
    run.reloads += 1
    await page.reload(wait_until="commit")
    await serve.aopen_explorer(page, None, timeout_ms=1e3 * left)


async def student(
    browser, hub: hubctl.Hub, name: str, password: str, presses: int, nb_text: str, delay: float = 0.0
) -> StudentRun:
    """One student's session, arriving after ``delay`` seconds; never raises (errors recorded)."""
    await asyncio.sleep(delay)
    run = StudentRun(name)
    ctx = await browser.new_context(viewport={"width": 1366, "height": 768})
    ctx.set_default_timeout(240_000)
    page = await ctx.new_page()
    # the page's own complaints, named in the error if this student fails (e.g. ipywidgets'
    # "Control comm did not respond in time": the widgets' state came too slowly, page blank)
    console: list[str] = []
    page.on(
        "console",
        lambda m: (
            console.append(m.text[:200]) if m.type in ("error", "warning") and "widget" in m.text else None
        ),
    )
    page.on("pageerror", lambda e: console.append(f"page error: {str(e)[:200]}"))
    step = STEPS[0]
    try:
        t0 = time.monotonic()
        await serve.ahub_login(page, hub, name, password)
        # the first byte from the student's server: the hub's part (spawn) is over
        run.reloads = await serve.await_server_page(page, hub, name, wait_until="commit")
        run.login_to_server = time.monotonic() - t0
        run.reached.append(step)
        step = STEPS[1]
        # the server lands on the explorer (jupyterhub_config.py); go there if it did not
        landing = None if "/voila/render/" in page.url else hub.user_url(name, f"voila/render/{EXPLORER}")
        await open_explorer_as_a_student(page, landing, run)
        run.login_to_widget = time.monotonic() - t0
        run.reached.append(step)
        step = STEPS[2]
        run.preset_s = await serve.apreset_latency(page, serve.PROBE_PRESET)
        run.reached.append(step)
        step = STEPS[3]
        run.key_s = await serve.akey_press_latencies(page, presses)
        run.reached.append(step)
        step = STEPS[4]
        await submit_forecast(page, hub, name, nb_text)
        run.submitted = True
        run.reached.append(step)
    except Exception as exc:
        seen = f" [page: {' | '.join(dict.fromkeys(console))[:300]}]" if console else ""
        run.errors.append(f"{step}: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}{seen}")
        shots = os.environ.get("S400LAB_BENCH_SHOTS")  # a folder: what the student saw, for diagnosis
        if shots:
            with contextlib.suppress(Exception):
                await page.screenshot(path=str(Path(shots) / f"{name}-{step.replace(' ', '_')}.png"))
    finally:
        await ctx.close()
    return run


#: The load test's own browser: Chromium's headless shell (Debian's ``chromium-headless-shell``,
#: the same engine without the desktop browser's UI layers) where it is installed, else the
#: Chromium the browser tests use. ``$S400LAB_BENCH_CHROMIUM`` wins. Measured (docs/classroom.md):
#: the load test's browser costs the machine more CPU than the hub does per student.
HEADLESS_SHELL = "/usr/bin/chromium-headless-shell"
#: On top of the browser tests' flags: no extensions (Debian's wrapper loads its own).
BENCH_CHROMIUM_ARGS = ("--disable-extensions", "--mute-audio")


def bench_chromium() -> str | None:
    env = os.environ.get("S400LAB_BENCH_CHROMIUM")
    if env:
        return env if os.path.exists(env) else None
    return HEADLESS_SHELL if os.path.exists(HEADLESS_SHELL) else serve.chromium_path()


async def launch_bench_browser(playwright):
    """One headless browser for all of a round's students (one context each)."""
    path = bench_chromium()
    if path is None:
        raise FileNotFoundError("Chromium not found (make browser)")
    return await playwright.chromium.launch(
        executable_path=path, headless=True, args=[*serve.CHROMIUM_ARGS, *BENCH_CHROMIUM_ARGS]
    )


async def run_round(
    hub: hubctl.Hub,
    names: list[str],
    passwords: dict[str, str],
    *,
    presses: int,
    nb_text: str,
    deadline_s: float,
    arrive_within: float = 60.0,
    account: CpuAccount | None = None,
) -> list[StudentRun]:
    """Let ``names`` arrive evenly spread over ``arrive_within`` seconds and work at once."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await launch_bench_browser(p)
        if account is not None:  # Playwright's driver and Chromium: every child but the hub
            hub_pid = hub.proc.pid if hub.proc else -1
            for child in psutil.Process().children():
                if child.pid != hub_pid:
                    account.adopt("browser", child.pid)
        try:
            gap = arrive_within / len(names) if names else 0.0
            tasks = [
                asyncio.ensure_future(student(browser, hub, n, passwords[n], presses, nb_text, i * gap))
                for i, n in enumerate(names)
            ]
            await asyncio.wait(tasks, timeout=deadline_s)
            runs = []
            for name, task in zip(names, tasks, strict=True):
                if task.done():
                    runs.append(task.result())
                else:  # keep what the others measured; this student counts as an error
                    task.cancel()
                    runs.append(StudentRun(name, errors=[f"round deadline ({deadline_s:.0f} s)"]))
            return runs
        finally:
            await browser.close()


# --------------------------------------------------------------------------- resources


def _pss_mib(procs) -> float:
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += p.memory_full_info().pss
    return total / 2**20


class Sampler:
    """Every ``every`` s in a thread: hub and per-student PSS (peaks), the 1-minute load average
    (peak) and each process's CPU time (students' and hub's)."""

    def __init__(self, hub: hubctl.Hub, names: list[str], every: float = 5.0) -> None:
        self.hub, self.names, self.every = hub, names, every
        self.hub_peak, self.peak = 0.0, {n: 0.0 for n in names}
        self.load_peak = os.getloadavg()[0]
        self._uid_name = {pwd.getpwnam(n).pw_uid: n for n in names}
        self._cpu: dict[tuple[int, float], tuple[str, float]] = {}  # (pid, start) -> (who, s)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every)

    def sample(self) -> None:
        self.load_peak = max(self.load_peak, os.getloadavg()[0])
        try:
            root = psutil.Process(self.hub.proc.pid)  # type: ignore[union-attr]
            hub_pids = {root.pid} | {c.pid for c in root.children(recursive=True)}
        except (psutil.Error, AttributeError):
            return
        hub_procs: list[Any] = []
        per: dict[str, list[Any]] = {n: [] for n in self.names}
        for proc in psutil.process_iter():
            with contextlib.suppress(psutil.Error):
                uid = proc.uids().real
                if uid in self._uid_name:
                    who = "student"
                    per[self._uid_name[uid]].append(proc)
                elif proc.pid in hub_pids and uid == 0:
                    who = "hub"
                    hub_procs.append(proc)
                else:
                    continue
                t = proc.cpu_times()
                self._cpu[(proc.pid, proc.create_time())] = (who, t.user + t.system)
        self.hub_peak = max(self.hub_peak, _pss_mib(hub_procs))
        for n, procs in per.items():
            self.peak[n] = max(self.peak[n], _pss_mib(procs))

    def cpu_seconds(self, who: str) -> float:
        """CPU time (user + system) used by the students' or the hub's processes while sampled.

        Processes that started before the round are counted in full (the hub's only); a process
        that ended between two samples loses at most its last ``every`` seconds.
        """
        return sum(sec for w, sec in self._cpu.values() if w == who)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()


# --------------------------------------------------------------------------- figures


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def summarise(hub: hubctl.Hub, runs: list[StudentRun], sampler: Sampler, wall: float) -> dict[str, Any]:
    """One table row for a round; checks the instructor's merge for every submitted forecast."""
    k = len(runs)
    sub = cls.collect_submissions(hub.class_dir)
    question = first_question()
    submitted = [(r.name, question) for r in runs if r.submitted]
    missing = cls.expected_in(sub.forecasts, submitted)
    logins = [r.login_to_widget for r in runs if r.login_to_widget is not None]
    servers = [r.login_to_server for r in runs if r.login_to_server is not None]
    keys = [1e3 * x for r in runs for x in r.key_s]
    presets = [1e3 * r.preset_s for r in runs if r.preset_s is not None]
    per = list(sampler.peak.values())
    return {
        "K": k,
        "login_p50": _pct(logins, 50),
        "login_p95": _pct(logins, 95),
        "login_max": max(logins, default=float("nan")),
        "server_p50": _pct(servers, 50),
        "server_p95": _pct(servers, 95),
        "preset_p50": _pct(presets, 50),
        "preset_p95": _pct(presets, 95),
        "key_p50": _pct(keys, 50),
        "key_p95": _pct(keys, 95),
        "n_keys": len(keys),
        "hub_mib": sampler.hub_peak,
        "student_mib": statistics.mean(per) if per else float("nan"),
        "student_max": max(per, default=float("nan")),
        "cpu_per_student": sampler.cpu_seconds("student") / k if k else float("nan"),
        "errors": [f"{r.name} {e}" for r in runs for e in r.errors],
        "reloads": sum(r.reloads for r in runs),
        "submitted": len(submitted),
        "merged": len(submitted) - len(missing),
        "missing": missing,
        "load_peak": sampler.load_peak,
        "load_end": os.getloadavg()[0],
        "wall": wall,
    }


HEADER = (
    "| K | prespawn (s) / CPU s per student | login -> server p50 / p95 (s) "
    "| login -> first widget p50 / p95 / max (s) | preset -> repaint p50 / p95 (ms) "
    "| key -> repaint p50 / p95 (ms) [n] | hub MiB | per student MiB mean (max) "
    "| CPU s per student: servers+kernels / hub / browser | errors | reloads "
    "| forecasts merged / submitted | load avg 1 min peak / end | round (s) |\n" + "|---" * 14 + "|"
)


def _pre(r: dict[str, Any]) -> str:
    s = r.get("prespawn_s", float("nan"))
    return "-" if s != s else f"{s:.0f} / {r['prespawn_cpu']:.1f}"


def breakdowns(rows: list[dict[str, Any]]) -> str:
    """Where each round's CPU went (per part; the prespawn apart), as Markdown tables."""
    out = []
    for r in rows:
        if r.get("pre_parts"):
            out.append(f"\nK={r['K']}, prespawn ({r['prespawn_s']:.0f} s, before the students arrive):")
            out.append(breakdown_table(r["pre_parts"], r["K"], r.get("pre_groups", {})))
        if r.get("parts"):
            out.append(f"\nK={r['K']}, the students' round ({r['wall']:.0f} s):")
            out.append(breakdown_table(r["parts"], r["K"], r.get("groups", {})))
    return "\n".join(out)


def table(rows: list[dict[str, Any]]) -> str:
    """The rows as a Markdown table (docs/classroom.md takes it as printed)."""
    lines = [HEADER]
    for r in rows:
        lines.append(
            f"| {r['K']} | {_pre(r)} | {r['server_p50']:.1f} / {r['server_p95']:.1f} "
            f"| {r['login_p50']:.1f} / {r['login_p95']:.1f} / {r['login_max']:.1f} "
            f"| {r['preset_p50']:.0f} / {r['preset_p95']:.0f} "
            f"| {r['key_p50']:.0f} / {r['key_p95']:.0f} [{r['n_keys']}] | {r['hub_mib']:.0f} "
            f"| {r['student_mib']:.0f} ({r['student_max']:.0f}) "
            f"| {r['cpu_per_student']:.1f} / {r.get('hub_cpu', float('nan')):.1f} "
            f"/ {r.get('browser_cpu', float('nan')):.1f} "
            f"| {len(r['errors'])} | {r['reloads']} | {r['merged']} / {r['submitted']} "
            f"| {r['load_peak']:.1f} / {r['load_end']:.1f} | {r['wall']:.0f} |"
        )
    return "\n".join(lines)


def _students_cgroup_cpu(names: list[str]) -> float | None:
    """CPU seconds of the students' cgroups (exited processes included), None without cgroups."""
    secs = [limits.cpu_seconds(n) for n in names]
    return None if any(x is None for x in secs) else sum(x for x in secs if x is not None)


def measure_round(
    hub: hubctl.Hub, names: list[str], passwords: dict[str, str], *, prespawn: int = 0, **round_args: Any
) -> tuple[list[StudentRun], dict[str, Any]]:
    """Run one round (:func:`run_round`) while sampling; return the runs and the table row.

    With ``prespawn`` > 0 the round's servers are started first through the hub's API, that
    many at once (:meth:`hubctl.Hub.prespawn`, what ``hubctl.py prespawn`` does before a class),
    and measured apart: the students then arrive at running servers. The row carries the CPU
    seconds of every part of the round (``cpu_account.py``), the prespawn's apart.
    """
    k = len(names)
    extra: dict[str, Any] = {"prespawn_s": float("nan"), "prespawn_cpu": float("nan"), "pre_parts": {}}
    with CpuAccount() as account:
        account.adopt("hub", hub.proc.pid if hub.proc else os.getpid())
        account.adopt("load test", os.getpid(), tree=False)
        account.students({pwd.getpwnam(n).pw_uid: n for n in names})
        before = _students_cgroup_cpu(names) or 0.0
        if prespawn:
            account.mark()
            t_pre = time.monotonic()
            load_pre = os.getloadavg()[0]
            hub.prespawn(names, parallel=prespawn)
            after = _students_cgroup_cpu(names)
            pre_parts = account.parts()
            pre_groups = account.group_seconds()
            pre_students = (
                (after - before)
                if after is not None
                else sum(v for (g, _p), v in pre_parts.items() if g == "students")
            )
            extra.update(
                prespawn_s=time.monotonic() - t_pre,
                prespawn_cpu=pre_students / k,
                prespawn_hub_cpu=pre_groups.get("hub", float("nan")) / k,
                prespawn_load=(load_pre, os.getloadavg()[0]),
                pre_parts=pre_parts,
                pre_groups={**pre_groups, "students": pre_students},
            )
            before = after or 0.0
        account.mark()
        t0 = time.monotonic()
        with Sampler(hub, names) as sampler:
            runs = asyncio.run(run_round(hub, names, passwords, account=account, **round_args))
        wall = time.monotonic() - t0
        after = _students_cgroup_cpu(names)
        parts, groups = account.parts(), account.group_seconds()
    row = summarise(hub, runs, sampler, wall)
    if after is not None:
        row["cpu_per_student"] = (after - before) / k
        groups["students"] = after - before
    row.update(
        extra,
        hub_cpu=groups.get("hub", sum(v for (g, _p), v in parts.items() if g == "hub")) / k,
        browser_cpu=groups.get("browser", sum(v for (g, _p), v in parts.items() if g == "browser")) / k,
        parts=parts,
        groups=groups,
    )
    return runs, row


def stop_servers(hub: hubctl.Hub, names: list[str], timeout: float = 120) -> None:
    for n in names:
        hub.stop_server(n)
    uids = [pwd.getpwnam(n).pw_uid for n in names]
    end = time.monotonic() + timeout
    while time.monotonic() < end and any(hubctl.pids_of_uid(u) for u in uids):
        time.sleep(1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--ks", default="5,10,20,30", help="class sizes, comma-separated (make: K=...)")
    ap.add_argument("--presses", type=int, default=6, help="key presses per student (+1 warm-up)")
    ap.add_argument(
        "--arrive-within", type=float, default=60, help="seconds over which a round's students arrive"
    )
    ap.add_argument(
        "--no-preheat", action="store_true", help="no preheated explorer kernel (for an A/B comparison)"
    )
    ap.add_argument("--round-timeout", type=float, default=0, help="seconds per round (0: 600 + 30 K)")
    ap.add_argument(
        "--prespawn",
        type=int,
        default=2,
        metavar="N",
        help="start each round's servers before the students arrive, N at once, as `make "
        "classroom-prespawn` does before a class (default 2); 0: each login spawns its server",
    )
    args = ap.parse_args(argv)
    ks = [int(k) for k in args.ks.split(",") if k.strip()]
    why = None if os.geteuid() == 0 else "needs root (one Unix user per simulated student)"
    if why is None and bench_chromium() is None:
        why = "Chromium not found (make browser)"
    if why:
        print(f"bench-classroom: {why}", file=sys.stderr)
        return 2
    nb_text = submit_notebook()
    rows = []
    la = os.getloadavg()
    print(
        f"classroom load test: K = {ks}, arriving within {args.arrive_within:.0f} s, {args.presses} key "
        f"presses per student, explorer kernel {'cold' if args.no_preheat else 'preheated'}, "
        f"{f'servers prespawned {args.prespawn} at once' if args.prespawn else 'servers spawned at login'}, "
        f"browser {bench_chromium()}, {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, "
        f"load average {la[0]:.2f} {la[1]:.2f} {la[2]:.2f}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        flush=True,
    )
    with throwaway_hub(
        "b",
        [f"s{i:02d}" for i in range(1, sum(ks) + 1)],
        start_timeout=180,
        cull_timeout=3600,
        preheat=not args.no_preheat,
    ) as (hub, members):
        passwords = hubctl.read_passwords(hub.state)
        students = [m.name for m in members if m.role == "student"]
        start = 0
        for k in ks:
            names, start = students[start : start + k], start + k
            runs, row = measure_round(
                hub,
                names,
                passwords,
                presses=args.presses,
                nb_text=nb_text,
                deadline_s=args.round_timeout or 600 + 30 * k,
                arrive_within=args.arrive_within,
                prespawn=args.prespawn,
            )
            rows.append(row)
            print(
                f"  K={k}: done in {row['wall']:.0f} s, load peak {row['load_peak']:.1f}, "
                f"{len(row['errors'])} errors",
                flush=True,
            )
            for e in row["errors"][:10]:
                print(f"    error: {e}", flush=True)
            if row["missing"]:
                print(f"    LOST forecasts: {row['missing']}", flush=True)
            print(table([row]).splitlines()[-1], flush=True)  # the row now, the table at the end
            stop_servers(hub, names)
    print("\n" + table(rows))
    print("\nCPU seconds by part (cpu_account.py):" + breakdowns(rows))
    lost = sum(r["submitted"] - r["merged"] for r in rows)
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
