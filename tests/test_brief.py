"""Tests for s400lab.brief: a self-contained HTML brief with the scenario's numbers and sources."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from s400lab import brief  # noqa: E402
from s400lab.data import load  # noqa: E402
from s400lab.model import OUTCOMES, Scenario, quarter_label, run  # noqa: E402
from s400lab.scenario_io import save_scenario  # noqa: E402


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
    assert f"{res['tr_recovered_usd_bn']:,.2f} US$ bn" in cash_brief
    assert f"{res['ru_stock_end']:,.2f} battalions" in cash_brief
    for key in brief.KEY_OUTCOMES:
        assert OUTCOMES[key][1].replace("'", "&#39;") in cash_brief
    assert "Legal conditions can be met" in cash_brief
    assert load().version in cash_brief


def test_brief_cites_sources_with_urls(cash_brief):
    sc = Scenario.preset("full_return_cash")
    ids = {i for name in sc.register.names() for i in sc.register[name].source_ids
           if sc.register[name].kind in ("lever", "uncertainty")}
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
    rc = brief.main(["--scenario", "status_quo", "--out", str(path), "--draws", "100",
                     "--force"])
    assert rc == 0 and "<!DOCTYPE html>" in path.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".brief-*"))  # no temporary file left behind


def test_scenario_file_is_escaped_and_used(tmp_path):
    sc = Scenario.preset("status_quo").with_changes(tr_action="transfer_third_party")
    f = save_scenario(sc, tmp_path / "mine.json", name="<script>alert(1)</script>",
                      notes="Ankara & Moscow")
    out = brief.write_brief(f, tmp_path / "mine.html", n_draws=100, seed=2)
    text = out.read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "Ankara &amp; Moscow" in text
    assert "transfer_third_party" in text


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
