"""Answer-key numbers, computed the way the notebooks compute them.

The worked answers in ``notebooks/solutions/*.md`` cite model numbers. Each cited number is
written as ``<!--k:NAME-->VALUE<!--/k-->`` (the comment markers do not show when the Markdown
is rendered) and ``NAME`` is a key below: the notebook it comes from, the code in that notebook
that computes it (which must still appear in the notebook's source), and a function that
recomputes it with the same calls and formats it as printed in the key.

    python scripts/answer_keys.py            # list keys whose text no longer matches
    python scripts/answer_keys.py --write    # regenerate the numbers in the answer keys

``tests/test_answer_keys.py`` fails when a cited number no longer matches, when a marker names
an unknown key, or when the notebook no longer contains the code a key mirrors.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOLUTIONS = REPO / "notebooks" / "solutions"
MARKER = re.compile(r"<!--k:([a-z0-9_]+)-->(.*?)<!--/k-->", re.S)

ANKARA = {"tr_money": 8, "tr_f35": 10, "tr_moscow": 6, "nato_integration": 5}


@dataclass(frozen=True)
class Key:
    notebook: str  # file name under notebooks/
    code: str  # code the notebook runs to get the number (must appear in its source)
    compute: Callable[[], str]


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %"


def _quarter(x: float) -> str:
    from s400lab.model import quarter_label

    return quarter_label(x)


@cache
def _nb50():
    from s400lab.analysis import tradeoffs as tr

    matrix, units = tr.preset_matrix()
    scores = tr.normalise(matrix)
    worlds_matrix, _ = tr.world_matrix()
    return tr, matrix, scores, worlds_matrix


def _ankara_ranking():
    tr, _, scores, _ = _nb50()
    return tr.rank_options(scores, ANKARA)


def _ankara_nearby():
    tr, _, scores, _ = _nb50()
    return tr.weight_robustness(scores, n=4000, seed=1, around=ANKARA)


def _uniform():
    tr, _, scores, _ = _nb50()
    return tr.weight_robustness(scores, n=10_000, seed=1)


def _ankara_worlds():
    tr, _, _, wm = _nb50()
    return tr.world_wins(wm, ANKARA)


def _swap_ru_money() -> str:
    """The smallest weight on Russia's money (added to Ankara's) that changes Ankara's first."""
    tr, _, scores, _ = _nb50()
    first = tr.rank_options(scores, ANKARA).index[0]
    for k in range(1, 11):
        if tr.rank_options(scores, ANKARA | {"ru_money": k}).index[0] != first:
            return str(k)
    return "none up to 10"


def _first_for(stakeholder: str) -> str:
    from s400lab.analysis import tradeoffs as tr

    wide, _ = tr.preset_matrix(tr.ALL_CRITERIA)
    ranks = tr.rank_options(
        tr.normalise(wide, tr.ALL_CRITERIA), tr.stakeholder_weights(stakeholder, tr.ALL_CRITERIA, low=0)
    )
    return f"`{ranks.index[0]}`"


def _options() -> str:
    tr, matrix, _, _ = _nb50()
    return ", ".join(f"`{o}`" for o in matrix.index)


def _dominated() -> str:
    """Options beaten or equalled on every criterion by another, strictly on one."""
    _, _, scores, _ = _nb50()
    out = []
    for a in scores.index:
        for b in scores.index:
            if a != b and (scores.loc[b] >= scores.loc[a]).all() and (scores.loc[b] > scores.loc[a]).any():
                out.append(f"`{a}` by `{b}`")
                break
    return "; ".join(out)


@cache
def _ex4():
    from s400lab.model import Scenario, run

    mine = Scenario.preset("status_quo").with_changes(
        tr_action="return_full",
        return_quarter=4,
        compensation_form="energy_offset",
        compensation_share=0.5,
        ru_use_returned="home",
        us_response="standard",
    )
    return run(mine).raw_outcomes, run(Scenario.preset("status_quo")).raw_outcomes, mine


@cache
def _ex5(which: str):
    from s400lab.model import Scenario, run_ensemble

    sc = _ex4()[2] if which == "mine" else Scenario.preset("transfer_third_party")
    ens = run_ensemble(sc, n=2000, seed=1)
    return ens.probability("sanctions_lifted"), ens.probability("f35_delivered")


def _bargain(course: str) -> float:
    from s400lab.analysis.bargain import bargain_range
    from s400lab.model import Scenario

    return bargain_range(Scenario.preset("full_return_cash").with_changes(war_course=course)).ru_max_share


@cache
def _kac():
    from s400lab.analysis.sensitivity import model_tornado
    from s400lab.model import Scenario

    return model_tornado(Scenario.preset("full_return_cash"), "ru_max_share").head(5)


def _p_deal() -> str:
    from s400lab.model import Scenario, run_ensemble

    deal = Scenario.preset("full_return_cash").with_changes(p_war_ceasefire=0.25, p_war_escalation=0.25)
    return _pct(run_ensemble(deal, n=2000, seed=1).probability("deal_agreed"))


NB50, NB60 = "50_tradeoffs.ipynb", "60_seminar_exercises.ipynb"
KEYS: dict[str, Key] = {
    "nb60_kac_drivers": Key(
        NB60,
        'model_tornado(Scenario.preset("full_return_cash"), "ru_max_share").head(5)',
        lambda: ", ".join(f"`{n}`" for n in _kac()["name"]),
    ),
    "nb60_kac_top_high": Key(
        NB60,
        'model_tornado(Scenario.preset("full_return_cash"), "ru_max_share").head(5)',
        lambda: _pct(_kac()["y_high"].iloc[0]),
    ),
    "nb60_p_deal": Key(NB60, 'probability("deal_agreed")', _p_deal),
    "nb50_options": Key(NB50, "matrix, units = preset_matrix()", _options),
    "nb50_dominated": Key(NB50, "scores = normalise(matrix)", _dominated),
    "nb50_ankara_first": Key(NB50, "ankara = {", lambda: f"`{_ankara_ranking().index[0]}`"),
    "nb50_ankara_second": Key(NB50, "ankara = {", lambda: f"`{_ankara_ranking().index[1]}`"),
    "nb50_ankara_second_score": Key(NB50, "ankara = {", lambda: f"{_ankara_ranking()['score'].iloc[1]:.2f}"),
    "nb50_swap_ru_money": Key(NB50, "ankara = {", _swap_ru_money),
    "nb50_moscow_first": Key(
        NB50, "stakeholder_weights(who, ALL_CRITERIA, low=0)", lambda: _first_for("Russia")
    ),
    "nb50_uniform_first": Key(
        NB50, "robust = weight_robustness(scores, n=10_000, seed=1)", lambda: f"`{_uniform().index[0]}`"
    ),
    "nb50_uniform_first_share": Key(
        NB50,
        "robust = weight_robustness(scores, n=10_000, seed=1)",
        lambda: _pct(_uniform()["share_first"].iloc[0]),
    ),
    "nb50_uniform_sq_share": Key(
        NB50,
        "robust = weight_robustness(scores, n=10_000, seed=1)",
        lambda: _pct(_uniform().loc["status_quo", "share_first"]),
    ),
    "nb50_worlds_n": Key(NB50, "worlds_matrix, _ = world_matrix()", lambda: str(len(_nb50()[0].worlds()))),
    "nb50_ankara_worlds_cash": Key(
        NB50,
        "ankara_wins = world_wins(worlds_matrix, ankara)",
        lambda: f"{_ankara_worlds().loc['full_return_cash', 'wins']:g}",
    ),
    "nb50_ankara_worlds_low": Key(
        NB50,
        "ankara_wins = world_wins(worlds_matrix, ankara)",
        lambda: f"{_ankara_worlds().loc['full_return_low_refund', 'wins']:g}",
    ),
    "nb50_ankara_worst_cash": Key(
        NB50,
        "ankara_wins = world_wins(worlds_matrix, ankara)",
        lambda: f"{_ankara_worlds().loc['full_return_cash', 'worst_score']:.2f}",
    ),
    "nb50_ankara_worst_low": Key(
        NB50,
        "ankara_wins = world_wins(worlds_matrix, ankara)",
        lambda: f"{_ankara_worlds().loc['full_return_low_refund', 'worst_score']:.2f}",
    ),
    "nb60_ankara_nearby_first": Key(
        NB60,
        "weight_robustness(scores, n=4000, seed=1, around=ankara)",
        lambda: _pct(_ankara_nearby()["share_first"].iloc[0]),
    ),
    "nb60_ex4_sanctions": Key(
        NB60, "table = pd.DataFrame({", lambda: _quarter(_ex4()[0]["sanctions_lifted_q"])
    ),
    "nb60_ex4_f35": Key(NB60, "table = pd.DataFrame({", lambda: _quarter(_ex4()[0]["f35_first_delivery_q"])),
    "nb60_ex4_recovered": Key(
        NB60, "table = pd.DataFrame({", lambda: f"US${_ex4()[0]['tr_recovered_usd_bn']:.2f}bn"
    ),
    "nb60_ex4_stock": Key(NB60, "table = pd.DataFrame({", lambda: f"{_ex4()[0]['ru_stock_end']:.1f}"),
    "nb60_ex4_stock_sq": Key(NB60, "table = pd.DataFrame({", lambda: f"{_ex4()[1]['ru_stock_end']:.1f}"),
    "nb60_ex5_mine_sanctions": Key(NB60, "run_ensemble(sc, n=2000, seed=1)", lambda: _pct(_ex5("mine")[0])),
    "nb60_ex5_mine_f35": Key(NB60, "run_ensemble(sc, n=2000, seed=1)", lambda: _pct(_ex5("mine")[1])),
    "nb60_ex5_transfer_sanctions": Key(
        NB60, "run_ensemble(sc, n=2000, seed=1)", lambda: _pct(_ex5("transfer")[0])
    ),
    "nb60_ex5_transfer_f35": Key(NB60, "run_ensemble(sc, n=2000, seed=1)", lambda: _pct(_ex5("transfer")[1])),
    "nb60_ex10_attrition": Key(
        NB60, "judge_offer(deal, share, team=team)", lambda: _pct(_bargain("attrition"))
    ),
    "nb60_ex10_ceasefire": Key(
        NB60, "judge_offer(deal, share, team=team)", lambda: _pct(_bargain("ceasefire"))
    ),
    "nb60_ex10_escalation": Key(
        NB60, "judge_offer(deal, share, team=team)", lambda: _pct(_bargain("escalation"))
    ),
}


def cited(path: Path) -> list[tuple[str, str]]:
    """(key, text) for every marked number in an answer key, in order."""
    return [(m.group(1), m.group(2)) for m in MARKER.finditer(path.read_text(encoding="utf-8"))]


def answer_files() -> list[Path]:
    return sorted(SOLUTIONS.glob("*.md"))


def stale() -> list[str]:
    """One line per cited number that no longer matches (or names no key)."""
    problems = []
    for path in answer_files():
        for name, text in cited(path):
            if name not in KEYS:
                problems.append(f"{path.name}: unknown key {name!r}")
                continue
            now = KEYS[name].compute()
            if now != text:
                problems.append(f"{path.name}: {name} cites {text!r}, the notebook now gives {now!r}")
    return problems


def write() -> int:
    """Rewrite every marked number with its current value; return how many changed."""
    changed = 0
    for path in answer_files():
        old = path.read_text(encoding="utf-8")

        def sub(m: re.Match) -> str:
            nonlocal changed
            now = KEYS[m.group(1)].compute()
            changed += now != m.group(2)
            return f"<!--k:{m.group(1)}-->{now}<!--/k-->"

        new = MARKER.sub(sub, old)
        if new != old:
            path.write_text(new, encoding="utf-8")
    return changed


if __name__ == "__main__":
    if "--write" in sys.argv[1:]:
        print(f"{write()} number(s) regenerated")
    else:
        lines = stale()
        print("\n".join(lines) or "every cited number matches")
        sys.exit(1 if lines else 0)
