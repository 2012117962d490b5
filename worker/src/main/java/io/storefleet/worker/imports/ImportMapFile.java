package io.storefleet.worker.imports;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.log.AppendLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The import map file {@code map_<sourceServerId>}: an {@link AppendLog} of text records, a
 * header and then account and item records, a later record for an old id replacing an earlier
 * one (docs/backup-format.md, "Import maps"):
 *
 * <pre>
 * storefleet-idmap 1 &lt;sourceServerId&gt;
 * account &lt;oldAccountId&gt; &lt;newAccountId&gt; &lt;name&gt;
 * items &lt;oldAccountId&gt; &lt;old&gt;=&lt;new&gt; &lt;old&gt;=&lt;new&gt; ...
 * </pre>
 *
 * <p>This is the format the shares commands read (doCheckShares, doFixShares, getMap).
 */
final class ImportMapFile implements ImportMap {
  static final String PREFIX = "map_";
  private static final String HEADER = "storefleet-idmap 1 ";
  private static final int PAIRS_PER_RECORD = 1000;

  private final AppendLog log;
  private final Map<String, String> accounts = new HashMap<>();
  private final Map<String, Map<Integer, Integer>> ids = new HashMap<>();

  private ImportMapFile(AppendLog log) {
    this.log = log;
  }

  static Path file(Path backupRoot, String sourceServerId) {
    return backupRoot.resolve(PREFIX + sourceServerId);
  }

  /** Opens (creating if needed) the map of imports from {@code sourceServerId}. */
  static ImportMapFile open(Path backupRoot, String sourceServerId) throws IOException {
    word(sourceServerId, "source server id");
    AppendLog log = AppendLog.open(file(backupRoot, sourceServerId));
    ImportMapFile m = new ImportMapFile(log);
    try {
      List<String> records = log.recovered();
      if (records.isEmpty()) {
        log.append(HEADER + sourceServerId);
      } else if (!records.get(0).equals(HEADER + sourceServerId)) {
        throw ErrorCode.CONFLICT.exception(log.file() + " starts with '" + records.get(0) + "', not the header of"
            + " an import map of source " + sourceServerId + "; move the file aside before importing");
      }
      for (int i = 1; i < records.size(); i++) {
        m.load(records.get(i));
      }
      return m;
    } catch (IOException | RuntimeException e) {
      log.close();
      throw e;
    }
  }

  private void load(String record) {
    String[] w = record.split(" ");
    if (w[0].equals("account") && w.length == 4) {
      accounts.put(w[1], w[2]);
    } else if (w[0].equals("items") && w.length >= 2) {
      Map<Integer, Integer> m = ids.computeIfAbsent(w[1], k -> new HashMap<>());
      for (int i = 2; i < w.length; i++) {
        int eq = w[i].indexOf('=');
        m.put(Integer.parseInt(w[i].substring(0, eq)), Integer.parseInt(w[i].substring(eq + 1)));
      }
    } else {
      throw ErrorCode.IO_ERROR.exception(log.file() + " holds a record that is not part of an import map: '"
          + (record.length() > 60 ? record.substring(0, 60) + "..." : record) + "'; move the file aside");
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
    word(oldId, "old account id");
    word(newId, "new account id");
    word(name, "account name");
    log.append("account " + oldId + " " + newId + " " + name);
    accounts.put(oldId, newId);
  }

  @Override
  public synchronized void ids(String oldAccountId, int[] olds, int[] news) throws IOException {
    if (!accounts.containsKey(oldAccountId)) {
      throw new IllegalStateException("ids of account " + oldAccountId + " before its account record");
    }
    List<String> records = new ArrayList<>();
    StringBuilder sb = null;
    for (int i = 0; i < olds.length; i++) {
      if (i % PAIRS_PER_RECORD == 0) {
        if (sb != null) {
          records.add(sb.toString());
        }
        sb = new StringBuilder("items ").append(oldAccountId);
      }
      sb.append(' ').append(olds[i]).append('=').append(news[i]);
    }
    if (sb != null) {
      records.add(sb.toString());
      log.appendAll(records);
    }
    Map<Integer, Integer> m = ids.computeIfAbsent(oldAccountId, k -> new HashMap<>());
    for (int i = 0; i < olds.length; i++) {
      m.put(olds[i], news[i]);
    }
  }

  @Override
  public void close() throws IOException {
    log.close();
  }

  private static void word(String s, String what) {
    if (s == null || s.isEmpty() || s.chars().anyMatch(c -> Character.isWhitespace(c) || c == '=')) {
      throw ErrorCode.BAD_VALUE.exception("an import map " + what + " must be one word, got '" + s + "'");
    }
  }
}
