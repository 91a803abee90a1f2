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

**A preheated kernel.** Opening the page used to cost a kernel start and a run of the notebook
(imports, data, the first model run: ~2.5 s of the ~6 s to a usable control on this 2-core
machine; the rest is the browser loading Voila's scripts). With ``--preheat_kernel`` Voila keeps
a pool of kernels (here one) that have already run the notebook; a page takes one, and Voila
starts the next after ``fill_delay`` (here 10 s, so that kernel's start and notebook run do not
compete with the page still loading on a 2-core machine). The price is one idle kernel (~140 MB
resident) per dashboard server. Voila never culls a pooled kernel; a page's kernel is released
on close as above. A page opened in the server's first seconds waits for the preheated kernel
to finish the notebook.

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


def voila_args(
    cull_idle_s: int = 600, cull_interval_s: int = 60, pool_size: int = 1, fill_delay_s: float = 10
) -> list[str]:
    """Voila command-line flags: this identity provider, idle-kernel culling and the pool of
    preheated kernels.

    Parameters
    ----------
    cull_idle_s : int
        Shut down a kernel idle this long with no page connected (safety net).
    cull_interval_s : int
        How often the culler looks.
    pool_size : int
        Kernels kept ready with the notebook already run (0: none, every page starts its own).
    fill_delay_s : float
        Seconds after a page takes a preheated kernel before Voila starts the next one.
    """
    args = [
        f"--Voila.identity_provider_class={__name__}.XsrfCookieIdentityProvider",
        f"--MappingKernelManager.cull_idle_timeout={int(cull_idle_s)}",
        f"--MappingKernelManager.cull_interval={int(cull_interval_s)}",
        "--MappingKernelManager.cull_connected=False",
    ]
    if int(pool_size) > 0:
        args += [
            "--preheat_kernel=True",
            f"--pool_size={int(pool_size)}",
            f"--VoilaKernelManager.fill_delay={float(fill_delay_s):g}",
        ]
    return args


#: The flags used by ``make dashboard``.
VOILA_ARGS = tuple(voila_args())
