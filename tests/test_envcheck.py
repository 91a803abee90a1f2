"""The environment check shown in notebooks/00_start_here.ipynb (s400lab.envcheck)."""

from __future__ import annotations

from importlib import metadata

import pandas as pd
from packaging.requirements import Requirement

from s400lab.envcheck import COLUMNS, check_environment, check_requirement, problems, summary


def test_requirement_ok_too_old_and_missing():
    assert check_requirement(Requirement("pandas>=0.1"))["status"] == "ok"
    old = check_requirement(Requirement("pandas>=999"))
    assert old["status"] == "too old" and old["found"] == metadata.version("pandas")
    assert "pip install --upgrade" in old["note"]
    gone = check_requirement(Requirement("no-such-package-s400lab-probe>=1"))
    assert gone["status"] == "missing" and gone["found"] == ""


def test_report_lists_every_runtime_requirement_from_metadata(tmp_path):
    report = check_environment(data_dir=tmp_path)
    assert list(report.columns) == COLUMNS
    runtime = [Requirement(r).name for r in metadata.requires("s400lab") if "extra ==" not in r]
    assert [c.removeprefix("package ") for c in report["check"] if c.startswith("package ")] == runtime
    assert report.loc[0, "check"] == "kernel python" and report.loc[0, "status"] == "ok"
    with_tests = check_environment(include_test=True, data_dir=tmp_path)
    assert "package hypothesis" in set(with_tests["check"])
    assert "package hypothesis" not in set(report["check"])


def test_bad_data_dir_is_a_failed_row_not_a_crash(tmp_path):
    report = check_environment(data_dir=tmp_path)
    data = report.set_index("check").loc["data validates"]
    assert data["status"] == "failed" and data["note"]
    assert set(problems(report)["check"]) >= {"data validates"}
    assert summary(report).startswith("Fix before class:")


def test_summary_ready_when_nothing_to_fix():
    ok = pd.DataFrame(
        [
            {"check": "x", "required": "", "found": "", "status": "ok", "note": ""},
            {"check": "y", "required": "", "found": "", "status": "info", "note": ""},
        ]
    )
    assert summary(ok) == "Ready: every check passed."
