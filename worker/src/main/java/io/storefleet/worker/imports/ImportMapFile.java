package io.storefleet.worker.imports;

import io.storefleet.worker.importmap.AccountMapping;
import io.storefleet.worker.importmap.IdMap;
import io.storefleet.worker.importmap.IdMapWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The import map {@code map_<sourceServerId>} of one import, read and written through the
 * shares package's {@link IdMap} and {@link IdMapWriter}, which own the format
 * (docs/backup-format.md, "Import maps"). What the file held when it was opened stays in the
 * writer's compact {@link IdMap}, so that a re-import finds what it created before; what this run
 * writes goes to a small overlay on top of it, since the IdMap cannot grow.
 */
final class ImportMapFile implements ImportMap {
  private final IdMapWriter writer;
  private final IdMap before;
  private final Map<String, String> accounts = new HashMap<>();
  private final Map<String, Map<Integer, Integer>> ids = new HashMap<>();

  private ImportMapFile(IdMapWriter writer) {
    this.writer = writer;
    this.before = writer.recovered();
  }

  /** Opens (creating if needed) the map of imports from {@code sourceServerId}. */
  static ImportMapFile open(Path backupRoot, String sourceServerId) throws IOException {
    return new ImportMapFile(IdMapWriter.open(backupRoot, sourceServerId));
  }

  @Override
  public synchronized Optional<String> account(String oldAccountId) {
    String written = accounts.get(oldAccountId);
    return written != null ? Optional.of(written) : before.account(oldAccountId).map(AccountMapping::newId);
  }

  @Override
  public synchronized int id(String oldAccountId, int oldId) {
    Map<Integer, Integer> m = ids.get(oldAccountId);
    Integer written = m == null ? null : m.get(oldId);
    if (written != null) {
      return written;
    }
    return before.account(oldAccountId).map(a -> a.items().get(oldId)).orElse(-1);
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
