"""Temporary alias of :mod:`s400lab.model.scenario_io` (scenario files moved to the model layer).

Only ``s400lab.ui.explorer`` still imports this name; it is being edited on another branch.
Remove this module once its imports read ``from s400lab.model.scenario_io import ...``.
"""

from s400lab.model.scenario_io import (
    load_scenario,
    save_scenario,
    scenario_from_dict,
    scenario_to_dict,
)

__all__ = ["load_scenario", "save_scenario", "scenario_from_dict", "scenario_to_dict"]
