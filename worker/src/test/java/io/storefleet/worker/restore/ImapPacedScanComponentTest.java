package io.storefleet.worker.restore;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.cluster.RemoteShares;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.imap.BackupIds;
import io.storefleet.worker.store.imap.ImapMailStore;
import io.storefleet.worker.store.imap.ImapTestClient;
import io.storefleet.worker.store.imap.ImapTraffic;
import io.storefleet.worker.testing.GatePacer;
import io.storefleet.worker.testing.MutableClock;
import io.storefleet.worker.testing.dovecot.DovecotExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A paced SmartScan of a Dovecot-backed worker reads messages from the server no faster than
 * its pacer lets them go: not one ahead of the permits, in requests no larger than the pacer
 * allows at once, and each item paced once (a message read to store it is not paced again when
 * the scan compares it, also in a deep scan); a stop ends a scan held there, and the next scan
 * reads what it did not.
 */
class ImapPacedScanComponentTest {
  @RegisterExtension static final DovecotExtension DOVECOT = new DovecotExtension();

  private static final int MESSAGES = 6;
  private static final int AT_ONCE = 2;

  @TempDir Path dir;

  @Test
  void aPacedScanReadsNoMessageAheadOfItsPermitsEndsOnOnePermitPerItemAndStopsWhileHeld() throws Exception {
    GatePacer gate = new GatePacer(AT_ONCE);
    ImapMailStore imap = ImapMailStore.open(ImapTestClient.config(DOVECOT.server()), dir.resolve("imap"),
        MutableClock.atEpoch2026());
    try (RestoreFixture f = new RestoreFixture(dir, gate, local -> imap, RemoteShares.NONE)) {
      imap.recoverFrom(new BackupIds(f.engine, f.realtime.cursor()));
      Account a = imap.createAccount("paced@example.test", null, Map.of());
      ImapTestClient client = new ImapTestClient(ImapTestClient.config(DOVECOT.server()));
      for (int i = 0; i < MESSAGES; i++) {
        client.append(a.name(), "INBOX", ("Subject: m" + i + "\r\n\r\nbody " + i + "\r\n").getBytes(UTF_8),
            Set.of(), Set.of());
      }
      client.close();
      ImapTraffic.Counts start = imap.traffic();

      String uuid = f.submit("doSmartScan");
      int released = releaseOneByOne(gate, f, uuid, given -> {
        // A FETCH of AT_ONCE messages goes once their permits are in, and not before. (The wait
        // covers the moment between the last permit taken and the FETCH's answer.)
        long expected = Math.min(MESSAGES, given - given % AT_ONCE);
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
            .until(() -> read(imap, start) >= expected);
        assertEquals(expected, read(imap, start), "messages read with " + given + " permit(s) released");
      });
      Operation op = f.queue.get(uuid).orElseThrow();
      assertEquals(OperationState.SUCCEEDED, op.state(), String.valueOf(op.error()));
      assertEquals(MESSAGES, op.stats().counter("itemsNew"));
      assertEquals(MESSAGES, read(imap, start), "each message is read once");
      assertEquals(MESSAGES, released - gate.unused(),
          "one permit per item: the compare does not pace the items read again");

      // A stop while the pass waits for permits ends the scan at once; the next scan reads what it did not.
      gate.shut();
      ImapTestClient later = new ImapTestClient(ImapTestClient.config(DOVECOT.server()));
      later.append(a.name(), "INBOX", "Subject: later\r\n\r\nlater\r\n".getBytes(UTF_8), Set.of(), Set.of());
      later.close();
      ImapTraffic.Counts beforeStop = imap.traffic();
      String held = f.submit("doSmartScan");
      await().atMost(Duration.ofSeconds(60)).until(gate::holding);
      f.queue.stop(held);
      assertEquals(OperationState.STOPPED, f.end(held).state());
      assertEquals(0, read(imap, beforeStop), "nothing read without a permit");
      gate.open();
      Operation next = f.run("doSmartScan");
      assertEquals(OperationState.SUCCEEDED, next.state(), String.valueOf(next.error()));
      assertEquals(1, next.stats().counter("itemsNew"));
      assertEquals(1, read(imap, beforeStop));

      // A deep scan's compare reads every item again: still one permit per item, the new
      // message's taken by the pass and not again by the compare.
      gate.shut();
      ImapTestClient deepClient = new ImapTestClient(ImapTestClient.config(DOVECOT.server()));
      deepClient.append(a.name(), "INBOX", "Subject: deep\r\n\r\ndeep\r\n".getBytes(UTF_8), Set.of(), Set.of());
      deepClient.close();
      String deep = f.submit("doSmartScan", "deep", "true");
      int given = releaseOneByOne(gate, f, deep, n -> {});
      Operation deepScan = f.queue.get(deep).orElseThrow();
      assertEquals(OperationState.SUCCEEDED, deepScan.state(), String.valueOf(deepScan.error()));
      assertEquals(1, deepScan.stats().counter("itemsNew"));
      assertEquals(MESSAGES + 2, given - gate.unused(), "one permit per item in a deep scan too");
    }
  }

  /**
   * Releases permits one at a time, each once the scan waits with every one released taken, until
   * the scan ends; {@code beforeEach} sees how many were released so far. Answers that count.
   */
  private static int releaseOneByOne(GatePacer gate, RestoreFixture f, String uuid,
      java.util.function.IntConsumer beforeEach) {
    int released = 0;
    while (true) {
      await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
          .until(() -> ended(f, uuid) || (gate.holding() && gate.unused() == 0));
      if (ended(f, uuid)) {
        return released;
      }
      beforeEach.accept(released);
      gate.release(1);
      released++;
    }
  }

  private static long read(ImapMailStore imap, ImapTraffic.Counts start) {
    return imap.traffic().since(start).messagesRead();
  }

  private static boolean ended(RestoreFixture f, String uuid) {
    return f.queue.get(uuid).orElseThrow().state().terminal();
  }
}
