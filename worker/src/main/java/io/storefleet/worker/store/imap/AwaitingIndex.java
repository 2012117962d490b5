package io.storefleet.worker.store.imap;

import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MissingContent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The items awaiting their content, by digest and account, as one listing of every account found
 * them. A blob restore lists once ({@link AwaitedContent#missing}) and then calls the store once
 * per chunk of contents from several threads: each call opens only the accounts its contents
 * name, so the restore's cost grows with the accounts, not with accounts times chunks.
 */
final class AwaitingIndex {
  /** One account's awaiting items that name one content. */
  private record Named(Account account, List<Item> items) {}

  private final Map<String, Map<String, Named>> byDigest = new LinkedHashMap<>();
  /** The same items in account and id order. */
  private final List<MissingContent> listed = new ArrayList<>();

  private AwaitingIndex() {}

  /** Reads every account's id map once (without IMAP). */
  static AwaitingIndex list(List<Account> accounts, AccountSessions sessions) {
    AwaitingIndex index = new AwaitingIndex();
    for (Account a : accounts) {
      for (Item i : sessions.onMap(a, AccountMap::awaiting, List.<Item>of())) {
        index.byDigest.computeIfAbsent(i.digest(), d -> new LinkedHashMap<>())
            .computeIfAbsent(a.id(), id -> new Named(a, new ArrayList<>())).items().add(i);
        index.listed.add(new MissingContent(a.id(), i.id(), i.digest(), i.size(), false));
      }
    }
    return index;
  }

  List<MissingContent> missing() {
    return List.copyOf(listed);
  }

  /** Whether the listing found an item naming each of these digests. */
  boolean covers(Collection<String> digests) {
    return byDigest.keySet().containsAll(digests);
  }

  /** Whether the listing found an item naming this content (its digest and size). */
  boolean names(String digest, long size) {
    return byDigest.getOrDefault(digest, Map.of()).values().stream()
        .anyMatch(n -> n.items().stream().anyMatch(i -> i.size() == size));
  }

  /** The accounts whose listed items name any of these digests, with those items' ids. */
  Map<Account, List<Integer>> naming(Collection<String> digests) {
    Map<String, Account> accounts = new LinkedHashMap<>();
    Map<String, List<Integer>> ids = new LinkedHashMap<>();
    for (String d : digests) {
      byDigest.getOrDefault(d, Map.of()).values().forEach(n -> {
        accounts.putIfAbsent(n.account().id(), n.account());
        n.items().forEach(i -> ids.computeIfAbsent(n.account().id(), id -> new ArrayList<>()).add(i.id()));
      });
    }
    Map<Account, List<Integer>> out = new LinkedHashMap<>();
    accounts.forEach((id, a) -> out.put(a, ids.get(id)));
    return out;
  }
}
