"""Tests for s400lab.reporting.brief: a self-contained HTML brief with the scenario's numbers and sources."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s400lab.data import load
from s400lab.model import OUTCOMES, Scenario, quarter_label, run
from s400lab.model.scenario import idle_parameters
from s400lab.model.scenario_io import save_scenario
from s400lab.reporting import brief


@pytest.fixture(scope="module")
def cash_brief(tmp_path_factory):
    path = tmp_path_factory.mktemp("brief") / "cash.html"
    brief.write_brief("full_return_cash", path, n_draws=200, seed=3)
    return path.read_text(encoding="utf-8")


def test_brief_has_the_scenarios_numbers(cash_brief):
    sc = Scenario.preset("full_return_cash")
    res = run(sc)
    assert sc.label in cash_brief
    assert quarter_label(res["sanctions_lifted_q"]) in cash_brief
    # the unit in its own column; battalions whole (as in the explorer), money to two decimals
    money = f"{res['tr_recovered_usd_bn']:,.2f}"
    assert f'<td class="unit">US$ bn</td><td class="num">{money}</td>' in cash_brief
    stock = round(res["ru_stock_end"])
    assert f'<td class="unit">battalions</td><td class="num">{stock}</td>' in cash_brief
    for key in brief.KEY_OUTCOMES:
        assert OUTCOMES[key][1].replace("'", "&#39;") in cash_brief
    assert "Legal conditions can be met" in cash_brief
    assert load().version in cash_brief


def test_brief_cites_sources_with_urls(cash_brief):
    sc = Scenario.preset("full_return_cash")
    idle = idle_parameters(sc.values)  # rows that cannot change this scenario are left out
    from s400lab.model.depletion import PARAMETERS as DERIVED

    ids = {
        i
        for name in sc.register.names()
        for i in sc.register[name].source_ids
        if sc.register[name].kind in ("lever", "uncertainty") and name not in idle and name not in DERIVED
    }
    # ranges derived from the yearly table cite the table once (its rows cite their sources)
    assert 'id="src-table:ru_s400_yearly"' in cash_brief and "data/ru_s400_yearly.csv" in cash_brief
    assert ids, "the register should cite sources"
    src = load().sources_for(sorted(ids))
    for row in src.itertuples():
        assert f'id="src-{row.source_id}"' in cash_brief
        if row.url.startswith(("http://", "https://")):
            assert f'href="{row.url.replace("&", "&amp;")}"' in cash_brief


def test_brief_is_self_contained(cash_brief):
    assert "data:image/png;base64," in cash_brief
    assert not re.search(r'<(img|script|link)[^>]+(src|href)="https?:', cash_brief)
    assert "@page" in cash_brief and "@media print" in cash_brief


def test_status_quo_brief_says_conditions_not_met(tmp_path):
    path = brief.write_brief("status_quo", tmp_path / "sq.html", n_draws=100, seed=1)
    assert "Legal conditions NOT met" in path.read_text(encoding="utf-8")


def test_never_overwrites_without_force(tmp_path, capsys):
    path = tmp_path / "b.html"
    path.write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError, match="--force"):
        brief.write_brief("status_quo", path, n_draws=100)
    assert path.read_text(encoding="utf-8") == "keep me"
    rc = brief.main(["--scenario", "status_quo", "--out", str(path), "--draws", "100"])
    assert rc == 2 and "already exists" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "keep me"
    rc = brief.main(["--scenario", "status_quo", "--out", str(path), "--draws", "100", "--force"])
    assert rc == 0 and "<!DOCTYPE html>" in path.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".brief-*"))  # no temporary file left behind


def test_scenario_file_is_escaped_and_used(tmp_path):
    sc = Scenario.preset("status_quo").with_changes(tr_action="transfer_third_party")
    f = save_scenario(sc, tmp_path / "mine.json", name="<script>alert(1)</script>", notes="Ankara & Moscow")
    out = brief.write_brief(f, tmp_path / "mine.html", n_draws=100, seed=2)
    text = out.read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "Ankara &amp; Moscow" in text
    # the choice as the explorer shows it, never its id (ids only in data-* attributes)
    assert "transfer third party" in text and "transfer_third_party" not in _visible_text(text)


def test_same_seed_same_numbers(tmp_path):
    a = brief.write_brief("partial_return", tmp_path / "a.html", n_draws=150, seed=9)
    b = brief.write_brief("partial_return", tmp_path / "b.html", n_draws=150, seed=9)
    strip = lambda p: re.sub(r"generated [^&]+", "", p.read_text(encoding="utf-8"))  # noqa: E731
    assert strip(a) == strip(b)


def test_bad_scenario_argument(tmp_path, capsys):
    assert brief.main(["--scenario", "no_such_preset", "--out", str(tmp_path / "x.html")]) == 2
    assert "neither a preset" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert brief.main(["--scenario", str(bad), "--out", str(tmp_path / "x.html")]) == 2
    assert "bad.json" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


# --------------------------------------------------------------------------- number formatting

#: A scenario that changes many values: levers, drawn assumptions and fixed settings.
MANY_CHANGES = dict(
    tr_action="return_full",
    return_quarter=4,
    compensation_form="energy_offset",
    compensation_share=0.8,
    ru_use_returned="india",
    us_response="cooperative",
    inventory_bn=70,
    production_bn_per_year=8,
    loss_rate_bn_per_year=4,
    india_promise_sq5=2027.25,
    india_undelivered_sq=2,
    removal_months=6,
    start_year=2026.5,
    horizon_quarters=32,
    p_tr_holding_4=0.5,
    home_requirement_bn=100,
    us_duration_mult_cooperative=0.4,
    s400_contract_usd_bn=2.6,
    w_us_trust=2.0,
    india_deadline_year=2028.0,
    us_block_mult_cooperative=0.3,
    w_moscow_leverage=1.5,
)

SCI = re.compile(r"\d[eE][+-]?\d")  # 2.03e+03, 1e-05, 5E7


def _text_without_images(html: str) -> str:
    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)


def _many_scenario():
    return Scenario.preset("full_return_energy_offset").with_changes(**MANY_CHANGES)


@pytest.fixture(scope="module")
def many_brief(tmp_path_factory):
    folder = tmp_path_factory.mktemp("many")
    f = save_scenario(
        _many_scenario(), folder / "many.json", name="Many changes", notes="Stress test of the layout. " * 30
    )
    return brief.write_brief(f, folder / "many.html", n_draws=200, seed=4).read_text(encoding="utf-8")


def test_format_value_hand_checked():
    fv = brief.format_value
    assert fv(2026.25, "year") == "2026Q2" and fv(2027.75, "year") == "2027Q4"
    assert fv(2026.6, "year") == "2026.60 (year)"  # off the quarter grid: no false quarter
    assert fv(1, "battalions") == "1 battalion" and fv(2, "battalions") == "2 battalions"
    assert fv(1, "squadrons") == "1 squadron" and fv(1, "battalions / year") == "1 battalion / year"
    assert fv(0.05, "US$ bn / year") == "0.05 US$ bn / year"
    assert fv(0.8, "share of US$2.5bn") == "0.8 share of US$2.5bn"  # as the explorer's slider
    assert fv(2500.0, "US$ m") == "2,500 US$ m" and fv(1e-5, "share") == "0.00001 share"
    assert fv(0.5, "x") == "\u00d70.5" and fv(0.5, "uniform 0-1") == "0.5"
    assert fv(2.0, "weight") == "2"
    assert fv("energy_offset", "") == "energy_offset" and fv(True, "") == "yes"
    assert fv(float("nan"), "months") == "n/a"


def test_format_range_of_register_rows():
    reg = Scenario.preset("status_quo").register
    assert brief.format_range(reg["india_promise_sq4"]) == "2026Q2\u20132026Q4"
    assert brief.format_range(reg["india_promise_sq5"]) == "2026Q4\u20132027Q4"
    assert brief.format_range(reg["tr_holding_bn"]) == "2 or 4 battalions"
    assert brief.format_range(reg["removal_months"]) == "1\u201312 months"
    assert brief.format_range(reg["tr_action"]) == ""
    for p in reg:  # every row of the register formats without scientific notation
        for text in (brief.format_range(p), brief.format_value(p.default, p.unit)):
            assert not SCI.search(text), (p.name, text)
        if p.unit == "year" and p.is_numeric:
            assert re.fullmatch(r"\d{4}Q[1-4]", brief.format_value(p.default, p.unit))


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_numbers_are_plain_decimals(x):
    text = brief.format_value(x, "")
    assert not SCI.search(text) and "e" not in text.lower()
    back = float(text.replace(",", ""))
    assert abs(back - x) <= max(0.005, 0.005 * abs(x)) or abs(x) < 1e-10


@pytest.mark.parametrize("fixture", ["cash_brief", "many_brief"])
def test_no_scientific_notation_anywhere(fixture, request):
    # the data version ends in a content hash (e.g. "0c8e25e277"): hex, not a number
    html = _text_without_images(request.getfixturevalue(fixture)).replace(load().version, "")
    assert not re.search(r"\de[+-]\d", html, re.I)  # 2.03e+03 anywhere (bar the PNG data)
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", html, flags=re.S))
    hit = SCI.search(text)  # and no 1e5 / 5E0 in any shown text (CSS colours excluded)
    assert hit is None, text[max(0, hit.start() - 60) : hit.end() + 60]


def test_decimal_year_parameters_print_as_quarters(many_brief):
    rows = _param_rows(many_brief)
    assert "2026Q2" in rows["india_promise_sq4"]["html"]
    assert "2026Q2\u20132026Q4" in rows["india_promise_sq4"]["html"]
    assert "2027Q2" in rows["india_promise_sq5"]["html"]  # changed from 2026.75 ...
    assert "(default 2026Q4)" in rows["india_promise_sq5"]["html"]  # ... shown with its default
    assert "2026Q3" in rows["start_year"]["html"]  # a changed setting is listed too


# --------------------------------------------------------------------------- page 2 contents


def _param_rows(html: str) -> dict[str, dict]:
    rows = {}
    for m in re.finditer(r'<tr data-param="(\w+)"( class="changed")?>(.*?)</tr>', html, re.S):
        refs = re.search(r'<td class="refs">(?:\[([\d, ]+)\])?', m.group(3))
        rows[m.group(1)] = {
            "changed": bool(m.group(2)),
            "html": m.group(3),
            "refs": [int(n) for n in refs.group(1).split(",")] if refs and refs.group(1) else [],
        }
    return rows


def _listed_sources(html: str) -> dict[int, str]:
    found = re.findall(r'<li id="src-([^"]+)"[^>]*><span class="n">(\d+)</span>', html)
    return {int(n): sid for sid, n in found}


@pytest.mark.parametrize("fixture", ["cash_brief", "many_brief"])
def test_each_cited_number_resolves_to_its_source(fixture, request):
    html = request.getfixturevalue(fixture)
    rows, listed = _param_rows(html), _listed_sources(html)
    assert rows and listed
    assert sorted(listed) == list(range(1, len(listed) + 1))  # numbered 1..N, each once
    cited = {n for r in rows.values() for n in r["refs"]}
    assert cited == set(listed)  # every number resolves; only cited sources are listed
    reg = Scenario.preset("status_quo").register
    from s400lab.model.depletion import PARAMETERS as DERIVED

    for name, r in rows.items():  # [n] points at exactly the sources the register cites
        expected = ["table:ru_s400_yearly"] if name in DERIVED else list(reg[name].source_ids)
        assert [listed[n] for n in r["refs"]] == expected, name
    ds_ids = set(load().sources["source_id"])
    assert set(listed.values()) - {"table:ru_s400_yearly"} <= ds_ids


def test_changed_values_are_highlighted_and_listed_first(many_brief):
    sc = _many_scenario()
    rows = _param_rows(many_brief)
    names = list(rows)
    changed = [n for n in names if rows[n]["changed"]]
    assert set(changed) == set(sc.changes())  # every change is shown and marked
    assert names[: len(changed)] == changed  # ... before every unchanged row
    reg = sc.register
    idle = idle_parameters(sc.values)  # rows that cannot change this scenario are left out
    shown = {n for n in reg.names() if reg[n].kind in ("lever", "uncertainty") and n not in idle} | set(
        changed
    )
    assert set(names) == shown  # all choices and assumptions, plus changed settings
    assert "(default 0.6)" in rows["compensation_share"]["html"]
    assert f"Shaded: {len(changed)} values changed" in many_brief


def test_versions_in_the_footer(cash_brief):
    from s400lab import __version__

    footer = re.search(r"<footer>(.*?)</footer>", cash_brief, re.S).group(1)
    assert load().version in footer and f"s400lab {__version__}" in footer


def test_layout_gets_denser_only_when_needed():
    ctx = {}
    for preset in ("status_quo", "full_return_energy_offset"):
        sc = Scenario.preset(preset)
        params, cited = brief._parameter_rows(sc)
        ctx[preset] = (params, cited)
    params, cited = brief._parameter_rows(_many_scenario())
    assert len(params) > len(ctx["status_quo"][0])
    fake = [
        {
            "n": i,
            "publication": "Publication",
            "published": "2025-12-17",
            "title": "t" * 40,
            "display_url": "example.org/\u2026",
        }
        for i in range(60)
    ]
    full = brief.estimate_page2_mm(params, fake, "full")
    assert brief.estimate_page2_mm(params, fake, "compact") < full
    assert brief.choose_layout(params[:5], fake[:5]) == "full"
    assert brief.choose_layout(params * 2, fake * 2) == "flow"


def test_presets_keep_page2_on_its_own_page(cash_brief):
    # v3 (issue 25) added the bargain's register rows and their sources (Siper, Steel Dome, the
    # contracts behind a battalion's price): the cash preset's page 2 now needs the compact
    # layout (4 columns, the title carries the link) -- still its own page, never "flow"
    assert 'class="page2 full"' in cash_brief or 'class="page2 compact"' in cash_brief
    assert "tass.com/defense/1116403" in cash_brief  # the link is kept (printed or in the title)


# --------------------------------------------------------------------------- real page count


def _pdf_pages(pdf: bytes, path) -> int:
    """Pages of a PDF: its /Type /Page objects, cross-checked with pdfinfo when installed."""
    n = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    assert n > 0, "could not count the pages of the printed PDF"
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        assert int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1)) == n
    return n


@pytest.mark.browser
def test_brief_prints_on_two_pages_a4_and_letter(tmp_path):
    from _browser import launch_chromium
    from playwright.sync_api import sync_playwright

    many = save_scenario(
        _many_scenario(),
        tmp_path / "many.json",
        name="Many changes",
        notes="Stress test of the layout. " * 30,
    )
    briefs = {
        name: brief.write_brief(sc, tmp_path / f"{name}.html", n_draws=200, seed=5)
        for name, sc in (
            ("status_quo", "status_quo"),
            ("energy", "full_return_energy_offset"),
            ("many", many),
        )
    }
    pages = {}
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page()
            for name, html in briefs.items():
                page.goto(html.resolve().as_uri())
                for fmt in ("A4", "Letter"):
                    out = tmp_path / f"{name}-{fmt}.pdf"
                    pdf = page.pdf(format=fmt, path=str(out), print_background=True)
                    pages[name, fmt] = _pdf_pages(pdf, out)
        finally:
            browser.close()
    assert all(1 <= n <= 2 for n in pages.values()), pages


def test_explorer_brief_equals_the_cli_brief_of_its_saved_file(tmp_path):
    """The brief exported from the explorer is the one the command line writes for the file
    the explorer saves, with the explorer's draws and seed (name, preset, changed values)."""
    from s400lab.ui.explorer import ScenarioExplorer

    ex = ScenarioExplorer(preset="full_return_cash", save_dir=tmp_path, n_draws=300, seed=7)
    ex.set_values(compensation_share=0.4, us_response="hostile")
    ex.scenario_name.value = "Seminar 4: cheaper refund"
    ex.file_name.value = "seminar4.json"
    assert ex.save() == tmp_path / "seminar4.json"
    ui = ex.brief_html()
    out = tmp_path / "cli.html"
    scenario = str(tmp_path / "seminar4.json")
    cmd = [sys.executable, "-m", "s400lab", "brief", "--scenario", scenario, "--out", str(out)]
    subprocess.run([*cmd, "--draws", "300", "--seed", "7"], check=True, capture_output=True, timeout=600)

    def normal(text: str) -> str:
        return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "<generated>", text)

    assert normal(ui) == normal(out.read_text(encoding="utf-8"))
    assert "<h1>Seminar 4: cheaper refund</h1>" in ui
    assert "Edited from preset &lsquo;Full return for a cash refund&rsquo;</b>: 2 values differ" in ui
    assert "<b>0.4 share of US$2.5bn</b> (preset: 0.6 share of US$2.5bn)" in ui  # the changed value
    assert "<b>hostile</b>" in ui
    assert "ensemble 300 draws, seed 7" in ui


# --------------------------------------------------------------------------- the brief is the screen


def _visible_text(html_text: str) -> str:
    """The brief's text as read: no tags (so no attributes), no embedded picture."""
    return re.sub(r"<[^>]+>", " ", _text_without_images(html_text))


def _cells(html_text: str) -> dict[str, list[str]]:
    """The key-outcomes table: outcome id -> its cell texts (label, unit, value, baseline,
    difference, uncertainty)."""
    import html as html_lib

    rows = re.findall(r'<tr data-outcome="([a-z0-9_]+)">(.*?)</tr>', html_text, flags=re.S)
    return {
        k: [
            html_lib.unescape(" ".join(c.split()))
            for c in re.findall(r"<td[^>]*>(.*?)</td>", body, flags=re.S)
        ]
        for k, body in rows
    }


#: A figure as printed: a quarter, a percentage (with < or >), a signed or plain number.
FIGURE = re.compile(r"\d{4}Q[1-4]|[<>]?\d+%|[+-]?\d[\d,]*(?:\.\d+)?")


def _figures(text: str) -> list[str]:
    return FIGURE.findall(text)


@pytest.mark.parametrize(
    ("preset", "changes", "hold_course"),
    [
        ("full_return_cash", {"compensation_share": 0.3}, False),
        ("full_return_cash", {"compensation_share": 0.3, "us_response": "hostile"}, True),
        ("status_quo", {"production_bn_per_year": 8, "horizon_quarters": 28}, False),
        ("early_return_india", {}, False),
    ],
)
def test_every_figure_in_the_brief_is_the_explorers(preset, changes, hold_course):
    """Item 5 of issue 21: for the same state the brief prints the explorer's figures --
    the central value, the status quo, the difference, each date's chance and median, each
    range, the share of draws meeting the legal conditions, the draws and the seed -- and
    names an edited preset as edited without reprinting its description."""
    from s400lab.ui.explorer import ScenarioExplorer

    ex = ScenarioExplorer(preset=preset, n_draws=400, seed=5)
    if changes:
        ex.set_values(**changes)
    if hold_course:
        ex.set_values(war_course=ex.register["war_course"].default)  # "attrition in every draw"
        assert ex.held == ("war_course",)
    text = ex.brief_html()
    frame = ex.outcomes_frame
    cells = _cells(text)
    assert set(cells) == set(brief.KEY_OUTCOMES)
    for key, (label, unit, value, base, diff, spread) in cells.items():
        row = frame.loc[key]
        assert label == row["label"] and unit == row["unit_text"], key
        # the brief marks a single-run US date with "*", the explorer says "if not blocked"
        assert value.rstrip("*") == row["value_text"].replace(" if not blocked", ""), key
        assert base.rstrip("*") == row["baseline_text"].replace(" if not blocked", ""), key
        assert (diff if diff != "same" else "") == row["difference_text"], key
        assert _figures(spread) == _figures(row["spread_text"]), (key, spread, row["spread_text"])
    # the verdict's share of draws and the ensemble's size and seed are the explorer's
    chance = re.search(r"(\S+) of [\d,]+ draws meet the conditions", ex.verdict.value).group(1)
    assert f"{chance} of 400 draws meet the conditions" in text
    assert "ensemble 400 draws, seed 5" in text and "seed 5)" in ex.verdict.value
    # every choice and assumption printed as the explorer's control holds it
    for name in re.findall(r'<tr data-param="([a-z0-9_]+)" class="changed">', text):
        assert name in ex.scenario.values
    preset_sc = Scenario.preset(preset)
    visible = _visible_text(text)
    if changes:
        assert "Edited from preset" in visible and preset_sc.label in visible
        assert " ".join(preset_sc.description.split())[:80] not in " ".join(visible.split())
        for name in changes:
            assert ex.register[name].label.replace("'", "&#39;") in text
    else:
        assert "(unchanged)" in visible and "Edited from preset" not in visible
    # labels, not ids: no choice id or parameter name outside tags' attributes
    ids = {c for p in ex.register for c in (p.choices or ()) if "_" in c} | set(ex.register.names())
    assert not [w for w in re.findall(r"[a-z0-9]+(?:_[a-z0-9]+)+", visible) if w in ids]


def test_brief_defaults_are_the_explorers_live_ensemble():
    """A brief with the defaults (command line included) shows what the projector shows."""
    import inspect

    from s400lab.ui.explorer import ScenarioExplorer

    sig = inspect.signature(ScenarioExplorer).parameters
    assert (sig["n_draws"].default, sig["seed"].default) == (brief.DEFAULT_DRAWS, brief.DEFAULT_SEED)


# --------------------------------------------------------------------------- command line: bad input


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--draws", "9" * 400], "argument --draws: '99999"),
        (["--draws", "10**9"], "is not a whole number; use 100..100,000"),
        (["--draws", "100001"], "is out of range; use 100..100,000"),
        (["--draws", "99"], "is out of range; use 100..100,000"),
        (["--draws", "1_000"], "is not a whole number"),
        (["--seed", "-1"], "argument --seed: '-1' is out of range; use 0..4,294,967,295"),
        (["--seed", "1e3"], "argument --seed: '1e3' is not a whole number"),
        (["--out", ""], "argument --out: must not be empty"),
        (["--out", "a\x1b[2Jb.html"], "contains the control character"),
        (["--scenario", " "], "argument --scenario: must not be empty"),
        (["--baseline", ""], "argument --baseline: must not be empty"),
    ],
)
def test_bad_options_are_one_clear_usage_error(tmp_path, capsys, args, message):
    base = {"--scenario": "status_quo", "--out": str(tmp_path / "x.html")}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    argv = [part for kv in base.items() for part in kv]
    with pytest.raises(SystemExit) as info:
        brief.main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "x.html").exists()


def test_a_named_pipe_as_scenario_is_refused_at_once(tmp_path, capsys):
    """A FIFO would block a reader forever: it is refused without being opened for reading."""
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    for name in (fifo, tmp_path / "pipe"):  # with and without the .json suffix
        if name != fifo:
            os.mkfifo(name)
        assert brief.main(["--scenario", str(name), "--out", str(tmp_path / "x.html")]) == 2
        assert "is a named pipe, not a scenario file" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


def _cli(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "s400lab", *args], capture_output=True, text=True, timeout=300, cwd=cwd
    )


def test_cli_never_prints_a_traceback_unless_debug(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "s400lab-scenario", "values": {"inventory_bn": 1e309}}', encoding="utf-8")
    args = ("brief", "--scenario", str(bad), "--out", str(tmp_path / "x.html"))
    plain = _cli(*args, cwd=tmp_path)
    assert plain.returncode == 2
    assert plain.stderr.strip().count("\n") == 0, plain.stderr
    assert "$.values.inventory_bn: number '1e309' is out of range" in plain.stderr
    assert "Traceback" not in plain.stderr
    debug = _cli(*args, "--debug", cwd=tmp_path)
    assert debug.returncode != 0 and "Traceback" in debug.stderr


def test_cli_wrapper_turns_any_error_into_one_line(monkeypatch, capsys):
    from s400lab import __main__ as cli

    def boom(command, rest, debug):
        raise {"brief": ValueError, "freshness": ZeroDivisionError}[command]("first\nsecond")

    monkeypatch.setattr(cli, "_dispatch", boom)
    assert cli.main(["brief"]) == 2
    assert capsys.readouterr().err == "s400lab brief: first / second\n"
    assert cli.main(["freshness"]) == 1
    err = capsys.readouterr().err
    assert "unexpected ZeroDivisionError: first / second" in err and "--debug" in err
    with pytest.raises(ZeroDivisionError):
        cli.main(["freshness", "--debug"])
