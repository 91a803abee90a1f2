"""Headless tests of the forecasting widgets (no browser)."""

from __future__ import annotations

from datetime import UTC, datetime

import matplotlib

matplotlib.use("Agg")

import pytest

from s400lab.analysis import forecasting as fc
from s400lab.ui.forecast import ClassResults, ForecastForm

T0 = datetime(2026, 11, 20, 12, tzinfo=UTC)


def test_form_offers_open_questions_escaped(tmp_path, questions):
    form = ForecastForm(questions, directory=tmp_path)
    assert [v for _, v in form._question.options] == ["q-open"]
    assert "&lt;b&gt;it&lt;/b&gt;" in form._details.value
    assert "<b>it</b>" not in form._details.value


def test_form_saves_and_rejects(tmp_path, questions):
    form = ForecastForm(questions, directory=tmp_path, student_id="ana")
    form._probability.value = 0.73
    form._rationale.value = "base rate"
    f = form.submit(timestamp=T0)
    assert f is not None and f.probability == pytest.approx(0.73)
    saved = fc.read_forecasts(tmp_path / "ana.jsonl")
    assert saved["probability"].tolist() == [pytest.approx(0.73)]
    assert "Saved" in form._status.value and "q-open" in form._history.value
    form._student.value = "not valid!"
    assert form.submit(timestamp=T0) is None
    assert "Not saved" in form._status.value and "student_id" in form._status.value
    assert len(fc.read_forecasts(tmp_path / "ana.jsonl")) == 1


def test_class_results_scores_hypothetical(tmp_path, questions):
    for sid, p in [("ana", 0.7), ("bo", 0.2)]:
        fc.append_forecast(fc.forecast_path(sid, tmp_path), fc.make_forecast(sid, "q-open", p, timestamp=T0))
    view = ClassResults(tmp_path, questions, outcomes={"q-open": 1})
    assert view.scores.loc["ana", "mean_brier"] == pytest.approx(0.09)
    assert view.scores.loc["bo", "mean_brier"] == pytest.approx(0.64)
    assert "Hypothetical" in view._message.value
    (tmp_path / "bad.jsonl").write_text("oops\n", encoding="utf-8")
    view.refresh()
    assert "bad.jsonl" in view._message.value and "line 1" in view._message.value


def test_class_results_empty_folder(tmp_path, questions):
    view = ClassResults(tmp_path, questions)
    assert view.scores.empty and view._message.value.startswith("0 forecasts")


def test_class_results_chart_is_a_png_image(tmp_path, questions):
    """Not an Output widget + display(fig): that shows only "<Figure size ...>" when the
    kernel's matplotlib backend is not the inline one."""
    import ipywidgets as widgets

    fc.append_forecast(
        fc.forecast_path("ana", tmp_path), fc.make_forecast("ana", "q-open", 0.7, timestamp=T0)
    )
    view = ClassResults(tmp_path, questions, outcomes={"q-open": 1})
    assert isinstance(view._plot, widgets.Image) and view._plot.value[:4] == b"\x89PNG"
    (tmp_path / "none").mkdir()
    empty = ClassResults(tmp_path / "none", questions)
    assert empty._plot.value == b"" and empty._plot.layout.display == "none"
