"""Hostile inputs v2 (issue 23, items 1-2): the descriptor is input too, and one fault gives one
short message.

Every case runs on a copy of the small fixture package and states a bound on the number of
problem lines and on the characters printed; none may hang (each is under a pytest timeout).
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from s400lab.data import DataError, contract, load, validate, validation

SHIPPED = contract.shipped()
assert SHIPPED is not None and SHIPPED.schemas


def broken(path: Path) -> DataError:
    with pytest.raises(DataError) as info:
        load(path)
    return info.value


def bounded(problems, lines: int, chars: int) -> str:
    """The problems as printed, asserting at most ``lines`` lines and ``chars`` characters."""
    text = "\n".join(str(p) for p in problems)
    assert problems, "expected a problem"
    assert len(problems) <= lines, text[:3000]
    assert len(text) <= chars, text[:3000]
    return text


def _schema(package: Path, name: str) -> Path:
    return package / "schemas" / f"{name}.schema.json"


def _edit(package: Path, name: str, change) -> None:  # type: ignore[no-untyped-def]
    path = _schema(package, name)
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc))


def _field(doc: dict, name: str) -> dict:
    return next(f for f in doc["fields"] if f["name"] == name)


def _resource(package: Path, name: str, **props) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads((package / "datapackage.json").read_text())
    next(r for r in doc["resources"] if r["name"] == name).update(props)
    (package / "datapackage.json").write_text(json.dumps(doc))


# --------------------------------------------------------------------------- item 1: the descriptor


@pytest.mark.timeout(60)
def test_a_backtracking_pattern_is_not_run(fixture_copy: Path, h) -> None:
    _edit(fixture_copy, "events", lambda d: _field(d, "title")["constraints"].update(pattern="(a+)+$"))
    h.set_cell(fixture_copy / "events.csv", 0, "title", "a" * 60 + "!")
    err = broken(fixture_copy)
    text = bounded(err.problems, 2, 600)
    p = h.find(err, "schemas/events.schema.json", None, None, "resource 'events', field 'title': pattern")
    assert "(a+)+$" in p.message and "a" * 60 not in text


def test_a_type_loosened_to_string_is_refused_not_failing_later(fixture_copy: Path, h) -> None:
    _edit(fixture_copy, "events", lambda d: _field(d, "date").update(type="string"))
    err = broken(fixture_copy)  # a DataError naming the field, not a pandas error in the timeline
    bounded(err.problems, 2, 600)
    h.find(err, "schemas/events.schema.json", None, None, "resource 'events', field 'date': type 'string'")


def test_a_foreign_key_to_a_missing_field_names_the_schema(fixture_copy: Path, h) -> None:
    fk = [{"fields": ["variant_of"], "reference": {"resource": "", "fields": ["no_such"]}}]
    _edit(fixture_copy, "events", lambda d: d.update(foreignKeys=fk))
    err = broken(fixture_copy)
    bounded(err.problems, 2, 800)
    h.find(err, "schemas/events.schema.json", None, None, "resource 'events': foreignKeys")
    assert not [p for p in err.problems if "not found" in p.message]


def test_missing_values_that_swallow_real_values_are_refused(fixture_copy: Path, h) -> None:
    _edit(fixture_copy, "events", lambda d: d.update(missingValues=["", "official"]))
    err = broken(fixture_copy)
    bounded(err.problems, 2, 600)
    h.find(err, "schemas/events.schema.json", None, None, "missingValues 'official' would read real cells")
    assert not [p for p in err.problems if "empty but required" in p.message]


@pytest.mark.parametrize(
    ("props", "text"),
    [
        ({"bytes": 12}, "bytes '12' does not match the file"),
        ({"hash": "sha256:" + "0" * 64}, "does not match the file"),
        ({"hash": "0" * 32}, "does not match the file"),  # md5 by default
        ({"hash": "crc32:abcd"}, "is not <algorithm>:<hex>"),
    ],
)
def test_a_stale_hash_or_byte_count_is_refused(fixture_copy: Path, props: dict, text: str, h) -> None:
    _resource(fixture_copy, "events", **props)
    err = broken(fixture_copy)
    bounded(err.problems, 2, 600)
    h.find(err, "datapackage.json", None, None, f"resource 'events': {props and ''}")
    assert any(text in p.message for p in err.problems), str(err)


def test_a_true_hash_and_byte_count_pass(fixture_copy: Path) -> None:
    raw = (fixture_copy / "events.csv").read_bytes()
    _resource(fixture_copy, "events", bytes=len(raw), hash="sha256:" + hashlib.sha256(raw).hexdigest())
    _resource(fixture_copy, "deals", hash=hashlib.md5((fixture_copy / "deals.csv").read_bytes()).hexdigest())
    assert validate(fixture_copy) == []


def test_a_huge_enum_is_one_short_line(fixture_copy: Path, h) -> None:
    values = [f"v{i:05d}xxxxxx" for i in range(60_000)]
    _edit(fixture_copy, "events", lambda d: _field(d, "actor")["constraints"].update(enum=values))
    h.set_cell(fixture_copy / "events.csv", 0, "actor", "Nobody")
    err = broken(fixture_copy)
    bounded(err.problems, 2, 600)
    h.find(err, "schemas/events.schema.json", None, None, "field 'actor': enum adds")


def test_a_tighter_schema_is_accepted(fixture_copy: Path) -> None:
    """Only a departure that could let a bad value in (or change how one is read) is refused."""
    _edit(
        fixture_copy,
        "events",
        lambda d: _field(d, "actor")["constraints"].update(enum=["Turkiye", "Russia", "India"]),
    )
    _edit(fixture_copy, "events", lambda d: _field(d, "title").update(title="Another title", description="x"))
    _edit(fixture_copy, "events", lambda d: _field(d, "title")["constraints"].update(maxLength=80))
    assert [p for p in validate(fixture_copy) if "shipped" in p.message] == []


def test_an_unknown_resource_gets_no_pattern_run(fixture_copy: Path, h) -> None:
    (fixture_copy / "extra.csv").write_text("x\n" + "a" * 40 + "!\n")
    schema = {"fields": [{"name": "x", "type": "string", "constraints": {"pattern": "(a|aa)+$"}}]}
    (fixture_copy / "schemas" / "extra.schema.json").write_text(json.dumps(schema))
    doc = json.loads((fixture_copy / "datapackage.json").read_text())
    doc["resources"].append({"name": "extra", "path": "extra.csv", "schema": "schemas/extra.schema.json"})
    (fixture_copy / "datapackage.json").write_text(json.dumps(doc))
    err = broken(fixture_copy)
    bounded(err.problems, 2, 600)
    h.find(err, "schemas/extra.schema.json", None, None, "resource 'extra', field 'x': pattern")


_LOOSER = st.sampled_from(
    ["type", "enum", "pattern", "required", "minimum", "missing", "format", "trueValues"]
)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(sorted(SHIPPED.schemas)), how=_LOOSER, data=st.data())
def test_every_loosening_is_refused_naming_resource_and_field(name: str, how: str, data) -> None:
    """Random departures from the shipped schemas (a pure check, no files): each loosening gives
    one message naming the resource (and the field), none is accepted."""
    schema = copy.deepcopy(SHIPPED.schemas[name])
    f = data.draw(st.sampled_from(schema["fields"]))
    c = f.setdefault("constraints", {})
    if how == "type":
        f["type"] = data.draw(
            st.sampled_from(["string", "number", "integer", "date", "any", "boolean"]).filter(
                lambda t: t != f.get("type", "string")
            )
        )
    elif how == "enum":
        c["enum"] = [
            *c.get("enum", []),
            data.draw(st.text(min_size=1, max_size=5).filter(lambda v: v not in c.get("enum", []))),
        ]
    elif how == "pattern":
        c["pattern"] = data.draw(
            st.sampled_from(["(a+)+$", ".*", "^(x|xx)+$"]).filter(lambda v: v != c.get("pattern"))
        )
    elif how == "required":
        if not c.get("required"):
            c["required"] = True  # tighter: the same test below must then accept it
        else:
            c["required"] = False
    elif how == "minimum":
        c["minimum"] = -1e9 if "minimum" in c else "x"
    elif how == "missing":
        schema["missingValues"] = ["", data.draw(st.sampled_from(["NA", "-", "official", "0"]))]
    elif how == "format":
        f["format"] = "email" if f.get("format") != "email" else "uri"
    else:
        f["trueValues"] = ["yes"]
    msgs = SHIPPED.departures(name, schema, "x.json", {name: schema})
    tighter = how == "required" and c["required"] is True and not _shipped_required(name, f["name"])
    if tighter:
        assert msgs == []
        return
    assert msgs, (how, f["name"])
    assert all(f"resource {name!r}" in m and len(m) < 400 for m in msgs)
    if how != "missing":
        assert any(f"field {f['name']!r}" in m for m in msgs), msgs


def _shipped_required(name: str, field: str) -> bool:
    ship = next(f for f in SHIPPED.schemas[name]["fields"] if f["name"] == field)
    return bool((ship.get("constraints") or {}).get("required"))


# --------------------------------------------------------------------------- item 2: one message per fault


def test_one_bad_byte_is_one_message_not_a_flood(fixture_copy: Path, h) -> None:
    raw = (fixture_copy / "events.csv").read_bytes()
    (fixture_copy / "events.csv").write_bytes(raw[:200] + b"\xff" + raw[200:])
    err = broken(fixture_copy)
    text = bounded(err.problems, 2, 400)
    h.find(err, "events.csv", None, None, "not UTF-8 text (byte 0xff)")
    assert "cited by no row" not in text
    assert "not checked against the other tables" in text


def test_a_header_only_sources_table_is_two_lines(fixture_copy: Path, h) -> None:
    rows = h.read_rows(fixture_copy / "sources.csv")
    h.write_rows(fixture_copy / "sources.csv", rows[:1])
    err = broken(fixture_copy)
    bounded(err.problems, 2, 500)
    h.find(err, "sources.csv", None, None, "has a header but no data rows")


def test_repeats_are_capped(fixture_copy: Path, h) -> None:
    rows = h.read_rows(fixture_copy / "events.csv")
    head = rows[0]
    body = []
    for k in range(40):
        for r in rows[1:]:
            if r:
                r = list(r)
                r[head.index("event_id")] = f"{r[head.index('event_id')]}-{k}"
                r[head.index("actor")] = "Nobody"
                r[head.index("variant_of")] = ""
                body.append(r)
    h.write_rows(fixture_copy / "events.csv", [head, *body])
    err = broken(fixture_copy)
    text = bounded(err.problems, validation.MAX_LIKE + 4, 2500)
    assert f"and {len(body) - validation.MAX_LIKE} more like this (rows" in text
    assert len([p for p in err.problems if p.column == "actor"]) == validation.MAX_LIKE + 1


@pytest.mark.parametrize("column", ["actor", "title", "description", "source_ids", "date", "event_id"])
def test_a_megabyte_cell_prints_a_few_hundred_characters(fixture_copy: Path, column: str, h) -> None:
    h.set_cell(fixture_copy / "events.csv", 0, column, "x" * 1_000_000)
    problems = validate(fixture_copy)  # free text and a slug may be long: then nothing to say
    assert len(problems) <= 4 and len("\n".join(map(str, problems))) <= 1500


def test_a_megabyte_header_cell_prints_a_few_hundred_characters(fixture_copy: Path, h) -> None:
    rows = h.read_rows(fixture_copy / "events.csv")
    h.write_rows(
        fixture_copy / "events.csv", [r + (["y" * 1_000_000] if k == 0 else [""]) for k, r in enumerate(rows)]
    )
    bounded(broken(fixture_copy).problems, 4, 1500)


def test_a_far_future_date_is_judged_by_the_datas_rule(fixture_copy: Path, h) -> None:
    row = h.set_cell(fixture_copy / "events.csv", 0, "date", "9999-01-01")
    err = broken(fixture_copy)
    bounded(err.problems, 1, 300)
    p = h.find(err, "events.csv", row, "date", "outside the years 1900 to 2100")
    assert "1678" not in p.message and "2261" not in p.message and "data/README.md" in p.message
