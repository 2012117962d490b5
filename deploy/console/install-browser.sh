#!/usr/bin/env bash
# Installs Debian's Chromium and its driver, which the web console's browser tests (Selenium) drive
# headless, where missing. Run as root (CI runs as root on Debian 12). The tests name both by path
# (/usr/bin/chromium, /usr/bin/chromedriver), so nothing is downloaded when they run.
set -euo pipefail

. "$(dirname "$0")/../lib/apt.sh"
apt_install_missing browser chromium chromium-driver
if [ "${#APT_INSTALLED[@]}" -eq 0 ]; then
  echo "browser: already installed ($(chromium --version 2>/dev/null | head -1))"
  exit 0
fi
echo "browser: installed $(chromium --version 2>/dev/null | head -1), $(chromedriver --version | head -1)"
