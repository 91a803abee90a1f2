"""The class's submission service: a JupyterHub managed service that students hand work in to.

The hub starts it (``classroom/jupyterhub_config.py``, block "submission service") on
127.0.0.1; a student's server posts each forecast (notebook 60's form) or scenario with the
server's own hub token (``$JUPYTERHUB_API_TOKEN``, ``Authorization: token ...``). For each
request the service asks the hub whose token it is and whether it holds
``access:services!service=s400lab-submit`` (:class:`jupyterhub.services.auth.HubAuth`); the
student's name and the time are then the hub's login and this service's clock, whatever the
body says. Records go to the class store (``$S400LAB_CLASS_DIR``: ``root:<instructors>``,
mode 2750; files 0640), which no student can write, list or read; the instructors' group
reads it and the instructor's notebook merges it.

Endpoints (under ``/services/s400lab-submit/``):

* ``POST api/forecasts`` -- body ``{"question_id", "probability", "rationale"}`` (at most
  4 KiB); answers the stored record with its ``count``;
* ``GET api/forecasts`` -- the caller's own stored forecasts;
* ``POST api/scenarios/<name>`` -- a scenario document (at most 256 KiB, must load);
* ``GET api/class`` -- every student's forecasts, merged as the instructor's notebook merges
  the store, for a token with ``custom:s400lab-submit:read-class`` (the instructors' role);
* anything from a non-user token, a token without the scope, or no token: 403.

Run by the hub only (it needs the ``JUPYTERHUB_*`` variables the hub sets for a service).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

from jupyterhub.services.auth import HubAuthenticated, UserNotAllowed
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.log import app_log, enable_pretty_logging

from s400lab.analysis import classroom as cls
from s400lab.analysis import forecasting as fc

NAME = "s400lab-submit"
READ_CLASS = "custom:s400lab-submit:read-class"
#: Largest request body tornado accepts at all (the per-endpoint limits are smaller or equal).
MAX_BODY = cls.MAX_SCENARIO_REQUEST


class _Handler(HubAuthenticated, web.RequestHandler):
    """Identify the caller through the hub (token only; no cookies, so no XSRF surface)."""

    @property
    def hub_scopes(self) -> set[str]:
        return {f"access:services!service={NAME}"}

    def initialize(self, store: Path, questions) -> None:
        self.store, self.questions = store, questions

    async def prepare(self) -> None:
        model = await self.hub_auth.get_user(self, sync=False)
        if not model:
            raise web.HTTPError(403, "a hub token is needed (the server's JUPYTERHUB_API_TOKEN)")
        try:
            model = self.check_hub_user(model)
        except UserNotAllowed:
            model = None
        if not model or model.get("kind", "user") != "user":
            raise web.HTTPError(403, f"this token may not hand in to {NAME}")
        self.current_user = model

    def check_xsrf_cookie(self) -> None:  # token-authenticated API: no cookie is ever accepted
        return

    def write_error(self, status_code: int, **kwargs) -> None:
        exc = kwargs.get("exc_info", (None, None))[1]
        message = getattr(exc, "log_message", None) or self._reason
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"status": status_code, "message": message}))

    def answer(self, obj, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(obj))

    async def run(self, fn, *args, **kw):
        """Blocking file work (lock, fsync) off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(None, lambda: fn(*args, **kw))


class ForecastsHandler(_Handler):
    async def post(self) -> None:
        user = self.current_user["name"]
        now = datetime.now(UTC)
        try:
            forecast, count = await self.run(
                cls.receive_forecast, self.store, user, self.request.body, questions=self.questions, now=now
            )
        except cls.SubmissionRefused as exc:
            app_log.warning("refused a forecast from %s: %s", user, exc)
            raise web.HTTPError(exc.status, str(exc)) from None
        app_log.info("forecast from %s on %s stored (%d)", user, forecast.question_id, count)
        self.answer({**json.loads(forecast.to_json()), "count": count}, 201)

    async def get(self) -> None:
        df = await self.run(cls.stored_forecasts, self.store, self.current_user["name"])
        records = [
            {
                "question_id": r.question_id,
                "probability": r.probability,
                "timestamp": r.timestamp.isoformat(),
                "rationale": r.rationale,
            }
            for r in df.itertuples()
        ]
        self.answer({"student_id": self.current_user["name"], "forecasts": records})


class ScenariosHandler(_Handler):
    async def post(self, name: str) -> None:
        user = self.current_user["name"]
        try:
            path = await self.run(cls.receive_scenario, self.store, user, name, self.request.body)
        except cls.SubmissionRefused as exc:
            app_log.warning("refused a scenario from %s: %s", user, exc)
            raise web.HTTPError(exc.status, str(exc)) from None
        self.answer({"student_id": user, "stored": path.name}, 201)


class ClassHandler(_Handler):
    """The merged class for instructors (custom scope); 403 for everyone else."""

    async def get(self) -> None:
        if READ_CLASS not in set(self.current_user.get("scopes", [])):
            raise web.HTTPError(403, "only instructors read the class's hand-ins")
        sub = await self.run(cls.collect_submissions, self.store, questions=self.questions, keep="all")
        records = [
            {
                "student_id": r.student_id,
                "question_id": r.question_id,
                "probability": r.probability,
                "timestamp": r.timestamp.isoformat(),
                "rationale": r.rationale,
            }
            for r in sub.forecasts.itertuples()
        ]
        left_out = [{"file": r.file, "reason": r.reason} for r in sub.rejected.itertuples()]
        self.answer({"forecasts": records, "left_out": left_out})


def make_app(store: Path, questions, prefix: str) -> web.Application:
    prefix = "/" + prefix.strip("/") + "/"
    return web.Application(
        [
            (prefix + "api/forecasts", ForecastsHandler, {"store": store, "questions": questions}),
            (prefix + r"api/scenarios/([^/]+)", ScenariosHandler, {"store": store, "questions": questions}),
            (prefix + "api/class", ClassHandler, {"store": store, "questions": questions}),
        ]
    )


def main() -> int:
    enable_pretty_logging()
    store = Path(os.environ["S400LAB_CLASS_DIR"])
    if not store.is_dir():
        print(f"{NAME}: the class store {store} does not exist", file=sys.stderr)
        return 2
    os.umask(0o027)  # files 0640: the instructors' group (setgid store) reads, students nothing
    questions = fc.load_questions()
    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", f"/services/{NAME}/")
    server = HTTPServer(make_app(store, questions, prefix), max_body_size=MAX_BODY, xheaders=False)
    server.listen(url.port, "127.0.0.1")
    IOLoop.current().start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
