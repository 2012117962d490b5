#!/usr/bin/env bash
# Coordinator failover criterion: two coordinator processes in front of two workers; REQUESTS
# routed submits (doAccountScan), each followed by a poll, from four clients (the CLI's client,
# two asking coordinator 1 first and two coordinator 2) while one coordinator, chosen at random,
# is SIGKILLed mid-run after a random number of answers (the later requests wait for it); RUNS runs, the killed coordinator started again
# between them. Each run fails unless every request id the client saw accepted ran exactly once
# (one operation carrying the id in the operation logs, started once, SUCCEEDED) and none was
# lost; prints per run the requests, the client's moves to the other coordinator and the answers
# marked as repeats.
#   deploy/bench/failover.sh [requests] [runs]      (default 500 and 3)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
REQUESTS="${1:-500}"
RUNS="${2:-3}"
report_files failover
echo "running $RUNS runs of $REQUESTS requests (log: $LOG)..."
run_cluster_its FailoverIT -Dstorefleet.failover.requests="$REQUESTS" -Dstorefleet.failover.runs="$RUNS" \
  -Dstorefleet.failover.report="$REPORT"
echo
echo "| run | requests | accepted | submits moved to the other coordinator | requests moved (submit or poll) | answered as a repeat | lost or doubled | killed | after |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
awk '{ printf "| %s | %s | %s | %s | %s | %s | %s | coordinator %s | %s answers |\n", $3, $5, $7, $9, $11, $13, $15, $18, $20 }' "$REPORT"
[ "$status" -eq 0 ] || { echo "the failover test failed (exit $status); see $LOG" >&2; exit "$status"; }
