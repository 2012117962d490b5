#!/usr/bin/env bash
# Share check and fix at scale: a synthetic cluster as an import leaves it (a million import-map
# entries, a hundred thousand shares), then merge, check, fix and check again, with the vendor's
# map shape and the bare store commits as peers. Prints a markdown table (docs/performance.md,
# "Shares"). Sizes are system properties, e.g. BENCH_JAVA_OPTS="-Dbench.shares=10000".
#   deploy/bench/shares.sh
# Environment:
#   BENCH_DIR        work folder (default: a new /tmp/sf-shares-bench.XXXXXX), removed at the end
#   BENCH_JAVA_OPTS  extra JVM options (heap, bench.* sizes)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bench_dir shares
trap 'rm -rf "$BENCH_DIR/cluster" "$BENCH_DIR/classes"' EXIT
build_worker_classpath
machine_line
# Three servers' stores and the survey share this heap here (in production each worker and the
# coordinator have their own 1 GiB), so the GC column matters.
java -Xmx4g ${BENCH_JAVA_OPTS:-} -Djava.util.logging.config.file="$ROOT/deploy/config/logging.properties" \
  -cp "$CP" io.storefleet.worker.bench.SharesBenchmark "$BENCH_DIR/cluster"
