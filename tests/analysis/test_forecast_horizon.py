"""Forecast questions fit a teaching term: at least half resolve within four months of the
newest event in the data (issue 27), so a class can be scored while it still meets."""

from __future__ import annotations

import pandas as pd

from s400lab.analysis.forecasting import load_questions
from s400lab.data import load


def _four_months_after(day: pd.Timestamp) -> pd.Timestamp:
    return day + pd.DateOffset(months=4)


def test_at_least_half_the_questions_resolve_within_four_months_of_the_newest_event():
    events = load().events
    newest = pd.to_datetime(events["date"]).max()
    limit = _four_months_after(newest)
    q = load_questions()
    resolves = pd.to_datetime(q["resolves_on"].astype(str))
    short = resolves <= limit
    assert short.sum() * 2 >= len(q), (
        f"{short.sum()} of {len(q)} questions resolve by {limit.date()} (newest event {newest.date()})"
    )
    # and none of them resolves before the newest event: forecasts are made from the data's present
    assert (resolves > newest).all()


def test_short_questions_name_their_window_and_resolution_sources():
    q = load_questions()
    events = load().events
    limit = _four_months_after(pd.to_datetime(events["date"]).max())
    short = q[pd.to_datetime(q["resolves_on"].astype(str)) <= limit]
    for qid, row in short.iterrows():
        assert "YES if" in row["resolution_criteria"] and "NO" in row["resolution_criteria"], qid
        assert row["resolves_on"].strftime("%Y-%m") in qid or row["resolves_on"].strftime("%Y") in qid
