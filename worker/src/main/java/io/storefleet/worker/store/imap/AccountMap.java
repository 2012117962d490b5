package io.storefleet.worker.store.imap;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.log.AppendLog;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Item;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One account's id map on the worker's disk: the item ids storefleet gave the account's messages
 * (by mailbox GUID, UIDVALIDITY, UID and X-GUID) and the last status seen of each mailbox. Folder
 * ids and the account id live on the server (METADATA); this file only caches them. When it is
 * lost, item ids come back from the last backup ({@link #rebuildFrom}); new ids start above every
 * id the journal and the backup name. Written whole, renamed into place and the folder synced, so a crash leaves the old or the
 * new map.
 */
final class AccountMap {
  /** Last status seen of one mailbox, to skip unchanged ones (CONDSTORE). */
  record MailboxMark(int folderId, String name, long uidValidity, long highestModSeq) {}

  private final Path file;
  private String saved = "";
  private int nextId;
  private final TreeMap<String, MailboxMark> mailboxes;
  private final TreeMap<Integer, MappedItem> items;
  /** The backup's items of a map rebuilt after loss, until the first pass has matched them (never saved). */
  private List<BackedUpItem> priors = List.of();
  /** The grants the account's ACLs gave when they were last read. */
  private List<Grant> grants = List.of();
  /** The lazy_expunge mailbox's status at the last pass (UIDVALIDITY 0: it did not exist), null before the first. */
  private MailboxMark lazyExpunge;
  /**
   * Items a raw restore created whose messages are not on the server yet (IMAP holds no message
   * without its content): live items for the SPI, never seen by a reconcile pass, until a blob
   * restore APPENDs them and they become mapped items under the same id.
   */
  private final TreeMap<Integer, Item> awaiting = new TreeMap<>();

  private AccountMap(Path file, int nextId, Map<String, MailboxMark> mailboxes, Map<Integer, MappedItem> items) {
    this.file = file;
    this.nextId = nextId;
    this.mailboxes = new TreeMap<>(mailboxes);
    this.items = new TreeMap<>(items);
  }

  private record Stored(int nextId, Map<String, MailboxMark> mailboxes, List<MappedItem> items, List<Grant> grants,
      MailboxMark lazyExpunge, List<Item> awaiting) {
    @JsonCreator
    Stored(@JsonProperty("nextId") int nextId, @JsonProperty("mailboxes") Map<String, MailboxMark> mailboxes,
        @JsonProperty("items") List<MappedItem> items, @JsonProperty("grants") List<Grant> grants,
        @JsonProperty("lazyExpunge") MailboxMark lazyExpunge, @JsonProperty("awaiting") List<Item> awaiting) {
      this.lazyExpunge = lazyExpunge;
      this.awaiting = awaiting == null ? List.of() : awaiting;
      this.nextId = nextId;
      this.mailboxes = mailboxes == null ? Map.of() : mailboxes;
      this.items = items == null ? List.of() : items;
      this.grants = grants == null ? List.of() : grants;
    }
  }

  /** The map in {@code file}, or an empty one if there is none. */
  static AccountMap load(Path file) {
    if (!Files.exists(file)) {
      return new AccountMap(file, Folder.FIRST_USER_ID, Map.of(), Map.of());
    }
    try {
      Stored s = Json.MAPPER.readValue(file.toFile(), Stored.class);
      Map<Integer, MappedItem> byId = new TreeMap<>();
      s.items().forEach(i -> byId.put(i.id(), i));
      AccountMap map = new AccountMap(file, s.nextId(), s.mailboxes(), byId);
      map.grants = List.copyOf(s.grants());
      map.lazyExpunge = s.lazyExpunge();
      // An item both mapped and awaiting was appended just before a crash: the mapped one is true.
      s.awaiting().stream().filter(i -> !byId.containsKey(i.id())).forEach(i -> map.awaiting.put(i.id(), i));
      map.saved = Files.readString(file);
      return map;
    } catch (IOException e) {
      throw ErrorCode.IO_ERROR.exception("the imap store's id map " + file + " is unreadable (" + e.getMessage()
          + "); move it away: the next scan rebuilds it with new item ids");
    }
  }

  /** An empty map that replaces whatever {@code file} holds on its first save. */
  static AccountMap empty(Path file) {
    AccountMap map = new AccountMap(file, Folder.FIRST_USER_ID, Map.of(), Map.of());
    map.saved = null;
    return map;
  }

  /** Whether there is a saved map in {@code file}. */
  static boolean exists(Path file) {
    return Files.exists(file);
  }

  /**
   * Makes a new map for an account whose map was lost: its messages take the ids of the backup's
   * items with the same digest on the first pass, and new ids start above the backup's.
   */
  void rebuildFrom(List<BackedUpItem> backedUp) {
    priors = List.copyOf(backedUp);
    backedUp.forEach(i -> seen(i.id()));
  }

  /** The backup's items not matched yet (see {@link #rebuildFrom}). */
  List<BackedUpItem> priors() {
    return priors;
  }

  /** Called once the first pass after a rebuild is journalled: what it did not match was deleted meanwhile. */
  void priorsMatched() {
    priors = List.of();
  }

  /** Writes the map if it changed since it was last read or written. */
  void save() {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      String text = Json.MAPPER.writeValueAsString(new Stored(nextId, mailboxes, new ArrayList<>(items.values()), grants, lazyExpunge,
          new ArrayList<>(awaiting.values())));
      if (text.equals(saved)) {
        return;
      }
      Files.createDirectories(file.getParent());
      Files.writeString(tmp, text);
      try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      AppendLog.syncDirectory(file.getParent());
      saved = text;
    } catch (IOException e) {
      throw ErrorCode.IO_ERROR.exception("cannot write the imap store's id map " + file + ": " + e.getMessage());
    }
  }

  /** A new id, above every id seen (folder ids included). */
  int newId() {
    return nextId++;
  }

  /** Keeps the next id above one the server holds (a folder id from METADATA). */
  void seen(int id) {
    if (id >= nextId) {
      nextId = id + 1;
    }
  }

  Map<String, MailboxMark> mailboxes() {
    return mailboxes;
  }

  List<MappedItem> items() {
    return new ArrayList<>(items.values());
  }

  List<MappedItem> items(int folderId) {
    return items.values().stream().filter(i -> i.folderId() == folderId).toList();
  }

  /** The items with higher ids, in id order. */
  Iterable<MappedItem> itemsAfter(int id) {
    return items.tailMap(id, false).values();
  }

  /** The items with lower ids, highest first. */
  Iterable<MappedItem> itemsBefore(int id) {
    return items.headMap(id, false).descendingMap().values();
  }

  Optional<MappedItem> item(int id) {
    return Optional.ofNullable(items.get(id));
  }

  void put(MappedItem item) {
    items.put(item.id(), item);
    seen(item.id());
  }

  void remove(int id) {
    items.remove(id);
  }

  /** The items awaiting their content, in id order (see {@link #awaiting}). */
  List<Item> awaiting() {
    return new ArrayList<>(awaiting.values());
  }

  Optional<Item> awaiting(int id) {
    return Optional.ofNullable(awaiting.get(id));
  }

  /** Records an item a raw restore created without its content. */
  void await(Item item) {
    awaiting.put(item.id(), item);
    seen(item.id());
  }

  /** The message of an awaiting item is on the server now: it is a mapped item under the same id. */
  void arrived(MappedItem item) {
    awaiting.remove(item.id());
    put(item);
  }

  /** Every live item: the mapped ones and those awaiting their content, in id order. */
  List<Item> liveItems() {
    TreeMap<Integer, Item> all = new TreeMap<>(awaiting);
    items.values().forEach(i -> all.put(i.id(), i.item()));
    return new ArrayList<>(all.values());
  }

  /** Whether an id is an item's (mapped or awaiting) or a folder's the map knows. */
  boolean idTaken(int id) {
    return items.containsKey(id) || awaiting.containsKey(id)
        || mailboxes.values().stream().anyMatch(m -> m.folderId() == id);
  }

  List<Grant> grants() {
    return grants;
  }

  void grants(List<Grant> now) {
    grants = List.copyOf(now);
  }

  MailboxMark lazyExpunge() {
    return lazyExpunge;
  }

  void lazyExpunge(MailboxMark mark) {
    lazyExpunge = mark;
  }

  /** Whether an item of the map has this X-GUID. */
  boolean hasMessage(String messageGuid) {
    return items.values().stream().anyMatch(i -> i.messageGuid().equals(messageGuid));
  }

  long lastItemChange() {
    return items.values().stream().mapToLong(MappedItem::modSeq).max().orElse(0);
  }
}
