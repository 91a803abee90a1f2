"""The classroom load test's smoke round: ``classroom/bench.py`` with K = 2, in ``make test``.

Two students' servers are started before they arrive (``hubctl.py prespawn``, as the docs tell
instructors to), then both log in at once on a throw-away hub, land on the explorer, choose a
preset, press two keys and submit a forecast each, driven by the same code as ``make bench-classroom`` and the
same browser harness as the browser tests (``tests/_browser.py``). Asserted: every student
reached every step, every forecast is in the instructor's merge, and each student's landing page
took the explorer kernel preheated in their server. The timings are printed,
never asserted (speed belongs to the benchmark).
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.classroom, pytest.mark.timeout(900)]


def test_two_students_reach_every_step_and_every_forecast_is_merged(hub_runs_here):
    pytest.importorskip("playwright.async_api")
    import bench  # classroom/bench.py (classroom/ is on sys.path: conftest.py)
    import hubctl
    from throwaway_hub import throwaway_hub

    with throwaway_hub("s4k", ["a", "b"], start_timeout=120, cull_timeout=600) as (hub, members):
        names = [m.name for m in members if m.role == "student"]
        runs, row = bench.measure_round(
            hub,
            names,
            hubctl.read_passwords(hub.state),
            presses=1,  # + the warm-up press: two key presses
            nb_text=bench.submit_notebook(),
            deadline_s=600,
            arrive_within=5,
            prespawn=2,
        )
        print("\n" + bench.table([row]))
        for run in runs:
            assert run.errors == [], (run.name, run.errors, hub.log_tail())
            assert run.reached == list(bench.STEPS), run.name
            assert run.login_to_widget is not None and run.preset_s is not None and len(run.key_s) == 1
        assert row["submitted"] == 2 and row["merged"] == 2, row["missing"]
        assert row["prespawn_s"] > 0  # the servers were started before the students arrived
        # no login waited for a spawn: both servers were already running
        assert "is pending spawn" not in hub.log_tail(100_000)
        # each landing page took its server's preheated explorer kernel (classroom/singleuser/warm_kernels.py)
        assert hub.log_tail(100_000).count("Using pre-heated kernel") >= 2
