"""How current the data is: the newest event, stale areas and overdue promises.

    from s400lab.data.freshness import freshness
    report = freshness()            # loads data/ (validated) and looks at it as of today
    report.newest_event, report.stale_areas
    print(report)

``python -m s400lab freshness [DIR] [--today YYYY-MM-DD] [--stale-days N] [--strict]`` prints
the same report. Nothing here reaches the network: "stale" only says where nobody has added an
event for a while, so that a maintainer knows where to search next (data/README.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from s400lab._inputs import cli_int
from s400lab.data.cells import parse_date
from s400lab.data.dataset import Dataset

#: An area is stale when its newest event is older than this many days (default).
STALE_DAYS = 120


def _has(cell: object, name: str) -> bool:
    return isinstance(cell, str) and name in cell


#: The strands the workbook follows: (key, label, which events belong to it).
AREAS: list[tuple[str, str, Callable[[pd.Series], bool]]] = [
    (
        "turkiye",
        "Turkiye: S-400s, CAATSA, F-35",
        lambda r: r["actor"] == "Turkiye" or _has(r["counterpart"], "Turkiye"),
    ),
    (
        "india",
        "India: deliveries and follow-on",
        lambda r: r["actor"] == "India" or _has(r["counterpart"], "India"),
    ),
    ("losses", "Russian S-400 losses and moves", lambda r: r["event_type"] in ("strike", "redeployment")),
]


@dataclass(frozen=True)
class Area:
    """One strand of the timeline and how recent its newest event is."""

    key: str
    label: str
    events: int
    newest: dt.date | None
    newest_id: str | None
    age_days: int | None
    stale: bool


@dataclass(frozen=True)
class Freshness:
    """The freshness report (see :func:`freshness`)."""

    version: str
    today: dt.date
    stale_days: int
    newest_event: dt.date | None
    newest_event_id: str | None
    newest_source: dt.date | None
    areas: list[Area]
    overdue: list[str] = field(default_factory=list)

    @property
    def stale_areas(self) -> list[Area]:
        """Areas whose newest event is older than ``stale_days`` (or that have none)."""
        return [a for a in self.areas if a.stale]

    def lines(self) -> list[str]:
        """The report as text lines."""

        def fmt(d: dt.date | None) -> str:
            return d.isoformat() if d else "none"

        out = [
            f"data version {self.version}",
            f"newest event: {fmt(self.newest_event)} ({self.newest_event_id or '-'}); "
            f"newest source published: {fmt(self.newest_source)}",
            f"as of {self.today.isoformat()}; an area is stale when its newest event is older than "
            f"{self.stale_days} days:",
        ]
        width = max(len(a.label) for a in self.areas)
        for a in self.areas:
            age = f"{a.age_days:>5} days" if a.age_days is not None else "        -"
            out.append(
                f"  {a.label:<{width}}  {fmt(a.newest):<10}  {age}  {a.events:>3} events"
                f"{'  STALE' if a.stale else ''}"
            )
        if self.overdue:
            out.append("promised dates passed without a recorded delivery:")
            out += [f"  {o}" for o in self.overdue]
        out.append(
            "to update: search for news after the newest event, add rows as data/README.md "
            "explains, and record the search there"
        )
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


def _day(value: object) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _overdue(ds: Dataset, today: dt.date) -> list[str]:
    """Tranches not delivered whose latest promise (by statement date) lies in the past."""
    out = []
    promises = ds.promises.dropna(subset=["promised_date"])
    for _, d in ds.deliveries.iterrows():
        if d["status"] == "delivered" or pd.isna(d["tranche"]):
            continue
        mine = promises[
            (promises["deal_id"] == d["deal_id"])
            & ((promises["tranche"] == d["tranche"]) | promises["tranche"].isna())
        ]
        if mine.empty:
            continue
        last = mine.sort_values(["stated_on", "promised_date"], na_position="first").iloc[-1]
        due = _day(last["promised_date"])
        if due is None:
            continue
        # a month- or year-precision promise is kept until the end of that month or year
        prec = last["promised_precision"]
        end = (
            pd.Timestamp(due)
            + (
                pd.offsets.MonthEnd(0)
                if prec == "month"
                else pd.offsets.YearEnd(0)
                if prec == "year"
                else pd.Timedelta(0)
            )
        ).date()
        if end < today:
            out.append(
                f"{d['delivery_id']}: promised for {due.isoformat()} ({last['promised_precision']}) "
                f"by {last['stated_by']}, status {d['status']}"
            )
    return out


def freshness(
    ds: Dataset | None = None, today: dt.date | None = None, stale_days: int = STALE_DAYS
) -> Freshness:
    """Report the newest event, per-area staleness and overdue promises.

    Parameters
    ----------
    ds : Dataset, optional
        The loaded data (default: :func:`s400lab.data.load` of the default data directory).
    today : datetime.date, optional
        The date to measure against (default: today).
    stale_days : int
        An area whose newest event is older than this is reported stale.

    Returns
    -------
    Freshness
    """
    if ds is None:
        from s400lab.data import load

        ds = load()
    today = today or dt.date.today()
    ev = ds.events
    main = ev[ev["variant_of"].isna()]

    def newest(frame: pd.DataFrame) -> tuple[dt.date | None, str | None]:
        if frame.empty:
            return None, None
        row = frame.sort_values(["date", "event_id"]).iloc[-1]
        return _day(row["date"]), str(row["event_id"])

    areas = []
    for key, label, belongs in AREAS:
        part = main[main.apply(belongs, axis=1)] if len(main) else main
        when, eid = newest(part)
        age = (today - when).days if when else None
        areas.append(Area(key, label, len(part), when, eid, age, age is None or age > stale_days))
    when, eid = newest(main)
    return Freshness(
        version=ds.version,
        today=today,
        stale_days=stale_days,
        newest_event=when,
        newest_event_id=eid,
        newest_source=_day(ds.sources["published"].max()),
        areas=areas,
        overdue=_overdue(ds, today),
    )


def _cli_date(text: str) -> dt.date:
    """``--today``: the data's date grammar (YYYY-MM-DD, zero-padded), reported by argparse."""
    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main_freshness(argv: list[str]) -> int:
    """``python -m s400lab freshness``: print the report.

    Returns
    -------
    int
        0, or 1 with ``--strict`` when an area is stale or a promise is overdue; 2 for a usage
        error; 1 if the data does not validate.
    """
    parser = argparse.ArgumentParser(
        prog="python -m s400lab freshness",
        description="Report the newest event date, stale areas and overdue promises of the data.",
    )
    parser.add_argument(
        "dir", nargs="?", help="data directory (default: $S400LAB_DATA or the repository's data/)"
    )
    parser.add_argument("--today", type=_cli_date, help="measure as of this date (YYYY-MM-DD)")
    parser.add_argument(
        "--stale-days",
        type=cli_int(0, 36_500, "--stale-days"),
        default=STALE_DAYS,
        help=f"default {STALE_DAYS}",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 if anything is stale or overdue")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    from s400lab.data import DataError, load

    try:
        ds = load(args.dir)
    except DataError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    report = freshness(ds, today=args.today, stale_days=args.stale_days)
    print(report)
    return 1 if args.strict and (report.stale_areas or report.overdue) else 0
