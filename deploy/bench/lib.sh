# Shared by the benchmark scripts in this folder; sourced, not run. Sourcing sets ROOT, the checkout
# holding this file; the functions below set BENCH_DIR, RES, LOG and CORPUS as they say.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# bench_dir <name>: BENCH_DIR, the work folder (default: a new /tmp/sf-<name>-bench.XXXXXX), made
# and as an absolute path.
bench_dir() {
  BENCH_DIR="${BENCH_DIR:-$(mktemp -d "/tmp/sf-$1-bench.XXXXXX")}"
  mkdir -p "$BENCH_DIR"
  BENCH_DIR="$(cd "$BENCH_DIR" && pwd)"
}

# bench_workdir <name> [pattern...]: bench_dir, then RES (an empty results folder in it) and LOG
# (an empty bench.log); the classes and what the patterns (globs in BENCH_DIR) name, left by an
# earlier run, are removed.
bench_workdir() {
  local p
  bench_dir "$1"
  shift
  RES="$BENCH_DIR/results"
  LOG="$BENCH_DIR/bench.log"
  rm -rf "$RES" "$BENCH_DIR/classes"
  for p in "$@"; do
    # shellcheck disable=SC2086 # the pattern is a glob on purpose
    rm -rf "$BENCH_DIR"/$p
  done
  mkdir -p "$RES"
  : >"$LOG"
}

# bench_corpus: CORPUS, the message corpus (BENCH_CORPUS; default ../shared/corpus next to the checkout).
bench_corpus() {
  CORPUS="$(cd "${BENCH_CORPUS:-$ROOT/../shared/corpus}" && pwd)"
}

# apt_install <package...>: Debian packages a fresh machine lacks (as root, or through sudo).
apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

# build_worker_classpath: builds the worker's test classes and sets CP to a copy of them and their
# dependencies, so that a rebuild while a benchmark runs changes nothing.
build_worker_classpath() {
  echo "building..." >&2
  (cd "$ROOT" && ./mvnw -q -B -pl worker -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$BENCH_DIR/deps.txt")
  local m deps c="$BENCH_DIR/classes"
  rm -rf "$c"
  for m in worker/target/test-classes worker/target/classes shares/target/classes protocol/target/classes \
    fabric/target/classes; do
    mkdir -p "$c/$m" && cp -a "$ROOT/$m/." "$c/$m/"
  done
  deps="$(tr ':' '\n' <"$BENCH_DIR/deps.txt" | grep -v '/target/classes$' | paste -sd: -)"
  CP="$c/worker/target/test-classes:$c/worker/target/classes:$c/shares/target/classes:$c/protocol/target/classes"
  CP="$CP:$c/fabric/target/classes:$deps"
}

# measure <properties file> <command...>: runs the command under GNU time, its output to $LOG, and
# appends its wall time (wallMs) and peak RSS (rssKb) to the properties file.
measure() {
  local out="$1" tf t0 t1
  shift
  tf="$(mktemp)"
  t0=$(date +%s%N)
  if ! /usr/bin/time -v -o "$tf" "$@" >>"$LOG" 2>&1; then
    echo "failed: $* (see $LOG)" >&2
    tail -n 30 "$LOG" >&2
    exit 1
  fi
  t1=$(date +%s%N)
  echo "wallMs=$(( (t1 - t0) / 1000000 ))" >>"$out"
  echo "rssKb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tf")" >>"$out"
  rm -f "$tf"
}

# machine_line: the machine a benchmark runs on, for its report.
machine_line() {
  echo "machine: $(nproc) cores, $(memory_gib) GiB, $(java_version)"
}

# cores_and_memory: "<n> cores (<cpu model>), <m> GiB".
cores_and_memory() {
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(memory_gib) GiB"
}

memory_gib() {
  free -g | awk '/Mem:/{print $2}'
}

java_version() {
  java -version 2>&1 | head -n 1
}

load_average() {
  cut -d' ' -f1-3 /proc/loadavg
}

# machine_txt <machine> <software>: $RES/machine.txt (and stderr) names the machine, the software
# and the load average at the start; machine_txt_end adds the load average at the end.
machine_txt() {
  {
    echo "machine: $1"
    echo "software: $2"
    echo "load average at start: $(load_average)"
  } | tee "$RES/machine.txt" >&2
}

machine_txt_end() {
  echo "load average at end: $(load_average)" | tee -a "$RES/machine.txt" >&2
}

# write_report <command...>: $RES/report.md (and stdout) is machine.txt followed by what the
# command prints.
write_report() {
  {
    cat "$RES/machine.txt"
    "$@"
  } | tee "$RES/report.md"
}

# report_files <name>: sets OUT (target/bench-<name>), REPORT (a new empty report named after the
# time) and LOG beside it, and prints the machine the figures come from.
report_files() {
  OUT="$ROOT/target/bench-$1"
  mkdir -p "$OUT"
  REPORT="$OUT/$1-$(date -u +%Y%m%dT%H%M%SZ).txt"
  LOG="${REPORT%.txt}.log"
  : >"$REPORT"
  machine_line
}

# run_cluster_its <IT classes> [-Dname=value...]: run_coordinator_tests with no unit tests.
run_cluster_its() {
  local its="$1"
  shift
  run_coordinator_tests "$its" none "$@"
}

# run_coordinator_tests <ITs> <unit tests|none> [-Dname=value...]: runs them in the coordinator
# (building what it needs), output to $LOG; sets status to Maven's exit code and prints the counts.
run_coordinator_tests() {
  local its="$1" tests="$2"
  shift 2
  status=0
  (cd "$ROOT" && ./mvnw -B -pl coordinator -am verify -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test="$its" -Dfailsafe.failIfNoSpecifiedTests=false "$@") >"$LOG" 2>&1 || status=$?
  grep -h 'Tests run:.*in io.storefleet' "$LOG" || true
}
