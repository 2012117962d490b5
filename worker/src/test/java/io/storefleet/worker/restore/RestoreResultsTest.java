package io.storefleet.worker.restore;

import io.storefleet.worker.cluster.RemoteShares;
import io.storefleet.worker.testing.ForwardingMailStore;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationText;
import io.storefleet.protocol.operation.Unrestored;
import io.storefleet.worker.backup.format.BlobPacks;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.NewMessage;
import io.storefleet.worker.testing.GatePacer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The result block and the verdict: re-runs after an interruption, failed verification, unrestorable items. */
class RestoreResultsTest {
  @TempDir Path dir;
  RestoreFixture f;

  @AfterEach
  void close() throws Exception {
    if (f != null) {
      f.close();
    }
  }

  private Account annWith(int messages) throws Exception {
    f.local.createDomain("example.com");
    Account ann = f.account("ann@example.com");
    List<String> subjects = new ArrayList<>();
    for (int i = 0; i < messages; i++) {
      subjects.add("message " + i);
    }
    f.deliver(ann, subjects.toArray(String[]::new));
    return ann;
  }

  @Test
  void aRestoreStoppedHalfWayIsFinishedByRunningItAgain() throws Exception {
    GatePacer gate = new GatePacer();
    f = new RestoreFixture(dir, gate, UnaryOperator.identity(), RemoteShares.NONE);
    gate.open();
    Account ann = annWith(200);
    assertEquals(OperationState.SUCCEEDED, f.run("doAccountScan", "ann@example.com").state());
    gate.shut();

    String uuid = f.submit("doRestoreOnNewAccount", "ann@example.com", "ann.copy@example.com", "last");
    gate.release(100);
    // Messages are committed 64 at a time; the hundred let through hold one commit.
    await().atMost(Duration.ofSeconds(60)).until(() -> gate.holding()
        && f.queue.get(uuid).orElseThrow().progress().done() >= 64);
    f.queue.stop(uuid);
    Operation stopped = f.end(uuid);
    assertEquals(OperationState.STOPPED, stopped.state());
    Account copy = f.local.account("ann.copy@example.com").orElseThrow();
    int there = f.local.items(copy.id()).size();
    assertEquals(64, there, "stopped half way, after the first commit of messages");

    gate.open();
    Operation again = f.run("doRestoreOnNewAccount", "ann@example.com", "ann.copy@example.com", "last");
    assertEquals(OperationState.SUCCEEDED, again.state(), String.valueOf(again.error()));
    assertEquals(there, again.stats().counter("skipped"));
    assertEquals(200 - there, again.stats().counter("restored"));
    assertEquals(0, again.stats().counter("unrestored"));
    assertEquals(0, again.stats().counter("accountCreated"), "the re-run continues into the account it created");
    assertTrue(again.stats().verdict().contains("verified against the backup: 10 folder(s), 200 item(s)"),
        again.stats().verdict());
    assertEquals(MailboxView.of(f.local, ann.id()), MailboxView.of(f.local, copy.id()));
    String block = OperationText.stats(again.stats());
    assertTrue(block.startsWith("- stats -\nRestored Items: " + (200 - there) + "\nSkipped Items: " + there
        + "\nUnrestored Items: 0\n"), block);
  }

  /** Adds a byte to every message it stores once armed, and says nothing. */
  static final class AlteringStore extends ForwardingMailStore {
    volatile boolean armed;

    AlteringStore(MailStore d) {
      super(d);
    }

    @Override
    public List<Item> addMessages(String accountId, int folderId, List<NewMessage> messages) {
      if (!armed) {
        return super.addMessages(accountId, folderId, messages);
      }
      List<NewMessage> altered = messages.stream().map(m -> {
        byte[] b = java.util.Arrays.copyOf(m.raw(), m.raw().length + 1);
        b[m.raw().length] = '\n';
        return new NewMessage(b, m.flags(), m.tags(), m.receivedAt());
      }).toList();
      return super.addMessages(accountId, folderId, altered);
    }
  }

  @Test
  void aRestoreTheStoreDidNotWriteFaithfullyFails() throws Exception {
    AlteringStore[] altering = new AlteringStore[1];
    f = new RestoreFixture(dir, io.storefleet.worker.queue.Pacer.NONE, s -> altering[0] = new AlteringStore(s),
        RemoteShares.NONE);
    Account ann = annWith(3);
    f.record();
    f.local.deleteItem(ann.id(), f.local.items(ann.id()).get(0).id());
    f.record();
    altering[0].armed = true;
    Operation op = f.run("doUndelete", "ann@example.com", "first", "last");
    assertEquals(OperationState.FAILED, op.state());
    assertEquals("IO_ERROR", op.error().code());
    assertEquals(1, op.stats().counter("restored"), "the stats of what was done are kept");
    assertTrue(op.stats().verdict().startsWith("Verification FAILED for ann@example.com (items deleted from first to last): folder /Inbox"),
        op.stats().verdict());
    assertTrue(op.stats().verdict().contains("reads back as"), op.stats().verdict());

    Operation copy = f.run("doRestoreOnNewAccount", "ann@example.com", "ann.copy@example.com", "last");
    assertEquals(OperationState.FAILED, copy.state(), "never SUCCEEDED when the content is not the backup's");
    assertTrue(copy.stats().verdict().contains("the mailbox has 3 item(s)"), copy.stats().verdict());
  }

  /** Leaves the messages it stores once armed out of the folder listings. */
  static final class HidingStore extends ForwardingMailStore {
    volatile boolean armed;
    final Set<Integer> hidden = java.util.concurrent.ConcurrentHashMap.newKeySet();

    HidingStore(MailStore d) {
      super(d);
    }

    @Override
    public List<Item> addMessages(String accountId, int folderId, List<NewMessage> messages) {
      List<Item> added = super.addMessages(accountId, folderId, messages);
      if (armed) {
        added.forEach(i -> hidden.add(i.id()));
      }
      return added;
    }

    @Override
    public List<Item> items(String accountId, int folderId) {
      return super.items(accountId, folderId).stream().filter(i -> !hidden.contains(i.id())).toList();
    }
  }

  @Test
  void aRestoredItemItsFolderDoesNotListFailsTheVerdict() throws Exception {
    HidingStore[] hiding = new HidingStore[1];
    f = new RestoreFixture(dir, io.storefleet.worker.queue.Pacer.NONE, s -> hiding[0] = new HidingStore(s),
        RemoteShares.NONE);
    Account ann = annWith(3);
    f.record();
    f.local.deleteItem(ann.id(), f.local.items(ann.id()).get(0).id());
    f.record();
    hiding[0].armed = true;
    Operation op = f.run("doUndelete", "ann@example.com", "first", "last");
    assertEquals(OperationState.FAILED, op.state());
    assertEquals(1, hiding[0].hidden.size());
    assertTrue(op.stats().verdict().contains("is no longer there"), op.stats().verdict());
  }

  @Test
  void brokenAndBloblessContentIsListedAsUnrestoredWithItsCause() throws Exception {
    f = new RestoreFixture(dir);
    Account ann = annWith(4);
    f.record();
    List<Item> items = f.local.items(ann.id());
    Item broken = items.get(1);
    BlobPacks.Location l = f.engine.blobs().committed().get(broken.digest());
    try (FileChannel ch = FileChannel.open(dir.resolve("backup/blobs/packs").resolve(l.pack()), StandardOpenOption.WRITE,
        StandardOpenOption.READ)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      long at = l.offset() + 60;
      ch.read(one, at);
      one.put(0, (byte) (one.get(0) ^ 0x55));
      ch.write(one.flip(), at);
    }
    f.blobless = true;
    Item nocontent = f.local.addMessages(ann.id(), items.get(0).folderId(),
        List.of(RestoreFixture.message("blobless", "kept without content")), Set.of(), Set.of()).get(0);
    f.record();
    // Still blobless while restoring: the account scan before it must not fetch that content again.

    Operation op = f.run("doRestoreOnNewAccount", "ann@example.com", "ann.copy@example.com", "last");
    assertEquals(OperationState.FAILED, op.state());
    assertEquals(3, op.stats().counter("restored"));
    assertEquals(2, op.stats().counter("unrestored"));
    List<Unrestored> u = op.stats().unrestored();
    assertEquals(List.of((long) broken.id(), (long) nocontent.id()), u.stream().map(Unrestored::itemId).toList());
    assertEquals("ann@example.com", u.get(0).account());
    assertTrue(u.get(0).cause().startsWith("broken item: "), u.get(0).cause());
    assertTrue(u.get(1).cause().startsWith("read error: ") && u.get(1).cause().contains("blobless"), u.get(1).cause());
    String block = OperationText.stats(op.stats());
    assertTrue(block.contains("- unrestored items -\naccount: ann@example.com\nunrestored items: " + broken.id() + ","
        + nocontent.id() + "\n"), block);
    assertTrue(op.stats().verdict().startsWith("2 item(s) could not be restored"), op.stats().verdict());
  }
}
