"""One shape and vocabulary for every panel (docs/architecture.md, "UI panels").

Each panel is an ``ipywidgets.VBox`` subclass shown by itself (no ``.widget``), with
``busy`` (bool, False at rest), ``n_redraws`` (int) and ``last_error`` (the message shown,
a str, or None). Each case builds a panel, checks the attributes at rest, makes one action
fail and checks that ``last_error`` is the message as text.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets
import pytest

#: Names the convention replaced (``_hold``/``_suspend`` -> busy, ``redraws`` -> n_redraws).
OLD_NAMES = ("widget", "redraws", "_hold", "_suspend")


def _explorer(tmp_path, questions, monkeypatch):
    import s400lab.ui.explorer as mod

    panel = mod.ScenarioExplorer()

    def fail():
        monkeypatch.setattr(
            mod.state, "run", lambda sc: (_ for _ in ()).throw(RuntimeError("model exploded"))
        )
        panel.controls["return_quarter"].value = 7
        return "model exploded"

    return panel, fail


def _tradeoffs(tmp_path, questions, monkeypatch):
    import pandas as pd

    from s400lab.analysis.tradeoffs import Criterion
    from s400lab.ui.tradeoffs import TradeoffExplorer

    crit = [
        Criterion("cost", "Turkiye", "cost", "x", "lower"),
        Criterion("speed", "India", "speed", "y", "higher"),
    ]
    matrix = pd.DataFrame({"cost": [10.0, 20.0], "speed": [1.0, 5.0]}, index=["A", "B"])
    panel = TradeoffExplorer(matrix, None, crit, n_robust=100)

    def fail():
        panel.set_weights({"cost": 0, "speed": 0})
        return "positive"

    return panel, fail


def _timeline(tmp_path, questions, monkeypatch):
    import s400lab.ui.timeline as mod
    from tests.ui.test_timeline_explorer import dataset

    panel = mod.TimelineExplorer(dataset())

    def fail():
        monkeypatch.setattr(
            mod, "plot_timeline", lambda *a, **k: (_ for _ in ()).throw(ValueError("no axes"))
        )
        panel.redraw()
        return "Could not redraw: ValueError('no axes')"

    return panel, fail


def _uncertainty(tmp_path, questions, monkeypatch):
    from s400lab.ui.uncertainty import UncertaintyPanel

    panel = UncertaintyPanel(n=1_000, run_now=True)

    def fail():
        panel.load_file(str(tmp_path / "missing.json"))
        return "missing.json"

    return panel, fail


def _forecast_form(tmp_path, questions, monkeypatch):
    from s400lab.ui.forecast import ForecastForm

    panel = ForecastForm(questions, directory=tmp_path)

    def fail():
        panel.submit()  # no student id
        return "Not saved"

    return panel, fail


def _class_results(tmp_path, questions, monkeypatch):
    from s400lab.ui.forecast import ClassResults

    panel = ClassResults(tmp_path, questions)

    def fail():
        (tmp_path / "ana.jsonl").write_text("{not json\n", encoding="utf-8")
        panel.refresh()
        return "ana.jsonl"

    return panel, fail


def _classroom_results(tmp_path, questions, monkeypatch):
    import s400lab.ui.classroom as mod

    panel = mod.ClassroomResults(tmp_path, questions, check_owner=False)

    def fail():
        def unreadable(*args, **kwargs):
            raise PermissionError("drop box unreadable")

        monkeypatch.setattr(mod.cls, "collect_submissions", unreadable)
        panel.refresh()
        return "drop box unreadable"

    return panel, fail


def _class_form(tmp_path, questions, monkeypatch):
    from s400lab.ui.classroom import ClassForecastForm

    panel = ClassForecastForm(questions, directory=tmp_path, student_id="ana")

    def fail():
        panel.directory = tmp_path / "gone"
        panel.submit()
        return "Not submitted"

    return panel, fail


CASES = [
    pytest.param(_explorer, id="ScenarioExplorer"),
    pytest.param(_tradeoffs, id="TradeoffExplorer"),
    pytest.param(_timeline, id="TimelineExplorer"),
    pytest.param(_uncertainty, id="UncertaintyPanel"),
    pytest.param(_forecast_form, id="ForecastForm"),
    pytest.param(_class_results, id="ClassResults"),
    pytest.param(_classroom_results, id="ClassroomResults"),
    pytest.param(_class_form, id="ClassForecastForm"),
]


@pytest.mark.parametrize("build", CASES)
def test_every_panel_has_the_one_shape(build, tmp_path, questions, monkeypatch):
    panel, fail = build(tmp_path, questions, monkeypatch)
    assert isinstance(panel, widgets.VBox)
    assert [name for name in OLD_NAMES if hasattr(panel, name)] == []
    assert panel.busy is False
    assert isinstance(panel.n_redraws, int) and panel.n_redraws >= 0
    assert panel.last_error is None
    expected = fail()
    assert isinstance(panel.last_error, str) and expected in panel.last_error, panel.last_error
    assert panel.busy is False  # a failure does not leave the panel busy
