package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.ProtocolException;

/**
 * What a NO to an APPEND means, by its response code (RFC 5530, and TOOBIG of RFC 7889). A refusal
 * of the message itself (CANNOT, PARSE, TOOBIG, CLIENTBUG) is a definite BAD_VALUE: a restore then
 * finds the refused message and reports it unrestored. A mailbox that is gone (TRYCREATE,
 * NONEXISTENT) is NOT_FOUND. Every other code (OVERQUOTA, LIMIT, UNAVAILABLE, SERVERBUG, INUSE,
 * NOPERM, ... and codes this table does not know) says nothing against the message: it is an
 * indefinite IO_ERROR naming the server and its reason, which fails the operation so that it can
 * be run again once the server is fixed, instead of reporting good mail as rejected.
 *
 * <p>A NO without a code is ambiguous: RFC 3501 lets it mean the mailbox as well as the message, and
 * Dovecot sends one both for a message it never takes (a zero-byte one) and for a transient
 * condition (an operation interrupted). The same APPEND is therefore sent once more (a
 * MULTIAPPEND appended nothing when refused); only a second codeless NO makes it a refusal of
 * the message.
 */
final class AppendRefusal {
  private static final Pattern CODE = Pattern.compile("\\bNO\\s+\\[([A-Za-z][A-Za-z0-9-]*)");
  private static final Set<String> MESSAGE_REFUSED = Set.of("CANNOT", "PARSE", "TOOBIG", "CLIENTBUG");
  private static final Set<String> MAILBOX_GONE = Set.of("TRYCREATE", "NONEXISTENT");

  /** One APPEND command (all or none) of a batch; the UIDs the server gave. */
  @FunctionalInterface
  interface Attempt {
    long[] append() throws ProtocolException;
  }

  private AppendRefusal() {}

  /**
   * Runs the APPEND, once more after a NO without a response code; a NO is then mapped as above.
   *
   * @param what the message(s) and where, e.g. "one of 3 messages for INBOX of ann@example.com"
   * @param server the IMAP server, named in the error
   * @throws ProtocolException what else the APPEND failed with (a lost connection, a BAD)
   */
  static long[] appended(Attempt attempt, String what, String server) throws ProtocolException {
    try {
      return attempt.append();
    } catch (CommandFailedException first) {
      if (code(first) != null) {
        throw of(first, what, server);
      }
    }
    try {
      return attempt.append();
    } catch (CommandFailedException second) {
      throw of(second, what, server);
    }
  }

  private static StorefleetException of(ProtocolException refused, String what, String server) {
    String line = line(refused);
    String code = code(refused);
    if (code == null) {
      return ErrorCode.BAD_VALUE.exception("IMAP server " + server + " refused " + what + ": " + line
          + " (twice, with no response code: taken as a refusal of the message)");
    }
    if (MESSAGE_REFUSED.contains(code)) {
      return ErrorCode.BAD_VALUE.exception("IMAP server " + server + " refused " + what + ": " + line);
    }
    if (MAILBOX_GONE.contains(code)) {
      return ErrorCode.NOT_FOUND.exception("IMAP server " + server + " has no mailbox for " + what
          + " (deleted by another client?): " + line);
    }
    return ErrorCode.IO_ERROR.exception("IMAP server " + server + " did not take " + what + " (" + code + "): "
        + line + "; nothing was appended: fix the cause on the server" + hint(code) + " and run it again");
  }

  private static String line(ProtocolException refused) {
    return refused.getResponse() != null ? refused.getResponse().toString() : String.valueOf(refused.getMessage());
  }

  /** The NO's response code in upper case, or null if it has none. */
  private static String code(ProtocolException refused) {
    Matcher m = CODE.matcher(line(refused));
    return m.find() ? m.group(1).toUpperCase(Locale.ROOT) : null;
  }

  private static String hint(String code) {
    return switch (code) {
      case "OVERQUOTA" -> " (raise the account's quota)";
      case "LIMIT" -> " (a server limit such as the number of messages or mailbox size)";
      case "UNAVAILABLE", "INUSE" -> " (it is busy or down for a while)";
      case "NOPERM" -> " (the master user lacks a right on the mailbox: check acl_user)";
      default -> "";
    };
  }
}
