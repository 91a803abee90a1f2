#!/usr/bin/env bash
# Install JupyterHub's proxy (configurable-http-proxy, from npm) into classroom/node_modules.
# Node.js and npm come from Debian's packages if missing (apt; root or sudo).
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "npm is missing and apt-get is not available: install Node.js (>= 20) and npm" >&2
    exit 1
  fi
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  echo "Installing Debian's nodejs and npm (for JupyterHub's proxy)..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi
npm ci --no-audit --no-fund --loglevel=error
touch node_modules/.s400lab-installed
