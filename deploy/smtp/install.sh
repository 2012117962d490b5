#!/usr/bin/env bash
# Installs Debian's python3-aiosmtpd, the local SMTP sink the notification tests start with the
# system python3 (/usr/bin/python3), where missing. Run as root (CI runs as root on Debian 12).
set -euo pipefail

. "$(dirname "$0")/../lib/apt.sh"
apt_install_missing aiosmtpd python3-aiosmtpd
if [ "${#APT_INSTALLED[@]}" -eq 0 ]; then
  echo "aiosmtpd: already installed"
else
  echo "aiosmtpd: installed"
fi
