"""The shipped data/ validates, loads with the documented types, and is never written to."""

from __future__ import annotations

import contextlib
import json
import re

import pandas as pd
import pytest

from s400lab.data import REQUIRED_TABLES, Dataset, load, validate
from s400lab.data.cli import main_validate


def test_shipped_data_validates(h) -> None:
    problems = validate(h.REAL)
    assert problems == [], "\n".join(map(str, problems))


def test_shipped_data_loads_with_documented_types(h) -> None:
    ds = load(h.REAL)
    assert isinstance(ds, Dataset)
    for name in REQUIRED_TABLES:
        assert isinstance(getattr(ds, name), pd.DataFrame)
    assert len(ds.events) >= 60, "architecture.md: the timeline has at least 60 events"
    for name in ("sources", "deals", "deliveries", "promises", "parameters", "scenarios"):
        assert len(ds.table(name)) > 0, name
    assert str(ds.events["date"].dtype).startswith("datetime64")
    assert ds.deals["value_usd_bn"].dtype == "float64"
    assert ds.deliveries["tranche"].dtype == "Int64"
    assert ds.events["title"].dtype == "string"
    assert re.fullmatch(r"\d+\.\d+\.\d+\+[0-9a-f]{10}", ds.version)
    assert ds.version.startswith(json.loads((h.REAL / "datapackage.json").read_text())["version"] + "+")


def test_every_fact_row_has_sources(h) -> None:
    ds = load(h.REAL)
    for name in ("deals", "deliveries", "promises", "events"):
        frame = ds.table(name)
        for _, row in frame.iterrows():
            assert len(ds.sources_for(row)) >= 1, (name, row.iloc[0])


def test_datapackage_lists_every_table_with_external_schema(h) -> None:
    dp = json.loads((h.REAL / "datapackage.json").read_text())
    assert dp["licenses"][0]["name"] == "CC-BY-4.0"
    names = [r["name"] for r in dp["resources"]]
    assert set(REQUIRED_TABLES) <= set(names)
    for r in dp["resources"]:
        assert r["schema"] == f"schemas/{r['name']}.schema.json"
        assert r["path"] == f"{r['name']}.csv"
        assert {"format", "encoding", "mediatype", "description"} <= set(r)


def test_fixture_fact_schemas_are_the_shipped_ones(h) -> None:
    # the fixture must follow the real contract, or the broken-copy tests prove nothing
    for name in ("sources", "deals", "deliveries", "promises", "events"):
        real = json.loads((h.REAL / "schemas" / f"{name}.schema.json").read_text())
        fixture = json.loads((h.FIXTURE / "schemas" / f"{name}.schema.json").read_text())
        assert fixture == real, f"re-copy data/schemas/{name}.schema.json into the fixture"


def test_fixture_validates(h) -> None:
    problems = validate(h.FIXTURE)
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.parametrize("which", ["REAL", "FIXTURE"])
def test_load_and_validate_write_nothing(h, which: str, capsys: pytest.CaptureFixture[str]) -> None:
    root = getattr(h, which)
    before = h.tree_digest(root)
    with contextlib.suppress(ValueError):  # an invalid package must not be "fixed" or cached either
        load(root)
    validate(root)
    main_validate([str(root)])
    capsys.readouterr()
    assert h.tree_digest(root) == before
