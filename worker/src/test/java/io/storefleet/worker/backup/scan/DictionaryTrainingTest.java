package io.storefleet.worker.backup.scan;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.worker.backup.TwoAccountBackupTest;
import io.storefleet.worker.queue.OperationLog;
import io.storefleet.worker.queue.OperationQueue;
import io.storefleet.worker.queue.Pacer;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MailboxSnapshot;
import io.storefleet.worker.store.ScanView;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A site too small to train a dictionary is not sampled again until it has grown (DictionaryAttempts). */
class DictionaryTrainingTest extends TwoAccountBackupTest {
  /** Heads of the local store's messages, as the imap store gives them, counting the accounts asked. */
  private final AtomicInteger accountsAsked = new AtomicInteger();

  @Test
  void aSmallSiteIsSampledAgainOnlyOnceItHasGrownEnoughToTrain() throws Exception {
    deliver(ann, 10);
    deliver(ben, 10);
    try (OperationQueue queue = queue()) {
      train(queue);
      assertEquals(2, accountsAsked.get(), "the first scan samples both accounts");
      assertFalse(f.engine.blobs().hasDictionary(), "20 items are too few to train on");

      train(queue);
      deliver(ann, 40);
      train(queue);
      assertEquals(2, accountsAsked.get(), "unchanged, then 60 items of 84: not sampled again");

      deliver(ben, 30);
      train(queue);
      assertEquals(4, accountsAsked.get(), "90 items: sampled again");
      assertTrue(f.engine.blobs().hasDictionary(), "and trained");
    }
  }

  @Test
  void manySmallAccountsLeaveTheRestOfTheSampleToTheLargerOnes() throws Exception {
    deliver(ann, 80);
    for (int k = 0; k < 30; k++) {
      deliver(f.account("small" + k + "@example.com"), 1);
    }
    try (OperationQueue queue = queue()) {
      train(queue);
    }
    assertTrue(f.engine.blobs().hasDictionary(), "32 accounts asked for 8 heads each gave 38: ann gave the rest");
    assertEquals(32 + 1, accountsAsked.get(), "ann alone was asked again");
  }

  private void deliver(Account a, int n) {
    List<byte[]> mail = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder body = new StringBuilder();
      for (int line = 0; body.length() < 5000; line++) {
        body.append("Line ").append(line * 7919 % 1009).append(" of message ").append(a.name()).append(i)
            .append(", about the quarterly figures.\r\n");
      }
      mail.add(("From: a@example.com\r\nTo: " + a.name() + "\r\nSubject: report " + i + "\r\n\r\n" + body)
          .getBytes(StandardCharsets.UTF_8));
    }
    f.store.addMessages(a.id(), Folder.INBOX, mail, Set.of(), Set.of());
  }

  private void train(OperationQueue queue) {
    String uuid = queue.submit("doSmartScan", Map.of(), "test", null).uuid();
    await().atMost(Duration.ofSeconds(60)).until(() -> queue.get(uuid).orElseThrow().state().terminal());
    Operation done = queue.get(uuid).orElseThrow();
    assertEquals(OperationState.SUCCEEDED, done.state(), () -> String.valueOf(done));
  }

  private OperationQueue queue() throws Exception {
    OperationQueue queue = new OperationQueue("mbox1", OperationLog.open(dir.resolve("training-ops.log")), f.clock,
        op -> ctx -> {
          List<Account> accounts = f.store.accounts();
          Map<String, Integer> counts = new HashMap<>();
          for (Account a : accounts) {
            counts.put(a.id(), f.store.itemCount(a.id()));
          }
          new DictionaryTraining(f.store, headsView(), f.engine, 2).trainIfNone(ctx, accounts, counts, Set.of());
          return OperationStats.empty();
        }, Pacer.NONE, op -> { });
    queue.start();
    return queue;
  }

  private ScanView headsView() {
    ScanView plain = ScanView.of(f.store);
    return new ScanView() {
      @Override
      public Runnable begin() {
        return plain.begin();
      }

      @Override
      public int itemCount(String accountId) {
        return plain.itemCount(accountId);
      }

      @Override
      public long lastChange(String accountId, ContentSink sink) {
        return plain.lastChange(accountId, sink);
      }

      @Override
      public MailboxSnapshot snapshot(String accountId, ContentSink sink) {
        return plain.snapshot(accountId, sink);
      }

      @Override
      public Optional<List<byte[]>> contentHeads(String accountId, int count, int headBytes) {
        accountsAsked.incrementAndGet();
        List<byte[]> heads = new ArrayList<>();
        for (Item i : f.store.items(accountId)) {
          if (heads.size() < count) {
            byte[] c = f.store.content(accountId, i.id());
            heads.add(java.util.Arrays.copyOf(c, Math.min(c.length, headBytes)));
          }
        }
        return Optional.of(heads);
      }
    };
  }
}
