"""The test servers keep token authentication on and answer only on 127.0.0.1."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_jupyterlab_requires_token(lab_server):
    # Without the token the API refuses; with it, it answers.
    assert lab_server.status("/api/contents", token=False) == 403
    assert lab_server.status("/api/contents", token=True) == 200
    assert lab_server.status("/api/contents?token=wrong", token=False) == 403


def test_voila_requires_token(voila_server):
    assert voila_server.status("/", token=False) in (302, 403)
    assert voila_server.status("/", token=True) == 200
