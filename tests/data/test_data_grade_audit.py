"""The grade audit's mechanical rules (issue 26, src/s400lab/data/grading.py).

Each rule fails on a deliberately mis-graded copy of the shipped data with one message naming
file, row and column, and the shipped rows it was written for fail when put back as they were.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from s400lab.data import DataError, load, validate


def broken(path: Path) -> DataError:
    with pytest.raises(DataError) as info:
        load(path)
    return info.value


def index_of(h, path: Path, key: str, value: str) -> int:
    rows = h.read_rows(path)
    col = rows[0].index(key)
    return next(i for i, r in enumerate(rows[1:]) if r[col] == value)


@pytest.fixture
def data(tmp_path: Path, h) -> Path:
    return h.copy_package(h.REAL, tmp_path)


def first(h, path: Path, column: str, value: str) -> int:
    rows = h.read_rows(path)
    col = rows[0].index(column)
    return next(i for i, r in enumerate(rows[1:]) if r[col] == value)


# --- anonymous sources grade reported at most -----------------------------------------------------


def test_official_row_resting_on_unnamed_sources_fails(data: Path, h) -> None:
    i = first(h, data / "events.csv", "confidence", "official")
    row = h.set_cell(data / "events.csv", i, "notes", "Hindustan Times, citing sources.")
    p = h.find(broken(data), "events.csv", row, "confidence", 'rests on unnamed sources ("citing sources")')
    assert "anonymous sources grade reported at most" in p.message
    # saying which part is on the record is the way out, and grading it reported is the other
    h.set_cell(
        data / "events.csv",
        i,
        "notes",
        "Re-read 2026-12-06 against x: date on the record (ministry); the rest citing sources.",
    )
    assert validate(data) == []
    h.set_cell(data / "events.csv", i, "notes", "Hindustan Times, citing sources.")
    h.set_cell(data / "events.csv", i, "confidence", "reported")
    assert validate(data) == []


@pytest.mark.parametrize("table", ["promises", "deals", "deliveries"])
def test_every_fact_table_is_checked_for_anonymous_official_rows(data: Path, h, table: str) -> None:
    i = first(h, data / f"{table}.csv", "confidence", "official")
    row = h.set_cell(data / f"{table}.csv", i, "notes", "per unnamed officials")
    h.find(broken(data), f"{table}.csv", row, "confidence", "rests on unnamed sources")


def test_on_record_source_resting_on_unnamed_sources_fails(data: Path, h) -> None:
    i = first(h, data / "sources.csv", "source_type", "on_record")
    row = h.set_cell(data / "sources.csv", i, "notes", "according to sources in the ministry")
    h.find(broken(data), "sources.csv", row, "source_type", "type it news, or say in notes what")
    h.set_cell(data / "sources.csv", i, "source_type", "news")
    assert not [p for p in validate(data) if p.row == row and p.file.endswith("sources.csv")]


def test_shipped_relay_of_the_defence_secretary_fails_as_on_record(data: Path, h) -> None:
    i = index_of(h, data / "sources.csv", "source_id", "indiandefensenews-2026-02-finish")
    row = h.set_cell(data / "sources.csv", i, "source_type", "on_record")
    h.find(broken(data), "sources.csv", row, "source_type", "rests on unnamed sources")


# --- a relay names its original ---------------------------------------------------------------------


def test_relay_of_a_named_outlet_without_original_outlet_fails(data: Path, h) -> None:
    i = next(
        k
        for k, r in enumerate(h.read_rows(data / "sources.csv")[1:])
        if r[2] == "" and r[8] == "news"  # original_outlet empty, typed news
    )
    assert h.read_rows(data / "sources.csv")[0][2] == "original_outlet"
    row = h.set_cell(data / "sources.csv", i, "notes", "relays TASS on the contract")
    h.find(broken(data), "sources.csv", row, "original_outlet", 'relays "TASS"')
    h.set_cell(data / "sources.csv", i, "original_outlet", "TASS")
    assert validate(data) == []


def test_reprint_without_original_fails_unless_low_grade_or_searched(data: Path, h) -> None:
    i = index_of(h, data / "sources.csv", "source_id", "strategicstudyindia-2019-08-weitz")
    row = h.set_cell(data / "sources.csv", i, "notes", "")
    h.find(broken(data), "sources.csv", row, "original_outlet", 'is a "reprint"')
    h.set_cell(data / "sources.csv", i, "source_type", "low_grade")
    assert validate(data) == []


# --- sources typed by who speaks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "source_id", ["tass-ru-2025-12-18-peskov", "volga-news-2018-rogozin", "yenicag-2026-02-02-barrack"]
)
def test_shipped_named_speakers_fail_when_typed_news_again(data: Path, h, source_id: str) -> None:
    i = index_of(h, data / "sources.csv", "source_id", source_id)
    row = h.set_cell(data / "sources.csv", i, "source_type", "news")
    p = h.find(broken(data), "sources.csv", row, "source_type", "the title quotes")
    assert "a named speaker on the record is on_record" in p.message


def test_speaker_title_check_spares_outlets_and_expert_opinion(data: Path, h) -> None:
    i = first(h, data / "sources.csv", "source_type", "news")
    h.set_cell(data / "sources.csv", i, "title", "TASS: contract signed")  # an outlet, not a speaker
    assert validate(data) == []
    h.set_cell(data / "sources.csv", i, "title", "Kasapoglu: what the S-400 means")
    row = h.set_cell(data / "sources.csv", i, "source_type", "analysis")  # an expert's opinion
    assert validate(data) == []
    h.set_cell(data / "sources.csv", i, "source_type", "low_grade")
    h.find(broken(data), "sources.csv", row, "source_type", 'the title quotes "Kasapoglu"')


# --- the shipped rows the audit regraded ------------------------------------------------------------


def test_shipped_ashgabat_meeting_is_official_on_the_kremlins_record(h) -> None:
    ds = load(h.REAL)
    ev = ds.events.set_index("event_id")
    assert ev.loc["2025-12-12-ashgabat-meeting", "confidence"] == "official"
    types = set(ds.sources_for(ev.loc["2025-12-12-ashgabat-meeting"])["source_type"])
    assert "on_record" in types


@pytest.mark.parametrize("promise_id", ["china-2016-set1", "china-2016-set2"])
def test_shipped_china_windows_from_an_unnamed_source_fail_as_official(
    data: Path, h, promise_id: str
) -> None:
    i = index_of(h, data / "promises.csv", "promise_id", promise_id)
    row = h.set_cell(data / "promises.csv", i, "confidence", "official")
    h.find(broken(data), "promises.csv", row, "confidence", "rests on unnamed sources")


# --- every official row has been re-read against its source (the record in notes) ---------------


@pytest.mark.parametrize("table", ["events", "deals", "deliveries", "promises"])
def test_official_row_without_reread_record_fails(data: Path, h, table: str) -> None:
    path = data / f"{table}.csv"
    i = first(h, path, "confidence", "official")
    row = h.set_cell(path, i, "notes", "Said on the record by the minister.")
    p = h.find(broken(data), f"{table}.csv", row, "notes", "carry no re-read record")
    assert "Re-read YYYY-MM-DD against <source_id>" in p.message
    assert len([q for q in broken(data).problems if q.row == row and q.file.endswith(f"{table}.csv")]) == 1
    # the record (either form of the convention) is the way out, and a lower grade is the other
    h.set_cell(path, i, "notes", "Re-read 2026-12-06 against some-source: the minister said so.")
    assert validate(data) == []
    h.set_cell(path, i, "notes", "Re-read 2026-12-06: source text not retrievable here; grade kept on X.")
    assert validate(data) == []
    h.set_cell(path, i, "notes", "Said on the record by the minister.")
    h.set_cell(path, i, "confidence", "reported")
    assert validate(data) == []


def test_a_mention_of_rereading_is_not_the_record(data: Path, h) -> None:
    # the convention is "Re-read <ISO date> against ..." or "Re-read <ISO date>: ...", not any mention
    i = first(h, data / "events.csv", "confidence", "official")
    for text in ("to be re-read later", "Re-read against the ministry page", "Re-read 6 Dec 2026: yes"):
        row = h.set_cell(data / "events.csv", i, "notes", text)
        h.find(broken(data), "events.csv", row, "notes", "carry no re-read record")


def test_every_shipped_official_row_carries_its_reread_record(h) -> None:
    from s400lab.data.grading import REREAD

    ds = load(h.REAL)
    for name in ("events", "deals", "deliveries", "promises"):
        t = ds.table(name)
        official = t[t["confidence"] == "official"]
        assert len(official) > 0
        missing = [str(r.iloc[0]) for _, r in official.iterrows() if not REREAD.search(str(r["notes"]))]
        assert missing == [], (name, missing)
