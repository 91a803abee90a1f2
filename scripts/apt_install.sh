#!/usr/bin/env bash
# Install Debian packages with apt-get (as root, or through sudo) for a tool the set-up needs.
# Usage: apt_install.sh "<what is missing>" "<what to do without apt-get>" "<what for>" PACKAGE...
# Used by scripts/ensure_chromium.sh and classroom/ensure_proxy.sh.
set -euo pipefail
if [ $# -lt 4 ]; then
  echo "usage: apt_install.sh WHAT-IS-MISSING HINT WHAT-FOR PACKAGE..." >&2
  exit 2
fi
missing=$1 hint=$2 why=$3
shift 3
if ! command -v apt-get >/dev/null 2>&1; then
  echo "$missing is missing and apt-get is not available: $hint" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
echo "Installing Debian's $* ($why)..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
