"""``python -m s400lab validate [DIR]``: output and exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from s400lab.data.cli import main_validate


def test_ok(h, capsys: pytest.CaptureFixture[str]) -> None:
    assert main_validate([str(h.FIXTURE)]) == 0
    assert capsys.readouterr().out.startswith("OK: 8 tables, 20 rows")


def test_problems_exit_1(fixture_copy: Path, h, capsys: pytest.CaptureFixture[str]) -> None:
    row = h.set_cell(fixture_copy / "events.csv", 0, "date", "2019-13-01")
    assert main_validate([str(fixture_copy)]) == 1
    err = capsys.readouterr().err
    assert f'data/events.csv, row {row}, column "date": "2019-13-01" is not a valid date' in err


@pytest.mark.parametrize("argv", [["a", "b"], ["--strict"]])
def test_usage_error_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main_validate(argv) == 2
    assert "usage:" in capsys.readouterr().err


def test_help_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main_validate(["--help"]) == 0
    assert "usage:" in capsys.readouterr().out


def test_missing_dir_exit_1(tmp_path: Path) -> None:
    assert main_validate([str(tmp_path / "nope")]) == 1


def test_module_entry_point(fixture_copy: Path, h) -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "s400lab", "validate", str(fixture_copy)], capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr
    h.set_cell(fixture_copy / "deals.csv", 0, "status", "maybe")
    bad = subprocess.run(
        [sys.executable, "-m", "s400lab", "validate", str(fixture_copy)], capture_output=True, text=True
    )
    assert bad.returncode == 1
    assert 'data/deals.csv, row 2, column "status": "maybe" is not one of' in bad.stderr
