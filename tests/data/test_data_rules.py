"""Cross-table rules and file-level problems, on copies of the minimal fixture."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s400lab.data import DataError, load, validate
from s400lab.data.checks import check_precision
from s400lab.data.table import Table


def broken(path: Path) -> DataError:
    with pytest.raises(DataError) as info:
        load(path)
    return info.value


@pytest.mark.parametrize(
    ("column", "value", "text"),
    [
        ("central", "9", "low <= central <= high is broken: 0, 9, 4"),
        ("step", "0", "must be a number > 0"),
        ("default", "3", '"3" should equal central (2)'),
        ("high", "4.5", '"4.5" is not a whole number (type is int)'),
    ],
)
def test_parameter_ranges(fixture_copy: Path, h, column: str, value: str, text: str) -> None:
    row = h.set_cell(fixture_copy / "parameters.csv", 1, column, value)  # return_battalions, int 0..4
    h.find(broken(fixture_copy), "parameters.csv", row, column, text)


def test_parameter_default_outside_range_and_choices(fixture_copy: Path, h) -> None:
    r1 = h.set_cell(fixture_copy / "parameters.csv", 0, "default", "sell")
    h.set_cell(fixture_copy / "parameters.csv", 1, "central", "5")
    r2 = h.set_cell(fixture_copy / "parameters.csv", 1, "default", "5")
    err = broken(fixture_copy)
    h.find(
        err,
        "parameters.csv",
        r1,
        "default",
        '"sell" is not one of the choices: keep, activate, return, transfer',
    )
    h.find(err, "parameters.csv", r2, "default", '"5" is outside the range 0 .. 4')


def test_parameter_needs_source_or_assumption_label(fixture_copy: Path, h) -> None:
    row = h.set_cell(
        fixture_copy / "parameters.csv", 2, "confidence", "reported"
    )  # ru_production, no sources
    h.find(
        broken(fixture_copy),
        "parameters.csv",
        row,
        "source_ids",
        "cite a source, or label the range an assumption",
    )


def test_uncertainty_needs_distribution(fixture_copy: Path, h) -> None:
    row = h.set_cell(fixture_copy / "parameters.csv", 2, "distribution", "none")
    h.find(broken(fixture_copy), "parameters.csv", row, "distribution", "an uncertainty needs a distribution")


@pytest.mark.parametrize(
    ("parameter", "value", "text"),
    [
        ("return_battalions", "7", '"7" is outside the range 0 .. 4'),
        ("return_battalions", "1.5", '"1.5" is not a whole number'),
        ("tr_action", "sell", '"sell" is not one of the choices'),
    ],
)
def test_scenario_value_fits_its_parameter(
    fixture_copy: Path, h, parameter: str, value: str, text: str
) -> None:
    index = 1 if parameter == "return_battalions" else 0
    row = h.set_cell(fixture_copy / "scenario_values.csv", index, "value", value)
    h.find(broken(fixture_copy), "scenario_values.csv", row, "value", f"for parameter {parameter}: {text}")


def test_scenario_value_unknown_parameter_and_scenario(fixture_copy: Path, h) -> None:
    r1 = h.set_cell(fixture_copy / "scenario_values.csv", 0, "parameter", "no_such_param")
    r2 = h.set_cell(fixture_copy / "scenario_values.csv", 1, "scenario_id", "no_such_scenario")
    err = broken(fixture_copy)
    h.find(
        err,
        "scenario_values.csv",
        r1,
        "parameter",
        '"no_such_param" not found in data/parameters.csv (column name)',
    )
    h.find(
        err, "scenario_values.csv", r2, "scenario_id", '"no_such_scenario" not found in data/scenarios.csv'
    )


def test_duplicate_scenario_value_composite_key(fixture_copy: Path, h) -> None:
    h.set_cell(fixture_copy / "scenario_values.csv", 1, "parameter", "tr_action")
    h.set_cell(fixture_copy / "scenario_values.csv", 1, "value", "keep")
    h.find(
        broken(fixture_copy),
        "scenario_values.csv",
        3,
        "scenario_id, parameter",
        "duplicate primary key (same as row 2)",
    )


def test_variant_rules(fixture_copy: Path, h) -> None:
    row = h.set_cell(fixture_copy / "deals.csv", 1, "buyer", "India")
    err = broken(fixture_copy)
    h.find(err, "deals.csv", row, "buyer", 'differs from the buyer of the main row "turkiye-2017"')
    h.set_cell(fixture_copy / "deals.csv", 1, "buyer", "Turkiye")
    h.set_cell(fixture_copy / "deals.csv", 1, "variant_of", "turkiye-2017-v4")
    h.find(broken(fixture_copy), "deals.csv", row, "variant_of", "cannot be a variant of itself")
    h.set_cell(fixture_copy / "deals.csv", 1, "variant_of", "nowhere")
    h.find(
        broken(fixture_copy),
        "deals.csv",
        row,
        "variant_of",
        '"nowhere" not found in data/deals.csv (column deal_id)',
    )


def test_duplicate_tranche_and_unknown_deal(fixture_copy: Path, h) -> None:
    row = h.set_cell(fixture_copy / "deliveries.csv", 1, "tranche", "1")
    h.find(
        broken(fixture_copy),
        "deliveries.csv",
        row,
        "tranche",
        "deal turkiye-2017 already has tranche 1 (row 2)",
    )
    row = h.set_cell(fixture_copy / "promises.csv", 0, "deal_id", "india-2018")
    h.find(broken(fixture_copy), "promises.csv", row, "deal_id", '"india-2018" not found in data/deals.csv')


def test_precision_and_date_go_together(fixture_copy: Path, h) -> None:
    r1 = h.set_cell(fixture_copy / "deliveries.csv", 1, "planned_precision", "month")
    r2 = h.set_cell(fixture_copy / "deliveries.csv", 0, "actual_precision", "")
    err = broken(fixture_copy)
    h.find(err, "deliveries.csv", r1, "planned_precision", "but planned_date is empty")
    h.find(err, "deliveries.csv", r2, "actual_precision", "is empty but actual_date is given")


def test_delivery_in_the_future(fixture_copy: Path, h) -> None:
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    row = h.set_cell(fixture_copy / "deliveries.csv", 0, "actual_date", future)
    h.find(broken(fixture_copy), "deliveries.csv", row, "actual_date", "is in the future")


def test_required_cell_and_title_length(fixture_copy: Path, h) -> None:
    r1 = h.set_cell(fixture_copy / "events.csv", 0, "description", "")
    r2 = h.set_cell(fixture_copy / "events.csv", 1, "title", "x" * 91)
    err = broken(fixture_copy)
    h.find(err, "events.csv", r1, "description", "is empty but required")
    h.find(err, "events.csv", r2, "title", "is 91 characters long; at most 90 allowed")


def test_bad_url_and_bad_id(fixture_copy: Path, h) -> None:
    r1 = h.set_cell(fixture_copy / "sources.csv", 0, "url", "tass dot com")
    r2 = h.set_cell(fixture_copy / "events.csv", 0, "event_id", "Erdogan Signs")
    err = broken(fixture_copy)
    h.find(err, "sources.csv", r1, "url", "is not a valid URL")
    h.find(err, "events.csv", r2, "event_id", "ids are lower-case slugs")


def test_row_and_line_differ_after_a_multiline_cell(fixture_copy: Path, h) -> None:
    h.set_cell(fixture_copy / "events.csv", 0, "description", "Two\nlines.")
    row = h.set_cell(fixture_copy / "events.csv", 1, "date", "2019-07-32")
    p = h.find(broken(fixture_copy), "events.csv", row, "date", "is not a valid date")
    assert p.line == row + 1
    assert f"row {row} (line {row + 1})" in str(p)


def test_bom_and_non_utf8(fixture_copy: Path, h) -> None:
    path = fixture_copy / "sources.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    events = fixture_copy / "events.csv"
    events.write_bytes(events.read_bytes().replace(b"Murted", "Mürted".encode("latin-1")))
    err = broken(fixture_copy)
    h.find(err, "sources.csv", 1, None, "byte-order mark")
    h.find(err, "events.csv", None, None, "line 3: not UTF-8 text")


def test_missing_schema_and_unlisted_csv(fixture_copy: Path, h) -> None:
    (fixture_copy / "schemas" / "events.schema.json").unlink()
    (fixture_copy / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    err = broken(fixture_copy)
    h.find(
        err,
        "schemas/events.schema.json",
        None,
        None,
        "schema file for 'events' (listed in datapackage.json) is missing",
    )
    h.find(err, "notes.csv", None, None, "not described in datapackage.json")


def test_invalid_json_and_missing_resource(fixture_copy: Path, h) -> None:
    dp = fixture_copy / "datapackage.json"
    text = dp.read_text()
    line = text[: text.index('"version"')].count("\n") + 2  # the parser stops on the next line
    dp.write_text(text.replace('"version": "0.1.0",', '"version": "0.1.0"'))
    h.find(broken(fixture_copy), "datapackage.json", None, None, f"not valid JSON (line {line}, column")
    doc = json.loads(dp.read_text().replace('"version": "0.1.0"', '"version": "0.1.0",'))
    doc["resources"] = [r for r in doc["resources"] if r["name"] != "promises"]
    dp.write_text(json.dumps(doc))
    err = broken(fixture_copy)
    h.find(err, "datapackage.json", None, None, "no resource named 'promises'")
    h.find(err, "promises.csv", None, None, "not described in datapackage.json")


def test_invalid_table_schema(fixture_copy: Path, h) -> None:
    path = fixture_copy / "schemas" / "deals.schema.json"
    doc = json.loads(path.read_text())
    doc["fields"][0]["type"] = "text"
    path.write_text(json.dumps(doc))
    h.find(broken(fixture_copy), "schemas/deals.schema.json", None, None, "not a valid Table Schema")


def test_nothing_written_in_a_broken_copy(fixture_copy: Path, h) -> None:
    h.set_cell(fixture_copy / "events.csv", 0, "date", "2019-13-01")
    before = h.tree_digest(fixture_copy)
    assert validate(fixture_copy)
    broken(fixture_copy)
    assert h.tree_digest(fixture_copy) == before


# --- property test of the precision rule (pure function, no files) -------------------------

_SCHEMA = {"fields": [{"name": "date", "type": "date"}, {"name": "date_precision", "type": "string"}]}


@given(
    day=st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)), prec=st.sampled_from(["day", "month", "year"])
)
def test_precision_rule_property(day: dt.date, prec: str) -> None:
    table = Table(
        "t",
        "data/t.csv",
        Path("t.csv"),
        _SCHEMA,
        ["date", "date_precision"],
        [[day.isoformat(), prec]],
        [1, 2],
    )
    problems = list(check_precision({"t": table}))
    expected_ok = prec == "day" or (day.day == 1 and (prec == "month" or day.month == 1))
    assert (problems == []) == expected_ok
    assert all(p.row == 2 and p.column == "date" for p in problems)


def test_short_long_and_blank_rows_give_one_message_each(fixture_copy: Path, h) -> None:
    rows = h.read_rows(fixture_copy / "events.csv")
    width = len(rows[0])
    rows.append(["2020-01-01-short", "2020-01-01", "day"])
    rows.append([])
    rows.append(rows[1] + ["surplus", "more"])
    rows[-1][0] = "2020-01-02-long"
    h.write_rows(fixture_copy / "events.csv", rows)
    err = broken(fixture_copy)
    short, blank, long = len(rows) - 2, len(rows) - 1, len(rows)
    h.find(
        err,
        "events.csv",
        short,
        None,
        f"row has 3 cells but the header has {width} columns (no cell for: title,",
    )
    h.find(err, "events.csv", blank, None, "row is empty")
    h.find(
        err,
        "events.csv",
        long,
        None,
        'row has more cells than the header has columns (extra value "surplus")',
    )
    for row in (short, blank, long):
        assert len([p for p in err.problems if p.row == row and p.file.endswith("events.csv")]) == 1, err
