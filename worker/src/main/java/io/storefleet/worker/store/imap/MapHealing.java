package io.storefleet.worker.store.imap;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import io.storefleet.worker.store.JournalEntry;
import java.util.List;
import java.util.function.Supplier;

/**
 * Gives an id map what the journal's entries did to its items, for a map whose saves after them
 * were lost (they are not forced: {@link AccountMap#saveAfterJournal}). Each entry does what the
 * pass or edit that journalled it did to the map, with the same sequence and time, so the items
 * come out as the lost save held them, ids included: a message created is mapped at the place its
 * entry names (mailbox GUID, UIDVALIDITY, UID, X-GUID), one moved goes to its new place, flags,
 * tags and deletions are set. Every step sets whole values, so replaying an entry the map already
 * holds changes nothing. What no entry carries (mailbox marks, grants, a renumbering after a
 * UIDVALIDITY change) lags instead, and the next pass finds it again from the older marks; a
 * placeholder's id, which it could not find again, is forced before an entry names it
 * ({@link AccountMap#saveNewPlaceholders}).
 */
final class MapHealing {
  private MapHealing() {}

  /**
   * Brings a map just read up to the journal. When the journal passed through the map's place, the
   * account's entries after it are replayed (none read when the account has none there). Otherwise
   * the journal is not the one the map followed (lost, or restored from an older copy): its entries
   * are another history, and replaying them would undo moves and bring deleted items back. The map
   * is then compared in full with the server by the next pass instead, and the backup's items it
   * lacks (records lost with the journal) keep their ids ({@link AccountMap#restartIn}).
   */
  static void catchUp(AccountMap map, String accountId, ImapJournal journal,
      Supplier<List<BackedUpItem>> backedUp) {
    JournalPlace place = map.journalPlace();
    if (place == null) {
      // Written before maps named their place in the journal (every save forced): nothing to heal.
      map.journalled(JournalPlace.current(journal));
    } else if (place.in(journal)) {
      if (journal.lastChange(accountId) > place.seq()) {
        map.heal(journal.entriesAfter(accountId, place.seq()));
      }
    } else {
      map.restartIn(JournalPlace.current(journal), backedUp.get());
    }
  }

  static void apply(AccountMap map, List<JournalEntry> entries) {
    for (JournalEntry e : entries) {
      switch (e.type()) {
        case ITEM_CREATED -> created(map, e, detail(e, JournalDetails.ItemCreated.class));
        case ITEM_MOVED -> {
          JournalDetails.ItemMoved d = detail(e, JournalDetails.ItemMoved.class);
          JournalDetails.Place p = d.place();
          if (p != null) {
            map.item(e.itemId()).ifPresent(i -> map.put(i.at(d.folderId(), p.mailboxGuid(), p.uidValidity(), p.uid(),
                e.seq(), e.time())));
          }
        }
        case ITEM_FLAGS_CHANGED -> {
          JournalDetails.ItemFlags d = detail(e, JournalDetails.ItemFlags.class);
          map.item(e.itemId()).ifPresent(i -> map.put(i.withFlags(d.flags(), i.tags(), e.seq(), e.time())));
        }
        case ITEM_TAGS_CHANGED -> {
          JournalDetails.ItemTags d = detail(e, JournalDetails.ItemTags.class);
          map.item(e.itemId()).ifPresent(i -> map.put(i.withFlags(i.flags(), d.tags(), e.seq(), e.time())));
        }
        case ITEM_DELETED -> map.remove(e.itemId());
        case FOLDER_EMPTIED -> detail(e, JournalDetails.FolderEmptied.class).itemIds().forEach(map::remove);
        default -> {
          // Account, folder, grant and mountpoint entries change no item.
        }
      }
    }
  }

  private static void created(AccountMap map, JournalEntry e, JournalDetails.ItemCreated d) {
    JournalDetails.Place p = d.place();
    if (p == null) {
      // A raw restore's item, awaiting its content; one mapped already has its message back.
      if (map.item(e.itemId()).isEmpty()) {
        map.await(new Item(e.itemId(), d.folderId(), ItemType.MESSAGE, d.size(), d.digest(), d.flags(), d.tags(),
            e.seq(), e.time(), d.receivedAt(), d.subject(), d.from(), d.to()));
      }
      return;
    }
    map.put(new MappedItem(e.itemId(), d.folderId(), p.mailboxGuid(), p.uidValidity(), p.uid(), p.messageGuid(),
        d.digest(), d.size(), d.flags(), d.tags(), d.receivedAt(), d.subject(), d.from(), d.to(), e.seq(), e.time()));
  }

  private static <T> T detail(JournalEntry e, Class<T> type) {
    try {
      return Json.MAPPER.treeToValue(e.detail(), type);
    } catch (JsonProcessingException ex) {
      throw ErrorCode.IO_ERROR.exception("journal entry " + e.seq() + " (" + e.type() + ") of the imap store has an"
          + " unreadable detail: " + ex.getOriginalMessage());
    }
  }
}
