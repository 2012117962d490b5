package io.storefleet.protocol.access;

import java.util.Locale;

/**
 * What a token may do. Each role includes everything of the roles before it, so a command names
 * the least role that may run it (in its catalogue entry) and any greater role may run it too.
 */
public enum Role {
  /** Read-only: the queue, servers, the directory, backup and server facts; never mail content. */
  VIEWER,
  /**
   * Account-level help: item views and searches, account restores, the content of one account.
   * A helpdesk token may be limited to listed domains: it then names only accounts of those.
   */
  HELPDESK,
  /** Day-to-day running: scans, purges, restores of any kind, exports, imports, the queue. */
  OPERATOR,
  /** Everything: store administration, services, properties, token management, the audit trail. */
  ADMIN;

  /** Whether a token of this role may do what {@code needed} may. */
  public boolean includes(Role needed) {
    return compareTo(needed) >= 0;
  }

  /** The lower-case word used on the command line and in JSON. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role for a word, case-insensitive, or null. */
  public static Role fromWord(String word) {
    for (Role r : values()) {
      if (r.name().equalsIgnoreCase(word)) {
        return r;
      }
    }
    return null;
  }
}
