# Shared by the benchmark scripts in this folder; sourced, not run. Callers set ROOT, BENCH_DIR and LOG.

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
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -n 1)"
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
