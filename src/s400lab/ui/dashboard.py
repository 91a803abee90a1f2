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

**A class arriving at once.** ``make dashboard VIEWERS=30`` (``python -m s400lab dashboard
--viewers 30``) keeps that many kernels preheated, so a class opening the page within seconds
each finds a kernel that has already run the notebook (one kernel per viewer is ~140 MB:
30 viewers ~4 GB). The pool fills at start (the kernels start one after the other, ~2-3 s each
on 2 cores) and refills ``fill_delay`` after a page takes a kernel.

**A plain waiting page.** The dashboard's Voila template (``share/voila/templates/s400lab``
beside this module, found through ``JUPYTER_PATH``: :func:`voila_env`) says only "Starting the
explorer..." until the explorer is on screen: no "Executing 1 of 2", no notebook text around a
"Loading widget..." placeholder. Tracebacks are never sent to the page (Voila's
``show_tracebacks`` stays off).

**One place.** :func:`dashboard_command` is the dashboard's whole command line; ``make
dashboard`` runs ``python -m s400lab dashboard`` (:func:`main`), and the browser tests and
benchmarks start their servers with the same :func:`voila_args` and :func:`voila_env`.

This module is imported by the Voila server (by class name), never by the explorer.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from jupyter_server.auth.identity import PasswordIdentityProvider

__all__ = [
    "XsrfCookieIdentityProvider",
    "VOILA_ARGS",
    "VIEWERS_RANGE",
    "TEMPLATE",
    "voila_args",
    "voila_env",
    "dashboard_command",
    "main",
]

#: The dashboard's Voila template (a plain "Starting the explorer..." while a page waits).
TEMPLATE = "s400lab"
#: Folder put on ``JUPYTER_PATH`` so Voila finds :data:`TEMPLATE` (``voila/templates/s400lab``).
SHARE_DIR = Path(__file__).resolve().parent / "share"
#: Seconds Voila waits for a cell's output while running the notebook (its default is 4 s).
IOPUB_TIMEOUT_S = 120
#: Viewers ``--viewers`` accepts: each keeps a ~140 MB kernel ready.
VIEWERS_RANGE = (1, 60)
#: The notebook ``make dashboard`` serves (relative to the repository root).
NOTEBOOK = Path("notebooks") / "30_scenario_explorer.ipynb"


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
    cull_idle_s: int = 600,
    cull_interval_s: int = 60,
    pool_size: int = 1,
    fill_delay_s: float | None = None,
    template: bool = True,
) -> list[str]:
    """Voila command-line flags: this identity provider, idle-kernel culling, the pool of
    preheated kernels and the dashboard's page template.

    Parameters
    ----------
    cull_idle_s : int
        Shut down a kernel idle this long with no page connected (safety net).
    cull_interval_s : int
        How often the culler looks.
    pool_size : int
        Kernels kept ready with the notebook already run (0: none, every page starts its own):
        the number of viewers expected at once.
    fill_delay_s : float, optional
        Seconds after a page takes a preheated kernel before Voila starts the next one. Default
        10 s for one viewer (that kernel's start does not compete with the page still loading)
        and 60 s for a pool of several (a class arriving together loads before any refill starts
        running the notebook; only a page beyond the pool waits for a kernel).
    template : bool
        Use the dashboard's template (:data:`TEMPLATE`; needs :func:`voila_env`).
    """
    args = [
        f"--Voila.identity_provider_class={__name__}.XsrfCookieIdentityProvider",
        f"--MappingKernelManager.cull_idle_timeout={int(cull_idle_s)}",
        f"--MappingKernelManager.cull_interval={int(cull_interval_s)}",
        "--MappingKernelManager.cull_connected=False",
        "--show_tracebacks=False",
        # a busy machine filling a pool of kernels at once: Voila's default (4 s) gave up waiting
        # for the explorer's output, and the page got a kernel whose notebook showed no widget
        f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT_S}",
    ]
    if template:
        args.append(f"--template={TEMPLATE}")
    if fill_delay_s is None:
        fill_delay_s = 10 if int(pool_size) <= 1 else 60
    if int(pool_size) > 0:
        args += [
            "--preheat_kernel=True",
            f"--pool_size={int(pool_size)}",
            f"--VoilaKernelManager.fill_delay={float(fill_delay_s):g}",
        ]
    return args


def voila_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment variables Voila needs to find the dashboard's template: ``JUPYTER_PATH``
    with :data:`SHARE_DIR` first (any ``JUPYTER_PATH`` already set is kept after it)."""
    rest = (os.environ if environ is None else environ).get("JUPYTER_PATH", "")
    return {"JUPYTER_PATH": os.pathsep.join(p for p in (str(SHARE_DIR), rest) if p)}


def dashboard_command(
    notebook: str | os.PathLike = NOTEBOOK, *, port: int = 8866, viewers: int = 1
) -> list[str]:
    """The dashboard's command line: Voila on 127.0.0.1, token on, sources stripped, a kernel
    kept ready for each of ``viewers`` (run it with :func:`voila_env` in the environment)."""
    lo, hi = VIEWERS_RANGE
    if not lo <= int(viewers) <= hi:
        raise ValueError(f"viewers must be {lo}..{hi} (one ~140 MB kernel kept ready each); got {viewers}")
    return [
        sys.executable,
        "-m",
        "voila",
        os.fspath(notebook),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={int(port)}",
        "--strip_sources=True",
        "--token",
        *voila_args(pool_size=int(viewers)),
    ]


def main(argv: list[str] | None = None) -> int:
    """``python -m s400lab dashboard [--viewers N] [--port P] [--notebook F]``: serve the
    explorer as a Voila dashboard (until Ctrl+C)."""
    import argparse

    from s400lab._inputs import cli_int, cli_text

    parser = argparse.ArgumentParser(
        prog="python -m s400lab dashboard",
        description="Serve the scenario explorer as a Voila dashboard on 127.0.0.1 (token on).",
    )
    parser.add_argument(
        "--viewers",
        type=cli_int(*VIEWERS_RANGE, "--viewers"),
        default=1,
        help="viewers expected at once: that many kernels are kept ready, ~140 MB each "
        f"({VIEWERS_RANGE[0]}..{VIEWERS_RANGE[1]}, default 1)",
    )
    parser.add_argument(
        "--port", type=cli_int(1024, 65535, "--port"), default=8866, help="port (default 8866)"
    )
    parser.add_argument(
        "--notebook", type=cli_text("--notebook"), default=os.fspath(NOTEBOOK), help="notebook to serve"
    )
    args = parser.parse_args(argv)
    if not Path(args.notebook).is_file():
        raise FileNotFoundError(f"{args.notebook}: no such notebook (run from the repository root)")
    cmd = dashboard_command(args.notebook, port=args.port, viewers=args.viewers)
    print(f"s400lab dashboard: {args.viewers} kernel(s) kept ready; open the URL with the token below")
    sys.stdout.flush()
    # Voila replaces this process: Ctrl+C or a signal stops the server itself, kernels included
    os.execve(cmd[0], cmd, {**os.environ, **voila_env()})
    return 0  # not reached


#: The flags used by ``make dashboard`` (one viewer; ``--viewers`` sets the pool).
VOILA_ARGS = tuple(voila_args())
