package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import java.util.Locale;

/**
 * The two-way mapping between storefleet's (Zimbra's) share rights and IMAP ACL rights (RFC
 * 4314), the one place it is written down (docs/mailstores.md, "Shares", shows the table):
 *
 * <pre>
 *   storefleet  IMAP      what
 *   r           l r s     see the folder, read, keep \Seen
 *   w           w         change flags and keywords
 *   i           i         insert (append, copy into)
 *   d           t e       delete messages, expunge
 *   x           x         delete the folder
 *   a           a         administer (change the ACL)
 *   c           k         create subfolders
 *   p f         -         private, free/busy: no IMAP right; kept beside the ACL (GrantRecords)
 * </pre>
 *
 * Dovecot also reports RFC 2086's obsolete {@code c} (with {@code k} or {@code x}) and {@code d}
 * (with {@code t} or {@code e}); they follow the rights above and are never kept on their own. The
 * one IMAP right outside this table, {@code p} (post), is never set or cleared by storefleet: a
 * grant keeps it on the entry.
 */
final class AclRights {
  /** Every storefleet letter, in the order rights are written. */
  static final String LETTERS = "rwidxacpf";
  /** The IMAP letters storefleet rights set or clear. */
  static final String IMAGE = "lrswitexakcd";
  private static final String[][] TABLE = {
    {"r", "lrs"}, {"w", "w"}, {"i", "i"}, {"d", "te"}, {"x", "x"}, {"a", "a"}, {"c", "k"}, {"p", ""}, {"f", ""}};

  private AclRights() {}

  /** The rights in canonical order; BAD_VALUE for an unknown letter or no right IMAP can hold. */
  static String normalize(String rights) {
    String given = rights == null ? "" : rights.trim().toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder();
    for (char c : LETTERS.toCharArray()) {
      if (given.indexOf(c) >= 0) {
        out.append(c);
      }
    }
    if (given.isEmpty() || given.chars().anyMatch(c -> LETTERS.indexOf(c) < 0)) {
      throw ErrorCode.BAD_VALUE.exception("rights '" + rights + "' are invalid; use letters of " + LETTERS
          + ", e.g. r, rw or rwidx (revoke the grant to remove all rights)");
    }
    if (toImap(out.toString()).isEmpty()) {
      throw ErrorCode.BAD_VALUE.exception("rights '" + rights + "' give no IMAP right; a grant on store.kind=imap"
          + " needs at least one of r, w, i, d, x, a, c");
    }
    return out.toString();
  }

  /** The IMAP rights of storefleet rights. */
  static String toImap(String rights) {
    StringBuilder out = new StringBuilder();
    for (String[] row : TABLE) {
      if (rights.contains(row[0])) {
        out.append(row[1]);
      }
    }
    return out.toString();
  }

  /** The storefleet rights IMAP has no right for, kept beside the ACL. */
  static String beside(String rights) {
    StringBuilder out = new StringBuilder();
    for (String[] row : TABLE) {
      if (row[1].isEmpty() && rights.contains(row[0])) {
        out.append(row[0]);
      }
    }
    return out.toString();
  }

  /**
   * The storefleet rights an IMAP entry gives, with those kept beside it: {@code r} needs IMAP
   * {@code r}; {@code d} is either of {@code t} and {@code e}.
   */
  static String fromImap(String imap, String beside) {
    StringBuilder out = new StringBuilder();
    for (String[] row : TABLE) {
      boolean has = switch (row[0]) {
        case "r" -> imap.indexOf('r') >= 0;
        case "d" -> imap.indexOf('t') >= 0 || imap.indexOf('e') >= 0;
        case "p", "f" -> beside != null && beside.contains(row[0]);
        default -> imap.contains(row[1]);
      };
      if (has) {
        out.append(row[0]);
      }
    }
    return out.toString();
  }

  /** An entry's new IMAP rights: those of {@code rights}, plus what {@code old} has outside the image. */
  static String merge(String old, String rights) {
    StringBuilder out = new StringBuilder(toImap(rights));
    for (char c : old.toCharArray()) {
      if (IMAGE.indexOf(c) < 0 && out.indexOf(String.valueOf(c)) < 0) {
        out.append(c);
      }
    }
    return out.toString();
  }
}
