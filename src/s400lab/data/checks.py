"""Rules that a Frictionless Table Schema cannot express.

Each rule reads the CSV text (already checked for types by Frictionless) and reports
problems; a cell that is not a valid value is skipped here because pass 2 reports it.

- every id in a ``source_ids`` cell exists in sources.csv;
- a date and its ``*_precision`` column go together; a month-precision date falls on the
  1st, a year-precision date on 1 January; delivery dates and publication dates are not
  in the future;
- a variant row (``variant_of``) points to a main row, not to itself or to another variant,
  and is graded ``disputed``;
  a deal variant has the same buyer as its main row;
- a deal's tranche numbers are unique;
- parameters: ``low <= central <= high``, ``step > 0`` for numbers, the default lies in the
  range (or among the choices), int parameters have whole values, uncertainties name a
  distribution, and ``source_ids`` is empty only for a setting or a labelled assumption
  (``confidence = claimed``);
- every scenario value is a valid value of its parameter;
- forecast questions: zero-padded dates; an open question has no resolution, a resolved one
  has its date and sources;
- grading (the rule in data/README.md, as far as it is mechanical): a row graded ``official``
  cites at least one source whose ``source_type`` is ``official`` or ``on_record``; a row graded
  ``reported`` cites at least one ``official``, ``on_record`` or ``news`` source (analysis and
  low-grade items alone support ``claimed`` at most);
- every source is cited by some row or marked ``background``, and a background source is not
  cited; every source has an access date that is not in the future nor before its publication;
  its url is https (unless its notes say "http only") and carries no session id or tracking token.
"""

from __future__ import annotations

import datetime as dt
import functools
import keyword
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from s400lab._inputs import quote_excerpt as _q
from s400lab.data import grading, values
from s400lab.data.cells import number_problem, parse_date, parse_number
from s400lab.data.literals import BOOL_FALSE, BOOL_TRUE
from s400lab.data.problems import Problem
from s400lab.data.table import Table

_TRUE = set(BOOL_TRUE)
_FALSE = set(BOOL_FALSE)


def _num(text: str) -> float | None:
    """The value of a number in the data's grammar (:mod:`s400lab.data.cells`), else None."""
    try:
        return parse_number(text)
    except ValueError:
        return None


@functools.lru_cache(maxsize=65536)
def _date(text: str) -> dt.date | None:
    """The date of a cell, or None (memoised: a large table repeats its dates)."""
    try:
        return parse_date(text)
    except ValueError:
        return None


def blocked(table: Table) -> bool:
    """A table the rules cannot rely on: not read, header unusable or schema refused (its own
    problem is already reported)."""
    return table.header is None or not table.readable or table.schema is None


def run(tables: dict[str, Table]) -> list[Problem]:
    """Run every cross-table rule on the tables that could be read and checked.

    One fault gives one message: a table that could not be read (or whose schema was refused,
    or that has no rows) is left out, and each rule that needs it (:data:`NEEDS`) is skipped;
    one line under that table says which checks were skipped.

    Parameters
    ----------
    tables : dict of str to Table
        Tables from the structural pass.

    Returns
    -------
    list of Problem
    """
    ok = {n: t for n, t in tables.items() if not blocked(t)}
    out = {n: t for n, t in tables.items() if n not in ok}
    problems: list[Problem] = []
    skipped: dict[str, list[str]] = {}
    for rule in RULES:
        needs = NEEDS.get(rule.__name__)
        if needs is None:
            missing = []
        elif needs[0] == "*":
            missing = list(out)
        else:  # a table it reads (sources, parameters) must also have rows
            missing = [n for n in needs[0] if n in out or (n in ok and not ok[n].records())]
        if missing:
            for name in missing:
                skipped.setdefault(name, []).append(needs[1])  # type: ignore[index]
            continue
        problems.extend(rule(ok))
    for name, what in skipped.items():
        msg = f"not checked against the other tables until its problem above is fixed: {'; '.join(what)}"
        problems.append(Problem(tables[name].file, None, None, msg))
    return problems


def _problem(t: Table, row: int, col: str | None, msg: str) -> Problem:
    return Problem(t.file, row, col, msg, line=t.line_of(row))


def _fields(t: Table, type_: str | None = None) -> list[str]:
    return [
        f["name"]
        for f in (t.schema or {}).get("fields", [])
        if (type_ is None or f.get("type") == type_) and f["name"] in (t.header or [])
    ]


def check_source_ids(tables: dict[str, Table]) -> Iterator[Problem]:
    src = tables.get("sources")
    if src is None or "source_id" not in (src.header or []):
        return
    known = {r["source_id"] for _, r in src.records()}
    for t in tables.values():
        if "source_ids" not in (t.header or []):
            continue
        cells = {r.get("source_ids", "") for _, r in t.records()}  # each distinct cell judged once
        bad = {c for c in cells if not known.issuperset(filter(None, c.split(";")))}
        if not bad:
            continue
        for row, r in t.records():
            if r.get("source_ids", "") not in bad:
                continue
            for sid in filter(None, r.get("source_ids", "").split(";")):
                if sid not in known:
                    yield _problem(t, row, "source_ids", f"source id {_q(sid)} is not in {src.file}")


def _precision_pairs(t: Table) -> list[tuple[str, str]]:
    pairs = []
    dates = _fields(t, "date")
    for pcol in (c for c in (t.header or []) if c.endswith("_precision")):
        stem = pcol[: -len("_precision")]
        match = [d for d in dates if d == stem or d.startswith(stem + "_")]
        if len(match) == 1:
            pairs.append((match[0], pcol))
    return pairs


def check_precision(tables: dict[str, Table]) -> Iterator[Problem]:
    today = dt.date.today()
    no_future = {("deliveries", "actual_date"), ("sources", "published"), ("sources", "accessed")}
    for t in tables.values():
        for dcol, pcol in _precision_pairs(t):
            for row, r in t.records():
                text, prec = r.get(dcol, ""), r.get(pcol, "")
                day = _date(text)
                if text and not prec:
                    yield _problem(t, row, pcol, f"is empty but {dcol} is given (day, month or year)")
                elif prec and not text:
                    yield _problem(t, row, pcol, f"is {_q(prec)} but {dcol} is empty (leave both empty)")
                if day is None:
                    continue
                if prec == "month" and day.day != 1:
                    yield _problem(
                        t, row, dcol, f"{_q(text)} has month precision, so it must be the 1st ({text[:8]}01)"
                    )
                elif prec == "year" and (day.month, day.day) != (1, 1):
                    yield _problem(
                        t,
                        row,
                        dcol,
                        f"{_q(text)} has year precision, so it must be 1 January ({text[:4]}-01-01)",
                    )
                if (t.name, dcol) in no_future and day > today:
                    yield _problem(t, row, dcol, f"{_q(text)} is in the future")


def check_variants(tables: dict[str, Table]) -> Iterator[Problem]:
    for t in tables.values():
        keys = (t.schema or {}).get("primaryKey")
        if "variant_of" not in (t.header or []) or not isinstance(keys, (str, list)):
            continue
        key = keys if isinstance(keys, str) else keys[0]
        if key not in (t.header or []):
            continue
        by_id = {r[key]: r for _, r in t.records()}
        for row, r in t.records():
            target = r.get("variant_of", "")
            if not target:
                continue
            if "confidence" in r and r["confidence"] and r["confidence"] != "disputed":
                yield _problem(
                    t,
                    row,
                    "confidence",
                    f"is {_q(r['confidence'])} but the row is a variant of {_q(target)}: "
                    "a conflicting version is graded disputed",
                )
            if target == r[key]:
                yield _problem(t, row, "variant_of", "a row cannot be a variant of itself")
            elif target in by_id and by_id[target].get("variant_of"):
                yield _problem(
                    t, row, "variant_of", f"{_q(target)} is itself a variant; name the main row instead"
                )
            elif t.name == "deals" and target in by_id and by_id[target].get("buyer") != r.get("buyer"):
                yield _problem(
                    t,
                    row,
                    "buyer",
                    f"{_q(r.get('buyer'))} differs from the buyer of the main row {_q(target)}",
                )


def check_tranches(tables: dict[str, Table]) -> Iterator[Problem]:
    t = tables.get("deliveries")
    if t is None or not {"deal_id", "tranche"} <= set(t.header or []):
        return
    seen: dict[tuple[str, str], int] = {}
    for row, r in t.records():
        k = (r["deal_id"], r["tranche"])
        if k[1] and k in seen:
            yield _problem(t, row, "tranche", f"deal {k[0]} already has tranche {k[1]} (row {seen[k]})")
        seen.setdefault(k, row)


def _listing(items: list[str]) -> str:
    """Items joined for a message; a long or unusual list only as a short escaped excerpt."""
    text = ", ".join(items)
    return text if len(text) <= 200 and text.isprintable() else _q(text, 200)


def _discrete_problems(t: Table, row: int, p: dict[str, str]) -> Iterator[Problem]:
    """A discrete distribution's values (``choices``) are numbers of the data's grammar."""
    for choice in p.get("choices", "").split(";"):
        why = number_problem(choice)
        if why:
            yield _problem(t, row, "choices", f"a discrete distribution lists numbers: {why}")
            return


@dataclass(frozen=True)
class _Spec:
    """A ``parameters.csv`` row as the value rule reads it (:mod:`s400lab.data.values`)."""

    name: str
    type: str
    kind: str
    unit: str
    low: float
    high: float
    choices: tuple[str, ...]
    distribution: str


def _spec(p: dict[str, str]) -> _Spec:
    lo, hi = _num(p.get("low", "")), _num(p.get("high", ""))
    return _Spec(
        p.get("name", ""),
        p.get("type", ""),
        p.get("kind", ""),
        p.get("unit", ""),
        -math.inf if lo is None else lo,
        math.inf if hi is None else hi,
        tuple(c for c in p.get("choices", "").split(";") if c),
        p.get("distribution", ""),
    )


def _value_problem(p: dict[str, str], value: str) -> str | None:
    """Why ``value`` is not a valid value of parameter ``p`` (None if it is): the one value rule
    the register and the model use (:func:`s400lab.data.values.judge`)."""
    if p.get("type", "") not in ("choice", "bool", "float", "int"):
        return None
    spec = _spec(p)
    try:
        verdict = values.judge(spec, value)
    except ValueError:  # a choices cell that is not numbers: reported on the parameter's row
        return None
    return None if verdict.kind is None else values.message(spec, value, verdict)


def _numeric_problems(t: Table, row: int, p: dict[str, str], cols: set[str]) -> Iterator[Problem]:
    """Range, step, default and discrete values of a float or int parameter."""
    ptype = p.get("type", "")
    if {"low", "central", "high"} <= cols:
        lo, mid, hi = (_num(p[c]) for c in ("low", "central", "high"))
        for c in ("low", "central", "high"):
            if not p[c]:
                yield _problem(t, row, c, f"is empty but required for a {ptype} parameter")
        if None not in (lo, mid, hi) and not lo <= mid <= hi:  # type: ignore[operator]
            yield _problem(
                t,
                row,
                "central",
                f"low <= central <= high is broken: {p['low']}, {p['central']}, {p['high']}",
            )
        if ptype == "int":
            for c in ("low", "central", "high"):
                if _num(p[c]) is not None and not _num(p[c]).is_integer():  # type: ignore[union-attr]
                    yield _problem(t, row, c, f"{_q(p[c])} is not a whole number (type is int)")
        if "step" in cols:
            step = _num(p["step"])
            if step is None or step <= 0:
                yield _problem(
                    t, row, "step", f"{_q(p['step'])} must be a number > 0 for a {ptype} parameter"
                )
        if "default" in cols and p["default"] and mid is not None:
            x = _num(p["default"])
            if x is not None and x != mid:
                yield _problem(t, row, "default", f"{_q(p['default'])} should equal central ({p['central']})")
    if p.get("distribution") == "discrete" and "choices" in cols:
        yield from _discrete_problems(t, row, p)


def check_parameters(tables: dict[str, Table]) -> Iterator[Problem]:
    t = tables.get("parameters")
    if t is None:
        return
    cols = set(t.header or [])
    for row, p in t.records():
        name, ptype, kind = p.get("name", ""), p.get("type", ""), p.get("kind", "")
        if "name" in cols and name and (not name.isidentifier() or keyword.iskeyword(name)):
            yield _problem(
                t, row, "name", f"{_q(name)} is not a Python identifier (the model uses it as a keyword)"
            )
        if ptype in ("float", "int"):
            yield from _numeric_problems(t, row, p, cols)
        if ptype == "choice" and "choices" in cols and not [c for c in p["choices"].split(";") if c]:
            yield _problem(t, row, "choices", "is empty but required for a choice parameter")
        if "default" in cols:
            if not p["default"]:
                yield _problem(t, row, "default", "is empty but required")
            else:
                why = _value_problem(p, p["default"])
                if why:
                    yield _problem(t, row, "default", why)
        if kind in ("uncertainty", "device") and "distribution" in cols and p["distribution"] in ("", "none"):
            article = "an" if kind == "uncertainty" else "a"
            yield _problem(
                t, row, "distribution", f"{article} {kind} needs a distribution (it is drawn in ensembles)"
            )
        unsourced = {"source_ids", "confidence"} <= cols and not p["source_ids"]
        if unsourced and kind != "setting" and p["confidence"] != "claimed":
            yield _problem(
                t,
                row,
                "source_ids",
                "is empty: cite a source, or label the range an assumption (confidence = claimed)",
            )


def check_scenario_values(tables: dict[str, Table]) -> Iterator[Problem]:
    t, params = tables.get("scenario_values"), tables.get("parameters")
    if t is None or params is None or not {"parameter", "value"} <= set(t.header or []):
        return
    if "name" not in (params.header or []):
        return
    register = {p["name"]: p for _, p in params.records()}
    presets: dict[str, dict[str, tuple[int, str]]] = {}  # scenario -> parameter -> (row, value)
    for row, r in t.records():
        p = register.get(r["parameter"])
        if p is not None and r["value"]:
            why = _value_problem(p, r["value"])
            if why:
                yield _problem(t, row, "value", f"for parameter {r['parameter']}: {why}")
            else:
                presets.setdefault(r.get("scenario_id", ""), {})[r["parameter"]] = (row, r["value"])
    yield from _coherence_problems(t, register, presets)


def _coherence_problems(
    t: Table, register: dict[str, dict[str, str]], presets: dict[str, dict[str, tuple[int, str]]]
) -> Iterator[Problem]:
    """Each preset's levers fit together (:func:`s400lab.data.values.lever_problems`), judged on
    the register's defaults with the preset's valid values; reported on the preset's last row
    that sets one of the levers."""
    base: dict[str, object] = {}
    for name in values.COHERENT_LEVERS:
        p = register.get(name)
        if p is None:
            return
        verdict = values.judge(_spec(p), p.get("default", ""))
        if verdict.kind is not None:
            return  # the default's own problem is reported on its row
        base[name] = verdict.value
    for rows in presets.values():
        mine = {n: rows[n] for n in values.COHERENT_LEVERS if n in rows}
        if not mine:
            continue
        chosen = dict(base)
        for name, (_, text) in mine.items():
            chosen[name] = values.judge(_spec(register[name]), text).value
        for why in values.lever_problems(chosen):
            row = max(r for r, _ in mine.values())
            yield _problem(t, row, "value", f"incoherent levers: {why}")


_UNPADDED_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")


def check_forecast_questions(tables: dict[str, Table]) -> Iterator[Problem]:
    """Forecast questions: dates are ``YYYY-MM-DD`` (zero-padded); an open question has no
    resolution date and no source ids; a resolved one (``yes``/``no``) has both.

    One home for these rules: the data package and a questions file handed in by an
    instructor (``analysis.forecasting.load_questions``)."""
    t = tables.get("forecast_questions")
    if t is None or not {"resolves_on", "status", "resolved_on", "source_ids"} <= set(t.header or []):
        return
    for row, r in t.records():
        for col in ("resolves_on", "resolved_on"):  # Frictionless's date type takes 2027-7-1
            if _UNPADDED_DATE.fullmatch(r[col]) and _date(r[col]) is None:
                yield _problem(t, row, col, f'"{r[col]}" is not zero-padded: write YYYY-MM-DD')
        status = r["status"]
        if status == "open":
            for col in ("resolved_on", "source_ids"):
                if r[col]:
                    yield _problem(t, row, col, "must be empty while the question is open")
        elif status in ("yes", "no"):
            if not r["resolved_on"]:
                yield _problem(t, row, "resolved_on", f"required when status is {status}")
            if not r["source_ids"]:
                yield _problem(
                    t, row, "source_ids", "a resolved question needs the source ids that justify it"
                )


#: Source types that may carry each grade (see the grading rule in data/README.md).
GRADE_NEEDS: dict[str, tuple[str, ...]] = {
    "official": ("official", "on_record"),
    "reported": ("official", "on_record", "news"),
}
_FRAGILE = re.compile(
    r"[?&](sessionid|session_id|sid|phpsessid|jsessionid|utm_[a-z]+|fbclid|gclid|lcf|mc_cid|mc_eid|bc)=",
    re.IGNORECASE,
)


def _source_types(tables: dict[str, Table]) -> dict[str, str] | None:
    src = tables.get("sources")
    if src is None or not {"source_id", "source_type"} <= set(src.header or []):
        return None
    return {r["source_id"]: r["source_type"] for _, r in src.records()}


def check_grades(tables: dict[str, Table]) -> Iterator[Problem]:
    types = _source_types(tables)
    if types is None:
        return
    for t in tables.values():
        if t.name == "sources" or not {"confidence", "source_ids"} <= set(t.header or []):
            continue
        fine: set[tuple[str, str]] = set()  # (grade, source_ids) already found fine
        for row, r in t.records():
            grade_ids = (r.get("confidence", ""), r.get("source_ids", ""))
            if grade_ids in fine:
                continue
            needs = GRADE_NEEDS.get(r.get("confidence", ""))
            ids = [s for s in r.get("source_ids", "").split(";") if s in types]
            if needs is None or not ids or any(types[s] in needs for s in ids):
                fine.add(grade_ids)
                continue
            cited = _listing([f"{s} ({types[s]})" for s in ids])
            if r["confidence"] == "official":
                hint = (
                    "an official row needs an official document or a named on-record statement "
                    "(source_type official or on_record); grade it reported or claimed, or cite such a source"
                )
            else:
                hint = (
                    "analysis and low-grade items alone support claimed at most; "
                    "grade it claimed or cite a news, on_record or official source"
                )
            yield _problem(
                t, row, "confidence", f"is {_q(r['confidence'])} but its sources are {cited}: {hint}"
            )


def check_source_use(tables: dict[str, Table]) -> Iterator[Problem]:
    src = tables.get("sources")
    if src is None or not {"source_id", "background"} <= set(src.header or []):
        return
    cited: dict[str, str] = {}
    for t in tables.values():
        if "source_ids" not in (t.header or []):
            continue
        seen: set[str] = set()  # a cell already seen names no source first
        for row, r in t.records():
            cell = r.get("source_ids", "")
            if cell in seen:
                continue
            seen.add(cell)
            for sid in filter(None, cell.split(";")):
                cited.setdefault(sid, f"{t.file} row {row}")
    for row, r in src.records():
        sid, bg = r["source_id"], r.get("background", "")
        if bg in _FALSE and sid not in cited:
            yield _problem(
                src,
                row,
                "background",
                f"{_q(sid)} is cited by no row: cite it, mark it background (true) or remove it",
            )
        elif bg in _TRUE and sid in cited:
            yield _problem(
                src,
                row,
                "background",
                f"{_q(sid)} is marked background but is cited ({cited[sid]}); set background to false",
            )


def check_source_links(tables: dict[str, Table]) -> Iterator[Problem]:
    src = tables.get("sources")
    if src is None:
        return
    cols = set(src.header or [])
    for row, r in src.records():
        url = r.get("url", "")
        if url.startswith("http://") and "http only" not in r.get("notes", "").lower():
            yield _problem(
                src,
                row,
                "url",
                f"{_q(url, 120)} uses http: give the https address or an archived https copy, "
                'or say "http only" in notes',
            )
        if _FRAGILE.search(url):
            yield _problem(
                src,
                row,
                "url",
                f"{_q(url, 120)} carries a session id or tracking token: cite the clean address",
            )
        if {"accessed", "published"} <= cols:
            acc, pub = _date(r["accessed"]), _date(r["published"])
            if acc is not None and pub is not None:
                # compare at the coarser of the two precisions
                prec = {r.get("accessed_precision"), r.get("published_precision")}
                cut = 4 if "year" in prec else 7 if "month" in prec else 10
                if r["accessed"][:cut] < r["published"][:cut]:
                    yield _problem(
                        src,
                        row,
                        "accessed",
                        f"{_q(r['accessed'])} is before the publication date {r['published']}",
                    )


#: Rules that need other tables than the one they report on: ``{rule: (tables, what)}``;
#: ``"*"`` = every table (a source is "cited by no row" only if every citing table was read).
NEEDS: dict[str, tuple[Any, str]] = {
    "check_source_ids": (("sources",), "source ids of the other tables"),
    "check_grades": (("sources",), "grades against the source types"),
    "check_source_use": ("*", "whether every source is cited or marked background"),
    "check_scenario_values": (("parameters",), "scenario values against the register"),
}

RULES: list[Callable[[dict[str, Table]], Any]] = [
    check_source_ids,
    check_forecast_questions,
    check_precision,
    check_variants,
    check_tranches,
    check_parameters,
    check_scenario_values,
    check_grades,
    check_source_use,
    check_source_links,
    *grading.RULES,  # the grade audit's rules (issue 26), in their own module
]
