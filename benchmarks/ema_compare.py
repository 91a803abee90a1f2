"""Ensemble speed of s400lab against the EMA Workbench on the same model.

Run it from the repository root in a separate environment that has ``ema_workbench``
(see benchmarks/README.md; ``make bench-ema``)::

    .venv-bench/bin/python benchmarks/ema_compare.py            # N = 1,000 and 10,000
    .venv-bench/bin/python benchmarks/ema_compare.py --quick    # N = 1,000 only, fewer repeats

What is compared
----------------
The same model (``s400lab.model.core.simulate``, 24 quarters, preset ``full_return_cash``),
the same uncertainties (every ``kind == uncertainty`` row of data/parameters.csv with its
register range), the same experiments and the same outcomes:

* **EMA Workbench** -- the model wrapped as ``ema_workbench.Model``: uncertainties as
  ``RealParameter`` / ``IntegerParameter`` / ``CategoricalParameter``, every other register value
  of the preset (levers, settings, fixed assumptions) as a ``Constant``, a handful of
  ``ScalarOutcome``\\ s. ``perform_experiments`` with the ``SequentialEvaluator`` calls the model
  once per experiment (an ensemble of one), which is how EMA drives a per-run Python model.
  Two wrappers are timed:

  - *lean*: the wrapper calls the numpy core ``simulate(values, 1)`` directly (no pandas, no
    validation per call) -- the cheapest way to drive our model one run at a time, i.e. the
    comparison most favourable to EMA. The headline speed-up uses this one.
  - *public API*: the wrapper calls ``s400lab.model.evaluate(scenario, one-row DataFrame)``,
    as a user of the documented API would (validation and tables per call).

* **s400lab** -- ``evaluate(scenario, experiments)``: all N experiments (EMA's own
  experiments DataFrame) in one vectorized call; and ``run_ensemble(scenario, n=N)``, our
  normal path with Latin hypercube sampling included.

Sampling caveat: EMA's ``RealParameter`` samples uniformly over ``low..high``; the register
draws most uncertainties from a triangular distribution with mode ``central``. For the
like-for-like comparison both sides use EMA's (uniform) experiments. ``run_ensemble`` uses the
register's own distributions (triangular); it is shown for the cost of sampling, not for
identical numbers.

Before any timing is reported, both sides must give the same outcome values for the same
experiments (max abs difference ~0); otherwise the script stops with an error.

Timings are wall-clock medians of repeated runs (``time.perf_counter``) on whatever machine
runs the script; they are printed for a person to read, never asserted by the test suite.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import platform
import statistics
import sys
import textwrap
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

try:
    with warnings.catch_warnings():
        # "ipyparallel not installed - IpyparalleEvaluator not available": not used here.
        warnings.simplefilter("ignore", UserWarning)
        import ema_workbench
    from ema_workbench import (
        CategoricalParameter,
        Constant,
        IntegerParameter,
        Model,
        RealParameter,
        ScalarOutcome,
        SequentialEvaluator,
    )
except ImportError:  # pragma: no cover - depends on the environment
    sys.exit(
        "ema_workbench is not installed in this environment.\n"
        "Use the benchmark environment: make bench-ema (see benchmarks/README.md)."
    )

from s400lab.model import Scenario, evaluate, run_ensemble
from s400lab.model.core import simulate

#: Preset whose levers and fixed values both sides use.
PRESET = "full_return_cash"
#: A handful of scalar outcomes (all numeric; NaN = not within the horizon).
OUTCOMES = (
    "ru_stock_end",
    "ru_stock_min",
    "ru_exports_total",
    "india_sq5_q",
    "f35_readmission_q",
    "f35_readmitted",
    "tr_recovered_usd_bn",
    "ru_net_usd_bn",
    "alliance_score",
)
#: Largest allowed difference between the two sides (float rounding only).
TOLERANCE = 1e-9


# --------------------------------------------------------------------------------------
# The model as the EMA Workbench sees it
# --------------------------------------------------------------------------------------


def ema_uncertainties(sc: Scenario) -> tuple[list, list[str]]:
    """EMA parameters for every uncertainty of the register, with notes on the mapping.

    Returns
    -------
    params : list of ema_workbench parameters
    notes : list of str
        One line per parameter whose EMA sampling differs from the register's distribution.
    """
    reg = sc.register
    params, notes = [], []
    for name in reg.uncertainties:
        p = reg.params[name]
        if p.distribution == "discrete":
            values = sorted(int(float(c)) if p.type == "int" else float(c) for c in p.choices)
            if p.type == "int" and values == list(range(values[0], values[-1] + 1)):
                params.append(IntegerParameter(name, values[0], values[-1]))
            else:
                params.append(CategoricalParameter(name, values))
        elif p.distribution == "bernoulli":
            params.append(IntegerParameter(name, 0, 1))
            notes.append(f"{name} (bernoulli p={p.central}; EMA draws 0/1 equally)")
        else:
            if p.type == "int":
                params.append(IntegerParameter(name, int(p.low), int(p.high)))
            else:
                params.append(RealParameter(name, float(p.low), float(p.high)))
            if p.distribution != "uniform":
                notes.append(f"{name} ({p.distribution}, mode {p.central:g})")
    return params, notes


def ema_model(sc: Scenario, kind: str) -> Model:
    """The s400lab model wrapped as an ``ema_workbench.Model``.

    Parameters
    ----------
    sc : Scenario
        Supplies the levers and every non-uncertain value (as EMA ``Constant``\\ s).
    kind : {"lean", "api", "noop"}
        ``lean`` calls ``core.simulate(values, 1)``; ``api`` calls
        ``s400lab.model.evaluate(sc, one-row DataFrame)``; ``noop`` returns constant outcomes
        without running any model (EMA's own cost per experiment: a floor for any per-run
        model, however fast).
    """
    uncertainties, _ = ema_uncertainties(sc)
    unc_names = [u.name for u in uncertainties]

    if kind == "lean":

        def one_run(**values: Any) -> dict[str, float]:
            _, out = simulate(values, 1)
            return {k: float(out[k][0]) for k in OUTCOMES}

    elif kind == "api":

        def one_run(**values: Any) -> dict[str, float]:
            row = pd.DataFrame({k: [float(values[k])] for k in unc_names})
            out = evaluate(sc, row)
            return {k: float(out[k].iloc[0]) for k in OUTCOMES}

    elif kind == "noop":
        fixed = {k: 0.0 for k in OUTCOMES}

        def one_run(**values: Any) -> dict[str, float]:
            return fixed  # no model at all: what EMA's own machinery costs per experiment

    else:
        raise ValueError(f"kind must be 'lean', 'api' or 'noop', got {kind!r}")

    model = Model(f"s400lab{kind}", function=one_run)
    model.uncertainties = uncertainties
    model.constants = [Constant(k, v) for k, v in sc.values.items() if k not in set(unc_names)]
    model.outcomes = [ScalarOutcome(k) for k in OUTCOMES]
    return model


def ema_run(model: Model, n: int, seed: int) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """``perform_experiments`` with the SequentialEvaluator (EMA samples with LHS)."""
    # EMA's samplers draw from numpy's global generator, so only the legacy call seeds them.
    np.random.seed(seed)  # noqa: NPY002
    with SequentialEvaluator(model) as evaluator:
        # log_progress=True reports progress through EMA's logger (silent unless
        # ema_logging.log_to_stderr is on) instead of drawing a tqdm bar.
        return evaluator.perform_experiments(scenarios=n, log_progress=True)


def draws_from(experiments: pd.DataFrame, sc: Scenario) -> pd.DataFrame:
    """EMA's experiments as a float draws DataFrame for :func:`s400lab.model.evaluate`."""
    names = list(sc.register.uncertainties)
    return pd.DataFrame(
        {k: experiments[k].astype(float).to_numpy() for k in names},
        index=pd.RangeIndex(len(experiments), name="draw"),
    )


def check_same(ema_out: dict[str, np.ndarray], ours: pd.DataFrame) -> float:
    """Max abs difference over the shared outcomes; raises if NaNs or values disagree."""
    worst = 0.0
    for k in OUTCOMES:
        a = np.asarray(ema_out[k], dtype=float)
        b = ours[k].to_numpy(dtype=float)
        if a.shape != b.shape:
            raise AssertionError(f"{k}: EMA gave {a.shape}, s400lab {b.shape}")
        if not np.array_equal(np.isnan(a), np.isnan(b)):
            raise AssertionError(f"{k}: the two sides disagree on which runs are NaN")
        ok = ~np.isnan(a)
        diff = float(np.max(np.abs(a[ok] - b[ok]), initial=0.0))
        if diff > TOLERANCE:
            raise AssertionError(f"{k}: max abs difference {diff:g} > {TOLERANCE:g}")
        worst = max(worst, diff)
    return worst


# --------------------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------------------


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def median_time(fn: Callable[[], Any], repeat: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    return statistics.median(timed(fn)[0] for _ in range(repeat))


def python_loop(sc: Scenario, draws: pd.DataFrame) -> float:
    """Seconds for a bare Python loop of ``simulate(values, 1)`` over the draws (no EMA)."""
    base = dict(sc.values)
    rows = draws.to_dict("records")

    def loop() -> None:
        for r in rows:
            simulate({**base, **r}, 1)

    return timed(loop)[0]


def fmt_s(x: float) -> str:
    return f"{x:.3f} s" if x >= 0.1 else f"{x * 1e3:.2f} ms"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="N = 1,000 only, fewer repeats")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--max-ema-seconds",
        type=float,
        default=120.0,
        help="skip an EMA size whose estimated time exceeds this (default 120)",
    )
    args = ap.parse_args(argv)

    sc = Scenario.preset(PRESET)
    _, notes = ema_uncertainties(sc)
    sizes = [1_000] if args.quick else [1_000, 10_000]
    ema_repeat = 1 if args.quick else 3

    print("s400lab vs EMA Workbench: ensemble speed on the same model")
    print(
        f"date {_dt.date.today().isoformat()} | Python {platform.python_version()} | "
        f"ema_workbench {ema_workbench.__version__} | numpy {np.__version__} | "
        f"pandas {pd.__version__} | {os.cpu_count()} CPU(s) | {platform.machine()} | "
        f"load avg {os.getloadavg()[0]:.2f}"
    )
    print(
        f"model: preset {PRESET!r}, {sc.values['horizon_quarters']} quarters, "
        f"{len(sc.register.uncertainties)} uncertainties, {len(OUTCOMES)} scalar outcomes"
    )
    print("sampling: EMA samples every RealParameter uniformly over the register range; both")
    print("  sides of the comparison use the same (EMA's LHS) experiments. Register distributions")
    print(
        f"  that EMA samples uniformly instead ({len(notes)} of "
        f"{len(sc.register.uncertainties)}; run_ensemble below uses the register's):"
    )
    print(textwrap.fill(", ".join(notes), width=92, initial_indent="    ", subsequent_indent="    "))
    print()

    rows = []
    per_exp_ema = None
    for n in sizes:
        lean = ema_model(sc, "lean")
        if per_exp_ema is not None and per_exp_ema * n * ema_repeat > args.max_ema_seconds:
            reps = 1 if per_exp_ema * n <= args.max_ema_seconds else 0
        else:
            reps = ema_repeat
        if reps == 0:
            print(f"N = {n:,}: EMA skipped (estimated {per_exp_ema * n:.0f} s)")
            continue
        ema_times = []
        experiments = ema_out = None
        for _ in range(reps):
            t, (experiments, ema_out) = timed(lambda lean=lean, n=n: ema_run(lean, n, args.seed))
            ema_times.append(t)
        t_ema = statistics.median(ema_times)
        per_exp_ema = t_ema / n

        draws = draws_from(experiments, sc)
        ours = evaluate(sc, draws)
        diff = check_same(ema_out, ours)

        t_eval = median_time(lambda draws=draws: evaluate(sc, draws), repeat=5 if args.quick else 15)
        t_ens = median_time(lambda n=n: run_ensemble(sc, n=n, seed=args.seed), repeat=5 if args.quick else 15)
        t_loop = python_loop(sc, draws)
        rows.append((n, reps, t_ema, t_eval, t_ens, t_loop, diff))
        print(
            f"N = {n:,}: EMA {fmt_s(t_ema)} (median of {reps}), same outcomes: "
            f"max abs difference {diff:.1e} over {len(OUTCOMES)} outcomes x {n:,} experiments"
        )

    # The public-API wrapper, once at N = 1,000 (shows the cost of per-call validation).
    api_n = 1_000
    api = ema_model(sc, "api")
    t_api, (exp_api, out_api) = timed(lambda: ema_run(api, api_n, args.seed))
    check_same(out_api, evaluate(sc, draws_from(exp_api, sc)))

    # EMA with no model at all, at the largest N timed: the floor for any per-run model.
    noop_n = rows[-1][0] if rows else api_n
    t_noop = median_time(
        lambda: ema_run(ema_model(sc, "noop"), noop_n, args.seed), repeat=1 if args.quick else 3, warmup=0
    )

    print()
    hdr = (
        f"{'N':>7} | {'EMA seconds':>11} | {'s400lab evaluate':>16} | {'speed-up':>9} | "
        f"{'run_ensemble (LHS incl.)':>24} | {'speed-up':>9}"
    )
    print(hdr)
    print("-" * len(hdr))
    for n, _reps, t_ema, t_eval, t_ens, _, _ in rows:
        print(
            f"{n:>7,} | {t_ema:>11.3f} | {t_eval * 1e3:>13.2f} ms | {t_ema / t_eval:>8.0f}x | "
            f"{t_ens * 1e3:>21.2f} ms | {t_ema / t_ens:>8.0f}x"
        )
    print()
    print("Where the EMA time goes (per experiment):")
    for n, _, t_ema, t_eval, _, t_loop, _ in rows:
        print(
            f"  N = {n:>6,}: EMA + lean wrapper {t_ema / n * 1e6:7.0f} us = model called once per "
            f"run (bare Python loop) {t_loop / n * 1e6:5.0f} us + EMA machinery "
            f"{(t_ema - t_loop) / n * 1e6:5.0f} us;  s400lab vectorized {t_eval / n * 1e6:6.2f} us"
        )
    print(
        f"  EMA with the public-API wrapper (evaluate on a one-row DataFrame per call), "
        f"N = {api_n:,}: {t_api:.3f} s ({t_api / api_n * 1e6:.0f} us per experiment, one run)"
    )
    print(
        f"  EMA with a no-op model (returns constants, runs nothing), N = {noop_n:,}: "
        f"{t_noop:.3f} s ({t_noop / noop_n * 1e6:.0f} us per experiment)"
    )
    for n, _, _, t_eval, t_ens, _, _ in rows:
        if n == noop_n:
            print(
                f"  -> even if one model run cost nothing, EMA would take {t_noop / t_eval:.0f}x "
                f"s400lab evaluate and {t_noop / t_ens:.0f}x run_ensemble at N = {n:,}"
            )
    print()
    print("EMA seconds: perform_experiments (SequentialEvaluator, LHS sampling included), lean")
    print("wrapper. s400lab evaluate: the same experiments in one vectorized call. run_ensemble:")
    print("our own LHS sampling over the register distributions + evaluation. Medians; wall clock.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
