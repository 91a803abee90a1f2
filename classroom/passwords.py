"""Salted scrypt password hashes for the classroom hub (standard library only)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

#: scrypt cost parameters (about 15 ms per check on this machine; 16 MiB of memory).
SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str, salt: bytes | None = None) -> dict[str, str]:
    """Return ``{"salt": b64, "hash": b64}`` for a password (scrypt, random 16-byte salt)."""
    salt = os.urandom(16) if salt is None else salt
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **SCRYPT)
    return {"salt": base64.b64encode(salt).decode(), "hash": base64.b64encode(digest).decode()}


def check_password(password: str, record: dict[str, str]) -> bool:
    """True if ``password`` matches a record made by :func:`hash_password`."""
    try:
        salt = base64.b64decode(record["salt"])
        expected = base64.b64decode(record["hash"])
    except (KeyError, ValueError, TypeError):
        return False
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **SCRYPT)
    return hmac.compare_digest(digest, expected)
