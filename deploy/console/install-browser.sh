#!/usr/bin/env bash
# Installs Debian's Chromium and its driver, which the web console's browser tests (Selenium) drive
# headless, where missing. Run as root (CI runs as root on Debian 12). The tests name both by path
# (/usr/bin/chromium, /usr/bin/chromedriver), so nothing is downloaded when they run.
set -euo pipefail

packages=(chromium chromium-driver)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "browser: already installed ($(chromium --version 2>/dev/null | head -1))"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "browser: ${missing[*]} missing; run as root: sudo $0" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "browser: installed $(chromium --version 2>/dev/null | head -1), $(chromedriver --version | head -1)"
