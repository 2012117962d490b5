package io.storefleet.protocol.access;

import java.time.Instant;
import java.util.Locale;

/**
 * A filter over the audit trail; a null field matches everything.
 *
 * @param who exactly this token name
 * @param contains the command line contains this text (case-insensitive)
 * @param outcome only calls that ended so
 * @param since at or after
 * @param until before
 * @param limit at most this many records, the newest; 0 or less for the default of 1000
 */
public record AuditQuery(String who, String contains, AuditRecord.Outcome outcome, Instant since, Instant until,
    int limit) {
  /** Records returned when no limit is given. */
  public static final int DEFAULT_LIMIT = 1000;

  public boolean matches(AuditRecord r) {
    return (who == null || who.equals(r.who()))
        && (contains == null || (r.what() != null
            && r.what().toLowerCase(Locale.ROOT).contains(contains.toLowerCase(Locale.ROOT))))
        && (outcome == null || outcome == r.outcome())
        && (since == null || !r.at().isBefore(since))
        && (until == null || r.at().isBefore(until));
  }

  /** The number of records to return. */
  public int effectiveLimit() {
    return limit > 0 ? limit : DEFAULT_LIMIT;
  }
}
