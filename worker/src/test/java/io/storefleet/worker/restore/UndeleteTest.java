package io.storefleet.worker.restore;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationText;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** doUndelete and doItemRestore: deleted items back into the live mailbox. */
class UndeleteTest {
  @TempDir Path dir;
  RestoreFixture f;
  Account ann;
  Folder projects;
  List<Item> mail;

  /**
   * Six messages, five of them deleted one by one around the window 10:00:30 to 10:01:00:
   * a at 10:00:00, b at 10:00:30 (from Projects, with the IMAP deleted flag), c at 10:01:00,
   * d at 10:01:00.500, e at 10:01:01; f stays.
   */
  @BeforeEach
  void open() throws Exception {
    f = new RestoreFixture(dir);
    f.local.createDomain("example.com");
    ann = f.account("ann@example.com");
    f.clock.set(Instant.parse("2026-02-01T09:00:00Z"));
    projects = f.local.createFolder(ann.id(), "/Inbox/Projects", "message");
    mail = new java.util.ArrayList<>(f.deliver(ann, "a"));
    mail.addAll(f.deliver(ann, projects.id(), "b"));
    mail.addAll(f.deliver(ann, "c", "d", "e", "f"));
    f.local.setFlags(ann.id(), mail.get(1).id(), Set.of("seen", "deleted"));
    f.local.setTags(ann.id(), mail.get(1).id(), Set.of("work"));
    f.record();
    delete(0, "2026-02-01T10:00:00Z");
    delete(1, "2026-02-01T10:00:30Z");
    delete(2, "2026-02-01T10:01:00Z");
    delete(3, "2026-02-01T10:01:00.500Z");
    delete(4, "2026-02-01T10:01:01Z");
    f.clock.set(Instant.parse("2026-02-01T12:00:00Z"));
  }

  private void delete(int i, String at) throws Exception {
    f.clock.set(Instant.parse(at));
    f.local.deleteItem(ann.id(), mail.get(i).id());
    f.record();
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private List<String> subjects(Folder folder) {
    return f.local.items(ann.id(), folder.id()).stream().map(Item::subject).sorted().toList();
  }

  private static void assertSucceeded(Operation op) {
    assertEquals(OperationState.SUCCEEDED, op.state(), op.error() + "\n" + OperationText.stats(op.stats()));
  }

  @Test
  void theWindowIsInclusiveAtBothEndsToTheSecond() throws Exception {
    Operation op = f.run("doUndelete", "ann@example.com", "01/02/2026 10:00:30", "01/02/2026 10:01:00");
    assertSucceeded(op);
    assertEquals(3, op.stats().counter("restored"), "b at the start, c at the end, d within the end's second");
    assertEquals(List.of("b"), subjects(projects), "b goes back to its original folder");
    assertEquals(List.of("c", "d", "f"), subjects(f.local.folder(ann.id(), "/Inbox").orElseThrow()));
    Item b = f.local.items(ann.id(), projects.id()).get(0);
    assertEquals(Set.of("seen"), b.flags(), "the IMAP deleted flag is stripped");
    assertEquals(Set.of("work"), b.tags());
    assertEquals(0, op.stats().counter("foldersCreated"));

    Operation again = f.run("doUndelete", "ann@example.com", "01/02/2026 10:00:30", "01/02/2026 10:01:00");
    assertSucceeded(again);
    assertEquals(0, again.stats().counter("restored"));
    assertEquals(3, again.stats().counter("skipped"), "already restored: skipped, nothing duplicated");
    assertEquals(List.of("c", "d", "f"), subjects(f.local.folder(ann.id(), "/Inbox").orElseThrow()));
  }

  /** Issue 18, item 10: after doUndelete the deleted originals say which item brought them back. */
  @Test
  void aSearchForDeletedItemsNamesTheItemsThatRestoredThem() throws Exception {
    JsonNode before = f.ask("doItemSearch", "ann@example.com", "deleted", "true").result().get("items");
    assertEquals(5, before.size());
    for (JsonNode i : before) {
      assertFalse(i.has("restoredAs"), "nothing restored yet: " + i);
    }
    assertSucceeded(f.run("doUndelete", "ann@example.com", "01/02/2026 10:00:30", "01/02/2026 10:01:00"));
    var after = f.ask("doItemSearch", "ann@example.com", "deleted", "true");
    Map<String, Integer> restoredAs = new java.util.HashMap<>();
    for (JsonNode i : after.result().get("items")) {
      if (i.has("restoredAs")) {
        Item copy = f.local.item(ann.id(), i.get("restoredAs").asInt()).orElseThrow();
        assertNotEquals(i.get("id").asInt(), copy.id());
        restoredAs.put(i.get("subject").asText(), copy.id());
        assertEquals(i.get("subject").asText(), copy.subject());
      }
    }
    assertEquals(Set.of("b", "c", "d"), restoredAs.keySet(), "a and e were outside the window");
    assertTrue(after.text().contains("yes, restored as " + restoredAs.get("b")), after.text());
  }

  @Test
  void firstAndLastOpenTheWindow() throws Exception {
    Operation op = f.run("doUndelete", "ann@example.com", "first", "last");
    assertSucceeded(op);
    assertEquals(5, op.stats().counter("restored"));
    Operation until = f.run("doUndelete", "ann@example.com", "first", "01/02/2026 10:00:00");
    assertSucceeded(until);
    assertEquals(1, until.stats().counter("skipped"), "only a, restored by the run before");
    assertEquals(0, until.stats().counter("restored"));
  }

  @Test
  void aDatedRestoreFolderMirrorsTheOriginalFolders() throws Exception {
    Operation op = f.run("doUndelete", "ann@example.com", "01/02/2026 10:00:30", "last",
        "target_original_folder", "false");
    assertSucceeded(op);
    String dated = "/Undelete 2026-02-01 10:00:30 to last";
    assertEquals(List.of("b"), subjects(f.local.folder(ann.id(), dated + "/Inbox/Projects").orElseThrow()));
    assertEquals(List.of("c", "d", "e"), subjects(f.local.folder(ann.id(), dated + "/Inbox").orElseThrow()));
    assertEquals(List.of(), subjects(projects), "the original folder is left alone");
    assertEquals(3, op.stats().counter("foldersCreated"));
    Operation again = f.run("doUndelete", "ann@example.com", "01/02/2026 10:00:30", "last",
        "target_original_folder", "false");
    assertSucceeded(again);
    assertEquals(4, again.stats().counter("skipped"), "a re-run finds the same dated folder");
  }

  @Test
  void anEmptiedFolderIsScannedBeforeTheRestoreAndComesBack() throws Exception {
    f.clock.set(Instant.parse("2026-02-01T13:00:00Z"));
    f.deliver(ann, projects.id(), "g", "h");
    f.record();
    f.clock.set(Instant.parse("2026-02-01T14:00:00Z"));
    assertEquals(2, f.local.emptyFolder(ann.id(), projects.id()));
    f.record();
    Operation op = f.run("doUndelete", "ann@example.com", "01/02/2026 14:00:00", "last");
    assertSucceeded(op);
    assertEquals(1, op.stats().counter("accountScans"), "an emptied folder makes the backup scan the account first");
    assertEquals(2, op.stats().counter("restored"));
    assertEquals(List.of("g", "h"), subjects(projects));
  }

  @Test
  void anItemComesBackAloneIntoItsFolderOrTheOneNamed() throws Exception {
    Operation op = f.run("doItemRestore", "ann@example.com", Integer.toString(mail.get(1).id()));
    assertSucceeded(op);
    assertEquals(1, op.stats().counter("restored"));
    assertEquals(List.of("b"), subjects(projects));
    assertEquals(Set.of("seen"), f.local.items(ann.id(), projects.id()).get(0).flags());

    Operation named = f.run("doItemRestore", "ann@example.com", Integer.toString(mail.get(0).id()),
        "restore_folder", "/Recovered/Today");
    assertSucceeded(named);
    assertEquals(List.of("a"), subjects(f.local.folder(ann.id(), "/Recovered/Today").orElseThrow()));

    Operation present = f.run("doItemRestore", "ann@example.com", Integer.toString(mail.get(5).id()));
    assertSucceeded(present);
    assertEquals(1, present.stats().counter("skipped"), "f was never deleted: it is already there");

    // Issue 18, item 9: an item neither the backup nor the mailbox holds is refused at submit, not queued.
    StorefleetException unknown = assertThrows(StorefleetException.class,
        () -> f.submit("doItemRestore", "ann@example.com", "99999"));
    assertEquals(ErrorCode.NOT_FOUND, unknown.code());
    assertTrue(unknown.getMessage().contains("doItemSearch"), unknown.getMessage());
  }

  @Test
  void badRequestsAreRefused() {
    assertEquals(ErrorCode.BAD_VALUE, assertThrows(StorefleetException.class, () -> f.submit("doUndelete",
        "ann@example.com", "01/02/2026 11:00:00", "01/02/2026 10:00:00")).code());
    StorefleetException hsm = assertThrows(StorefleetException.class, () -> f.submit("doUndelete",
        "ann@example.com", "first", "last", "apply_hsm", "true"));
    assertEquals(ErrorCode.NOT_IMPLEMENTED, hsm.code());
    assertTrue(hsm.getMessage().contains("apply_hsm"));
    assertEquals(ErrorCode.UNKNOWN_ACCOUNT, assertThrows(StorefleetException.class, () -> f.submit("doUndelete",
        "nobody@example.com", "first", "last")).code());
    assertEquals(ErrorCode.BAD_VALUE, assertThrows(StorefleetException.class, () -> f.submit("doItemRestore",
        "ann@example.com", "0")).code());
    f.submit("doUndelete", "ann@example.com", "first", "last", "notifications", "admin@example.com");
  }
}
