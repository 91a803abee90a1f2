# Every classroom student's Jupyter server (JUPYTER_CONFIG_PATH, set in classroom/jupyterhub_config.py):
# the kernel manager keeps one explorer kernel preheated (classroom/warm_kernels.py).
# ruff: noqa: F821  (`c` is injected by the config loader)
import sys
from pathlib import Path

_CLASSROOM = str(Path(__file__).resolve().parents[1])
if _CLASSROOM not in sys.path:
    sys.path.append(_CLASSROOM)  # the server's own import path only; kernels do not inherit it
c.ServerApp.kernel_manager_class = "warm_kernels.WarmExplorerKernelManager"
