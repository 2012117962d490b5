#!/usr/bin/env bash
# Runs a storefleet cluster as separate hosts on this machine: one network namespace per host
# (a coordinator "coord" and workers mbox1, mbox2), each with its own address 10.78.0.N on a
# private bridge that lives in a namespace of its own. Hazelcast joins by TCP member list on those
# addresses; nothing listens on loopback or on the machine's interfaces, and traffic stays inside
# the namespaces. The event bus runs with mutual TLS (a cluster CA made in run/netns/ca) and the
# coordinator's API with its self-signed certificate, which the CLI pins on first use, as in a
# real deployment. Cut a host's link to make a real partition, and heal it. Needs root and `ip`.
#
#   deploy/netns-cluster.sh up            build if needed, make the namespaces, start, wait for READY
#   deploy/netns-cluster.sh cli ARGS...   run the storefleet CLI inside the coordinator's namespace
#   deploy/netns-cluster.sh cut HOST      take HOST's link down (HOST: coord, mbox1, mbox2)
#   deploy/netns-cluster.sh heal HOST     bring it back up; the host rejoins by itself within seconds
#   deploy/netns-cluster.sh down          stop every process, delete the namespaces (data is kept)
#
# Data and logs: run/netns (delete it for a fresh cluster).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="$ROOT/run/netns"
TAG=sfnet
HOSTS=(coord mbox1 mbox2)
SUBNET=10.78.0.
PORT=8080
CLUSTER="storefleet-netns-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
USAGE="usage: deploy/netns-cluster.sh up|down|cli ARGS...|cut HOST|heal HOST"

number() { # host -> its number on the bridge
  local i
  for i in "${!HOSTS[@]}"; do [ "${HOSTS[$i]}" = "$1" ] && { echo $((i + 1)); return; }; done
  echo "netns-cluster: no host '$1'; hosts: ${HOSTS[*]}" >&2
  exit 64
}
ns() { echo "$TAG-$1"; }

require_root() {
  command -v ip >/dev/null || { echo "netns-cluster: the ip tool is required (apt-get install iproute2)" >&2; exit 69; }
  if ! ip netns add "$TAG-probe" 2>/dev/null; then
    echo "netns-cluster: cannot create network namespaces here (run as root)" >&2
    exit 77
  fi
  ip netns del "$TAG-probe"
}

module_cp() { # module -> its jar and runtime libraries, or nothing before a build
  local jar
  jar="$(ls "$ROOT/$1"/target/storefleet-"$1"-*.jar 2>/dev/null | grep -v -- '-tests\.jar$' | head -n 1 || true)"
  if [ -n "$jar" ] && [ -d "$ROOT/$1/target/lib" ]; then echo "$jar:$ROOT/$1/target/lib/*"; fi
}

up() {
  require_root
  if ip netns list | grep -q "^$TAG-hub"; then
    echo "netns-cluster: already up (deploy/netns-cluster.sh down first)" >&2
    exit 64
  fi
  if [ -z "$(module_cp worker)" ] || [ -z "$(module_cp coordinator)" ] || [ -z "$(module_cp cli)" ]; then
    echo "netns-cluster: building (./mvnw package, tests skipped)..."
    (cd "$ROOT" && ./mvnw -q -B -DskipTests package)
  fi
  mkdir -p "$RUN/logs"
  # A step that fails takes down what was made so far, so that the next `up` starts clean.
  trap 'echo "netns-cluster: up failed; taking down what was made" >&2; down' ERR
  ip netns add "$(ns hub)"
  ip -n "$(ns hub)" link add br0 type bridge
  ip -n "$(ns hub)" link set br0 up
  local members="" h n
  for h in "${HOSTS[@]}"; do members="${members:+$members,}$SUBNET$(number "$h")"; done
  for h in "${HOSTS[@]}"; do
    n="$(number "$h")"
    ip netns add "$(ns "$h")"
    ip link add "${TAG}h$n" type veth peer name "${TAG}p$n"
    ip link set "${TAG}h$n" netns "$(ns "$h")"
    ip link set "${TAG}p$n" netns "$(ns hub)"
    ip -n "$(ns hub)" link set "${TAG}p$n" master br0
    ip -n "$(ns hub)" link set "${TAG}p$n" up
    ip -n "$(ns "$h")" link set lo up
    ip -n "$(ns "$h")" addr add "$SUBNET$n/24" dev "${TAG}h$n"
    ip -n "$(ns "$h")" link set "${TAG}h$n" up
  done
  local CA="$RUN/ca"
  ca_tool() { java -cp "$(module_cp worker)" io.storefleet.fabric.tls.ClusterCaTool "$@" >/dev/null; }
  [ -f "$CA/ca.key" ] || ca_tool init "$CA"
  for h in "${HOSTS[@]}"; do
    [ -f "$CA/nodes/$h.crt" ] || ca_tool issue "$CA" "$h" "$SUBNET$(number "$h")"
  done
  local java=(java -Xmx512m -Djava.util.logging.config.file="$ROOT/deploy/config/logging.properties"
    --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
    --add-opens java.management/sun.management=ALL-UNNAMED
    --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
    --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-modules java.se)
  : >"$RUN/pids"
  for h in "${HOSTS[@]}"; do
    n="$(number "$h")"
    local cluster=(--cluster-name "$CLUSTER" --cluster-host "$SUBNET$n" --cluster-members "$members"
      --cluster-tls-cert "$CA/nodes/$h.crt" --cluster-tls-key "$CA/nodes/$h.key" --cluster-tls-ca "$CA/trust.crt")
    if [ "$h" = coord ]; then
      ip netns exec "$(ns "$h")" "${java[@]}" -cp "$(module_cp coordinator)" io.storefleet.coordinator.CoordinatorMain \
        --http-host "$SUBNET$n" --http-port "$PORT" --http-token-file "$RUN/admin-token" "${cluster[@]}" \
        >"$RUN/logs/$h.out" 2>"$RUN/logs/$h.err" &
    else
      ip netns exec "$(ns "$h")" "${java[@]}" -cp "$(module_cp worker)" io.storefleet.worker.WorkerMain \
        --server-id "$h" --server-data-dir "$RUN/$h" --server-allowed-roots "$RUN" "${cluster[@]}" \
        >"$RUN/logs/$h.out" 2>"$RUN/logs/$h.err" &
    fi
    echo "$!" >>"$RUN/pids"
  done
  local pids i=0
  mapfile -t pids <"$RUN/pids"
  for h in "${HOSTS[@]}"; do
    for _ in $(seq 1 600); do
      grep -q '^READY' "$RUN/logs/$h.out" 2>/dev/null && break
      kill -0 "${pids[$i]}" 2>/dev/null || break # it ended: no READY will come
      sleep 0.1
    done
    grep -q '^READY' "$RUN/logs/$h.out" || { echo "netns-cluster: $h did not start; see $RUN/logs/$h.err" >&2; down; exit 70; }
    i=$((i + 1))
  done
  trap - ERR
  echo "netns-cluster: up. Coordinator https://$SUBNET$(number coord):$PORT in namespace $(ns coord)."
  echo "  deploy/netns-cluster.sh cli servers"
}

cli() {
  local n
  n="$(number coord)"
  ip netns exec "$(ns coord)" env STOREFLEET_URL="https://$SUBNET$n:$PORT" STOREFLEET_TOKEN_FILE="$RUN/admin-token" \
    STOREFLEET_KNOWN_COORDINATORS="$RUN/known_coordinators" "$ROOT/deploy/bin/storefleet" "$@"
}

link() { # host up|down
  ip -n "$(ns hub)" link set "${TAG}p$(number "$1")" "$2"
}

down() {
  if [ -f "$RUN/pids" ]; then
    # Only the processes this script started, by their ids. They leave the cluster before the
    # namespaces (and their links) go, or each would wait out its leave timeout; SIGCONT first,
    # in case one was paused by hand, and SIGKILL for any still running after 40 s.
    local pids p live
    mapfile -t pids <"$RUN/pids"
    kill -CONT "${pids[@]}" 2>/dev/null || true
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 1 400); do
      live=()
      for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && live+=("$p"); done
      [ ${#live[@]} -eq 0 ] && break
      sleep 0.1
    done
    [ ${#live[@]} -eq 0 ] || kill -KILL "${live[@]}" 2>/dev/null || true
    rm -f "$RUN/pids"
  fi
  local h
  for h in hub "${HOSTS[@]}"; do ip netns del "$(ns "$h")" 2>/dev/null || true; done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  cli) shift; cli "$@" ;;
  cut) [ $# -eq 2 ] || { echo "$USAGE" >&2; exit 64; }; link "$2" down ;;
  heal) [ $# -eq 2 ] || { echo "$USAGE" >&2; exit 64; }; link "$2" up ;;
  *) echo "$USAGE" >&2; exit 64 ;;
esac
