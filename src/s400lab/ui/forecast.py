"""Forecasting widgets: a student's forecast form and the instructor's class results.

:class:`ForecastForm` lets a student pick an open question, read its resolution criteria,
set a probability and a one-line rationale, and append the forecast to their own file
(``<directory>/<student_id>.jsonl``, append-only; see
:mod:`s400lab.analysis.forecasting`). :class:`ClassResults` merges a class's files and
shows Brier scores and a calibration chart. Logic lives in the analysis layer; this
module only wires widgets to it.
"""

from __future__ import annotations

import html
import io
import os
from datetime import datetime
from pathlib import Path

import ipywidgets as widgets
import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure

from s400lab.analysis import forecasting as fc
from s400lab.plots.seminar import plot_calibration, plot_student_scores
from s400lab.plots.style import PROJECTOR_RC
from s400lab.ui.panel import OK_STYLE, Panel

__all__ = ["ForecastForm", "ClassResults"]


def _question_html(q: pd.Series, qid: str) -> str:
    notes = f"<p><i>Background:</i> {html.escape(q['notes'])}</p>" if q["notes"] else ""
    return (
        f"<div style='max-width:60em;line-height:1.45'><p><b>{html.escape(q['question'])}</b><br>"
        f"<small>id <code>{html.escape(qid)}</code> - resolves on "
        f"{q['resolves_on'].isoformat()}</small></p>"
        f"<p><i>Resolution criteria:</i> {html.escape(q['resolution_criteria'])}</p>"
        f"{notes}</div>"
    )


class ForecastForm(Panel):
    """Form to record probability forecasts on the open questions.

    Parameters
    ----------
    questions : pandas.DataFrame, optional
        From :func:`s400lab.analysis.forecasting.load_questions` (default: the repository's).
    directory : path-like, default ``./forecasts``
        Where the student's file is written (created if missing).
    student_id : str, optional
        Pre-filled pseudonym.

    Attributes
    ----------
    last_forecast : Forecast or None
        The forecast saved by the last successful :meth:`submit`.
    busy, n_redraws, last_error
        The panel convention (:mod:`s400lab.ui.panel`): ``n_redraws`` counts refreshes of the
        student's list of forecasts, ``last_error`` is the message of the last failed save.
    """

    def __init__(
        self,
        questions: pd.DataFrame | None = None,
        directory: str | os.PathLike = fc.DEFAULT_FORECAST_DIR,
        student_id: str = "",
    ) -> None:
        self.questions = fc.load_questions() if questions is None else questions
        self.directory = Path(directory)
        self.last_forecast: fc.Forecast | None = None
        open_q = self.questions[self.questions["status"] == "open"]
        options = [
            (f"{row['resolves_on'].isoformat()} | {row['question']}", qid)
            for qid, row in open_q.sort_values("resolves_on").iterrows()
        ]
        self._student = widgets.Text(
            value=student_id, description="Your id", placeholder="pseudonym or initials"
        )
        self._question = widgets.Dropdown(
            options=options, description="Question", layout=widgets.Layout(width="95%")
        )
        self._details = widgets.HTML()
        self._probability = widgets.FloatSlider(
            value=0.5,
            min=0.0,
            max=1.0,
            step=0.01,
            description="P(yes)",
            readout_format=".0%",
            continuous_update=False,
            layout=widgets.Layout(width="60%"),
        )
        self._rationale = widgets.Textarea(
            description="Why?",
            placeholder="one or two sentences: base rate, evidence",
            layout=widgets.Layout(width="95%", height="4em"),
        )
        self._submit = widgets.Button(description="Save forecast", button_style="primary", icon="check")
        self._status = widgets.HTML()
        self._history = widgets.HTML()
        self._question.observe(self._show_question, names="value")
        self._student.observe(lambda _change: self._show_history(), names="value")
        self._submit.on_click(lambda _b: self.submit())
        super().__init__(
            [
                self._student,
                self._question,
                self._details,
                self._probability,
                self._rationale,
                widgets.HBox([self._submit, self._status]),
                self._history,
            ]
        )
        self._show_question()
        self._show_history()

    # ------------------------------------------------------------------ callbacks
    def _show_question(self, _change=None) -> None:
        qid = self._question.value
        self._details.value = (
            "<p>No open question.</p>" if qid is None else _question_html(self.questions.loc[qid], qid)
        )

    def _show_history(self) -> None:
        self._history.value = self._history_html()
        self.n_redraws += 1

    def _history_html(self) -> str:
        try:
            path = fc.forecast_path(self._student.value, self.directory)
        except fc.ForecastFileError:
            return ""
        if not path.exists():
            return "<small>No forecasts saved yet.</small>"
        try:
            df = fc.read_forecasts(path)
        except fc.ForecastFileError as exc:
            return self._fail(str(exc))
        view = df[["timestamp", "question_id", "probability", "rationale"]].copy()
        view["timestamp"] = view["timestamp"].dt.strftime("%Y-%m-%d %H:%M UTC")
        view["probability"] = (100 * view["probability"]).round().astype(int).astype(str) + " %"
        return "<b>Your forecasts (newest last)</b>" + view.to_html(index=False, escape=True, border=0)

    # ------------------------------------------------------------------ actions
    def submit(self, *, timestamp: datetime | None = None) -> fc.Forecast | None:
        """Validate and append the current forecast; show the result in the form.

        Parameters
        ----------
        timestamp : datetime, optional
            For tests; default now (UTC).

        Returns
        -------
        Forecast or None
            None if validation failed (the message is shown in the form).
        """
        try:
            f = fc.make_forecast(
                self._student.value.strip(),
                self._question.value,
                self._probability.value,
                timestamp=timestamp,
                rationale=self._rationale.value.strip(),
                questions=self.questions,
            )
            path = fc.forecast_path(f.student_id, self.directory)
            n = fc.append_forecast(path, f, questions=self.questions)
        except (fc.ForecastFileError, OSError) as exc:
            self._status.value = self._fail(f"Not saved: {exc}")
            return None
        self.last_forecast, self.last_error = f, None
        self._status.value = (
            f"<span style='{OK_STYLE}'>Saved {f.probability:.0%} on "
            f"{html.escape(f.question_id)} ({n} forecasts in "
            f"{html.escape(str(path))}).</span>"
        )
        self._rationale.value = ""
        self._show_history()
        return f


class ClassResults(Panel):
    """Instructor view: merge a folder of forecast files, score and chart them.

    Parameters
    ----------
    directory : path-like
        Folder with the students' ``*.jsonl`` files.
    questions : pandas.DataFrame, optional
        Default: the repository's questions.
    outcomes : dict, optional
        Hypothetical resolutions ``{question_id: 0 or 1}`` for a classroom exercise
        (shown as such); real resolutions come from the questions table.
    deadline : datetime or str, optional
        Forecasts after this moment are ignored (latest forecast before it counts).

    Attributes
    ----------
    forecasts, scored, scores : pandas.DataFrame
        Merged forecasts, scored forecasts and per-student means after :meth:`refresh`.
    busy, n_redraws, last_error
        The panel convention (:mod:`s400lab.ui.panel`): ``n_redraws`` counts completed
        refreshes, ``last_error`` is the message of the last failed one.
    """

    def __init__(
        self,
        directory: str | os.PathLike,
        questions: pd.DataFrame | None = None,
        outcomes: dict | None = None,
        deadline: datetime | str | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.questions = fc.load_questions() if questions is None else questions
        self.outcomes = dict(outcomes or {})
        self.deadline = deadline
        self._button = widgets.Button(description="Refresh", icon="refresh")
        self._message = widgets.HTML()
        self._table = widgets.HTML()
        # a PNG in an Image widget: an Output widget + display(fig) shows only
        # "<Figure size ...>" when the inline backend is not active (e.g. MPLBACKEND=agg)
        self._plot = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self._button.on_click(lambda _b: self.refresh())
        super().__init__([self._button, self._message, self._table, self._plot])
        self.forecasts = self.scored = self.scores = pd.DataFrame()
        self.refresh()

    def refresh(self) -> None:
        """Re-read the forecasts, re-score and redraw; a folder that cannot be read is named in
        the message and the last results stay."""
        with self._busy():
            try:
                self.forecasts = self._read()
            except (fc.ForecastFileError, OSError) as exc:
                self._message.value = self._fail(str(exc))
                return
            self.scored = fc.score_forecasts(self.forecasts, self.questions, self.outcomes)
            self.scores = fc.student_scores(self.scored)
            self._message.value = self._summary_html()
            self._table.value = self._table_html()
            self._show_plot()
            self.last_error = None
            self.n_redraws += 1

    def _read(self) -> pd.DataFrame:
        """The forecasts to score: every file of the folder, latest before the deadline."""
        return fc.merge_forecasts(self.directory, questions=self.questions, deadline=self.deadline)

    def _summary_html(self, extra: str = "") -> str:
        hypo = " <b>Hypothetical resolutions:</b> " + html.escape(str(self.outcomes)) if self.outcomes else ""
        return (
            f"{len(self.forecasts)} forecasts from "
            f"{self.forecasts['student_id'].nunique()} students; "
            f"{len(self.scored)} on resolved questions.{hypo}{extra}"
        )

    def _table_html(self) -> str:
        return self.scores.round(3).to_html(border=0)

    def _show_plot(self) -> None:
        if self.scored.empty:
            self._plot.value = b""
            self._plot.layout.display = "none"
            return
        self._plot.value = scores_figure_png(self.scores, self.scored)
        self._plot.layout.display = None


def scores_figure_png(scores, scored) -> bytes:
    """Students' Brier scores beside the class calibration chart, as PNG bytes (projector style)."""
    with mpl.rc_context(PROJECTOR_RC):
        fig = Figure(figsize=(12, 5), layout="constrained", dpi=96)
        ax1, ax2 = fig.subplots(1, 2)
        plot_student_scores(ax1, scores)
        plot_calibration(ax2, fc.calibration_table(scored["probability"], scored["outcome"]))
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    return buf.getvalue()
