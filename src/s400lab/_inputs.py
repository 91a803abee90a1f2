"""Reading files a user hands in: only regular files, size-limited, JSON parsed strictly.

One rule for every input (scenario files, forecast files, the questions table, the data package):

* :func:`read_regular_file` opens a path only if it is a regular file (a named pipe, a device or a
  folder is refused without blocking) and reads at most ``limit`` bytes;
* :func:`loads_json` parses JSON strictly: no ``NaN`` / ``Infinity`` literals, no duplicate keys,
  nesting at most :data:`MAX_JSON_DEPTH` deep, numbers at most :data:`MAX_NUMBER_CHARS` characters
  and finite; a refusal names the source and the JSON path (``$.values.loss``);
* :func:`excerpt` quotes a value in a message: escaped (control characters and lone surrogates
  visible, not executed) and cut to a few dozen characters, so an error never echoes a file.

Every refusal is an :class:`InputError` (a ``ValueError``) with a one-line message. This module
imports nothing from s400lab (base layer).
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from itertools import accumulate
from pathlib import Path
from typing import Any

__all__ = [
    "InputError",
    "MAX_JSON_DEPTH",
    "MAX_NUMBER_CHARS",
    "cli_int",
    "cli_text",
    "excerpt",
    "int_in_range",
    "json_path",
    "loads_json",
    "quote_excerpt",
    "read_json_file",
    "read_regular_file",
    "resolve_inside",
    "text_problem",
]

#: Deepest nesting of arrays/objects a JSON input may have (scenario files need 3).
MAX_JSON_DEPTH = 32
#: Longest number literal accepted in JSON (a float such as 0.30000000000000004 has 19).
MAX_NUMBER_CHARS = 40
#: Longest excerpt of a value quoted in a message (characters, before escaping).
EXCERPT_CHARS = 40


class InputError(ValueError):
    """A file or value handed in by the user is refused; the message names where and why."""


def excerpt(value: Any, limit: int = EXCERPT_CHARS) -> str:
    """A short, escaped quotation of ``value`` for an error message.

    Control characters, quotes and lone surrogates are shown escaped (``repr`` rules), and the
    text is cut to ``limit`` characters with an ellipsis, so a message never carries more than a
    short, inert excerpt of a cell or a file.

    >>> excerpt("ab\\x1b[31mc")
    "'ab\\\\x1b[31mc'"
    >>> len(excerpt("x" * 500)) < 60
    True
    """
    text = value if isinstance(value, str) else _str(value)
    cut = text[:limit]
    shown = repr(cut)
    return shown + "..." if len(text) > limit else shown


def _str(value: Any) -> str:
    """``str(value)`` that never raises (an int of more than 4,300 digits cannot be printed)."""
    if isinstance(value, int) and value.bit_length() > 4000:
        return f"<an integer of about {int(value.bit_length() * 0.30103):,} digits>"
    try:
        return str(value)
    except Exception:  # a hostile __str__; the type is enough for a message
        return f"<a {type(value).__name__}>"


def quote_excerpt(value: Any, limit: int = EXCERPT_CHARS) -> str:
    """Like :func:`excerpt` but always in double quotes (the style of the data messages).

    >>> print(quote_excerpt('say "hi"\\n'))
    "say \\"hi\\"\\n"
    """
    text = value if isinstance(value, str) else _str(value)
    shown = repr(text[:limit])
    inner = shown[1:-1]
    if shown[0] == "'":  # repr chose single quotes: un-escape ' and escape "
        inner = inner.replace("\\'", "'").replace('"', '\\"')
    quoted = f'"{inner}"'
    return quoted + "..." if len(text) > limit else quoted


_KIND = {
    stat.S_ISDIR: "a folder",
    stat.S_ISFIFO: "a named pipe",
    stat.S_ISCHR: "a character device",
    stat.S_ISBLK: "a block device",
    stat.S_ISSOCK: "a socket",
}


def _kind(mode: int) -> str:
    for test, name in _KIND.items():
        if test(mode):
            return name
    return "not a regular file"


def read_regular_file(path: str | os.PathLike[str], *, limit: int, what: str = "file") -> bytes:
    """Read a regular file of at most ``limit`` bytes, without ever blocking on a special file.

    Parameters
    ----------
    path : path-like
        The file (a symlink is followed; callers that must stay inside a folder check the resolved
        path first).
    limit : int
        Largest size accepted, in bytes.
    what : str
        What the file should be, for messages ("scenario file", "forecast file").

    Raises
    ------
    InputError
        Missing, not a regular file (folder, named pipe, device, socket), unreadable, or larger
        than ``limit``; the message names the path.
    """
    name = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a folder, not a {what}") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{name}: is {_kind(info.st_mode)}, not a {what}; only regular files are read")
        if info.st_size > limit:
            raise InputError(f"{name}: {info.st_size:,} bytes is over the {limit:,}-byte limit for a {what}")
        with os.fdopen(fd, "rb", closefd=True) as fh:
            fd = -1
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > limit:  # grew while we read
        raise InputError(f"{name}: over the {limit:,}-byte limit for a {what}")
    return data


# --------------------------------------------------------------------------- text


_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_OR_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def text_problem(text: str, *, allow_newlines: bool) -> str | None:
    """Why ``text`` is not acceptable text, or None.

    Refused: lone surrogates (not encodable as UTF-8) and control characters (ESC and the like
    reach terminals and briefs); tabs and line breaks only when ``allow_newlines`` (notes may
    have paragraphs; a name, a code or a key may not).
    """
    if _SURROGATE.search(text):
        return "contains a lone surrogate (\\ud800-\\udfff), not valid Unicode text"
    found = (_CONTROL if allow_newlines else _CONTROL_OR_NEWLINE).search(text)
    if found:
        return f"contains the control character {found.group()!r}"
    return None


# --------------------------------------------------------------------------- strict JSON


class _Bad:
    """A value the strict parser refuses; reported with its JSON path after parsing."""

    __slots__ = ("why",)

    def __init__(self, why: str) -> None:
        self.why = why


class _Object(dict):
    """A JSON object that remembers a repeated key (the plain parser keeps the last silently)."""

    duplicate: str | None = None


def _pairs(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object()
    for key, value in pairs:
        if key in obj and obj.duplicate is None:
            obj.duplicate = key
        obj[key] = value
    return obj


def _number(text: str, *, is_float: bool) -> Any:
    if len(text) > MAX_NUMBER_CHARS:
        return _Bad(f"number of {len(text)} characters is too long (at most {MAX_NUMBER_CHARS})")
    if not is_float:
        return int(text)
    x = float(text)
    return x if math.isfinite(x) else _Bad(f"number {excerpt(text)} is out of range (not finite)")


def _constant(token: str) -> _Bad:
    return _Bad(f"{token} is not allowed (numbers must be finite)")


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def _depth(text: str) -> int:
    """Deepest bracket nesting outside strings (a linear scan; no recursion)."""
    bare = _STRING.sub("", text)
    steps = (1 if c in "[{" else -1 for c in bare if c in "[]{}")
    return max(accumulate(steps, initial=0))


def json_path(parts: list[str | int]) -> str:
    """``["values", "loss", 2]`` -> ``$.values.loss[2]`` (keys that are not identifiers quoted)."""
    out = "$"
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        elif p.isidentifier():
            out += f".{p}"
        else:
            out += f"[{excerpt(p)}]"
    return out


def _first_problem(value: Any, parts: list[str | int]) -> tuple[list[str | int], str] | None:
    """Depth-first search for a refused value (depth is bounded before this runs)."""
    if isinstance(value, _Bad):
        return parts, value.why
    if isinstance(value, str):
        why = text_problem(value, allow_newlines=True)
        return (parts, why) if why else None
    if isinstance(value, _Object):
        if value.duplicate is not None:
            return parts + [value.duplicate], "key appears more than once"
        for key in value:
            why = text_problem(key, allow_newlines=False)
            if why:
                return parts + [key], f"key {why}"
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, child in items:
        found = _first_problem(child, parts + [key])
        if found:
            return found
    return None


def _plain(value: Any) -> Any:
    if isinstance(value, _Object):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def loads_json(text: str, *, source: str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse JSON strictly; every refusal names ``source`` and the JSON path.

    Parameters
    ----------
    text : str
        The JSON text.
    source : str
        Where it came from, for messages (``"my.json"`` or ``"forecasts.jsonl line 3"``).
    max_depth : int
        Deepest nesting of arrays/objects accepted.

    Returns
    -------
    The parsed value with plain ``dict`` / ``list`` / ``str`` / ``int`` / ``float`` / ``bool`` /
    ``None``.

    Raises
    ------
    InputError
        Not JSON (line and column given), nested deeper than ``max_depth``, a ``NaN`` /
        ``Infinity`` literal, a number that is not finite or longer than
        :data:`MAX_NUMBER_CHARS`, or a key repeated in one object (JSON path given).
    """
    depth = _depth(text)
    if depth > max_depth:
        raise InputError(f"{source}: JSON nested {depth} levels deep (at most {max_depth})")
    try:
        value = json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_int=lambda s: _number(s, is_float=False),
            parse_float=lambda s: _number(s, is_float=True),
            parse_constant=_constant,
        )
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:  # defensive: the depth scan should have caught it
        raise InputError(f"{source}: JSON nested too deeply") from None
    found = _first_problem(value, [])
    if found:
        parts, why = found
        raise InputError(f"{source}: {json_path(parts)}: {why}")
    return _plain(value)


def read_json_file(
    path: str | os.PathLike[str], *, limit: int, what: str, max_depth: int = MAX_JSON_DEPTH
) -> Any:
    """:func:`read_regular_file` + UTF-8 decoding + :func:`loads_json`, one message per refusal."""
    raw = read_regular_file(path, limit=limit, what=what)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    return loads_json(text, source=str(Path(path)), max_depth=max_depth)


# --------------------------------------------------------------------------- command-line values

_DIGITS = re.compile(r"[+-]?[0-9]{1,30}")


def int_in_range(text: str, lo: int, hi: int, *, what: str) -> int:
    """``text`` as an integer in ``lo..hi`` (ASCII digits only), or one :class:`InputError`.

    >>> int_in_range("2000", 100, 100_000, what="--draws")
    2000
    """
    if not _DIGITS.fullmatch(text):
        raise InputError(f"{what}: {excerpt(text)} is not a whole number; use {lo:,}..{hi:,}")
    value = int(text)
    if not lo <= value <= hi:
        raise InputError(f"{what}: {excerpt(text)} is out of range; use {lo:,}..{hi:,}")
    return value


def cli_int(lo: int, hi: int, what: str):
    """An ``argparse`` ``type=`` for an integer option in ``lo..hi``: a bad value is reported by
    argparse as ``error: argument --draws: '10**9' is not a whole number; use 100..100,000``."""
    import argparse

    def parse(text: str) -> int:
        try:
            return int_in_range(text, lo, hi, what=what)
        except InputError as exc:
            raise argparse.ArgumentTypeError(str(exc).removeprefix(f"{what}: ")) from None

    parse.__name__ = what
    return parse


def cli_text(what: str):
    """An ``argparse`` ``type=`` for a non-empty, one-line text option (a file name, a preset)."""
    import argparse

    def parse(text: str) -> str:
        if not text.strip():
            raise argparse.ArgumentTypeError("must not be empty")
        why = text_problem(text, allow_newlines=False)
        if why:
            raise argparse.ArgumentTypeError(f"{excerpt(text)} {why}")
        return text

    parse.__name__ = what
    return parse


# --------------------------------------------------------------------------- paths inside a folder

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def resolve_inside(root: str | os.PathLike[str], rel: str) -> Path:
    """Resolve the relative path ``rel`` inside the folder ``root``, or refuse it.

    Refused (:class:`InputError`, the message quotes the path): an empty path, control
    characters, a URL or any ``scheme:`` (``http://``, ``file:``, a drive letter), a backslash,
    an absolute path, a ``..`` part, and a path whose resolved target (symlinks followed) lies
    outside the resolved ``root`` or cannot be resolved (a symlink loop). The target need not
    exist; whether it is a regular file is :func:`read_regular_file`'s check.
    """
    if not isinstance(rel, str) or not rel:
        raise InputError("path is empty")
    shown = excerpt(rel, 80)
    why = text_problem(rel, allow_newlines=False)
    if why:
        raise InputError(f"path {shown} {why}")
    if _SCHEME.match(rel) or rel.startswith("//"):
        raise InputError(f"path {shown} is a URL; only files inside the data folder are read")
    if "\\" in rel:
        raise InputError(f"path {shown} contains a backslash; separate folders with /")
    if rel.startswith("/") or ".." in rel.split("/"):
        raise InputError(f"path {shown} leaves the folder (absolute or with ..); use a path inside it")
    try:
        base = Path(root).resolve(strict=True)
        target = (base / rel).resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python < 3.13)
        raise InputError(f"path {shown} cannot be resolved ({exc.__class__.__name__})") from None
    if not target.is_relative_to(base):
        raise InputError(
            f"path {shown} is a symlink that leads outside the folder; only files inside it are read"
        )
    return target
