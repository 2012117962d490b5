package io.storefleet.worker.restore.raw;

import io.storefleet.protocol.catalogue.AdminCommand;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.cluster.ClusterPeers;
import io.storefleet.worker.store.MailStore;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Other servers as in-memory stores, answering the admin commands a raw restore sends. */
final class FakePeers implements ClusterPeers {
  final Map<String, MailStore> servers = new LinkedHashMap<>();
  final Set<String> down = new HashSet<>();
  int publishes;
  int adminCalls;

  @Override
  public List<String> others() {
    return List.copyOf(servers.keySet());
  }

  @Override
  public void admin(String server, AdminCommand command, Map<String, String> params) {
    adminCalls++;
    if (down.contains(server)) {
      throw ErrorCode.SERVER_UNAVAILABLE.exception("server " + server + " is not reachable", server);
    }
    MailStore s = servers.get(server);
    switch (command) {
      case CREATE_DOMAIN -> s.createDomain(params.get("domain"));
      case CREATE_COS -> s.createCos(params.get("cos"), params.get("notes"));
      case CREATE_DISTRIBUTION_LIST -> s.createDistributionList(params.get("list"),
          params.containsKey("members") ? Arrays.asList(params.get("members").split(",")) : List.of());
      default -> throw new AssertionError("raw restore sent " + command);
    }
  }

  @Override
  public Optional<String> holderElsewhere(String nameOrId) {
    return servers.entrySet().stream()
        .filter(e -> !down.contains(e.getKey()) && e.getValue().account(nameOrId).isPresent())
        .map(Map.Entry::getKey).findFirst();
  }

  @Override
  public void publishAccounts() {
    publishes++;
  }
}
