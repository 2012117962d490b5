#!/usr/bin/env bash
# The fuzz tests at full size: CASES generated command lines through the CLI grammar
# (CliGrammarFuzzTest) and CASES generated bodies of POST /api/v1/commands against a real
# coordinator and worker (CommandsFuzzIT). Either fails on a crash, a 5xx, a refusal without a
# named error, an operation failing INTERNAL or a file written outside the allowed root; prints
# the time taken and how the API answered.
#   deploy/bench/fuzz.sh [cases] [seed]      (default 10000 and a new seed; about 10 minutes)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CASES="${1:-10000}"
SEED="${2:-$RANDOM$RANDOM}"
OUT="$ROOT/target/bench-fuzz"
mkdir -p "$OUT"
REPORT="$OUT/fuzz-$(date -u +%Y%m%dT%H%M%SZ).txt"
LOG="${REPORT%.txt}.log"
: >"$REPORT"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -n 1)"
echo "$CASES cases each, seed $SEED (log: $LOG)..."
status=0
(cd "$ROOT" && ./mvnw -B -pl coordinator -am verify -Dtest=CliGrammarFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=CommandsFuzzIT -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dstorefleet.fuzz.cases="$CASES" -Dstorefleet.fuzz.seed="$SEED" -Dstorefleet.fuzz.report="$REPORT") \
  >"$LOG" 2>&1 || status=$?
grep -h 'Tests run:.*in io.storefleet' "$LOG" || true
echo
cat "$REPORT"
[ "$status" -eq 0 ] || { grep -h -A3 'fails (rerun with' "$LOG" | head -n 20 >&2; echo "the fuzz tests failed (exit $status); see $LOG" >&2; exit "$status"; }
