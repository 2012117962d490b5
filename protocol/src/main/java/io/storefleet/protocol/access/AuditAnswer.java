package io.storefleet.protocol.access;

import java.util.List;

/**
 * The answer of {@code GET /api/v1/audit}: the matching records of every reachable worker.
 *
 * @param records oldest first, at most the query's limit (the newest ones)
 * @param unreachable servers that could not be asked; their records are missing from this answer
 */
public record AuditAnswer(List<AuditRecord> records, List<String> unreachable) {
  public AuditAnswer {
    records = records == null ? List.of() : List.copyOf(records);
    unreachable = unreachable == null ? List.of() : List.copyOf(unreachable);
  }
}
