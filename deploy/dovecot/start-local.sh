#!/usr/bin/env bash
# Starts (or finds running) one local Dovecot instance for a storefleet server, as root:
#
#   deploy/dovecot/start-local.sh SERVER DIR IMAP_PORT HTTP_PORT [PROXY_PORT SHARED_DIR]
#
# With PROXY_PORT and SHARED_DIR the instance is linked to the others by Dovecot's cluster
# sharing (local-cluster.conf.template): other users' shared folders through the proxy on
# PROXY_PORT (start-local-proxy.sh), the ACL dictionary and the imapc secret in SHARED_DIR.
# DIR holds its config, users (the passwd-file the worker provisions), mail, logs and the two
# owner-only secret files the worker reads: master.secret (master user "storefleet") and
# doveadm.secret. Secrets are made once and kept. deploy/run-local.sh --store imap calls it for
# mbox1..mbox3; stop an instance with: kill $(cat BASE_DIR/master.pid) (BASE_DIR is in the
# config's base_dir line).
set -euo pipefail
[ $# -eq 4 ] || [ $# -eq 6 ] || { echo "usage: $0 SERVER DIR IMAP_PORT HTTP_PORT [PROXY_PORT SHARED_DIR]" >&2; exit 64; }
SERVER="$1"; DIR="$2"; IMAP_PORT="$3"; HTTP_PORT="$4"; PROXY_PORT="${5:-}"; SHARED="${6:-}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MAIL_UID="${STOREFLEET_MAIL_UID:-5000}"
DOVECOT="$(command -v dovecot || ls /usr/sbin/dovecot 2>/dev/null || true)"
[ -n "$DOVECOT" ] || { echo "dovecot-local: dovecot is not installed; run $HERE/install.sh as root" >&2; exit 69; }
[ "$(id -u)" -eq 0 ] || { echo "dovecot-local: run as root: Dovecot's mail processes run as uid $MAIL_UID" >&2; exit 77; }

mkdir -p "$DIR"/{state,log,mail,shared,remote}
DIR="$(cd "$DIR" && pwd)"
chmod 755 "$DIR"
# Dovecot's auth process (user dovecot) reads the users and masters files: every folder above
# must let others through.
up="$(dirname "$DIR")"
while [ "$up" != / ]; do
  if [ "$(( 0$(stat -c %a "$up") & 1 ))" -eq 0 ]; then
    echo "dovecot-local: $up does not let other users through (mode $(stat -c %a "$up")), so Dovecot cannot read" \
      "$DIR/users; chmod o+x $up, or keep the data elsewhere" >&2
    exit 77
  fi
  up="$(dirname "$up")"
done
# Short, per checkout and server: Dovecot's UNIX socket paths must stay below 108 bytes.
BASE="/tmp/sfl-$(printf '%s' "$DIR" | cksum | cut -d' ' -f1)"
secret() { # file: a random secret, made once, owner-only
  if [ ! -s "$1" ]; then (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$1"); fi
  chmod 600 "$1"
}
secret "$DIR/master.secret"
secret "$DIR/doveadm.secret"
[ -f "$DIR/users" ] || : >"$DIR/users"
# Linked, the worker's master logins get no shared namespace: listing it would log in to the
# owners' servers through imapc, and the worker never reads other users' mail that way.
printf 'storefleet:{PLAIN}%s::::::%s\n' "$(cat "$DIR/master.secret")" \
  "$([ -n "$PROXY_PORT" ] && echo userdb_namespace/shared/disabled=yes)" >"$DIR/masters"
chmod 640 "$DIR/masters"
chgrp dovecot "$DIR/masters" 2>/dev/null || chmod 644 "$DIR/masters"
sed -e "s|@DIR@|$DIR|g" -e "s|@BASE@|$BASE|g" -e "s|@SERVER@|$SERVER|g" -e "s|@IMAP_PORT@|$IMAP_PORT|g" \
    -e "s|@HTTP_PORT@|$HTTP_PORT|g" -e "s|@MAIL_UID@|$MAIL_UID|g" \
    -e "s|@DOVEADM_PASSWORD@|$(cat "$DIR/doveadm.secret")|g" "$HERE/local.conf.template" >"$DIR/dovecot.conf"
if [ -n "$PROXY_PORT" ]; then
  mkdir -p "$SHARED"
  SHARED="$(cd "$SHARED" && pwd)"
  chown "$MAIL_UID:$MAIL_UID" "$SHARED"
  secret "$SHARED/imapc.secret"
  sed -e "s|@DIR@|$DIR|g" -e "s|@SHARED@|$SHARED|g" -e "s|@PROXY_PORT@|$PROXY_PORT|g" -e "s|@MAIL_UID@|$MAIL_UID|g" \
      -e "s|@IMAPC_SECRET@|$(cat "$SHARED/imapc.secret")|g" "$HERE/local-cluster.conf.template" >"$DIR/cluster.conf"
else
  : >"$DIR/cluster.conf"
fi
chmod 600 "$DIR/dovecot.conf" "$DIR/cluster.conf"
chown "$MAIL_UID:$MAIL_UID" "$DIR/mail" "$DIR/shared" "$DIR/remote"

# shellcheck source=deploy/dovecot/local-common.sh
. "$HERE/local-common.sh"
run_dovecot "dovecot-local: $SERVER" "$DIR/dovecot.conf" "$BASE" "$IMAP_PORT"
