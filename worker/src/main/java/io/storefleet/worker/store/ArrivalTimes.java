package io.storefleet.worker.store;

import io.storefleet.protocol.error.ErrorCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The arrival times given to {@link MailStore#addMessages}, checked once for every store. */
public final class ArrivalTimes {
  private ArrivalTimes() {}

  /**
   * One arrival time (or null: now) per message.
   *
   * @throws io.storefleet.protocol.error.StorefleetException BAD_VALUE when a list is given whose
   *     size is not the number of messages
   */
  public static List<Instant> perMessage(int messages, List<Instant> receivedAt, int folderId) {
    if (receivedAt == null) {
      return Collections.nCopies(messages, null);
    }
    if (receivedAt.size() != messages) {
      throw ErrorCode.BAD_VALUE.exception(receivedAt.size() + " arrival time(s) given for " + messages
          + " message(s) to add to folder " + folderId + "; give one per message, or none");
    }
    return Collections.unmodifiableList(new ArrayList<>(receivedAt));
  }
}
