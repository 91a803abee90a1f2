"""Speed figures of the uncertainty analysis for ``benchmarks/run.py`` (``make bench``).

``collect(quick=False)`` returns rows ``(what, median_seconds, "s", target, repeats)``: medians of
repeated wall-clock timings, printed for a person to read and never asserted in tests.
"""

from __future__ import annotations

from _timing import Row, timed

__all__ = ["collect"]


def collect(quick: bool = False) -> list[Row]:
    """Time a large ensemble with its probabilities, Sobol indices, a tornado and PRIM.

    Parameters
    ----------
    quick : bool
        10,000 draws and 256 Sobol base samples instead of 100,000 and 1,024, one repetition.

    Returns
    -------
    list of (what, seconds, "s", target, repeats)
    """
    from s400lab.analysis.discovery import prim
    from s400lab.analysis.ensembles import Event, probability_table, standard_events
    from s400lab.analysis.sensitivity import model_sobol, model_tornado
    from s400lab.model import OUTCOMES, Scenario, run_ensemble

    sc = Scenario.preset("full_return_cash")
    events = standard_events(columns=OUTCOMES)
    n = 10_000 if quick else 100_000
    reps = 1 if quick else 5
    rows: list[Row] = []

    def ensemble_and_probabilities():
        ens = run_ensemble(sc, n=n, seed=1, method="lhs")
        return probability_table(ens.outcomes, events)

    rows.append(
        timed(
            f"analysis: ensemble {n:,} draws + {len(events)} probabilities",
            ensemble_and_probabilities,
            reps,
            "<= 500 ms" if not quick else "-",
        )
    )
    ens = run_ensemble(sc, n=n, seed=1)
    out = ens.outcomes
    rows.append(
        timed(
            f"analysis: {len(events)} probabilities on {n:,} runs (model excluded)",
            lambda: probability_table(out, events),
            5 * reps,
            "-",
        )
    )
    n_base = 256 if quick else 1024
    rows.append(
        timed(
            f"analysis: Sobol S1/ST, {n_base:,} base samples x 25 inputs",
            lambda: model_sobol(sc, "india_sq5_q", n_base=n_base, seed=1),
            reps,
            "<= 2 s" if not quick else "-",
        )
    )
    rows.append(
        timed(
            "analysis: tornado, 25 inputs (one model call)",
            lambda: model_tornado(sc, "india_sq5_q"),
            10 * reps,
            "-",
        )
    )
    small = run_ensemble(sc, n=10_000, seed=1)
    y = Event("late", "india_sq5_q", ">", "2027Q4").mask(small.outcomes)
    rows.append(
        timed(
            "analysis: PRIM on 10,000 runs x 25 inputs",
            lambda: prim(small.draws, y),
            reps,
            "-",
        )
    )
    return rows


if __name__ == "__main__":  # pragma: no cover
    for what, value, _unit, target, repeats in collect():
        print(f"{what:<58} {value * 1e3:9.2f} ms  {target:<12} {repeats:>4}")
