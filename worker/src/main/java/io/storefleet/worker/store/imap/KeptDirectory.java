package io.storefleet.worker.store.imap;

import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.DistributionList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * What the worker keeps beside Dovecot because Dovecot has no place for it: domains, classes of
 * service, each account's COS and aliases, and distribution lists. One JSON file ({@code
 * directory.json} in the store's folder), replaced whole and synced on every change, so a change
 * that returned is on disk; it is small (the provisioning of one server, not its mail).
 */
final class KeptDirectory {
  /**
   * The file's content.
   *
   * @param domains created domains and when
   * @param coses created classes of service by name (the built-in {@code default} only when its
   *     notes were set)
   * @param accountCos the COS of each account not in {@code default}, by account id
   * @param aliases each account's aliases, by account id
   * @param lists distribution lists by address
   */
  record State(Map<String, Instant> domains, Map<String, Cos> coses, Map<String, String> accountCos,
      Map<String, List<String>> aliases, Map<String, DistributionList> lists) {
    State {
      domains = sorted(domains);
      coses = sorted(coses);
      accountCos = sorted(accountCos);
      aliases = sorted(aliases);
      lists = sorted(lists);
    }

    private static <V> Map<String, V> sorted(Map<String, V> m) {
      return m == null ? new TreeMap<>() : new TreeMap<>(m);
    }

    /** A copy to change. */
    State copy() {
      return new State(domains, coses, accountCos, aliases, lists);
    }
  }

  private final Path file;
  private State state;
  private boolean missing;

  private KeptDirectory(Path file, State state, boolean missing) {
    this.file = file;
    this.state = state;
    this.missing = missing;
  }

  /** Opens the file; a missing one opens empty, {@link #missing} until {@link #settle} writes it. */
  static KeptDirectory open(Path file) throws IOException {
    if (!Files.exists(file)) {
      return new KeptDirectory(file, new State(null, null, null, null, null), true);
    }
    try {
      return new KeptDirectory(file, Json.MAPPER.readValue(file.toFile(), State.class), false);
    } catch (IOException e) {
      // Unlike the caches, this file is the only copy: never start without it.
      throw new IOException("the imap store's directory " + file + " is unreadable (" + e.getMessage()
          + "); restore it from a copy, or from the backup with doRawRestore", e);
    }
  }

  synchronized State state() {
    return state;
  }

  Path file() {
    return file;
  }

  /**
   * Whether the file was not there when opened and nothing has written it since: a first start,
   * or side state that was lost ({@link BackupDirectory} tells them apart by the backup path).
   */
  synchronized boolean missing() {
    return missing;
  }

  /**
   * Writes the state a missing file starts from (empty on a first start, rebuilt from the backup
   * otherwise), so that a file missing at a later start means it was lost.
   */
  synchronized void settle(State rebuilt) {
    state = rebuilt;
    change(UnaryOperator.identity());
    missing = false;
  }

  /** Applies a change on a copy, writes it durably, then makes it current; a failed write changes nothing. */
  synchronized State change(UnaryOperator<State> edit) {
    State next = edit.apply(state.copy());
    try {
      DurableFile.replace(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(next));
    } catch (IOException e) {
      throw ErrorCode.IO_ERROR.exception("cannot write the imap store's directory " + file + ": " + e.getMessage());
    }
    state = next;
    missing = false;
    return next;
  }

  /** The account with the COS and aliases kept for it. */
  synchronized Account overlay(Account a) {
    String cos = state.accountCos().getOrDefault(a.id(), a.cos());
    List<String> aliases = state.aliases().getOrDefault(a.id(), List.of());
    if (cos.equals(a.cos()) && aliases.equals(a.aliases())) {
      return a;
    }
    return new Account(a.id(), a.name(), a.domain(), cos, a.status(), a.attributes(), aliases, a.createdAt());
  }

  /** The account id an alias belongs to. */
  synchronized Optional<String> accountOfAlias(String alias) {
    for (Map.Entry<String, List<String>> e : state.aliases().entrySet()) {
      if (e.getValue().contains(alias)) {
        return Optional.of(e.getKey());
      }
    }
    return Optional.empty();
  }
}
