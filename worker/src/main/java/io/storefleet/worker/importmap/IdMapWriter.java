package io.storefleet.worker.importmap;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.log.AppendLog;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Appends to the import map {@code map_<sourceServerId>} of a backup path (format in {@link
 * IdMap}). Each call is committed (forced to disk) before it returns, so what an import has
 * written survives a kill; writing the same ids again after a restart is harmless.
 */
public final class IdMapWriter implements Closeable {
  /** Item pairs per record: keeps records near 12 KB, so a torn one loses little. */
  static final int PAIRS_PER_RECORD = 1000;

  private final AppendLog log;
  private final IdMap recovered;
  private final Set<String> accounts;

  private IdMapWriter(AppendLog log, IdMap recovered) {
    this.log = log;
    this.recovered = recovered;
    this.accounts = new HashSet<>(recovered.accounts().keySet());
  }

  /** Opens (creating if needed) the map of {@code sourceServerId} in {@code backupRoot}. */
  public static IdMapWriter open(Path backupRoot, String sourceServerId) throws IOException {
    requireWord(sourceServerId, "source server id");
    AppendLog log = AppendLog.open(backupRoot.resolve(IdMap.fileName(sourceServerId)));
    try {
      String header = IdMap.MAGIC + " " + IdMap.VERSION + " " + sourceServerId;
      List<String> existing = log.recovered();
      if (existing.isEmpty()) {
        log.append(header);
        existing = List.of(header);
      } else if (!existing.get(0).equals(header)) {
        throw ErrorCode.CONFLICT.exception(log.file() + " starts with '" + existing.get(0) + "', not the map header of"
            + " source " + sourceServerId + "; move the file aside before importing");
      }
      // Parsed here, from the records the open read anyway, so that a caller need not read the file again;
      // a map readers would refuse is refused before anything is appended to it.
      return new IdMapWriter(log, IdMap.parse(log.file(), existing, 0));
    } catch (RuntimeException | IOException e) {
      log.close();
      throw e;
    }
  }

  /** Records that the account {@code oldId} was imported as {@code newId}. */
  public void account(String oldId, String newId, String name) throws IOException {
    requireWord(oldId, "old account id");
    requireWord(newId, "new account id");
    requireWord(name, "account name");
    log.append(IdMap.ACCOUNT + " " + oldId + " " + newId + " " + name);
    accounts.add(oldId);
  }

  /** Records old → new item ids of an account already recorded, {@code olds[i]} → {@code news[i]}, with one sync. */
  public void items(String oldAccountId, int[] olds, int[] news) throws IOException {
    if (!accounts.contains(oldAccountId)) {
      throw ErrorCode.BAD_VALUE.exception("items of account " + oldAccountId + " written to " + log.file()
          + " before the account itself; call account(...) first");
    }
    if (olds.length != news.length) {
      throw ErrorCode.BAD_VALUE.exception(olds.length + " old ids but " + news.length + " new ids for account "
          + oldAccountId + "; give one new id per old id");
    }
    List<String> records = new ArrayList<>();
    StringBuilder sb = null;
    for (int i = 0; i < olds.length; i++) {
      if (olds[i] <= 0 || news[i] <= 0) {
        throw ErrorCode.BAD_VALUE.exception("item ids start at 1; got " + olds[i] + "=" + news[i] + " for account "
            + oldAccountId);
      }
      if (i % PAIRS_PER_RECORD == 0) {
        if (sb != null) {
          records.add(sb.toString());
        }
        sb = new StringBuilder(IdMap.ITEMS).append(' ').append(oldAccountId);
      }
      sb.append(' ').append(olds[i]).append('=').append(news[i]);
    }
    if (sb != null) {
      records.add(sb.toString());
    }
    if (!records.isEmpty()) {
      log.appendAll(records);
    }
  }

  /** What the file held when this writer opened it (its torn tail cut); later writes are not in it. */
  public IdMap recovered() {
    return recovered;
  }

  public Path file() {
    return log.file();
  }

  @Override
  public void close() throws IOException {
    log.close();
  }

  private static void requireWord(String s, String what) {
    if (s == null || s.isEmpty() || s.chars().anyMatch(c -> Character.isWhitespace(c) || c == '=')) {
      throw ErrorCode.BAD_VALUE.exception("an import map " + what + " must be one word without spaces or '=', got '"
          + s + "'");
    }
  }
}
