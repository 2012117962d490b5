package io.storefleet.worker.store.local;

import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.DistributionList;
import io.storefleet.worker.store.Domain;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.MailStore;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything a store shows, comparable with {@code equals}; contents as hex. */
record StoreSnapshot(
    List<Domain> domains,
    List<Cos> coses,
    List<Account> accounts,
    List<DistributionList> lists,
    Map<String, List<Folder>> folders,
    Map<String, List<Item>> items,
    Map<String, String> contents,
    Map<String, List<Grant>> grants,
    Map<String, Long> lastChange,
    long lastSequence,
    List<JournalEntry> journal) {

  static StoreSnapshot of(MailStore store) {
    Map<String, List<Folder>> folders = new LinkedHashMap<>();
    Map<String, List<Item>> items = new LinkedHashMap<>();
    Map<String, String> contents = new LinkedHashMap<>();
    Map<String, List<Grant>> grants = new LinkedHashMap<>();
    Map<String, Long> lastChange = new LinkedHashMap<>();
    for (Account a : store.accounts()) {
      folders.put(a.name(), store.folders(a.id()));
      items.put(a.name(), store.items(a.id()));
      for (Item i : store.items(a.id())) {
        contents.put(a.name() + "/" + i.id(), HexFormat.of().formatHex(store.content(a.id(), i.id())));
      }
      grants.put(a.name(), store.grants(a.id()));
      lastChange.put(a.name(), store.lastChange(a.id()));
    }
    return new StoreSnapshot(store.domains(), store.coses(), store.accounts(), store.distributionLists(), folders,
        items, contents, grants, lastChange, store.lastSequence(), store.journal(0, Integer.MAX_VALUE));
  }
}
