#!/usr/bin/env bash
# Starts (or finds running) the proxy that links the local Dovecots of deploy/run-local.sh
# --store imap by Dovecot's cluster sharing, as root:
#
#   deploy/dovecot/start-local-proxy.sh DIR IMAP_PORT SHARED_DIR SERVER_DIR:SERVER_IMAP_PORT...
#
# A login is routed to the server whose DIR/users lists the user; the servers' imapc logins
# (<owner>*<grantee>) are accepted with the secret start-local.sh made in SHARED_DIR/imapc.secret,
# so the servers are started (start-local.sh ... PROXY_PORT SHARED_DIR) first. Stop it with:
# kill $(cat BASE_DIR/master.pid) (BASE_DIR is in DIR/dovecot.conf's base_dir line).
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 DIR IMAP_PORT SHARED_DIR SERVER_DIR:SERVER_IMAP_PORT..." >&2; exit 64; }
DIR="$1"; IMAP_PORT="$2"; SHARED="$3"; shift 3
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DOVECOT="$(command -v dovecot || ls /usr/sbin/dovecot 2>/dev/null || true)"
[ -n "$DOVECOT" ] || { echo "dovecot-proxy: dovecot is not installed; run $HERE/install.sh as root" >&2; exit 69; }
[ "$(id -u)" -eq 0 ] || { echo "dovecot-proxy: run as root" >&2; exit 77; }
[ -s "$SHARED/imapc.secret" ] || { echo "dovecot-proxy: $SHARED/imapc.secret is missing; start the servers" \
  "with start-local.sh ... $IMAP_PORT $SHARED first" >&2; exit 64; }

mkdir -p "$DIR"/{state,log}
DIR="$(cd "$DIR" && pwd)"
BASE="/tmp/sfl-$(printf '%s' "$DIR" | cksum | cut -d' ' -f1)"
routes=""
for server in "$@"; do
  routes="$routes
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${server%:*}/users
  override_fields = proxy=y host=127.0.0.1 port=${server##*:}
}"
done
conf="$(sed -e "s|@DIR@|$DIR|g" -e "s|@BASE@|$BASE|g" -e "s|@IMAP_PORT@|$IMAP_PORT|g" \
  -e "s|@IMAPC_SECRET@|$(cat "$SHARED/imapc.secret")|g" "$HERE/local-proxy.conf.template")"
(umask 077; printf '%s\n' "${conf/@BACKENDS@/$routes}" >"$DIR/dovecot.conf")

# shellcheck source=deploy/dovecot/local-common.sh
. "$HERE/local-common.sh"
run_dovecot "dovecot-proxy: the proxy" "$DIR/dovecot.conf" "$BASE" "$IMAP_PORT"
