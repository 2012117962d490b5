package io.storefleet.worker.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.service.BackupProperties;
import io.storefleet.worker.service.PropertyScope;
import io.storefleet.worker.testing.MutableClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoticeSettingsTest {
  @TempDir Path dir;

  @Test
  void theRelayAndRoutingComeFromGlobalAndServerProperties() throws Exception {
    try (BackupProperties p = BackupProperties.open(dir.resolve("p.log"), dir.resolve("b"), MutableClock.atEpoch2026())) {
      NoticeSettings none = NoticeSettings.of(p);
      assertNull(none.relay(), "nothing is mailed until a relay is set");
      assertTrue(none.webhooks().isEmpty());
      assertEquals(EnumSet.of(OperationState.FAILED, OperationState.INTERRUPTED, OperationState.STOPPED), none.events());
      assertNull(none.digestTime());

      p.set("ZxBackup_NotifySmtpHost", "relay.example.net", PropertyScope.GLOBAL);
      p.set("ZxBackup_NotifySmtpPort", "587", PropertyScope.GLOBAL);
      p.set("ZxBackup_NotifySmtpPort", "2525", PropertyScope.SERVER);
      p.set("ZxBackup_NotifySmtpUser", "backup", PropertyScope.GLOBAL);
      p.set("ZxBackup_NotifySmtpPasswordFile", "/etc/storefleet/smtp.password", PropertyScope.GLOBAL);
      p.set("ZxBackup_NotifySender", "backup@example.net", PropertyScope.GLOBAL);
      p.set("ZxBackup_NotifyWebhooks", "https://hooks.example.net/a, http://127.0.0.1:9/b", PropertyScope.GLOBAL);
      p.set("ZxBackup_NotifyRecipients", "ops@example.net,dba@example.net", PropertyScope.SERVER);
      p.set("ZxBackup_NotifyEvents", "FAILED,succeeded", PropertyScope.GLOBAL);
      p.set("ZxBackup_NotifyDigestTime", "7:30", PropertyScope.GLOBAL);

      NoticeSettings s = NoticeSettings.of(p);
      assertEquals(new SmtpRelay("relay.example.net", 2525, true, "backup", Path.of("/etc/storefleet/smtp.password"),
          "backup@example.net"), s.relay());
      assertEquals(List.of(URI.create("https://hooks.example.net/a"), URI.create("http://127.0.0.1:9/b")), s.webhooks());
      assertEquals(List.of("ops@example.net", "dba@example.net"), s.recipients());
      assertEquals(EnumSet.of(OperationState.FAILED, OperationState.SUCCEEDED), s.events());
      assertEquals(LocalTime.of(7, 30), s.digestTime());
    }
  }

  @Test
  void badValuesAreRefusedNamingWhatIsAccepted() throws Exception {
    try (BackupProperties p = BackupProperties.open(dir.resolve("p.log"), dir.resolve("b"), MutableClock.atEpoch2026())) {
      for (String[] bad : new String[][] {
          {"ZxBackup_NotifySmtpPort", "0"}, {"ZxBackup_NotifySmtpPort", "70000"},
          {"ZxBackup_NotifyEvents", "failed,sometimes"}, {"ZxBackup_NotifyWebhooks", "ftp://x/y"},
          {"ZxBackup_NotifyRecipients", "ops"}, {"ZxBackup_NotifyDigestTime", "25:00"},
          {"ZxBackup_NotifyWebhookSecretFile", "relative.secret"}}) {
        StorefleetException e = assertThrows(StorefleetException.class,
            () -> p.set(bad[0], bad[1], PropertyScope.GLOBAL), bad[0] + " " + bad[1]);
        assertEquals(ErrorCode.BAD_VALUE, e.code());
        assertTrue(e.getMessage().contains(bad[0]) && e.getMessage().contains("expected"), e.getMessage());
      }
      assertNull(NoticeSettings.of(p).relay());
    }
  }

  @Test
  void aSignatureFailsForAnotherBodyAnotherSecretOrAnOldTimestamp() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    String header = WebhookSignature.sign("s3cret", now, "{\"a\":1}");
    assertTrue(WebhookSignature.verify("s3cret", header, "{\"a\":1}", now.plusSeconds(60), Duration.ofMinutes(5)));
    assertFalse(WebhookSignature.verify("s3cret", header, "{\"a\":2}", now, Duration.ofMinutes(5)));
    assertFalse(WebhookSignature.verify("other", header, "{\"a\":1}", now, Duration.ofMinutes(5)));
    assertFalse(WebhookSignature.verify("s3cret", header, "{\"a\":1}", now.plusSeconds(301), Duration.ofMinutes(5)));
    assertFalse(WebhookSignature.verify("s3cret", "t=abc,v1=zz", "{\"a\":1}", now, Duration.ofMinutes(5)));
    assertFalse(WebhookSignature.verify("s3cret", null, "{\"a\":1}", now, Duration.ofMinutes(5)));
  }

  @Test
  void backoffGrowsToItsCap() {
    Backoff b = new Backoff(Duration.ofMinutes(1), 2.0, Duration.ofMinutes(5), 6);
    assertEquals(List.of(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4), Duration.ofMinutes(5)),
        List.of(b.after(1), b.after(2), b.after(3), b.after(4)));
  }
}
