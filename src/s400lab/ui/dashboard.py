"""Serving the explorer as a Voila dashboard that gives its kernel back when the page closes.

Voila's page sends ``POST /voila/api/shutdown/<kernel>`` from its ``beforeunload`` handler,
with the ``_xsrf`` value read from the page's ``_xsrf`` cookie. Voila's own page handler never
issues that cookie, so the request carried an empty ``_xsrf`` and the server refused it
(``403: '_xsrf' argument missing from POST``): every closed tab left a ~200 MB kernel behind
(voila-dashboards/voila#1458).

:class:`XsrfCookieIdentityProvider` keeps Voila's token authentication and XSRF check exactly
as they are and only makes sure an authenticated page load receives the ``_xsrf`` cookie, so
the page's shutdown request passes the check. Culling idle kernels
(``--MappingKernelManager.cull_idle_timeout``) stays on as a safety net for tabs that die
without an unload (a crashed browser, a laptop closed). :data:`VOILA_ARGS` are the flags the
Makefile's ``dashboard`` target and the browser tests use.

This module is imported by the Voila server (by class name), never by the explorer.
"""

from __future__ import annotations

import inspect

from jupyter_server.auth.identity import PasswordIdentityProvider

__all__ = ["XsrfCookieIdentityProvider", "VOILA_ARGS", "voila_args"]


class XsrfCookieIdentityProvider(PasswordIdentityProvider):
    """Voila's default identity provider (token/password), plus the ``_xsrf`` cookie on every
    authenticated GET, so the page's kernel-shutdown request passes the XSRF check."""

    async def get_user(self, handler):
        user = super().get_user(handler)
        if inspect.isawaitable(user):
            user = await user
        if user is not None and handler.request.method in ("GET", "HEAD"):
            # tornado reads current_user while making the token; prepare() sets the same
            # value right after this returns
            handler.current_user = user
            handler.xsrf_token  # noqa: B018 - reading it sets the cookie if missing
        return user


def voila_args(cull_idle_s: int = 600, cull_interval_s: int = 60) -> list[str]:
    """Voila command-line flags: this identity provider and idle-kernel culling.

    Parameters
    ----------
    cull_idle_s : int
        Shut down a kernel idle this long with no page connected (safety net).
    cull_interval_s : int
        How often the culler looks.
    """
    return [
        f"--Voila.identity_provider_class={__name__}.XsrfCookieIdentityProvider",
        f"--MappingKernelManager.cull_idle_timeout={int(cull_idle_s)}",
        f"--MappingKernelManager.cull_interval={int(cull_interval_s)}",
        "--MappingKernelManager.cull_connected=False",
    ]


#: The flags used by ``make dashboard``.
VOILA_ARGS = tuple(voila_args())
