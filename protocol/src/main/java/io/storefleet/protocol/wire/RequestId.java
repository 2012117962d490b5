package io.storefleet.protocol.wire;

import io.storefleet.protocol.error.ErrorCode;
import java.nio.charset.StandardCharsets;
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

  /**
   * The id of one step that a request made of several sends under its own id (the parts of a
   * planned import): the same for every repeat of {@code requestId}, different per {@code step};
   * null without a request id.
   */
  public static String derived(String requestId, String step) {
    return requestId == null ? null
        : UUID.nameUUIDFromBytes((requestId + "\n" + step).getBytes(StandardCharsets.UTF_8)).toString();
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
