package io.storefleet.worker.restore;

import io.storefleet.worker.store.Account;
import java.util.Optional;

/**
 * The attribute a restore puts on the account it creates, naming what it restores: the source
 * account, the point asked for, and the point it resolved that to. A re-run of the same restore
 * finds it and continues into the account, at the same point even when it was asked for
 * {@code last}; any other existing account is refused.
 *
 * @param sourceId the backup's id of the source account
 * @param requested the point as asked for: a date, {@code last}, or {@code deleted}
 * @param resolved what it meant on the first run: an ISO instant, or {@code seq:<n>} before a
 *     deletion recorded at journal position n
 */
record RestoreMarker(String sourceId, String requested, String resolved) {
  static final String ATTRIBUTE = "storefleetRestoredFrom";

  String value() {
    return "source=" + sourceId + ";point=" + requested + ";at=" + resolved;
  }

  /** The marker of an account, if a restore created it. */
  static Optional<RestoreMarker> of(Account a) {
    String v = a.attributes().get(ATTRIBUTE);
    if (v == null) {
      return Optional.empty();
    }
    String source = null;
    String point = null;
    String at = null;
    for (String part : v.split(";")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String k = part.substring(0, eq);
      String val = part.substring(eq + 1);
      switch (k) {
        case "source" -> source = val;
        case "point" -> point = val;
        case "at" -> at = val;
        default -> { }
      }
    }
    return source == null || point == null || at == null ? Optional.empty()
        : Optional.of(new RestoreMarker(source, point, at));
  }

  /** Whether this marks a restore of the same source to the same requested point. */
  boolean sameRestore(String otherSource, String otherRequested) {
    return sourceId.equalsIgnoreCase(otherSource) && requested.equals(otherRequested);
  }
}
