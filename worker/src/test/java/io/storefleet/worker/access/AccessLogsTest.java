package io.storefleet.worker.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storefleet.protocol.access.AuditQuery;
import io.storefleet.protocol.access.AuditRecord;
import io.storefleet.protocol.access.Role;
import io.storefleet.protocol.access.TokenRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogsTest {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

  @TempDir Path dir;

  @Test
  void aTokenLogKeepsTheRevocationAcrossAReopenAndAppendsOnlyChanges() throws Exception {
    TokenRecord ann = new TokenRecord(TokenRecord.idOf("t1"), "ann", Role.VIEWER, List.of(), T0, "admin", null, null);
    Path file = dir.resolve("tokens.log");
    try (TokenLog log = TokenLog.open(file)) {
      log.merge(ann);
      log.merge(ann);
      log.merge(ann.revoked(T0.plusSeconds(1), "admin"));
      // An active copy arriving late (a worker that missed the revocation) changes nothing.
      assertEquals(ann.revoked(T0.plusSeconds(1), "admin"), log.merge(ann));
    }
    assertEquals(2, Files.readAllLines(file).size());
    try (TokenLog log = TokenLog.open(file)) {
      assertEquals(List.of(ann.revoked(T0.plusSeconds(1), "admin")), log.all());
    }
  }

  @Test
  void theAuditLogAnswersTheNewestMatchingRecordsOldestFirst() throws Exception {
    try (AuditLog log = AuditLog.open(dir.resolve("audit.log"))) {
      for (int i = 0; i < 5; i++) {
        log.append(record(T0.plusSeconds(i), i % 2 == 0 ? "ann" : "bob", "backup getItem a@x " + i,
            i == 4 ? AuditRecord.Outcome.REFUSED : AuditRecord.Outcome.ACCEPTED));
      }
      List<AuditRecord> ann = log.query(new AuditQuery("ann", null, null, null, null, 2));
      assertEquals(List.of("backup getItem a@x 2", "backup getItem a@x 4"), ann.stream().map(AuditRecord::what).toList());
      assertEquals(1, log.query(new AuditQuery(null, "GETITEM", AuditRecord.Outcome.REFUSED, null, null, 0)).size());
      assertEquals(2, log.query(new AuditQuery(null, null, null, T0.plusSeconds(1), T0.plusSeconds(3), 0)).size());
    }
    try (AuditLog reopened = AuditLog.open(dir.resolve("audit.log"))) {
      assertEquals(5, reopened.query(new AuditQuery(null, null, null, null, null, 0)).size());
    }
  }

  private static AuditRecord record(Instant at, String who, String what, AuditRecord.Outcome outcome) {
    return new AuditRecord(at, who, Role.ADMIN, what, "127.0.0.1:8080", "127.0.0.1", outcome, null, null, "mbox1");
  }
}
