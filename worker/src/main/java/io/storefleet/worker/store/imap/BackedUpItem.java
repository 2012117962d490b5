package io.storefleet.worker.store.imap;

import java.time.Instant;
import java.util.Set;

/**
 * An item as the last backup recorded it, for rebuilding a lost id map ({@link BackupIds}).
 *
 * @param id its item id
 * @param folderId its folder then
 * @param digest SHA-256 of its content
 * @param flags its flags then
 * @param tags its tags then
 * @param seq the journal position the state was recorded at
 * @param since when it entered that state
 */
record BackedUpItem(int id, int folderId, String digest, Set<String> flags, Set<String> tags, long seq,
    Instant since) {
  BackedUpItem {
    flags = Set.copyOf(flags);
    tags = Set.copyOf(tags);
  }
}
