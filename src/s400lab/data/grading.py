"""The grade audit's mechanical rules (issue 26), beyond the grade/source-type rule in checks.py.

The grading rule of data/README.md says *who vouches* for each fact. What of it can be read off
the tables is checked here; what cannot (whether the parties really conflict, whether an
outlet's sentence is its own) is judged by hand and recorded in the README's regrade table.

- **Anonymous sources grade reported at most.** A fact row graded ``official`` whose own
  ``description`` or ``notes`` say it rests on unnamed sources ("citing sources", "unnamed",
  "anonymous", "sources told", "it is learnt") fails, unless its notes say which part is ``on
  the record`` (a row may hold an on-record fact and an anonymous detail). Likewise a source
  typed ``official`` or ``on_record`` whose notes say it rests on unnamed sources must say what
  in it is ``on the record``; otherwise it is ``news``.
- **A relay names its original.** A source whose notes say it relays a named outlet ("relays
  TASS", "relaying Kyodo") carries that outlet in ``original_outlet``; a reprint, repost or copy
  (title or notes) carries ``original_outlet`` too, unless it is ``low_grade`` (a relay that
  names no original) or its notes say the original was not found.
- **Sources are typed by who speaks.** A title of the form ``Name: what they said`` (the
  project's convention for an item quoting a named person on the record, e.g. ``Peskov: ...``)
  is typed ``on_record`` or ``official``; ``analysis`` is allowed for an expert's opinion.
  ``news`` or ``low_grade`` fails: a named official on the record is ``on_record`` wherever the
  project cites it.
- **Every official row has been re-read against its source.** A fact row graded ``official``
  records the re-reading in its ``notes``: ``Re-read YYYY-MM-DD against <source_id>: <the
  supporting sentence>``, or ``Re-read YYYY-MM-DD: ...`` saying which other copy was read, or
  that the source's text could not be retrieved and on what the grade is kept (data/README.md,
  "Official rows re-read against their sources"). A row without it fails: re-read it, or do not
  grade it official.

Each rule reports one :class:`~s400lab.data.problems.Problem` naming file, row and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from s400lab._inputs import quote_excerpt as _q
from s400lab.data.problems import Problem
from s400lab.data.table import Table

#: Fact tables whose rows carry a grade (``confidence``) and ``source_ids``.
FACT_TABLES = ("events", "deals", "deliveries", "promises")

ANONYMOUS = re.compile(
    r"citing sources|unnamed|anonymous|sources told|sources said|it is learnt|according to sources",
    re.IGNORECASE,
)
ON_RECORD = re.compile(r"on the record", re.IGNORECASE)
#: "relays TASS", "relaying Hindustan Times" (a capitalised name right after the verb; "also
#: relays ..." is a secondary part of an outlet's own item and is not matched).
RELAYS_OUTLET = re.compile(r"(?<!also )\b(?:relays|relaying|relayed)\s+(?P<outlet>[A-Z][\w.&'-]*)")
COPY_WORDS = re.compile(r"\b(?:reprint|repost|reposted|copy of)\b", re.IGNORECASE)
ORIGINAL_NOT_FOUND = re.compile(r"original (?:outlet )?not found", re.IGNORECASE)
#: A title that opens with a person's name and a colon: one to three capitalised words, not an
#: all-capitals outlet (``TASS: ...``).
SPEAKER_TITLE = re.compile(r"^(?P<who>(?:[A-Z][a-z][\w'-]*[ .]?){1,3}):\s")
SPEAKER_TYPES = ("on_record", "official", "analysis")
#: The re-read record of an official row (data/README.md): "Re-read 2026-12-06 against ..." or
#: "Re-read 2026-12-06: ..." (another copy read, or the text not retrievable and why kept).
REREAD = re.compile(r"\bRe-read \d{4}-\d{2}-\d{2}(?: against |: )")


#: The words of :data:`ANONYMOUS` in lower case: an ASCII text holding none of them cannot match
#: (a quick test before the case-blind search, which is slow on 200,000 rows).
_ANONYMOUS_WORDS = tuple(w.lower() for w in ANONYMOUS.pattern.split("|"))


def _anonymous(text: str) -> re.Match[str] | None:
    """``ANONYMOUS.search(text)``, skipped when an ASCII text holds none of its words."""
    if text.isascii():
        low = text.lower()
        if not any(w in low for w in _ANONYMOUS_WORDS):
            return None
    return ANONYMOUS.search(text)


def _problem(t: Table, row: int, col: str | None, msg: str) -> Problem:
    return Problem(t.file, row, col, msg, line=t.line_of(row))


def _has(t: Table, *cols: str) -> bool:
    return set(cols) <= set(t.header or [])


def _on_record_ids(tables: dict[str, Table]) -> set[str] | None:
    """Ids of the sources typed ``official`` or ``on_record`` (None when sources.csv is unreadable)."""
    src = tables.get("sources")
    if src is None or not _has(src, "source_id", "source_type"):
        return None
    return {r["source_id"] for _, r in src.records() if r["source_type"] in ("official", "on_record")}


def check_anonymous_official_rows(tables: dict[str, Table]) -> Iterator[Problem]:
    """A fact row graded official that says it rests on unnamed sources.

    A row citing no official or on-record source at all is left to the grade/source-type rule
    of checks.py, so that it gets one message, not two."""
    on_record = _on_record_ids(tables)
    for name in FACT_TABLES:
        t = tables.get(name)
        if t is None or not _has(t, "confidence"):
            continue
        for row, r in t.records():
            if r.get("confidence") != "official":
                continue
            cited = set(filter(None, r.get("source_ids", "").split(";")))
            if on_record is not None and not cited & on_record:
                continue
            text = f"{r.get('description', '')} {r.get('notes', '')}"
            hit = _anonymous(text)
            if hit and not ON_RECORD.search(r.get("notes", "")):
                yield _problem(
                    t,
                    row,
                    "confidence",
                    f'is "official" but the row says it rests on unnamed sources ({_q(hit.group(0))}): '
                    "anonymous sources grade reported at most; grade it reported, or say in notes "
                    "which part is on the record",
                )


def check_anonymous_sources_typed(tables: dict[str, Table]) -> Iterator[Problem]:
    """A source typed official/on_record whose notes say it rests on unnamed sources."""
    src = tables.get("sources")
    if src is None or not _has(src, "source_type", "notes"):
        return
    for row, r in src.records():
        if r["source_type"] not in ("official", "on_record"):
            continue
        hit = ANONYMOUS.search(r["notes"])
        if hit and not ON_RECORD.search(r["notes"]):
            yield _problem(
                src,
                row,
                "source_type",
                f"is {_q(r['source_type'])} but its notes say it rests on unnamed sources "
                f"({_q(hit.group(0))}): type it news, or say in notes what in it is on the record",
            )


def check_relays_name_original(tables: dict[str, Table]) -> Iterator[Problem]:
    """A relay of a named outlet, or a reprint/copy, carries ``original_outlet``."""
    src = tables.get("sources")
    if src is None or not _has(src, "original_outlet", "source_type", "notes", "title"):
        return
    for row, r in src.records():
        if r["original_outlet"]:
            continue
        named = RELAYS_OUTLET.search(r["notes"])
        if named:
            yield _problem(
                src,
                row,
                "original_outlet",
                f"is empty but the notes say the item relays {_q(named.group('outlet'))}: "
                "a relay names its original (original_outlet)",
            )
            continue
        copy = COPY_WORDS.search(f"{r['title']} {r['notes']}")
        if copy and r["source_type"] != "low_grade" and not ORIGINAL_NOT_FOUND.search(r["notes"]):
            yield _problem(
                src,
                row,
                "original_outlet",
                f"is empty but the item is a {_q(copy.group(0).lower())}: name the original outlet, "
                'type it low_grade (a relay naming no original), or say "original not found" in notes',
            )


def check_speakers_typed_on_record(tables: dict[str, Table]) -> Iterator[Problem]:
    """A title quoting a named person (``Name: ...``) is an on-record item."""
    src = tables.get("sources")
    if src is None or not _has(src, "source_type", "title"):
        return
    for row, r in src.records():
        m = SPEAKER_TITLE.match(r["title"])
        if m and r["source_type"] not in SPEAKER_TYPES:
            yield _problem(
                src,
                row,
                "source_type",
                f"is {_q(r['source_type'])} but the title quotes {_q(m.group('who'))} by name: a named "
                "speaker on the record is on_record (or retitle the item if it is not a quote)",
            )


def check_official_rows_reread(tables: dict[str, Table]) -> Iterator[Problem]:
    """A fact row graded official carries the record of its re-reading in ``notes``.

    A row already failing for its grade (no official or on-record source: checks.py; unnamed
    sources: :func:`check_anonymous_official_rows`) is left to that rule, so that a mis-graded row
    gets one message, not two."""
    on_record = _on_record_ids(tables)
    for name in FACT_TABLES:
        t = tables.get(name)
        if t is None or not _has(t, "confidence", "notes"):
            continue
        for row, r in t.records():
            if r.get("confidence") != "official" or REREAD.search(r.get("notes", "")):
                continue
            cited = set(filter(None, r.get("source_ids", "").split(";")))
            if on_record is not None and not cited & on_record:
                continue
            text = f"{r.get('description', '')} {r.get('notes', '')}"
            if _anonymous(text) and not ON_RECORD.search(r.get("notes", "")):
                continue
            yield _problem(
                t,
                row,
                "notes",
                'the row is graded "official" but its notes carry no re-read record '
                '("Re-read YYYY-MM-DD against <source_id>: <supporting sentence>"): re-read '
                "the source and record the sentence that supports the grade, or grade it lower",
            )


RULES: list[Callable[[dict[str, Table]], Any]] = [
    check_anonymous_official_rows,
    check_anonymous_sources_typed,
    check_relays_name_original,
    check_speakers_typed_on_record,
    check_official_rows_reread,
]


def run(tables: dict[str, Table]) -> list[Problem]:
    """Run the grade-audit rules on the tables that could be read (see the module docstring)."""
    ok = {n: t for n, t in tables.items() if t.header is not None}
    return [p for rule in RULES for p in rule(ok)]
