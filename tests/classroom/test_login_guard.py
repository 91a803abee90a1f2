"""Logins on the classroom hub (issue 20): back-off after repeated failures, hashing off the
event loop, no user enumeration by timing. No hub and no root needed."""

from __future__ import annotations

import asyncio
import statistics
import threading
import time

import login_guard
import pytest
from passwords import hash_password

RECORDS = {"ana": hash_password("right-horse-battery")}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _guard(**kw):
    return login_guard.LoginGuard(lambda: RECORDS, **kw)


def test_fifty_wrong_passwords_are_slowed_then_refused_without_a_check():
    clock = Clock()
    guard = _guard(clock=clock)

    async def attack():
        return [await guard.check("ana", f"guess{i}", "10.0.0.9") for i in range(50)]

    verdicts = asyncio.run(attack())
    assert [v.reason for v in verdicts[:5]] == ["wrong"] * 5
    assert all(v.reason == "locked" and v.retry_after > 0 for v in verdicts[5:])
    assert guard.checks == 5  # 45 attempts never reached scrypt
    # even the right password waits out the back-off...
    assert asyncio.run(guard.check("ana", "right-horse-battery", "10.0.0.9")).reason == "locked"
    # ...which grows with every further failure (2 s, 4 s, ...; at most max_delay)
    clock.now += 2.1
    assert asyncio.run(guard.check("ana", "guess", "10.0.0.9")).reason == "wrong"
    wait = asyncio.run(guard.check("ana", "right-horse-battery", "10.0.0.9")).retry_after
    assert 2.0 < wait <= 4.0
    clock.now += wait + 0.1
    assert asyncio.run(guard.check("ana", "right-horse-battery", "10.0.0.9")).ok
    # a success clears the name's failures
    assert asyncio.run(guard.check("ana", "wrong", "10.0.0.9")).reason == "wrong"


def test_one_address_trying_every_name_is_slowed_too():
    guard = _guard(clock=Clock(), free_failures_per_address=10)

    async def spray():
        return [await guard.check(f"user{i}", "123456", "10.0.0.7") for i in range(30)]

    verdicts = asyncio.run(spray())
    assert sum(v.reason == "wrong" for v in verdicts) == 10
    assert guard.checks == 10
    # another address is not affected
    assert asyncio.run(guard.check("ana", "right-horse-battery", "10.0.0.8")).ok


def test_hashing_runs_off_the_event_loop(monkeypatch):
    seen = []
    real = login_guard.check_password

    def spy(password, record):
        seen.append(threading.get_ident())
        return real(password, record)

    monkeypatch.setattr(login_guard, "check_password", spy)
    guard = _guard()

    async def main():
        loop_thread = threading.get_ident()
        ticks = 0

        async def ticker():
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0)

        task = asyncio.create_task(ticker())
        verdict = await guard.check("ana", "right-horse-battery", "a")
        task.cancel()
        return loop_thread, verdict, ticks

    loop_thread, verdict, ticks = asyncio.run(main())
    assert verdict.ok and seen and all(t != loop_thread for t in seen)
    assert ticks > 1  # the loop ran other work while the password was hashed


def test_unknown_and_known_names_take_the_same_work():
    """No enumeration by timing: an unknown name is hashed against a dummy. Compared as
    distributions of interleaved attempts (medians within a factor 1.5 of each other; before,
    an unknown name answered ~1000x faster than a known one)."""
    guard = _guard(free_failures=10**6, free_failures_per_address=10**6)
    known, unknown = [], []

    async def measure():
        for i in range(30):
            for name, out in (("ana", known), ("nobody-here", unknown)):
                t = time.perf_counter()
                verdict = await guard.check(name, f"wrong{i}", "a")
                out.append(time.perf_counter() - t)
                assert verdict.reason == "wrong"

    asyncio.run(measure())
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 1 / 1.5 < ratio < 1.5, (statistics.median(unknown), statistics.median(known))
    assert guard.checks == 60


@pytest.mark.parametrize("password", ["", "right-horse-battery "])
def test_empty_or_near_passwords_fail(password):
    assert not asyncio.run(_guard().check("ana", password, "a")).ok
