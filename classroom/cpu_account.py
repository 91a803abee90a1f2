"""Where a login burst's CPU goes: per-process CPU accounting for the classroom load test.

``make bench-classroom`` (``classroom/bench.py``) counts, for each round, the CPU time (user +
system) of every process taking part, in the groups a student's login costs:

* **students** -- each student's cgroup (``classroom/limits.py`` puts every server in
  ``cpuacct/s400lab/<user>``, so exited processes are included), split by sampling each
  process's ``/proc/<pid>/stat`` into the single-user server (``jupyterhub-singleuser``: Jupyter
  Server, JupyterLab, Voila, the submission form's page), the *explorer kernel* (the first kernel
  a server starts: the preheated one, which imports the workbook and runs the explorer notebook)
  and *other kernels* (the forecast form's);
* **hub** -- the hub process (logins, the OAuth handshake of every server, spawning, the copy of
  the workbook into a new home), the proxy (``configurable-http-proxy``, every byte the browsers
  get), the idle culler and the submission service;
* **browser** -- the load test's own headless Chromium (browser, renderers, GPU/utility
  processes) and Playwright's driver: what the students' laptops would pay, here on the same two
  cores;
* **load test** -- the load test's own Python process.

The hub and browser groups are cgroup v1 ``cpuacct`` folders made by this module under
``cpuacct/s400lab-bench-<pid>`` (removed at the end), so processes that exit between two samples
are still counted; per-process figures are sampled every ``every`` seconds (a process that exits
between two samples loses at most that long; the group totals do not). Where no ``cpuacct``
hierarchy is writable, only the sampled figures are given. Root only; nothing leaves the machine.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections import defaultdict
from pathlib import Path

import limits

CPUACCT = limits.CGROUP_ROOT / "cpuacct"
_TICK = os.sysconf("SC_CLK_TCK")


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (from /proc/<pid>/task/*/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{p}/task"):
                with contextlib.suppress(OSError):
                    todo.extend(int(c) for c in Path(f"/proc/{p}/task/{task}/children").read_text().split())
    return out


def _stat(pid: int) -> tuple[float, float] | None:
    """``(cpu seconds, start time in ticks)`` of a process, or None if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # after the command: state(0) ... utime(11) stime(12) ... starttime(19)
    return (int(fields[11]) + int(fields[12])) / _TICK, float(fields[19])


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def classify(cmd: str) -> str:
    """The part of a login a process plays, from its command line."""
    if "jupyterhub-singleuser" in cmd:
        return "server"
    if "ipykernel" in cmd:
        return "kernel"
    if "configurable-http-proxy" in cmd:
        return "proxy"
    if "jupyterhub_idle_culler" in cmd:
        return "idle culler"
    if "submit_service.py" in cmd:
        return "submission service"
    if "bin/jupyterhub " in cmd or cmd.endswith("bin/jupyterhub"):
        return "hub"
    if "chrom" in cmd:
        for kind in ("renderer", "gpu-process", "utility", "zygote"):
            if f"--type={kind}" in cmd:
                return f"chromium {kind}"
        return "chromium browser"
    if "playwright" in cmd or "run-driver" in cmd:
        return "playwright driver"
    words = cmd.split()
    return f"other ({os.path.basename(words[0])})" if words else "other (exited)"


class CpuAccount:
    """Accounting for one load test: ``hub`` and ``browser`` cpuacct groups, the students' own
    groups, and per-process samples for the split inside each."""

    def __init__(self, every: float = 1.0) -> None:
        self.every = every
        self.base = CPUACCT / f"s400lab-bench-{os.getpid()}"
        self.groups: dict[str, Path] = {}
        if os.geteuid() == 0 and (CPUACCT / "cgroup.procs").exists():
            with contextlib.suppress(OSError):
                for g in ("hub", "browser"):
                    (self.base / g).mkdir(parents=True, exist_ok=True)
                    self.groups[g] = self.base / g
        self._lock = threading.Lock()
        #: (pid, start) -> [who, part, cpu seconds at first sight, latest cpu seconds]
        self._procs: dict[tuple[int, float], list] = {}
        self._watch: dict[str, list[tuple[int, bool]]] = defaultdict(list)  # who -> [(pid, tree)]
        self._group_mark: dict[str, float] = {}
        self._uids: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ---------------------------------------------------------------- groups

    def adopt(self, who: str, pid: int, tree: bool = True) -> None:
        """Sample ``pid`` (and with ``tree`` its descendants) as group ``who`` from now on; where
        ``who`` has a cpuacct group, move them into it (their later children follow them)."""
        self._watch[who].append((pid, tree))
        group = self.groups.get(who)
        if group is None or not tree:
            return
        for p in _descendants(pid):
            with contextlib.suppress(OSError):
                (group / "cgroup.procs").write_text(str(p))

    def students(self, uids: dict[int, str]) -> None:
        """Sample the processes of these users (uid -> name) as students'."""
        self._uids = dict(uids)

    def _group_usage(self) -> dict[str, float]:
        out = {}
        for who, group in self.groups.items():
            with contextlib.suppress(OSError, ValueError):
                out[who] = int((group / "cpuacct.usage").read_text()) / 1e9
        return out

    def group_seconds(self) -> dict[str, float]:
        """CPU seconds used since :meth:`mark` by each cpuacct group (hub, browser), exited
        processes included."""
        return {k: v - self._group_mark.get(k, 0.0) for k, v in self._group_usage().items()}

    def close(self) -> None:
        """Remove the groups (their processes go back to the root group first)."""
        for group in self.groups.values():
            with contextlib.suppress(OSError):
                for p in (group / "cgroup.procs").read_text().split():
                    with contextlib.suppress(OSError):
                        (CPUACCT / "cgroup.procs").write_text(p)
            with contextlib.suppress(OSError):
                group.rmdir()
        with contextlib.suppress(OSError):
            self.base.rmdir()

    # ---------------------------------------------------------------- sampling

    def sample(self) -> None:
        seen: dict[int, str] = {}
        for who, roots in list(self._watch.items()):
            for root, tree in roots:
                for p in _descendants(root) if tree else [root]:
                    seen.setdefault(p, who)
        if self._uids:
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    with contextlib.suppress(OSError):
                        uid = os.stat(f"/proc/{entry}").st_uid
                        if uid in self._uids:
                            seen[int(entry)] = f"student {self._uids[uid]}"
        with self._lock:
            for pid, who in seen.items():
                st = _stat(pid)
                if st is None:
                    continue
                key = (pid, st[1])
                if key in self._procs:
                    self._procs[key][3] = st[0]
                else:  # first sight: its CPU so far counts only if it started after the mark
                    self._procs[key] = [who, classify(_cmdline(pid)), st[0], st[0]]

    def mark(self) -> float:
        """Start of a measurement: what processes already used no longer counts."""
        self.sample()
        with self._lock:
            for rec in self._procs.values():
                rec[2] = rec[3]
            self._mark_time = time.monotonic()
            self._mark_boot_ticks = _uptime_ticks()
        self._group_mark = self._group_usage()
        return self._mark_time

    def parts(self) -> dict[tuple[str, str], float]:
        """CPU seconds since :meth:`mark` by (group, part); a student's kernels are split into
        the explorer kernel (the first one started) and the others."""
        out: dict[tuple[str, str], float] = defaultdict(float)
        first_kernel: dict[str, float] = {}
        marked = getattr(self, "_mark_boot_ticks", 0.0)
        with self._lock:
            procs = {k: list(v) for k, v in self._procs.items()}
        for (_pid, start), (who, part, _c0, _c1) in procs.items():
            if who.startswith("student") and part == "kernel":
                first_kernel[who] = min(first_kernel.get(who, start), start)
        for (_pid, start), (who, part, c0, c1) in procs.items():
            used = c1 - c0 if start < marked else c1  # started after the mark: all of it
            group = "students" if who.startswith("student") else who
            if who.startswith("student") and part == "kernel":
                part = "explorer kernel" if start == first_kernel[who] else "other kernels"
            out[(group, part)] += used
        return dict(out)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every)

    def __enter__(self) -> CpuAccount:
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.close()


def _uptime_ticks() -> float:
    """Now, in the ticks since boot that /proc/<pid>/stat's start time uses."""
    return float(Path("/proc/uptime").read_text().split()[0]) * _TICK


def breakdown_table(parts: dict[tuple[str, str], float], k: int, groups: dict[str, float]) -> str:
    """Markdown table: CPU seconds per part, in total and per student, with the group totals
    from the cgroups (exited processes included) beside the sampled sum."""
    lines = ["| group | part | CPU s | per student |", "|---|---|---|---|"]
    by_group: dict[str, float] = defaultdict(float)
    for (group, part), sec in sorted(parts.items(), key=lambda kv: (kv[0][0], -kv[1])):
        by_group[group] += sec
        lines.append(f"| {group} | {part} | {sec:.1f} | {sec / k:.2f} |")
    for group, sec in sorted(by_group.items()):
        exact = groups.get(group)
        extra = f" (cgroup: {exact:.1f})" if exact is not None else ""
        lines.append(f"| **{group}** | sampled total{extra} | {sec:.1f} | {sec / k:.2f} |")
    return "\n".join(lines)
