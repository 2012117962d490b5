#!/usr/bin/env bash
# imap store benchmark (issue 12), in one run on this machine, as root: the corpus appended over
# IMAP to a private Dovecot (started by the test fixture, from the same template as the tests);
# a plain IMAP fetch of every message (the ceiling); full and incremental (1 % changed by another
# IMAP client) SmartScan next to restic over the maildir folder; the large account restored onto a
# new account next to `restic restore` + `sync`; the change feed's detection pass with 10,000 more
# passwd-file users (wall time and Dovecot's CPU). Prints a markdown table (docs/performance.md).
#   deploy/bench/imap.sh
# Environment: BENCH_DIR, BENCH_CORPUS, BENCH_KEEP, BENCH_JAVA_OPTS as for backup.sh;
#   BENCH_ACCOUNTS (default 10), BENCH_USERS (default 10000).
# restic is pinned to Debian 12's 0.14.0 (repository version 2, --compression auto); another
# version runs only with BENCH_ANY_RESTIC=1 and is named in the results.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
. "$ROOT/deploy/bench/lib.sh"
RESTIC_PIN=0.14.0
CORPUS="$(cd "${BENCH_CORPUS:-$ROOT/../shared/corpus}" && pwd)"
BENCH_DIR="${BENCH_DIR:-$(mktemp -d /tmp/sf-imap-bench.XXXXXX)}"
mkdir -p "$BENCH_DIR"
BENCH_DIR="$(cd "$BENCH_DIR" && pwd)"
RES="$BENCH_DIR/results"
LOG="$BENCH_DIR/bench.log"
rm -rf "$RES" "$BENCH_DIR/work" "$BENCH_DIR/classes"
mkdir -p "$RES"
: >"$LOG"

if [ "$(id -u)" -ne 0 ]; then
  echo "run as root: the private Dovecot stores mail as its own user" >&2
  exit 1
fi
"$ROOT/deploy/dovecot/install.sh" >&2
command -v restic >/dev/null || apt_install restic
have="$(restic version | cut -d' ' -f2)"
if [ "$have" != "$RESTIC_PIN" ] && [ "${BENCH_ANY_RESTIC:-0}" != 1 ]; then
  echo "restic $have is installed, the benchmark is pinned to $RESTIC_PIN (BENCH_ANY_RESTIC=1 runs it anyway)" >&2
  exit 1
fi

build_worker_classpath
JAVA=(java -Xmx1g ${BENCH_JAVA_OPTS:-} -Djava.util.logging.config.file="$ROOT/deploy/config/logging.properties"
  -Dbench.imapAccounts="${BENCH_ACCOUNTS:-10}" -Dbench.users="${BENCH_USERS:-10000}" -cp "$CP"
  io.storefleet.worker.bench.ImapBenchmark)

{
  echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')),"\
    "$(free -g | awk '/Mem:/{print $2}') GiB"
  echo "software: $(java -version 2>&1 | head -n 1); $(dovecot --version | cut -d' ' -f1) Dovecot;"\
    "$(restic version | cut -d' ' -f1-2); $(uname -sr)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$RES/machine.txt" >&2

"${JAVA[@]}" run "$BENCH_DIR/work" "$CORPUS" "$RES" 2>&1 | tee -a "$LOG" >&2
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RES/machine.txt" >&2
{
  cat "$RES/machine.txt"
  "${JAVA[@]}" report "$RES"
} | tee "$RES/report.md"
[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$BENCH_DIR/work" "$BENCH_DIR/classes"
echo "results: $RES" >&2
