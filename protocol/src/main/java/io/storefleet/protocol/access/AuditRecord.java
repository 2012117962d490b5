package io.storefleet.protocol.access;

import java.time.Instant;

/**
 * One API call as the audit trail keeps it, accepted or refused.
 *
 * @param at when the coordinator received the call
 * @param who the token's name, or {@code -} when no valid token was given
 * @param role the token's role, or null without a valid token
 * @param what the command line as given ({@code backup getItem bob@x 12 dump_blob true --host mbox1}),
 *     or the HTTP method and path for the other routes
 * @param coordinator the coordinator that served the call ({@code host:port})
 * @param client the client's address
 * @param outcome how it ended
 * @param error the error code of a refused or failed call, or null
 * @param operations the operation uuids the call queued or named, comma-separated, or null
 * @param server the worker that keeps this record
 */
public record AuditRecord(
    Instant at,
    String who,
    Role role,
    String what,
    String coordinator,
    String client,
    Outcome outcome,
    String error,
    String operations,
    String server) {

  /** How a call ended. */
  public enum Outcome {
    /** Answered with success. */
    ACCEPTED,
    /** Refused before it did anything: no or a revoked token ({@code UNAUTHORIZED}) or a missing role ({@code NOT_ALLOWED}). */
    REFUSED,
    /** Let through, then failed with the recorded error. */
    FAILED
  }

  /** This record as kept by {@code keeper}. */
  public AuditRecord keptBy(String keeper) {
    return new AuditRecord(at, who, role, what, coordinator, client, outcome, error, operations, keeper);
  }
}
