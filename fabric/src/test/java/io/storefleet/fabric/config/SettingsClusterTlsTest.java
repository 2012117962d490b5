package io.storefleet.fabric.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.fabric.node.ClusterSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SettingsClusterTlsTest {
  private static ClusterSettings cluster(String... args) throws Exception {
    return Settings.parse(args, Settings.CLUSTER_KEYS).cluster();
  }

  @Test
  void aPlainEventBusIsRefusedOffLoopbackUnlessAllowed() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> cluster("--cluster-host", "192.0.2.11"));
    assertTrue(e.getMessage().contains("cluster.host 192.0.2.11 is not a loopback address")
        && e.getMessage().contains("cluster.allowPlain=true"), e.getMessage());
    assertNull(cluster("--cluster-host", "192.0.2.11", "--cluster-allow-plain", "true").tls());
    assertNull(cluster().tls(), "loopback may stay plain");
  }

  @Test
  void tlsNeedsItsThreeFiles() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> cluster("--cluster-host", "192.0.2.11", "--cluster-tls-cert", "/n.crt"));
    assertTrue(e.getMessage().contains("only cluster.tlsCert given"), e.getMessage());
    ClusterSettings s = cluster("--cluster-host", "192.0.2.11", "--cluster-tls-cert", "/n.crt", "--cluster-tls-key",
        "/n.key", "--cluster-tls-ca", "/trust.crt");
    assertEquals(Path.of("/n.crt"), s.tls().cert());
    assertEquals(Path.of("/n.key"), s.tls().key());
    assertEquals(Path.of("/trust.crt"), s.tls().ca());
    assertThrows(IllegalArgumentException.class, () -> cluster("--cluster-allow-plain", "yes"));
  }
}
