#!/usr/bin/env bash
# Create the project's virtual environment with the given Python (>= 3.11).
# Debian's system Python ships without ensurepip unless python3-venv is installed; then fall back
# to virtualenv (installed for the user with pip), which needs no ensurepip.
set -euo pipefail
PY="${1:?usage: make_venv.sh PYTHON VENV_DIR}"
VENV="${2:?usage: make_venv.sh PYTHON VENV_DIR}"
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "s400lab needs Python >= 3.11 (found %s)" % sys.version.split()[0])'
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
  exit 0
fi
rm -rf "$VENV"
if ! "$PY" -m venv "$VENV" 2>/tmp/s400lab-venv.err; then
  echo "python -m venv failed ($(tail -n 1 /tmp/s400lab-venv.err)); trying virtualenv instead" >&2
  rm -rf "$VENV"
  "$PY" -m pip install --quiet --user virtualenv 2>/dev/null \
    || "$PY" -m pip install --quiet --user --break-system-packages virtualenv
  "$PY" -m virtualenv --quiet "$VENV"
fi
