"""Shared fixtures of the UI tests."""

from __future__ import annotations

import pytest

from s400lab.analysis import forecasting as fc


@pytest.fixture
def questions(tmp_path):
    """Two forecast questions, one open (with mark-up to escape) and one resolved "yes"."""
    path = tmp_path / "q.csv"
    path.write_text(
        ",".join(fc.QUESTION_COLUMNS) + "\n"
        "q-open,Will <b>it</b> happen?,2027-06-30,Official <i>statement</i>,open,,,\n"
        "q-done,Did it?,2026-12-31,Official,yes,2026-11-22,src-a,\n",
        encoding="utf-8",
    )
    return fc.load_questions(path)
