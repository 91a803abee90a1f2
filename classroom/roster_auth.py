"""A password authenticator for the classroom hub: one generated password per roster user.

``classroom/hubctl.py`` generates a random password for each user on the roster the first
time the hub starts, writes the plain passwords for the instructor to hand out into
``<state>/passwords.csv`` (mode 0600, git-ignored) and only salted scrypt hashes into
``<state>/users.json`` (mode 0600), which this authenticator reads. Per-user passwords (not a
shared class secret) matter: with a shared secret any student could log in as another.
"""

from __future__ import annotations

import json

from jupyterhub.auth import Authenticator
from login_guard import LoginGuard
from traitlets import Float, Integer, Unicode


class RosterAuthenticator(Authenticator):
    """Log in roster users with their generated password (hashes in ``users_file``).

    Checks go through :class:`login_guard.LoginGuard`: hashing in a thread, a dummy hash for
    unknown names, and back-off after repeated failures (docs/classroom.md, "Logins").
    """

    users_file = Unicode(help="JSON file {name: {salt, hash}} written by hubctl.py").tag(config=True)
    free_failures = Integer(5, help="failed logins per (name, address) before back-off").tag(config=True)
    free_failures_per_address = Integer(50, help="failed logins per address before back-off").tag(config=True)
    base_delay = Float(2.0, help="first back-off, seconds (doubles per further failure)").tag(config=True)
    max_delay = Float(300.0, help="longest back-off, seconds").tag(config=True)

    _guard = None

    @property
    def guard(self) -> LoginGuard:
        if self._guard is None:
            self._guard = LoginGuard(
                self._records,
                free_failures=self.free_failures,
                free_failures_per_address=self.free_failures_per_address,
                base_delay=self.base_delay,
                max_delay=self.max_delay,
            )
        return self._guard

    def _records(self) -> dict:
        with open(self.users_file, encoding="utf-8") as fh:
            return json.load(fh)

    async def authenticate(self, handler, data):
        name = self.normalize_username((data or {}).get("username", ""))
        password = (data or {}).get("password", "")
        address = handler.request.remote_ip if handler is not None else ""
        verdict = await self.guard.check(name, password, address)
        if verdict.ok:
            return name
        if verdict.reason == "locked":
            self.log.warning(
                "classroom login refused for %r from %s: too many failures (retry in %.0f s)",
                name,
                address,
                verdict.retry_after,
            )
        else:
            self.log.warning("classroom login failed for %r from %s", name, address)
        return None
