#!/usr/bin/env bash
# Export and import benchmark: doExport of the corpus dataset, doExternalRestore of that export on
# fresh servers (concurrent_accounts 1 and 4), the same import again (all skipped), and the store's
# own ingest of the same mailboxes as the bound an import cannot beat. Prints a markdown table
# (see docs/performance.md, "Export and import").
#   deploy/bench/export-import.sh [runs]
# Environment:
#   BENCH_DIR      work folder (default: a new /tmp/sf-export-bench.XXXXXX); results in $BENCH_DIR/results
#   BENCH_RUNS     runs of every step (default 3; the argument wins)
#   BENCH_CORPUS   message corpus (default: ../shared/corpus next to the checkout)
#   BENCH_KEEP     1 keeps the dataset and the servers; default 0 removes them at the end
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
RUNS="${1:-${BENCH_RUNS:-3}}"
bench_corpus
bench_workdir export data

if [ ! -x /usr/bin/time ]; then
  apt_install time
fi

build_worker_classpath
JAVA=(java -Xmx1g ${BENCH_JAVA_OPTS:-} -Djava.util.logging.config.file="$ROOT/deploy/config/logging.properties" -cp "$CP"
  io.storefleet.worker.bench.ExportImportBenchmark)


D="$BENCH_DIR/data"
echo "dataset..." >&2
"${JAVA[@]}" dataset "$D" "$CORPUS" >>"$LOG" 2>&1
cp "$D/dataset.properties" "$RES/"
rm -rf "$D/old1/export"   # the file tree BackupBenchmark hands to restic; not used here
for i in $(seq 1 "$RUNS"); do
  echo "run $i/$RUNS (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  E="$D/export-$i"
  measure "$RES/1-export-run$i.properties" "${JAVA[@]}" export "$D" "$E" "$RES/1-export-run$i.properties"
  measure "$RES/2-import-c1-run$i.properties" "${JAVA[@]}" import "$D" "new1-$i" "$E" 1 "$RES/2-import-c1-run$i.properties"
  measure "$RES/3-reimport-c1-run$i.properties" "${JAVA[@]}" import "$D" "new1-$i" "$E" 1 "$RES/3-reimport-c1-run$i.properties"
  measure "$RES/4-import-c4-run$i.properties" "${JAVA[@]}" import "$D" "new4-$i" "$E" 4 "$RES/4-import-c4-run$i.properties"
  measure "$RES/5-ingest-run$i.properties" "${JAVA[@]}" ingest "$D" "ingest-$i" "$RES/5-ingest-run$i.properties"
  rm -rf "$E" "$D/new1-$i" "$D/new4-$i" "$D/ingest-$i"
done
"${JAVA[@]}" report "$RES"
[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$D" "$BENCH_DIR/classes"
