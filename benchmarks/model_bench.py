"""Speed figures of the model for ``benchmarks/run.py`` (``make bench``).

``collect(quick=False)`` returns rows ``(what, median_seconds, "s", target, repeats)``. Medians
of repeated wall-clock timings; printed for a person to read, never asserted in tests.
"""

from __future__ import annotations

from _timing import Row, timed

__all__ = ["collect"]


def collect(quick: bool = False) -> list[Row]:
    """Time one run and ensembles of 10,000 and 100,000 draws (24 quarters).

    Parameters
    ----------
    quick : bool
        Fewer repetitions (and no 100,000-draw ensemble) for a fast smoke check.

    Returns
    -------
    list of (what, seconds, "s", target, repeats)
    """
    from s400lab.model import Scenario, run, run_ensemble
    from s400lab.model.api import _ensemble
    from s400lab.model.sampling import sample

    sc = Scenario.preset("full_return_cash").with_changes(horizon_quarters=24)
    draws = sample(sc.register, 10_000, seed=1)
    rows = [
        timed(
            "model: one run (24 quarters, outcomes not tabulated)",
            lambda: run(sc),
            20 if quick else 200,
            "<= 2 ms",
        ),
        timed("model: one run + outcomes table", lambda: run(sc).outcomes, 10 if quick else 100),
        timed(
            "model: ensemble 10,000 draws (given draws)",
            lambda: _ensemble(sc, draws),
            5 if quick else 25,
            "<= 20 ms",
        ),
        timed(
            "model: ensemble 10,000 draws incl. LHS sampling",
            lambda: run_ensemble(sc, n=10_000, seed=1),
            5 if quick else 15,
        ),
    ]
    if not quick:
        big = sample(sc.register, 100_000, seed=1)
        rows.append(timed("model: ensemble 100,000 draws (given draws)", lambda: _ensemble(sc, big), 5))
        rows.append(
            timed("model: LHS sampling of 100,000 draws", lambda: sample(sc.register, 100_000, seed=1), 5)
        )
    return rows


if __name__ == "__main__":  # pragma: no cover
    for what, value, _unit, target, repeats in collect():
        print(f"{what:<58} {value * 1e3:9.2f} ms  {target:<12} {repeats:>4}")
