package io.storefleet.worker.store.local;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.Domain;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the mutation classes share: the state to check against, the commit path, and the lookups
 * whose failures name the object and the fix. Used only under the store's lock.
 */
final class StoreContext {
  private final StoreState state;
  private final Journal journal;

  StoreContext(StoreState state, Journal journal) {
    this.state = state;
    this.journal = journal;
  }

  StoreState state() {
    return state;
  }

  Directory dir() {
    return state.directory();
  }

  void commit(Change change) {
    commit(List.of(change), Map.of());
  }

  void commit(List<Change> changes) {
    commit(changes, Map.of());
  }

  /** Commits one change numbered {@code seq}, past the next sequence (JOURNAL_ADVANCED only). */
  void commitAt(long seq, Change change) {
    journal.commit(List.of(change), Map.of(), seq);
  }

  /** Commits {@code changes}; nothing at all when there are none (an unchanged state is no mutation). */
  void commit(List<Change> changes, Map<String, byte[]> contents) {
    if (!changes.isEmpty()) {
      journal.commit(changes, contents);
    }
  }

  Domain requireDomain(String name) {
    return dir().domain(name == null ? "" : name).orElseThrow(() -> ErrorCode.NOT_FOUND.exception(
        "domain " + name + " not found on this store; create it with 'storefleet admin createDomain " + name + "'"));
  }

  Cos requireCos(String name) {
    return dir().cos(name == null ? "" : name).orElseThrow(() -> ErrorCode.NOT_FOUND.exception(
        "cos " + name + " not found on this store; create it with 'storefleet admin createCos " + name + "'"));
  }

  Account requireAccount(String nameOrId) {
    if (nameOrId == null || nameOrId.isBlank()) {
      throw ErrorCode.BAD_VALUE.exception("an account name or id is required");
    }
    String k = Directory.key(nameOrId);
    return dir().account(k).orElseThrow(() -> ErrorCode.NOT_FOUND.exception(
        "account " + k + " not found on this store; "
            + (k.contains("@") ? "create it with 'storefleet admin createAccount " + k + "'"
                : "list accounts with 'storefleet admin listAccounts'")));
  }

  /** Fails unless no account, alias or list uses {@code address}. */
  void requireFree(String address) {
    dir().addressUser(address).ifPresent(user -> {
      throw ErrorCode.ALREADY_EXISTS.exception(address + " is already used by " + user + "; choose another address");
    });
  }

  Owned mailbox(String accountId) {
    Account a = requireAccount(accountId);
    return new Owned(a, state.mailbox(a.id()).orElseThrow());
  }

  static String uuid() {
    return UUID.randomUUID().toString();
  }

  /** The first few names, for messages. */
  static String preview(List<String> names) {
    return names.size() <= 5 ? String.join(", ", names) : String.join(", ", names.subList(0, 5)) + ", ...";
  }
}
