"""Pure helpers for the fact tables: filter events, follow source ids, find where sources disagree.

These work on the data frames of :func:`s400lab.data.load` (events, deals, deliveries, promises,
sources) and return data frames; they import neither ipywidgets nor matplotlib, so a notebook
can filter a table without loading the UI. The timeline explorer and the timeline plots call them.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = [
    "disagreements",
    "filter_events",
    "precision_span",
    "related_variants",
    "sources_of",
    "split_ids",
]


def precision_span(dates: pd.Series, precision: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Return the interval ``[start, end)`` that a date of a given precision stands for.

    Parameters
    ----------
    dates : Series of datetime64
        Stored dates (month precision = 1st of the month, year precision = 1 January).
    precision : Series of str
        ``day``, ``month`` or ``year``; anything else (or missing) is treated as ``day``.

    Returns
    -------
    start, end : Series of datetime64
        ``start`` is the start of the day/month/year, ``end`` the start of the next one.
    """
    dates = pd.to_datetime(pd.Series(dates)).reset_index(drop=True)
    prec = pd.Series(precision, dtype=object).reset_index(drop=True).fillna("day").astype(str)
    day_start = dates.dt.normalize()
    month_start = dates.dt.to_period("M").dt.start_time
    year_start = dates.dt.to_period("Y").dt.start_time
    start = day_start.where(prec.eq("day") | ~prec.isin(["month", "year"]), month_start)
    start = start.where(~prec.eq("year"), year_start)
    end = day_start + pd.Timedelta(days=1)
    end = end.where(~prec.eq("month"), (dates.dt.to_period("M") + 1).dt.start_time)
    end = end.where(~prec.eq("year"), (dates.dt.to_period("Y") + 1).dt.start_time)
    return start, end


def _table(dataset, name: str) -> pd.DataFrame:
    if isinstance(dataset, dict):
        return dataset[name]
    return getattr(dataset, name)


def _blank(value) -> bool:
    if value is None:
        return True
    try:
        if pd.isna(value):
            return True
    except (TypeError, ValueError):
        return False
    return isinstance(value, str) and not value.strip()


def split_ids(value) -> list[str]:
    """Split a ``source_ids`` cell (``a;b;c``) into ids; an empty cell gives ``[]``."""
    if _blank(value):
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


def sources_of(row: pd.Series, sources: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``sources`` cited by ``row["source_ids"]``, in the order cited.

    An id missing from ``sources`` is kept as a row with only ``source_id`` filled, so a broken
    reference shows up instead of silently disappearing.
    """
    ids = split_ids(row.get("source_ids"))
    by_id = sources.set_index("source_id", drop=False)
    rows = [by_id.loc[i] if i in by_id.index else pd.Series({"source_id": i}) for i in ids]
    if not rows:
        return sources.iloc[0:0]
    return pd.DataFrame(rows).reset_index(drop=True)


def related_variants(table: pd.DataFrame, row_id: str, id_column: str) -> pd.DataFrame:
    """Rows that report the same fact differently: the main row and all its variants.

    The row itself is excluded. With no ``variant_of`` column, or no variants, the result is
    empty.
    """
    if "variant_of" not in table:
        return table.iloc[0:0]
    ids = table[id_column].astype(str)
    var = table["variant_of"].where(~table["variant_of"].map(_blank).astype(bool), None)
    this = table[ids == str(row_id)]
    if this.empty:
        return table.iloc[0:0]
    parent = this["variant_of"].iloc[0]
    main = str(row_id) if _blank(parent) else str(parent)
    group = (ids == main) | (var.astype(object) == main)
    return table[group & (ids != str(row_id))]


def disagreements(table: pd.DataFrame, id_column: str) -> pd.DataFrame:
    """Every main row that has variants, followed by its variants ("where sources disagree").

    Returns the rows with a leading ``variant_group`` column (the main row's id) and
    ``role`` (``main`` or ``variant``).
    """
    if "variant_of" not in table:
        return table.iloc[0:0].assign(variant_group=pd.Series(dtype=object), role=pd.Series(dtype=object))
    is_var = ~table["variant_of"].map(_blank).astype(bool)
    mains = set(table.loc[is_var, "variant_of"].astype(str))
    ids = table[id_column].astype(str)
    keep = is_var | ids.isin(mains)
    out = table[keep].copy()
    out.insert(
        0, "variant_group", np.where(is_var[keep], table.loc[keep, "variant_of"].astype(str), ids[keep])
    )
    out.insert(1, "role", np.where(is_var[keep], "variant", "main"))
    return out.sort_values(["variant_group", "role"], kind="stable").reset_index(drop=True)


def filter_events(
    events: pd.DataFrame,
    *,
    actors: Iterable[str] | None = None,
    event_types: Iterable[str] | None = None,
    confidence: Iterable[str] | None = None,
    start=None,
    end=None,
) -> pd.DataFrame:
    """Events matching every given filter (``None`` = no filter on that field).

    Dates: an event is kept when the period its date stands for (its day, month or year,
    per ``date_precision``) overlaps ``[start, end)``. A "2017" event is therefore shown for
    any range that touches 2017 -- the honest reading of an imprecise date.
    """
    keep = pd.Series(True, index=events.index)
    if actors is not None:
        keep &= events["actor"].isin(list(actors))
    if event_types is not None:
        keep &= events["event_type"].isin(list(event_types))
    if confidence is not None:
        keep &= events["confidence"].isin(list(confidence))
    if start is not None or end is not None:
        s, e = precision_span(events["date"], events["date_precision"])
        s.index = e.index = events.index
        if start is not None:
            keep &= e > pd.Timestamp(start)
        if end is not None:
            keep &= s < pd.Timestamp(end)
    return events[keep]
