#!/usr/bin/env bash
# imap store benchmark (issue 12), in one run on this machine, as root: the corpus appended over
# IMAP to a private Dovecot (started by the test fixture, from the same template as the tests);
# a plain IMAP fetch of every message (the ceiling); full and incremental (1 % changed by another
# IMAP client) SmartScan next to restic over the maildir folder; the large account restored onto a
# new account next to `restic restore` + `sync`; the change feed's detection pass with 10,000 more
# passwd-file users (wall time and Dovecot's CPU). Those first scans run in a fresh JVM; then, as
# in a running worker, the same JVM (warmed by all of the above) appends the corpus to a second
# Dovecot and runs the fetch, the first full and incremental scans and restic again there, with
# a new store state and backup. The store uses the production settings' defaults. Prints a
# markdown table (docs/performance.md).
#   deploy/bench/imap.sh
# Environment: BENCH_DIR, BENCH_CORPUS, BENCH_KEEP, BENCH_JAVA_OPTS as for backup.sh;
#   BENCH_ACCOUNTS (default 10), BENCH_USERS (default 10000); BENCH_JAVA_OPTS=-Dbench.profileFull=true
#   also profiles the full scan (JFR). The JVM's CPU by thread during each full scan (the JIT
#   compilers' apart) is always in the results.
# restic is pinned to Debian 12's 0.14.0 (repository version 2, --compression auto); another
# version runs only with BENCH_ANY_RESTIC=1 and is named in the results.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
RESTIC_PIN=0.14.0
bench_corpus
bench_workdir imap work

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

machine_txt "$(cores_and_memory)" \
  "$(java_version); $(dovecot --version | cut -d' ' -f1) Dovecot; $(restic version | cut -d' ' -f1-2); $(uname -sr)"

"${JAVA[@]}" run "$BENCH_DIR/work" "$CORPUS" "$RES" 2>&1 | tee -a "$LOG" >&2
machine_txt_end
write_report "${JAVA[@]}" report "$RES"
[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$BENCH_DIR/work" "$BENCH_DIR/classes"
echo "results: $RES" >&2
