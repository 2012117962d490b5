package io.storefleet.worker.store;

import io.storefleet.protocol.error.ErrorCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One message to add with {@link MailStore#addMessages(String, int, List)}: its raw bytes, its
 * flags and tags, and when it arrived (null: now).
 */
public record NewMessage(byte[] raw, Set<String> flags, Set<String> tags, Instant receivedAt) {
  public NewMessage {
    flags = flags == null ? Set.of() : Set.copyOf(flags);
    tags = tags == null ? Set.of() : Set.copyOf(tags);
  }

  /**
   * Messages sharing flags and tags, with one arrival time each (or none: all arrive now).
   *
   * @throws io.storefleet.protocol.error.StorefleetException BAD_VALUE when a message has no
   *     content, or arrival times are given but not one per message
   */
  public static List<NewMessage> alike(List<byte[]> raws, Set<String> flags, Set<String> tags,
      List<Instant> receivedAt, int folderId) {
    if (raws == null) {
      throw ErrorCode.BAD_VALUE.exception("no message list given to add to folder " + folderId);
    }
    List<Instant> arrivals = ArrivalTimes.perMessage(raws.size(), receivedAt, folderId);
    List<NewMessage> out = new ArrayList<>(raws.size());
    for (int k = 0; k < raws.size(); k++) {
      out.add(new NewMessage(raws.get(k), flags, tags, arrivals.get(k)));
    }
    return out;
  }

  /**
   * Checks a list given to a store.
   *
   * @throws io.storefleet.protocol.error.StorefleetException BAD_VALUE naming the message without content
   */
  public static List<NewMessage> checked(List<NewMessage> messages, int folderId) {
    if (messages == null) {
      throw ErrorCode.BAD_VALUE.exception("no message list given to add to folder " + folderId);
    }
    for (int k = 0; k < messages.size(); k++) {
      if (messages.get(k) == null || messages.get(k).raw() == null) {
        throw ErrorCode.BAD_VALUE.exception("message " + (k + 1) + " of " + messages.size() + " to add to folder "
            + folderId + " has no content");
      }
    }
    return List.copyOf(messages);
  }
}
