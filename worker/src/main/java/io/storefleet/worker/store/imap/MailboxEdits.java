package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.Mutation;
import io.storefleet.worker.store.NewMessage;
import jakarta.mail.Flags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.angus.mail.iap.ProtocolException;

/**
 * The item mutations on an opened account: raw MULTIAPPEND of a batch (bytes as given, each
 * message's flags, keywords and the original INTERNALDATE when a restore gives it) learning the
 * UIDs through UIDPLUS, then one FETCH of the batch's wire form as Dovecot serves it, which is
 * what gets digested; UID STORE for flags
 * and tags; UID MOVE; \Deleted plus UID EXPUNGE of exactly the UIDs meant.
 */
final class MailboxEdits {
  private final ImapJournal journal;
  private final String server;

  MailboxEdits(ImapJournal journal, String server) {
    this.journal = journal;
    this.server = server;
  }

  /**
   * Appends the messages in one MULTIAPPEND (all or none), then reads them back in one UID FETCH;
   * a failure after the APPEND expunges exactly what it appended. A message the server refuses
   * fails the batch with BAD_VALUE naming the server's reason, so a restore retries its messages
   * one at a time and records the one refused; a NO that is not about the message (quota, limits,
   * a busy server) is an indefinite IO_ERROR; a NO without a response code is tried once more
   * ({@link AppendRefusal}).
   */
  List<Item> add(Opened o, int folderId, List<NewMessage> messages) throws ProtocolException {
    MappedFolder f = o.messageFolder(folderId);
    if (messages.isEmpty()) {
      return List.of();
    }
    List<MappedItem> read = append(o, f, messages);
    ChangeSet changes = new ChangeSet(o.account().id());
    List<Integer> ids = new ArrayList<>();
    for (MappedItem m : read) {
      MappedItem item = m.as(o.map().newId(), folderId, m.flags(), m.tags(), 0, null);
      ids.add(item.id());
      changes.add(Mutation.ITEM_CREATED, item.id(), JournalDetails.ItemCreated.of(item),
          e -> o.map().put(item.withFlags(item.flags(), item.tags(), e.seq(), e.time())));
    }
    changes.commit(journal, o.map());
    return ids.stream().map(id -> o.item(id).item()).toList();
  }

  /**
   * One MULTIAPPEND of the messages to a folder, then one UID FETCH of what Dovecot serves (which
   * is what gets digested): the messages as map entries without ids, in the order given. A failure
   * after the APPEND expunges exactly what it appended.
   */
  List<MappedItem> append(Opened o, MappedFolder f, List<NewMessage> messages) throws ProtocolException {
    String mailbox = f.mailbox().name();
    List<ImapSession.Appending> sent = messages.stream().map(m -> new ImapSession.Appending(AppendBytes.of(m.raw()),
        ImapFlags.of(m.flags(), m.tags()), m.receivedAt())).toList();
    long[] appended = AppendRefusal.appended(() -> o.session().appendAll(mailbox, sent),
        (messages.size() == 1 ? "the message" : "one of " + messages.size() + " messages") + " for " + mailbox
            + " of " + o.account().name(), server);
    try {
      Map<Long, ServedMessage> served = o.session().served(mailbox, appended);
      List<MappedItem> out = new ArrayList<>();
      for (long uid : appended) {
        ServedMessage m = served.get(uid);
        if (m == null) {
          throw new ProtocolException("UID " + uid + " just appended to " + mailbox + " is gone");
        }
        out.add(Reconciler.mapped(0, f.folder().id(), f.mailbox(), m.meta(), m.wire()));
      }
      return out;
    } catch (ProtocolException | RuntimeException e) {
      o.session().expunge(mailbox, appended);
      throw e;
    }
  }

  Item move(Opened o, int itemId, int folderId) throws ProtocolException {
    MappedItem i = o.item(itemId);
    MappedFolder to = o.messageFolder(folderId);
    if (i.folderId() == folderId) {
      return i.item();
    }
    MappedFolder from = o.folderOf(i);
    long uid = o.session().move(from.mailbox().name(), i.uid(), to.mailbox().name());
    MailboxStatus st = to.mailbox();
    ChangeSet changes = new ChangeSet(o.account().id());
    changes.add(Mutation.ITEM_MOVED, itemId, new JournalDetails.ItemMoved(i.folderId(), folderId,
        new JournalDetails.Place(st.guid(), st.uidValidity(), uid, i.messageGuid())),
        e -> o.map().put(i.at(folderId, st.guid(), st.uidValidity(), uid, e.seq(), e.time())));
    changes.commit(journal, o.map());
    return o.item(itemId).item();
  }

  Item setFlags(Opened o, int itemId, Set<String> flags) throws ProtocolException {
    MappedItem i = o.item(itemId);
    Flags imap = ImapFlags.of(flags, i.tags());
    Set<String> normalized = ImapFlags.flags(imap);
    if (normalized.equals(i.flags())) {
      return i.item();
    }
    o.session().replaceFlags(o.folderOf(i).mailbox().name(), i.uid(), imap);
    ChangeSet changes = new ChangeSet(o.account().id());
    changes.add(Mutation.ITEM_FLAGS_CHANGED, itemId, new JournalDetails.ItemFlags(normalized),
        e -> o.map().put(i.withFlags(normalized, i.tags(), e.seq(), e.time())));
    changes.commit(journal, o.map());
    return o.item(itemId).item();
  }

  Item setTags(Opened o, int itemId, Set<String> tags) throws ProtocolException {
    MappedItem i = o.item(itemId);
    Set<String> wanted = Set.copyOf(tags);
    if (wanted.equals(i.tags())) {
      return i.item();
    }
    o.session().replaceFlags(o.folderOf(i).mailbox().name(), i.uid(), ImapFlags.of(i.flags(), wanted));
    ChangeSet changes = new ChangeSet(o.account().id());
    changes.add(Mutation.ITEM_TAGS_CHANGED, itemId, new JournalDetails.ItemTags(wanted),
        e -> o.map().put(i.withFlags(i.flags(), wanted, e.seq(), e.time())));
    changes.commit(journal, o.map());
    return o.item(itemId).item();
  }

  void delete(Opened o, int itemId) throws ProtocolException {
    MappedItem i = o.item(itemId);
    o.session().expunge(o.folderOf(i).mailbox().name(), new long[] {i.uid()});
    ChangeSet changes = new ChangeSet(o.account().id());
    changes.add(Mutation.ITEM_DELETED, itemId, new JournalDetails.ItemDeleted(i.folderId()),
        e -> o.map().remove(itemId));
    changes.commit(journal, o.map());
  }

  int empty(Opened o, int folderId) throws ProtocolException {
    MappedFolder f = o.folder(folderId);
    List<MappedItem> items = o.map().items(folderId);
    if (items.isEmpty()) {
      return 0;
    }
    o.session().expunge(f.mailbox().name(), items.stream().mapToLong(MappedItem::uid).toArray());
    List<Integer> ids = items.stream().map(MappedItem::id).toList();
    ChangeSet changes = new ChangeSet(o.account().id());
    changes.add(Mutation.FOLDER_EMPTIED, folderId, new JournalDetails.FolderEmptied(folderId, ids),
        e -> ids.forEach(o.map()::remove));
    changes.commit(journal, o.map());
    return ids.size();
  }

  /** Creates the missing mailboxes of a path, parents first; the caller's next pass journals them. */
  void createPath(Opened o, List<String> segments) throws ProtocolException {
    for (int n = 1; n <= segments.size(); n++) {
      List<String> prefix = segments.subList(0, n);
      String path = "/" + String.join("/", prefix);
      if (o.byPath(path).isPresent() && o.byPath(path).get().selectable()) {
        continue;
      }
      if (o.byPath(path).isPresent() && o.byPath(path).get().folder().isMountpoint()) {
        throw ErrorCode.CONFLICT.exception("folder " + path + " of " + o.account().name()
            + " is a mountpoint; folders cannot be created in it");
      }
      String mailbox = FolderMapping.mailboxFor(o.folders(), prefix, o.separator());
      if (mailbox.indexOf('\n') >= 0 || mailbox.indexOf('\r') >= 0) {
        throw ErrorCode.BAD_VALUE.exception("folder path " + path + " contains a line break");
      }
      o.session().create(mailbox);
    }
  }
}
