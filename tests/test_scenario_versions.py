"""Issue 23, item 3: scenario files carry a format version, and model devices are not file values.

A file of a newer format is refused as newer, naming both versions (before any other check: a
newer format may have keys this one does not know); an older one is migrated or refused with
the reason. Model devices (``u_block_*``, register kind ``device``) are never set by a file:
the explorer cannot honour them, so neither does the command-line brief.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from s400lab.model import Scenario, scenario_io
from s400lab.model.register import load_register
from s400lab.model.scenario_io import FORMAT_VERSION, load_scenario, save_scenario, scenario_from_dict

REGISTER = load_register()
DEVICES = [p.name for p in REGISTER if p.kind == "device"]


def _doc(version, **values):
    return {"format": "s400lab-scenario", "format_version": version, "name": "t", "values": values}


def _write(tmp_path: Path, doc) -> Path:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_there_are_devices_to_test() -> None:
    assert DEVICES and all(n.startswith("u_block") for n in DEVICES)
    assert FORMAT_VERSION >= 2


@settings(max_examples=50, deadline=None)
@given(newer=st.integers(min_value=FORMAT_VERSION + 1, max_value=10**6), extra=st.booleans())
def test_a_newer_format_is_refused_as_newer_naming_both_versions(newer: int, extra: bool) -> None:
    doc = _doc(newer, tr_action="return_full")
    if extra:
        doc["a_key_from_the_future"] = {"x": 1}
    with pytest.raises(ValueError) as info:
        scenario_from_dict(doc, source="f.json")
    msg = str(info.value)
    assert "newer" in msg and str(newer) in msg and str(FORMAT_VERSION) in msg
    assert "unknown key" not in msg and "\n" not in msg


@pytest.mark.parametrize("version", [0, -1, "1", 1.0, True, None])
def test_a_version_that_never_existed_is_refused_with_the_reason(version) -> None:
    with pytest.raises(ValueError, match=r"\$\.format_version: ") as info:
        scenario_from_dict(_doc(version), source="f.json")
    assert "newer" not in str(info.value)


@pytest.mark.parametrize("name", DEVICES)
def test_device_values_are_refused_in_a_current_file(name: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=rf"\$\.values\.{name}: .*model device") as info:
        load_scenario(_write(tmp_path, _doc(FORMAT_VERSION, **{name: 0.1})))
    assert str(tmp_path) in str(info.value)


@pytest.mark.parametrize("name", DEVICES)
def test_an_older_file_with_the_default_device_value_is_migrated(name: str, tmp_path: Path) -> None:
    default = REGISTER[name].default
    loaded = load_scenario(_write(tmp_path, _doc(1, tr_action="return_full", **{name: default})))
    assert loaded.scenario.values["tr_action"] == "return_full"
    assert loaded.scenario.values[name] == default
    assert loaded.meta["format_version"] == 1  # what the file said; it was read as the current one


@pytest.mark.parametrize("name", DEVICES)
def test_an_older_file_that_sets_a_device_is_refused_with_the_reason(name: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError) as info:
        load_scenario(_write(tmp_path, _doc(1, **{name: 0.1})))
    msg = str(info.value)
    assert f"$.values.{name}" in msg and "format version 1" in msg and "model device" in msg


def test_saved_files_hold_no_device_and_load_back(tmp_path: Path) -> None:
    sc = Scenario.preset("full_return_cash")
    path = save_scenario(sc, tmp_path / "x.json")
    doc = json.loads(path.read_text())
    assert doc["format_version"] == FORMAT_VERSION
    assert not set(DEVICES) & set(doc["values"])
    assert dict(load_scenario(path).scenario.values) == dict(sc.values)


def test_a_scenario_with_a_changed_device_cannot_be_saved(tmp_path: Path) -> None:
    sc = Scenario.default().with_changes(**{DEVICES[0]: 0.1})
    with pytest.raises(ValueError, match="model device"):
        save_scenario(sc, tmp_path / "x.json")
    assert not list(tmp_path.iterdir())


def test_cli_brief_and_explorer_read_a_file_alike(tmp_path: Path) -> None:
    """The file the explorer would refuse is refused by the brief's reader too (one reader)."""
    from s400lab.ui.explorer import ScenarioExplorer

    path = _write(tmp_path, _doc(FORMAT_VERSION, **{DEVICES[0]: 0.1}))
    with pytest.raises(ValueError, match="model device"):
        scenario_io.load_scenario(path)
    ex = ScenarioExplorer(save_dir=tmp_path)
    ex.file_name.value = path.name
    before = dict(ex._scenario.values)
    assert ex.load() is False
    assert "Not loaded" in ex.message.value and "model device" in ex.message.value
    assert dict(ex._scenario.values) == before
