"""Fixtures for the real-browser tests: local JupyterLab / Voila servers and headless Chromium.

Servers bind to 127.0.0.1 on a free port with a random token and are stopped by their own
process group at teardown. Chromium is Debian's (``/usr/bin/chromium`` or ``$S400LAB_CHROMIUM``),
driven by Playwright's sync API. Screenshots go to ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

import _browser as serve
import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
EXPLORER_NB = REPO / "notebooks" / "30_scenario_explorer.ipynb"
#: Other notebooks served by ``lab_server`` (their widgets are driven by test_notebooks_browser).
OTHER_NBS = [REPO / "notebooks" / "10_timeline_and_deals.ipynb", REPO / "notebooks" / "40_uncertainty.ipynb"]


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test (``-m "not browser"`` deselects them)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """``test-artifacts/`` at the repository root (created on demand)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def playwright_instance():
    """A Playwright driver per test module (skips if Playwright or Chromium is missing).

    Module scope, not session: Playwright's sync API refuses to start while another sync
    driver is running in the process, so a driver kept alive for the whole session would break
    any later test that starts its own (e.g. tests/test_brief.py printing the brief to PDF).
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    if serve.chromium_path() is None:
        if os.environ.get("S400LAB_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium not found (S400LAB_REQUIRE_BROWSER=1)")
        pytest.skip("Chromium not found: run `make browser` or set S400LAB_CHROMIUM")
    with sync_api.sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright_instance):
    """Headless Chromium launched with the flags that work here (root, no display)."""
    b = serve.launch_chromium(playwright_instance)
    yield b
    b.close()


@pytest.fixture
def page(browser, request, artifacts_dir):
    """A fresh browser page (own context); a screenshot is kept if the test fails."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(60_000)
    pg = context.new_page()
    console: list[str] = []
    pg.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
    pg.console_log = console  # type: ignore[attr-defined]
    yield pg
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        with contextlib.suppress(Exception):  # a screenshot is a courtesy, never a second failure
            pg.screenshot(path=str(artifacts_dir / f"FAILED-{name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Expose each phase's report on the item (``item.rep_call``) for the page fixture."""
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    """JupyterLab (token on) serving temporary copies of the explorer notebook (and of
    notebooks 10 and 40).

    Copies, so JupyterLab's autosave can never write outputs (or an exported CSV) into the
    repository. ``server.cwd`` is that temporary folder.
    """
    root = tmp_path_factory.mktemp("lab")
    for nb in [EXPLORER_NB, *OTHER_NBS]:
        shutil.copy(nb, root / nb.name)
    server = serve.jupyterlab_server(root)
    server.start(timeout=120)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory):
    """Voila rendering a temporary copy of notebooks/30_scenario_explorer.ipynb (token on), for
    the session; the copy's folder is where the dashboard saves files (never the repository)."""
    if not EXPLORER_NB.exists():
        pytest.fail(f"missing {EXPLORER_NB}")
    root = tmp_path_factory.mktemp("voila")
    shutil.copy(EXPLORER_NB, root / EXPLORER_NB.name)
    server = serve.voila_server(root / EXPLORER_NB.name)
    server.start(timeout=120)
    yield server
    server.stop()
