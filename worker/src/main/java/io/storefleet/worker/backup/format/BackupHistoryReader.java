package io.storefleet.worker.backup.format;

import io.storefleet.protocol.codec.Json;
import io.storefleet.worker.log.AppendLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads an account's history without taking it from writers: the logs are append-only, so a
 * reader sees whole records and, at worst, ignores a record being written.
 */
public final class BackupHistoryReader {
  private final BackupEngine engine;

  public BackupHistoryReader(BackupEngine engine) {
    this.engine = engine;
  }

  public List<ItemState> itemStates(String accountId) throws IOException {
    return items(accountId).states();
  }

  /** An account's {@code items.log} read once: its item states and its scan positions, oldest first. */
  public ItemsLog items(String accountId) throws IOException {
    List<ItemState> states = new ArrayList<>();
    List<Recorded> positions = new ArrayList<>();
    for (String r : records(engine.path().itemsLog(accountId))) {
      if (ScanPosition.is(r)) {
        ScanPosition p = ScanPosition.decode(r);
        positions.add(new Recorded(p.seq(), p.at()));
      } else {
        states.add(ItemStateLine.decode(r));
      }
    }
    return new ItemsLog(states, positions);
  }

  /** What {@link #items} read. */
  public record ItemsLog(List<ItemState> states, List<Recorded> positions) {
    /**
     * The last scan position recorded at or before {@code at} (null: the very last), if any (see
     * {@link ScanPosition}).
     */
    public Optional<Recorded> lastPosition(Instant at) {
      Recorded last = null;
      for (Recorded p : positions) {
        if (at == null || !p.at().isAfter(at)) {
          last = p;
        }
      }
      return Optional.ofNullable(last);
    }
  }

  /** A journal position an account's backup reflects, and when it was recorded. */
  public record Recorded(long seq, Instant at) {}

  public List<AccountSnapshot> snapshots(String accountId) throws IOException {
    List<AccountSnapshot> out = new ArrayList<>();
    for (String r : records(engine.path().accountLog(accountId))) {
      out.add(Json.decode(r, AccountSnapshot.class));
    }
    return out;
  }

  /** The last snapshot recorded at or before {@code at} (null: the very last). */
  public Optional<AccountSnapshot> snapshotAt(String accountId, Instant at) throws IOException {
    AccountSnapshot found = null;
    for (AccountSnapshot s : snapshots(accountId)) {
      if (at == null || !s.at().isAfter(at)) {
        found = s;
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * An account of the backup by id, primary name or alias, deleted ones included (their last
   * recorded form). A live account is found first by id; names are compared without case.
   */
  public Optional<String> findAccount(String nameOrId) throws IOException {
    if (nameOrId == null) {
      return Optional.empty();
    }
    String key = nameOrId.toLowerCase(Locale.ROOT);
    if (engine.knows(nameOrId)) {
      return Optional.of(nameOrId);
    }
    String match = null;
    Instant newest = null;
    for (String id : engine.accountIds()) {
      Optional<AccountSnapshot> s = snapshotAt(id, null);
      if (s.isEmpty()) {
        continue;
      }
      var a = s.get().account();
      boolean named = a.name().equalsIgnoreCase(key) || a.aliases().stream().anyMatch(x -> x.equalsIgnoreCase(key));
      // Several deleted accounts may have had the name: the one seen last is meant.
      if (named && (newest == null || s.get().at().isAfter(newest))) {
        match = id;
        newest = s.get().at();
      }
    }
    return Optional.ofNullable(match);
  }

  /**
   * The account of the backup deleted most recently under this id, primary name or alias (names
   * compared without case), or empty. Accounts only excluded by their COS are not deleted.
   */
  public Optional<String> findDeletedAccount(String nameOrId) throws IOException {
    if (nameOrId == null) {
      return Optional.empty();
    }
    String match = null;
    Instant newest = null;
    for (String id : engine.accountIds()) {
      Optional<AccountSnapshot> s = snapshotAt(id, null);
      if (s.isEmpty() || !s.get().deleted() || s.get().excluded() != null) {
        continue;
      }
      var a = s.get().account();
      boolean named = id.equalsIgnoreCase(nameOrId) || a.name().equalsIgnoreCase(nameOrId)
          || a.aliases().stream().anyMatch(x -> x.equalsIgnoreCase(nameOrId));
      if (named && (newest == null || s.get().at().isAfter(newest))) {
        match = id;
        newest = s.get().at();
      }
    }
    return Optional.ofNullable(match);
  }

  private static List<String> records(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    return AppendLog.inspect(file).records();
  }
}
