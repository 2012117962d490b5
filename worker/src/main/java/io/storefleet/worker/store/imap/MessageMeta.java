package io.storefleet.worker.store.imap;

import java.time.Instant;
import java.util.Set;

/**
 * What one UID FETCH tells about a message without its body.
 *
 * @param uid its UID in the selected mailbox
 * @param guid Dovecot's message GUID ({@code X-GUID}), stable across MOVE
 * @param size its wire size ({@code RFC822.SIZE})
 * @param internalDate its INTERNALDATE
 * @param systemFlags IMAP system flags without the backslash, lower case ({@code seen} ...)
 * @param keywords IMAP keywords as the server holds them (escaped tag names)
 */
record MessageMeta(long uid, String guid, long size, Instant internalDate, Set<String> systemFlags,
    Set<String> keywords) {
  MessageMeta {
    systemFlags = Set.copyOf(systemFlags);
    keywords = Set.copyOf(keywords);
  }
}
