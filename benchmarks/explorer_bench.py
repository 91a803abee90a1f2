"""Speed of the scenario explorer: in-kernel refresh and in-browser slider-to-figure latency.

``collect()`` returns rows ``(what, value, unit, target)`` for ``python -m s400lab bench``.
The browser figure needs Playwright and Chromium; if either is missing (or the server will not
start) the row carries NaN and the reason is printed - the in-kernel rows still count.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

NOTEBOOK_CODE = (
    "from s400lab.plots.style import use_projector_style\n"
    "from s400lab.ui.explorer import ScenarioExplorer\n"
    "use_projector_style()\n"
    "ScenarioExplorer(preset='full_return_cash')\n"
)


def kernel_latency(n: int = 30) -> tuple[float, float]:
    """Median seconds for one slider change and for one preset change (recompute + redraw).

    The slider is "return agreed (quarters after start)" under the full-return preset, moved
    one step up and down alternately, so every change moves the milestone track.
    """
    from s400lab.ui.explorer import ScenarioExplorer

    ex = ScenarioExplorer(preset="full_return_cash")
    w = ex.controls["return_quarter"]
    base = int(w.value)
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        w.value = base + 1 if i % 2 == 0 else base
        times.append(time.perf_counter() - t0)
    if ex.last_error:
        raise RuntimeError(ex.last_error)
    preset_times = []
    ids = list(ex.presets)
    for i in range(max(7, n // 3)):
        t0 = time.perf_counter()
        ex.load_preset(ids[(i + 1) % len(ids)])
        preset_times.append(time.perf_counter() - t0)
    return statistics.median(times), statistics.median(preset_times)


def browser_latency(presses: int = 15, timeout_s: float = 120.0) -> float:
    """Median seconds from a key press on a slider to the repainted figure in Chromium.

    Starts its own Voila server (127.0.0.1, token) on a temporary one-cell notebook, opens it
    in headless Chromium, focuses the "return agreed" slider and presses ArrowRight/ArrowLeft
    alternately; each latency runs from the keydown to the first animation frame after the
    milestone image was replaced and decoded.
    """
    import nbformat
    from playwright.sync_api import sync_playwright

    from s400lab.ui import _explorer_serve as serve

    if serve.chromium_path() is None:
        raise RuntimeError("Chromium not found (make browser, or set S400LAB_CHROMIUM)")
    with tempfile.TemporaryDirectory(prefix="s400lab-bench-") as tmp:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(NOTEBOOK_CODE)]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        path = Path(tmp) / "bench_explorer.ipynb"
        nbformat.write(nb, path)
        with serve.voila_server(path) as server, sync_playwright() as p:
            browser = serve.launch_chromium(p)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.set_default_timeout(timeout_s * 1000)
                page.goto(server.url("/"))
                page.wait_for_selector("table.s400-outcomes tr[data-outcome] td.v")
                page.evaluate(serve.LATENCY_PROBE_JS, "img.s400-img-track")
                page.locator(".s400-ctl-return_quarter .noUi-handle").focus()
                for i in range(presses + 1):  # the first press warms up
                    page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
                    page.wait_for_function(f"window.__s400lat.length >= {i + 1}",
                                           timeout=30_000)
                    page.wait_for_timeout(50)
                lat = page.evaluate("window.__s400lat")[1:]
            finally:
                browser.close()
    return statistics.median(lat) / 1000.0


def collect(quick: bool = False) -> list[tuple[str, float, str, str]]:
    """Benchmark rows for ``python -m s400lab bench``.

    Parameters
    ----------
    quick : bool
        Fewer repetitions (and fewer key presses in the browser).

    Returns
    -------
    list of (what, value, unit, target)
        ``unit == "s"`` rows are medians in seconds.
    """
    slider, preset = kernel_latency(n=10 if quick else 30)
    rows = [
        ("explorer: slider change -> recompute + redraw (kernel)", slider, "s", "<= 50 ms"),
        ("explorer: preset change -> recompute + redraw (kernel)", preset, "s", "<= 50 ms"),
    ]
    try:
        value = browser_latency(presses=6 if quick else 15)
    except Exception as exc:  # no browser here: say why, keep the other rows
        print(f"s400lab.ui.bench: browser latency not measured: {exc!r}"[:500], file=sys.stderr)
        value = float("nan")
    rows.append(("explorer: key press -> repainted figure (Chromium, Voila)", value, "s",
                 "<= 100 ms"))
    return rows


if __name__ == "__main__":  # pragma: no cover
    for row in collect(quick="--quick" in sys.argv):
        print(row)
