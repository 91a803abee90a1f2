"""The answer keys cite the notebooks' current numbers.

Every model number in ``notebooks/solutions/*.md`` is marked ``<!--k:NAME-->VALUE<!--/k-->``;
``scripts/answer_keys.py`` recomputes each with the calls its notebook makes. A change of data or
model that moves a number fails here until the keys are regenerated
(``python scripts/answer_keys.py --write``) and their reasoning re-read.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _keys():
    spec = importlib.util.spec_from_file_location("answer_keys", REPO / "scripts" / "answer_keys.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["answer_keys"] = mod  # dataclasses look their module up while the file runs
    spec.loader.exec_module(mod)
    return mod


ak = _keys()
CITED = [(p.name, name, text) for p in ak.answer_files() for name, text in ak.cited(p)]


def test_the_answer_keys_mark_their_numbers():
    files = {f for f, _, _ in CITED}
    assert {"50_solutions.md", "60_solutions.md"} <= files
    assert len(CITED) >= 20
    assert {name for _, name, _ in CITED} == set(ak.KEYS), "every key is cited, every citation has a key"


@pytest.mark.parametrize(("file", "name", "text"), CITED, ids=[f"{f}:{n}" for f, n, _ in CITED])
def test_each_cited_number_matches_the_notebook(file, name, text):
    assert name in ak.KEYS, f"{file} cites unknown key {name!r}"
    now = ak.KEYS[name].compute()
    assert now == text, (
        f"{file}: {name} says {text!r} but the notebook now gives {now!r}; "
        "run `python scripts/answer_keys.py --write` and re-read the answer around it"
    )


def _source(notebook: str) -> str:
    nb = json.loads((REPO / "notebooks" / notebook).read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


@pytest.mark.parametrize("name", sorted(ak.KEYS))
def test_each_key_mirrors_code_its_notebook_still_runs(name):
    key = ak.KEYS[name]
    assert key.code in _source(key.notebook), f"{key.notebook} no longer runs {key.code!r} ({name})"


def test_a_stale_number_is_caught(tmp_path, monkeypatch):
    """The check can fail: a key citing yesterday's number is reported, and --write fixes it."""
    name = "nb50_worlds_n"
    (tmp_path / "x.md").write_text(f"worlds: <!--k:{name}-->17<!--/k--> and <!--k:nope-->1<!--/k-->")
    monkeypatch.setattr(ak, "SOLUTIONS", tmp_path)
    problems = ak.stale()
    assert any(name in p and "'17'" in p for p in problems) and any(
        "unknown key 'nope'" in p for p in problems
    )
    (tmp_path / "x.md").write_text(f"worlds: <!--k:{name}-->17<!--/k-->")
    assert ak.write() == 1 and ak.stale() == []
    now = ak.KEYS[name].compute()
    assert now != "17" and re.search(rf"<!--k:{name}-->{now}<!--/k-->", (tmp_path / "x.md").read_text())
