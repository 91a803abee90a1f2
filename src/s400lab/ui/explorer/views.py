"""The three views from the state, as pictures with their text (widget-free).

:func:`update_views` hands the live run to the views of :mod:`s400lab.plots.explorer` (created
once, updated in place) and says which changed; :func:`view_pictures` renders only those to
PNG and returns each view's HTML (the picture at its pixel size and the text over it).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from s400lab.ui.explorer.texts import INDIA_DATES, MILESTONES, figure_html, india_labels, track_note

__all__ = ["update_views", "view_pictures"]


def update_views(
    figure: Any, live: Any, base: Any, values: dict, horizon: tuple[float, float], compare: bool
) -> dict:
    """Update the three views of ``figure`` for ``live`` (and the status quo ``base`` when
    ``compare``); return ``{view: changed}``."""
    res = live.result
    t0, t1 = horizon
    figure.set_horizon(t0, t1)
    ro, bo = res.raw_outcomes, base.result.raw_outcomes
    stock = np.asarray(res.raw_series["ru_stock"], dtype=float)
    t = t0 + 0.25 * np.arange(stock.size)
    diff_band = live.difference_band(base, "ru_stock") if compare and "ru_stock" in base.series else None

    from s400lab.plots.explorer.labels import refusal_text  # matplotlib is loaded by now

    ask = (
        float(values.get("compensation_share", 0.0))
        if values.get("compensation_form", "none") != "none"
        else 0.0
    )
    note = track_note(ro)
    return {
        "stock": figure.stock.update(
            t,
            stock,
            np.full(stock.size, float(values["home_requirement_bn"])),
            baseline=np.asarray(base.result.raw_series["ru_stock"], dtype=float) if compare else None,
            band=live.band("ru_stock"),
            diff_band=diff_band,
            refused=refusal_text(ro, ask),
        ),
        "india": figure.india.update(
            india_labels(ro),
            [values["india_promise_sq4"], values["india_promise_sq5"]],
            [ro["india_sq4_q"], ro["india_sq5_q"]],
            baseline=[bo["india_sq4_q"], bo["india_sq5_q"]] if compare else None,
            chances=[live.chance(k) for k in INDIA_DATES],
            returned=ro.get("returned_india_q", float("nan"))
            if values.get("ru_use_returned") == "india"
            else float("nan"),
        ),
        # the US track told straight: each milestone at the median of the draws that reach
        # it, with the chance of reaching it (the single run's dates are the modes of the
        # durations and never blocked: "if not blocked" in the outcomes table)
        "track": figure.track.update(
            list(MILESTONES.values()),
            [live.median(k) for k in MILESTONES],
            note=note,
            good=note == "legal conditions met",
            baseline=[base.median(k) for k in MILESTONES] if compare else None,
            chances=[live.chance(k) for k in MILESTONES],
        ),
    }


def view_pictures(figure: Any, changed: dict, png: dict[str, bytes]) -> dict[str, str]:
    """Render the changed views (and any never rendered) into ``png``; their HTML by name."""
    pictures = {}
    for name, did in changed.items():
        if did or not png[name]:
            panel = figure.panels[name]
            png[name] = panel.png()
            pictures[name] = figure_html(name, png[name], panel.size_px, panel.labels)
    return pictures
