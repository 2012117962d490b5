#!/usr/bin/env bash
# Installs Debian's prometheus package (the server and promtool) where missing: the metrics tests
# lint every node's exposition and unit-test the alert rules with promtool, and start-local.sh runs
# a real Prometheus against deploy/run-local.sh. Run as root (CI runs as root on Debian 12). A
# system instance that the install may start is stopped and disabled: nothing here uses it.
set -euo pipefail

if dpkg-query -W -f='${Status}' prometheus 2>/dev/null | grep -q 'install ok installed' && command -v promtool >/dev/null; then
  echo "prometheus: already installed ($(prometheus --version 2>&1 | head -n 1))"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "prometheus: missing; run as root: sudo $0" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends prometheus

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
