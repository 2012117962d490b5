package io.storefleet.worker.imports;

import io.storefleet.worker.shares.AccountMapping;
import io.storefleet.worker.shares.IdMap;
import io.storefleet.worker.shares.IdMapWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The import map {@code map_<sourceServerId>} of one import, read and written through the
 * shares package's {@link IdMap} and {@link IdMapWriter}, which own the format
 * (docs/backup-format.md, "Import maps"). What the file already holds is kept in memory, so that
 * a re-import finds what it created before.
 */
final class ImportMapFile implements ImportMap {
  private final IdMapWriter writer;
  private final Map<String, String> accounts = new HashMap<>();
  private final Map<String, Map<Integer, Integer>> ids = new HashMap<>();

  private ImportMapFile(IdMapWriter writer) {
    this.writer = writer;
  }

  /** Opens (creating if needed) the map of imports from {@code sourceServerId}. */
  static ImportMapFile open(Path backupRoot, String sourceServerId) throws IOException {
    IdMapWriter writer = IdMapWriter.open(backupRoot, sourceServerId);
    ImportMapFile m = new ImportMapFile(writer);
    try {
      for (AccountMapping a : IdMap.read(writer.file()).accounts().values()) {
        m.accounts.put(a.oldId(), a.newId());
        Map<Integer, Integer> known = m.ids.computeIfAbsent(a.oldId(), k -> new HashMap<>());
        for (int i = 0; i < a.items().size(); i++) {
          known.put(a.items().oldAt(i), a.items().newAt(i));
        }
      }
      return m;
    } catch (IOException | RuntimeException e) {
      writer.close();
      throw e;
    }
  }

  @Override
  public synchronized Optional<String> account(String oldAccountId) {
    return Optional.ofNullable(accounts.get(oldAccountId));
  }

  @Override
  public synchronized int id(String oldAccountId, int oldId) {
    Map<Integer, Integer> m = ids.get(oldAccountId);
    Integer v = m == null ? null : m.get(oldId);
    return v == null ? -1 : v;
  }

  @Override
  public synchronized void account(String oldId, String newId, String name) throws IOException {
    writer.account(oldId, newId, name);
    accounts.put(oldId, newId);
  }

  @Override
  public synchronized void ids(String oldAccountId, int[] olds, int[] news) throws IOException {
    writer.items(oldAccountId, olds, news);
    Map<Integer, Integer> m = ids.computeIfAbsent(oldAccountId, k -> new HashMap<>());
    for (int i = 0; i < olds.length; i++) {
      m.put(olds[i], news[i]);
    }
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
