"""Per-student limits for the one-machine classroom hub (docs/classroom.md, "Limits").

The hub starts each server with :class:`jupyterhub.spawner.LocalProcessSpawner`; systemd is not
assumed (``jupyterhub-systemdspawner`` needs it as PID 1). What this module enforces, each
applied in the server's child process as root just before it becomes the student
(:func:`preexec`), and inherited by every kernel and process the student starts from it:

* **memory and processes: a cgroup per student** -- ``<controller>/s400lab/<user>`` under
  cgroup v1 (``memory.limit_in_bytes``, ``memory.memsw.limit_in_bytes`` where swap accounting
  exists, ``pids.max``, ``cpu.cfs_quota_us``) or the same folder under a cgroup v2 root
  (``memory.max``, ``memory.swap.max``, ``pids.max``, ``cpu.max``) when its controllers are
  enabled. Over the memory limit the kernel's OOM killer ends the largest process of that
  student only; over the process limit ``fork`` fails with EAGAIN;
* **rlimits, whatever the cgroups**: ``RLIMIT_NPROC`` (processes and threads of the student's
  uid, so also what they start outside the server), ``RLIMIT_CORE`` 0, ``RLIMIT_FSIZE`` (largest
  file), and ``RLIMIT_AS`` per process as a fallback when no memory cgroup can be made;
* **a private /dev/shm**: a new mount namespace with its own ``tmpfs`` of ``shm_bytes`` on
  ``/dev/shm`` (the host's is a 24 GiB world-writable tmpfs), gone when the server stops;
* **a kernel count**: ``--ServerApp.kernel_manager_class`` on the server's command line (set by
  the hub, above any config file) points at :class:`s400lab_server_limits.LimitedKernelManager`.

A limit that cannot be applied on a machine is logged once at start-up with the reason (e.g.
no writable cgroup hierarchy): the docs say what is enforced where.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import resource
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Limits", "CgroupSet", "make_cgroups", "preexec", "remove_cgroups", "cpu_seconds"]

CGROUP_ROOT = Path(os.environ.get("S400LAB_CGROUP_ROOT", "/sys/fs/cgroup"))
GROUP = "s400lab"
MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one student's server (and all it starts) may use."""

    memory_bytes: int = 2048 * MiB
    procs: int = 512
    cpus: float = 1.0
    kernels: int = 4
    shm_bytes: int = 256 * MiB
    file_bytes: int = 2048 * MiB

    @classmethod
    def from_env(cls, env: dict) -> Limits:
        get = env.get
        return cls(
            memory_bytes=int(get("S400LAB_HUB_MEM_MB", 2048)) * MiB,
            procs=int(get("S400LAB_HUB_MAX_PROCS", 512)),
            cpus=float(get("S400LAB_HUB_CPUS", 1.0)),
            kernels=int(get("S400LAB_HUB_MAX_KERNELS", 4)),
            shm_bytes=int(get("S400LAB_HUB_SHM_MB", 256)) * MiB,
            file_bytes=int(get("S400LAB_HUB_FILE_MB", 2048)) * MiB,
        )


@dataclass
class CgroupSet:
    """The cgroup folders of one student and what they limit (empty if none could be made)."""

    procs_files: list[Path]
    limits: set[str]
    why_not: str = ""


def _write(path: Path, value: str) -> bool:
    try:
        path.write_text(value)
        return True
    except OSError:
        return False


def _v2_root() -> Path | None:
    for root in (CGROUP_ROOT, CGROUP_ROOT / "unified"):
        controllers = root / "cgroup.controllers"
        if controllers.exists() and {"memory", "pids"} <= set(controllers.read_text().split()):
            return root
    return None


def make_cgroups(user: str, limits: Limits) -> CgroupSet:
    """Create (or reuse) the student's cgroups and set their limits; needs root."""
    v2 = _v2_root()
    if v2 is not None:
        return _make_v2(v2, user, limits)
    procs, done, problems = [], set(), []
    for controller, settings in (
        (
            "memory",
            {
                "memory.limit_in_bytes": limits.memory_bytes,
                "memory.memsw.limit_in_bytes": limits.memory_bytes,
            },
        ),
        ("pids", {"pids.max": limits.procs}),
        ("cpu", {"cpu.cfs_period_us": 100_000, "cpu.cfs_quota_us": int(limits.cpus * 100_000)}),
    ):
        base = CGROUP_ROOT / controller
        if not (base / "cgroup.procs").exists():
            problems.append(f"no cgroup v1 {controller} hierarchy at {base}")
            continue
        folder = base / GROUP / user
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            problems.append(f"cannot create {folder} ({exc.strerror})")
            continue
        ok = [_write(folder / name, str(value)) for name, value in settings.items()]
        if ok[0]:
            procs.append(folder / "cgroup.procs")
            done.add(controller)
        else:
            problems.append(f"cannot set {next(iter(settings))} in {folder}")
    # accounting only (no limit): the student's CPU time, exited processes included, where cpuacct
    # is a hierarchy of its own (where it is mounted with cpu, the cpu folder above has it)
    acct = CGROUP_ROOT / "cpuacct"
    if (acct / "cgroup.procs").exists() and not (CGROUP_ROOT / "cpu" / "cpuacct.usage").exists():
        with contextlib.suppress(OSError):
            (acct / GROUP / user).mkdir(parents=True, exist_ok=True)
            procs.append(acct / GROUP / user / "cgroup.procs")
    return CgroupSet(procs, done, "; ".join(problems))


def cpu_seconds(user: str) -> float | None:
    """CPU time (user + system) used so far by everything in ``user``'s cgroup, exited processes
    included (cgroup v1 ``cpuacct.usage``, v2 ``cpu.stat``); None where there is none."""
    v2 = _v2_root()
    if v2 is not None:
        with contextlib.suppress(OSError, ValueError):
            for line in (v2 / GROUP / user / "cpu.stat").read_text().splitlines():
                if line.startswith("usage_usec "):
                    return int(line.split()[1]) / 1e6
        return None
    for controller in ("cpuacct", "cpu"):
        with contextlib.suppress(OSError, ValueError):
            return int((CGROUP_ROOT / controller / GROUP / user / "cpuacct.usage").read_text()) / 1e9
    return None


def _make_v2(root: Path, user: str, limits: Limits) -> CgroupSet:
    parent = root / GROUP
    try:
        parent.mkdir(exist_ok=True)
        _write(root / "cgroup.subtree_control", "+memory +pids +cpu")
        _write(parent / "cgroup.subtree_control", "+memory +pids +cpu")
        folder = parent / user
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        return CgroupSet([], set(), f"cannot create cgroup v2 {parent}/{user} ({exc.strerror})")
    done = set()
    if _write(folder / "memory.max", str(limits.memory_bytes)):
        _write(folder / "memory.swap.max", "0")
        done.add("memory")
    if _write(folder / "pids.max", str(limits.procs)):
        done.add("pids")
    if _write(folder / "cpu.max", f"{int(limits.cpus * 100_000)} 100000"):
        done.add("cpu")
    return CgroupSet([folder / "cgroup.procs"], done, "")


# --------------------------------------------------------------------------- in the child

_CLONE_NEWNS = 0x00020000
_MS_NOSUID, _MS_NODEV, _MS_REC, _MS_PRIVATE = 0x2, 0x4, 0x4000, 0x40000
_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _private_shm(size: int) -> None:
    """A mount namespace of its own with a ``size``-byte tmpfs on /dev/shm (as root)."""
    if _libc.unshare(_CLONE_NEWNS) != 0:
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNS)")
    if _libc.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None) != 0:
        raise OSError(ctypes.get_errno(), "mount --make-rprivate /")
    opts = f"size={size},mode=1777".encode()
    if _libc.mount(b"tmpfs", b"/dev/shm", b"tmpfs", _MS_NOSUID | _MS_NODEV, opts) != 0:
        raise OSError(ctypes.get_errno(), "mount tmpfs /dev/shm")


def preexec(limits: Limits, cgroups: CgroupSet):
    """The part of the spawner's ``preexec_fn`` that runs as root, before the switch to the
    student: join the cgroups, make /dev/shm private and small, set the rlimits."""

    def apply() -> None:
        pid = str(os.getpid())
        for procs in cgroups.procs_files:
            with contextlib.suppress(OSError):
                procs.write_text(pid)
        _private_shm(limits.shm_bytes)
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.procs, limits.procs))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
        if "memory" not in cgroups.limits:  # per process only: weaker than the cgroup
            cap = max(limits.memory_bytes, 4096 * MiB)
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    return apply


def remove_cgroups(user: str, attempts: int = 50) -> None:
    """Remove the student's cgroup folders (once their processes have exited); needs root."""
    import time

    folders = [CGROUP_ROOT / c / GROUP / user for c in ("memory", "pids", "cpu", "cpuacct")]
    v2 = _v2_root()
    if v2 is not None:
        folders.append(v2 / GROUP / user)
    for folder in folders:
        for _ in range(attempts):
            try:
                folder.rmdir()
                break
            except FileNotFoundError:
                break
            except OSError:  # EBUSY: a process is still exiting
                time.sleep(0.1)
