#!/usr/bin/env bash
# The fuzz tests at full size: CASES generated command lines through the CLI grammar
# (CliGrammarFuzzTest) and CASES generated bodies of POST /api/v1/commands against a real
# coordinator and worker (CommandsFuzzIT). Either fails on a crash, a 5xx, a refusal without a
# named error, an operation failing INTERNAL or a file written outside the allowed root; prints
# the time taken and how the API answered.
#   deploy/bench/fuzz.sh [cases] [seed]      (default 10000 and a new seed; about 10 minutes)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CASES="${1:-10000}"
SEED="${2:-$RANDOM$RANDOM}"
report_files fuzz
echo "$CASES cases each, seed $SEED (log: $LOG)..."
run_coordinator_tests CommandsFuzzIT CliGrammarFuzzTest -Dstorefleet.fuzz.cases="$CASES" -Dstorefleet.fuzz.seed="$SEED" \
  -Dstorefleet.fuzz.report="$REPORT"
echo
cat "$REPORT"
[ "$status" -eq 0 ] || { grep -h -A3 'fails (rerun with' "$LOG" | head -n 20 >&2; echo "the fuzz tests failed (exit $status); see $LOG" >&2; exit "$status"; }
