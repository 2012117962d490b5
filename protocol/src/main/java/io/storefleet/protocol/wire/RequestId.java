package io.storefleet.protocol.wire;

import io.storefleet.protocol.error.ErrorCode;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A client-generated request id: what makes a retried request a repeat rather than a second
 * request. A client makes one per request (the CLI: one per invocation) and sends the same one on
 * every retry, through whichever coordinator; the worker that runs the command keeps it with its
 * answer (docs/protocol.md, "Request ids").
 */
public final class RequestId {
  /** Letters, digits and {@code . _ : -}, 1 to 100 of them: a UUID fits, and so do most clients' own ids. */
  private static final Pattern FORM = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

  private RequestId() {}

  /** A new random id. */
  public static String next() {
    return UUID.randomUUID().toString();
  }

  /** The id itself, or null when absent; MALFORMED_REQUEST for one that is not of the documented form. */
  public static String check(String id) {
    if (id == null) {
      return null;
    }
    if (!FORM.matcher(id).matches()) {
      throw ErrorCode.MALFORMED_REQUEST.exception("requestId '" + (id.length() > 120 ? id.substring(0, 120) + "..." : id)
          + "' is not a request id: use 1 to 100 letters, digits or . _ : - (a UUID), or leave requestId out");
    }
    return id;
  }
}
