"""s400lab._inputs: only regular files are read, JSON is parsed strictly, excerpts stay short."""

from __future__ import annotations

import json
import os
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s400lab._inputs import InputError, excerpt, loads_json, read_regular_file, text_problem


def test_named_pipe_is_refused_without_blocking(tmp_path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    result: dict[str, object] = {}

    def read() -> None:
        try:
            read_regular_file(fifo, limit=100, what="scenario file")
        except InputError as exc:
            result["error"] = str(exc)

    t = threading.Thread(target=read, daemon=True)
    t.start()
    t.join(10)
    assert not t.is_alive(), "reading a named pipe blocked"
    assert "named pipe" in str(result["error"]) and str(fifo) in str(result["error"])


@pytest.mark.parametrize("kind", ["folder", "missing", "large"])
def test_non_files_and_large_files_are_refused(tmp_path, kind) -> None:
    path = tmp_path / "x.json"
    if kind == "folder":
        path.mkdir()
    elif kind == "large":
        path.write_bytes(b" " * 101)
    with pytest.raises(InputError, match=str(path)):
        read_regular_file(path, limit=100)


def test_regular_file_under_limit_is_read(tmp_path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(b"12345")
    assert read_regular_file(path, limit=5) == b"12345"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"a": 1, "a": 2}', "$.a: key appears more than once"),
        ('{"v": {"x": NaN}}', "$.v.x: NaN"),
        ('{"v": [1, -Infinity]}', "$.v[1]: -Infinity"),
        ('{"v": 1e309}', "$.v: number '1e309' is out of range"),
        ('{"v": ' + "9" * 5000 + "}", "$.v: number of 5000 characters"),
        ('{"n": "\\ud800"}', "$.n: contains a lone surrogate"),
        ('{"n": {"a\\u001b": 1}}', "$.n"),
        ("[" * 5000 + "]" * 5000, "nested 5000 levels deep"),
        ('{"a": 1', "not valid JSON (line 1, column 8"),
    ],
)
def test_strict_json_names_the_path(text, where) -> None:
    with pytest.raises(InputError) as err:
        loads_json(text, source="s.json")
    msg = str(err.value)
    assert msg.startswith("s.json: ") and where in msg and "\n" not in msg


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**15), 10**15)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(blacklist_categories=("Cs", "Cc"))),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=8), inner, max_size=4
        )
    ),
    max_leaves=20,
)


@given(json_values)
def test_valid_json_round_trips(value) -> None:
    assert loads_json(json.dumps(value), source="x") == value


@given(st.text(max_size=300))
def test_any_text_gives_a_value_or_one_line_input_error(text) -> None:
    try:
        loads_json(text, source="x")
    except InputError as exc:
        assert str(exc).startswith("x: ") and "\n" not in str(exc)


@given(st.text(max_size=2000))
def test_excerpt_is_short_and_one_line(text) -> None:
    shown = excerpt(text)
    assert len(shown) <= 4 * 40 + 5 and "\n" not in shown and "\x1b" not in shown


def test_text_problem() -> None:
    assert text_problem("plain name", allow_newlines=False) is None
    assert text_problem("two\nlines", allow_newlines=True) is None
    assert "control character" in (text_problem("two\nlines", allow_newlines=False) or "")
    assert "control character" in (text_problem("red\x1b[31m", allow_newlines=True) or "")
