"""load(): types, provenance helpers, cache behaviour, the S400LAB_DATA override."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from s400lab.data import DataError, default_data_dir, load


def test_types_and_missing_values(h) -> None:
    ds = load(h.FIXTURE)
    assert list(ds.deliveries["tranche"]) == [1, 2]
    assert ds.deliveries["tranche"].dtype == "Int64"
    assert ds.promises["tranche"].isna().all()  # empty cell = unknown, not 0
    assert ds.deals["value_usd_bn"].tolist() == [2.5, 2.5]
    assert pd.isna(ds.deliveries.loc[1, "planned_date"])
    assert ds.deliveries.loc[0, "actual_date"] == pd.Timestamp("2019-07-12")
    assert pd.isna(ds.deals.loc[0, "variant_of"])
    assert ds.parameters["low"].dtype == "float64"
    assert ds.scenarios["order"].dtype == "Int64"
    assert list(ds.events.columns)[:3] == ["event_id", "date", "date_precision"]


def test_sources_for_accepts_rows_strings_and_lists(h) -> None:
    ds = load(h.FIXTURE)
    row = ds.events.iloc[2]  # cites two sources, in this order
    got = ds.sources_for(row)["source_id"].tolist()
    assert got == ["timeturk-2017-12-four-batteries", "tass-2020-02-04-s400-turkey"]
    assert ds.sources_for("tass-2017-07-26-erdogan-signed")["publication"].tolist() == ["TASS"]
    assert len(ds.sources_for(["tass-2020-02-04-s400-turkey"] * 2)) == 1
    assert ds.sources_for(ds.parameters.iloc[2]).empty  # a labelled assumption cites nothing
    with pytest.raises(KeyError, match="no-such"):
        ds.sources_for("no-such")


def test_table_lookup(h) -> None:
    ds = load(h.FIXTURE)
    assert ds.table("events") is ds.events
    with pytest.raises(KeyError, match="tables: sources, deals"):
        ds.table("weather")


def test_cache_hands_out_independent_frames(h) -> None:
    a = load(h.FIXTURE)
    a.events.loc[0, "title"] = "changed by a student"
    b = load(h.FIXTURE)
    assert b.events.loc[0, "title"] != "changed by a student"
    assert a.version == b.version


def test_edit_changes_version_and_is_seen(fixture_copy: Path, h) -> None:
    v1 = load(fixture_copy).version
    h.set_cell(fixture_copy / "events.csv", 0, "title", "Erdogan: contract signed")
    ds = load(fixture_copy)
    assert ds.events.loc[0, "title"] == "Erdogan: contract signed"
    assert ds.version != v1
    h.set_cell(fixture_copy / "events.csv", 0, "date", "yesterday")
    with pytest.raises(DataError):
        load(fixture_copy)  # a cached good load must not hide a new problem


def test_env_override(monkeypatch: pytest.MonkeyPatch, fixture_copy: Path) -> None:
    monkeypatch.setenv("S400LAB_DATA", str(fixture_copy))
    assert default_data_dir() == fixture_copy
    assert load().path == fixture_copy.resolve()
    monkeypatch.delenv("S400LAB_DATA")
    assert default_data_dir() == Path(__file__).resolve().parents[2] / "data"


def test_missing_directory_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="does not exist"):
        load(tmp_path / "nowhere")


def test_package_copy_is_private(h) -> None:
    ds = load(h.FIXTURE)
    ds.package["version"] = "9.9.9"
    assert load(h.FIXTURE).package["version"] != "9.9.9"
