"""The timeline explorer (notebook 10) and the uncertainty panel (notebook 40) in a real browser.

JupyterLab serves copies of the notebooks (``lab_server``); the test runs every cell, operates
the widgets with the mouse and the keyboard, and waits on the text the kernel writes back. The
expected texts are computed here with the package itself (``filter_events``, the ensembles of
``s400lab.analysis``), so each test checks the whole chain widget -> kernel -> table/figure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from s400lab.analysis import ensembles as en
from s400lab.data import load
from s400lab.model import OUTCOMES, Scenario
from s400lab.ui.timeline import filter_events
from s400lab.ui.uncertainty import _option_text

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

#: true once no cell is queued or running ("[*]") and at least one has run
ALL_CELLS_RAN_JS = """() => {
  const ps = [...document.querySelectorAll('.jp-InputPrompt')].map(e => e.textContent);
  return ps.length > 0 && !ps.some(t => t.includes('*')) && ps.some(t => /\\d/.test(t));
}"""

SRC_CHANGED_JS = "([sel, old]) => { const i = document.querySelector(sel); return i && i.src !== old; }"


def _run_notebook(page, server, name: str, ready: str) -> None:
    """Open ``name`` in a fresh workspace, Run > Run All Cells, wait for ``ready``."""
    page.goto(server.url(f"/lab/workspaces/{Path(name).stem}/tree/{name}?reset"))
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=180_000)
    page.wait_for_selector("#jp-main-statusbar >> text=Idle", timeout=180_000)
    page.click("#jp-MainMenu >> text=Run")
    page.click("li.lm-Menu-item >> text=Run All Cells")
    page.wait_for_selector(ready, timeout=180_000)


def _scroll_to(page, selector: str) -> None:
    """Scroll ``selector`` to the top of the notebook panel (JupyterLab renders off-screen
    cells lazily, so a widget far down may not be laid out until it is scrolled to)."""
    page.evaluate("(sel) => document.querySelector(sel).scrollIntoView({block: 'start'})", selector)


def _texts(page, selector: str) -> list[str]:
    """``textContent`` (trimmed) of every match, rendered on screen or not."""
    return page.evaluate(
        "(sel) => [...document.querySelectorAll(sel)].map(e => e.textContent.replace(/\\u200b/g, '').trim())",
        selector,
    )


def _console_errors(page) -> list[str]:
    return [m for m in page.console_log if m.startswith("error") and "favicon" not in m]


def test_timeline_filters_update_count_table_and_figure(lab_server, page, artifacts_dir):
    ds = load()
    events = ds.events
    status = ".s400-tl-status"
    _run_notebook(page, lab_server, "10_timeline_and_deals.ipynb", f"{status} >> text=events shown")
    total = len(events)
    page.wait_for_selector(f"{status} >> text={total} of {total} events shown")
    img_before = page.get_attribute("img.s400-tl-image", "src")
    _scroll_to(page, ".s400-timeline")

    # Mouse: untick Russia. Keyboard (Tab + Space works in JupyterLab, unlike arrow keys on a
    # <select>): untick the "disputed" grade.
    actors = _texts(page, ".s400-tl-actors .widget-checkbox")
    assert "Russia" in actors and len(actors) == events["actor"].nunique()
    page.locator(".s400-tl-actors .widget-checkbox", has_text="Russia").locator("input").click()
    keep_actors = [a for a in actors if a != "Russia"]
    n1 = len(filter_events(events, actors=keep_actors))
    page.wait_for_selector(f"{status} >> text={n1} of {total} events shown")

    page.locator(".s400-tl-grades .widget-checkbox", has_text="disputed").locator("input").focus()
    page.keyboard.press("Space")
    grades = sorted(set(events["confidence"]) - {"disputed"})
    expected = filter_events(events, actors=keep_actors, confidence=grades).sort_values("date", kind="stable")
    assert 0 < len(expected) < n1  # both filters matter
    page.wait_for_selector(f"{status} >> text={len(expected)} of {total} events shown")

    # the events table lists exactly those events, in date order
    titles = _texts(page, ".s400-tl-table tbody tr td:nth-child(4)")
    assert titles == [str(t).strip() for t in expected["title"]]
    assert "Russia" not in set(_texts(page, ".s400-tl-table tbody tr td:nth-child(2)"))

    # the figure was redrawn (a new PNG in the Image widget)
    page.wait_for_function(SRC_CHANGED_JS, arg=["img.s400-tl-image", img_before])
    assert _console_errors(page) == []
    _scroll_to(page, ".s400-timeline")
    page.screenshot(path=str(artifacts_dir / "browser_timeline.png"))


def test_uncertainty_panel_run_matches_analysis(lab_server, page, artifacts_dir):
    table = ".s400-unc-table table.s400-probs tr[data-event] td.pB"
    _run_notebook(page, lab_server, "40_uncertainty.ipynb", table)
    img_before = page.get_attribute("img.s400-unc-image", "src")
    _scroll_to(page, ".s400-uncertainty")

    n, seed = 1_000, 7
    page.fill(".s400-unc-n input", str(n))
    page.keyboard.press("Enter")
    page.fill(".s400-unc-seed input", str(seed))
    page.keyboard.press("Enter")
    page.click(".s400-unc-run button, button.s400-unc-run")
    page.wait_for_selector(f".s400-unc-status >> text={2 * n:,} runs", timeout=120_000)
    page.wait_for_selector(f".s400-unc-status >> text=seed {seed}")

    # the same two ensembles, computed here (same seed, n and method => same draws)
    sc_a, sc_b = Scenario.preset("status_quo"), Scenario.preset("full_return_cash")
    run_a = en.run_chunked(sc_a, n, seed, "lhs", series=[])
    run_b = en.run_chunked(sc_b, n, seed, "lhs", series=[])
    cmp = en.compare_probabilities(run_a.outcomes, run_b.outcomes, en.standard_events(sc_b), names=("A", "B"))
    expected = {r.event: [f"{100 * r.p_A:.1f}%", f"{100 * r.p_B:.1f}%"] for r in cmp.itertuples()}
    page.wait_for_function(
        """(exp) => {
          const rows = document.querySelectorAll('.s400-unc-table tr[data-event]');
          if (rows.length !== Object.keys(exp).length) return false;
          for (const tr of rows) {
            const e = exp[tr.dataset.event];
            if (!e || tr.querySelector('td.pA').textContent.trim() !== e[0]
                   || tr.querySelector('td.pB').textContent.trim() !== e[1]) return false;
          }
          return true;
        }""",
        arg=expected,
        timeout=60_000,
    )
    assert "1,000 runs per scenario" in page.inner_text(".s400-unc-table")
    page.wait_for_function(SRC_CHANGED_JS, arg=["img.s400-unc-image", img_before])
    # the progress bar ends full
    assert "100%" in (page.get_attribute(".s400-unc-progress .progress-bar", "style") or "")

    # another outcome -> the figure is redrawn without a model run
    img_run = page.get_attribute("img.s400-unc-image", "src")
    unit, label = OUTCOMES["sanctions_lifted_q"]
    page.select_option(".s400-unc-outcome select", label=_option_text(label, unit))
    page.wait_for_function(SRC_CHANGED_JS, arg=["img.s400-unc-image", img_run])

    # export: the button writes the CSV next to the notebook and says so
    page.fill(".s400-uncertainty input[placeholder='results.csv']", "probs.csv")
    page.click(".s400-uncertainty button:has-text('Export CSV')")
    page.wait_for_selector(".s400-unc-export-msg >> text=Wrote")
    out = Path(lab_server.cwd) / "probs.csv"
    assert out.exists() and out.read_text().startswith("event,")
    assert _console_errors(page) == []
    _scroll_to(page, ".s400-uncertainty")
    page.screenshot(path=str(artifacts_dir / "browser_uncertainty.png"))
