"""Validation of a large events table (issue 23, item 6): ``validate`` of a copy of the shipped
data package whose ``events.csv`` has 200,000 valid rows (the shipped rows repeated with unique
ids), target under 5 s on the project machine. A section of ``benchmarks/run.py``; also runs
alone: ``python benchmarks/validate_bench.py [--quick]`` (prints one row per run, the median and
the load average).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import Row

#: Rows of the generated events table.
N_ROWS = 200_000
TARGET = "< 5 s"


def make_package(dest: Path, n_rows: int = N_ROWS) -> Path:
    """A copy of the shipped package in ``dest/data`` with ``n_rows`` valid event rows."""
    from s400lab.data import default_data_dir

    out = dest / "data"
    shutil.copytree(default_data_dir(), out)
    with (out / "events.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    head, body = rows[0], [r for r in rows[1:] if r]
    key, variant = head.index("event_id"), head.index("variant_of")
    short = [head.index(c) for c in ("description", "notes") if c in head]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(head)
    # the shipped rows as they are (other tables name them), then copies with unique ids; a
    # copy's prose is cut to 60 characters (the table stays near 30 MB) unless it is a re-read
    # record an official row needs
    out_rows = [list(r) for r in body[:n_rows]]
    k = 0
    while len(out_rows) < n_rows:
        k += 1
        for r in body:
            if len(out_rows) == n_rows:
                break
            r = list(r)
            r[key] = f"{r[key]}-{k}"
            for c in short:
                if "Re-read" not in r[c]:
                    r[c] = r[c][:60].rstrip()
            if r[variant]:
                r[variant] = f"{r[variant]}-{k}"
            out_rows.append(r)
    ids = {r[key] for r in out_rows}
    for r in out_rows:  # the last, partial copy may lack a variant's main row
        if r[variant] and r[variant] not in ids:
            r[variant] = ""
    writer.writerows(out_rows)
    (out / "events.csv").write_text(buf.getvalue(), encoding="utf-8")
    return out


def _runs(repeat: int, n_rows: int, cpu: list[float] | None = None) -> list[float]:
    """Wall-clock seconds of each ``validate``; its process CPU seconds go to ``cpu`` (on a shared
    machine the CPU time says more than the wall clock)."""
    from s400lab.data import validate, validation

    validation.MAX_CSV_BYTES = max(validation.MAX_CSV_BYTES, 200_000_000)  # measure the checks, not the limit

    times = []
    with tempfile.TemporaryDirectory() as tmp:
        package = make_package(Path(tmp), n_rows)
        problems = validate(package)  # warm-up (imports Frictionless), and a check
        if problems:
            raise RuntimeError(f"the generated package is not valid: {problems[0]}")
        for _ in range(repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            validate(package)
            times.append(time.perf_counter() - start)
            if cpu is not None:
                cpu.append(time.process_time() - start_cpu)
    return times


def collect(quick: bool = False) -> list[Row]:
    """One row: the median seconds of ``validate`` on the 200,000-row package."""
    repeat = 1 if quick else 3
    times = _runs(repeat, N_ROWS)
    return [(f"validate, events.csv with {N_ROWS:,} rows", statistics.median(times), "s", TARGET, repeat)]


def main(argv: list[str]) -> int:
    repeat = 1 if "--quick" in argv else 5
    before = os.getloadavg()
    cpu: list[float] = []
    times = _runs(repeat, N_ROWS, cpu)
    load = os.getloadavg()
    print(f"validate, events.csv with {N_ROWS:,} rows: " + ", ".join(f"{t:.2f}" for t in times) + " s")
    print("  process CPU time: " + ", ".join(f"{t:.2f}" for t in cpu) + " s")
    print(
        f"median {statistics.median(times):.2f} s (CPU {statistics.median(cpu):.2f} s; target {TARGET}); "
        f"load average before {before[0]:.2f}, after {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
        f"{os.cpu_count()} cores"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
