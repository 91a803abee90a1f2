"""Dashboard start: in a kernel the explorer shows its controls first and draws the views just
after the cell has run (the first run imports matplotlib and scipy and samples the draws);
anything that needs the results starts it at once; outside a kernel it starts at once."""

from __future__ import annotations

import asyncio

from s400lab.ui.explorer import ScenarioExplorer


def test_outside_an_event_loop_it_is_ready_at_once():
    ex = ScenarioExplorer(n_draws=50)
    assert ex._started and ex.recomputes == 1 and all(ex.png.values())


def test_in_a_kernel_the_controls_come_first_and_the_views_follow():
    async def dashboard():
        ex = ScenarioExplorer(preset="full_return_cash", n_draws=50)
        # the cell has run: controls exist with the preset's values, no model run yet
        assert not ex._started and ex.recomputes == 0
        assert ex.controls["tr_action"].value == "return_full"
        assert all("Drawing the view" in box.value for box in ex.overlays.values())
        for _ in range(200):  # the kernel's loop runs the deferred steps
            await asyncio.sleep(0.01)
            if ex._started:
                break
        return ex

    ex = asyncio.run(dashboard())
    assert ex._started and ex.recomputes == 1 and ex.last_error is None
    assert all(ex.png.values()) and "data:image/png" in ex.overlays["track"].value
    assert ex.state.live_engine.samplings == 1  # the warm-up's draws are the first run's


def test_in_a_kernel_asking_for_results_starts_it_at_once():
    async def use_right_away():
        ex = ScenarioExplorer(preset="full_return_cash", n_draws=50)
        sanctions = ex.result.raw_outcomes["sanctions_lifted_q"]  # no await: starts now
        assert ex._started and ex.recomputes == 1
        ex.controls["return_quarter"].value = ex.controls["return_quarter"].value + 1
        assert ex.recomputes == 2 and ex.result.raw_outcomes["sanctions_lifted_q"] == sanctions + 0.25
        await asyncio.sleep(0.2)  # the scheduled start finds it started: nothing runs twice
        return ex

    ex = asyncio.run(use_right_away())
    assert ex.recomputes == 2 and ex.state.live_engine.samplings == 1


def test_a_failing_warm_up_still_draws_the_views_and_shows_the_error(monkeypatch):
    from s400lab.analysis.live import LiveEnsemble

    def broken(self, sc):
        raise RuntimeError("sampling exploded")

    async def dashboard():
        ex = ScenarioExplorer(n_draws=50)
        monkeypatch.setattr(LiveEnsemble, "draws", broken)
        monkeypatch.setattr(LiveEnsemble, "_draw_arrays", broken)
        for _ in range(200):
            await asyncio.sleep(0.01)
            if ex._started:
                break
        return ex

    ex = asyncio.run(dashboard())
    assert ex._started and "sampling exploded" in ex.message.value  # said, not a dead widget
