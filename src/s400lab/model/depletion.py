r"""Russia's S-400 production and loss ranges, derived from the yearly table by one rule.

The table ``data/ru_s400_yearly.csv`` holds, per year, the figures each claimant gives: Russian
officials and industry on production (regimental sets delivered or announced for the year, and
the wartime claim that output doubled), and one row per strike claim or assessment on losses
(Ukrainian claims, the UK MoD's count, Russia's own admission), each converted to
battalion-equivalents (``value_bn``) and graded (``confidence``). This module turns the table
into the low / central / high of four rows of the register (``data/parameters.csv``):
``production_bn_per_year``, ``loss_rate_bn_per_year`` (attrition as in 2023-25),
``loss_rate_escalation_bn_per_year`` and ``loss_rate_ceasefire_bn_per_year``. A test holds the
register's rows equal to :func:`derive_ranges` on the shipped table, so the table cannot change
without the register.

The rule: production and losses are treated alike
-----------------------------------------------------
Only rows with ``counts = true`` enter (a strike that does not name the S-400, a merged row
without counts, or an inventory anchor has ``counts = false``). Each row ``i`` gives
``(lo_i, v_i, hi_i)`` = (``low_bn`` if given else ``value_bn``, ``value_bn``, ``high_bn`` if given
else ``value_bn``) and a weight triple by its grade -- the same for a production claim and a loss
claim::

    vouched  (official, reported: a third party, an admission against interest, or an
              uncontested official count)                 w = (1, 1,   1)
    claimed  (claimed, disputed: a party's own claim,
              face value)                                  w = (0, 1/2, 1)

So a claim counts fully in the high bound, half in the central value and not at all in the low
bound; what someone other than the interested party vouches for counts everywhere (the
independent figure anchors every bound). For a figure ``f`` and a year ``y``::

    low_y  = sum_i w_lo(i)  * lo_i
    mid_y  = sum_i w_mid(i) * v_i
    high_y = sum_i w_hi(i)  * hi_i

over the counted rows of ``f`` in year ``y``. Over the years ``Y_f`` of the figure's window
(:data:`WINDOWS`: every year with a production row; the loss years of the attrition course,
2023-2025)::

    production, attrition:  (low, central, high) = (mean_y low_y, mean_y mid_y, mean_y high_y)
    escalation:             (low, central, high) = (max_y low_y,  max_y mid_y,  max_y high_y)
    ceasefire:              (low, central, high) = (0, 0, mean_y low_y  [losses])

Attrition is the average year of 2023-25; escalation is every year as bad as the worst year of the
window; a ceasefire year loses nothing in the central case and at most what was vouched for in an
average war year. Each bound is rounded half-up to 2 decimals (:data:`DECIMALS`). The parameter's
sources are the source ids of the rows that enter its bounds.

The rule takes no position on the depletion that follows: whatever share of draws ends below the
start is the answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

__all__ = [
    "DECIMALS",
    "PARAMETERS",
    "TABLE",
    "WEIGHTS",
    "WINDOWS",
    "Range",
    "derive_ranges",
    "load_table",
    "yearly_bounds",
]

#: The data package resource the rule reads.
TABLE = "ru_s400_yearly"
#: Weight (low, central, high) of a row by its grade; production and loss rows alike.
WEIGHTS: dict[str, tuple[float, float, float]] = {
    "official": (1.0, 1.0, 1.0),
    "reported": (1.0, 1.0, 1.0),
    "claimed": (0.0, 0.5, 1.0),
    "disputed": (0.0, 0.5, 1.0),
}
#: Years each figure's bounds are averaged over (None = every year with a counted row).
WINDOWS: dict[str, tuple[int, int] | None] = {"production": None, "losses": (2023, 2025)}
#: The register rows the rule sets.
PARAMETERS = (
    "production_bn_per_year",
    "loss_rate_bn_per_year",
    "loss_rate_escalation_bn_per_year",
    "loss_rate_ceasefire_bn_per_year",
)
DECIMALS = 2


@dataclass(frozen=True)
class Range:
    """A derived register range: low, central, high (battalions per year) and its source ids."""

    low: float
    central: float
    high: float
    source_ids: tuple[str, ...]


def _round(x: float) -> float:
    q = Decimal(1).scaleb(-DECIMALS)
    return float(Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP))


def _counted(table: pd.DataFrame, figure: str) -> pd.DataFrame:
    """The rows of ``figure`` that enter the rule, within the figure's window."""
    rows = table[(table["figure"] == figure) & (table["counts"].astype(bool))]
    window = WINDOWS.get(figure)
    if window is not None:
        rows = rows[(rows["year"] >= window[0]) & (rows["year"] <= window[1])]
    missing = rows[rows["value_bn"].isna()]
    if len(missing):
        ids = ", ".join(str(i) for i in missing["row_id"])
        raise ValueError(f"{TABLE}.csv: counted rows without value_bn: {ids}")
    unknown = sorted(set(rows["confidence"]) - set(WEIGHTS))
    if unknown:
        raise ValueError(f"{TABLE}.csv: unknown confidence grade(s): {', '.join(map(str, unknown))}")
    return rows


def yearly_bounds(table: pd.DataFrame, figure: str) -> pd.DataFrame:
    """Per year of ``figure``'s window: ``low``, ``mid`` and ``high`` by the grade weights.

    Parameters
    ----------
    table : DataFrame
        The yearly table (columns ``year``, ``figure``, ``counts``, ``value_bn``, ``low_bn``,
        ``high_bn``, ``confidence``), e.g. ``load().ru_s400_yearly``.
    figure : {"production", "losses"}

    Returns
    -------
    DataFrame
        Indexed by year (ascending), columns ``low``, ``mid``, ``high`` (battalions per year).
    """
    rows = _counted(table, figure)
    value = rows["value_bn"].astype(float)
    lo = rows["low_bn"].astype(float).fillna(value)
    hi = rows["high_bn"].astype(float).fillna(value)
    w = np.array([WEIGHTS[str(g)] for g in rows["confidence"]], dtype=float).reshape(-1, 3)
    parts = pd.DataFrame(
        {
            "year": rows["year"].astype(int).to_numpy(),
            "low": w[:, 0] * lo.to_numpy(),
            "mid": w[:, 1] * value.to_numpy(),
            "high": w[:, 2] * hi.to_numpy(),
        }
    )
    return parts.groupby("year")[["low", "mid", "high"]].sum().sort_index()


def _ids(cells: Iterable[object]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for cell in cells:
        for sid in str(cell).split(";"):
            if sid:
                out[sid] = None
    return tuple(out)


def derive_ranges(table: pd.DataFrame) -> dict[str, Range]:
    """The four register ranges the rule gives for ``table`` (see the module docstring).

    Parameters
    ----------
    table : DataFrame
        The yearly table.

    Returns
    -------
    dict
        Register row name -> :class:`Range`, for each name in :data:`PARAMETERS`.

    Raises
    ------
    ValueError
        If a figure has no counted row in its window, a counted row has no value, or a grade is
        unknown.
    """
    out: dict[str, Range] = {}
    per: dict[str, pd.DataFrame] = {}
    for figure in ("production", "losses"):
        b = yearly_bounds(table, figure)
        if b.empty:
            raise ValueError(f"{TABLE}.csv: no counted {figure} row in the rule's window")
        per[figure] = b
    prod_rows, loss_rows = _counted(table, "production"), _counted(table, "losses")
    vouched = loss_rows[loss_rows["confidence"].map(lambda g: WEIGHTS[str(g)][0] > 0)]
    p, loss = per["production"], per["losses"]
    out["production_bn_per_year"] = Range(
        _round(p["low"].mean()),
        _round(p["mid"].mean()),
        _round(p["high"].mean()),
        _ids(prod_rows["source_ids"]),
    )
    loss_ids = _ids(loss_rows["source_ids"])
    out["loss_rate_bn_per_year"] = Range(
        _round(loss["low"].mean()), _round(loss["mid"].mean()), _round(loss["high"].mean()), loss_ids
    )
    out["loss_rate_escalation_bn_per_year"] = Range(
        _round(loss["low"].max()), _round(loss["mid"].max()), _round(loss["high"].max()), loss_ids
    )
    out["loss_rate_ceasefire_bn_per_year"] = Range(
        0.0, 0.0, _round(loss["low"].mean()), _ids(vouched["source_ids"])
    )
    return out


def load_table(path: object | None = None) -> pd.DataFrame:
    """The validated yearly table from the data package (``s400lab.data.load``)."""
    from s400lab.data import load

    return load(path).table(TABLE)  # type: ignore[arg-type]


def as_register_cells(ranges: Mapping[str, Range]) -> dict[str, dict[str, str]]:
    """The register cells (``low``, ``central``, ``high``, ``default``, ``source_ids``) as text."""

    def text(x: float) -> str:
        return f"{x:g}"

    return {
        name: {
            "low": text(r.low),
            "central": text(r.central),
            "high": text(r.high),
            "default": text(r.central),
            "source_ids": ";".join(r.source_ids),
        }
        for name, r in ranges.items()
    }
