"""The data layer: CSV tables described by ``data/datapackage.json``, loaded and validated.

    from s400lab.data import load, DataError
    ds = load()                     # validates first; raises DataError listing every problem
    ds.events, ds.deals, ...        # typed pandas DataFrames
    ds.sources_for(ds.events.iloc[0])

Validation = Frictionless Table Schema (types, constraints, keys) plus the cross-table
rules in :mod:`s400lab.data.checks`. Nothing in ``data/`` is ever written.
"""

from __future__ import annotations

from s400lab.data.dataset import Dataset, load
from s400lab.data.problems import ROW_CONVENTION, DataError, Problem
from s400lab.data.validation import REQUIRED_TABLES, default_data_dir, validate

__all__ = [
    "REQUIRED_TABLES",
    "ROW_CONVENTION",
    "DataError",
    "Dataset",
    "Problem",
    "default_data_dir",
    "load",
    "validate",
]
