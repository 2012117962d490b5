package io.storefleet.worker.shares;

import io.storefleet.shares.FixOutcome;
import io.storefleet.shares.IdRef;
import io.storefleet.shares.ServerShares;
import io.storefleet.shares.ShareFix;
import io.storefleet.shares.ShareServers;
import io.storefleet.shares.ShareSurvey;
import io.storefleet.worker.store.local.LocalMailStore;
import io.storefleet.worker.testing.ImportSimulator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Servers {@code mbox1..N} in one process, each an embedded store with a backup path and a
 * {@link ShareService}, reached directly instead of over the event bus.
 */
public final class ShareCluster implements ShareServers, AutoCloseable {
  private final Map<String, LocalMailStore> stores = new LinkedHashMap<>();
  private final Map<String, ShareService> services = new LinkedHashMap<>();
  private final Map<String, Path> backups = new LinkedHashMap<>();

  public ShareCluster(Path root, int servers, Clock clock) throws IOException {
    for (int i = 1; i <= servers; i++) {
      String s = "mbox" + i;
      LocalMailStore store = LocalMailStore.open(root.resolve(s).resolve("store"), clock);
      stores.put(s, store);
      backups.put(s, root.resolve(s).resolve("backup"));
      services.put(s, new ShareService(s, store, backups.get(s)));
    }
  }

  public LocalMailStore store(String server) {
    return stores.get(server);
  }

  public ShareService service(String server) {
    return services.get(server);
  }

  public Path backup(String server) {
    return backups.get(server);
  }

  public ShareSurvey survey() {
    return new ShareSurvey(this);
  }

  /** The server whose store has the account. */
  public String serverOf(String name) {
    return stores.entrySet().stream().filter(e -> e.getValue().account(name).isPresent()).map(Map.Entry::getKey)
        .findFirst().orElseThrow(() -> new AssertionError(name + " is on no server"));
  }

  /**
   * Moves accounts as an import does: all are captured first, then deleted, then re-created on
   * their destination with new ids; the map goes to the destination unless {@code withoutMap}.
   *
   * @param moves account name → destination server
   * @return account name → new id
   */
  public Map<String, String> importAccounts(Map<String, String> moves, List<String> withoutMap) throws IOException {
    Map<String, ImportSimulator.Captured> captured = new LinkedHashMap<>();
    Map<String, String> from = new LinkedHashMap<>();
    for (String name : moves.keySet()) {
      from.put(name, serverOf(name));
      captured.put(name, ImportSimulator.capture(stores.get(from.get(name)), name));
    }
    for (String name : moves.keySet()) {
      stores.get(from.get(name)).deleteAccount(captured.get(name).account().id());
    }
    Map<String, String> newIds = new LinkedHashMap<>();
    for (Map.Entry<String, String> m : moves.entrySet()) {
      ImportSimulator.Captured c = captured.get(m.getKey());
      LocalMailStore dest = stores.get(m.getValue());
      String id = dest.createAccount(m.getKey(), null, Map.of()).id();
      Map<Integer, Integer> ids = ImportSimulator.recreate(c, dest, id);
      if (!withoutMap.contains(m.getKey())) {
        ImportSimulator.writeMap(backups.get(m.getValue()), from.get(m.getKey()), c, id, ids);
      }
      newIds.put(m.getKey(), id);
    }
    return newIds;
  }

  @Override
  public List<String> servers() {
    return new ArrayList<>(stores.keySet());
  }

  @Override
  public ServerShares facts(String server) {
    try {
      return services.get(server).facts();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public List<IdRef> translate(String server, List<IdRef> refs) {
    try {
      return services.get(server).translate(refs);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public List<FixOutcome> apply(String server, List<ShareFix> fixes) {
    return services.get(server).apply(fixes);
  }

  @Override
  public void close() throws IOException {
    for (LocalMailStore s : stores.values()) {
      s.close();
    }
  }
}
