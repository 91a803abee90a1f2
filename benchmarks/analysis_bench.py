"""Speed figures of the uncertainty analysis for ``benchmarks/run.py`` (``make bench``).

``collect(quick=False)`` returns rows ``(what, median_seconds, "s", target)``: medians of
repeated wall-clock timings, printed for a person to read and never asserted in tests.
"""

from __future__ import annotations

from _timing import median_time

__all__ = ["collect"]


def collect(quick: bool = False) -> list[tuple[str, float, str, str]]:
    """Time a large ensemble with its probabilities, Sobol indices, a tornado and PRIM.

    Parameters
    ----------
    quick : bool
        10,000 draws and 256 Sobol base samples instead of 100,000 and 1,024, one repetition.

    Returns
    -------
    list of (what, seconds, "s", target)
    """
    from s400lab.analysis.discovery import prim
    from s400lab.analysis.ensembles import Event, probability_table, standard_events
    from s400lab.analysis.sensitivity import model_sobol, model_tornado
    from s400lab.model import OUTCOMES, Scenario, run_ensemble

    sc = Scenario.preset("full_return_cash")
    events = standard_events(columns=OUTCOMES)
    n = 10_000 if quick else 100_000
    reps = 1 if quick else 3
    rows: list[tuple[str, float, str, str]] = []

    def ensemble_and_probabilities():
        ens = run_ensemble(sc, n=n, seed=1, method="lhs")
        return probability_table(ens.outcomes, events)

    rows.append(
        (
            f"analysis: ensemble {n:,} draws + {len(events)} probabilities",
            median_time(ensemble_and_probabilities, reps),
            "s",
            "<= 500 ms" if not quick else "-",
        )
    )
    ens = run_ensemble(sc, n=n, seed=1)
    out = ens.outcomes
    rows.append(
        (
            f"analysis: {len(events)} probabilities on {n:,} runs (model excluded)",
            median_time(lambda: probability_table(out, events), 5 * reps),
            "s",
            "-",
        )
    )
    n_base = 256 if quick else 1024
    rows.append(
        (
            f"analysis: Sobol S1/ST, {n_base:,} base samples x 25 inputs",
            median_time(lambda: model_sobol(sc, "india_sq5_q", n_base=n_base, seed=1), reps),
            "s",
            "<= 2 s" if not quick else "-",
        )
    )
    rows.append(
        (
            "analysis: tornado, 25 inputs (one model call)",
            median_time(lambda: model_tornado(sc, "india_sq5_q"), 10 * reps),
            "s",
            "-",
        )
    )
    small = run_ensemble(sc, n=10_000, seed=1)
    y = Event("late", "india_sq5_q", ">", "2027Q4").mask(small.outcomes)
    rows.append(
        (
            "analysis: PRIM on 10,000 runs x 25 inputs",
            median_time(lambda: prim(small.draws, y), reps),
            "s",
            "-",
        )
    )
    return rows


if __name__ == "__main__":  # pragma: no cover
    for what, value, _unit, target in collect():
        print(f"{what:<58} {value * 1e3:9.2f} ms  {target}")
