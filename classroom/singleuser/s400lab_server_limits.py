"""A kernel count per student for the classroom hub's single-user servers.

The hub starts every server with ``--ServerApp.kernel_manager_class=
s400lab_server_limits.LimitedKernelManager --LimitedKernelManager.max_kernels=N`` on its
command line (``classroom/jupyterhub_config.py``, block "limits"): command-line options come
after every config file, and user config is not read (``Spawner.disable_user_config``), so a
student cannot raise it. JupyterLab notebooks and Voila pages (the explorer, notebook 60) all
start their kernels through this manager; the N+1-th start is refused with 403 and a message
that says what to do.
"""

from __future__ import annotations

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Integer

__all__ = ["LimitedKernelManager"]


class LimitedKernelManager(AsyncMappingKernelManager):
    """:class:`AsyncMappingKernelManager` that runs at most ``max_kernels`` kernels."""

    max_kernels = Integer(4, help="most kernels one server runs at once").tag(config=True)

    _starting = 0

    async def start_kernel(self, *, kernel_id=None, path=None, **kwargs):
        if kernel_id is not None and kernel_id in self:  # reconnecting to a running kernel
            return await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)
        running = len(self.list_kernel_ids()) + self._starting
        if running >= self.max_kernels:
            self.log.warning("kernel limit: %d kernels running, at most %d", running, self.max_kernels)
            raise web.HTTPError(
                403,
                f"at most {self.max_kernels} kernels at once on the class hub: shut one down "
                "(Kernel > Shut Down Kernel, or close a Voila tab) and try again",
            )
        self._starting += 1
        try:
            return await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)
        finally:
            self._starting -= 1
