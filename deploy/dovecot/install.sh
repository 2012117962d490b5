#!/usr/bin/env bash
# Installs the Debian Dovecot packages the imap MailStore and its tests use, where missing.
# Run as root (CI runs as root on Debian 12). The tests start private instances themselves, so a
# system instance that a package install may start is stopped and masked: it would hold port 143
# and read /etc/dovecot, which nothing here uses.
set -euo pipefail

. "$(dirname "$0")/../lib/apt.sh"
apt_install_missing dovecot dovecot-core dovecot-imapd
if [ "${#APT_INSTALLED[@]}" -eq 0 ]; then
  echo "dovecot: already installed ($(dovecot --version))"
  exit 0
fi

# Stop and mask a system instance, whichever init started it.
if [ -d /run/systemd/system ]; then
  systemctl stop dovecot.service dovecot.socket 2>/dev/null || true
  systemctl mask dovecot.service dovecot.socket 2>/dev/null || true
else
  if [ -x /etc/init.d/dovecot ]; then
    /etc/init.d/dovecot stop >/dev/null 2>&1 || true
  fi
  update-rc.d dovecot disable >/dev/null 2>&1 || true
  # A master started without an init system: stop it by the pid it wrote.
  for pidfile in /run/dovecot/master.pid /var/run/dovecot/master.pid; do
    if [ -s "$pidfile" ]; then
      kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
    fi
  done
fi

echo "dovecot: installed $(dovecot --version)"
