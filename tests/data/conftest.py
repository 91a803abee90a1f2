"""Shared helpers for the data-layer tests: copies of data packages to break, and assertions."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest

from s400lab.data import DataError, Problem

REPO = Path(__file__).resolve().parents[2]
REAL = REPO / "data"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minimal"


def copy_package(src: Path, dest: Path) -> Path:
    """Copy a data package (datapackage.json, schemas/, *.csv) into ``dest/data``."""
    out = dest / "data"
    shutil.copytree(src, out)
    return out


def read_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def set_cell(path: Path, index: int, column: str, value: str) -> int:
    """Set ``column`` of data row ``index`` (0 = first data row); return its row number (header = 1)."""
    rows = read_rows(path)
    rows[index + 1][rows[0].index(column)] = value
    write_rows(path, rows)
    return index + 2


def get_cell(path: Path, index: int, column: str) -> str:
    rows = read_rows(path)
    return rows[index + 1][rows[0].index(column)]


def tree_digest(root: Path) -> dict[str, str]:
    """SHA-256 of every file under ``root`` (relative path -> hex), to prove nothing was written."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def find(err: DataError, file: str, row: int | None, column: str | None, text: str) -> Problem:
    """Assert that ``err`` reports ``text`` at file/row/column, also in its message; return the problem."""
    assert isinstance(err, ValueError)
    hits = [
        p
        for p in err.problems
        if p.file.endswith("/" + file) and p.row == row and p.column == column and text in p.message
    ]
    assert hits, f"no problem {file!r} row {row} column {column!r} containing {text!r} in:\n{err}"
    line = str(hits[0])
    assert line in str(err)
    assert f"data/{file}" in line
    if row is not None:
        assert f"row {row}" in line
    if column is not None:
        assert f'column "{column}"' in line
    return hits[0]


@pytest.fixture(params=["fixture", "real"])
def package(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A private copy (``tmp/data``) of the test fixture or of the shipped data."""
    return copy_package(FIXTURE if request.param == "fixture" else REAL, tmp_path)


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    """A private copy of the minimal fixture package only."""
    return copy_package(FIXTURE, tmp_path)


class _Helpers:
    """The helpers above, handed to tests as the ``h`` fixture (tests cannot import conftest
    under ``--import-mode=importlib``)."""

    REPO = REPO
    REAL = REAL
    FIXTURE = FIXTURE
    copy_package = staticmethod(copy_package)
    read_rows = staticmethod(read_rows)
    write_rows = staticmethod(write_rows)
    set_cell = staticmethod(set_cell)
    get_cell = staticmethod(get_cell)
    tree_digest = staticmethod(tree_digest)
    find = staticmethod(find)


@pytest.fixture
def h() -> type[_Helpers]:
    """Helpers for building and checking broken copies."""
    return _Helpers
