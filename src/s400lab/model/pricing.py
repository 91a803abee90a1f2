"""A battalion's price from the contracts in ``data/deals.csv`` (the rule behind ``unit_value_usd_bn``).

Rule (issue 25, item 8): for each buyer in :data:`PRICED_BUYERS` take its main contract -- a row
of the deals table that is not a variant of another (``variant_of`` empty) and has both a value
(``value_usd_bn``) and a battalion count (``battalions``) -- and divide the value by the
battalions. The register's range is then::

    low = min(prices), central = median(prices), high = max(prices)     (rounded to 0.01)

Variants of a contract (other counts or values from other sources) stay in the deals table as
evidence but are not priced: one price per contract, as its main row reports it. A test
(``tests/model/test_pricing.py``) checks that the register row equals this derivation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["PRICED_BUYERS", "battalion_prices", "unit_value_range"]

#: Buyers whose contracts price a battalion (the three with a published value and count).
PRICED_BUYERS = ("Turkiye", "India", "China")


def battalion_prices(deals: pd.DataFrame) -> pd.Series:
    """US$ bn per battalion of each priced buyer's main contract, indexed by ``deal_id``.

    Parameters
    ----------
    deals : pandas.DataFrame
        The deals table (columns ``deal_id``, ``variant_of``, ``buyer``, ``value_usd_bn``,
        ``battalions``).
    """
    d = deals.copy()
    variant = d["variant_of"].fillna("").astype(str).str.strip() != ""
    value = pd.to_numeric(d["value_usd_bn"], errors="coerce")
    bn = pd.to_numeric(d["battalions"], errors="coerce")
    ok = ~variant & d["buyer"].isin(PRICED_BUYERS) & value.notna() & (bn > 0)
    return pd.Series((value / bn)[ok].to_numpy(), index=d.loc[ok, "deal_id"].to_numpy(), name="usd_bn_per_bn")


def unit_value_range(deals: pd.DataFrame) -> tuple[float, float, float]:
    """``(low, central, high)`` of ``unit_value_usd_bn``: min, median and max of
    :func:`battalion_prices`, rounded to 0.01.

    Raises
    ------
    ValueError
        If no contract can be priced.
    """
    p = battalion_prices(deals).to_numpy(dtype=float)
    if p.size == 0:
        raise ValueError(
            "data/deals.csv: no main contract of Turkiye, India or China has a value and battalions"
        )
    return tuple(round(float(x), 2) for x in (p.min(), np.median(p), p.max()))  # type: ignore[return-value]
