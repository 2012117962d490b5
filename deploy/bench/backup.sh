#!/usr/bin/env bash
# Backup engine benchmark: storefleet's SmartScan next to restic and borg on the same mail, in one
# run, on this machine. Prints markdown tables (see docs/performance.md, "Backup engine").
#   deploy/bench/backup.sh [runs]
# Environment:
#   BENCH_DIR      work folder (default: a new /tmp/sf-backup-bench.XXXXXX); results in $BENCH_DIR/results
#   BENCH_RUNS     runs of every step, each on a fresh copy of the dataset (default 3; the argument wins)
#   BENCH_CORPUS   message corpus (default: ../shared/corpus next to the checkout)
#   BENCH_PROFILE  1 (default) also profiles one full SmartScan; 0 skips it
#   BENCH_JAVA_OPTS extra JVM options for storefleet's processes
#   BENCH_KEEP     1 keeps the dataset and the per-run repositories; default 0 removes them at the end
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
RUNS="${1:-${BENCH_RUNS:-3}}"
bench_corpus
bench_workdir backup dataset 'run*'

# restic, borg and GNU time (peak RSS) are Debian packages; a fresh machine has none of them.
if ! command -v restic >/dev/null || ! command -v borg >/dev/null || [ ! -x /usr/bin/time ]; then
  apt_install restic borgbackup time
fi

# Build, then run from a copy of the classes so that a rebuild during the run changes nothing.
build_worker_classpath
# The heap limit of deploy/systemd/storefleet-worker@.service.
JAVA=(java -Xmx1g ${BENCH_JAVA_OPTS:-} -Djava.util.logging.config.file="$ROOT/deploy/config/logging.properties" -cp "$CP"
  io.storefleet.worker.bench.BackupBenchmark)

sum_sizes() { # sum_sizes <find arguments...>: total size of the files found
  find "$@" -type f -printf '%s\n' | awk '{s += $1} END {printf "%d", s}'
}

# repo_size <properties file> <repository>: whole repository, file sizes summed and du -sk.
repo_size() {
  echo "repoBytes=$(sum_sizes "$2")" >>"$1"
  echo "repoDuKb=$(du -sk "$2" | cut -f1)" >>"$1"
}

step() { # step <tool> <phase> <run> <run dir>
  local tool="$1" phase="$2" i="$3" r="$4" out="$RES/$1-$2-$3.properties" load
  echo "  $tool $phase" >&2
  load="$(cut -d' ' -f1 /proc/loadavg)"
  case "$tool" in
    storefleet)
      measure "$out" "${JAVA[@]}" scan "$r" "$r/storefleet" "$out"
      repo_size "$out" "$r/storefleet"
      {
        echo "packsBytes=$(sum_sizes "$r/storefleet/blobs/packs")"
        echo "blobIndexBytes=$(sum_sizes "$r/storefleet/blobs" -name index.log)"
        echo "dictionaryBytes=$(sum_sizes "$r/storefleet/blobs" -name '*.dict')"
        echo "itemsLogBytes=$(sum_sizes "$r/storefleet/accounts" -name items.log)"
        echo "accountLogBytes=$(sum_sizes "$r/storefleet/accounts" -name account.log)"
      } >>"$out" ;;
    restic)
      : >"$out"
      (cd "$r" && measure "$out" restic -r "$r/restic" backup -q export)
      repo_size "$out" "$r/restic" ;;
    borg)
      : >"$out"
      (cd "$r" && measure "$out" borg create --compression zstd,3 "$r/borg::$phase" export)
      repo_size "$out" "$r/borg" ;;
  esac
  echo "load1=$load" >>"$out"
}

disk_dev="$(df --output=source "$BENCH_DIR" | tail -n 1)"
machine_txt "$(cores_and_memory), disk $disk_dev ($(df --output=fstype "$BENCH_DIR" | tail -n 1 | tr -d ' '),"\
" rotational=$(cat "/sys/block/$(basename "$disk_dev")/queue/rotational" 2>/dev/null || echo '?'))" \
  "$(java_version); $(restic version | cut -d' ' -f1-2); $(borg --version); $(uname -sr)"

echo "dataset from $CORPUS..." >&2
"${JAVA[@]}" dataset "$BENCH_DIR/dataset" "$CORPUS" >>"$LOG" 2>&1
cp "$BENCH_DIR/dataset/dataset.properties" "$RES/"

TOOLS=(storefleet restic borg)
for i in $(seq 1 "$RUNS"); do
  echo "run $i of $RUNS" >&2
  r="$BENCH_DIR/run$i"
  rm -rf "$r"
  cp -a "$BENCH_DIR/dataset" "$r"
  export RESTIC_PASSWORD=storefleet-bench RESTIC_CACHE_DIR="$r/restic-cache"
  export BORG_CACHE_DIR="$r/borg-cache" BORG_CONFIG_DIR="$r/borg-config" BORG_BASE_DIR="$r/borg-base"
  export BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes BORG_RELOCATED_REPO_ACCESS_IS_OK=yes
  restic -r "$r/restic" init --repository-version 2 -q >>"$LOG" 2>&1
  borg init -e none "$r/borg" >>"$LOG" 2>&1
  sync
  # Rotate the order of the tools from run to run so that none always goes first.
  order=("${TOOLS[@]:$(( (i - 1) % 3 ))}" "${TOOLS[@]:0:$(( (i - 1) % 3 ))}")
  for t in "${order[@]}"; do step "$t" full "$i" "$r"; done
  # The same 1 % change in the store and in the exported tree.
  "${JAVA[@]}" change "$r" 0.01 >>"$LOG" 2>&1
  cp "$r/change.properties" "$RES/"
  sync
  for t in "${order[@]}"; do step "$t" incr "$i" "$r"; done
  [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$r"
  # As a running worker scans: one warm JVM, full scan, the same change, incremental scan.
  echo "  storefleet in a running worker" >&2
  rw="$BENCH_DIR/run$i-worker"
  rm -rf "$rw"
  cp -a "$BENCH_DIR/dataset" "$rw"
  sync
  load="$(cut -d' ' -f1 /proc/loadavg)"
  # Under GNU time for its peak RSS (the whole JVM, warm-up included); the program writes the file
  # first, measure appends after it.
  measure "$RES/worker-$i.properties" "${JAVA[@]}" worker "$rw" "$RES/worker-$i.properties"
  echo "load1=$load" >>"$RES/worker-$i.properties"
  [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$rw"
done

if [ "${BENCH_PROFILE:-1}" = 1 ]; then
  echo "profiling one full SmartScan..." >&2
  rm -rf "$BENCH_DIR/profile"
  cp -a "$BENCH_DIR/dataset" "$BENCH_DIR/profile"
  "${JAVA[@]}" profile "$BENCH_DIR/profile" "$RES/profile.properties" >>"$LOG" 2>&1
  [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$BENCH_DIR/profile"
fi
machine_txt_end

write_report "${JAVA[@]}" report "$RES"
[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$BENCH_DIR/dataset" "$BENCH_DIR/classes"
echo "results: $RES" >&2
