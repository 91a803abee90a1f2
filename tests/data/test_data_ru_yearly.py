"""data/ru_s400_yearly.csv: Russia's S-400 production and losses per year and claimant.

Broken copies of the shipped package (the minimal fixture has no such table) give one clear
message naming file, row and column; the shipped table is loaded typed and its loss rows
account for every strike claim on Russian S-400s in events.csv.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from s400lab.data import DataError, load

FILE = "ru_s400_yearly.csv"


@pytest.fixture
def real(tmp_path: Path, h) -> Path:
    return h.copy_package(h.REAL, tmp_path)


def broken(path: Path) -> DataError:
    with pytest.raises(DataError) as info:
        load(path)
    return info.value


def _index(h, path: Path, column: str, value: str) -> int:
    rows = h.read_rows(path)
    col = rows[0].index(column)
    return next(i for i, r in enumerate(rows[1:]) if r[col] == value)


def test_loader_exposes_the_table_typed(h) -> None:
    ds = load(h.REAL)
    t = ds.ru_s400_yearly
    assert t is ds.table("ru_s400_yearly") or t.equals(ds.table("ru_s400_yearly"))
    assert str(t["year"].dtype) == "Int64" and t["value_bn"].dtype == "float64"
    assert str(t["counts"].dtype) == "boolean"
    assert set(t["figure"]) == {"production", "losses", "inventory"}
    assert set(t["claimant"]) <= {"Russia", "Ukraine", "independent"}
    # every row's sources exist (the provenance helper resolves them)
    for _, row in t.iterrows():
        assert len(ds.sources_for(row)) >= 1
    # a counted row has a value; production and loss rows in battalions are never negative
    counted = t[t["counts"]]
    assert counted["value_bn"].notna().all()
    assert (t["value_bn"].dropna() >= 0).all()


def test_loss_rows_account_for_every_strike_on_a_russian_s400(h) -> None:
    ds = load(h.REAL)
    t, ev = ds.ru_s400_yearly, ds.events.set_index("event_id")
    losses = t[t["figure"] == "losses"]
    assert losses["event_id"].notna().all()
    assert losses["event_id"].is_unique  # one row per claim
    assert set(ev.loc[list(losses["event_id"]), "event_type"]) <= {"strike"}
    # every strike on Russia's S-400s (Ukraine the attacker) has a row, counted or with a reason
    strikes = ev[(ev["event_type"] == "strike") & (ev["counterpart"] == "Russia")]
    assert set(strikes.index) <= set(losses["event_id"])
    for _, r in losses[~losses["counts"]].iterrows():
        assert str(r["notes"]).startswith("Not counted"), r["row_id"]
    # a row naming no S-400 does not count (issue 26: the navy's radar claim)
    navy = losses.set_index("event_id").loc["2025-09-01-crimea-radars-navy"]
    assert not navy["counts"]
    assert "not counted" in str(ev.loc["2025-09-01-crimea-radars-navy", "notes"])
    # each counted loss is in the year of its event
    for _, r in losses[losses["counts"]].iterrows():
        assert pd.Timestamp(ev.loc[r["event_id"], "date"]).year == r["year"], r["row_id"]


def test_bad_figure_names_file_row_column(real: Path, h) -> None:
    row = h.set_cell(real / FILE, 0, "figure", "sales")
    err = broken(real)
    h.find(err, FILE, row, "figure", '"sales" is not one of: production, losses, inventory')


def test_unknown_event_names_file_row_column(real: Path, h) -> None:
    i = _index(h, real / FILE, "row_id", "L2024-RU-lotarevka")
    row = h.set_cell(real / FILE, i, "event_id", "2024-11-23-no-such-event")
    err = broken(real)
    p = h.find(err, FILE, row, "event_id", "2024-11-23-no-such-event")
    assert "events" in p.message


def test_unknown_source_names_file_row_column(real: Path, h) -> None:
    good = h.get_cell(real / FILE, 0, "source_ids")
    row = h.set_cell(real / FILE, 0, "source_ids", good + ";no-such-source-2099")
    err = broken(real)
    h.find(err, FILE, row, "source_ids", 'source id "no-such-source-2099" is not in data/sources.csv')


def test_negative_value_and_bad_boolean(real: Path, h) -> None:
    r1 = h.set_cell(real / FILE, 0, "value_bn", "-1")
    r2 = h.set_cell(real / FILE, 1, "counts", "maybe")
    err = broken(real)
    h.find(err, FILE, r1, "value_bn", '"-1" is below the minimum 0')
    h.find(err, FILE, r2, "counts", '"maybe"')


def test_official_row_on_news_only_fails_the_grading_rule(real: Path, h) -> None:
    # the UK MoD row is official; cite only a news source and the grade check refuses it
    i = _index(h, real / FILE, "row_id", "L2023-IND-ukmod")
    row = h.set_cell(real / FILE, i, "source_ids", "thedefensepost-2023-10-05-belgorod")
    err = broken(real)
    h.find(err, FILE, row, "confidence", 'is "official" but its sources are')
