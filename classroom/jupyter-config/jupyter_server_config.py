# Loaded by every classroom user's server (JUPYTER_CONFIG_PATH, set in jupyterhub_config.py):
# the s400lab_server_csp extension next to this file. (The kernel manager -- a kernel limit and
# the explorer's preheated kernel, classroom/singleuser/ -- is set on the server's command line.)
# ruff: noqa: F821  (`c` is injected by the config loader)
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
c.ServerApp.jpserver_extensions.update({"s400lab_server_csp": True})

# Jupyter's data folder is read-only for classroom users (jupyterhub_config.py, "--- origins"):
# the notebook trust database and its secret live in the user's own home instead.
_trust = os.path.expanduser("~/.local/share/jupyter")
os.makedirs(_trust, mode=0o700, exist_ok=True)
c.NotebookNotary.data_dir = _trust  # nbsignatures.db and notebook_secret
