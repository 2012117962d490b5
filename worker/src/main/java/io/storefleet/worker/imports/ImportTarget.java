package io.storefleet.worker.imports;

import io.storefleet.worker.store.Account;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One account of an import: where it comes from, the account it became here, and its folder ids
 * old → new (filled by PHASE1, used by the items and mountpoints).
 */
final class ImportTarget {
  final SourceAccount source;
  final Account account;
  final Map<Integer, Integer> folders = new ConcurrentHashMap<>();
  /** The items this run created, for the verification against the source; one thread adds to it. */
  final List<RestoredItem> restored = new ArrayList<>();

  /**
   * An item this run created.
   *
   * @param sourceFolder its folder in the source
   * @param newId its id here
   * @param digest its content's digest in the source
   * @param size its content's size in the source
   */
  record RestoredItem(int sourceFolder, int newId, String digest, long size) {}

  ImportTarget(SourceAccount source, Account account) {
    this.source = source;
    this.account = account;
  }

  String oldId() {
    return source.id();
  }

  String newId() {
    return account.id();
  }

  String name() {
    return account.name();
  }
}
