"""Stakeholders who act: sourced interests mapped to model outcomes, each with a role brief."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from s400lab.analysis import tradeoffs as tr
from s400lab.model import OUTCOMES

REPO = Path(__file__).resolve().parents[2]
NEW = {"India", "Greece/Cyprus", "Israel", "EU", "China"}


def test_every_new_stakeholder_has_a_sourced_criterion_on_a_model_outcome():
    sources = set(pd.read_csv(REPO / "data" / "sources.csv")["source_id"])
    derived = set(tr.DERIVED_OUTCOMES)
    assert {c.stakeholder for c in tr.STAKEHOLDER_CRITERIA} == NEW
    for c in tr.STAKEHOLDER_CRITERIA:
        assert c.source_ids and c.interest and c.rationale, c.criterion_id
        missing = [s for s in c.source_ids if s not in sources]
        assert missing == [], (c.criterion_id, missing)
        assert c.outcome in OUTCOMES or c.outcome in derived, c.outcome
    ids = [c.criterion_id for c in tr.ALL_CRITERIA]
    assert len(ids) == len(set(ids))


def test_stakeholder_weights_are_the_students_and_rank_the_options():
    wide, _ = tr.preset_matrix(tr.ALL_CRITERIA)
    scores = tr.normalise(wide, tr.ALL_CRITERIA)
    israel = tr.rank_options(scores, tr.stakeholder_weights("Israel", tr.ALL_CRITERIA, low=0))
    # no F-35 for Turkiye is best for Israel: the options that keep the systems rank first
    assert israel.loc["status_quo", "rank"] == 1 and israel.loc["full_return_cash", "rank"] > 1
    eu = tr.rank_options(scores, {"eu_ru_stock": 1.0})
    # the transfer is the only divestiture that gives Russia nothing back
    assert eu.loc["transfer_third_party", "rank"] == 1 and eu.loc["full_return_cash", "rank"] > 1
    table = tr.stakeholder_table()
    assert set(table["stakeholder"]) == NEW and table["sources"].str.len().gt(0).all()


def test_each_team_has_a_one_page_role_brief():
    roles = REPO / "docs" / "roles"
    briefs = {p.stem: p.read_text(encoding="utf-8") for p in roles.glob("*.md") if p.stem != "README"}
    for team in (
        "turkiye",
        "russia",
        "united_states",
        "india",
        "greece_cyprus",
        "israel",
        "eu",
        "china",
        "white_cell",
    ):
        assert team in briefs, team
        text = briefs[team]
        assert len(text.split()) <= 650, f"{team}: more than one page ({len(text.split())} words)"
    sources = set(pd.read_csv(REPO / "data" / "sources.csv")["source_id"])
    for team, text in briefs.items():
        cited = re.findall(r"`([a-z0-9][a-z0-9_.]*-[a-z0-9_.-]+)`", text)  # source ids have hyphens
        assert cited, f"{team}: the brief cites no source"
        unknown = [s for s in cited if s not in sources]
        assert unknown == [], (team, unknown)
