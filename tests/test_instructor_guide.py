"""The 90-minute plan in docs/instructor_guide.md adds up and holds what issue 27 asks for."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GUIDE = (REPO / "docs" / "instructor_guide.md").read_text(encoding="utf-8")


def _plan() -> list[tuple[int, int, int, str]]:
    section = GUIDE.split("## Timed plan (90 minutes)", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\d+)-(\d+) \| (\d+) \| ([^|]+)\|", section, re.M)
    return [(int(a), int(b), int(m), step.strip()) for a, b, m, step in rows]


def test_the_timed_plan_fits_ninety_minutes_without_gaps():
    plan = _plan()
    assert len(plan) >= 8
    assert plan[0][0] == 0 and plan[-1][1] == 90
    for (a, b, m, step), nxt in zip(plan, [*plan[1:], None], strict=True):
        assert b - a == m, f"{step}: {a}-{b} is not {m} minutes"
        if nxt is not None:
            assert nxt[0] == b, f"gap or overlap after {step}"
    assert sum(m for _, _, m, _ in plan) == 90


def test_the_plan_holds_the_seminar_s_parts():
    steps = " ".join(s.lower() for *_, s in _plan())
    for part in (
        "round 1",
        "round 2",
        "debrief",
        "key assumptions",
        "competing hypotheses",
        "decomposition",
        "homework",
    ):
        assert part in steps, part
    assert "white cell" in GUIDE.lower() and "docs/roles/" in GUIDE
    assert "## Scripted debrief" in GUIDE


def test_the_guide_prints_the_walk_away_points_it_quotes():
    from s400lab.analysis.bargain import bargain_range
    from s400lab.model import Scenario

    quoted = re.search(r"attrition (\d+) % / (\d+) %, ceasefire (\d+) % / (\d+) %", GUIDE)
    assert quoted, "the guide quotes both rounds' walk-away points"
    now = []
    for course in ("attrition", "ceasefire"):
        r = bargain_range(Scenario.preset("full_return_cash").with_changes(war_course=course))
        now += [round(100 * r.tr_min_share), round(100 * r.ru_max_share)]
    assert [int(x) for x in quoted.groups()] == now
