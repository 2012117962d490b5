package io.storefleet.fabric.node;

import java.util.List;

/**
 * How a node joins the cluster. The defaults keep everything on loopback: TCP join on
 * 127.0.0.1, multicast off, nothing bound to other interfaces.
 *
 * @param clusterName nodes with different names never merge (tests use a random one)
 * @param host the address Hazelcast and the event bus bind to
 * @param port the first Hazelcast port tried (auto-incremented when busy)
 * @param members the addresses of the other members for TCP join
 * @param heartbeatSeconds Hazelcast heartbeat interval; a silent member is dropped after five
 * @param tls the node's certificate, key and the cluster CA for mutual TLS on the event bus, or
 *     null for a plain event bus (loopback, or where a site allows it explicitly)
 */
public record ClusterSettings(
    String clusterName, String host, int port, List<String> members, int heartbeatSeconds,
    io.storefleet.fabric.tls.PemFiles tls) {

  public ClusterSettings {
    members = List.copyOf(members);
  }

  /** Settings with a plain event bus. */
  public ClusterSettings(String clusterName, String host, int port, List<String> members, int heartbeatSeconds) {
    this(clusterName, host, port, members, heartbeatSeconds, null);
  }

  /** The loopback defaults with the given cluster name. */
  public static ClusterSettings loopback(String clusterName) {
    return new ClusterSettings(clusterName, "127.0.0.1", 5701, List.of("127.0.0.1"), 1);
  }

  /** How long a silent member stays in the cluster before it is dropped: five missed heartbeats. */
  public java.time.Duration silentMemberDroppedAfter() {
    return java.time.Duration.ofSeconds(heartbeatSeconds * 5L);
  }

  /** The same settings with another first port. */
  public ClusterSettings withPort(int p) {
    return new ClusterSettings(clusterName, host, p, members, heartbeatSeconds, tls);
  }

  /** The same settings with mutual TLS on the event bus. */
  public ClusterSettings withTls(io.storefleet.fabric.tls.PemFiles files) {
    return new ClusterSettings(clusterName, host, port, members, heartbeatSeconds, files);
  }
}
