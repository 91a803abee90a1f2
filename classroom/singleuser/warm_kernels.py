"""A preheated explorer kernel in each student's server (the classroom hub's single-user servers).

Voila keeps preheated kernels (a kernel that has already run the notebook, so a page shows its
widgets without waiting for a kernel start and a notebook run) only when it runs as its own
application (``--preheat_kernel``, used by ``make dashboard``). In the hub, Voila runs as a
server extension inside each student's Jupyter server (``/user/<name>/voila/render/...``), where
that option does nothing: every first explorer paid a cold kernel start.

:class:`WarmExplorerKernelManager` is the student server's kernel manager: Voila's own pooling
kernel manager (``voila.voila_kernel_manager``) given what it expects from the Voila
application, with a pool of one kernel for the explorer notebook only
(:data:`EXPLORER`). The kernel starts with the server and runs the notebook while the student's
browser follows the hub's redirect to the explorer (the landing page); the page takes it, waiting
for it to finish if it has not. A page opened before the pool kernel has even started also waits
for it (Voila would otherwise start a second, cold kernel beside it). JupyterLab's kernels are
ordinary kernels of the same manager. The pool is filled once, at the server's start, and not
refilled: a refill would hold a second idle kernel (~165 MiB) and one of the server's kernel slots
(``max_kernels``) for every student for the whole session, for the rare student who reloads the
explorer (whose reload then starts its own kernel, as without the pool). ``S400LAB_EXPLORER_PREHEAT=0``
in the server's environment turns the pool off (every page starts its own kernel, as before).

It is built on :class:`s400lab_server_limits.LimitedKernelManager` (at most ``max_kernels``
kernels per server; the preheated one counts) and set where that one was, on the server's command
line (``classroom/jupyterhub_config.py``, block "limits"; this folder is on the server's
``PYTHONPATH``). Test tooling is not involved: this runs in the classroom servers.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from s400lab_server_limits import LimitedKernelManager
from voila.configuration import VoilaConfiguration
from voila.notebook_renderer import NotebookRenderer
from voila.paths import collect_template_paths
from voila.utils import get_page_config
from voila.voila_kernel_manager import voila_kernel_manager_factory

#: The notebook whose kernel is kept preheated, relative to the server's root (the user's home).
EXPLORER = os.environ.get("S400LAB_EXPLORER_NOTEBOOK", "s400lab/notebooks/30_scenario_explorer.ipynb")

_Pooling: Any = voila_kernel_manager_factory(LimitedKernelManager, True, 0)


class WarmExplorerKernelManager(_Pooling):  # type: ignore[misc,valid-type]
    """Voila's pooling kernel manager over the kernel-count limit, as a Jupyter server's kernel
    manager: one preheated kernel for :data:`EXPLORER`, none for any other notebook."""

    def __init__(self, **kwargs: Any) -> None:
        parent = kwargs["parent"]
        # what Voila's pool reads from the Voila application it expects as parent
        parent.notebook_path = None
        if not hasattr(parent, "server_url"):
            parent.server_url = parent.base_url
        self._preheat = os.environ.get("S400LAB_EXPLORER_PREHEAT", "1") != "0"
        pools = {"default": {"pool_size": 0}, EXPLORER: {"pool_size": 1 if self._preheat else 0}}
        super().__init__(**kwargs)
        # the base class looked for every notebook under the home (pool size 0: none started)
        self._pools = {}
        self.kernel_pools_config = pools
        root = os.path.expanduser(getattr(parent, "root_dir", None) or "~")
        if self._preheat and os.path.isfile(os.path.join(root, EXPLORER)):
            # a page that arrives before the pool kernel has started waits for it instead of
            # starting a cold second kernel (Voila's handler uses the pool only once a notebook
            # has an entry here)
            self.notebook_data[EXPLORER] = {"template": None, "theme": None, "kernel_ids": set()}
            self.fill_if_needed(delay=0, notebook_name=EXPLORER)

    async def get_rendered_notebook(self, notebook_name: str, *args: Any, **kwargs: Any) -> Any:
        # the pool is not refilled (module docstring): its size drops to 0 before Voila refills
        self.kernel_pools_config = {**self.kernel_pools_config, notebook_name: {"pool_size": 0}}
        return await super().get_rendered_notebook(notebook_name, *args, **kwargs)

    async def _initialize(self, notebook_path: str, kernel_id: str | None = None, **kwargs: Any) -> Any:
        # the pool's first kernel is asked for while the server is still being set up: render
        # only once the web application (its settings, the renderer's) exists
        while getattr(self.parent, "web_app", None) is None:
            await asyncio.sleep(0.1)
        return await super()._initialize(notebook_path, kernel_id, **kwargs)

    def _notebook_filter(self, nb_path: Any) -> bool:
        return str(nb_path) == EXPLORER

    def _notebook_renderer_factory(self, notebook_path: str | None = None) -> NotebookRenderer:
        """The renderer Voila's server extension would use for a page of ``notebook_path``."""
        server = self.parent
        settings = server.web_app.settings
        voila_configuration = getattr(self, "_voila_configuration", None)
        if voila_configuration is None:
            voila_configuration = self._voila_configuration = VoilaConfiguration(parent=server)
        page_config = get_page_config(
            base_url=server.base_url,
            settings=settings,
            log=server.log,
            voila_configuration=voila_configuration,
        )
        return NotebookRenderer(
            voila_configuration=voila_configuration,
            traitlet_config=server.config,
            notebook_path=notebook_path,
            template_paths=collect_template_paths(["voila", "nbconvert"], voila_configuration.template),
            config_manager=server.config_manager,
            contents_manager=server.contents_manager,
            base_url=server.base_url,
            kernel_spec_manager=server.kernel_spec_manager,
            page_config=page_config,
            mathjax_config=settings.get("mathjax_config"),
            mathjax_url=settings.get("mathjax_url"),
        )
