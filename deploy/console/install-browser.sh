#!/usr/bin/env bash
# Installs what the web console's browser tests (Selenium) need, where missing: Debian's Chromium and
# its driver, driven headless, and axe-core (the accessibility scan the tests inject into every
# page), from the npm registry at the version pinned in deploy/console/axe/package-lock.json, into
# deploy/console/axe/node_modules. Run as root (CI runs as root on Debian 12). The tests name all
# three by path (/usr/bin/chromium, /usr/bin/chromedriver, that folder), so nothing is downloaded
# when they run.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib/apt.sh"
apt_install_missing browser chromium chromium-driver
if [ "${#APT_INSTALLED[@]}" -eq 0 ]; then
  echo "browser: already installed ($(chromium --version 2>/dev/null | head -1))"
else
  echo "browser: installed $(chromium --version 2>/dev/null | head -1), $(chromedriver --version | head -1)"
fi

axe="$here/axe"
if ! command -v npm >/dev/null; then
  apt_install_missing axe-core npm
fi
want="$(sed -n 's/.*"axe-core": "\([^"]*\)".*/\1/p' "$axe/package.json")"
have="$(sed -n 's/.*"version": "\([^"]*\)".*/\1/p' "$axe/node_modules/axe-core/package.json" 2>/dev/null | head -1 || true)"
if [ "$have" = "$want" ] && [ -f "$axe/node_modules/axe-core/axe.min.js" ]; then
  echo "axe-core: already installed ($have)"
  exit 0
fi
# npm ci: exactly the locked version, checked against the lock file's integrity hash; no scripts run.
(cd "$axe" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
echo "axe-core: installed $want in $axe/node_modules"
