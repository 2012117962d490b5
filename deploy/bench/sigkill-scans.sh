#!/usr/bin/env bash
# Repeated SIGKILL of a worker in the middle of SmartScans (BackupCrashIT with KILLS kills, every
# scan deep so that every kill hits a running one; the test fails otherwise): after
# every restart the coherency check must pass and every backup record on disk before the kill must
# still be there (the test fails otherwise). Prints, per restart, the time from starting the worker
# process to its first served command and the coherency check's time, and the longest and median.
#   deploy/bench/sigkill-scans.sh [kills] [seed]      (default 20 kills; about 10 minutes at a load average of 15)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
KILLS="${1:-20}"
SEED="${2:-42}"
report_files sigkill
echo "killing the worker $KILLS times mid-SmartScan, seed $SEED (log: $LOG)..."
run_coordinator_tests BackupCrashIT none -Dstorefleet.crash.kills="$KILLS" -Dstorefleet.crash.seed="$SEED" -Dstorefleet.crash.deepOnly=true \
  -Dstorefleet.crash.report="$REPORT"
kills=$(grep -c '^kill ' "$REPORT" || true)
mid=$(grep -c '^kill .*midScan=true' "$REPORT" || true)
lost=$(awk '/^restart /{for (i = 1; i <= NF; i++) if ($i ~ /^lost=/) {split($i, a, "="); s += a[2]}} END {print s + 0}' "$REPORT")
echo
echo "kills: $kills ($mid while the SmartScan was running); records lost: $lost"
for key in servingMs checkMs; do
  awk -v k="$key" '/^restart /{for (i = 1; i <= NF; i++) if ($i ~ "^" k "=") {split($i, a, "="); print a[2]}}' "$REPORT" \
    | sort -n | awk -v k="$key" '{ t[NR] = $1 } END { if (NR) printf "%s: %d restarts, longest %.1f s, median %.1f s\n", k, NR, t[NR] / 1000, t[int((NR + 1) / 2)] / 1000 }'
done
[ "$status" -eq 0 ] || { echo "BackupCrashIT failed (exit $status); see $LOG" >&2; exit "$status"; }
