"""The explorer through a whole lesson, in Voila and Chromium, at the four projector sizes.

An instructor loads the page, picks a preset, presses keys in ten controls on different tabs,
saves, loads and exports the brief. After every step the verdict, the three views, the control
just edited and the files bar (and, after a file action, its status) must be inside the
viewport -- and not hidden by a region that scrolls -- and the page itself must not scroll
(issue 21, item 2). Then numbers as people type them (item 3): 30 typed into the refund share
is 30%, 130 is refused beside the box naming the range, a quarter is typed as 2027Q3.
"""

from __future__ import annotations

import _browser as serve
import pytest
from _browser import TABLE_MATCHES_JS, expected_texts

from s400lab.model import presets
from s400lab.model.register import load_register
from s400lab.ui.explorer import TAB_TITLES

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

SIZES = [(1024, 768), (1280, 720), (1366, 768), (1920, 1080)]
PRESET = "full_return_cash"

#: Each selector's element: "ok" if it is drawn, inside the viewport and inside every
#: ancestor that clips (a scrolling region), else where it is.
VISIBLE_JS = """([sels, w, h]) => {
  const out = {};
  for (const s of sels) {
    const e = document.querySelector(s);
    if (!e) { out[s] = 'missing'; continue; }
    const r = e.getBoundingClientRect();
    const where = [r.left, r.top, r.right, r.bottom].map(Math.round).join(',');
    if (r.width <= 0 || r.height <= 0) { out[s] = `not drawn: ${where}`; continue; }
    if (r.left < -1 || r.top < -1 || r.right > w + 1 || r.bottom > h + 1) {
      out[s] = `outside the window: ${where}`; continue;
    }
    out[s] = 'ok';
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const st = getComputedStyle(a);
      if (st.overflowX === 'visible' && st.overflowY === 'visible') continue;
      const b = a.getBoundingClientRect();
      if (r.top < b.top - 1 || r.bottom > b.bottom + 1 || r.left < b.left - 1 || r.right > b.right + 1) {
        const box = [b.left, b.top, b.right, b.bottom].map(Math.round).join(',');
        out[s] = `clipped by ${a.className}: ${where} in ${box}`;
        break;
      }
    }
  }
  out.page = document.documentElement.scrollHeight <= h + 2 && document.documentElement.scrollWidth <= w + 2
    ? 'ok' : `page scrolls: ${document.documentElement.scrollWidth}x${document.documentElement.scrollHeight}`;
  return out;
}"""

FIXED = [
    ".s400-verdict",
    "img.s400-img-stock",
    "img.s400-img-india",
    "img.s400-img-track",
    ".s400-files button",
    ".s400-files .s400-file-name input",
]

#: Ten key presses, each on a control of a different place (tab, kind), in lesson order:
#: (tab title, parameter, key).
PRESSES = [
    ("Turkiye", "return_quarter", "ArrowUp"),
    ("Turkiye", "compensation_share", "ArrowDown"),
    ("Russia", "inventory_bn", "ArrowDown"),
    ("Russia", "loss_rate_bn_per_year", "ArrowUp"),
    ("US", "sanctions_lift_months", "ArrowUp"),
    ("US", "p_hold_per_linkage", "ArrowUp"),
    ("India", "india_transport_months", "ArrowUp"),
    ("Allies", "w_us_trust", "ArrowUp"),
    ("Time", "horizon_quarters", "ArrowDown"),
    ("Turkiye", "removal_months", "ArrowUp"),
]


def _check(page, size, step: str, extra: tuple[str, ...] = ()) -> None:
    width, height = size
    where = page.evaluate(VISIBLE_JS, [[*FIXED, *extra], width, height])
    bad = {k: v for k, v in where.items() if v != "ok"}
    if bad:
        page.screenshot(path=f"test-artifacts/FAILED-lesson_{width}x{height}_{step}.png")
    assert bad == {}, f"after {step} at {width}x{height}: {bad}"


def _open(browser, server, size):
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(120_000)
    page = context.new_page()
    serve.open_explorer(page, server.url("/"), views=True)
    return context, page


def _tab(page, title: str) -> None:
    page.click(f".s400-pane .lm-TabBar-tab:has(.lm-TabBar-tabLabel:text-is('{title}'))")
    page.wait_for_selector(f".s400-pane .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel:text-is('{title}')")


def _wait_effect(page, text: str) -> None:
    try:
        page.wait_for_function(
            "(t) => (document.querySelector('.s400-effect') || {innerText: ''}).innerText.includes(t)",
            arg=text,
            timeout=60_000,
        )
    except Exception:
        page.screenshot(path="test-artifacts/FAILED-lesson-effect.png")
        raise AssertionError(f"{text!r} not in {page.inner_text('.s400-effect-box')!r}") from None


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_a_lesson_keeps_everything_on_the_screen(voila_server, browser, artifacts_dir, size):
    register = load_register()
    context, page = _open(browser, voila_server, size)
    width = size[0]
    try:
        # the screen follows the window: the views are drawn for this width
        expect = 1000 if width >= 1890 else 720 if width >= 1362 else 560
        page.wait_for_function(
            "(w) => [...document.querySelectorAll('img.s400-img')]"
            ".every(i => i.complete && i.naturalWidth === w)",
            arg=expect,
        )
        _check(page, size, "load")
        page.select_option(serve.PRESET_SELECT, label=presets()[PRESET].label)
        page.wait_for_selector(".s400-scenario-line >> text=" + presets()[PRESET].label)
        page.wait_for_selector(".s400-verdict >> text=Legal conditions can be met")
        _check(page, size, "preset")
        for i, (tab, name, key) in enumerate(PRESSES):
            assert tab in TAB_TITLES.values()
            _tab(page, tab)
            box = page.locator(serve.control(name))
            box.focus()
            page.keyboard.press(key)
            _wait_effect(page, register[name].label)
            _check(page, size, f"press {i + 1} ({name})", (serve.control(name),))
        # the Outcomes table fits or scrolls sideways: its last column can be brought into view
        _tab(page, "Outcomes")
        page.wait_for_selector("table.s400-outcomes th:text-is('Difference')")
        _check(page, size, "outcomes", ("table.s400-outcomes th:first-child",))
        inside = page.evaluate(
            "() => { const w = document.querySelector('.s400-table-wrap').getBoundingClientRect();"
            " const p = document.querySelector('.s400-pane').getBoundingClientRect();"
            " return w.left >= p.left - 1 && w.right <= p.right + 1; }"
        )
        assert inside, f"the table's box is wider than its pane at {size}"
        page.evaluate(
            "() => { const w = document.querySelector('.s400-table-wrap'); w.scrollLeft = w.scrollWidth; }"
        )
        _check(page, size, "outcomes scrolled", ("table.s400-outcomes thead th:last-child",))
        page.fill(".s400-file-name input", f"lesson_{width}.json")
        page.locator(".s400-file-name input").press("Tab")
        page.click(".s400-files button >> text=Save")
        page.wait_for_selector(f".s400-status >> text=Saved to lesson_{width}.json")
        _check(page, size, "save", (".s400-status .s400-msg", "a.s400-download"))
        page.click(".s400-files button >> text=Load")
        page.wait_for_selector(f".s400-status >> text=from lesson_{width}.json")
        _check(page, size, "load a file", (".s400-status .s400-msg",))
        page.click(".s400-files button >> text=Export brief")
        page.wait_for_selector("a.s400-download >> text=Download the brief", timeout=240_000)
        page.wait_for_selector(".s400-status >> text=Brief ready")
        _check(page, size, "export", (".s400-status .s400-msg", "a.s400-download"))
        page.screenshot(path=str(artifacts_dir / f"lesson_{width}x{size[1]}.png"))
    finally:
        page.close(run_before_unload=True)
        context.close()


def test_numbers_as_people_type_them(voila_server, browser, artifacts_dir):
    """30 typed into the refund share is 30%; 130 is refused beside the box, naming the range,
    and leaves the scenario at 30%; a quarter is typed as 2027Q3."""
    size = (1366, 768)
    context, page = _open(browser, voila_server, size)
    try:
        page.select_option(serve.PRESET_SELECT, label=presets()[PRESET].label)
        page.wait_for_selector(".s400-verdict >> text=Legal conditions can be met")
        share = page.locator(serve.control("compensation_share"))
        assert "%" in page.inner_text(".s400-ctl-compensation_share label")
        share.fill("30")
        share.press("Tab")
        _wait_effect(page, "to 30% of")
        assert share.input_value() == "30"
        page.wait_for_selector(".s400-bargain >> text=deal at 30%")
        _tab(page, "Outcomes")
        page.wait_for_function(
            TABLE_MATCHES_JS, arg=expected_texts({"compensation_share": 0.3}, preset=PRESET)
        )
        _tab(page, "Turkiye")
        share.fill("130")
        share.press("Enter")  # focus stays (Tab would scroll the pane to the next box, and may
        # carry the note above the pane's top before it is checked)
        note_sel = ".s400-ctl-compensation_share + .s400-refused"
        page.wait_for_selector(f"{note_sel} >> text=between 0% and 100%")
        note = page.inner_text(note_sel)
        assert "130" in note and "unchanged" in note
        page.wait_for_function(
            "(s) => document.querySelector(s).value === '30'", arg=serve.control("compensation_share")
        )
        # the note sits under its box, which may be at the pane's lower edge: the pane scrolls to
        # it as a student would; it must then be wholly inside the window and the pane
        page.locator(f"{note_sel} .s400-msg").scroll_into_view_if_needed()
        _check(page, size, "refusal", (f"{note_sel} .s400-msg",))
        # a quarter, typed as people write it
        _tab(page, "India")
        sq5 = page.locator(serve.control("india_promise_sq5"))
        sq5.fill("2027Q2")
        sq5.press("Enter")
        _wait_effect(page, "to 2027Q2")
        sq5.fill("2027.5")
        sq5.press("Enter")
        page.wait_for_selector(".s400-ctl-india_promise_sq5 + .s400-refused >> text=2027Q3")
        _tab(page, "Outcomes")
        page.wait_for_function(
            TABLE_MATCHES_JS,
            arg=expected_texts({"compensation_share": 0.3, "india_promise_sq5": 2027.25}, preset=PRESET),
        )
    finally:
        page.close(run_before_unload=True)
        context.close()
