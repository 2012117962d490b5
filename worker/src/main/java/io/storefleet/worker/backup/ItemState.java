package io.storefleet.worker.backup;

import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * One state of an item as the backup keeps it: a line of {@code items.log}. A new state is
 * appended whenever anything but the date differs from the previous one; none is ever rewritten.
 *
 * @param id the item id
 * @param folderId its folder in this state
 * @param type its type
 * @param digest SHA-256 of its content (the blob's name)
 * @param size its size
 * @param flags its flags in this state
 * @param tags its tags in this state
 * @param deleted whether it was deleted from the store in this state
 * @param since when this state was first seen
 * @param subject its subject (for search)
 * @param from its sender (for search)
 * @param to its recipients (for search)
 */
public record ItemState(
    int id,
    int folderId,
    ItemType type,
    String digest,
    long size,
    Set<String> flags,
    Set<String> tags,
    boolean deleted,
    Instant since,
    String subject,
    String from,
    String to) {

  public ItemState {
    flags = new TreeSet<>(flags);
    tags = new TreeSet<>(tags);
  }

  static ItemState of(Item i, Instant since) {
    return new ItemState(i.id(), i.folderId(), i.type(), i.digest(), i.size(), i.flags(), i.tags(),
        false, since, i.subject(), i.from(), i.to());
  }

  /** The same state marked deleted. */
  ItemState asDeleted(Instant at) {
    return new ItemState(id, folderId, type, digest, size, flags, tags, true, at, subject, from, to);
  }

  /** Whether two states differ in anything but their date. */
  boolean sameAs(ItemState o) {
    return o != null && id == o.id && folderId == o.folderId && type == o.type
        && digest.equals(o.digest) && size == o.size && flags.equals(o.flags) && tags.equals(o.tags)
        && deleted == o.deleted;
  }
}
