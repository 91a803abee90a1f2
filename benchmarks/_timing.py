"""Timing helpers shared by the benchmark sections (``benchmarks/run.py``)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

#: One benchmark row: (what, median seconds, unit, target, number of timed repeats).
Row = tuple[str, float, str, str, int]


def median_time(fn: Callable[[], object], repeat: int, warmup: int = 1) -> float:
    """Median wall-clock seconds of ``repeat`` calls of ``fn`` after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def timed(what: str, fn: Callable[[], object], repeat: int, target: str = "-") -> Row:
    """A row for ``benchmarks/run.py``: the median of ``repeat`` timed calls of ``fn`` (after
    one warm-up call), with the number of repeats."""
    return (what, median_time(fn, repeat), "s", target, repeat)
