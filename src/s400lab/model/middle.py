"""The middle options (issue 27 item 2): custody, relocation, stand-alone use, joint control.

Between keeping the S-400s and handing them back, four arrangements have been floated: US-
supervised custody, relocation abroad under another state's control (as Cyprus's S-300s went to
Crete), stand-alone use under verification, and joint control. Each is a value of the lever
``tr_action`` and a preset (``custody_us``, ``relocation_abroad``, ``standalone_verified``,
``joint_control``). Whether it counts as Turkiye "no longer possessing" the S-400 under FY2021
NDAA s.1241 and FY2020 NDAA s.1245 is not settled: each option has its own evidence switch
(``legal_reading_<option>``: ``counts`` / ``does_not_count``, sourced in the register), and the
reading, not the option, decides whether the US track starts (:mod:`s400lab.model.core`,
section 6). What leaves Turkiye's holding follows the option (section 1): under custody and
relocation the units leave its active holding but never go to Russia; under stand-alone use and
joint control they stay.

:func:`s400lab.analysis.middle.readings_side_by_side` runs every middle option under both readings
of its switch (in the analysis layer: it runs the model).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from s400lab.model.core import MIDDLE_ACTIONS, MIDDLE_MOVING

__all__ = ["MIDDLE_PRESETS", "OUTCOMES_SHOWN", "verdict_text"]

#: Middle option (``tr_action``) -> its preset in data/scenarios.csv.
MIDDLE_PRESETS: dict[str, str] = {
    "custody": "custody_us",
    "relocation": "relocation_abroad",
    "standalone_verified": "standalone_verified",
    "joint_control": "joint_control",
}

#: The outcomes :func:`s400lab.analysis.middle.readings_side_by_side` shows by default.
OUTCOMES_SHOWN = (
    "legal_conditions_met",
    "battalions_divested",
    "returned_to_russia",
    "sanctions_lifted_q",
    "f35_readmission_q",
    "ru_stock_end",
    "ru_objects",
    "tr_net_usd_bn",
    "sig_nato_integration",
    "alliance_score",
)

_WHAT = {
    "custody": "Turkiye hands its S-400s into US-supervised custody and keeps title",
    "relocation": "Turkiye moves its S-400s abroad, under another state's control, and keeps title",
    "standalone_verified": "Turkiye keeps its S-400s and uses them stand-alone under verification",
    "joint_control": "Turkiye keeps its S-400s under a joint control mechanism",
}


def verdict_text(values: Mapping[str, Any]) -> str:
    """The legal verdict of a middle option in words, naming the reading it rests on."""
    action = values["tr_action"]
    switch = MIDDLE_ACTIONS[action]
    reading = values.get(switch, "does_not_count")
    where = (
        "The units leave Turkiye's active holding but do not go to Russia."
        if action in MIDDLE_MOVING
        else "The units stay in Turkiye."
    )
    law = (
        "FY2021 NDAA s.1241 and FY2020 NDAA s.1245 (Turkiye, or anyone on its behalf, "
        "no longer possesses the S-400)"
    )
    if reading == "counts":
        return (
            f"Legal conditions met only under a contested reading: {_WHAT[action]}. {where} "
            f"Under the reading '{switch} = counts' this satisfies {law}, so sanctions relief and "
            "F-35 readmission can follow (they still take time and can be held by Congress); "
            "under 'does_not_count' they would not. Compare both readings side by side."
        )
    return (
        f"Legal conditions NOT met under the reading '{switch} = does_not_count': {_WHAT[action]}. "
        f"{where} Read this way it does not satisfy {law}, so CAATSA sanctions stay and there is "
        "no F-35 readmission; under 'counts' they could follow. Compare both readings side by side."
    )
