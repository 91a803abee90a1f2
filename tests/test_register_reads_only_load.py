"""The register is read only through s400lab.data.load(): no fallback reader, one data directory.

v1 caught any exception from load() -- DataError included -- and then read the repository's own
data/ with a private CSV reader, so a broken register in the copy named by S400LAB_DATA was
silently swapped for the shipped rows.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from s400lab.data import DataError
from s400lab.model.register import data_dir, load_presets, load_register

REAL = Path(__file__).resolve().parents[1] / "data"


def _copy_with_cell(tmp_path: Path, name: str, column: str, value: str) -> tuple[Path, int]:
    out = tmp_path / "data"
    shutil.copytree(REAL, out)
    path = out / "parameters.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    index = next(i for i, r in enumerate(rows) if r[header.index("name")] == name)
    rows[index][header.index(column)] = value
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return out, index + 1  # row number with the header as row 1


def test_broken_parameter_in_S400LAB_DATA_copy_raises_data_error(tmp_path, monkeypatch):
    copy, row = _copy_with_cell(tmp_path, "production_bn_per_year", "central", "lots")
    monkeypatch.setenv("S400LAB_DATA", str(copy))
    assert data_dir() == copy
    with pytest.raises(DataError) as info:
        load_register()
    text = str(info.value)
    assert "parameters.csv" in text
    assert f"row {row}" in text
    assert '"central"' in text
    with pytest.raises(DataError):
        load_presets()


def test_register_follows_S400LAB_DATA(tmp_path, monkeypatch):
    copy, _ = _copy_with_cell(tmp_path, "production_bn_per_year", "label", "Production (copy)")
    monkeypatch.setenv("S400LAB_DATA", str(copy))
    assert load_register()["production_bn_per_year"].label == "Production (copy)"
    monkeypatch.delenv("S400LAB_DATA")
    assert load_register()["production_bn_per_year"].label != "Production (copy)"


def test_explicit_directory_is_validated_too(tmp_path):
    copy, row = _copy_with_cell(tmp_path, "production_bn_per_year", "central", "lots")
    with pytest.raises(DataError, match=f"row {row}"):
        load_register(copy)


def test_bool_spellings_are_the_data_layers():
    """v1's register accepted 'yes' as true while the data layer did not: one set of spellings now."""
    import dataclasses

    from s400lab.data.literals import BOOL_FALSE, BOOL_TRUE

    base = load_register()["production_bn_per_year"]
    flag = dataclasses.replace(base, name="flag", type="bool", low=0.0, high=1.0, default=False)
    for text in BOOL_TRUE:
        assert flag.validate(text) is True
    for text in BOOL_FALSE:
        assert flag.validate(text) is False
    for text in ("yes", "no", "on", "2"):
        with pytest.raises(ValueError, match="flag"):
            flag.validate(text)
