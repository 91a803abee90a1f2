"""Load test of the classroom hub (``make bench-classroom``): K simulated students at once.

Starts a throw-away hub (127.0.0.1, free ports) with its own roster of ``sum(K)`` students and
one instructor, as real Unix users under a temporary directory (root needed). For each K (default
5, 10, 20) a fresh set of K students works at the same time, each in its own Playwright browser
context in one headless Chromium (Debian's, via ``executable_path``):

1. log in through the hub's login form (the hub spawns the student's server), open the Voila
   explorer, wait for the first slider: **login -> first widget**;
2. change the preset (to "full return for a cash refund") and wait for a figure to repaint;
3. press ArrowRight/ArrowLeft on a slider ``--presses`` times: **key press -> repainted figure**
   (from keydown to the first animation frame after a figure image was replaced and decoded;
   the first press is a warm-up and not counted);
   (a student whose spawn page has not moved on 15-30 s after the server is up reloads it; counted);
4. submit a forecast with notebook 60's form (a one-cell notebook with the same call, rendered in
   Voila) and wait for "Saved".

Meanwhile it samples memory every 5 s (PSS: shared pages split between processes) of the hub
(hub, proxy, culler) and of each student's processes (server + kernels) and keeps the peaks.
It also adds up the CPU time of each student's processes. Then it merges the drop box as the instructor
does and checks every submitted forecast is there, stops the round's servers and goes on.
Printed: one row per K, with the load average. Bounded: each round has a deadline.
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
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from playwright.async_api import TimeoutError as PlaywrightTimeout

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE.parent / "tests"))  # _browser.py: Chromium start (test tooling)


import _browser as serve  # noqa: E402
import hubctl  # noqa: E402
from throwaway_hub import throwaway_hub  # noqa: E402

from s400lab.analysis import classroom as cls  # noqa: E402

EXPLORER = "s400lab/notebooks/30_scenario_explorer.ipynb"
SUBMIT_NB = "s400lab/notebooks/submit_forecast.ipynb"
QUESTION = "india-sq4-confirmed-2027-01"  # the form's first question (earliest to resolve)

#: On each keydown (or when the bench sets __t0 itself) remember the time; when any <img> on the
#: page gets a new ``src``, wait for it to decode and for the next animation frame, then record.
PROBE_JS = """() => {
  window.__lat = []; window.__t0 = null;
  document.addEventListener("keydown", () => { window.__t0 = performance.now(); }, true);
  new MutationObserver((records) => {
    const t0 = window.__t0;
    if (t0 === null) return;
    const img = records.map(r => r.target).find(t => t.tagName === "IMG");
    if (!img) return;
    window.__t0 = null;
    img.decode().catch(() => null).then(() => requestAnimationFrame(() => {
      window.__lat.push(performance.now() - t0);
    }));
  }).observe(document.body, {attributes: true, attributeFilter: ["src"], subtree: true});
}"""


@dataclass
class StudentRun:
    name: str
    login_to_widget: float | None = None
    preset_ms: float | None = None
    key_ms: list[float] = field(default_factory=list)
    submitted: bool = False
    reloads: int = 0
    errors: list[str] = field(default_factory=list)


def _submit_notebook() -> str:
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


async def _student(
    browser, hub: hubctl.Hub, name: str, password: str, presses: int, nb_text: str
) -> StudentRun:
    run = StudentRun(name)
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(240_000)
    page = await ctx.new_page()
    step = "login"
    try:
        t0 = time.monotonic()
        await page.goto(f"{hub.url}/hub/login")
        await page.fill("input[name=username]", name)
        await page.fill("input[name=password]", password)
        await page.locator("form [type=submit]").click()
        # the spawn-pending page redirects when the server is up; under heavy load its progress
        # stream can miss that, and a student would reload the page: so does the bench
        end, ready_seen = time.monotonic() + 300, False
        while True:
            try:
                await page.wait_for_url(f"**/user/{name}/**", timeout=15_000)
                break
            except PlaywrightTimeout:
                if time.monotonic() > end:
                    raise
                ready = await asyncio.to_thread(hub.server_ready, name)
                if ready and ready_seen:  # up for 15 s and the page has not moved on
                    run.reloads += 1
                    await page.goto(hub.user_url(name))
                ready_seen = ready
        step = "explorer"
        await page.goto(hub.user_url(name, f"voila/render/{EXPLORER}"))
        slider = page.locator(".noUi-handle, [role=slider]").first
        await slider.wait_for()
        run.login_to_widget = time.monotonic() - t0
        await page.evaluate(PROBE_JS)
        step = "preset"
        # a preset that changes the figures (the explorer repaints only what changed), so the
        # return-quarter slider below matters too
        select = page.get_by_label("Preset", exact=True)
        if await select.count() == 0:
            select = page.locator("select").first
        labels = await select.locator("option").all_text_contents()
        target = next((t for t in labels if "full" in t.lower() and "cash" in t.lower()), labels[-1])
        await page.evaluate("window.__t0 = performance.now()")
        await select.select_option(label=target)
        await page.wait_for_function("window.__lat.length >= 1", timeout=120_000)
        run.preset_ms = (await page.evaluate("window.__lat"))[0]
        step = "slider"
        handle = page.locator(".s400-ctl-return_quarter .noUi-handle")
        if await handle.count() == 0:
            handle = slider
        await handle.focus()
        for i in range(presses + 1):
            await page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
            await page.wait_for_function(f"window.__lat.length >= {i + 2}", timeout=120_000)
            await page.wait_for_timeout(150)  # a student does not type at machine speed
        run.key_ms = (await page.evaluate("window.__lat"))[2:]  # [0] preset, [1] warm-up
        step = "forecast"
        home = Path(pwd.getpwnam(name).pw_dir)
        nb_path = home / SUBMIT_NB
        nb_path.write_text(nb_text)
        user = pwd.getpwnam(name)
        os.chown(nb_path, user.pw_uid, user.pw_gid)
        await page.goto(hub.user_url(name, f"voila/render/{SUBMIT_NB}"))
        button = page.get_by_role("button", name="Submit to class")
        await button.click()
        await page.get_by_text("Saved").first.wait_for()
        run.submitted = True
    except Exception as exc:
        run.errors.append(f"{step}: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
    finally:
        await ctx.close()
    return run


def _pss_mib(procs) -> float:
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += p.memory_full_info().pss
    return total / 2**20


def _memory(hub: hubctl.Hub, names: list[str]) -> tuple[float, list[float]]:
    root = psutil.Process(hub.proc.pid)
    tree = [root, *root.children(recursive=True)]
    hub_procs = [p for p in tree if p.uids().real == 0]
    per_student = []
    for name in names:
        uid = pwd.getpwnam(name).pw_uid
        per_student.append(_pss_mib(p for p in psutil.process_iter() if p.uids().real == uid))
    return _pss_mib(hub_procs), per_student


class PeakMemory:
    """Sample hub and per-student PSS every ``every`` s in a thread; keep each one's peak."""

    def __init__(self, hub: hubctl.Hub, names: list[str], every: float = 5.0) -> None:
        import threading

        self.hub, self.names, self.every = hub, names, every
        self.hub_peak, self.peak = 0.0, {n: 0.0 for n in names}
        self._uids = {pwd.getpwnam(n).pw_uid for n in names}
        self._cpu: dict[tuple[int, float], tuple[str, float]] = {}  # (pid, start) -> (who, s)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every)

    def sample(self) -> None:
        try:
            hub_mib, per = _memory(self.hub, self.names)
        except (psutil.Error, KeyError):
            return
        self.hub_peak = max(self.hub_peak, hub_mib)
        for n, v in zip(self.names, per, strict=True):
            self.peak[n] = max(self.peak[n], v)
        root = psutil.Process(self.hub.proc.pid)
        hub_pids = {root.pid} | {c.pid for c in root.children(recursive=True)}
        for proc in psutil.process_iter():
            with contextlib.suppress(psutil.Error):
                uid = proc.uids().real
                who = "student" if uid in self._uids else "hub" if proc.pid in hub_pids and uid == 0 else ""
                if who:
                    t = proc.cpu_times()
                    self._cpu[(proc.pid, proc.create_time())] = (who, t.user + t.system)

    def cpu_seconds(self, who: str) -> float:
        """CPU time (user + system) used by the students' or the hub's processes while sampled.

        Processes that started before the round are counted in full (the hub's only); a process
        that ended between two samples loses at most its last ``every`` seconds.
        """
        return sum(sec for w, sec in self._cpu.values() if w == who)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


async def _round(hub, names, passwords, presses, nb_text, deadline_s):
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await serve.launch_chromium(p)
        try:
            tasks = [
                asyncio.ensure_future(_student(browser, hub, n, passwords[n], presses, nb_text))
                for n in names
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


def _stop_servers(hub: hubctl.Hub, names: list[str], timeout: float = 120) -> None:
    for n in names:
        hub.stop_server(n)
    uids = [pwd.getpwnam(n).pw_uid for n in names]
    end = time.monotonic() + timeout
    while time.monotonic() < end and any(hubctl.pids_of_uid(u) for u in uids):
        time.sleep(1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ks", default="5,10,20", help="class sizes, comma-separated")
    ap.add_argument("--presses", type=int, default=6, help="slider key presses per student")
    ap.add_argument("--round-timeout", type=float, default=900, help="seconds per round")
    args = ap.parse_args(argv)
    ks = [int(k) for k in args.ks.split(",")]
    why = None if os.geteuid() == 0 else "needs root (one Unix user per simulated student)"
    if why is None and serve.chromium_path() is None:
        why = "Chromium not found (make browser)"
    if why:
        print(f"bench-classroom: {why}", file=sys.stderr)
        return 2
    nb_text = _submit_notebook()
    rows = []
    print(
        f"classroom load test: K = {ks}, {args.presses} key presses per student, "
        f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB",
        flush=True,
    )
    with throwaway_hub(
        "b", [f"s{i:02d}" for i in range(1, sum(ks) + 1)], start_timeout=180, cull_timeout=3600
    ) as (hub, members):
        passwords = hubctl.read_passwords(hub.state)
        students = [m.name for m in members if m.role == "student"]
        start = 0
        for k in ks:
            names, start = students[start : start + k], start + k
            t0 = time.monotonic()
            with PeakMemory(hub, names) as mem:
                runs = asyncio.run(_round(hub, names, passwords, args.presses, nb_text, args.round_timeout))
                load1 = os.getloadavg()[0]
            wall = time.monotonic() - t0
            mem.sample()
            hub_mib, per = mem.hub_peak, list(mem.peak.values())
            student_cpu = mem.cpu_seconds("student")
            sub = cls.collect_submissions(hub.class_dir)
            submitted = [(r.name, QUESTION) for r in runs if r.submitted]
            missing = cls.expected_in(sub.forecasts, submitted)
            logins = [r.login_to_widget for r in runs if r.login_to_widget is not None]
            keys = [x for r in runs for x in r.key_ms]
            presets = [r.preset_ms for r in runs if r.preset_ms is not None]
            errors = [f"{r.name} {e}" for r in runs for e in r.errors]
            rows.append(
                {
                    "K": k,
                    "login_p50": _pct(logins, 50),
                    "login_p95": _pct(logins, 95),
                    "preset_p50": _pct(presets, 50),
                    "key_p50": _pct(keys, 50),
                    "key_p95": _pct(keys, 95),
                    "n_keys": len(keys),
                    "hub_mib": hub_mib,
                    "student_mib": statistics.mean(per) if per else float("nan"),
                    "student_max": max(per, default=float("nan")),
                    "errors": len(errors),
                    "submitted": len(submitted),
                    "reloads": sum(r.reloads for r in runs),
                    "merged": len(submitted) - len(missing),
                    "load1": load1,
                    "cpu_per_student": student_cpu / k,
                    "wall": wall,
                }
            )
            print(f"  K={k}: done in {wall:.0f} s, load {load1:.1f}, {len(errors)} errors", flush=True)
            for e in errors[:10]:
                print(f"    error: {e}", flush=True)
            if missing:
                print(f"    LOST forecasts: {missing}", flush=True)
            _stop_servers(hub, names)
    print(
        "\n| K | login -> first widget p50 / p95 (s) | preset -> repaint p50 (ms) "
        "| key -> repaint p50 / p95 (ms) [n] | hub MiB | per student MiB mean (max) "
        "| CPU s per student | errors | reloads | forecasts merged / submitted "
        "| load avg 1 min (end) | round (s) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['K']} | {r['login_p50']:.1f} / {r['login_p95']:.1f} | {r['preset_p50']:.0f} "
            f"| {r['key_p50']:.0f} / {r['key_p95']:.0f} [{r['n_keys']}] | {r['hub_mib']:.0f} "
            f"| {r['student_mib']:.0f} ({r['student_max']:.0f}) | {r['cpu_per_student']:.1f} | {r['errors']} "
            f"| {r['reloads']} "
            f"| {r['merged']} / {r['submitted']} | {r['load1']:.1f} | {r['wall']:.0f} |"
        )
    lost = sum(r["submitted"] - r["merged"] for r in rows)
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
