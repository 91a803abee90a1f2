"""The parameter register: completeness, sources, validation messages."""

from __future__ import annotations

import csv
import math

import pandas as pd
import pytest

from s400lab.model.register import build_register, data_dir

DATA = data_dir()

LEVERS = {
    "tr_action": {
        "keep_stored",
        "activate",
        "return_partial",
        "return_full",
        "transfer_third_party",
        "custody",
        "relocation",
        "standalone_verified",
        "joint_control",
    },
    "compensation_form": {"cash", "energy_offset", "none"},
    "ru_use_returned": {"home", "india", "resale"},
    "us_response": {"cooperative", "standard", "hostile"},
}


def test_levers_and_choices(reg):
    for name, choices in LEVERS.items():
        p = reg[name]
        assert p.kind == "lever" and p.type == "choice"
        assert set(p.choices) == choices
    for name in ("return_battalions", "return_quarter", "compensation_share"):
        assert reg[name].kind == "lever"


def test_suggested_ranges_from_domain_facts(reg):
    # low / central / high from reference/domain_facts.md "Suggested model parameters"
    expected = {
        # production_bn_per_year and the loss rates are derived from data/ru_s400_yearly.csv
        # by s400lab.model.depletion: tests/model/test_depletion.py holds them to the rule
        "inventory_bn": (55, 80, 105),
        "sanctions_lift_months": (1, 6, 24),
        "f35_readmission_months": (12, 36, 96),
        "removal_months": (1, 3, 12),
        "refurb_months": (0, 6, 12),
    }
    for name, (lo, mid, hi) in expected.items():
        p = reg[name]
        assert (p.low, p.central, p.high) == (lo, mid, hi), name
        assert p.kind == "uncertainty"
    assert reg["tr_holding_bn"].distribution == "discrete"
    assert set(reg["tr_holding_bn"].choices) == {"2", "4"}


def test_every_source_id_exists_and_rows_are_documented(reg):
    with (DATA / "sources.csv").open(newline="", encoding="utf-8") as fh:
        ids = {r["source_id"] for r in csv.DictReader(fh)}
    pending = DATA / "_pending_sources_model.csv"
    if pending.exists():
        with pending.open(newline="", encoding="utf-8") as fh:
            ids |= {r["source_id"] for r in csv.DictReader(fh)}
    for p in reg:
        assert p.description and p.rationale and p.label, p.name
        for sid in p.source_ids:
            assert sid in ids, f"{p.name}: unknown source {sid}"
        if p.kind != "setting" and not p.source_ids:
            # only an explicitly labelled assumption may go without a source
            assert "ASSUMPTION" in p.description + p.rationale and p.confidence == "claimed", p.name
        if p.kind == "uncertainty":
            assert p.distribution != "none", p.name


def test_every_numeric_default_is_central_and_in_range(reg):
    for p in reg:
        if p.type in ("float", "int"):
            assert p.low <= p.default <= p.high
            assert p.default == p.central


def test_alliance_weights_are_settings(reg):
    weights = reg.names(group="Alliance")
    assert len(weights) >= 3
    assert all(reg[w].kind == "setting" for w in weights)


@pytest.mark.parametrize(
    "changes, fragment",
    [
        ({"no_such_thing": 1}, "unknown parameter 'no_such_thing'"),
        ({"production_bn_per_year": 99}, "'production_bn_per_year'"),
        ({"production_bn_per_year": float("nan")}, "NaN"),
        ({"tr_action": "return"}, "'tr_action'"),
        ({"return_quarter": 1.5}, "not an integer"),
        ({"compensation_share": "lots"}, "not a number"),
        ({"compensation_share": True}, "not a number"),
        ({"horizon_quarters": 0}, "'horizon_quarters'"),
        ({"tr_holding_bn": 3}, "one of 2, 4"),  # the sources say 2 or 4 battalions, never 3
        ({"india_undelivered_sq": 1.5}, "not an integer"),
    ],
)
def test_with_changes_rejects_bad_values(default, changes, fragment):
    with pytest.raises(ValueError) as exc:
        default.with_changes(**changes)
    assert fragment in str(exc.value)


def test_error_names_allowed_range(default):
    p = default.register["production_bn_per_year"]
    with pytest.raises(ValueError, match=rf"{p.low:g}\.\.{p.high:g}"):
        default.with_changes(production_bn_per_year=p.low - 0.1)


def test_build_register_reports_file_line_column():
    table = pd.read_csv(DATA / "parameters.csv", dtype=str, keep_default_na=False)
    row = table.index[table["name"] == "inventory_bn"][0]
    table.loc[row, "low"] = "200"  # low > central
    with pytest.raises(ValueError) as exc:
        build_register(table)
    msg = str(exc.value)
    assert "parameters.csv" in msg and f"line {row + 2}" in msg and "'central'" in msg


def test_build_register_rejects_unknown_kind():
    table = pd.read_csv(DATA / "parameters.csv", dtype=str, keep_default_na=False)
    table.loc[0, "kind"] = "guess"
    with pytest.raises(ValueError, match=r"line 2, column 'kind'"):
        build_register(table)


def test_string_values_are_parsed(default):
    sc = default.with_changes(return_quarter="3", compensation_share="0.5")
    assert sc["return_quarter"] == 3 and isinstance(sc["return_quarter"], int)
    assert math.isclose(sc["compensation_share"], 0.5)
