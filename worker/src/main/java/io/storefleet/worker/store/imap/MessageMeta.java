package io.storefleet.worker.store.imap;

import jakarta.mail.Flags;
import java.time.Instant;
import java.util.Set;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.UID;

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

  /** From a FETCH response with UID, FLAGS, X-GUID, RFC822.SIZE and INTERNALDATE. */
  static MessageMeta of(FetchResponse f) {
    FLAGS flags = f.getItem(FLAGS.class);
    Flags fl = flags == null ? new Flags() : flags;
    Object guid = f.getExtensionItems().get(XGuidProtocol.X_GUID);
    return new MessageMeta(f.getItem(UID.class).uid, guid == null ? "" : guid.toString(),
        f.getItem(RFC822SIZE.class).size, f.getItem(INTERNALDATE.class).getDate().toInstant(),
        ImapFlags.flags(fl), ImapFlags.keywords(fl));
  }
}
