"""Speed of the scenario explorer, with its live ensemble: ``python benchmarks/explorer_bench.py``.

``make bench`` runs it after ``benchmarks/run.py`` (model and ensemble figures). Printed figures
(medians of several runs, with the machine's load average), never asserted:

* in-kernel: one slider change -> central run + 1,000-draw ensemble + redraw (target <= 25 ms);
  a preset change, split in two figures: a preset seen before (the views' static layers are
  cached, so it is one more change) and a preset's first visit in a session, which is a
  different, multi-change operation (every value at once: new axis limits, so each view whose
  limits move is drawn again in full by matplotlib, ~20-40 ms a view);
* notebook 50: one weight change -> re-rank + robustness (4,000 weightings) + figure update
  (target: the explorer's, <= 25 ms);
* in Chromium/Voila: key press on a slider -> repainted figure, live ensemble included
  (target <= 60 ms);
* dashboard start: fresh server -> first usable widget (target <= 5 s) with the dashboard's flags
  (``s400lab.ui.dashboard.voila_args``: one kernel kept preheated, the notebook already run),
  median of three pages, each in a fresh browser context (empty cache), opened once the pool
  is ready; the time until the views show; and, as its own figure, one page opened the moment
  the server answers (its kernel may still be running the notebook);
* memory of the kernel behind one open dashboard and of the preheated one (MB, resident).
* a class arriving at once: a fresh dashboard server as ``make dashboard VIEWERS=10`` starts it
  (ten kernels kept ready; the same notebook and flags), its pool filled and quiet, then ten
  pages opened within ten seconds (one a second, each in its own browser context, all loading
  together): time from each page's navigation to its first usable control, median and maximum
  (target: each <= 5 s on this 2-core machine). ``--class-only`` prints just this row.

The browser rows need Playwright and Chromium (``make browser``); without them those rows say
why and the kernel rows still print. Test tooling (server start, Chromium flags, the page-ready waits and the
key-press probe, shared with the browser tests and the classroom load test) comes from
``tests/_browser.py``: nothing here is part of the installed package.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
EXPLORER_NB = REPO / "notebooks" / "30_scenario_explorer.ipynb"
sys.path.insert(0, str(REPO / "tests"))

NOTEBOOK_CODE = (
    "from s400lab.ui.explorer import ScenarioExplorer\nScenarioExplorer(preset='full_return_cash')\n"
)


def _toggle_times(widget, n: int) -> list[float]:
    """Seconds for each of ``n`` changes of an integer control, stepping it up and back by one
    (the change handler runs synchronously inside the assignment)."""
    base = int(widget.value)
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        widget.value = base + 1 if i % 2 == 0 else base
        times.append(time.perf_counter() - t0)
    return times


def kernel_latency(n: int = 40) -> tuple[float, float, float, int]:
    """Median seconds for one slider change, a preset seen before and a preset's first visit
    (central run + live ensemble + redraw), and the ensemble size."""
    from s400lab.ui.explorer import ScenarioExplorer

    ex = ScenarioExplorer(preset="full_return_cash")
    times = _toggle_times(ex.controls["return_quarter"], n)
    if ex.last_error:
        raise RuntimeError(ex.last_error)
    ids = [sid for sid in ex.presets if sid != ex.preset_id]
    first_visit = []
    for sid in ids:  # every preset once: new axis limits, static layers drawn
        t0 = time.perf_counter()
        ex.load_preset(sid)
        first_visit.append(time.perf_counter() - t0)
    seen = []
    for i in range(max(2 * len(ids), n // 2)):  # the same presets again: layers cached
        t0 = time.perf_counter()
        ex.load_preset(ids[i % len(ids)])
        seen.append(time.perf_counter() - t0)
    return statistics.median(times), statistics.median(seen), statistics.median(first_visit), ex.live.n


def tradeoff_latency(n: int = 30) -> float:
    """Median seconds for one weight change in notebook 50's trade-off explorer (re-rank,
    robustness over 4,000 weightings, figure updated in place)."""
    from s400lab.ui.tradeoffs import TradeoffExplorer

    ex = TradeoffExplorer.from_presets()
    return statistics.median(_toggle_times(next(iter(ex._sliders.values())), n))


def _open_dashboard(browser, server, timeout_s: float) -> tuple[float, float, object, object]:
    """Open the dashboard in a new browser context (its own, empty cache): seconds to the first
    usable control and to the views with dates, the page and its context."""
    import _browser as serve

    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(timeout_s * 1000)
    t0 = time.perf_counter()
    first = serve.open_explorer(page, server.url("/"), views=True, timeout_ms=timeout_s * 1000)
    return first, time.perf_counter() - t0, page, context


def browser_figures(presses: int = 20, visits: int = 3, timeout_s: float = 240.0) -> dict[str, Any]:
    """Start a fresh Voila server (the dashboard's flags: one preheated kernel) on a one-cell
    notebook. Measure: the first usable widget for a page opened the moment the server answers
    (the preheated kernel may still be running the notebook), then for ``visits`` pages each
    opened once the pool is ready again (median), the views, the kernels' memory, and on each of
    those pages, once the refilled pool has gone quiet, ``presses`` key presses -> repainted
    figure (the median over all pages' presses, and each page's median: a repaint lands on a
    60 Hz frame, so single pages scatter by a frame)."""
    import _browser as serve
    import nbformat
    from playwright.sync_api import sync_playwright

    if serve.chromium_path() is None:
        raise RuntimeError("Chromium not found (make browser, or set S400LAB_CHROMIUM)")
    out: dict[str, Any] = {}
    pool = serve.voila_pool_size()
    with tempfile.TemporaryDirectory(prefix="s400lab-bench-") as tmp:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(NOTEBOOK_CODE)]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        path = Path(tmp) / "bench_explorer.ipynb"
        nbformat.write(nb, path)
        with serve.voila_server(path) as server, sync_playwright() as p:
            browser = serve.launch_chromium(p)
            try:
                out["first_widget_at_start"], _, page, context = _open_dashboard(browser, server, timeout_s)
                firsts, views, presses_s, page_medians = [], [], [], []
                for visit in range(visits):
                    page.close(run_before_unload=True)
                    context.close()
                    serve.wait_kernels_quiet(server, pool)
                    first, view, page, context = _open_dashboard(browser, server, timeout_s)
                    firsts.append(first)
                    views.append(view)
                    serve.wait_kernels_quiet(server, pool + 1)  # the page's kernel + the refilled pool
                    if visit == 0:
                        rss = sorted(serve.kernel_rss_mb(server))
                        out["kernel_mb"] = rss[-1] if rss else float("nan")  # the page's (it drew more)
                        out["pool_mb"] = sum(rss[:-1]) if len(rss) > 1 else 0.0
                    lat = serve.key_press_latencies(page, presses)
                    presses_s += lat
                    page_medians.append(statistics.median(lat))
                out["first_widget"], out["views"] = statistics.median(firsts), statistics.median(views)
                out["key_press"] = statistics.median(presses_s)
                out["key_press_pages"] = page_medians
                out["key_press_n"] = len(presses_s)
                page.close(run_before_unload=True)
                context.close()
            finally:
                browser.close()
    return out


def class_arrival(
    pages: int = 10, within_s: float = 10.0, viewers: int | None = None, timeout_s: float = 240.0
) -> dict[str, Any]:
    """A class opening the dashboard at once: start a Voila server with the dashboard's flags
    keeping ``viewers`` (default: ``pages``) kernels ready (``make dashboard VIEWERS=...``) on a
    copy of the explorer notebook, wait until the pool has run the notebook and gone quiet, then
    open ``pages`` pages, one every ``within_s / pages`` seconds, each in its own browser
    context, loading together. Returns the seconds from each page's navigation to its first
    usable control (``times``, in opening order) and the pool size."""
    import asyncio
    import shutil

    import _browser as serve
    from playwright.async_api import async_playwright

    if serve.chromium_path() is None:
        raise RuntimeError("Chromium not found (make browser, or set S400LAB_CHROMIUM)")
    viewers = pages if viewers is None else viewers

    async def arrive(url: str) -> list[float | None]:
        async with async_playwright() as p:
            browser = await serve.launch_chromium(p)
            opened: list[Any] = []

            async def one(i: int) -> float:
                await asyncio.sleep(i * within_s / pages)
                context = await browser.new_context(viewport={"width": 1366, "height": 768})
                page = await context.new_page()
                opened.append((context, page))
                t0 = time.perf_counter()
                await serve.aopen_explorer(page, url, timeout_ms=timeout_s * 1000)
                return time.perf_counter() - t0

            try:
                got = await asyncio.gather(*(one(i) for i in range(pages)), return_exceptions=True)
                # a page whose control never came counts as failed (None), not as a time
                return [None if isinstance(g, BaseException) else float(g) for g in got]
            finally:
                for context, page in opened:  # like students closing their tabs: kernels released
                    with contextlib.suppress(Exception):
                        await page.close(run_before_unload=True)
                        await context.close()
                await browser.close()

    with tempfile.TemporaryDirectory(prefix="s400lab-class-") as tmp:
        nb = Path(tmp) / EXPLORER_NB.name
        shutil.copy(EXPLORER_NB, nb)
        with serve.voila_server(nb, pool_size=viewers) as server:
            if not serve.wait_kernels_quiet(server, viewers, timeout=900):
                raise RuntimeError(f"the pool of {viewers} kernels was not ready within 15 min")
            times = asyncio.run(arrive(server.url("/")))
            problems = [
                line for line in server.log_tail(400).splitlines() if "WARNING" in line or "ERROR" in line
            ]
    return {"times": times, "viewers": viewers, "pages": pages, "within_s": within_s, "log": problems}


def _class_row(fig: dict[str, Any]) -> tuple[str, str, str]:
    times = [t for t in fig["times"] if t is not None]
    failed = len(fig["times"]) - len(times)
    shown = f"{statistics.median(times):.2f} / {max(times):.2f} s" if times else "none"
    return (
        f"dashboard: {fig['pages']} pages within {fig['within_s']:g} s, "
        f"{fig['viewers']} kernels ready -> first widget p50 / max"
        + (f" ({failed} page(s) never usable)" if failed else ""),
        shown,
        "each <= 5 s",
    )


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    quick = "--quick" in argv
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(
        f"\nexplorer benchmarks  (load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
        f"{os.cpu_count()} cores)"
    )
    print(f"{'what (median of repeated runs)':<72} {'measured':>12}  {'target':<10}")
    print("-" * 98)
    if "--class-only" in argv:
        return _print_class_row()
    slider, preset_seen, preset_first, n = kernel_latency(n=12 if quick else 40)
    tradeoff = tradeoff_latency(n=10 if quick else 30)
    rows = [
        (
            f"explorer: slider -> central run + {n:,}-draw ensemble + redraw (kernel)",
            f"{slider * 1e3:9.1f} ms",
            "<= 25 ms",
        ),
        (
            "explorer: preset seen before -> run + ensemble + redraw (kernel)",
            f"{preset_seen * 1e3:9.1f} ms",
            "<= 25 ms",
        ),
        (
            "explorer: preset, first visit: all values + new axes drawn (kernel)",
            f"{preset_first * 1e3:9.1f} ms",
            "(own figure)",
        ),
        (
            "notebook 50: weight change -> rank + robustness + figure (kernel)",
            f"{tradeoff * 1e3:9.1f} ms",
            "<= 25 ms",
        ),
    ]
    for row in rows:
        print(f"{row[0]:<72} {row[1]:>12}  {row[2]:<10}")
    try:
        fig = browser_figures(presses=6 if quick else 20, visits=1 if quick else 3)
    except Exception as exc:  # no browser here: say why, keep the kernel rows
        print(f"browser figures not measured: {exc!r}"[:500])
        _print_load("at the end")
        return 0
    rows = [
        (
            "dashboard: fresh server, its preheated kernel ready -> first usable widget",
            f"{fig['first_widget']:9.2f} s",
            "<= 5 s",
        ),
        ("dashboard: the same -> views with dates and chances", f"{fig['views']:9.2f} s", ""),
        (
            "dashboard: page opened the moment the server answers -> first widget",
            f"{fig['first_widget_at_start']:9.2f} s",
            "(one run)",
        ),
        ("dashboard: kernel memory per open dashboard (RSS)", f"{fig['kernel_mb']:9.0f} MB", ""),
        ("dashboard: preheated kernel kept ready (RSS, one per server)", f"{fig['pool_mb']:9.0f} MB", ""),
        (
            f"explorer: key press -> repainted figure, live ensemble ({fig['key_press_n']} presses)",
            f"{fig['key_press'] * 1e3:9.1f} ms",
            "<= 60 ms",
        ),
        (
            "explorer: the same, each page's median",
            " / ".join(f"{x * 1e3:.0f}" for x in fig["key_press_pages"]) + " ms",
            "",
        ),
    ]
    for row in rows:
        print(f"{row[0]:<72} {row[1]:>12}  {row[2]:<10}")
    return _print_class_row()


def _print_class_row() -> int:
    """Measure and print the class-arrival row (or why it was not measured), then the load."""
    try:
        row = _class_row(class_arrival())
    except Exception as exc:  # no browser here: say why
        print(f"class arrival not measured: {exc!r}"[:500])
    else:
        print(f"{row[0]:<72} {row[1]:>12}  {row[2]:<10}")
    _print_load("at the end")
    return 0


def _print_load(when: str) -> None:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(f"load average {when}: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    raise SystemExit(main())
