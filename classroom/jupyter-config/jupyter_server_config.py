# Loaded by every classroom user's server (JUPYTER_CONFIG_PATH, set in jupyterhub_config.py):
# the s400lab_server_csp extension next to this file, and the kernel manager that keeps one
# explorer kernel preheated (classroom/warm_kernels.py, one folder up).
# ruff: noqa: F821  (`c` is injected by the config loader)
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
_CLASSROOM = os.path.dirname(_HERE)
if _CLASSROOM not in sys.path:
    sys.path.append(_CLASSROOM)  # the server's own import path only; kernels do not inherit it
c.ServerApp.jpserver_extensions.update({"s400lab_server_csp": True})
c.ServerApp.kernel_manager_class = "warm_kernels.WarmExplorerKernelManager"

# Jupyter's data folder is read-only for classroom users (jupyterhub_config.py, "--- origins"):
# the notebook trust database and its secret live in the user's own home instead.
_trust = os.path.expanduser("~/.local/share/jupyter")
os.makedirs(_trust, mode=0o700, exist_ok=True)
c.NotebookNotary.data_dir = _trust  # nbsignatures.db and notebook_secret
