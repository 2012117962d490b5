package io.storefleet.worker.importmap;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.log.AppendLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One import map, {@code map_<sourceServerId>} in a destination server's backup path: what an
 * import from that source did to account and item ids. The file is an {@link AppendLog} of
 * plain-text records (docs/backup-format.md, "Import maps"):
 *
 * <pre>
 * storefleet-idmap 1 &lt;sourceServerId&gt;
 * account &lt;oldAccountId&gt; &lt;newAccountId&gt; &lt;name&gt;
 * items &lt;oldAccountId&gt; &lt;old&gt;=&lt;new&gt; &lt;old&gt;=&lt;new&gt; ...
 * </pre>
 *
 * <p>A later record for the same old id replaces an earlier one, so an import that is run again
 * after a crash just appends. A torn last record (a crash while appending) was never committed
 * and is ignored; a damaged record followed by good ones is refused.
 */
public final class IdMap {
  public static final String FILE_PREFIX = "map_";
  static final String MAGIC = "storefleet-idmap";
  static final int VERSION = 1;
  static final String ACCOUNT = "account";
  static final String ITEMS = "items";

  private final Path file;
  private final String source;
  private final Map<String, AccountMapping> accounts;
  private final long itemEntries;
  private final long tornTailBytes;

  private IdMap(Path file, String source, Map<String, AccountMapping> accounts, long itemEntries, long tornTailBytes) {
    this.file = file;
    this.source = source;
    this.accounts = accounts;
    this.itemEntries = itemEntries;
    this.tornTailBytes = tornTailBytes;
  }

  /** The file name of the map an import from {@code sourceServerId} writes. */
  public static String fileName(String sourceServerId) {
    return FILE_PREFIX + sourceServerId;
  }

  /** Whether a file name is that of an import map. */
  public static boolean isMapName(String name) {
    return name.startsWith(FILE_PREFIX) && name.length() > FILE_PREFIX.length() && !name.endsWith(".compact");
  }

  /** Reads a map without changing the file. IO_ERROR for a damaged map, BAD_VALUE for another kind of file. */
  public static IdMap read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw ErrorCode.NOT_FOUND.exception("import map " + file + " does not exist; list the backup path for"
          + " map_<server> files, which an import writes");
    }
    AppendLog.Inspection in = AppendLog.inspect(file);
    if (!in.damagedAt().isEmpty()) {
      throw ErrorCode.IO_ERROR.exception("import map " + file + " has damaged record(s) at byte(s) " + in.damagedAt()
          + "; restore it from a copy or run the import again to write a new one");
    }
    if (in.records().isEmpty()) {
      throw ErrorCode.BAD_VALUE.exception(file + " holds no import map record" + (in.tornTailBytes() > 0
          ? " (only " + in.tornTailBytes() + " byte(s) of an unfinished one)" : "") + "; it is not a usable map");
    }
    return parse(file, in.records(), in.tornTailBytes());
  }

  /** The map in {@code records} (header first), as read from {@code file}. */
  static IdMap parse(Path file, List<String> records, long tornTailBytes) {
    String source = header(file, records.get(0));
    Map<String, String[]> accountRecords = new LinkedHashMap<>();
    Map<String, ItemIds.Builder> items = new LinkedHashMap<>();
    long entries = 0;
    for (int r = 1; r < records.size(); r++) {
      String rec = records.get(r);
      String[] w = rec.split(" ");
      if (w[0].equals(ACCOUNT) && w.length == 4) {
        accountRecords.put(w[1], w);
      } else if (w[0].equals(ITEMS) && w.length >= 2) {
        if (!accountRecords.containsKey(w[1])) {
          throw bad(file, r, "items of account " + w[1] + " come before its account record");
        }
        ItemIds.Builder b = items.computeIfAbsent(w[1], k -> new ItemIds.Builder());
        for (int i = 2; i < w.length; i++) {
          int eq = w[i].indexOf('=');
          int oldId;
          int newId;
          try {
            oldId = Integer.parseInt(w[i], 0, eq, 10);
            newId = Integer.parseInt(w[i], eq + 1, w[i].length(), 10);
          } catch (RuntimeException e) {
            throw bad(file, r, "'" + w[i] + "' is not <old id>=<new id>");
          }
          if (oldId <= 0 || newId <= 0) {
            throw bad(file, r, "'" + w[i] + "' names an id below 1");
          }
          b.put(oldId, newId);
          entries++;
        }
      } else {
        throw bad(file, r, "unknown record '" + (rec.length() > 60 ? rec.substring(0, 60) + "..." : rec) + "'");
      }
    }
    Map<String, AccountMapping> accounts = new LinkedHashMap<>();
    for (String[] w : accountRecords.values()) {
      ItemIds.Builder b = items.get(w[1]);
      accounts.put(w[1], new AccountMapping(w[1], w[2], w[3], b == null ? ItemIds.EMPTY : b.build()));
    }
    return new IdMap(file, source, Collections.unmodifiableMap(accounts), entries, tornTailBytes);
  }

  private static String header(Path file, String first) {
    String[] w = first.split(" ");
    if (w.length != 3 || !w[0].equals(MAGIC)) {
      throw ErrorCode.BAD_VALUE.exception(file + " is not a storefleet import map (its first record is not '"
          + MAGIC + " " + VERSION + " <source>'); give a map_<server> file an import wrote");
    }
    if (!w[1].equals(Integer.toString(VERSION))) {
      throw ErrorCode.CONFLICT.exception("import map " + file + " has version " + w[1] + "; this storefleet reads"
          + " version " + VERSION + ". Use a matching storefleet");
    }
    return w[2];
  }

  private static RuntimeException bad(Path file, int record, String why) {
    return ErrorCode.IO_ERROR.exception("import map " + file + ", record " + (record + 1) + ": " + why
        + "; the file was not written by a storefleet import, restore it from a copy");
  }

  public Path file() {
    return file;
  }

  /** The server the accounts came from. */
  public String source() {
    return source;
  }

  /** Every mapped account by its old id, in the order the import first wrote them. */
  public Map<String, AccountMapping> accounts() {
    return accounts;
  }

  public Optional<AccountMapping> account(String oldId) {
    return Optional.ofNullable(accounts.get(oldId));
  }

  /** Item id pairs read, counting replaced ones. */
  public long itemEntries() {
    return itemEntries;
  }

  /** Bytes of an unfinished last record, ignored. */
  public long tornTailBytes() {
    return tornTailBytes;
  }
}
