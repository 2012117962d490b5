package io.storefleet.worker.imports;

import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.operation.Unrestored;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result block of an import, added to from several threads: the vendor's three item counters
 * first, then what was provisioned, then the items that could not be restored with their causes.
 * Every entry of that list is counted once: an item in {@code unrestoredItems}, a refused account
 * in {@code accountsUnrestored}, an account whose items failed as a whole in
 * {@code accountsItemsUnrestored} (its items in {@code itemsOfAccountsUnrestored}), anything else
 * (a folder, an alias, a list, a share, a mountpoint) in {@code objectsUnrestored}.
 */
final class ImportCounters {
  static final String RESTORED = "restoredItems";
  static final String SKIPPED = "skippedItems";
  static final String UNRESTORED = "unrestoredItems";
  static final String ACCOUNTS_ITEMS_UNRESTORED = "accountsItemsUnrestored";
  static final String ITEMS_OF_ACCOUNTS_UNRESTORED = "itemsOfAccountsUnrestored";
  static final String OBJECTS_UNRESTORED = "objectsUnrestored";

  private final Map<String, Long> counters = new LinkedHashMap<>();
  private final List<Unrestored> unrestored = new ArrayList<>();

  ImportCounters() {
    for (String k : List.of(RESTORED, SKIPPED, UNRESTORED, "accountsCreated", "accountsExisting",
        "accountsUnrestored", ACCOUNTS_ITEMS_UNRESTORED, ITEMS_OF_ACCOUNTS_UNRESTORED, OBJECTS_UNRESTORED, "accountsDeletedLeftOut", "accountsSystemLeftOut", "domainsCreated", "cosCreated",
        "listsCreated", "aliasesAdded", "foldersCreated", "grantsRestored", "mountpointsRestored",
        "mountpointsExisting", "bytesRestored", "foldersVerified")) {
      counters.put(k, 0L);
    }
  }

  synchronized void add(String counter, long n) {
    counters.merge(counter, n, Long::sum);
  }

  synchronized long get(String counter) {
    return counters.getOrDefault(counter, 0L);
  }

  /** An item (or, with id 0, another object of the account: an alias, a share...) that was not restored. */
  synchronized void unrestored(String account, long itemId, String cause) {
    unrestored.add(new Unrestored(account, itemId, cause));
    counters.merge(itemId > 0 ? UNRESTORED : OBJECTS_UNRESTORED, 1L, Long::sum);
  }

  /**
   * An account whose items were not imported at all: lost mail, so it is counted apart from the
   * other objects, with the number of items it wanted.
   */
  synchronized void itemsNotImported(String account, long items, String cause) {
    unrestored.add(new Unrestored(account, 0, cause));
    counters.merge(ACCOUNTS_ITEMS_UNRESTORED, 1L, Long::sum);
    counters.merge(ITEMS_OF_ACCOUNTS_UNRESTORED, items, Long::sum);
  }

  /** The verdict's words for what was lost besides single items and refused accounts; empty if nothing. */
  synchronized String lostBesidesItems() {
    long accounts = get(ACCOUNTS_ITEMS_UNRESTORED);
    long objects = get(OBJECTS_UNRESTORED);
    return (accounts > 0 ? ", " + accounts + " account(s) whose " + get(ITEMS_OF_ACCOUNTS_UNRESTORED)
            + " item(s) were NOT imported at all" : "")
        + (objects > 0 ? ", " + objects + " other object(s) (folders, aliases, lists, shares, mountpoints) not restored" : "");
  }

  /** An account of the source that was not imported at all. */
  synchronized void refused(String account, String cause) {
    unrestored.add(new Unrestored(account, 0, cause));
    counters.merge("accountsUnrestored", 1L, Long::sum);
  }

  synchronized boolean clean() {
    return unrestored.isEmpty();
  }

  synchronized OperationStats stats(String verdict) {
    return new OperationStats(new LinkedHashMap<>(counters), new ArrayList<>(unrestored), verdict);
  }
}
