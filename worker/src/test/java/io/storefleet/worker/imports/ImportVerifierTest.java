package io.storefleet.worker.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.restore.ContentMatch;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.local.LocalMailStore;
import io.storefleet.worker.testing.MutableClock;
import io.storefleet.worker.testing.ServerFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check against the source notices a missing item, a moved one and different content. */
class ImportVerifierTest {
  @TempDir Path dir;

  @Test
  void findsWhatDiffersFromTheSourcePerFolder() throws Exception {
    try (LocalMailStore store = LocalMailStore.open(dir, MutableClock.atEpoch2026())) {
      store.createDomain("a.example");
      Account a = store.createAccount("ann@a.example", null, Map.of());
      List<Item> items = store.addMessages(a.id(), Folder.INBOX,
          List.of(ServerFixture.message("one", "1"), ServerFixture.message("two", "2")), Set.of(), Set.of());
      SourceAccount src = new SourceAccount("old-ann", new AccountSnapshot(a, store.folders(a.id()), List.of(), false,
          null, null, false, 1, null));
      ImportVerifier v = new ImportVerifier(store, ContentMatch::byteForByte);

      ImportTarget good = target(src, a, items.get(0), items.get(0).digest());
      good.restored.add(new ImportTarget.RestoredItem(Folder.INBOX, items.get(1).id(), items.get(1).digest(),
          items.get(1).size()));
      assertEquals(new ImportVerifier.Verdict(1, List.of(), false), v.verify(List.of(good)));

      ImportTarget changed = target(src, a, items.get(0), "0".repeat(64));
      ImportVerifier.Verdict bad = v.verify(List.of(changed));
      assertEquals(1, bad.mismatches().size());
      assertTrue(bad.mismatches().get(0).startsWith("ann@a.example /Inbox: source 1 item(s)"),
          bad.mismatches().get(0));

      store.moveItem(a.id(), items.get(0).id(), Folder.TRASH);
      ImportTarget moved = target(src, a, items.get(0), items.get(0).digest());
      moved.restored.add(new ImportTarget.RestoredItem(Folder.INBOX, items.get(1).id(), items.get(1).digest(),
          items.get(1).size()));
      assertEquals(1, v.verify(List.of(moved)).mismatches().size(), "two Inbox items, now in two folders");

      store.deleteItem(a.id(), items.get(1).id());
      ImportTarget missing = target(src, a, items.get(1), items.get(1).digest());
      assertTrue(v.verify(List.of(missing)).mismatches().get(0).contains("here 0 item(s)"));
    }
  }

  private static ImportTarget target(SourceAccount src, Account a, Item i, String sourceDigest) {
    ImportTarget t = new ImportTarget(src, a);
    t.restored.add(new ImportTarget.RestoredItem(Folder.INBOX, i.id(), sourceDigest, i.size()));
    return t;
  }
}
