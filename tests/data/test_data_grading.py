"""The grading rule and the source hygiene rules (data/README.md), as far as they are mechanical.

Deliberately mis-graded copies of the fixture and of the shipped data must fail with one clear
message naming file, row and column; the shipped rows the fact-check flagged stay fixed.
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


def first_source_of_official_event(h, package: Path) -> tuple[int, str]:
    rows = h.read_rows(package / "events.csv")
    head = rows[0]
    for i, r in enumerate(rows[1:]):
        if r[head.index("confidence")] == "official":
            return i, r[head.index("source_ids")]
    raise AssertionError("no official event")


def test_official_row_on_a_news_source_fails(package: Path, h) -> None:
    i, ids = first_source_of_official_event(h, package)
    # re-type every source of that row as plain news reporting: the row may no longer be official
    for sid in ids.split(";"):
        h.set_cell(
            package / "sources.csv",
            index_of(h, package / "sources.csv", "source_id", sid),
            "source_type",
            "news",
        )
    err = broken(package)
    p = h.find(err, "events.csv", i + 2, "confidence", 'is "official" but its sources are')
    assert "(news)" in p.message and "grade it reported or claimed" in p.message


def test_reported_row_on_low_grade_sources_only_fails(package: Path, h) -> None:
    rows = h.read_rows(package / "promises.csv")
    head = rows[0]
    i = next(k for k, r in enumerate(rows[1:]) if r[head.index("confidence")] in ("reported", "official"))
    h.set_cell(package / "promises.csv", i, "confidence", "reported")
    for sid in rows[i + 1][head.index("source_ids")].split(";"):
        h.set_cell(
            package / "sources.csv",
            index_of(h, package / "sources.csv", "source_id", sid),
            "source_type",
            "low_grade",
        )
    err = broken(package)
    h.find(
        err, "promises.csv", i + 2, "confidence", "analysis and low-grade items alone support claimed at most"
    )


def test_claimed_and_disputed_rows_may_rest_on_low_grade_sources(fixture_copy: Path, h) -> None:
    for k in range(len(h.read_rows(fixture_copy / "sources.csv")) - 1):
        h.set_cell(fixture_copy / "sources.csv", k, "source_type", "low_grade")
    for table in ("events", "deals", "deliveries", "promises"):
        rows = h.read_rows(fixture_copy / f"{table}.csv")
        variant = rows[0].index("variant_of") if "variant_of" in rows[0] else None
        for k, r in enumerate(rows[1:]):
            is_variant = variant is not None and r[variant]
            h.set_cell(
                fixture_copy / f"{table}.csv", k, "confidence", "disputed" if is_variant else "claimed"
            )
    params = h.read_rows(fixture_copy / "parameters.csv")
    for k in range(len(params) - 1):
        h.set_cell(fixture_copy / "parameters.csv", k, "confidence", "claimed")
    assert validate(fixture_copy) == []


# --- the rows the fact-check flagged: put the old grade back and the check must say so ------------


@pytest.mark.parametrize(
    ("table", "key", "row_id", "old_grade"),
    [
        ("deliveries", "delivery_id", "india-2018-sq4", "reported"),  # one exam-prep note
        ("events", "event_id", "2026-06-india-sq4-reported", "reported"),
        ("events", "event_id", "2025-12-09-no-third-country", "official"),  # anonymous military sources
        ("events", "event_id", "2025-09-15-ankara-denies-nefes", "official"),  # unnamed official to RIA
        ("events", "event_id", "2026-02-12-dac-288-missiles", "official"),  # HT citing sources
        ("deals", "deal_id", "india-2026-missiles", "official"),
        ("events", "event_id", "2026-06-24-trump-gift-bag", "reported"),  # low-grade, wrong venue
        ("events", "event_id", "2026-02-defsecy-june-november", "official"),  # HT copies: citing sources
        ("promises", "promise_id", "india-2026-02-sq4", "official"),
        ("promises", "promise_id", "india-2026-02-sq5", "official"),
    ],
)
def test_shipped_rows_regraded_by_the_rule_fail_with_their_old_grade(
    tmp_path: Path, h, table, key, row_id, old_grade
) -> None:
    data = h.copy_package(h.REAL, tmp_path)
    i = index_of(h, data / f"{table}.csv", key, row_id)
    row = h.set_cell(data / f"{table}.csv", i, "confidence", old_grade)
    err = broken(data)
    p = h.find(err, f"{table}.csv", row, "confidence", f'is "{old_grade}" but its sources are')
    assert len([q for q in err.problems if q.row == row and q.file.endswith(table + ".csv")]) == 1, str(p)


# --- sources: cited or background, access date, links -------------------------------------------


def test_uncited_source_must_be_marked_background(package: Path, h) -> None:
    with (package / "sources.csv").open("a", encoding="utf-8") as fh:
        fh.write(
            "orphan-2020,Outlet,,An item nobody cites,https://example.org/a,2020-01-01,day,en,news,2026-12-01,day,false,\n"
        )
    n = len(h.read_rows(package / "sources.csv"))
    err = broken(package)
    h.find(err, "sources.csv", n, "background", '"orphan-2020" is cited by no row')
    h.set_cell(package / "sources.csv", n - 2, "background", "true")
    assert validate(package) == []


def test_background_source_that_is_cited_fails(package: Path, h) -> None:
    _, ids = first_source_of_official_event(h, package)
    sid = ids.split(";")[0]
    row = h.set_cell(
        package / "sources.csv", index_of(h, package / "sources.csv", "source_id", sid), "background", "true"
    )
    err = broken(package)
    h.find(err, "sources.csv", row, "background", f'"{sid}" is marked background but is cited (data/')


def test_every_source_needs_an_access_date(package: Path, h) -> None:
    h.set_cell(package / "sources.csv", 0, "accessed", "")
    row = h.set_cell(package / "sources.csv", 0, "accessed_precision", "")
    err = broken(package)
    h.find(err, "sources.csv", row, "accessed", "")
    assert any(
        p.row == row and p.column == "accessed" and "required" in p.message.lower() for p in err.problems
    ), str(err)


def test_access_date_not_in_future_nor_before_publication(package: Path, h) -> None:
    h.set_cell(package / "sources.csv", 0, "accessed", "2099-01-01")
    row = h.set_cell(package / "sources.csv", 0, "accessed_precision", "day")
    h.find(broken(package), "sources.csv", row, "accessed", '"2099-01-01" is in the future')
    h.set_cell(package / "sources.csv", 0, "published", "2020-06-10")
    h.set_cell(package / "sources.csv", 0, "published_precision", "day")
    h.set_cell(package / "sources.csv", 0, "accessed", "2020-06-09")
    h.find(
        broken(package),
        "sources.csv",
        row,
        "accessed",
        '"2020-06-09" is before the publication date 2020-06-10',
    )


def test_http_link_is_flagged_unless_notes_say_http_only(package: Path, h) -> None:
    url = h.get_cell(package / "sources.csv", 0, "url")
    plain = "http://" + url.split("://", 1)[1]
    row = h.set_cell(package / "sources.csv", 0, "url", plain)
    h.find(broken(package), "sources.csv", row, "url", f'"{plain}" uses http')
    h.set_cell(package / "sources.csv", 0, "notes", "the site is http only (checked)")
    assert validate(package) == []


@pytest.mark.parametrize(
    "token", ["sessionId=aa3abd133ac770d901b5ea4f3bb3797a", "utm_source=rssfeed", "lcf=abc%3D&pg=2"]
)
def test_session_ids_and_tracking_tokens_are_flagged(package: Path, h, token: str) -> None:
    url = h.get_cell(package / "sources.csv", 0, "url") + "?" + token
    row = h.set_cell(package / "sources.csv", 0, "url", url)
    h.find(broken(package), "sources.csv", row, "url", "carries a session id or tracking token")


def test_unknown_source_type_is_rejected(package: Path, h) -> None:
    row = h.set_cell(package / "sources.csv", 0, "source_type", "rumour")
    h.find(
        broken(package),
        "sources.csv",
        row,
        "source_type",
        '"rumour" is not one of: official, on_record, news',
    )


# --- the shipped data after the fact-check --------------------------------------------------------


def test_shipped_sources_are_https_dated_and_clean(h) -> None:
    ds = load(h.REAL)
    src = ds.sources
    assert src["accessed"].notna().all()
    plain = src[src["url"].str.startswith("http://")]
    assert plain["notes"].str.lower().str.contains("http only").all(), list(plain["source_id"])
    assert not src["url"].str.contains("sessionId=|lcf=|utm_", regex=True).any()
    assert not src["url"].str.contains("longform.social").any(), (
        "social-media mirror replaced by the original"
    )
    cited = set()
    for name in ds.names:
        frame = ds.table(name)
        if "source_ids" in frame:
            for cell in frame["source_ids"].dropna():
                cited |= set(str(cell).split(";"))
    uncited = set(src["source_id"]) - cited
    assert uncited == set(src.loc[src["background"].astype(bool), "source_id"])


def test_shipped_near_duplicates_are_merged_or_explained(h) -> None:
    ev = load(h.REAL).events.set_index("event_id")
    assert "2025-09-03-who-asked-russia-version" not in ev.index
    nefes = ev.loc["2025-09-03-nefes-russia-wants-back"]
    assert nefes["variant_of"] == "2025-12-17-bloomberg-erdogan-asked" and nefes["confidence"] == "disputed"
    assert "Kept apart" in ev.loc["2025-12-12-ashgabat-meeting", "notes"]


def test_issue_13_facts_are_rows_with_sources(h) -> None:
    ds = load(h.REAL)
    ev = ds.events.set_index("event_id")
    for event_id in [
        "2019-08-26-akar-second-battery",
        "2019-11-26-mikheev-second-set-2020",
        "2020-03-16-shugaev-advanced-stage",
        "2020-08-24-mikheev-contract-signed",
        "2022-08-16-shugaev-second-regiment-contract",
        "2022-03-25-erdogan-ukraine-closed",
        "2025-09-19-trump-f35-talks-positive",
        "2025-09-25-white-house-meeting",
        "2025-11-28-defsecy-raise-delays",
        "2025-12-04-rajnath-belousov-irigc",
        "2025-12-05-india-russia-summit",
    ]:
        assert len(ds.sources_for(ev.loc[event_id])) >= 1, event_id
    paid = ev.loc["2020-12-turkiye-paid-in-full"]
    assert paid["confidence"] == "official" and "chemezov" in paid["source_ids"]
    assert "US$10m" in ev.loc["2020-12-14-caatsa-ssb", "description"]
    assert "five or more" in ev.loc["2021-01-01-ndaa-fy2021-s1241", "description"]
    assert "one year" in ev.loc["2021-01-01-ndaa-fy2021-s1241", "description"]


def test_variant_row_must_be_graded_disputed(tmp_path: Path, h) -> None:
    data = h.copy_package(h.REAL, tmp_path)
    i = index_of(h, data / "events.csv", "event_id", "2025-09-03-nefes-russia-wants-back")
    row = h.set_cell(data / "events.csv", i, "confidence", "claimed")
    h.find(
        broken(data),
        "events.csv",
        row,
        "confidence",
        'is "claimed" but the row is a variant of "2025-12-17-bloomberg-erdogan-asked"',
    )


def test_india_fourth_squadron_month_is_a_disputed_pair_read_by_a_switch(h) -> None:
    ds = load(h.REAL)
    ev = ds.events.set_index("event_id")
    main, variant = ev.loc["2026-06-india-sq4-reported"], ev.loc["2026-05-india-sq4-may-variant"]
    assert variant["variant_of"] == "2026-06-india-sq4-reported" and variant["confidence"] == "disputed"
    assert main["confidence"] == "claimed" and main["date"].month == 6 and variant["date"].month == 5
    assert len(ds.sources_for(variant)) >= 1
    params = ds.table("parameters").set_index("name")
    switch = params.loc["india_sq4_arrival"]
    assert switch["kind"] == "setting" and switch["confidence"] == "disputed"
    assert set(str(switch["choices"]).split(";")) == {"may_2026", "june_2026"}


def test_relay_rows_of_the_defence_secretary_are_reported(h) -> None:
    ds = load(h.REAL)
    promises = ds.table("promises").set_index("promise_id")
    for pid in ("india-2026-02-sq4", "india-2026-02-sq5"):
        assert promises.loc[pid, "confidence"] == "reported", pid
    ev = ds.events.set_index("event_id")
    assert ev.loc["2026-02-defsecy-june-november", "confidence"] == "reported"
    ssb = ev.loc["2021-04-07-ssb-sanctions-effective"]
    assert "2020-12-14" in ssb["description"] and "2021-04-07" in ssb["description"]
    assert "Eastern Military District" not in ev.loc["2022-02-russia-s400-to-belarus", "description"]
    assert "design capacity" in ev.loc["2018-rogozin-thousands-of-sams", "description"]
