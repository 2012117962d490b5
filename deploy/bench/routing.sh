#!/usr/bin/env bash
# Routing benchmark: requests routed by the coordinator (HTTP) next to the same requests sent
# straight to the owning worker (event bus), in one run, on this machine. Prints a markdown table.
#   deploy/bench/routing.sh [requests-per-path] [concurrency]
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
./mvnw -q -B -DskipTests install
CP_FILE="$ROOT/coordinator/target/test-classpath.txt"
./mvnw -q -B -pl coordinator dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE"
CP="$ROOT/coordinator/target/test-classes:$ROOT/coordinator/target/classes:$(cat "$CP_FILE")"
machine_line
exec java -Xmx1g --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
  --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-modules java.se -Djava.util.logging.config.file="$ROOT/deploy/config/logging.properties" \
  -Dbench.requests="${1:-20000}" -Dbench.concurrency="${2:-16}" \
  -cp "$CP" io.storefleet.bench.RoutingBenchmark
