package io.storefleet.worker.store.imap;

import io.storefleet.worker.store.Folder;

/**
 * A storefleet folder and the mailbox behind it.
 *
 * @param folder the folder as the SPI shows it
 * @param mailbox the mailbox, or null for the root (which IMAP does not have)
 */
record MappedFolder(Folder folder, MailboxStatus mailbox) {
  boolean selectable() {
    return mailbox != null && mailbox.selectable();
  }
}
