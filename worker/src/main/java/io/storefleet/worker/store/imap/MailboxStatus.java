package io.storefleet.worker.store.imap;

import java.util.Set;

/**
 * One mailbox as LIST-STATUS shows it.
 *
 * @param name its decoded name, e.g. {@code INBOX/Projects}
 * @param separator the hierarchy separator
 * @param attributes its LIST attributes (special-use included), e.g. {@code \Trash}
 * @param selectable false for {@code \Noselect} or {@code \NonExistent} placeholders
 * @param uidValidity its UIDVALIDITY (0 when not selectable)
 * @param highestModSeq its HIGHESTMODSEQ (CONDSTORE), 0 when not selectable
 * @param guid Dovecot's mailbox GUID, which survives a rename; empty when not selectable
 */
record MailboxStatus(String name, char separator, Set<String> attributes, boolean selectable, long uidValidity,
    long highestModSeq, String guid) {
  MailboxStatus {
    attributes = Set.copyOf(attributes);
  }

  /** The special-use attribute ({@code \Trash} ...) if it has one of the system folders'. */
  String specialUse() {
    for (String a : attributes) {
      switch (a.toLowerCase(java.util.Locale.ROOT)) {
        case "\\trash", "\\junk", "\\sent", "\\drafts" -> {
          return a.toLowerCase(java.util.Locale.ROOT);
        }
        default -> { }
      }
    }
    return null;
  }
}
