package io.storefleet.fabric.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

/** Builds the Hazelcast configuration from {@link ClusterSettings}. */
final class HazelcastSettings {
  /** How often a cluster's master looks for another cluster of the same name to merge with. */
  static final java.time.Duration MERGE_CHECK = java.time.Duration.ofSeconds(5);

  private HazelcastSettings() {}

  static Config of(ClusterSettings s) {
    // Start from Vert.x's own config: it declares the __vertx.* structures the event bus needs.
    Config c = ConfigUtil.loadConfig();
    c.setClusterName(s.clusterName());
    c.setProperty("hazelcast.phone.home.enabled", "false");
    // Without this Hazelcast listens on every interface whatever the interfaces config says.
    c.setProperty("hazelcast.socket.bind.any", "false");
    // The default of 3 silently splits a cluster when the first ports are taken.
    c.setProperty("hazelcast.tcp.join.port.try.count", "20");
    c.setProperty("hazelcast.wait.seconds.before.join", "0");
    c.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    c.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(s.heartbeatSeconds()));
    c.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(s.silentMemberDroppedAfter().toSeconds()));
    c.setProperty("hazelcast.logging.type", "jdk");
    // A member dropped while paused or cut off forms a cluster of its own; only the split-brain
    // check merges it back. Hazelcast's defaults (first after 300 s, then every 120 s) left a
    // resumed worker unreachable for minutes: look for the other side every few seconds instead.
    c.setProperty("hazelcast.merge.first.run.delay.seconds", Long.toString(MERGE_CHECK.toSeconds()));
    c.setProperty("hazelcast.merge.next.run.delay.seconds", Long.toString(MERGE_CHECK.toSeconds()));
    // Every routed request reads the account maps; a near cache answers from local memory and is
    // invalidated on change. A briefly stale owner is harmless: the worker proxies to the real one.
    c.addMapConfig(new MapConfig("storefleet.accounts.*")
        .setNearCacheConfig(new NearCacheConfig().setInvalidateOnChange(true)
            .setInMemoryFormat(InMemoryFormat.OBJECT)));
    NetworkConfig net = c.getNetworkConfig();
    net.setPort(s.port()).setPortAutoIncrement(true).setPortCount(100);
    net.getInterfaces().setEnabled(true).addInterface(s.host());
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    for (String m : s.members()) {
      join.getTcpIpConfig().addMember(m);
    }
    return c;
  }
}
