"""Password checks for the classroom hub that neither stall the hub nor tell names apart.

:class:`LoginGuard` is what :class:`roster_auth.RosterAuthenticator` asks (standard library
only, so it is tested without a hub):

* **off the event loop**: scrypt (~15-50 ms, 16 MiB) runs in a thread pool
  (``run_in_executor``); the hub's single event loop keeps serving other requests meanwhile;
* **no user enumeration by timing**: a name that is not on the roster is checked against a
  dummy hash made at start-up with the same parameters, so a wrong name costs what a wrong
  password costs, and both answers are the same "Invalid username or password";
* **rate limiting with back-off**: after ``free_failures`` failed logins for one
  (name, client address) pair within ``window`` seconds, further attempts for that pair are
  refused *without checking the password* until a back-off has passed; the back-off doubles
  with each further failure from ``base_delay`` up to ``max_delay``. The same applies per
  client address across all names (``free_failures_per_address``), so one machine cannot
  try a password on every name. A successful login clears its pair. Refused attempts are
  logged with the name and the address.

Everything is in memory (a hub restart clears it) and bounded (``max_entries``).
"""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from passwords import check_password, hash_password

__all__ = ["LoginGuard", "Verdict"]


@dataclass
class _Failures:
    count: int = 0
    first: float = 0.0
    until: float = 0.0  # refused without a check before this time


@dataclass(frozen=True)
class Verdict:
    """The answer to one login attempt: ``ok``, or why not (``"wrong"``, ``"locked"``)."""

    ok: bool
    reason: str = ""
    retry_after: float = 0.0


class LoginGuard:
    """Check roster passwords with rate limiting, off the event loop, in constant work.

    Parameters
    ----------
    records : callable
        Returns ``{name: {salt, hash}}`` (re-read at each attempt: a restart is not needed
        when hubctl adds a user).
    clock : callable, default :func:`time.monotonic`
        Seconds; tests pass a fake clock.
    """

    def __init__(
        self,
        records: Callable[[], dict],
        *,
        free_failures: int = 5,
        free_failures_per_address: int = 50,
        window: float = 900.0,
        base_delay: float = 2.0,
        max_delay: float = 300.0,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.records = records
        self.free_failures, self.free_failures_per_address = free_failures, free_failures_per_address
        self.window, self.base_delay, self.max_delay = window, base_delay, max_delay
        self.max_entries, self.clock = max_entries, clock
        self._dummy = hash_password(secrets.token_urlsafe(16))
        self._failures: OrderedDict[tuple, _Failures] = OrderedDict()
        self._lock = threading.Lock()
        self.checks = 0  # passwords actually hashed (tests)

    # ------------------------------------------------------------------ limiter
    def _entry(self, key: tuple) -> _Failures:
        now = self.clock()
        entry = self._failures.get(key)
        if entry is None or now - entry.first > self.window and now >= entry.until:
            entry = _Failures(first=now)
            self._failures[key] = entry
        self._failures.move_to_end(key)
        while len(self._failures) > self.max_entries:
            self._failures.popitem(last=False)
        return entry

    def _locked(self, keys: list[tuple]) -> float:
        now = self.clock()
        return max(
            (e.until - now for k in keys if (e := self._failures.get(k)) and e.until > now), default=0.0
        )

    def _fail(self, key: tuple, free: int) -> None:
        entry = self._entry(key)
        entry.count += 1
        over = entry.count - free + 1  # the free_failures-th failure starts the back-off
        if over > 0:
            entry.until = self.clock() + min(self.max_delay, self.base_delay * 2 ** (over - 1))

    # ------------------------------------------------------------------ check
    def _check(self, name: str, password: str) -> bool:
        record = self.records().get(name)
        self.checks += 1
        # the same scrypt work whether or not the name exists (no enumeration by timing)
        good = check_password(password, record if record is not None else self._dummy)
        return good and record is not None and bool(password)

    async def check(self, name: str, password: str, address: str = "") -> Verdict:
        """Check one login attempt; the hashing runs in the default thread pool."""
        keys = [("name", name, address), ("address", address)]
        with self._lock:
            wait = self._locked(keys)
        if wait > 0:
            return Verdict(False, "locked", wait)
        loop = asyncio.get_running_loop()
        ok = await loop.run_in_executor(None, self._check, name, password)
        with self._lock:
            if ok:
                self._failures.pop(keys[0], None)
                return Verdict(True)
            self._fail(keys[0], self.free_failures)
            self._fail(keys[1], self.free_failures_per_address)
        return Verdict(False, "wrong")
