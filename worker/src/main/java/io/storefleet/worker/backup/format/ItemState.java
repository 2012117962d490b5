package io.storefleet.worker.backup.format;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * One state of an item: a line of {@code items.log}. A new state is appended whenever anything
 * but its position and date differs from the item's previous one; none is ever rewritten.
 *
 * @param id the item id
 * @param seq the store journal position this state was taken at
 * @param since when the item entered this state (the mutation's time, or the scan's)
 * @param folderId its folder in this state
 * @param type its type
 * @param digest SHA-256 of its content (the blob's name)
 * @param size its content size
 * @param flags its flags in this state
 * @param tags its tags in this state
 * @param deleted whether it was gone from the store in this state
 * @param blobless whether this state was recorded in blobless mode (its content is not kept)
 * @param subject its subject, for search
 * @param from its sender, for search
 * @param to its recipients, for search
 * @param receivedAt when the item arrived in the store (its IMAP INTERNALDATE), which a restore
 *     gives back; null in states recorded before it was kept, or by a store that did not say
 */
@JsonPropertyOrder({"id", "seq", "since", "folderId", "type", "digest", "size", "flags", "tags", "deleted", "blobless"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItemState(
    int id,
    long seq,
    Instant since,
    int folderId,
    ItemType type,
    String digest,
    long size,
    Set<String> flags,
    Set<String> tags,
    boolean deleted,
    boolean blobless,
    String subject,
    String from,
    String to,
    Instant receivedAt) {

  public ItemState {
    flags = new TreeSet<>(flags == null ? Set.of() : flags);
    tags = new TreeSet<>(tags == null ? Set.of() : tags);
  }

  /** A state without an arrival time. */
  public ItemState(int id, long seq, Instant since, int folderId, ItemType type, String digest, long size,
      Set<String> flags, Set<String> tags, boolean deleted, boolean blobless, String subject, String from, String to) {
    this(id, seq, since, folderId, type, digest, size, flags, tags, deleted, blobless, subject, from, to, null);
  }

  public static ItemState of(Item i, long seq, Instant since, boolean blobless) {
    return new ItemState(i.id(), seq, since, i.folderId(), i.type(), i.digest(), i.size(), i.flags(), i.tags(),
        false, blobless, i.subject(), i.from(), i.to(), i.receivedAt());
  }

  public ItemState at(long seq, Instant since) {
    return new ItemState(id, seq, since, folderId, type, digest, size, flags, tags, deleted, blobless, subject, from, to, receivedAt);
  }

  public ItemState asDeleted(long seq, Instant at) {
    return new ItemState(id, seq, at, folderId, type, digest, size, flags, tags, true, blobless, subject, from, to, receivedAt);
  }

  public ItemState inFolder(int folder) {
    return new ItemState(id, seq, since, folder, type, digest, size, flags, tags, deleted, blobless, subject, from, to, receivedAt);
  }

  public ItemState withFlags(Set<String> f) {
    return new ItemState(id, seq, since, folderId, type, digest, size, f, tags, deleted, blobless, subject, from, to, receivedAt);
  }

  public ItemState withTags(Set<String> t) {
    return new ItemState(id, seq, since, folderId, type, digest, size, flags, t, deleted, blobless, subject, from, to, receivedAt);
  }

  /** This state with its content in the backup (a state recorded blobless whose blob is there). */
  public ItemState withBlob() {
    return new ItemState(id, seq, since, folderId, type, digest, size, flags, tags, deleted, false, subject, from, to, receivedAt);
  }

  /** Whether the item's content is in the backup for this state. */
  public boolean hasBlob() {
    return !blobless;
  }

  /**
   * Whether two states differ in anything but their position and date. The arrival time does not
   * count: it never changes, and states recorded before it was kept lack it.
   */
  public boolean sameAs(ItemState o) {
    return o != null && id == o.id && folderId == o.folderId && type == o.type
        && digest.equals(o.digest) && size == o.size && flags.equals(o.flags) && tags.equals(o.tags)
        && deleted == o.deleted && blobless == o.blobless;
  }
}
