"""Pass 2 column by column (s400lab.data.columns) finds what Frictionless finds, worded alike.

Issue 23, item 6: Frictionless checked a 200,000-row table row by row (14 s of 24 s); the column
checker replaces it for the workbook's own schemas. The property test corrupts copies of the
shipped tables at random (every fault class pass 2 knows: empty required cells, types, patterns,
enums, lengths, bounds, duplicate ids and keys, dangling foreign keys, surplus and missing cells,
blank rows) and asserts both ways give the same problems in the same order. The hand cases pin
one message per class through ``validate``.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s400lab.data import cells, columns, validate, validation
from s400lab.data.schema_pass import frictionless_problems
from s400lab.data.table import Table

from .conftest import REAL, copy_package, read_rows, set_cell, write_rows

#: Tables corrupted (kept short so Frictionless stays quick): every field type and key kind.
TABLES = (
    "sources",
    "deals",
    "deliveries",
    "events",
    "parameters",
    "scenarios",
    "scenario_values",
    "ru_s400_yearly",
)
ROWS = 12


_SHIPPED: dict[str, Table] = {}


def _shipped_tables() -> dict[str, Table]:
    """The shipped tables as read (once; each test copies them)."""
    if not _SHIPPED:
        ins = validation.inspect(REAL, use_memo=True)
        assert not ins.problems
        _SHIPPED.update(ins.tables)
    return _SHIPPED


@pytest.fixture
def shipped() -> dict[str, Table]:
    return _shipped_tables()


def _tables(shipped: dict[str, Table]) -> dict[str, Table]:
    out = {}
    for name, t in shipped.items():
        keep = t.rows if name in ("sources", "deals", "parameters", "scenarios", "events") else t.rows[:ROWS]
        new = Table(t.name, t.file, t.path, copy.deepcopy(t.schema), list(t.header or []))
        new.rows = [list(r) for r in keep]
        new.line_starts = list(range(1, len(new.rows) + 2))
        new.readable = True
        new.raw = _csv_bytes(new.header or [], new.rows)
        out[name] = new
    return out


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


#: Texts written into a cell: empty, junk, near-misses of each type, the ids of other rows.
JUNK = st.sampled_from(
    [
        "",
        "x",
        "X Y",
        "-1",
        "0",
        "1.5",
        "2.5e3",
        "abc1",
        "2025-13-01",
        "2025-02-29",
        "1850-01-01",
        "2025-01-01",
        "yes",
        "true",
        "0",
        "maybe",
        "ftp//x",
        "https://example.org/a",
        "day",
        "month",
        "official",
        "disputed",
        "a" * 95,
        "Upper-Case",
        "ok-id",
        "a;b",
        "a;;b",
        "2099",
        "3000",
        "99",
        "1e999",
        "12x",
    ]
)


@st.composite
def corruption(draw: st.DrawFn, names: list[str]) -> tuple[str, str, int, int, str]:
    kind = draw(st.sampled_from(["cell", "cell", "cell", "copy", "extra", "short", "blank", "dup_row"]))
    return (
        kind,
        draw(st.sampled_from(names)),
        draw(st.integers(0, 200)),
        draw(st.integers(0, 40)),
        draw(JUNK),
    )


def _apply(tables: dict[str, Table], c: tuple[str, str, int, int, str]) -> None:
    kind, name, r, col, text = c
    t = tables[name]
    if not t.rows:
        return
    i = r % len(t.rows)
    row = t.rows[i]
    width = len(t.header or [])
    if kind == "cell" and row:
        row[col % len(row)] = text
    elif kind == "copy" and row:  # another row's value in this column (duplicates, keys)
        j = col % len(row)
        other = t.rows[(i + 1 + r) % len(t.rows)]
        if j < len(other):
            row[j] = other[j]
    elif kind == "extra":
        t.rows[i] = [*row, text, *([text] * (col % 2))]
    elif kind == "short":
        t.rows[i] = row[: col % max(width, 1)]
    elif kind == "blank":
        t.rows[i] = [] if col % 2 else [""] * width
    elif kind == "dup_row":
        t.rows.insert(i, list(row))
    t.raw = _csv_bytes(t.header or [], t.rows)
    t.line_starts = list(range(1, len(t.rows) + 2))


def _ordered(problems: list) -> list[tuple]:
    files = []
    for p in problems:
        if p.file not in files:
            files.append(p.file)
    return sorted(
        ((p.file, p.row, p.column, p.message) for p in problems),
        key=lambda x: (x[0], x[1] or 0),
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_columns_agree_with_frictionless(data: st.DataObject) -> None:
    tables = _tables(_shipped_tables())
    good = {n: t for n, t in tables.items() if n in TABLES or n in ("promises", "forecast_questions")}
    for c in data.draw(st.lists(corruption(list(TABLES)), min_size=1, max_size=6)):
        _apply(good, c)
    assert all(columns.supported(t, good) for t in good.values())
    # as validate shows them: a cell the grammar pass refuses gets the grammar's message only
    # (there the two ways may differ: Frictionless reads "1e999" as a number, the grammar not)
    flagged = {(p.file, p.row, p.column) for p in cells.grammar_problems(good.values())}
    mine = [p for p in columns.column_problems(good) if (p.file, p.row, p.column) not in flagged]
    theirs = [p for p in frictionless_problems(Path(REAL), good) if (p.file, p.row, p.column) not in flagged]
    assert _ordered(mine) == _ordered(theirs)


def test_shipped_schemas_are_checked_column_by_column(shipped: dict[str, Table]) -> None:
    good = {n: t for n, t in shipped.items() if t.readable and t.schema is not None}
    assert good and all(columns.supported(t, good) for t in good.values())
    assert columns.column_problems(good) == []


def test_a_schema_beyond_the_subset_goes_to_frictionless(shipped: dict[str, Table]) -> None:
    tables = _tables(shipped)
    t = tables["scenarios"]
    assert t.schema is not None
    t.schema["fields"][1]["format"] = "email"  # a format the checker leaves to Frictionless
    assert not columns.supported(t, tables)
    problems = columns.table_problems(Path(REAL), tables)
    assert problems and all(p.column == "label" and "is not a valid string" in p.message for p in problems)


# ------------------------------------------------------------------ one case per class, through validate


@pytest.mark.parametrize(
    ("table", "index", "column", "value", "expected"),
    [
        ("events", 0, "title", "", "is empty but required"),
        ("events", 1, "actor", "Mars", '"Mars" is not one of: Turkiye'),
        ("events", 2, "event_id", "Bad Id", '"Bad Id" does not match the pattern'),
        ("events", 3, "title", "t" * 91, "is 91 characters long; at most 90 allowed"),
        ("deliveries", 0, "tranche", "0", '"0" is below the minimum 1'),
        ("sources", 0, "background", "maybe", '"maybe" is not true or false'),
        ("sources", 0, "url", "not a url", '"not a url" is not a valid URL'),
        (
            "deliveries",
            0,
            "deal_id",
            "no-such-deal",
            '"no-such-deal" not found in data/deals.csv (column deal_id)',
        ),
    ],
)
def test_each_cell_fault_is_named(
    tmp_path: Path, table: str, index: int, column: str, value: str, expected: str
) -> None:
    pkg = copy_package(REAL, tmp_path)
    row = set_cell(pkg / f"{table}.csv", index, column, value)
    problems = validate(pkg)
    assert any(
        p.file == f"data/{table}.csv" and p.row == row and p.column == column and expected in p.message
        for p in problems
    ), [str(p) for p in problems]


def test_duplicate_id_blank_row_and_row_shape_are_named(tmp_path: Path) -> None:
    pkg = copy_package(REAL, tmp_path)
    path = pkg / "events.csv"
    rows = read_rows(path)
    width = len(rows[0])
    rows[3][0] = rows[2][0]  # row 4 repeats row 3's id
    rows.insert(5, [""] * width)  # row 6 blank
    rows[7] = rows[7][:3]  # row 8 short
    rows[9] = [*rows[9], "surplus"]  # row 10 long
    write_rows(path, rows)
    shown = [str(p) for p in validate(pkg)]
    assert (
        f'data/events.csv, row 4, column "event_id": "{rows[2][0]}" is a duplicate (same as row 3)' in shown
    )
    assert "data/events.csv, row 6: row is empty (delete it)" in shown
    assert any(s.startswith("data/events.csv, row 8: row has 3 cells but the header has") for s in shown)
    assert (
        'data/events.csv, row 10: row has more cells than the header has columns (extra value "surplus")'
        in shown
    )
