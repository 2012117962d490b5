#!/usr/bin/env bash
# Rejoin benchmark: a worker paused with SIGSTOP for 10 s and for 60 s, a coordinator paused for
# 10 s, and (as root, in network namespaces) a worker cut off for 60 s, each ROUNDS times, with
# operations running and queued on the worker. Every round must rejoin within 30 s with no
# operation lost or run twice (the tests fail otherwise); prints, per fault, the rounds run and
# the longest and median time from the fault's end to the first routed command served.
#   deploy/bench/rejoin.sh [rounds]      (default 10; about 35 minutes for 10)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS="${1:-10}"
report_files rejoin
echo "running $ROUNDS rounds of each fault (log: $LOG)..."
# One fault at a time, as the figures in docs/reliability.md were measured (CI runs them side by side).
run_cluster_its 'RejoinIT,PartitionIT' -Dstorefleet.rejoin.rounds="$ROUNDS" -Dstorefleet.rejoin.report="$REPORT" \
  -Dit.longFaults.parallel=false
grep -h 'Skipped: [1-9]\|network namespaces cannot' "$LOG" | head -n 3 || true
echo
echo "| fault | rounds | longest resume → first success | median |"
echo "| --- | --- | --- | --- |"
for fault in $(awk '{print $1}' "$REPORT" | sort -u); do
  awk -v f="$fault" '$1 == f {print $5}' "$REPORT" | sort -n | awk -v f="$fault" '
    { t[NR] = $1 }
    END { printf "| %s | %d | %.1f s | %.1f s |\n", f, NR, t[NR] / 1000, t[int((NR + 1) / 2)] / 1000 }'
done
[ "$status" -eq 0 ] || { echo "the rejoin tests failed (exit $status); see $LOG" >&2; exit "$status"; }
