package io.storefleet.worker.store;

import io.storefleet.protocol.error.ErrorCode;
import java.util.function.Consumer;

/**
 * The argument checks of {@link MailStore#journal} and {@link MailStore#addListener}, the same for
 * every store kind.
 */
public final class JournalRequests {
  private JournalRequests() {}

  /** {@code limit}, if it is not negative. */
  public static int limit(int limit) {
    if (limit < 0) {
      throw ErrorCode.BAD_VALUE.exception("journal limit " + limit + " is negative; give 0 or more");
    }
    return limit;
  }

  /** {@code listener}, if there is one. */
  public static Consumer<JournalEntry> listener(Consumer<JournalEntry> listener) {
    if (listener == null) {
      throw ErrorCode.BAD_VALUE.exception("a journal listener is required");
    }
    return listener;
  }
}
