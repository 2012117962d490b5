#!/usr/bin/env bash
# Installs Debian's prometheus package (the server and promtool) where missing: the metrics tests
# lint every node's exposition and unit-test the alert rules with promtool, and start-local.sh runs
# a real Prometheus against deploy/run-local.sh. Run as root (CI runs as root on Debian 12). A
# system instance that the install may start is stopped and disabled: nothing here uses it.
set -euo pipefail

. "$(dirname "$0")/../lib/apt.sh"
apt_install_missing prometheus prometheus
if [ "${#APT_INSTALLED[@]}" -eq 0 ]; then
  echo "prometheus: already installed ($(prometheus --version 2>&1 | head -n 1))"
  exit 0
fi

if [ -d /run/systemd/system ]; then
  systemctl stop prometheus.service 2>/dev/null || true
  systemctl disable prometheus.service 2>/dev/null || true
else
  if [ -x /etc/init.d/prometheus ]; then
    /etc/init.d/prometheus stop >/dev/null 2>&1 || true
  fi
  update-rc.d prometheus disable >/dev/null 2>&1 || true
fi

echo "prometheus: installed $(prometheus --version 2>&1 | head -n 1)"
