#!/usr/bin/env bash
# Make sure Debian's Chromium is installed (the browser tests drive it with Playwright;
# Playwright cannot download its own browser on this network).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
bash "$(dirname "$0")/apt_install.sh" Chromium \
  "install Chromium and set S400LAB_CHROMIUM=/path/to/chromium" "for the real-browser tests" chromium
