"""Forecast widgets on the classroom hub: submit to the class drop box, the instructor's merge.

:func:`forecast_form` is what notebook 60 calls: on a laptop it is the usual
:class:`~s400lab.ui.forecast.ForecastForm` writing to ``forecasts/``; on the classroom hub
(``$S400LAB_SUBMIT_URL`` set) it is a :class:`ServiceForecastForm` that hands each forecast in
to the hub's submission service, which stamps the login and the time itself; with only
``$S400LAB_CLASS_DIR`` (a drop box, e.g. one folder per pod on Kubernetes) it is a
:class:`ClassForecastForm` appending to the student's file there (see
:mod:`s400lab.analysis.classroom`).
:class:`ClassroomResults` is the instructor's view of the drop box: only files owned by the
student they are named after are merged; rejected files are listed.
"""

from __future__ import annotations

import html
import os
from datetime import datetime

import pandas as pd

from s400lab.analysis import classroom as cls
from s400lab.analysis import forecasting as fc
from s400lab.ui.forecast import ClassResults, ForecastForm
from s400lab.ui.panel import OK_STYLE

__all__ = ["forecast_form", "ClassForecastForm", "ServiceForecastForm", "ClassroomResults"]

#: Files named in the "Left out" line (the rest are counted: "and N more").
LEFT_OUT_SHOWN = 10
#: Characters of one file's reason shown in that line.
LEFT_OUT_REASON_CHARS = 200


def _cut(text: str, limit: int = LEFT_OUT_REASON_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


class ClassForecastForm(ForecastForm):
    """A :class:`ForecastForm` that submits to the class drop box under the hub login."""

    def __init__(
        self,
        questions: pd.DataFrame | None = None,
        directory: str | os.PathLike | None = None,
        student_id: str | None = None,
    ) -> None:
        directory = directory if directory is not None else cls.class_dir()
        if directory is None:
            raise ValueError(f"no class drop box: ${cls.CLASS_DIR_ENV} is not set")
        super().__init__(questions, directory=directory, student_id=student_id or cls.current_user())
        self._student.disabled = True  # the login is the id: no forecasts under another name
        self._submit.description = "Submit to class"

    def submit(self, *, timestamp: datetime | None = None) -> fc.Forecast | None:
        try:
            cls.submission_file(self.directory, self._student.value.strip())
        except (fc.ForecastFileError, OSError) as exc:
            self._status.value = self._fail(f"Not submitted: {exc}")
            return None
        return super().submit(timestamp=timestamp)


class ServiceForecastForm(ForecastForm):
    """A :class:`ForecastForm` that hands forecasts in to the hub's submission service.

    The service (``classroom/submit_service.py``) learns the student from the hub through the
    server's token and stamps its own time, so the id shown is the login and cannot be changed,
    and the time saved is the service's, not this kernel's clock.

    Parameters
    ----------
    questions : pandas.DataFrame, optional
    url, token : str, optional
        Default ``$S400LAB_SUBMIT_URL`` and ``$JUPYTERHUB_API_TOKEN`` (set by the hub).
    """

    def __init__(
        self, questions: pd.DataFrame | None = None, url: str | None = None, token: str | None = None
    ) -> None:
        self.url = url or cls.service_url()
        self.token = token if token is not None else os.environ.get("JUPYTERHUB_API_TOKEN", "")
        if not self.url:
            raise ValueError(f"no submission service: ${cls.SUBMIT_URL_ENV} is not set")
        super().__init__(questions, directory=".", student_id=cls.current_user())
        self._student.disabled = True
        self._submit.description = "Submit to class"

    def _history_html(self) -> str:
        try:
            df = cls.service_forecasts(self.url, self.token)  # type: ignore[arg-type]
        except cls.SubmissionRefused as exc:
            return self._fail(str(exc))
        if df.empty:
            return "<small>No forecasts handed in yet.</small>"
        view = df[["timestamp", "question_id", "probability", "rationale"]].copy()
        view["timestamp"] = view["timestamp"].dt.strftime("%Y-%m-%d %H:%M UTC")
        view["probability"] = (100 * view["probability"]).round().astype(int).astype(str) + " %"
        return "<b>Your forecasts as the class received them (newest last)</b>" + view.to_html(
            index=False, escape=True, border=0
        )

    def submit(self, *, timestamp: datetime | None = None) -> fc.Forecast | None:
        """Hand the forecast in; ``timestamp`` is ignored by the service (it stamps its own)."""
        try:
            f = fc.make_forecast(
                self._student.value.strip(),
                self._question.value,
                self._probability.value,
                timestamp=timestamp,
                rationale=self._rationale.value.strip(),
                questions=self.questions,
            )
            got = cls.submit_to_service(self.url, self.token, f)  # type: ignore[arg-type]
            stored = fc.make_forecast(
                got["student_id"],
                got["question_id"],
                got["probability"],
                timestamp=got["timestamp"],
                rationale=got.get("rationale") or "",
            )
        except (fc.ForecastFileError, cls.SubmissionRefused, KeyError, TypeError) as exc:
            self._status.value = self._fail(f"Not saved: {exc}")
            return None
        self.last_forecast, self.last_error = stored, None
        self._status.value = (
            f"<span style='{OK_STYLE}'>Saved {stored.probability:.0%} on "
            f"{html.escape(stored.question_id)} ({int(got.get('count', 0))} forecasts handed in; "
            f"received {stored.timestamp:%Y-%m-%d %H:%M:%S} UTC by the class).</span>"
        )
        self._rationale.value = ""
        self._show_history()
        return stored


def forecast_form(
    questions: pd.DataFrame | None = None, directory: str | os.PathLike = fc.DEFAULT_FORECAST_DIR
) -> ForecastForm:
    """The forecast form for where the notebook runs: the class drop box on the hub, else local.

    Parameters
    ----------
    questions : pandas.DataFrame, optional
    directory : path-like
        Local folder used when not on the classroom hub.
    """
    if cls.service_url() is not None:
        return ServiceForecastForm(questions)
    if cls.class_dir() is not None:
        return ClassForecastForm(questions)
    return ForecastForm(questions, directory=directory)


class ClassroomResults(ClassResults):
    """:class:`~s400lab.ui.forecast.ClassResults` over a drop box, owners checked.

    Parameters
    ----------
    directory, questions, outcomes, deadline
        As :class:`~s400lab.ui.forecast.ClassResults`.
    check_owner : bool, default True
        Merge only files owned by the student they are named after.
    pattern : str, default ``"*.jsonl"``
        ``"*/*.jsonl"`` for one sub-folder per student (Kubernetes; see docs/classroom.md).
        Both as :func:`~s400lab.analysis.classroom.collect_submissions`.

    Attributes
    ----------
    submissions : Submissions
        The last :func:`~s400lab.analysis.classroom.collect_submissions` result.
    """

    def __init__(
        self,
        directory: str | os.PathLike,
        questions: pd.DataFrame | None = None,
        outcomes: dict | None = None,
        deadline: datetime | str | None = None,
        *,
        check_owner: bool = True,
        pattern: str = "*.jsonl",
    ) -> None:
        self.check_owner, self.pattern = check_owner, pattern
        super().__init__(directory, questions, outcomes, deadline)

    def _read(self) -> pd.DataFrame:
        """The forecasts of the drop box: owners checked, rejected files kept in
        :attr:`submissions`."""
        self.submissions = cls.collect_submissions(
            self.directory,
            questions=self.questions,
            deadline=self.deadline,
            check_owner=self.check_owner,
            pattern=self.pattern,
        )
        return self.submissions.forecasts

    def _summary_html(self, extra: str = "") -> str:
        rejected = self.submissions.rejected
        if len(rejected):
            shown = [f"{r.file} ({_cut(r.reason)})" for r in rejected.head(LEFT_OUT_SHOWN).itertuples()]
            more = len(rejected) - len(shown)
            extra += "<br><b>Left out:</b> " + html.escape(
                "; ".join(shown)
                + (f"; and {more} more (results.submissions.rejected lists all)" if more else "")
            )
        return super()._summary_html(extra)

    def _table_html(self) -> str:
        latest = self.forecasts[["student_id", "question_id", "probability", "timestamp"]]
        return (
            "<b>Scores (mean Brier, lower is better)</b>"
            + super()._table_html()
            + "<b>Latest forecast per student and question</b>"
            + latest.to_html(index=False, border=0, escape=True, classes="s400-class-forecasts")
        )
