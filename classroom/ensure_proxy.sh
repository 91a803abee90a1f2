#!/usr/bin/env bash
# Install JupyterHub's proxy (configurable-http-proxy, from npm) into classroom/node_modules.
# Node.js and npm come from Debian's packages if missing (apt; root or sudo).
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  bash ../scripts/apt_install.sh npm "install Node.js (>= 20) and npm" "for JupyterHub's proxy" nodejs npm
fi
npm ci --no-audit --no-fund --loglevel=error
touch node_modules/.s400lab-installed
