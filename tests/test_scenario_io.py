"""Scenario files: lossless round trip, strict validation of hostile files, no clobbering."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest
from _strategies import register_value
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s400lab.model import Scenario, scenario_io
from s400lab.model.register import load_register
from s400lab.model.scenario import lever_problems, weight_problems
from s400lab.model.scenario_io import MAX_BYTES, load_scenario, save_scenario

REGISTER = load_register()
HYPO = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


#: Any complete valid assignment of the register.
#: (levers that do not fit together are refused by the model: generate coherent ones only)
VALUES = st.fixed_dictionaries({p.name: register_value(p) for p in REGISTER}).filter(
    lambda v: not lever_problems(v) and not weight_problems(v)
)


def _write(path: Path, doc) -> Path:
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc, encoding="utf-8")
    return path


def _doc(**values):
    return {"format": "s400lab-scenario", "format_version": 1, "name": "t", "values": values}


# --------------------------------------------------------------------------- round trip


@HYPO
@given(values=VALUES, name=st.text(max_size=40), notes=st.text(max_size=200))
def test_round_trip_is_lossless(tmp_path_factory, values, name, notes):
    sc = Scenario.default().with_changes(**values)
    path = tmp_path_factory.mktemp("rt") / "s.json"
    save_scenario(sc, path, name=name, notes=notes)
    loaded = load_scenario(path)
    assert dict(loaded.scenario.values) == dict(sc.values)
    for key, value in sc.values.items():  # types survive too (int stays int, float float)
        assert type(loaded.scenario.values[key]) is type(value), key
    assert (loaded.name, loaded.notes) == (name, notes)


def test_file_holds_every_value_and_metadata(tmp_path):
    sc = Scenario.preset("full_return_cash")
    path = save_scenario(sc, tmp_path / "full.json", name="Full return", notes="seminar 3")
    doc = json.loads(path.read_text(encoding="utf-8"))
    # every key the reader accepts is written, and only those (one list: scenario_io's)
    assert set(doc) == set(scenario_io._KEYS)
    assert {"format", "format_version", "values", "data_version"} <= set(doc)
    assert doc["preset"] == "full_return_cash"  # a preset names itself
    assert doc["values"] == dict(sc.values)
    assert doc["values"]["tr_action"] == "return_full"
    dp = json.loads((Path(__file__).parents[1] / "data" / "datapackage.json").read_text())
    assert doc["data_version"] == dp["version"]
    import s400lab

    assert doc["s400lab_version"] == s400lab.__version__
    assert doc["created"].endswith("+00:00")


def test_partial_file_takes_register_defaults(tmp_path):
    path = _write(tmp_path / "p.json", _doc(tr_action="return_full", return_quarter=4))
    sc = load_scenario(path).scenario
    expected = Scenario.default().with_changes(tr_action="return_full", return_quarter=4)
    assert dict(sc.values) == dict(expected.values)


# --------------------------------------------------------------------------- no clobbering


def test_save_refuses_to_overwrite(tmp_path):
    path = tmp_path / "s.json"
    path.write_text("precious", encoding="utf-8")
    with pytest.raises(FileExistsError, match="already exists"):
        save_scenario(Scenario.default(), path)
    assert path.read_text(encoding="utf-8") == "precious"
    assert os.listdir(tmp_path) == ["s.json"]  # no temp file left behind


def test_save_overwrite_replaces_atomically(tmp_path):
    path = tmp_path / "s.json"
    path.write_text("old", encoding="utf-8")
    save_scenario(Scenario.preset("activate"), path, overwrite=True)
    assert load_scenario(path).scenario.values["tr_action"] == "activate"
    assert os.listdir(tmp_path) == ["s.json"]


def test_save_into_missing_folder_is_clear(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        save_scenario(Scenario.default(), tmp_path / "nope" / "s.json")


# --------------------------------------------------------------------------- hostile files

HOSTILE = {
    "not_json": ("this is not json", "not valid JSON"),
    "empty": ("", "not valid JSON"),
    "top_list": ("[1, 2]", "top level must be a JSON object"),
    "top_string": ('"values"', "top level must be a JSON object"),
    "top_null": ("null", "top level must be a JSON object"),
    "nan": ('{"format": "s400lab-scenario", "values": {"compensation_share": NaN}}', "NaN is not allowed"),
    "infinity": (
        '{"format": "s400lab-scenario", "values": {"compensation_share": Infinity}}',
        "Infinity is not allowed",
    ),
    "minus_infinity": (
        '{"format": "s400lab-scenario", "values": {"inventory_bn": -Infinity}}',
        "-Infinity is not allowed",
    ),
    "huge_float": ('{"format": "s400lab-scenario", "values": {"inventory_bn": 1e999}}', "too large"),
    "huge_int_digits": (
        '{"format": "s400lab-scenario", "values": {"inventory_bn": ' + "9" * 5000 + "}}",
        "not a valid scenario file",
    ),
    "deep_nesting": ("[" * 30000 + "]" * 30000, "not a valid scenario file"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_text_is_rejected_clearly(tmp_path, case):
    text, message = HOSTILE[case]
    path = _write(tmp_path / f"{case}.json", text)
    with pytest.raises(ValueError) as info:
        load_scenario(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("doc", "key", "message"),
    [
        ({"values": {}}, "format", "must be 's400lab-scenario'"),
        ({"format": "other", "values": {}}, "format", "must be"),
        ({"format": "s400lab-scenario", "format_version": 99, "values": {}}, "format_version", "must be 1"),
        ({"format": "s400lab-scenario"}, "values", "missing"),
        ({"format": "s400lab-scenario", "values": [1]}, "values", "must be an object"),
        ({"format": "s400lab-scenario", "values": {}, "evil": 1}, "evil", "unknown key"),
        ({"format": "s400lab-scenario", "values": {}, "name": 5}, "name", "must be a string"),
        ({"format": "s400lab-scenario", "values": {}, "notes": "x" * 20_000}, "notes", "longer than"),
        (_doc(no_such_parameter=1), "values.no_such_parameter", "unknown parameter"),
        (_doc(tr_actoin="return_full"), "values.tr_actoin", "did you mean tr_action"),
        (_doc(tr_action="sell_to_mars"), "values.tr_action", "not allowed"),
        (_doc(tr_action=3), "values.tr_action", "must be a string"),
        (_doc(return_quarter="2"), "values.return_quarter", "must be a number"),
        (_doc(return_quarter=True), "values.return_quarter", "must be a number"),
        (_doc(return_quarter=2.5), "values.return_quarter", "must be a whole number"),
        (_doc(return_quarter=999), "values.return_quarter", "outside the allowed range"),
        (_doc(compensation_share=-0.5), "values.compensation_share", "outside the allowed"),
        (_doc(inventory_bn=10**30), "values.inventory_bn", "too large"),
        (_doc(inventory_bn=None), "values.inventory_bn", "must be a number"),
        (_doc(inventory_bn=[80]), "values.inventory_bn", "must be a number"),
        (_doc(inventory_bn={"v": 80}), "values.inventory_bn", "must be a number"),
    ],
)
def test_bad_documents_name_file_and_key(tmp_path, doc, key, message):
    path = _write(tmp_path / "bad.json", doc)
    with pytest.raises(ValueError) as info:
        load_scenario(path)
    text = str(info.value)
    assert text.startswith(f"{path}: key {key!r}"), text
    assert message in text, text


def test_too_large_file_is_rejected_before_parsing(tmp_path):
    doc = _doc(tr_action="return_full")
    doc["notes"] = "x" * (MAX_BYTES + 10)
    path = _write(tmp_path / "big.json", doc)
    with pytest.raises(ValueError, match=r"larger than 64 kB"):
        load_scenario(path)


def test_non_utf8_and_missing_files(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"name": "T\xfcrkiye"}')
    with pytest.raises(ValueError, match="not UTF-8"):
        load_scenario(path)
    with pytest.raises(ValueError, match="no such file"):
        load_scenario(tmp_path / "missing.json")
    with pytest.raises(ValueError, match="is a folder"):
        load_scenario(tmp_path)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4),
    max_leaves=12,
)
PARAM_NAMES = st.sampled_from([p.name for p in REGISTER]) | st.text(max_size=12)


@HYPO
@given(values=st.dictionaries(PARAM_NAMES, JSON, max_size=4))
def test_arbitrary_values_load_or_fail_with_valueerror(tmp_path_factory, values):
    """Any JSON under 'values': either a valid scenario or one clear ValueError."""
    path = tmp_path_factory.mktemp("h") / "h.json"
    try:
        text = json.dumps(_doc(**{}) | {"values": values})
    except ValueError:  # infinities from st.floats cannot be written as strict JSON
        return
    path.write_text(text, encoding="utf-8")
    try:
        loaded = load_scenario(path)
    except ValueError as exc:
        assert str(path) in str(exc)
        return
    for key, value in values.items():  # accepted => every value is what the model holds
        got = loaded.scenario.values[key]
        assert got == value and not (isinstance(got, float) and math.isnan(got))


@HYPO
@given(blob=st.binary(max_size=300))
def test_arbitrary_bytes_never_crash(tmp_path_factory, blob):
    path = tmp_path_factory.mktemp("b") / "b.json"
    path.write_bytes(blob)
    with pytest.raises(ValueError):
        load_scenario(path)


def test_module_uses_no_eval_or_pickle():
    import ast

    tree = ast.parse(Path(scenario_io.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    imported |= {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not imported & {"pickle", "marshal", "shelve", "yaml", "dill"}
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert not called & {"eval", "exec", "compile", "__import__"}


def test_preset_is_kept_and_an_edited_scenario_is_labelled_so(tmp_path):
    sc = Scenario.preset("full_return_cash").with_changes(compensation_share=0.4)
    path = save_scenario(sc, tmp_path / "e.json", name="Edited", preset="full_return_cash")
    loaded = load_scenario(path)
    assert loaded.preset == "full_return_cash"
    assert loaded.scenario.label == Scenario.preset("full_return_cash").label + " (changed)"
    assert dict(loaded.scenario.values) == dict(sc.values)
    same = save_scenario(Scenario.preset("full_return_cash"), tmp_path / "p.json")
    assert load_scenario(same).scenario.label == Scenario.preset("full_return_cash").label


def test_unknown_preset_is_named(tmp_path):
    doc = _doc(tr_action="return_full")
    doc["preset"] = "no_such_preset"
    path = _write(tmp_path / "u.json", doc)
    with pytest.raises(ValueError, match=r"u.json: key 'preset': unknown preset 'no_such_preset'"):
        load_scenario(path)
