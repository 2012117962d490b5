package io.storefleet.worker.notify;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.operation.DeliveryState;
import io.storefleet.protocol.operation.Notification;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.operation.OperationText;
import io.storefleet.worker.queue.OperationLog;
import io.storefleet.worker.queue.OperationQueue;
import io.storefleet.worker.queue.Pacer;
import io.storefleet.worker.queue.TaskFactory;
import io.storefleet.worker.testing.MutableClock;
import io.storefleet.worker.testing.SmtpSink;
import io.storefleet.worker.testing.WebhookReceiver;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notices delivered to a real SMTP server (aiosmtpd) and a local webhook receiver that checks
 * signatures, by a real queue and its operation log; time is the test's clock and every round of
 * delivery is run by hand ({@link NoticeDelivery#runDue()}), so no test waits for a retry.
 */
class NoticeDeliveryTest {
  static final String SECRET = "a shared secret for the test";
  static final Set<OperationState> DEFAULT_EVENTS =
      EnumSet.of(OperationState.FAILED, OperationState.INTERRUPTED, OperationState.STOPPED);

  @TempDir Path dir;
  final MutableClock clock = MutableClock.atEpoch2026();
  final Backoff backoff = new Backoff(Duration.ofMinutes(1), 2.0, Duration.ofMinutes(10), 3);
  final List<String> observed = new ArrayList<>();
  final List<AutoCloseable> closing = new ArrayList<>();
  volatile NoticeSettings settings = new NoticeSettings(null, List.of(), null, List.of(), DEFAULT_EVENTS, null);
  OperationQueue queue;
  NoticeDelivery delivery;
  Path secretFile;

  final TaskFactory tasks = op -> ctx -> {
    if (op.command().equals("fail")) {
      throw ErrorCode.IO_ERROR.exception("disk gone");
    }
    return new OperationStats(Map.of("items", 3L), List.of(), "ok");
  };

  @BeforeEach
  void secret() throws Exception {
    secretFile = dir.resolve("webhook.secret");
    Files.writeString(secretFile, SECRET + "\n");
    Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
    SmtpSink.requireAiosmtpd();
    open();
  }

  void open() throws Exception {
    delivery = new NoticeDelivery("mbox1", clock, () -> settings, backoff, new MailSender(), new WebhookSender(clock),
        (channel, result) -> observed.add(channel + " " + result));
    queue = new OperationQueue("mbox1", OperationLog.open(dir.resolve("ops.log")), clock, tasks, Pacer.NONE, op -> {},
        new RoutedNotices(() -> settings, delivery::wake));
    delivery.attach(queue, DigestPeers.local(delivery.book(queue), clock));
    queue.start();
  }

  void restart() throws Exception {
    delivery.close();
    queue.close();
    open();
  }

  @AfterEach
  void close() throws Exception {
    delivery.close();
    queue.close();
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  SmtpSink sink(int port) throws Exception {
    SmtpSink s = SmtpSink.start(dir, port);
    closing.add(s);
    return s;
  }

  WebhookReceiver receiver() throws Exception {
    WebhookReceiver r = WebhookReceiver.start(SECRET, clock);
    closing.add(r);
    return r;
  }

  static SmtpRelay relay(int port) {
    return new SmtpRelay("127.0.0.1", port, false, null, null, "storefleet@example.test");
  }

  String run(String command, String notifications) {
    Map<String, String> params = notifications == null ? Map.of() : Map.of("notifications", notifications);
    String uuid = queue.submit(command, params, "ann", null).uuid();
    await().until(() -> queue.get(uuid).orElseThrow().state().terminal());
    return uuid;
  }

  Operation op(String uuid) {
    return queue.get(uuid).orElseThrow();
  }

  Notification notice(String uuid) {
    List<Notification> ns = op(uuid).notifications();
    assertEquals(1, ns.size(), ns.toString());
    return ns.get(0);
  }

  @Test
  void aFailedOperationReachesItsPeopleByMailAndASignedWebhook() throws Exception {
    SmtpSink sink = sink(SmtpSink.freePort());
    WebhookReceiver hooks = receiver();
    settings = new NoticeSettings(relay(sink.port()), List.of(hooks.url()), secretFile, List.of("ops@example.test"),
        DEFAULT_EVENTS, null);
    String uuid = run("fail", "owner@example.test");
    assertEquals(DeliveryState.PENDING, notice(uuid).state());

    delivery.runDue();

    Notification n = notice(uuid);
    assertEquals(DeliveryState.SENT, n.state(), n.delivery());
    assertEquals(List.of("owner@example.test", "ops@example.test"), n.to());
    assertTrue(n.delivery().contains("sent mail owner@example.test,ops@example.test"), n.delivery());
    assertTrue(n.delivery().contains("sent webhook " + Target.shown(hooks.url()) + " #"), n.delivery());
    // a webhook URL often holds its secret: what viewers see names its host only
    assertFalse(n.delivery().contains(hooks.url().getPath()), n.delivery());
    assertFalse(n.pending().stream().anyMatch(t -> t.contains(hooks.url().toString())), n.pending().toString());
    List<MimeMessage> mail = sink.messages();
    assertEquals(1, mail.size());
    MimeMessage m = mail.get(0);
    assertEquals("fail FAILED on mbox1 (Operation Ended)", m.getSubject());
    assertEquals("storefleet@example.test", m.getFrom()[0].toString());
    String rcpt = m.getHeader("X-RcptTo")[0];
    assertTrue(rcpt.contains("owner@example.test") && rcpt.contains("ops@example.test"), rcpt);
    assertEquals(uuid + "#0", m.getHeader("X-Storefleet-Notice")[0]);
    String body = m.getContent().toString();
    assertTrue(body.contains(uuid) && body.contains("IO_ERROR") && body.contains("disk gone"), body);
    assertTrue(body.contains("requester") && body.contains("ann"), body);

    assertEquals(1, hooks.accepted().size());
    assertTrue(hooks.rejected().isEmpty());
    JsonNode json = Json.MAPPER.readTree(hooks.accepted().get(0));
    assertEquals(uuid, json.get("operation").asText());
    assertEquals("FAILED", json.get("state").asText());
    assertEquals(uuid + "#0", json.get("id").asText());
    assertEquals("fail FAILED on mbox1 (Operation Ended)", json.get("subject").asText());

    delivery.runDue();
    assertEquals(1, sink.messages().size(), "a sent notice is not sent again");
    assertTrue(OperationText.detail(op(uuid)).contains("[sent: "), OperationText.detail(op(uuid)));
    assertTrue(observed.containsAll(List.of("mail SENT", "webhook SENT")), observed.toString());
  }

  @Test
  void successesAreNotifiedOnlyOnRequest() throws Exception {
    SmtpSink sink = sink(SmtpSink.freePort());
    settings = new NoticeSettings(relay(sink.port()), List.of(), null, List.of("ops@example.test"), DEFAULT_EVENTS,
        null);
    String quiet = run("scan", null);
    assertTrue(op(quiet).notifications().isEmpty(), "a success is not routed by default");
    String asked = run("scan", "owner@example.test");
    assertEquals(List.of("owner@example.test"), notice(asked).to());

    settings = new NoticeSettings(relay(sink.port()), List.of(), null, List.of("ops@example.test"),
        EnumSet.of(OperationState.SUCCEEDED), null);
    String routed = run("scan", null);
    assertEquals(List.of("ops@example.test"), notice(routed).to());
    delivery.runDue();
    assertEquals(DeliveryState.SENT, notice(asked).state());
    assertEquals(DeliveryState.SENT, notice(routed).state());
    assertEquals(2, sink.messages().size());
  }

  @Test
  void aRelayThatIsDownIsRetriedWithBackoffThenFailedWithTheReason() throws Exception {
    settings = new NoticeSettings(relay(SmtpSink.freePort()), List.of(), null, List.of(), DEFAULT_EVENTS, null);
    String uuid = run("fail", "owner@example.test");
    Instant t0 = clock.instant();

    delivery.runDue();
    Notification n = notice(uuid);
    assertEquals(DeliveryState.RETRYING, n.state(), n.delivery());
    assertEquals(1, n.attempts());
    assertEquals(t0.plus(Duration.ofMinutes(1)), n.nextAttemptAt());
    assertTrue(n.delivery().contains("Connection refused"), n.delivery());

    delivery.runDue();
    assertEquals(1, notice(uuid).attempts(), "not tried again before its time");

    clock.advance(Duration.ofMinutes(1));
    delivery.runDue();
    assertEquals(2, notice(uuid).attempts());
    assertEquals(clock.instant().plus(Duration.ofMinutes(2)), notice(uuid).nextAttemptAt());

    clock.advance(Duration.ofMinutes(2));
    delivery.runDue();
    n = notice(uuid);
    assertEquals(DeliveryState.FAILED, n.state(), n.delivery());
    assertTrue(n.delivery().contains("gave up after 3 attempts") && n.delivery().contains("Connection refused"),
        n.delivery());
    assertNull(n.nextAttemptAt());
    assertEquals(List.of("mail RETRYING", "mail RETRYING", "mail RETRYING", "mail FAILED"), observed);
  }

  @Test
  void aRelayWithoutStartTlsIsAPermanentFailureWhenStartTlsIsRequired() throws Exception {
    SmtpSink sink = sink(SmtpSink.freePort());
    settings = new NoticeSettings(new SmtpRelay("127.0.0.1", sink.port(), true, null, null, "storefleet@example.test"),
        List.of(), null, List.of(), DEFAULT_EVENTS, null);
    String uuid = run("fail", "owner@example.test");
    delivery.runDue();
    Notification n = notice(uuid);
    assertEquals(DeliveryState.FAILED, n.state(), n.delivery());
    assertEquals(1, n.attempts());
    assertTrue(n.delivery().contains("STARTTLS"), n.delivery());
    assertTrue(sink.messages().isEmpty());
  }

  @Test
  void aNoticeStillRetryingSurvivesARestartAndIsSentWhenTheRelayIsBack() throws Exception {
    int port = SmtpSink.freePort();
    settings = new NoticeSettings(relay(port), List.of(), null, List.of(), DEFAULT_EVENTS, null);
    String uuid = run("fail", "owner@example.test");
    delivery.runDue();
    assertEquals(DeliveryState.RETRYING, notice(uuid).state());

    restart();
    Notification n = notice(uuid);
    assertEquals(DeliveryState.RETRYING, n.state(), "the delivery state is in the operation log");
    assertEquals(1, n.attempts());

    SmtpSink sink = sink(port);
    clock.advance(Duration.ofMinutes(1));
    delivery.runDue();
    n = notice(uuid);
    assertEquals(DeliveryState.SENT, n.state(), n.delivery());
    assertEquals(2, n.attempts());
    assertEquals(1, sink.messages().size());
  }

  @Test
  void theDailyDigestGathersTheDaysEndsIntoOneMailPerRecipient() throws Exception {
    SmtpSink sink = sink(SmtpSink.freePort());
    settings = new NoticeSettings(relay(sink.port()), List.of(), null, List.of("a@example.test", "b@example.test"),
        DEFAULT_EVENTS, LocalTime.of(7, 0));
    List<String> scans = List.of(run("scan", null), run("scan", null), run("scan", null));
    String failed = run("fail", null);
    delivery.runDue();
    assertEquals(DeliveryState.SENT, notice(failed).state(), "a failure is not held for the digest");
    assertEquals(1, sink.messages().size());
    for (String s : scans) {
      assertEquals(DeliveryState.DIGEST, notice(s).state(), notice(s).delivery());
    }

    clock.set(Instant.parse("2026-01-01T06:59:00Z"));
    delivery.runDue();
    assertEquals(1, sink.messages().size(), "nothing before the digest time");

    clock.set(Instant.parse("2026-01-01T07:00:00Z"));
    delivery.runDue();
    List<MimeMessage> mail = sink.messages();
    assertEquals(3, mail.size(), "one digest per recipient");
    List<String> rcpts = new ArrayList<>();
    for (MimeMessage digest : mail.subList(1, 3)) {
      rcpts.add(digest.getHeader("X-RcptTo")[0]);
      assertTrue(digest.getSubject().contains("3 operations on 1 server (3 SUCCEEDED)"), digest.getSubject());
      String body = digest.getContent().toString();
      scans.forEach(s -> assertTrue(body.contains(s), body));
    }
    rcpts.sort(null);
    assertEquals(List.of("a@example.test", "b@example.test"), rcpts);
    for (String s : scans) {
      assertEquals(DeliveryState.SENT, notice(s).state(), notice(s).delivery());
    }
    delivery.runDue();
    assertEquals(3, sink.messages().size(), "a digest is sent once");
  }

  @Test
  void oneDigestPerRecipientCoversEveryServerOfTheCluster() throws Exception {
    SmtpSink sink = sink(SmtpSink.freePort());
    settings = new NoticeSettings(relay(sink.port()), List.of(), null, List.of("ops@example.test"), DEFAULT_EVENTS,
        LocalTime.of(7, 0));
    // mbox2: a second server with its own queue, log and delivery; the peers reach both books.
    NoticeDelivery delivery2 = new NoticeDelivery("mbox2", clock, () -> settings, backoff, new MailSender(),
        new WebhookSender(clock), DeliveryObserver.NONE);
    OperationQueue queue2 = new OperationQueue("mbox2", OperationLog.open(dir.resolve("ops2.log")), clock, tasks,
        Pacer.NONE, op -> {}, new RoutedNotices(() -> settings, delivery2::wake));
    closing.add(queue2);
    closing.add(delivery2);
    Map<String, DigestBook> books = new java.util.HashMap<>();
    DigestPeers peers = new DigestPeers() {
      @Override
      public List<String> servers() {
        return List.of("mbox1", "mbox2");
      }

      @Override
      public boolean sendsDigests(String server) {
        return settings.digestTime() != null;
      }

      @Override
      public List<DigestItem> waiting(String server, Instant cutoff) {
        return books.get(server).waiting(cutoff, clock.instant());
      }

      @Override
      public void report(String server, List<DigestOutcome> outcomes) {
        books.get(server).apply(outcomes, clock.instant());
      }
    };
    delivery.close();
    queue.close();
    delivery = new NoticeDelivery("mbox1", clock, () -> settings, backoff, new MailSender(), new WebhookSender(clock),
        DeliveryObserver.NONE);
    queue = new OperationQueue("mbox1", OperationLog.open(dir.resolve("ops.log")), clock, tasks, Pacer.NONE, op -> {},
        new RoutedNotices(() -> settings, delivery::wake));
    books.put("mbox1", delivery.book(queue));
    books.put("mbox2", delivery2.book(queue2));
    delivery.attach(queue, peers);
    delivery2.attach(queue2, peers);
    queue.start();
    queue2.start();

    String one = run("scan", null);
    String uuid2 = queue2.submit("scan", Map.of(), "ann", null).uuid();
    await().until(() -> queue2.get(uuid2).orElseThrow().state().terminal());
    delivery.runDue();
    delivery2.runDue();
    assertTrue(sink.messages().isEmpty());

    clock.set(Instant.parse("2026-01-01T07:00:00Z"));
    delivery2.runDue();
    assertTrue(sink.messages().isEmpty(), "mbox2 leaves the digest to mbox1, the first server");
    delivery.runDue();
    List<MimeMessage> mail = sink.messages();
    assertEquals(1, mail.size(), "one digest for the cluster");
    assertTrue(mail.get(0).getSubject().contains("2 operations on 2 servers"), mail.get(0).getSubject());
    String body = mail.get(0).getContent().toString();
    assertTrue(body.contains(one) && body.contains(uuid2), body);
    assertEquals(DeliveryState.SENT, notice(one).state());
    assertEquals(DeliveryState.SENT, queue2.get(uuid2).orElseThrow().notifications().get(0).state());
  }

  @Test
  void aWebhookAnswering503IsRetriedAndAForgedOrStaleRequestIsRefused() throws Exception {
    WebhookReceiver hooks = receiver();
    hooks.answer(503);
    settings = new NoticeSettings(null, List.of(hooks.url()), secretFile, List.of(), DEFAULT_EVENTS, null);
    String uuid = run("fail", null);
    delivery.runDue();
    Notification n = notice(uuid);
    assertEquals(DeliveryState.RETRYING, n.state(), n.delivery());
    assertTrue(n.delivery().contains("HTTP 503"), n.delivery());
    hooks.answer(204);
    clock.advance(Duration.ofMinutes(1));
    delivery.runDue();
    assertEquals(DeliveryState.SENT, notice(uuid).state(), notice(uuid).delivery());
    assertEquals(1, hooks.accepted().size());

    Path other = dir.resolve("other.secret");
    Files.writeString(other, "not the secret\n");
    Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-------"));
    DeliveryFailure forged = org.junit.jupiter.api.Assertions.assertThrows(DeliveryFailure.class,
        () -> new WebhookSender(clock).post(hooks.url(), other, "{\"forged\":true}"));
    assertTrue(forged.getMessage().contains("HTTP 401") && !forged.temporary(), forged.getMessage());
    MutableClock past = new MutableClock(clock.instant().minus(Duration.ofMinutes(6)));
    DeliveryFailure stale = org.junit.jupiter.api.Assertions.assertThrows(DeliveryFailure.class,
        () -> new WebhookSender(past).post(hooks.url(), secretFile, "{\"replayed\":true}"));
    assertTrue(stale.getMessage().contains("HTTP 401"), stale.getMessage());
    assertEquals(2, hooks.rejected().size());
    assertEquals(1, hooks.accepted().size());
  }

  @Test
  void withoutRelayOrWebhookTheNoticeSaysItWasNotMailed() {
    String uuid = run("fail", "owner@example.test");
    Notification n = notice(uuid);
    assertEquals(DeliveryState.RECORDED, n.state());
    assertTrue(n.delivery().contains("not mailed"), n.delivery());
    delivery.runDue();
    assertEquals(DeliveryState.RECORDED, notice(uuid).state());
  }

  @Test
  void aWebhookWithoutSecretIsRefusedRatherThanSentUnsigned() throws Exception {
    WebhookReceiver hooks = receiver();
    settings = new NoticeSettings(null, List.of(URI.create(hooks.url().toString())), null, List.of(), DEFAULT_EVENTS,
        null);
    String uuid = run("fail", null);
    delivery.runDue();
    Notification n = notice(uuid);
    assertEquals(DeliveryState.FAILED, n.state());
    assertTrue(n.delivery().contains("ZxBackup_NotifyWebhookSecretFile"), n.delivery());
    assertTrue(hooks.accepted().isEmpty() && hooks.rejected().isEmpty());
  }
}
