"""``python benchmarks/run.py [--quick]``: print the workbook's speed figures.

Each section (``benchmarks/model_bench.py``, ``benchmarks/analysis_bench.py``) contributes a
``collect()`` function returning rows
``(what, median_seconds_or_value, unit, target, repeats)``: each figure is the median of
``repeats`` timed calls after one untimed warm-up call (``benchmarks/_timing.py``). The header
prints the load average (1/5/15 min) and the core count: figures taken on a busy machine are
slower, and a figure that only meets its target on an idle machine has no headroom. The figures
are measurements, printed for a person to read; no test asserts on wall-clock time. The
explorer's figures (kernel and browser, and the class-arrival row: ten pages opened within ten
seconds on a dashboard keeping ten kernels ready, time to the first widget p50/max) come from
``benchmarks/explorer_bench.py`` (``make bench`` runs both; ``python benchmarks/explorer_bench.py
--class-only`` prints just that row). Nothing here is part of the installed package.
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
from pathlib import Path

# The sections are sibling files, importable however this script is started.
sys.path.insert(0, str(Path(__file__).resolve().parent))

#: Modules that contribute benchmark rows, in print order.
SECTIONS = (
    "model_bench",
    "analysis_bench",
    "validate_bench",
)


def header() -> str:
    """The first line: Python, machine, load average (1/5/15 min), cores, how figures are taken."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return (
        f"s400lab benchmarks  (python {platform.python_version()}, {platform.machine()}, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, {os.cpu_count()} cores; "
        "each figure: median of `repeats` timed calls after 1 warm-up)"
    )


def main(argv: list[str] | None = None) -> int:
    argv = list(argv or [])
    quick = "--quick" in argv
    print(header())
    print(f"{'what':<58} {'measured':>12}  {'target':<12} {'repeats':>7}")
    print("-" * 94)
    failures = 0
    for name in SECTIONS:
        module = importlib.import_module(name)
        try:
            rows = module.collect(quick=quick)
        except Exception as exc:  # report and carry on with the other sections
            print(f"{name}: failed: {exc!r}", file=sys.stderr)
            failures += 1
            continue
        for what, value, unit, target, repeats in rows:
            shown = f"{value * 1e3:9.2f} ms" if unit == "s" else f"{value:9.2f} {unit}"
            print(f"{what:<58} {shown:>12}  {target:<12} {repeats:>7}")
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
