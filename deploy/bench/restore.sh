#!/usr/bin/env bash
# Restore benchmark: storefleet's doRestoreOnNewAccount next to `restic restore` of the same
# messages, in one run, on this machine. Two datasets from the corpus: "large" (one account holding
# every message) and "many" (200 accounts, part of the mail delivered to several of them).
# storefleet restores every account of the backup into an empty store; restic restores the same
# messages exported as files into an empty folder. A third, direct-call peer writes the same messages
# straight into an empty store (what the store can take at most). Prints a markdown table
# (docs/performance.md).
#   deploy/bench/restore.sh [runs]
# Environment: BENCH_DIR, BENCH_RUNS (default 3), BENCH_CORPUS, BENCH_KEEP, BENCH_JAVA_OPTS as for backup.sh.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
RUNS="${1:-${BENCH_RUNS:-3}}"
bench_corpus
bench_workdir restore 'set-*' 'run*'

if ! command -v restic >/dev/null || [ ! -x /usr/bin/time ]; then
  apt_install restic time
fi

build_worker_classpath
JVM=(java -Xmx1g ${BENCH_JAVA_OPTS:-} -Djava.util.logging.config.file="$ROOT/deploy/config/logging.properties" -cp "$CP")
BACKUP=("${JVM[@]}" io.storefleet.worker.bench.BackupBenchmark)
RESTORE=("${JVM[@]}" io.storefleet.worker.bench.RestoreBenchmark)
export RESTIC_PASSWORD=storefleet-bench


machine_txt "$(cores_and_memory)" "$(java_version); $(restic version | cut -d' ' -f1-2); $(uname -sr)"

# Each dataset is built and backed up once by both tools; only the restores are measured.
for set in large many; do
  d="$BENCH_DIR/set-$set"
  echo "dataset $set from $CORPUS..." >&2
  if [ "$set" = large ]; then props=(-Dbench.accounts=1 -Dbench.shared=0); else props=(-Dbench.accounts=200); fi
  "${JVM[@]}" "${props[@]}" io.storefleet.worker.bench.BackupBenchmark dataset "$d" "$CORPUS" >>"$LOG" 2>&1
  "${BACKUP[@]}" scan "$d" "$d/storefleet" "$RES/backup-$set.properties" >>"$LOG" 2>&1
  restic -r "$d/restic" init --repository-version 2 -q >>"$LOG" 2>&1
  (cd "$d" && RESTIC_CACHE_DIR="$d/restic-cache" restic -r "$d/restic" backup -q export >>"$LOG" 2>&1)
done

for i in $(seq 1 "$RUNS"); do
  echo "run $i of $RUNS" >&2
  for set in large many; do
    d="$BENCH_DIR/set-$set"
    r="$BENCH_DIR/run$i-$set"
    rm -rf "$r"
    mkdir -p "$r"
    sync
    for tool in $( [ $((i % 2)) = 1 ] && echo "storefleet restic ingest" || echo "ingest restic storefleet"); do
      out="$RES/restore-$set-$tool-$i.properties"
      echo "  $set $tool" >&2
      echo "load1=$(cut -d' ' -f1 /proc/loadavg)" >"$out"
      case "$tool" in
        storefleet) measure "$out" "${RESTORE[@]}" restore "$r/storefleet" "$d/storefleet" "$out.sf" all
                    cat "$out.sf" >>"$out" && rm -f "$out.sf" ;;
        ingest) "${RESTORE[@]}" ingest "$d" "$r/ingest" "$out.sf" >>"$LOG" 2>&1
                cat "$out.sf" >>"$out" && rm -f "$out.sf" ;;
        restic) measure "$out" env RESTIC_CACHE_DIR="$d/restic-cache" restic -r "$d/restic" restore latest \
                  --target "$r/restic" -q ;;
      esac
    done
    [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$r"
  done
done
machine_txt_end

write_report "${RESTORE[@]}" report "$RES"
[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$BENCH_DIR"/set-* "$BENCH_DIR/classes"
echo "results: $RES" >&2
