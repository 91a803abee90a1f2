"""The middle options run side by side (issue 27 item 2): every middle option under each reading
of its legal switch. The options, their presets and their verdicts live in
:mod:`s400lab.model.middle`; running them is analysis (it calls the model's API).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from s400lab.model.api import run
from s400lab.model.core import MIDDLE_ACTIONS
from s400lab.model.middle import MIDDLE_PRESETS, OUTCOMES_SHOWN
from s400lab.model.scenario import Scenario

__all__ = ["readings_side_by_side"]


def readings_side_by_side(outcomes: list[str] | None = None, base: Any = None) -> pd.DataFrame:
    """Every middle option under each reading of its legal switch (central runs).

    Parameters
    ----------
    outcomes : list of str, optional
        Outcome names (default :data:`OUTCOMES_SHOWN`).
    base : s400lab.model.Scenario, optional
        Values to start from (default: the defaults); the option and the reading are set on it.

    Returns
    -------
    pandas.DataFrame
        One row per (option, reading): columns ``option``, ``preset``, ``switch``, ``reading``,
        then one column per outcome.
    """
    names = list(OUTCOMES_SHOWN if outcomes is None else outcomes)
    rows = []
    for action, preset in MIDDLE_PRESETS.items():
        switch = MIDDLE_ACTIONS[action]
        sc = Scenario.preset(preset) if base is None else base.with_changes(tr_action=action)
        for reading, s in sc.readings(switch).items():
            out = run(s).raw_outcomes
            rows.append(
                {
                    "option": action,
                    "preset": preset,
                    "switch": switch,
                    "reading": reading,
                    **{k: float(out[k]) for k in names},
                }
            )
    return pd.DataFrame(rows)
