"""The Frictionless memo: skipped only for byte-identical files that passed, never writes into data/."""

from __future__ import annotations

from pathlib import Path

import pytest

from s400lab.data import DataError, columns, load, validate, validation

from .conftest import REAL, copy_package, set_cell


@pytest.fixture
def counted(monkeypatch, tmp_path):
    """A private cache folder and a counter of full pass-2 runs (types, constraints, keys: column
    by column for the shipped schemas, else Frictionless)."""
    monkeypatch.setenv("S400LAB_CACHE_DIR", str(tmp_path / "cache"))
    calls = {"n": 0}
    real = columns.table_problems

    def counting(root, good):
        calls["n"] += 1
        return real(root, good)

    monkeypatch.setattr(columns, "table_problems", counting)
    return calls


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_second_inspection_of_same_bytes_skips_frictionless(counted, tmp_path) -> None:
    data = copy_package(REAL, tmp_path / "a")
    before = _files(data)
    validation.inspect(data)
    validation.inspect(data)
    assert counted["n"] == 1
    assert _files(data) == before  # nothing written into the data folder
    assert list((tmp_path / "cache" / "frictionless-passed").iterdir())


def test_changed_byte_runs_frictionless_again_and_reports(counted, tmp_path) -> None:
    data = copy_package(REAL, tmp_path / "a")
    validation.inspect(data)
    row = set_cell(data / "deals.csv", 0, "value_usd_bn", "lots")
    with pytest.raises(DataError) as err:
        load(data)
    assert counted["n"] == 2
    assert any(p.row == row and p.column == "value_usd_bn" for p in err.value.problems)


def test_validate_always_runs_in_full(counted, tmp_path) -> None:
    data = copy_package(REAL, tmp_path / "a")
    assert validate(data) == []
    assert validate(data) == []
    assert counted["n"] == 2


def test_failed_package_is_not_remembered(counted, tmp_path) -> None:
    data = copy_package(REAL, tmp_path / "a")
    set_cell(data / "deals.csv", 0, "value_usd_bn", "lots")
    for _ in range(2):
        assert validation.inspect(data).problems
    assert counted["n"] == 2


def test_memo_off(counted, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("S400LAB_CACHE_DIR", "off")
    data = copy_package(REAL, tmp_path / "a")
    validation.inspect(data)
    validation.inspect(data)
    assert counted["n"] == 2


def test_shared_read_only_memo_is_read_and_never_written(counted, monkeypatch, tmp_path) -> None:
    """The classroom hub's shared memo: a marker made there (by a full validation into it) lets
    another user's byte-identical copy skip Frictionless; it is never written to, and a changed
    copy is validated in full and remembered in the user's own cache only."""
    shared = tmp_path / "shared"
    monkeypatch.setenv("S400LAB_CACHE_DIR", str(shared))
    assert validate(copy_package(REAL, tmp_path / "hub")) == []  # the hub, at start
    markers = sorted((shared / "frictionless-passed").iterdir())
    assert len(markers) == 1
    monkeypatch.setenv("S400LAB_CACHE_DIR", str(tmp_path / "own"))
    monkeypatch.setenv("S400LAB_SHARED_CACHE_DIR", str(shared))
    student = copy_package(REAL, tmp_path / "student")
    load(student)
    assert counted["n"] == 1  # only the hub's validation ran Frictionless
    set_cell(student / "deals.csv", 0, "notes", "my edit")
    load(student)
    assert counted["n"] == 2
    assert sorted((shared / "frictionless-passed").iterdir()) == markers
    assert len(list((tmp_path / "own" / "frictionless-passed").iterdir())) == 2  # both copies
    monkeypatch.setenv("S400LAB_CACHE_DIR", "off")  # off means off, the shared memo too
    validation.inspect(copy_package(REAL, tmp_path / "again"))
    assert counted["n"] == 3
