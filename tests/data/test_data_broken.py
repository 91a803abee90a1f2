"""Deliberately broken copies of the data: each break gives one clear message (file, row, column).

Every test runs on a copy of the minimal fixture AND on a copy of the shipped data/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from s400lab.data import DataError, load, validate


def broken(path: Path) -> DataError:
    with pytest.raises(DataError) as info:
        load(path)
    assert isinstance(info.value, ValueError)
    assert "row = row number in the file" in str(info.value).splitlines()[0]
    return info.value


def test_missing_column(package: Path, h) -> None:
    rows = h.read_rows(package / "events.csv")
    i = rows[0].index("date")
    h.write_rows(package / "events.csv", [r[:i] + r[i + 1 :] for r in rows])
    err = broken(package)
    h.find(err, "events.csv", 1, "date", "column is missing from the header")


def test_extra_unknown_column(package: Path, h) -> None:
    rows = h.read_rows(package / "deals.csv")
    h.write_rows(
        package / "deals.csv", [r + (["price_eur"] if k == 0 else ["1"]) for k, r in enumerate(rows)]
    )
    err = broken(package)
    h.find(err, "deals.csv", 1, "price_eur", "unknown column")


def test_bad_date(package: Path, h) -> None:
    row = h.set_cell(package / "events.csv", 0, "date", "2019-13-01")
    err = broken(package)
    p = h.find(err, "events.csv", row, "date", '"2019-13-01" is not a valid date (expected YYYY-MM-DD)')
    assert (
        str(p) == f'data/events.csv, row {row}, column "date": "2019-13-01" '
        "is not a valid date (expected YYYY-MM-DD)"
    )


def test_negative_value(package: Path, h) -> None:
    row = h.set_cell(package / "deals.csv", 0, "value_usd_bn", "-2.5")
    err = broken(package)
    h.find(err, "deals.csv", row, "value_usd_bn", '"-2.5" is below the minimum 0')


def test_duplicate_id(package: Path, h) -> None:
    first = h.get_cell(package / "events.csv", 0, "event_id")
    row = h.set_cell(package / "events.csv", 1, "event_id", first)
    err = broken(package)
    h.find(err, "events.csv", row, "event_id", f'"{first}" is a duplicate (same as row 2)')
    # one message per duplicate, not one for 'unique' and another for 'primary key'
    assert len([p for p in err.problems if p.file.endswith("events.csv") and p.row == row]) == 1


def test_unknown_source_id(package: Path, h) -> None:
    good = h.get_cell(package / "events.csv", 0, "source_ids")
    row = h.set_cell(package / "events.csv", 0, "source_ids", good + ";no-such-source-2099")
    err = broken(package)
    h.find(err, "events.csv", row, "source_ids", 'source id "no-such-source-2099" is not in data/sources.csv')


def test_wrong_type(package: Path, h) -> None:
    row = h.set_cell(package / "deliveries.csv", 0, "tranche", "two")
    err = broken(package)
    h.find(err, "deliveries.csv", row, "tranche", '"two" is not a whole number')


def test_empty_file(package: Path, h) -> None:
    (package / "events.csv").write_bytes(b"")
    err = broken(package)
    h.find(err, "events.csv", None, None, "file is empty (0 bytes)")


def test_missing_file(package: Path, h) -> None:
    (package / "deals.csv").unlink()
    err = broken(package)
    h.find(err, "deals.csv", None, None, "file is missing")


def test_bad_enum(package: Path, h) -> None:
    row = h.set_cell(package / "events.csv", 0, "actor", "Mars")
    err = broken(package)
    h.find(err, "events.csv", row, "actor", '"Mars" is not one of: Turkiye, Russia, United States')


def test_bad_precision_date(package: Path, h) -> None:
    h.set_cell(package / "events.csv", 0, "date", "2019-07-12")
    row = h.set_cell(package / "events.csv", 0, "date_precision", "month")
    err = broken(package)
    h.find(
        err, "events.csv", row, "date", '"2019-07-12" has month precision, so it must be the 1st (2019-07-01)'
    )
    h.set_cell(package / "events.csv", 0, "date", "2019-07-01")
    h.set_cell(package / "events.csv", 0, "date_precision", "year")
    err = broken(package)
    h.find(err, "events.csv", row, "date", "must be 1 January (2019-01-01)")


def test_broken_quoting(package: Path, h) -> None:
    n_rows = len(h.read_rows(package / "sources.csv"))
    with (package / "sources.csv").open("a", encoding="utf-8") as fh:
        fh.write('x-source,Outlet,,"Unclosed title,https://example.org,2020-01-01,day,en,\n')
    err = broken(package)
    h.find(err, "sources.csv", n_rows + 1, None, "broken quoting")


def test_several_problems_all_reported(package: Path, h) -> None:
    (package / "promises.csv").unlink()
    r_date = h.set_cell(package / "events.csv", 0, "date", "2019-02-30")
    r_src = h.set_cell(package / "deals.csv", 0, "source_ids", "nowhere-2020")
    r_neg = h.set_cell(package / "deliveries.csv", 0, "battalions", "-1")
    err = broken(package)
    h.find(err, "promises.csv", None, None, "file is missing")
    h.find(err, "events.csv", r_date, "date", "is not a valid date")
    h.find(err, "deals.csv", r_src, "source_ids", '"nowhere-2020" is not in')
    h.find(err, "deliveries.csv", r_neg, "battalions", "below the minimum 0")
    lines = str(err).splitlines()
    assert len(lines) == 1 + len(err.problems)
    assert lines[0].startswith(f"{len(err.problems)} problems in ")


def test_validate_returns_the_same_problems_as_load(package: Path, h) -> None:
    h.set_cell(package / "events.csv", 0, "confidence", "certain")
    problems = validate(package)
    err = broken(package)
    assert problems == err.problems
