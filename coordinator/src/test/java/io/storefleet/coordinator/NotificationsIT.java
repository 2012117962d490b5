package io.storefleet.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.protocol.operation.DeliveryState;
import io.storefleet.protocol.operation.Notification;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.testing.SmtpSink;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notices on a real cluster, set up through the API with global properties and mailed to a real
 * SMTP server: an operation's own recipients get its notice at once, and the two servers' routine
 * ends (that one included) reach the routed recipient in one digest, sent by the first server when the workers' clock
 * passes the digest time (the test moves that clock on; nothing sleeps).
 */
@Tag("cluster")
class NotificationsIT {
  @TempDir static Path root;
  static final MovableClock clock = new MovableClock();
  static SmtpSink sink;
  static TestCluster cluster;
  static Api api;

  /** The system clock plus an offset the test moves forward. */
  static final class MovableClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    void forward(Duration d) {
      offset = offset.plus(d);
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    sink = SmtpSink.start(root);
    cluster = TestCluster.start(root, 2, 1, clock);
    api = cluster.api();
    // Under load the coordinator may not route to a just-started worker yet; the global sets below
    // must reach both servers.
    for (String server : List.of("mbox1", "mbox2")) {
      await().until(() -> api.backup(server, "getProperty", "property", "ZxBackup_NotifySmtpHost").status() == 200);
    }
    String digestAt = LocalTime.ofInstant(clock.instant().plus(Duration.ofHours(2)), ZoneOffset.UTC)
        .format(DateTimeFormatter.ofPattern("HH:mm"));
    for (String[] p : new String[][] {
        {"ZxBackup_ScanScheduling", "false"},
        {"ZxBackup_NotifySmtpHost", "127.0.0.1"}, {"ZxBackup_NotifySmtpPort", Integer.toString(sink.port())},
        {"ZxBackup_NotifySmtpStartTls", "false"}, {"ZxBackup_NotifySender", "storefleet@example.test"},
        {"ZxBackup_NotifyRecipients", "ops@example.test"}, {"ZxBackup_NotifyDigestTime", digestAt}}) {
      api.backup(null, "setProperty", p[0], p[1], "scope", "global").result();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (sink != null) {
      sink.close();
    }
  }

  @Test
  void ownRecipientsAtOnceAndOneClusterDigestForTheRoutineEnds() throws Exception {
    String asked = api.backup("mbox2", "doSmartScan", "notifications", "owner@example.test").result().reply()
        .operation().uuid();
    String scan1 = api.backup("mbox1", "doSmartScan").result().reply().operation().uuid();
    String scan2 = api.backup("mbox2", "doSmartScan").result().reply().operation().uuid();
    await().until(() -> List.of(asked, scan1, scan2).stream()
        .allMatch(u -> api.operation(u).state() == OperationState.SUCCEEDED));

    await().until(() -> notice(asked).outcomes().contains("sent mail owner@example.test"));
    Notification own = notice(asked);
    assertEquals(List.of("owner@example.test", "ops@example.test"), own.to());
    assertEquals(DeliveryState.DIGEST, own.state(), "ops@ gets this success in the digest: " + own.delivery());
    List<MimeMessage> mail = sink.messages();
    assertEquals(1, mail.size());
    assertEquals("doSmartScan SUCCEEDED on mbox2 (Operation Ended)", mail.get(0).getSubject());
    assertTrue(mail.get(0).getContent().toString().contains(asked));
    assertEquals(DeliveryState.DIGEST, notice(scan1).state(), notice(scan1).delivery());
    assertEquals(DeliveryState.DIGEST, notice(scan2).state(), notice(scan2).delivery());

    clock.forward(Duration.ofHours(2).plusMinutes(1));
    await().until(() -> sink.messages().size() >= 2);
    await().until(() -> List.of(asked, scan1, scan2).stream().allMatch(u -> notice(u).state() == DeliveryState.SENT));
    mail = sink.messages();
    assertEquals(2, mail.size(), "one digest for both servers");
    MimeMessage digest = mail.get(1);
    assertTrue(digest.getHeader("X-RcptTo")[0].contains("ops@example.test"));
    assertTrue(digest.getSubject().contains("3 operations on 2 servers"), digest.getSubject());
    String body = digest.getContent().toString();
    assertTrue(body.contains(asked) && body.contains(scan1) && body.contains(scan2), body);
  }

  private static Notification notice(String uuid) {
    List<Notification> ns = api.operation(uuid).notifications();
    assertEquals(1, ns.size(), ns.toString());
    return ns.get(0);
  }
}
