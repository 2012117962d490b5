#!/usr/bin/env bash
# Starts a real Prometheus (Debian's, deploy/prometheus/install.sh) against the local cluster of
# deploy/run-local.sh, which must be running, and shows its scrape targets once they are up.
#
#   deploy/prometheus/start-local.sh          run until Ctrl-C (UI on http://127.0.0.1:9090)
#   deploy/prometheus/start-local.sh --once   show the targets up and a query, then stop
#
# On the first run it creates the viewer token `prometheus` (run/local/prometheus-token, mode
# 0600) with the local admin token. Data: run/local/prometheus/data. Environment:
# STOREFLEET_HTTP_PORT (8080), STOREFLEET_METRICS_PORT_BASE (9460: workers on 9461..9463),
# STOREFLEET_PROMETHEUS_PORT (9090).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN="$ROOT/run/local"
HERE="$ROOT/deploy/prometheus"
ONCE=0
case "${1:-}" in
  --once) ONCE=1 ;;
  "") ;;
  *) echo "usage: deploy/prometheus/start-local.sh [--once]" >&2; exit 64 ;;
esac
PORT="${STOREFLEET_HTTP_PORT:-8080}"
BASE="${STOREFLEET_METRICS_PORT_BASE:-9460}"
PROM_PORT="${STOREFLEET_PROMETHEUS_PORT:-9090}"
command -v prometheus >/dev/null && command -v promtool >/dev/null \
  || { echo "start-local: prometheus is not installed; run: sudo deploy/prometheus/install.sh" >&2; exit 69; }
[ -f "$RUN/url" ] && [ -f "$RUN/admin-token" ] \
  || { echo "start-local: no local cluster in $RUN; start deploy/run-local.sh first" >&2; exit 69; }
SF="$ROOT/deploy/bin/storefleet"
"$SF" servers >/dev/null 2>&1 \
  || { echo "start-local: the local cluster does not answer at $(cat "$RUN/url"); start deploy/run-local.sh first" >&2; exit 69; }

if [ ! -s "$RUN/prometheus-token" ]; then
  answer="$("$SF" --json tokens create prometheus viewer)" \
    || { echo "start-local: could not create the viewer token 'prometheus' (if it exists but its file was lost:" \
           "deploy/bin/storefleet tokens revoke prometheus, then run this again)" >&2; exit 70; }
  token="$(printf '%s' "$answer" | sed -n 's/.*"token" *: *"\([0-9a-f]*\)".*/\1/p' | head -n 1)"
  [ -n "$token" ] || { echo "start-local: no token in the answer: $answer" >&2; exit 70; }
  (umask 077; printf '%s\n' "$token" >"$RUN/prometheus-token")
fi

P="$RUN/prometheus"
mkdir -p "$P/data"
sed -e "s/127.0.0.1:8080/127.0.0.1:$PORT/" \
    -e "s/127.0.0.1:9461/127.0.0.1:$((BASE + 1))/" -e "s/127.0.0.1:9462/127.0.0.1:$((BASE + 2))/" \
    -e "s/127.0.0.1:9463/127.0.0.1:$((BASE + 3))/" -e "s/scrape_interval: 15s/scrape_interval: 5s/" \
    "$HERE/prometheus.yml" >"$P/prometheus.yml"
cp "$HERE/storefleet.rules.yml" "$P/"
promtool check config "$P/prometheus.yml"

prometheus --config.file="$P/prometheus.yml" --storage.tsdb.path="$P/data" \
  --web.listen-address="127.0.0.1:$PROM_PORT" >"$P/prometheus.log" 2>&1 &
PID=$!
trap 'kill -TERM $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT INT TERM
API="http://127.0.0.1:$PROM_PORT/api/v1"
targets() { curl -sf "$API/targets?state=active" || true; }
for _ in $(seq 1 120); do
  t="$(targets)"
  if [ -n "$t" ] && [ "$(printf '%s' "$t" | grep -o '"health":"up"' | wc -l)" -ge 4 ]; then break; fi
  kill -0 $PID 2>/dev/null || { echo "start-local: prometheus ended; see $P/prometheus.log" >&2; exit 70; }
  sleep 0.5
done
echo "Prometheus on http://127.0.0.1:$PROM_PORT, scraping every 5 s. Targets:"
targets | python3 -c '
import json, sys
for t in json.load(sys.stdin)["data"]["activeTargets"]:
    print("  %-24s %-24s %-5s %s" % (t["labels"]["job"], t["labels"]["instance"], t["health"], t["lastError"]))
'
up="$(targets | grep -o '"health":"up"' | wc -l)"
echo "Queue depth per server (storefleet_queue_depth):"
curl -sf "$API/query?query=storefleet_queue_depth" | python3 -c '
import json, sys
for r in json.load(sys.stdin)["data"]["result"]:
    print("  %-8s %s" % (r["metric"]["server"], r["value"][1]))
'
if [ "$up" -lt 4 ]; then
  echo "start-local: only $up of 4 targets are up; see the errors above" >&2
  exit 70
fi
if [ "$ONCE" = 1 ]; then
  exit 0
fi
echo "Alerts: http://127.0.0.1:$PROM_PORT/alerts. Ctrl-C stops Prometheus."
wait $PID
