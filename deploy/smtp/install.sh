#!/usr/bin/env bash
# Installs Debian's python3-aiosmtpd, the local SMTP sink the notification tests start with the
# system python3 (/usr/bin/python3), where missing. Run as root (CI runs as root on Debian 12).
set -euo pipefail

if dpkg-query -W -f='${Status}' python3-aiosmtpd 2>/dev/null | grep -q 'install ok installed'; then
  echo "aiosmtpd: already installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "aiosmtpd: python3-aiosmtpd missing; run as root: sudo $0" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends python3-aiosmtpd
echo "aiosmtpd: installed"
