package io.storefleet.worker.store.imap;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.angus.mail.iap.ProtocolException;

/**
 * Message bodies read ahead while an account's messages are read one after another in id order,
 * as a scan and a restore's verification read them: one UID FETCH brings the message asked for
 * and the next ones of its mailbox, instead of one round trip each. As a file system reads ahead,
 * the window starts small and doubles while the reads stay sequential (up to 64 messages or
 * 4 MiB), so a reader that skips around fetches little it does not use. Bodies are kept by mailbox
 * GUID, UIDVALIDITY and UID, which name immutable bytes, until read or pushed out, for the few
 * accounts read last. Each mailbox is its own sequence: a scan reads the items of an account's
 * mailboxes interleaved, in the order their ids were given.
 */
final class ReadAhead {
  private static final int FIRST_WINDOW = 4;
  private static final int MAX_WINDOW = 64;
  private static final int LOOK_AT = 4 * MAX_WINDOW;
  private static final long BYTES = 4L << 20;
  private static final int ACCOUNTS = 4;

  private record Key(String mailboxGuid, long uidValidity, long uid) {
    static Key of(MappedItem i) {
      return new Key(i.mailboxGuid(), i.uidValidity(), i.uid());
    }
  }

  /** Where the reads of one mailbox are: the last item read and the window. */
  private static final class Stream {
    int lastItem = -1;
    int window = FIRST_WINDOW;
  }

  private static final class Ahead {
    final Map<String, Stream> streams = new java.util.HashMap<>();
    long bytes;
    final LinkedHashMap<Key, byte[]> bodies = new LinkedHashMap<>();
  }

  private final LinkedHashMap<String, Ahead> byAccount = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Ahead> eldest) {
      return size() > ACCOUNTS;
    }
  };

  /**
   * The wire bytes of the item, read in the mailbox the account's folders as last seen hold it;
   * empty if the id map or those folders do not know it, or its UID is gone.
   */
  Optional<byte[]> body(Opened o, int itemId) throws ProtocolException {
    Optional<MappedItem> i = o.map().item(itemId);
    if (i.isEmpty() || o.folders() == null) {
      return Optional.empty();
    }
    Optional<MappedFolder> f = o.folders().stream()
        .filter(m -> m.mailbox() != null && m.mailbox().guid().equals(i.get().mailboxGuid())).findFirst();
    return f.isEmpty() ? Optional.empty() : body(o, i.get(), f.get().mailbox().name());
  }

  /**
   * The wire bytes of {@code item}, which is in {@code mailbox}; empty if its UID is gone. Called
   * under the account's lock.
   */
  Optional<byte[]> body(Opened o, MappedItem item, String mailbox) throws ProtocolException {
    Ahead ahead = ahead(o.account().id());
    Stream stream = ahead.streams.computeIfAbsent(item.mailboxGuid(), g -> new Stream());
    boolean sequential = stream.lastItem >= 0 && stream.lastItem == previousInMailbox(o.map(), item);
    stream.lastItem = item.id();
    byte[] kept = ahead.bodies.remove(Key.of(item));
    if (kept != null) {
      ahead.bytes -= kept.length;
      return Optional.of(kept);
    }
    stream.window = sequential ? Math.min(MAX_WINDOW, stream.window * 2) : FIRST_WINDOW;
    List<MappedItem> batch = new ArrayList<>(List.of(item));
    if (sequential) {
      long bytes = item.size();
      Iterator<MappedItem> it = o.map().itemsAfter(item.id()).iterator();
      for (int looked = 0; it.hasNext() && looked < LOOK_AT && batch.size() < stream.window; looked++) {
        MappedItem next = it.next();
        if (inMailboxOf(next, item)) {
          if (bytes + next.size() > BYTES) {
            break;
          }
          bytes += next.size();
          batch.add(next);
        }
      }
    }
    Map<Long, ServedMessage> served = o.session().served(mailbox, batch.stream().mapToLong(MappedItem::uid).toArray());
    for (MappedItem m : batch.subList(1, batch.size())) {
      ServedMessage s = served.get(m.uid());
      if (s != null) {
        ahead.bodies.put(Key.of(m), s.wire());
        ahead.bytes += s.wire().length;
      }
    }
    for (Iterator<byte[]> oldest = ahead.bodies.values().iterator(); ahead.bytes > BYTES && oldest.hasNext(); ) {
      ahead.bytes -= oldest.next().length;
      oldest.remove();
    }
    return Optional.ofNullable(served.get(item.uid())).map(ServedMessage::wire);
  }

  private synchronized Ahead ahead(String accountId) {
    return byAccount.computeIfAbsent(accountId, a -> new Ahead());
  }

  /** The id of the item before this one in its mailbox, in id order (-1: none close by). */
  private static int previousInMailbox(AccountMap map, MappedItem item) {
    Iterator<MappedItem> it = map.itemsBefore(item.id()).iterator();
    for (int looked = 0; it.hasNext() && looked < LOOK_AT; looked++) {
      MappedItem prev = it.next();
      if (inMailboxOf(prev, item)) {
        return prev.id();
      }
    }
    return -1;
  }

  private static boolean inMailboxOf(MappedItem other, MappedItem item) {
    return other.mailboxGuid().equals(item.mailboxGuid()) && other.uidValidity() == item.uidValidity();
  }
}
