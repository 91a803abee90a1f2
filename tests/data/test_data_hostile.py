"""Hostile data packages (issue 15): nothing is read from outside the folder, nothing hangs, every
bad value is one DataError line naming file, row and column, and no cell is echoed at length.

The end-to-end cases run on a copy of the small fixture package (a full validation takes about a
second); the cell grammar itself is tested as a pure function with many generated cells.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s400lab._inputs import InputError, quote_excerpt, resolve_inside
from s400lab.data import DataError, load, validate, validation
from s400lab.data.cells import cell_problem, number_problem, parse_date
from s400lab.model.register import load_register

SECRET = "root:x:0:0:secret-line-from-outside:/root:/bin/bash"
NUMBER = {"name": "x", "type": "number"}
INTEGER = {"name": "x", "type": "integer"}
DATE = {"name": "x", "type": "date"}
GRADE = {"name": "x", "type": "string", "constraints": {"enum": ["official", "reported"]}}
FREE = {"name": "x", "type": "string"}
MISSING = frozenset({""})


def broken(path: Path) -> DataError:
    with pytest.raises(DataError) as info:
        load(path)
    return info.value


def _messages(err: DataError) -> str:
    return "\n".join(str(p) for p in err.problems)


def _resource(package: Path, name: str) -> tuple[dict, dict]:
    doc = json.loads((package / "datapackage.json").read_text())
    return doc, next(r for r in doc["resources"] if r["name"] == name)


def _set_resource(package: Path, name: str, key: str, value: str) -> None:
    doc, res = _resource(package, name)
    res[key] = value
    (package / "datapackage.json").write_text(json.dumps(doc))


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder next to the package with a passwd-like file and a copy of a CSV and a schema."""
    out = tmp_path / "outside"
    out.mkdir()
    (out / "passwd").write_text(f"event_id,date\n{SECRET}\n{SECRET}\n")
    return out


# --------------------------------------------------------------------------- paths


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("../outside/passwd", "leaves the folder"),
        ("/etc/hostname", "leaves the folder"),
        ("https://example.org/events.csv", "is a URL"),
        ("file:///etc/passwd", "is a URL"),
        ("C:/data/events.csv", "is a URL"),
        ("sub\\events.csv", "backslash"),
        ("events\n.csv", "control character"),
    ],
)
@pytest.mark.parametrize("key", ["path", "schema"])
def test_path_escapes_are_refused(
    fixture_copy: Path, outside: Path, value: str, why: str, key: str, h
) -> None:
    _set_resource(fixture_copy, "events", key, value)
    err = broken(fixture_copy)
    p = h.find(err, "datapackage.json", None, None, why)
    assert "resource 'events'" in p.message and repr(value)[1:-1][:20] in p.message
    assert SECRET not in str(err)


def test_nul_in_a_path_is_refused_by_the_json_reader(fixture_copy: Path, h) -> None:
    _set_resource(fixture_copy, "events", "path", "events.csv\x00")
    h.find(broken(fixture_copy), "datapackage.json", None, None, "].path: contains the control character")


def _opened_files(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every path os.open and builtins.open are asked to open during a validation."""
    seen: list[str] = []
    real_os_open, real_open = os.open, open

    def os_open(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(str(path))
        return real_os_open(path, *args, **kwargs)

    def builtin_open(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr("builtins.open", builtin_open)
    return seen


@pytest.mark.parametrize("target", ["secret", "/etc/hostname"])
def test_symlinked_csv_leaving_the_folder_is_never_opened(
    fixture_copy: Path, outside: Path, target: str, monkeypatch: pytest.MonkeyPatch, h
) -> None:
    dest = outside / "passwd" if target == "secret" else Path(target)
    (fixture_copy / "events.csv").unlink()
    (fixture_copy / "events.csv").symlink_to(dest)
    opened = _opened_files(monkeypatch)
    problems = validate(fixture_copy)
    monkeypatch.undo()
    err = DataError(problems)
    h.find(err, "datapackage.json", None, None, "symlink that leads outside the folder")
    assert not [p for p in problems if "not described" in p.message]  # it is described, and refused
    assert SECRET not in str(err)
    assert not [f for f in opened if Path(f).resolve() == dest.resolve()]


def test_symlinked_schema_leaving_the_folder_is_refused(fixture_copy: Path, outside: Path, h) -> None:
    (outside / "events.schema.json").write_bytes((fixture_copy / "schemas/events.schema.json").read_bytes())
    (fixture_copy / "schemas/events.schema.json").unlink()
    (fixture_copy / "schemas/events.schema.json").symlink_to(outside / "events.schema.json")
    h.find(broken(fixture_copy), "datapackage.json", None, None, "resource 'events', schema: path")


def test_symlink_inside_the_folder_is_followed(fixture_copy: Path) -> None:
    (fixture_copy / "real").mkdir()
    (fixture_copy / "events.csv").rename(fixture_copy / "real" / "events.csv")
    (fixture_copy / "events.csv").symlink_to(fixture_copy / "real" / "events.csv")
    assert validate(fixture_copy) == []


def test_symlink_loop_is_a_problem_not_a_crash(fixture_copy: Path, h) -> None:
    (fixture_copy / "events.csv").unlink()
    (fixture_copy / "events.csv").symlink_to(fixture_copy / "events.csv")
    h.find(broken(fixture_copy), "datapackage.json", None, None, "cannot be resolved")


@pytest.mark.timeout(60)
@pytest.mark.parametrize("which", ["events.csv", "schemas/events.schema.json", "datapackage.json"])
def test_fifo_is_refused_without_hanging(fixture_copy: Path, which: str, h) -> None:
    (fixture_copy / which).unlink()
    os.mkfifo(fixture_copy / which)
    err = broken(fixture_copy)
    h.find(err, which, None, None, "is a named pipe")


def test_deeply_nested_datapackage_is_a_problem(fixture_copy: Path, h) -> None:
    (fixture_copy / "datapackage.json").write_text('{"resources": ' + "[" * 100_000 + "]" * 100_000 + "}")
    h.find(broken(fixture_copy), "datapackage.json", None, None, "JSON nested 100001 levels deep")


@pytest.mark.parametrize("which", ["datapackage.json", "schemas/events.schema.json"])
def test_duplicate_keys_are_refused(fixture_copy: Path, which: str, h) -> None:
    path = fixture_copy / which
    text = path.read_text()
    path.write_text(text.replace("{", '{"title": "a", "title": "b",', 1))
    h.find(broken(fixture_copy), which, None, None, "$.title: key appears more than once")


def test_json_with_nan_is_refused(fixture_copy: Path, h) -> None:
    path = fixture_copy / "schemas/deals.schema.json"
    path.write_text(path.read_text().replace("{", '{"x-limit": NaN,', 1))
    h.find(broken(fixture_copy), "schemas/deals.schema.json", None, None, "NaN is not allowed")


def test_csv_over_the_size_limit(fixture_copy: Path, monkeypatch: pytest.MonkeyPatch, h) -> None:
    monkeypatch.setattr(validation, "MAX_CSV_BYTES", 100)
    h.find(broken(fixture_copy), "events.csv", None, None, "over the 100-byte limit for a CSV file")


def test_unlisted_dangling_symlink_csv_does_not_crash(fixture_copy: Path, h) -> None:
    (fixture_copy / "extra.csv").symlink_to(fixture_copy / "nowhere.csv")
    h.find(broken(fixture_copy), "extra.csv", None, None, "not described in datapackage.json")


def _edit_schema(package: Path, change) -> None:  # type: ignore[no-untyped-def]
    path = package / "schemas/events.schema.json"
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc))


@pytest.mark.parametrize(
    ("change", "text"),
    [
        (lambda d: d.update(fields=[1, 2]), '"fields" must be a list of objects'),
        (
            lambda d: d.update(foreignKeys=[{"fields": ["variant_of"], "reference": "x"}]),
            "not a valid Table Schema",
        ),
        (lambda d: d["fields"][1].update(format="%d/%m/%Y"), "date format '%d/%m/%Y' is not supported"),
        (lambda d: d["fields"][1].update(type="number", groupChar=","), "groupChar is not supported"),
        (lambda d: d["fields"][0]["constraints"].update(pattern="(["), "is not a valid regular expression"),
        (
            lambda d: d["foreignKeys"][0]["reference"].update(resource="nope"),
            "which datapackage.json does not list",
        ),
    ],
)
def test_odd_or_unsupported_schemas_are_problems(fixture_copy: Path, change, text: str, h) -> None:  # type: ignore[no-untyped-def]
    _edit_schema(fixture_copy, change)
    h.find(broken(fixture_copy), "schemas/events.schema.json", None, None, text)


def test_constraint_of_the_wrong_type_is_a_problem_not_a_crash(fixture_copy: Path, h) -> None:
    _edit_schema(fixture_copy, lambda d: d["fields"][1]["constraints"].update(minimum="x"))
    # refused by the contract (the shipped descriptor) before Frictionless would trip on it
    h.find(
        broken(fixture_copy),
        "schemas/events.schema.json",
        None,
        None,
        "resource 'events', field 'date': minimum 'x' is not in the shipped schema",
    )


@pytest.mark.parametrize(
    ("key", "value", "text"),
    [
        ("dialect", {"delimiter": ";"}, "a dialect is not supported"),
        ("encoding", "latin-1", "encoding 'latin-1' is not supported"),
        ("format", "xlsx", "format 'xlsx' is not supported"),
        ("path", "deals.csv", "its file is already the file of resource 'deals'"),
    ],
)
def test_unsupported_resource_options(fixture_copy: Path, key: str, value: object, text: str, h) -> None:
    doc, res = _resource(fixture_copy, "events")
    res[key] = value
    (fixture_copy / "datapackage.json").write_text(json.dumps(doc))
    h.find(broken(fixture_copy), "datapackage.json", None, None, text)


def test_version_must_be_short(fixture_copy: Path, h) -> None:
    doc = json.loads((fixture_copy / "datapackage.json").read_text())
    doc["version"] = "x" * 500
    (fixture_copy / "datapackage.json").write_text(json.dumps(doc))
    err = broken(fixture_copy)
    h.find(err, "datapackage.json", None, None, "is not like 0.2.0")
    assert "x" * 100 not in str(err)


# --------------------------------------------------------------------------- excerpts


@pytest.mark.parametrize(
    ("file", "column"),
    [
        ("events.csv", "confidence"),
        ("events.csv", "date"),
        ("deals.csv", "value_usd_bn"),
        ("events.csv", "actor"),
    ],
)
def test_messages_quote_only_a_short_escaped_excerpt(fixture_copy: Path, file: str, column: str, h) -> None:
    long_cell = "\x1b[31m" + SECRET * 50
    row = h.set_cell(fixture_copy / file, 0, column, long_cell)
    err = broken(fixture_copy)
    hits = [p for p in err.problems if p.row == row and p.column == column]
    assert hits, str(err)
    for p in err.problems:
        assert len(p.message) < 400, p.message
        assert "\x1b" not in str(p)
    assert SECRET not in str(err)
    assert "\\x1b" in str(hits[0])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_quote_excerpt_is_short_and_inert(text: str) -> None:
    shown = quote_excerpt(text)
    assert len(shown) <= 10 * 40 + 5  # 40 characters, the longest escape being \\U0001xxxx
    assert shown.startswith('"') and shown.removesuffix("...").endswith('"')
    assert not [c for c in shown if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp")]
    assert shown.endswith("...") == (len(text) > 40)


def test_resolve_inside_accepts_inside_and_refuses_outside(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.csv").write_text("x")
    assert resolve_inside(tmp_path / "a", "./x.csv") == (tmp_path / "a" / "x.csv").resolve()
    (tmp_path / "a" / "link.csv").symlink_to(tmp_path / "a" / "x.csv")
    assert resolve_inside(tmp_path / "a", "link.csv") == (tmp_path / "a" / "x.csv").resolve()
    for bad in ["", "../a/x.csv", "/etc/passwd", "http://x/y.csv", "file:x.csv", "x\\y.csv", "a\nb"]:
        with pytest.raises(InputError):
            resolve_inside(tmp_path / "a", bad)


def test_unknown_header_column_is_shown_short(fixture_copy: Path, h) -> None:
    rows = h.read_rows(fixture_copy / "deals.csv")
    h.write_rows(
        fixture_copy / "deals.csv", [r + ([SECRET * 20] if k == 0 else ["1"]) for k, r in enumerate(rows)]
    )
    err = broken(fixture_copy)
    assert SECRET not in str(err)
    assert any("unknown column" in p.message for p in err.problems)


# --------------------------------------------------------------------------- cell grammar

HOSTILE_NUMBERS = [
    "1_000",
    "\u0661\u0662",  # Arabic-Indic digits
    "\uff11",  # fullwidth one
    "inf",
    "-inf",
    "Infinity",
    "NaN",
    "nan",
    "1e999",
    "-1e999",
    " 2",
    "2 ",
    "\t2",
    "1,5",
    "0x10",
    "1" * 41,
    "2\n",
]


@pytest.mark.parametrize("text", HOSTILE_NUMBERS)
def test_hostile_numbers_are_refused(text: str) -> None:
    assert cell_problem(NUMBER, text, MISSING)
    assert cell_problem(INTEGER, text, MISSING)


@pytest.mark.parametrize("text", ["0", "-2.5", "+3", "2.", ".5", "1e3", "1.5E-7", "42"])
def test_plain_numbers_are_accepted(text: str) -> None:
    assert cell_problem(NUMBER, text, MISSING) is None


@pytest.mark.parametrize("text", ["3.0", "1e3", "9" * 17, "1_0"])
def test_integers_are_digits_and_in_range(text: str) -> None:
    assert cell_problem(INTEGER, text, MISSING)


_digits = st.text(st.sampled_from("0123456789"), min_size=1, max_size=8)
_noise = st.sampled_from(["_", " ", "\u0663", "\uff15", "inf", "nan", ",", "\u00a0", "\x00", "٫"])


@settings(max_examples=300, deadline=None)
@given(left=_digits, noise=_noise, right=_digits)
def test_generated_hostile_numbers_are_refused(left: str, noise: str, right: str) -> None:
    text = left + noise + right
    assert cell_problem(NUMBER, text, MISSING), text
    assert cell_problem(INTEGER, text, MISSING), text


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_finite_float_repr_is_accepted(x: float) -> None:
    assert number_problem(repr(x)) is None


@pytest.mark.parametrize(
    "text", ["2025-3-5", "2025-03-5", "2025-3-05", "25-03-05", "2025-W10-1", "20250305", "2025-02-30"]
)
def test_dates_need_zero_padding_and_a_real_day(text: str) -> None:
    assert cell_problem(DATE, text, MISSING)
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize("text", [" official", "official ", "offi\u200bcial\n", "official\x1b"])
def test_codes_match_exactly(text: str) -> None:
    assert cell_problem(GRADE, text, MISSING)


def test_free_text_allows_line_breaks_but_not_control_characters() -> None:
    assert cell_problem(FREE, "two\nparagraphs", MISSING) is None
    assert cell_problem(FREE, "bell\x07", MISSING)
    assert cell_problem(FREE, "lone \ud800", MISSING)
    assert cell_problem(GRADE, "two\nlines", MISSING)


# --------------------------------------------------------------------------- end to end


@pytest.mark.parametrize(
    ("file", "index", "column", "value", "text"),
    [
        ("parameters.csv", 1, "high", "inf", "not a finite number"),
        ("parameters.csv", 1, "central", "NaN", "not a finite number"),
        ("parameters.csv", 1, "low", "1_0", "is not a number"),
        ("parameters.csv", 1, "high", "\u0664", "is not a number"),
        ("deals.csv", 0, "value_usd_bn", "1e999", "not a finite number"),
        ("deliveries.csv", 0, "tranche", "1_0", "is not a whole number"),
        ("deliveries.csv", 0, "tranche", "\u0663", "is not a whole number"),
        ("events.csv", 0, "date", "2019-7-12", "zero padding"),
        ("events.csv", 0, "confidence", " official", "leading or trailing space"),
        ("events.csv", 0, "title", "a\x1b[2Jb", "control character"),
        ("scenario_values.csv", 1, "value", "1_0", "for parameter return_battalions"),
        ("scenario_values.csv", 1, "value", " 2", "leading or trailing space"),
    ],
)
def test_bad_cells_are_one_line_each(
    fixture_copy: Path, file: str, index: int, column: str, value: str, text: str, h
) -> None:
    row = h.set_cell(fixture_copy / file, index, column, value)
    err = broken(fixture_copy)
    h.find(err, file, row, column, text)
    # one message per cell: the grammar refusal replaces Frictionless' own
    assert len([p for p in err.problems if (p.file, p.row, p.column) == (f"data/{file}", row, column)]) == 1


def test_discrete_values_follow_the_number_grammar(fixture_copy: Path, h) -> None:
    h.set_cell(fixture_copy / "parameters.csv", 1, "distribution", "discrete")
    row = h.set_cell(fixture_copy / "parameters.csv", 1, "choices", "0;2_0;4")
    h.find(broken(fixture_copy), "parameters.csv", row, "choices", 'lists numbers: "2_0" is not a number')


def test_register_reads_through_the_same_check(fixture_copy: Path, h) -> None:
    row = h.set_cell(fixture_copy / "parameters.csv", 1, "high", "4_0")
    with pytest.raises(DataError) as info:
        load_register(fixture_copy)
    h.find(info.value, "parameters.csv", row, "high", "is not a number")


def test_header_only_events_is_an_error(fixture_copy: Path, h) -> None:
    rows = h.read_rows(fixture_copy / "events.csv")
    h.write_rows(fixture_copy / "events.csv", rows[:1])
    h.find(broken(fixture_copy), "events.csv", None, None, "has a header but no data rows")


def test_surrogate_bytes_in_a_csv_are_not_utf8(fixture_copy: Path, h) -> None:
    path = fixture_copy / "events.csv"
    path.write_bytes(path.read_bytes().replace(b"Erdogan", b"Erdo\xed\xa0\x80an", 1))
    h.find(broken(fixture_copy), "events.csv", None, None, "line 2: not UTF-8 text")


def test_date_outside_pandas_range_is_refused(fixture_copy: Path, h) -> None:
    row = h.set_cell(fixture_copy / "events.csv", 0, "date", "0999-01-01")
    h.find(broken(fixture_copy), "events.csv", row, "date", "outside the years")


def test_cli_prints_no_traceback_on_a_hostile_copy(fixture_copy: Path, outside: Path, h) -> None:
    (fixture_copy / "events.csv").unlink()
    (fixture_copy / "events.csv").symlink_to(outside / "passwd")
    h.set_cell(fixture_copy / "deals.csv", 0, "value_usd_bn", "inf")
    doc, res = _resource(fixture_copy, "promises")
    res["path"] = "../outside/passwd"
    (fixture_copy / "datapackage.json").write_text(json.dumps(doc))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "S400LAB_CACHE_DIR": "off"}
    run = subprocess.run(
        [sys.executable, "-m", "s400lab", "validate", str(fixture_copy)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr and SECRET not in run.stderr + run.stdout
    assert 'data/deals.csv, row 2, column "value_usd_bn": "inf" is not a finite number' in run.stderr


# --------------------------------------------------------------------------- fuzz

_CELL = st.one_of(
    st.sampled_from(
        HOSTILE_NUMBERS + ["", "2019-7-1", " official", "0999-01-01", "9" * 30, '"', "a,b", "\r"]
    ),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.from_regex(r"[+-]?[0-9]{1,4}([._,][0-9]{1,3})?([eE][+-]?[0-9]{1,4})?", fullmatch=True),
)
_FILES = ["events.csv", "deals.csv", "deliveries.csv", "parameters.csv", "scenario_values.csv", "sources.csv"]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(
    edits=st.lists(
        st.tuples(st.sampled_from(_FILES), st.integers(0, 2), st.integers(0, 16), _CELL),
        min_size=20,
        max_size=80,
    )
)
def test_fuzz_load_either_succeeds_or_raises_data_error(
    tmp_path_factory: pytest.TempPathFactory, h, edits
) -> None:
    """About 30 x 50 generated hostile cells; load() only ever returns or raises DataError."""
    package = h.copy_package(h.FIXTURE, tmp_path_factory.mktemp("fuzz"))
    for file, index, col, value in edits:
        rows = h.read_rows(package / file)
        if len(rows) < 2:  # an earlier edit (a lone "\r", a quote) left no data row to edit
            continue
        r = rows[1 + index % (len(rows) - 1)]
        if not r:  # a blank line (csv gives []): nothing to edit there
            continue
        r[col % len(r)] = value
        h.write_rows(package / file, rows)
    try:
        load(package)
    except DataError as err:
        assert all(len(p.message) < 600 for p in err.problems)
