"""Every shipped notebook is valid nbformat 4.5 with cell ids (a missing id is a warning today and
an error in future nbformat versions), and is stored without outputs."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").rglob("*.ipynb")) + sorted((ROOT / "classroom").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_notebook_is_valid_with_ids_and_no_outputs(path: Path) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert all("id" in cell for cell in raw["cells"]), "a cell has no id"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nbformat.validate(nbformat.reads(json.dumps(raw), as_version=4))
    assert not any(cell.get("outputs") for cell in raw["cells"]), "outputs are stored"
