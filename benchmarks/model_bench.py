"""Speed figures of the model for ``benchmarks/run.py`` (``make bench``).

``collect(quick=False)`` returns rows ``(what, median_seconds, "s", target)``. Medians of
repeated wall-clock timings; printed for a person to read, never asserted in tests.
"""

from __future__ import annotations

from _timing import median_time

__all__ = ["collect"]


def collect(quick: bool = False) -> list[tuple[str, float, str, str]]:
    """Time one run and ensembles of 10,000 and 100,000 draws (24 quarters).

    Parameters
    ----------
    quick : bool
        Fewer repetitions (and no 100,000-draw ensemble) for a fast smoke check.

    Returns
    -------
    list of (what, seconds, "s", target)
    """
    from s400lab.model import Scenario, run, run_ensemble
    from s400lab.model.api import _ensemble
    from s400lab.model.sampling import sample

    sc = Scenario.preset("full_return_cash").with_changes(horizon_quarters=24)
    rows: list[tuple[str, float, str, str]] = []
    rows.append(
        (
            "model: one run (24 quarters, outcomes not tabulated)",
            median_time(lambda: run(sc), 20 if quick else 200),
            "s",
            "<= 2 ms",
        )
    )
    rows.append(
        (
            "model: one run + outcomes table",
            median_time(lambda: run(sc).outcomes, 10 if quick else 100),
            "s",
            "-",
        )
    )
    draws = sample(sc.register, 10_000, seed=1)
    rows.append(
        (
            "model: ensemble 10,000 draws (given draws)",
            median_time(lambda: _ensemble(sc, draws), 3 if quick else 15),
            "s",
            "<= 20 ms",
        )
    )
    rows.append(
        (
            "model: ensemble 10,000 draws incl. LHS sampling",
            median_time(lambda: run_ensemble(sc, n=10_000, seed=1), 3 if quick else 10),
            "s",
            "-",
        )
    )
    if not quick:
        draws = sample(sc.register, 100_000, seed=1)
        rows.append(
            (
                "model: ensemble 100,000 draws (given draws)",
                median_time(lambda: _ensemble(sc, draws), 3),
                "s",
                "-",
            )
        )
    return rows


if __name__ == "__main__":  # pragma: no cover
    for what, value, _unit, target in collect():
        print(f"{what:<58} {value * 1e3:9.2f} ms  {target}")
