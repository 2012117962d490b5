#!/usr/bin/env bash
# Off-site copy benchmark: storefleet's SmartScan with its encrypted upload next to `restic backup`
# to the same local S3 server (S3Proxy), and a restore from the bucket next to `restic restore`,
# in one run, on this machine; each step as a process of its own (cold), then the same work in one
# warm JVM as a running worker does it. Prints markdown tables (docs/performance.md, "Off-site copy").
#   deploy/bench/offsite.sh [runs]
# Environment:
#   BENCH_DIR      work folder (default: a new /tmp/sf-offsite-bench.XXXXXX); results in $BENCH_DIR/results
#   BENCH_RUNS     runs, each on a fresh copy of the dataset and fresh buckets (default 3; the argument wins)
#   BENCH_CORPUS   message corpus (default: ../shared/corpus next to the checkout)
#   BENCH_S3_PORT  the S3 server's port (default 9100)
#   BENCH_KEEP     1 keeps the dataset, the buckets and the restores; default 0 removes them
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
RUNS="${1:-${BENCH_RUNS:-3}}"
bench_corpus
bench_workdir offsite dataset 'run*' s3
S3_PORT="${BENCH_S3_PORT:-9100}"
mkdir -p "$BENCH_DIR/s3/data"

if ! command -v restic >/dev/null || [ ! -x /usr/bin/time ]; then
  apt_install restic time
fi
build_worker_classpath
(./mvnw -q -B -f deploy/s3proxy/pom.xml dependency:build-classpath -Dmdep.outputFile="$BENCH_DIR/s3/classpath")
JVM=(java -Xmx1g -Djava.util.logging.config.file="$ROOT/deploy/config/logging.properties" -cp "$CP")

# One S3 server for both tools: the filesystem backend keeps each object as a file, so the
# bytes and objects each tool stored are counted from its bucket's folder.
S3_ID=bench-$RANDOM
S3_KEY=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
(umask 077
 printf '%s\n' "s3proxy.endpoint=http://127.0.0.1:$S3_PORT" "s3proxy.authorization=aws-v2-or-v4" \
   "s3proxy.identity=$S3_ID" "s3proxy.credential=$S3_KEY" "jclouds.provider=filesystem" \
   "jclouds.filesystem.basedir=$BENCH_DIR/s3/data" >"$BENCH_DIR/s3/s3proxy.conf"
 printf 'access_key_id = %s\nsecret_access_key = %s\npassphrase = %s\n' "$S3_ID" "$S3_KEY" \
   "storefleet-bench-passphrase" >"$BENCH_DIR/s3/secrets")
java -Xmx512m -Dlogback.configurationFile="$ROOT/deploy/s3proxy/logback.xml" -cp "$(cat "$BENCH_DIR/s3/classpath")" \
  org.gaul.s3proxy.Main --properties "$BENCH_DIR/s3/s3proxy.conf" >"$BENCH_DIR/s3/s3.out" 2>&1 &
S3_PID=$!
trap 'kill "$S3_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$S3_PORT") 2>/dev/null; then break; fi
  kill -0 "$S3_PID" 2>/dev/null || { echo "offsite.sh: the S3 server died; see $BENCH_DIR/s3/s3.out" >&2; exit 70; }
  sleep 0.1
done
export AWS_ACCESS_KEY_ID="$S3_ID" AWS_SECRET_ACCESS_KEY="$S3_KEY" RESTIC_PASSWORD=storefleet-bench
OFFSITE=("${JVM[@]}" -Dbench.s3.endpoint="http://127.0.0.1:$S3_PORT" -Dbench.s3.secrets="$BENCH_DIR/s3/secrets")
OFFSITE_MAIN=io.storefleet.worker.offsite.OffsiteBenchmark

bucket_size() { # bucket_size <properties file> <bucket>: bytes and objects the S3 server stores for it
  local b="$BENCH_DIR/s3/data/$2"
  echo "bucketBytes=$(find "$b" -type f -printf '%s\n' | awk '{s += $1} END {printf "%d", s}')" >>"$1"
  echo "bucketObjects=$(find "$b" -type f | wc -l)" >>"$1"
}

machine_txt "$(nproc) cores, $(memory_gib) GiB" "$(java_version); $(restic version | cut -d' ' -f1-2) (repository"\
" version 2, compression auto); S3Proxy 2.6.0 (filesystem backend, loopback); $(uname -sr)"

echo "dataset from $CORPUS..." >&2
"${JVM[@]}" io.storefleet.worker.bench.BackupBenchmark dataset "$BENCH_DIR/dataset" "$CORPUS" >>"$LOG" 2>&1
cp "$BENCH_DIR/dataset/dataset.properties" "$RES/"

for i in $(seq 1 "$RUNS"); do
  echo "run $i of $RUNS" >&2
  r="$BENCH_DIR/run$i"
  rm -rf "$r"
  cp -a "$BENCH_DIR/dataset" "$r"
  sf="sf-$i" rs="restic-$i"
  mkdir -p "$BENCH_DIR/s3/data/$sf" # a bucket, for the filesystem backend
  export RESTIC_CACHE_DIR="$r/restic-cache"
  restic -r "s3:http://127.0.0.1:$S3_PORT/$rs" init --repository-version 2 -q >>"$LOG" 2>&1
  sync
  for phase in full incr; do
    if [ "$phase" = incr ]; then
      "${JVM[@]}" io.storefleet.worker.bench.BackupBenchmark change "$r" 0.01 >>"$LOG" 2>&1
      sync
    fi
    # The first tool alternates from run to run.
    for tool in $( [ $((i % 2)) = 1 ] && echo "storefleet restic" || echo "restic storefleet"); do
      out="$RES/$tool-$phase-$i.properties"
      echo "  $tool $phase" >&2
      echo "load1=$(cut -d' ' -f1 /proc/loadavg)" >"$out"
      case "$tool" in
        storefleet) measure "$out" "${OFFSITE[@]}" -Dbench.s3.bucket="$sf" "$OFFSITE_MAIN" backup "$r" "$r/storefleet" "$r/state" "$out.sf"
                    cat "$out.sf" >>"$out" && rm -f "$out.sf"
                    bucket_size "$out" "$sf" ;;
        restic) (cd "$r" && measure "$out" restic -r "s3:http://127.0.0.1:$S3_PORT/$rs" backup -q export)
                bucket_size "$out" "$rs" ;;
      esac
    done
  done
  # Restore from the bucket alone: storefleet fetches the path, then restores every account into an
  # empty store (doRestoreOnNewAccount); restic restores the tree; both then sync.
  for tool in $( [ $((i % 2)) = 1 ] && echo "storefleet restic" || echo "restic storefleet"); do
    out="$RES/$tool-restore-$i.properties"
    echo "  $tool restore" >&2
    echo "load1=$(cut -d' ' -f1 /proc/loadavg)" >"$out"
    t0=$(date +%s%N)
    case "$tool" in
      storefleet) measure "$out" "${OFFSITE[@]}" -Dbench.s3.bucket="$sf" "$OFFSITE_MAIN" fetch "$r/fetched" "$out.f"
                  sed 's/^wallMs=/fetchWallMs=/; s/^rssKb=/fetchRssKb=/' "$out" >"$out.t" && mv "$out.t" "$out"
                  measure "$out" "${JVM[@]}" io.storefleet.worker.bench.RestoreBenchmark restore "$r/restored" "$r/fetched" "$out.r" all
                  cat "$out.f" "$out.r" >>"$out" && rm -f "$out.f" "$out.r" ;;
      restic) measure "$out" restic -r "s3:http://127.0.0.1:$S3_PORT/$rs" restore latest --target "$r/restic-restore" -q ;;
    esac
    sync
    echo "totalMs=$(( ($(date +%s%N) - t0) / 1000000 ))" >>"$out"
  done
  # As a running worker uploads and fetches: one warm JVM (OffsiteBenchmark worker) on a fresh copy
  # of the dataset, its own buckets; restic's rows above stay the peer (a fresh process each time,
  # as an operator runs it). Then the local store's restore of what it fetched (RestoreBenchmark:
  # restoreMs is the operation alone); each followed by a timed sync.
  echo "  storefleet in a running worker" >&2
  rw="$r-worker" sw="sfw-$i"
  rm -rf "$rw" && cp -a "$BENCH_DIR/dataset" "$rw"
  mkdir -p "$BENCH_DIR/s3/data/$sw" "$BENCH_DIR/s3/data/$sw-warmup"
  out="$RES/storefleet-worker-$i.properties"
  measure "$out.m" "${OFFSITE[@]}" -Dbench.s3.bucket="$sw" -Dbench.s3.data="$BENCH_DIR/s3/data" "$OFFSITE_MAIN" \
    worker "$rw" "$rw/state" "$rw/fetched" "$out"
  t0=$(date +%s%N); sync; echo "fetchSyncMs=$(( ($(date +%s%N) - t0) / 1000000 ))" >>"$out"
  cat "$out.m" >>"$out" && rm -f "$out.m"
  out="$RES/storefleet-wrestore-$i.properties"
  echo "load1=$(cut -d' ' -f1 /proc/loadavg)" >"$out"
  measure "$out" "${JVM[@]}" io.storefleet.worker.bench.RestoreBenchmark restore "$rw/restored" "$rw/fetched" "$out.r" all
  t0=$(date +%s%N); sync; echo "syncMs=$(( ($(date +%s%N) - t0) / 1000000 ))" >>"$out"
  cat "$out.r" >>"$out" && rm -f "$out.r"
  [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$r" "$rw" "$BENCH_DIR/s3/data/$sf" "$BENCH_DIR/s3/data/$rs" \
    "$BENCH_DIR/s3/data/$sw" "$BENCH_DIR/s3/data/$sw-warmup"
done
machine_txt_end

write_report "${JVM[@]}" io.storefleet.worker.offsite.OffsiteBenchmark report "$RES"
[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$BENCH_DIR/dataset" "$BENCH_DIR/classes"
echo "results: $RES" >&2
