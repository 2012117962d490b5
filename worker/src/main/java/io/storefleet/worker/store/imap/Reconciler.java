package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.backup.format.BlobCodec;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ScanView.ContentSink;
import io.storefleet.worker.store.Mutation;
import io.storefleet.worker.store.local.HeaderSummary;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.ProtocolException;

/**
 * Brings one account's id map up to the server and journals what changed since the last pass:
 * mailboxes whose UIDVALIDITY and HIGHESTMODSEQ are unchanged are skipped (CONDSTORE); in the
 * others QRESYNC gives the messages changed since the last HIGHESTMODSEQ and the UIDs expunged
 * since (every message is compared after a UIDVALIDITY change or on the first pass). A message gone from one
 * place that appears in another with the same X-GUID is a move and keeps its id (also across a
 * UIDVALIDITY change); what matches nothing is deleted or new, and only new messages are read
 * (once, to digest them, many in one FETCH), their bytes handed to a scan's {@link ContentSink}
 * so that it stores them without reading them again; the sink paces those reads and may shorten
 * a FETCH to what its pacer lets go at once.
 */
final class Reconciler {
  private Reconciler() {}

  /** What a pass found, journalled by the caller. */
  static ChangeSet pass(ImapSession session, String accountId, AccountMap map, List<MappedFolder> folders)
      throws ProtocolException {
    return pass(session, accountId, map, folders, null);
  }

  /** @param sink what gets the bytes of new messages, or null */
  static ChangeSet pass(ImapSession session, String accountId, AccountMap map, List<MappedFolder> folders,
      ContentSink sink) throws ProtocolException {
    return pass(session, accountId, map, folders, sink, false);
  }

  /**
   * A pass whose mailbox statuses are a sweep's, taken before it (with the folders of an earlier
   * read, {@link ListedFolders}): a mailbox whose sweep status equals its mark is not opened, but
   * a change made since the sweep may have touched it. Empty, with nothing read, journalled or
   * changed in the map, when the pass sees such a change it could record wrongly -- a message
   * gone that arrived nowhere it looked (a MOVE into a mailbox it skipped would be a delete), or
   * an arrival whose X-GUID is an item of a skipped mailbox (a MOVE out of one would be a new
   * item) -- or when a mailbox cannot be opened (renamed or deleted since): the caller then reads
   * the statuses and folders afresh and passes again.
   */
  static java.util.Optional<ChangeSet> passOnSwept(ImapSession session, String accountId, AccountMap map,
      List<MappedFolder> folders, ContentSink sink) throws ProtocolException {
    return java.util.Optional.ofNullable(pass(session, accountId, map, folders, sink, true));
  }

  private static ChangeSet pass(ImapSession session, String accountId, AccountMap map, List<MappedFolder> folders,
      ContentSink sink, boolean swept) throws ProtocolException {
    ChangeSet changes = new ChangeSet(accountId);
    Map<String, MappedFolder> byKey = new HashMap<>();
    for (MappedFolder f : folders) {
      if (f.mailbox() != null) {
        byKey.put(FolderMapping.key(f.mailbox()), f);
      }
    }
    Set<String> rescan = new HashSet<>();
    foldersChanged(map, byKey, changes, rescan);

    Map<String, Deque<BackedUpItem>> priors = new HashMap<>();
    map.priors().forEach(i -> priors.computeIfAbsent(i.digest(), d -> new ArrayDeque<>()).add(i));
    Map<String, Deque<Item>> awaited = new HashMap<>();
    map.awaiting().forEach(i -> awaited.computeIfAbsent(i.digest(), d -> new ArrayDeque<>()).add(i));
    Map<String, Deque<MappedItem>> goneByGuid = new HashMap<>();
    List<Arrival> arrivals = new ArrayList<>();
    Set<String> skipped = new HashSet<>();
    for (MappedItem i : map.items()) {
      if (!byKey.containsKey(i.mailboxGuid())) {
        goneByGuid.computeIfAbsent(i.messageGuid(), g -> new ArrayDeque<>()).add(i);
      }
    }
    for (MappedFolder f : folders) {
      if (!f.selectable()) {
        continue;
      }
      MailboxStatus st = f.mailbox();
      AccountMap.MailboxMark mark = map.mailboxes().get(st.guid());
      boolean unchanged = mark != null && !rescan.contains(st.guid()) && mark.uidValidity() == st.uidValidity()
          && mark.highestModSeq() == st.highestModSeq();
      if (unchanged) {
        skipped.add(st.guid());
        continue;
      }
      Map<Long, MappedItem> known = new HashMap<>();
      for (MappedItem i : map.items()) {
        if (i.mailboxGuid().equals(st.guid())) {
          if (i.uidValidity() == st.uidValidity()) {
            known.put(i.uid(), i);
          } else {
            goneByGuid.computeIfAbsent(i.messageGuid(), g -> new ArrayDeque<>()).add(i);
          }
        }
      }
      // Same UIDVALIDITY as last time: QRESYNC gives what changed since the last HIGHESTMODSEQ and
      // the UIDs expunged since. Otherwise every message is compared.
      boolean incremental = mark != null && mark.uidValidity() == st.uidValidity() && mark.highestModSeq() > 0
          && !rescan.contains(st.guid());
      List<MessageMeta> seen;
      try {
        if (incremental) {
          MailboxChanges since = session.changesSince(st.name(), mark.highestModSeq());
          seen = since.changed();
          for (Long uid : since.vanished()) {
            MappedItem had = known.remove(uid);
            if (had != null) {
              goneByGuid.computeIfAbsent(had.messageGuid(), g -> new ArrayDeque<>()).add(had);
            }
          }
        } else {
          seen = session.messages(st.name());
        }
      } catch (CommandFailedException e) {
        if (swept) {
          return null;
        }
        throw e;
      }
      for (MessageMeta m : seen) {
        MappedItem had = known.remove(m.uid());
        if (had == null) {
          arrivals.add(new Arrival(f, m));
        } else {
          flagChanges(changes, map, had, m);
        }
      }
      if (!incremental) {
        for (MappedItem lost : known.values()) {
          goneByGuid.computeIfAbsent(lost.messageGuid(), g -> new ArrayDeque<>()).add(lost);
        }
      }
      // Never below the mark: a sweep's status may be older than a pass made since (the change feed's).
      long modSeq = mark != null && mark.uidValidity() == st.uidValidity()
          ? Math.max(mark.highestModSeq(), st.highestModSeq()) : st.highestModSeq();
      AccountMap.MailboxMark advanced = new AccountMap.MailboxMark(f.folder().id(), st.name(), st.uidValidity(),
          modSeq);
      changes.afterJournal(() -> map.mailboxes().put(st.guid(), advanced));
    }
    List<Arrival> fresh = new ArrayList<>();
    for (Arrival a : arrivals) {
      Deque<MappedItem> same = goneByGuid.get(a.meta().guid());
      MappedItem moved = same == null ? null : same.poll();
      if (moved != null) {
        moveChange(changes, map, moved, a);
      } else {
        fresh.add(a);
      }
    }
    if (swept && movedUnseen(map, goneByGuid, fresh, skipped)) {
      return null;
    }
    // New messages are read in batches, not one round trip each; arrivals come mailbox by mailbox.
    // The next batch is read while the last one is digested and stored.
    try (ReadOverlap overlap = new ReadOverlap()) {
      for (int from = 0; from < fresh.size(); ) {
        int to = batchEnd(fresh, from);
        if (sink != null) {
          // A paced scan takes the pacer's permits for the batch's messages before reading them.
          to = from + Math.max(1, Math.min(to - from, sink.beforeRead(to - from)));
        }
        List<Arrival> batch = fresh.subList(from, to);
        Map<Long, ServedMessage> bodies = session.served(batch.get(0).folder().mailbox().name(),
            batch.stream().mapToLong(a -> a.meta().uid()).toArray());
        overlap.then(() -> {
          for (Arrival a : batch) {
            created(changes, map, a, bodies.get(a.meta().uid()), priors, awaited, sink);
          }
        }, to < fresh.size());
        from = to;
      }
      overlap.finish();
    }
    if (!map.priors().isEmpty()) {
      // The first pass after a rebuild compares every mailbox: a backed-up item it did not find is gone.
      priors.values().forEach(q -> q.forEach(i -> changes.add(Mutation.ITEM_DELETED, i.id(),
          new JournalDetails.ItemDeleted(i.folderId()), null)));
      changes.afterJournal(map::priorsMatched);
    }
    goneByGuid.values().forEach(q -> q.forEach(i -> changes.add(Mutation.ITEM_DELETED, i.id(),
        new JournalDetails.ItemDeleted(i.folderId()), e -> map.remove(i.id()))));
    return changes;
  }

  private record Arrival(MappedFolder folder, MessageMeta meta) {}

  /** Whether a message gone arrived nowhere the pass looked, or one new may come from a mailbox it skipped. */
  private static boolean movedUnseen(AccountMap map, Map<String, Deque<MappedItem>> goneByGuid, List<Arrival> fresh,
      Set<String> skipped) {
    if (goneByGuid.values().stream().anyMatch(q -> !q.isEmpty())) {
      return true;
    }
    if (fresh.isEmpty() || skipped.isEmpty()) {
      return false;
    }
    Set<String> inSkipped = new HashSet<>();
    for (MappedItem i : map.items()) {
      if (skipped.contains(i.mailboxGuid())) {
        inSkipped.add(i.messageGuid());
      }
    }
    return fresh.stream().anyMatch(a -> inSkipped.contains(a.meta().guid()));
  }

  private static final int READ_MESSAGES = 256;
  private static final long READ_BYTES = 8L << 20;

  /** Where the batch of new messages read in one FETCH ends: one mailbox, a bounded count and size. */
  private static int batchEnd(List<Arrival> fresh, int from) {
    if (from >= fresh.size()) {
      return from;
    }
    MappedFolder folder = fresh.get(from).folder();
    long bytes = 0;
    int to = from;
    while (to < fresh.size() && fresh.get(to).folder() == folder && to - from < READ_MESSAGES
        && (to == from || bytes + fresh.get(to).meta().size() <= READ_BYTES)) {
      bytes += fresh.get(to).meta().size();
      to++;
    }
    return to;
  }

  /** New user mailboxes are FOLDER_CREATED; renamed and deleted ones an account-level change. */
  private static void foldersChanged(AccountMap map, Map<String, MappedFolder> byKey, ChangeSet changes,
      Set<String> rescan) {
    for (Map.Entry<String, MappedFolder> e : byKey.entrySet()) {
      MappedFolder f = e.getValue();
      AccountMap.MailboxMark mark = map.mailboxes().get(e.getKey());
      boolean firstSeen = mark == null || (mark.uidValidity() == 0 && f.selectable());
      if (firstSeen && f.folder().id() >= Folder.FIRST_USER_ID) {
        Folder d = f.folder();
        changes.add(Mutation.FOLDER_CREATED, d.id(), new JournalDetails.FolderCreated(d.id(), d.parentId(), d.name(),
            d.view()), null);
      } else if (mark != null && !mark.name().equals(f.mailbox().name())) {
        changes.add(Mutation.ACCOUNT_UPDATED, f.folder().id(),
            new JournalDetails.FoldersChanged("folder renamed", f.folder().id(), f.mailbox().name()), null);
        rescan.add(e.getKey());
        AccountMap.MailboxMark renamed = new AccountMap.MailboxMark(mark.folderId(), f.mailbox().name(),
            mark.uidValidity(), mark.highestModSeq());
        changes.afterJournal(() -> map.mailboxes().put(e.getKey(), renamed));
      }
    }
    for (String key : new ArrayList<>(map.mailboxes().keySet())) {
      if (!byKey.containsKey(key)) {
        AccountMap.MailboxMark gone = map.mailboxes().get(key);
        changes.add(Mutation.ACCOUNT_UPDATED, gone.folderId(),
            new JournalDetails.FoldersChanged("folder deleted", gone.folderId(), gone.name()),
            e -> map.mailboxes().remove(key));
      }
    }
  }

  private static void flagChanges(ChangeSet changes, AccountMap map, MappedItem had, MessageMeta m) {
    Set<String> tags = ImapFlags.tags(m.keywords());
    if (!had.flags().equals(m.systemFlags())) {
      changes.add(Mutation.ITEM_FLAGS_CHANGED, had.id(), new JournalDetails.ItemFlags(m.systemFlags()),
          e -> map.put(current(map, had).withFlags(m.systemFlags(), current(map, had).tags(), e.seq(), e.time())));
    }
    if (!had.tags().equals(tags)) {
      changes.add(Mutation.ITEM_TAGS_CHANGED, had.id(), new JournalDetails.ItemTags(tags),
          e -> map.put(current(map, had).withFlags(current(map, had).flags(), tags, e.seq(), e.time())));
    }
  }

  private static MappedItem current(AccountMap map, MappedItem i) {
    return map.item(i.id()).orElse(i);
  }

  private static void moveChange(ChangeSet changes, AccountMap map, MappedItem moved, Arrival a) {
    int to = a.folder().folder().id();
    MailboxStatus st = a.folder().mailbox();
    if (moved.folderId() != to) {
      JournalDetails.Place place = new JournalDetails.Place(st.guid(), st.uidValidity(), a.meta().uid(),
          moved.messageGuid());
      changes.add(Mutation.ITEM_MOVED, moved.id(), new JournalDetails.ItemMoved(moved.folderId(), to, place),
          e -> map.put(current(map, moved).at(to, st.guid(), st.uidValidity(), a.meta().uid(), e.seq(), e.time())));
    } else {
      // Same folder, new UID (UIDVALIDITY changed): the item is unchanged for storefleet.
      MappedItem renumbered = moved.at(to, st.guid(), st.uidValidity(), a.meta().uid(), moved.modSeq(),
          moved.modifiedAt());
      changes.afterJournal(() -> map.put(renumbered));
    }
    flagChanges(changes, map, moved, a.meta());
  }

  /** @param served its bytes as read, null when it was expunged between the FETCHes (the next pass sees it gone) */
  private static void created(ChangeSet changes, AccountMap map, Arrival a, ServedMessage served,
      Map<String, Deque<BackedUpItem>> priors, Map<String, Deque<Item>> awaited, ContentSink sink) {
    if (served == null) {
      return;
    }
    MailboxStatus st = a.folder().mailbox();
    byte[] wire = served.wire();
    int folderId = a.folder().folder().id();
    MappedItem read = mapped(0, folderId, st, a.meta(), wire);
    Item appended = claimAwaited(awaited.get(read.digest()), folderId, read.size());
    if (appended != null) {
      arrived(changes, map, read, appended, a);
      return;
    }
    BackedUpItem was = claim(priors.get(read.digest()), folderId);
    if (was != null) {
      rebuilt(changes, map, read, was, a);
      return;
    }
    if (sink != null) {
      sink.content(read.digest(), wire);
    }
    MappedItem item = read.as(map.newId(), folderId, read.flags(), read.tags(), 0, null);
    changes.add(Mutation.ITEM_CREATED, item.id(), JournalDetails.ItemCreated.of(item),
        e -> map.put(new MappedItem(item.id(), item.folderId(), item.mailboxGuid(), item.uidValidity(), item.uid(),
            item.messageGuid(), item.digest(), item.size(), item.flags(), item.tags(), item.receivedAt(),
            item.subject(), item.from(), item.to(), e.seq(), e.time())));
  }

  /** An awaiting item with this digest in {@code folderId} and of this size; removed from {@code same}. */
  private static Item claimAwaited(Deque<Item> same, int folderId, long size) {
    if (same == null) {
      return null;
    }
    for (Item i : same) {
      if (i.folderId() == folderId && i.size() == size) {
        same.remove(i);
        return i;
      }
    }
    return null;
  }

  /**
   * A message a blob restore APPENDed for an awaiting item whose id map was not saved after (the
   * worker died in between): it is that item, under its id, as {@link AwaitedContent} would have
   * recorded it; no item is created, and flags changed on the server since are journalled.
   */
  private static void arrived(ChangeSet changes, AccountMap map, MappedItem read, Item appended, Arrival a) {
    MappedItem asAwaited = read.as(appended.id(), appended.folderId(), appended.flags(), appended.tags(),
        appended.modSeq(), appended.modifiedAt());
    changes.afterJournal(() -> map.arrived(asAwaited));
    flagChanges(changes, map, asAwaited, a.meta());
  }

  /** A backed-up item with this digest, one in {@code folderId} first; removed from {@code same}. */
  private static BackedUpItem claim(Deque<BackedUpItem> same, int folderId) {
    if (same == null || same.isEmpty()) {
      return null;
    }
    for (BackedUpItem s : same) {
      if (s.folderId() == folderId) {
        same.remove(s);
        return s;
      }
    }
    return same.poll();
  }

  /**
   * A message of a rebuilt map that matches a backed-up item: it takes the item's id, and what
   * changed since the backup recorded it is journalled as for a known item.
   */
  private static void rebuilt(ChangeSet changes, AccountMap map, MappedItem read, BackedUpItem was, Arrival a) {
    MappedItem asBackedUp = read.as(was.id(), was.folderId(), was.flags(), was.tags(), was.seq(), was.since());
    changes.afterJournal(() -> map.put(asBackedUp));
    moveChange(changes, map, asBackedUp, a);
  }

  /** A map entry for a message read from the server; {@code modSeq} is set when it is journalled. */
  static MappedItem mapped(int id, int folderId, MailboxStatus st, MessageMeta meta, byte[] wire) {
    if (wire.length != meta.size()) {
      throw ErrorCode.IO_ERROR.exception("message UID " + meta.uid() + " in " + st.name() + " came back with "
          + wire.length + " bytes but RFC822.SIZE says " + meta.size());
    }
    HeaderSummary h = HeaderSummary.of(wire);
    return new MappedItem(id, folderId, st.guid(), st.uidValidity(), meta.uid(), meta.guid(),
        BlobCodec.sha256(wire), wire.length, meta.systemFlags(), ImapFlags.tags(meta.keywords()),
        Objects.requireNonNullElse(meta.internalDate(), Instant.EPOCH), h.subject(), h.from(), h.to(), 0, null);
  }
}
