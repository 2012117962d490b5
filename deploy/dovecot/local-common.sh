# Sourced by start-local.sh and start-local-proxy.sh (needs DOVECOT set to the dovecot binary).

# run_dovecot WHO CONF BASE_DIR IMAP_PORT: starts the instance of CONF, or reloads it when its
# master (pid in BASE_DIR) runs, then waits until it accepts IMAP on 127.0.0.1:IMAP_PORT. Exits 70
# naming WHO and the log when it does not.
run_dovecot() {
  local who="$1" conf="$2" base="$3" port="$4"
  if [ -f "$base/master.pid" ] && kill -0 "$(cat "$base/master.pid")" 2>/dev/null; then
    "$DOVECOT" -c "$conf" reload
  else
    "$DOVECOT" -c "$conf"
  fi
  for _ in $(seq 1 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "$who does not accept IMAP on 127.0.0.1:$port; see $(dirname "$conf")/log/dovecot.log" >&2
  exit 70
}
