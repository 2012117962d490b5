#!/usr/bin/env bash
# The cluster CA: makes the CA and the node certificates the event bus's mutual TLS needs, and
# rotates them (docs/security.md, "Rotating secrets"). Keep the CA folder on an admin machine;
# copy to each node only trust.crt and that node's nodes/NAME.crt and nodes/NAME.key.
#
#   deploy/cluster-ca.sh init DIR                          a new CA in DIR (ca.key, ca.crt, trust.crt)
#   deploy/cluster-ca.sh issue DIR NAME HOST[,HOST...]     a node certificate: DIR/nodes/NAME.crt, .key
#   deploy/cluster-ca.sh rotate-ca DIR                     start a CA rotation (trust.crt holds both CAs)
#   deploy/cluster-ca.sh finish-ca-rotation DIR            end it (trust.crt holds the new CA only)
#   deploy/cluster-ca.sh show FILE                         subject, issuer, end date and fingerprint
#   --days N                                               validity (CA 3650, node 825 by default)
#
# A node takes in changed certificate files within a minute, without a restart.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$(ls "$ROOT"/fabric/target/storefleet-fabric-*.jar 2>/dev/null | grep -v -- '-tests\.jar$' | head -n 1 || true)"
if [ -z "$jar" ] || [ ! -d "$ROOT/worker/target/lib" ]; then
  echo "cluster-ca: building first (./mvnw package, tests skipped)..." >&2
  (cd "$ROOT" && ./mvnw -q -B -DskipTests package -pl worker -am) >&2
fi
# The worker's runtime libraries hold the fabric module and BouncyCastle.
exec java -cp "$ROOT/worker/target/lib/*" io.storefleet.fabric.tls.ClusterCaTool "$@"
