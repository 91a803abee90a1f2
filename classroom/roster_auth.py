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
from passwords import check_password
from traitlets import Unicode


class RosterAuthenticator(Authenticator):
    """Log in roster users with their generated password (hashes in ``users_file``)."""

    users_file = Unicode(help="JSON file {name: {salt, hash}} written by hubctl.py").tag(config=True)

    def _records(self) -> dict:
        with open(self.users_file, encoding="utf-8") as fh:
            return json.load(fh)

    async def authenticate(self, handler, data):
        name = self.normalize_username((data or {}).get("username", ""))
        password = (data or {}).get("password", "")
        record = self._records().get(name)
        if record is None or not password or not check_password(password, record):
            self.log.warning("classroom login failed for %r", name)
            return None
        return name
