package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.CanonicalContent;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MissingContent;
import io.storefleet.worker.store.Mutation;
import io.storefleet.worker.store.NewMessage;
import io.storefleet.worker.store.Volume;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.angus.mail.iap.ProtocolException;

/**
 * Blob restore on the imap store. Its one volume (1) is the IMAP server's message storage, and
 * what it lacks are the items a raw restore left awaiting their content ({@link
 * AccountMap#awaiting}). A content comes back as one message per item that names it: MULTIAPPEND
 * batches per folder (the bytes as given, the item's flags, keywords and arrival time as
 * INTERNALDATE), each read back and checked against the recorded digest; the item then becomes a
 * mapped item under its own id, with no item entry in the journal (its ITEM_CREATED was written by
 * the raw restore), and one CONTENT_RESTORED per content written.
 */
final class AwaitedContent {
  static final int VOLUME = 1;
  /** One MULTIAPPEND, as a restore's batches (docs/mailstores.md, Limits). */
  private static final int BATCH_MESSAGES = 64;
  private static final long BATCH_BYTES = 8L << 20;

  private final AccountDirectory directory;
  private final AccountSessions sessions;
  private final MailboxEdits edits;
  private final ImapJournal journal;
  private final String server;
  /** The last listing of the awaiting items, which restore calls look contents up in. */
  private volatile AwaitingIndex listing;
  private final java.util.concurrent.atomic.AtomicInteger listings = new java.util.concurrent.atomic.AtomicInteger();

  AwaitedContent(AccountDirectory directory, AccountSessions sessions, MailboxEdits edits, ImapJournal journal,
      String server) {
    this.directory = directory;
    this.sessions = sessions;
    this.edits = edits;
    this.journal = journal;
    this.server = server;
  }

  /** The error for reading or changing an item whose message is not on the server yet. */
  static StorefleetException awaits(int itemId, String account) {
    return ErrorCode.IO_ERROR.exception("item " + itemId + " of " + account + " awaits its content: a raw restore"
        + " recorded it and the IMAP server holds no message for it yet; run doRestoreBlobs 1 dryrun false");
  }

  List<Volume> volumes() {
    return List.of(new Volume(VOLUME, "primary", "primary", "IMAP server " + server, true));
  }

  /**
   * The items awaiting their content. A message already on the server is not read back to look
   * for damage: its digest was taken from the bytes Dovecot served, and a message that is gone is
   * a deletion the next pass journals.
   */
  List<MissingContent> missing(int volumeId) {
    require(volumeId);
    AwaitingIndex index = listAll();
    return index.missing();
  }

  /** Reads every account's id map: once per blob restore (its listing), not once per call. */
  private AwaitingIndex listAll() {
    listings.incrementAndGet();
    AwaitingIndex index = AwaitingIndex.list(directory.accounts(), sessions);
    listing = index;
    return index;
  }

  /** How many times every account's awaiting items were listed (what a restore's cost grows with). */
  int listings() {
    return listings.get();
  }

  /** A raw restore recorded new awaiting items: the next call lists every account again. */
  void forgetListing() {
    listing = null;
  }

  /**
   * APPENDs every awaiting item named by these contents. Checked first, nothing written on a
   * refusal: BAD_VALUE for a content without its digest, or one Dovecot would serve as other bytes
   * (see {@link CanonicalContent}: a message with LF-only lines or NUL, as an embedded store's
   * backup holds them); NOT_FOUND for one no live item names. Written per MULTIAPPEND batch: a
   * failure after some batches leaves those messages in place and their items filled, so a
   * second call writes only the rest. The accounts opened are those the last listing ({@link
   * #missing}) found naming these contents; without one, or for a content it did not find, every
   * account is listed again.
   */
  Set<String> restore(int volumeId, Map<String, byte[]> contents) {
    require(volumeId);
    Volume.requireDigests(contents);
    AwaitingIndex index = listing;
    if (index == null || !index.covers(contents.keySet())) {
      index = listAll();
    }
    Map<Account, List<Item>> waiting = new LinkedHashMap<>();
    index.naming(contents.keySet()).forEach((a, ids) -> {
      List<Item> mine = sessions.onMap(a, m -> ids.stream().flatMap(id -> m.awaiting(id).stream())
          .filter(i -> contents.containsKey(i.digest())).toList(), List.of());
      if (!mine.isEmpty()) {
        waiting.put(a, mine);
      }
    });
    requireNamed(volumeId, index, contents);
    waiting.values().forEach(items -> items.forEach(i -> {
      if (!CanonicalContent.digest(contents.get(i.digest())).equals(i.digest())) {
        throw ErrorCode.BAD_VALUE.exception("content " + i.digest() + " would be served by IMAP server " + server
            + " as other bytes (its canonical form: LF-only lines as CRLF, NUL as 0x80), so item " + i.id()
            + " could not keep its digest; restore it with doRestoreOnNewAccount, which compares canonical forms;"
            + " nothing was written");
      }
    }));
    Set<String> written = new LinkedHashSet<>();
    try {
      for (Map.Entry<Account, List<Item>> e : waiting.entrySet()) {
        sessions.with(e.getKey().id(), o -> {
          fill(o, e.getValue(), contents, written);
          return null;
        });
      }
    } finally {
      if (!written.isEmpty()) {
        journal.commit(written.stream().map(d -> new ImapJournal.Change(Mutation.CONTENT_RESTORED, null, 0,
            new ContentRestored(VOLUME, d, contents.get(d).length))).toList());
      }
    }
    return written;
  }

  /**
   * NOT_FOUND for a content no live item names: neither an item the listing found awaiting it nor,
   * read from every account, a mapped item (one whose message is back already).
   */
  private void requireNamed(int volumeId, AwaitingIndex index, Map<String, byte[]> contents) {
    Set<String> unlisted = new HashSet<>();
    contents.forEach((d, bytes) -> {
      if (!index.names(d, bytes.length)) {
        unlisted.add(d + "/" + bytes.length);
      }
    });
    if (unlisted.isEmpty()) {
      return;
    }
    for (Account a : directory.accounts()) {
      unlisted.removeAll(sessions.onMap(a, m -> m.items().stream().map(i -> i.digest() + "/" + i.size())
          .filter(unlisted::contains).toList(), List.<String>of()));
    }
    for (Map.Entry<String, byte[]> e : contents.entrySet()) {
      if (unlisted.contains(e.getKey() + "/" + e.getValue().length)) {
        throw ErrorCode.NOT_FOUND.exception("no live item of volume " + volumeId + " on " + server + " has content "
            + e.getKey() + " (" + e.getValue().length + " bytes); nothing was written");
      }
    }
  }

  /** CONTENT_RESTORED's detail. */
  record ContentRestored(int volumeId, String digest, long size) {}

  private void fill(Opened o, List<Item> items, Map<String, byte[]> contents, Set<String> written)
      throws ProtocolException {
    // Another call may have filled some since they were listed.
    List<Item> still = items.stream().filter(i -> o.map().awaiting(i.id()).isPresent())
        .sorted(Comparator.comparingInt(Item::folderId).thenComparingInt(Item::id)).toList();
    for (int from = 0; from < still.size(); ) {
      int to = from;
      long bytes = 0;
      while (to < still.size() && still.get(to).folderId() == still.get(from).folderId() && to - from < BATCH_MESSAGES
          && (to == from || bytes + still.get(to).size() <= BATCH_BYTES)) {
        bytes += still.get(to).size();
        to++;
      }
      List<Item> batch = still.subList(from, to);
      MappedFolder f = o.messageFolder(batch.get(0).folderId());
      List<MappedItem> read = edits.append(o, f, batch.stream().map(i -> new NewMessage(contents.get(i.digest()),
          i.flags(), i.tags(), i.receivedAt())).toList());
      for (int k = 0; k < batch.size(); k++) {
        if (!read.get(k).digest().equals(batch.get(k).digest())) {
          o.session().expunge(f.mailbox().name(), read.stream().mapToLong(MappedItem::uid).toArray());
          throw ErrorCode.IO_ERROR.exception("IMAP server " + server + " serves the message of item "
              + batch.get(k).id() + " of " + o.account().name() + " as other bytes than the backup's (digest "
              + read.get(k).digest() + ", not " + batch.get(k).digest() + "); nothing of its batch was kept");
        }
      }
      for (int k = 0; k < batch.size(); k++) {
        Item i = batch.get(k);
        MappedItem m = read.get(k);
        o.map().arrived(m.as(i.id(), i.folderId(), m.flags(), m.tags(), i.modSeq(), i.modifiedAt()));
      }
      o.map().save();
      batch.forEach(i -> written.add(i.digest()));
      from = to;
    }
  }

  private void require(int volumeId) {
    if (volumeId != VOLUME) {
      throw ErrorCode.NOT_FOUND.exception("volume " + volumeId + " does not exist on store.kind=imap; its one volume"
          + " is " + VOLUME + ", the messages on IMAP server " + server);
    }
  }
}
