"""The explorer in a real browser: JupyterLab (run the notebook) and Voila (dashboard).

The expected numbers come from the model itself (``s400lab.model.run``) for the scenario the
browser has set, so these tests check the whole chain: widget -> kernel -> model -> table/figure.
"""

from __future__ import annotations

import pytest

from s400lab.model import Scenario, presets
from _browser import TABLE_MATCHES_JS, expected_texts

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

READY = "table.s400-outcomes tr[data-outcome] td.v"


def _wait_table(page, expected: dict[str, str], timeout: float = 60_000) -> None:
    page.wait_for_function(TABLE_MATCHES_JS, arg=expected, timeout=timeout)


def _img_src(page, name: str) -> str:
    return page.get_attribute(f"img.s400-img-{name}", "src") or ""


def test_voila_dashboard_preset_and_slider(voila_server, page, artifacts_dir):
    page.goto(voila_server.url("/"))
    page.wait_for_selector(READY, timeout=180_000)
    _wait_table(page, expected_texts(preset="status_quo"))
    # Dashboard mode: no code on the page.
    assert "ScenarioExplorer(" not in page.inner_text("body")
    assert page.locator(".jp-CodeMirrorEditor, .CodeMirror").count() == 0

    label = presets()["full_return_cash"].label
    track_before = _img_src(page, "track")
    page.select_option(".s400-preset select", label=label)
    _wait_table(page, expected_texts(preset="full_return_cash"))
    assert "Legal conditions can be met" in page.inner_text(".s400-verdict")
    page.wait_for_function("([sel, old]) => document.querySelector(sel).src !== old",
                           arg=["img.s400-img-track", track_before])

    # One key press on the "return agreed" slider = one step (+1 quarter).
    start = Scenario.preset("full_return_cash").values["return_quarter"]
    before = {n: _img_src(page, n) for n in ("stock", "india", "track")}
    handle = page.locator(".s400-ctl-return_quarter .noUi-handle")
    handle.focus()
    page.keyboard.press("ArrowRight")
    expected = expected_texts({"return_quarter": start + 1}, preset="full_return_cash")
    assert expected != expected_texts(preset="full_return_cash")  # the step matters
    _wait_table(page, expected)
    page.wait_for_function("([sel, old]) => document.querySelector(sel).src !== old",
                           arg=["img.s400-img-track", before["track"]])
    assert _img_src(page, "track") != before["track"]
    page.screenshot(path=str(artifacts_dir / "voila_explorer.png"), full_page=True)


def test_jupyterlab_runs_the_notebook(lab_server, page, artifacts_dir):
    page.goto(lab_server.url("/lab/tree/30_scenario_explorer.ipynb"))
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=180_000)
    # Wait until the kernel is idle, then run the code cell (Shift+Enter in the cell).
    page.wait_for_selector("#jp-main-statusbar >> text=Idle", timeout=180_000)
    cell = page.locator(".jp-Notebook .jp-CodeCell").first
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_selector(READY, timeout=180_000)
    _wait_table(page, expected_texts(preset="status_quo"), timeout=120_000)

    page.select_option(".s400-preset select", label=presets()["partial_return"].label)
    _wait_table(page, expected_texts(preset="partial_return"))
    assert "NOT met" in page.inner_text(".s400-verdict")
    page.screenshot(path=str(artifacts_dir / "jupyterlab_explorer.png"))
