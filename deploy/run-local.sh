#!/usr/bin/env bash
# Starts a local storefleet cluster on loopback: one coordinator and three workers (mbox1..mbox3)
# on the embedded store, Hazelcast TCP join on 127.0.0.1 with multicast off. Seeds demo data on
# the first start. Ctrl-C stops everything cleanly. The event bus uses mutual TLS with a cluster
# CA made here on the first start (run/local/ca); the API serves HTTPS with a self-signed
# certificate, which the CLI pins in run/local/known_coordinators.
#
#   deploy/run-local.sh           start, seed if new, wait for Ctrl-C
#   deploy/run-local.sh --demo    also run the headline scenario and print its results
#   deploy/run-local.sh --reset   delete run/local first (all local data)
#   deploy/run-local.sh --allowed-roots /srv/exports,/mnt/old
#                                 also let operator-given paths (doExport, doExternalRestore,
#                                 backup_path...) lie in these existing folders
#   deploy/run-local.sh --object-store
#                                 also start a local S3 server (S3Proxy, data in run/local/s3) and
#                                 give every worker an off-site copy there (docs/operations.md,
#                                 "Off-site copy"); its secrets and passphrase: run/local/offsite.secrets
#   deploy/run-local.sh --store imap
#                                 one local Dovecot per server (as root; deploy/dovecot/start-local.sh),
#                                 linked by Dovecot's cluster sharing (a proxy, deploy/dovecot/start-local-proxy.sh),
#                                 the workers on them (store.kind=imap), the demo seeded through IMAP;
#                                 run/local/imap.json says how to open the mailboxes with any IMAP client
#
# Operator-given paths must lie inside an allowed root: run/local (exports go to
# run/local/exports) and ../shared/corpus if it exists, plus --allowed-roots.
#
# Environment: STOREFLEET_HTTP_PORT (default 8080), STOREFLEET_CLUSTER (default storefleet-local-<checksum
# of this checkout's path>, so that two checkouts on one machine never join one cluster),
# STOREFLEET_ALLOWED_ROOTS (comma-separated, as --allowed-roots), STOREFLEET_S3_PORT (default 9000,
# with --object-store), STOREFLEET_IMAP_PORT_BASE (default 14300, with --store imap: mbox1's Dovecot
# listens on IMAP 14301 and doveadm HTTP 14311, mbox2 on 14302/14312, ...; the proxy of their
# cluster sharing on 14300), STOREFLEET_METRICS_PORT_BASE (default 9460: mbox1 serves /metrics on
# 9461, mbox2 on 9462, ...; deploy/prometheus/start-local.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="$ROOT/run/local"
DEMO=0
OBJECT_STORE=0
STORE=local
EXTRA_ROOTS="${STOREFLEET_ALLOWED_ROOTS:-}"
USAGE="usage: deploy/run-local.sh [--demo] [--reset] [--object-store] [--store local|imap] [--allowed-roots DIR[,DIR...]]"
while [ $# -gt 0 ]; do
  case "$1" in
    --demo) DEMO=1 ;;
    --object-store) OBJECT_STORE=1 ;;
    --reset) rm -rf "$RUN" ;;
    --store=*) STORE="${1#*=}" ;;
    --store)
      [ $# -ge 2 ] || { echo "run-local: --store needs local or imap" >&2; echo "$USAGE" >&2; exit 64; }
      STORE="$2"; shift ;;
    --allowed-roots=*) EXTRA_ROOTS="${EXTRA_ROOTS:+$EXTRA_ROOTS,}${1#*=}" ;;
    --allowed-roots)
      [ $# -ge 2 ] || { echo "run-local: --allowed-roots needs a comma-separated list of folders" >&2; echo "$USAGE" >&2; exit 64; }
      EXTRA_ROOTS="${EXTRA_ROOTS:+$EXTRA_ROOTS,}$2"; shift ;;
    *) echo "$USAGE" >&2; exit 64 ;;
  esac
  shift
done
case "$STORE" in
  local|imap) ;;
  *) echo "run-local: --store $STORE is neither local nor imap" >&2; echo "$USAGE" >&2; exit 64 ;;
esac
# The servers' data is of one store kind: switching needs a fresh run/local.
if [ -f "$RUN/store-kind" ] && [ "$(cat "$RUN/store-kind")" != "$STORE" ]; then
  echo "run-local: $RUN holds a cluster on the $(cat "$RUN/store-kind") store; start it with --store" \
    "$(cat "$RUN/store-kind"), or add --reset to delete it and start on $STORE" >&2
  exit 64
fi
if [ "$STORE" = imap ] && [ "$(id -u)" -ne 0 ]; then
  echo "run-local: --store imap starts Dovecot instances, which needs root; run it with sudo" >&2
  exit 77
fi
# Checked before anything is built or started: a wrong folder costs nothing.
EXTRA=""
if [ -n "$EXTRA_ROOTS" ]; then
  IFS=',' read -r -a extra <<<"$EXTRA_ROOTS"
  for dir in "${extra[@]}"; do
    [ -n "$dir" ] || continue
    if [ ! -d "$dir" ]; then
      echo "run-local: allowed root $dir is not an existing folder; create it first (mkdir -p $dir) or leave it out" >&2
      exit 64
    fi
    EXTRA="${EXTRA:+$EXTRA,}$(cd "$dir" && pwd)"
  done
fi
PORT="${STOREFLEET_HTTP_PORT:-8080}"
METRICS_BASE="${STOREFLEET_METRICS_PORT_BASE:-9460}"
# Named after the checkout, not the user: two checkouts (or two users without $USER) must never
# merge into one cluster, where their mbox1..mbox3 would claim the same server ids.
CLUSTER="${STOREFLEET_CLUSTER:-storefleet-local-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)}"
SERVERS=(mbox1 mbox2 mbox3)

command -v java >/dev/null || { echo "run-local: java 17 is required (apt-get install openjdk-17-jdk-headless)" >&2; exit 69; }

# module_cp <module>: the module's jar and its runtime libraries (target/lib), or nothing before a build.
module_cp() {
  local jar
  jar="$(ls "$ROOT/$1"/target/storefleet-"$1"-*.jar 2>/dev/null | grep -v -- '-tests\.jar$' | head -n 1 || true)"
  if [ -n "$jar" ] && [ -d "$ROOT/$1/target/lib" ]; then echo "$jar:$ROOT/$1/target/lib/*"; fi
}
# Build when a module has no build yet or a source file is newer than the coordinator's jar.
STAMP="$(ls "$ROOT"/coordinator/target/storefleet-coordinator-*.jar 2>/dev/null | head -n 1 || true)"
if [ -z "$STAMP" ] || [ -z "$(module_cp worker)" ] || [ -z "$(module_cp cli)" ] \
   || [ -n "$(find "$ROOT" -path "$ROOT/run" -prune -o -name '*.java' -newer "$STAMP" -print -quit)" ] \
   || [ -n "$(find "$ROOT" -maxdepth 2 -name pom.xml -newer "$STAMP" -print -quit)" ]; then
  echo "run-local: building (./mvnw package, tests skipped)..."
  (cd "$ROOT" && ./mvnw -q -B -DskipTests package)
fi
# Each process gets its own module's classpath: the coordinator's has no worker code in it.
WORKER_CP="$(module_cp worker)"
COORDINATOR_CP="$(module_cp coordinator)"
CLI_CP="$(module_cp cli)"
JAVA=(java -Xmx512m -Djava.util.logging.config.file="$ROOT/deploy/config/logging.properties"
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.management/sun.management=ALL-UNNAMED
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
  --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-modules java.se)

mkdir -p "$RUN/logs"
mkdir -p "$RUN/exports"
ROOTS="$RUN"
if [ -d "$ROOT/../shared/corpus" ]; then ROOTS="$ROOTS,$(cd "$ROOT/../shared/corpus" && pwd)"; fi
if [ -n "$EXTRA" ]; then ROOTS="$ROOTS,$EXTRA"; fi

# The cluster CA and one certificate per node, made once; nodes read them at start and every minute.
CA="$RUN/ca"
ca_tool() { java -cp "$WORKER_CP" io.storefleet.fabric.tls.ClusterCaTool "$@" >/dev/null; }
[ -f "$CA/ca.key" ] || ca_tool init "$CA"
for n in "${SERVERS[@]}" coordinator; do
  [ -f "$CA/nodes/$n.crt" ] || ca_tool issue "$CA" "$n" 127.0.0.1,localhost
done
tls_args() { TLS_ARGS=(--cluster-tls-cert "$CA/nodes/$1.crt" --cluster-tls-key "$CA/nodes/$1.key" --cluster-tls-ca "$CA/trust.crt"); }

PIDS=()
DOVECOTS=()
stop_all() {
  trap - INT TERM EXIT
  if [ ${#PIDS[@]} -gt 0 ]; then
    echo
    echo "run-local: stopping..."
    kill -TERM "${PIDS[@]}" 2>/dev/null || true
    wait "${PIDS[@]}" 2>/dev/null || true
  fi
  for conf in ${DOVECOTS[@]+"${DOVECOTS[@]}"}; do
    dovecot -c "$conf" stop 2>/dev/null || true
  done
  if [ ${#PIDS[@]} -gt 0 ] || [ ${#DOVECOTS[@]} -gt 0 ]; then
    echo "run-local: stopped. Data is kept in $RUN (--reset deletes it)."
  fi
}
trap stop_all INT TERM EXIT

wait_ready() { # file, pid, what
  for _ in $(seq 1 600); do
    if grep -q '^READY' "$1" 2>/dev/null; then return 0; fi
    if ! kill -0 "$2" 2>/dev/null; then echo "run-local: $3 died; see $1 and ${1%.out}.err" >&2; exit 70; fi
    sleep 0.1
  done
  echo "run-local: $3 did not start in 60 s; see ${1%.out}.err" >&2
  exit 70
}

S3_PORT="${STOREFLEET_S3_PORT:-9000}"
S3_BUCKET=storefleet-local
if [ "$OBJECT_STORE" = 1 ]; then
  # The S3 server's classpath, resolved once (and again when its pom changes).
  mkdir -p "$RUN/s3/data/$S3_BUCKET"
  if [ ! -s "$RUN/s3/classpath" ] || [ "$ROOT/deploy/s3proxy/pom.xml" -nt "$RUN/s3/classpath" ]; then
    (cd "$ROOT" && ./mvnw -q -B -f deploy/s3proxy/pom.xml dependency:build-classpath \
      -Dmdep.outputFile="$RUN/s3/classpath") || { echo "run-local: could not resolve the S3 server (S3Proxy)" >&2; exit 70; }
  fi
  # Credentials and passphrase are made once and kept: the copy in run/local/s3 needs them.
  if [ ! -f "$RUN/offsite.secrets" ]; then
    (umask 077
     printf 'access_key_id = local-%s\nsecret_access_key = %s\npassphrase = %s\n' \
       "$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')" "$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')" \
       "$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')" > "$RUN/offsite.secrets")
  fi
  S3_ID="$(sed -n 's/^access_key_id = //p' "$RUN/offsite.secrets")"
  S3_KEY="$(sed -n 's/^secret_access_key = //p' "$RUN/offsite.secrets")"
  (umask 077
   printf '%s\n' "s3proxy.endpoint=http://127.0.0.1:$S3_PORT" "s3proxy.authorization=aws-v2-or-v4" \
     "s3proxy.identity=$S3_ID" "s3proxy.credential=$S3_KEY" "jclouds.provider=filesystem" \
     "jclouds.filesystem.basedir=$RUN/s3/data" > "$RUN/s3/s3proxy.conf")
  java -Xmx256m -Dlogback.configurationFile="$ROOT/deploy/s3proxy/logback.xml" -cp "$(cat "$RUN/s3/classpath")" \
    org.gaul.s3proxy.Main --properties "$RUN/s3/s3proxy.conf" >"$RUN/logs/s3.out" 2>"$RUN/logs/s3.err" &
  S3_PID=$!
  PIDS+=($S3_PID)
  for _ in $(seq 1 600); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$S3_PORT") 2>/dev/null; then break; fi
    if ! kill -0 "$S3_PID" 2>/dev/null; then echo "run-local: the S3 server died; see $RUN/logs/s3.out" >&2; exit 70; fi
    sleep 0.1
  done
fi

echo "$STORE" >"$RUN/store-kind"
IMAP_BASE="${STOREFLEET_IMAP_PORT_BASE:-14300}"
# store_flags <server> <n>: the worker's store settings (nothing for the embedded store).
store_flags() {
  [ "$STORE" = imap ] || return 0
  local d="$RUN/dovecot/$1"
  echo --store-kind imap --store-imap-host 127.0.0.1 --store-imap-port $((IMAP_BASE + $2)) --store-imap-tls none \
    --store-imap-master-user storefleet --store-imap-master-password-file "$d/master.secret" \
    --store-doveadm-url "http://127.0.0.1:$((IMAP_BASE + 10 + $2))/doveadm/v1" \
    --store-doveadm-password-file "$d/doveadm.secret" --store-users-file "$d/users"
}
if [ "$STORE" = imap ]; then
  n=1
  ROUTES=()
  json="{"
  sep=""
  for s in "${SERVERS[@]}"; do
    d="$RUN/dovecot/$s"
    "$ROOT/deploy/dovecot/start-local.sh" "$s" "$d" $((IMAP_BASE + n)) $((IMAP_BASE + 10 + n)) \
      "$IMAP_BASE" "$RUN/dovecot/shared" >>"$RUN/logs/dovecot-$s.log" 2>&1 \
      || { echo "run-local: Dovecot for $s did not start: $(tail -n 2 "$RUN/logs/dovecot-$s.log" | tr '\n' ' ')" >&2; exit 70; }
    DOVECOTS+=("$d/dovecot.conf")
    ROUTES+=("$d:$((IMAP_BASE + n))")
    json="$json$sep
  \"$s\": {\"imapHost\": \"127.0.0.1\", \"imapPort\": $((IMAP_BASE + n)), \"tls\": \"none\",
    \"masterUser\": \"storefleet\", \"masterPasswordFile\": \"$d/master.secret\", \"login\": \"<account>*storefleet\"}"
    sep=","
    n=$((n + 1))
  done
  # Cluster sharing (docs/mailstores.md, "Shares"): a grantee logged in on their own server opens
  # folders shared from the others through this proxy.
  "$ROOT/deploy/dovecot/start-local-proxy.sh" "$RUN/dovecot/proxy" "$IMAP_BASE" "$RUN/dovecot/shared" "${ROUTES[@]}" \
    >>"$RUN/logs/dovecot-proxy.log" 2>&1 \
    || { echo "run-local: the Dovecot proxy did not start: $(tail -n 2 "$RUN/logs/dovecot-proxy.log" | tr '\n' ' ')" >&2; exit 70; }
  DOVECOTS+=("$RUN/dovecot/proxy/dovecot.conf")
  json="$json,
  \"proxy\": {\"imapHost\": \"127.0.0.1\", \"imapPort\": $IMAP_BASE, \"routes\": \"each login to the server that holds the user\"}"
  printf '%s\n}\n' "$json" >"$RUN/imap.json"
fi
n=1
for s in "${SERVERS[@]}"; do
  tls_args "$s"
  # shellcheck disable=SC2046 # store_flags prints separate words on purpose
  "${JAVA[@]}" -cp "$WORKER_CP" io.storefleet.worker.WorkerMain --server-id "$s" --server-data-dir "$RUN/$s" \
    --server-allowed-roots "$ROOTS" --cluster-name "$CLUSTER" "${TLS_ARGS[@]}" $(store_flags "$s" "$n") \
    --metrics-port $((METRICS_BASE + n)) \
    >"$RUN/logs/$s.out" 2>"$RUN/logs/$s.err" &
  PIDS+=($!)
  n=$((n + 1))
done
tls_args coordinator
"${JAVA[@]}" -cp "$COORDINATOR_CP" io.storefleet.coordinator.CoordinatorMain --http-port "$PORT" \
  --http-token-file "$RUN/admin-token" --cluster-name "$CLUSTER" "${TLS_ARGS[@]}" \
  >"$RUN/logs/coordinator.out" 2>"$RUN/logs/coordinator.err" &
PIDS+=($!)
i=$((OBJECT_STORE == 1 ? 1 : 0))
for s in "${SERVERS[@]}"; do wait_ready "$RUN/logs/$s.out" "${PIDS[$i]}" "worker $s"; i=$((i+1)); done
wait_ready "$RUN/logs/coordinator.out" "${PIDS[$i]}" "coordinator"
URL="https://127.0.0.1:$PORT"
echo "$URL" > "$RUN/url"
# The CLI pins the coordinator's self-signed certificate here on first use; --reset forgets it
# together with the certificate.
export STOREFLEET_URL="$URL" STOREFLEET_TOKEN_FILE="$RUN/admin-token" STOREFLEET_KNOWN_COORDINATORS="$RUN/known_coordinators"
SF="$ROOT/deploy/bin/storefleet"

# Wait until the coordinator sees all three workers in the directory.
for _ in $(seq 1 300); do
  n="$("$SF" --json servers 2>/dev/null | grep -c '"reachable" : true' || true)"
  [ "$n" = "3" ] && break
  sleep 0.1
done

if [ "$OBJECT_STORE" = 1 ]; then
  # Global values reach every server (docs/operations.md, "The two scopes"); set on each start, so a
  # changed port is followed.
  for kv in "ZxBackup_RemoteEndpoint http://127.0.0.1:$S3_PORT" "ZxBackup_RemoteBucket $S3_BUCKET" \
            "ZxBackup_RemotePrefix fleet" "ZxBackup_RemoteSecretsFile $RUN/offsite.secrets"; do
    # shellcheck disable=SC2086
    "$SF" backup setProperty $kv scope global >/dev/null \
      || { echo "run-local: could not set ${kv%% *} on the workers" >&2; exit 70; }
  done
else
  # A start without --object-store after one with it: the global setting persists in the cluster,
  # and every scan would try to upload to an S3 server that is no longer started.
  "$SF" backup setProperty ZxBackup_RemoteEndpoint none scope global >/dev/null \
    || { echo "run-local: could not set ZxBackup_RemoteEndpoint none on the workers" >&2; exit 70; }
fi

if [ ! -f "$RUN/seeded" ]; then
  echo "run-local: seeding demo data (3 domains, 30 accounts, mail with attachments, cross-server shares)..."
  "${JAVA[@]}" -cp "$CLI_CP" io.storefleet.demo.DemoSeed "$RUN/demo-mail" "${SERVERS[@]}" >"$RUN/logs/seed.log" 2>&1 \
    || { echo "run-local: seeding failed: $(tail -n 3 "$RUN/logs/seed.log" | tr '\n' ' ')" >&2
         echo "run-local: see $RUN/logs/seed.log. Starting again (deploy/run-local.sh) resumes the seeding after the" \
           "steps already done; deploy/run-local.sh --reset deletes the local data and seeds from empty." >&2; exit 70; }
  touch "$RUN/seeded"
fi

cat <<INFO

storefleet local cluster is up.
  API:          $URL   (health: $URL/health; certificate sha256 $(sed -n 's/.* sha256 //p' "$RUN/logs/coordinator.out"))
  Admin token:  $RUN/admin-token
  TLS:          cluster CA and node certificates in $CA; the CLI's pin in $RUN/known_coordinators
  Servers:      ${SERVERS[*]} (data in $RUN/<server>, logs in $RUN/logs), store: $STORE$( [ "$STORE" = imap ] && printf '\n  Dovecot:      one per server, see %s (mail in %s/dovecot/<server>)' "$RUN/imap.json" "$RUN")
  Cluster name: $CLUSTER
  Metrics:      $URL/metrics and http://127.0.0.1:$((METRICS_BASE + 1))..$((METRICS_BASE + ${#SERVERS[@]}))/metrics (viewer token);
                Prometheus on them: deploy/prometheus/start-local.sh
  Paths:        operator-given paths must lie in $ROOTS
                (exports: $RUN/exports; more with --allowed-roots)
$( [ "$OBJECT_STORE" = 1 ] && printf '  Off-site:     S3 at http://127.0.0.1:%s bucket %s (data in %s); every scan uploads there\n                secrets and passphrase: %s\n' "$S3_PORT" "$S3_BUCKET" "$RUN/s3/data" "$RUN/offsite.secrets")

Try (deploy/bin/storefleet finds this cluster by itself):
  deploy/bin/storefleet servers
  deploy/bin/storefleet --host all_servers --sync --progress backup doSmartScan
  deploy/bin/storefleet backup getAllOperations verbose true
  deploy/bin/storefleet whereis bob@acme.example
  deploy/bin/storefleet --sync backup doAccountScan bob@acme.example       # routed to its owner
  deploy/bin/storefleet --host mbox3 backup doAccountScan bob@acme.example # proxied to the owner
  deploy/bin/storefleet help backup doUndelete
  deploy/bin/storefleet backup doItemSearch bob@acme.example deleted true
  deploy/bin/storefleet --host all_servers backup doCheckShares

Ctrl-C stops the cluster.
INFO

if [ "$DEMO" = 1 ]; then
  echo
  echo "=== demo: broadcast SmartScan to every mailstore (--sync) ==="
  "$SF" --host all_servers --sync backup doSmartScan || true
  echo
  echo "=== demo: one queue for the whole cluster ==="
  "$SF" backup getAllOperations verbose true | tail -n 8
  echo
  echo "=== demo: where does bob@acme.example live? ==="
  "$SF" whereis bob@acme.example
  echo
  echo "=== demo: account command without a hostname (routed to the owner) ==="
  "$SF" --sync backup doAccountScan bob@acme.example | head -n 12
  echo
  echo "=== demo: the same command sent to the wrong server (proxied) ==="
  "$SF" --host mbox3 backup doAccountScan bob@acme.example
  echo
  echo "=== demo: export acme.example from every server that holds part of it (one folder per server) ==="
  EXPORT="$RUN/exports/acme-$(date +%Y%m%d%H%M%S)"
  mkdir -p "$EXPORT"
  "$SF" --sync export "$EXPORT" domains acme.example | tail -n 6 || true
  echo
  echo "=== demo: restore bob@acme.example as it is now into a new account, on bob's server ==="
  "$SF" --sync backup doRestoreOnNewAccount bob@acme.example bob.restored.$(date +%H%M%S)@acme.example last \
    | tail -n 12 || true
  echo
  echo "=== demo: every share across the cluster checked in one step ==="
  "$SF" --host all_servers backup doCheckShares | tail -n 6 || true
fi

echo
echo "run-local: running; press Ctrl-C to stop."
wait "${PIDS[@]}"
