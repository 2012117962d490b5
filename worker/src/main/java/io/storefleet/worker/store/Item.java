package io.storefleet.worker.store;

import java.time.Instant;
import java.util.Set;

/**
 * An item's current state. Its content is read separately with {@link MailStore#content}.
 *
 * @param id its id, unique in the mailbox
 * @param folderId its folder
 * @param type what it is
 * @param size content size in bytes
 * @param digest SHA-256 of the content, lower-case hex
 * @param flags flags: seen, answered, flagged, draft, deleted
 * @param tags tag names
 * @param modSeq the journal sequence of its last change
 * @param modifiedAt when it last changed
 * @param receivedAt when it arrived
 * @param subject the decoded Subject header, or empty
 * @param from the From header, or empty
 * @param to the To and Cc headers, or empty
 */
public record Item(
    int id,
    int folderId,
    ItemType type,
    long size,
    String digest,
    Set<String> flags,
    Set<String> tags,
    long modSeq,
    Instant modifiedAt,
    Instant receivedAt,
    String subject,
    String from,
    String to) {

  public Item {
    flags = Set.copyOf(flags);
    tags = Set.copyOf(tags);
  }
}
