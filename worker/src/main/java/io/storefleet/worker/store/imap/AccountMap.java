package io.storefleet.worker.store.imap;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Item;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One account's id map on the worker's disk: the item ids storefleet gave the account's messages
 * (by mailbox GUID, UIDVALIDITY, UID and X-GUID) and the last status seen of each mailbox. Folder
 * ids and the account id live on the server (METADATA); this file only caches them. When it is
 * lost, item ids come back from the last backup ({@link #rebuildFrom}); new ids start above every
 * id the journal and the backup name. On disk as a base file and a log of changes
 * ({@link AccountMapFile}): a save appends what changed since the last one. A save after a journal
 * commit is not forced ({@link #saveAfterJournal}): the map names the journal sequence it covers,
 * and a map that lags the journal after a crash is healed from the entries after it ({@link #heal}).
 */
final class AccountMap {
  /** Last status seen of one mailbox, to skip unchanged ones (CONDSTORE). */
  record MailboxMark(int folderId, String name, long uidValidity, long highestModSeq) {}

  private final AccountMapFile file;
  /** What the disk holds (as of the last load or save); null: nothing yet, the first save writes the whole map. */
  private MapDelta.State onDisk;
  private int nextId;
  private final TreeMap<String, MailboxMark> mailboxes;
  private final TreeMap<Integer, MappedItem> items;
  /** The backup's items of a map rebuilt or restarted, until a pass matched them (kept by {@link #restartIn}). */
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
  /** The journal place whose entries the map holds up to; null in a map that never named it. */
  private JournalPlace journal;
  static final long UNKNOWN = -1;

  private AccountMap(Path file, int nextId, Map<String, MailboxMark> mailboxes, Map<Integer, MappedItem> items) {
    this.file = new AccountMapFile(file);
    this.nextId = nextId;
    this.mailboxes = new TreeMap<>(mailboxes);
    this.items = new TreeMap<>(items);
  }

  /** The base file; {@code generation} 0 in a map written before the log existed (no record follows it). */
  private record Stored(long generation, int nextId, Map<String, MailboxMark> mailboxes, List<MappedItem> items,
      List<Grant> grants, MailboxMark lazyExpunge, List<Item> awaiting, JournalPlace journal,
      List<BackedUpItem> priors) {
    @JsonCreator
    Stored(@JsonProperty("generation") long generation, @JsonProperty("nextId") int nextId,
        @JsonProperty("mailboxes") Map<String, MailboxMark> mailboxes,
        @JsonProperty("items") List<MappedItem> items, @JsonProperty("grants") List<Grant> grants,
        @JsonProperty("lazyExpunge") MailboxMark lazyExpunge, @JsonProperty("awaiting") List<Item> awaiting,
        @JsonProperty("journal") JournalPlace journal, @JsonProperty("priors") List<BackedUpItem> priors) {
      this.generation = generation;
      this.priors = priors == null ? List.of() : priors;
      this.journal = journal;
      this.lazyExpunge = lazyExpunge;
      this.awaiting = awaiting == null ? List.of() : awaiting;
      this.nextId = nextId;
      this.mailboxes = mailboxes == null ? Map.of() : mailboxes;
      this.items = items == null ? List.of() : items;
      this.grants = grants == null ? List.of() : grants;
    }
  }

  /**
   * The map in {@code file} with the records of its log applied, or an empty one if there is no
   * base file (a log without one is ignored, and dropped by the first save).
   */
  static AccountMap load(Path file) {
    if (!Files.exists(file)) {
      return new AccountMap(file, Folder.FIRST_USER_ID, Map.of(), Map.of());
    }
    AccountMap map;
    try {
      Stored s = Json.MAPPER.readValue(file.toFile(), Stored.class);
      Map<Integer, MappedItem> byId = new TreeMap<>();
      s.items().forEach(i -> byId.put(i.id(), i));
      map = new AccountMap(file, s.nextId(), s.mailboxes(), byId);
      map.grants = List.copyOf(s.grants());
      map.lazyExpunge = s.lazyExpunge();
      s.awaiting().forEach(i -> map.awaiting.put(i.id(), i));
      map.journal = s.journal();
      map.priors = List.copyOf(s.priors());
      // Records that are not forced must follow a base that names its journal sequence, or a lost
      // one could not be healed: after a base written before it did, every record is forced.
      map.file.loaded(s.generation(), s.journal() != null);
    } catch (IOException e) {
      throw new AccountMapFile(file).unreadable(e);
    }
    map.file.records().forEach(map::apply);
    // An item both mapped and awaiting was appended just before a crash: the mapped one is true.
    map.awaiting.keySet().removeIf(map.items::containsKey);
    map.onDisk = map.state();
    return map;
  }

  /** An empty map that replaces whatever {@code file} holds on its first save. */
  static AccountMap empty(Path file) {
    return new AccountMap(file, Folder.FIRST_USER_ID, Map.of(), Map.of());
  }

  /** Whether there is a saved map in {@code file}. */
  static boolean exists(Path file) {
    return Files.exists(file);
  }

  /** Removes the saved map in {@code file}, its log included. */
  static void delete(Path file) throws IOException {
    new AccountMapFile(file).delete();
  }

  private MapDelta.State state() {
    return new MapDelta.State(nextId, new HashMap<>(mailboxes), new HashMap<>(items), grants, lazyExpunge,
        new HashMap<>(awaiting), journal);
  }

  private void apply(MapDelta d) {
    nextId = Math.max(nextId, d.nextId());
    mailboxes.putAll(d.marks());
    d.marksRemoved().forEach(mailboxes::remove);
    d.items().forEach(i -> items.put(i.id(), i));
    d.removed().forEach(items::remove);
    if (d.grants() != null) {
      grants = List.copyOf(d.grants());
    }
    if (d.lazyExpunge() != null) {
      lazyExpunge = d.lazyExpunge();
    }
    d.awaiting().forEach(i -> awaiting.put(i.id(), i));
    d.awaitingRemoved().forEach(awaiting::remove);
    if (d.journal() != null) {
      journal = d.journal();
    }
  }

  /** The last journal sequence whose entries the map holds, or {@link #UNKNOWN}. */
  long journalSeq() {
    return journal == null ? UNKNOWN : journal.seq();
  }

  /** The journal place the map holds the entries up to, or null in a map that never named it. */
  JournalPlace journalPlace() {
    return journal;
  }

  /** Notes that the map holds what the journal's entries up to {@code place} did to it. */
  void journalled(JournalPlace place) {
    journal = place;
  }

  /**
   * Replays the journal's entries of this account after {@link #journalSeq} that a lost save held
   * ({@link MapHealing}); the next save writes what they changed, as the lost one would have.
   */
  void heal(List<io.storefleet.worker.store.JournalEntry> after) {
    MapHealing.apply(this, after);
    if (!after.isEmpty()) {
      journal = JournalPlace.of(after.get(after.size() - 1));
    }
  }

  /**
   * Makes a new map for an account whose map was lost: its messages take the ids of the backup's
   * items with the same digest on the first pass, and new ids start above the backup's.
   */
  void rebuildFrom(List<BackedUpItem> backedUp) {
    priors = List.copyOf(backedUp);
    backedUp.forEach(i -> seen(i.id()));
  }

  /**
   * Takes up a journal whose history is not the one the map followed ({@link MapHealing#catchUp}):
   * every mailbox is compared in full by the next pass (its HIGHESTMODSEQ mark zeroed; folder ids
   * and names kept: messages keep their ids by place and X-GUID), the backup's items the map does not hold
   * (records lost with the journal) are matched by digest as in a rebuilt map. All is written at
   * once, forced, naming {@code place}: a lost save of the next pass is then healed as usual.
   */
  void restartIn(JournalPlace place, List<BackedUpItem> backedUp) {
    mailboxes.replaceAll((key, m) -> new MailboxMark(m.folderId(), m.name(), m.uidValidity(), 0));
    rebuildFrom(backedUp.stream().filter(i -> !items.containsKey(i.id()) && !awaiting.containsKey(i.id())).toList());
    journal = place;
    rewrite();
  }

  /**
   * The backup's items not matched yet (see {@link #rebuildFrom}); one the map holds now (healed
   * from a pass whose save was lost) is matched.
   */
  List<BackedUpItem> priors() {
    return priors.stream().filter(i -> !items.containsKey(i.id()) && !awaiting.containsKey(i.id())).toList();
  }

  /** Called once the first pass after a rebuild is journalled: what it did not match was deleted meanwhile. */
  void priorsMatched() {
    if (!priors.isEmpty()) {
      // The base may hold them (a restart's): only a rewrite drops them there.
      file.rewriteOnNextSave();
    }
    priors = List.of();
  }

  /**
   * Writes what changed since the map was last read or written: one record appended to its log
   * and forced, or the whole map when there is none yet or the log has grown as large as it.
   */
  void save() {
    save(true);
  }

  /**
   * A save of changes the journal committed just before: its record is written but not forced (a
   * killed process keeps it; a power loss may not). What it held is healed from the journal on
   * the next load ({@link #heal}: items and their ids), or found again by the next pass as after a
   * failed save (mailbox marks, grants: the changes since are read and journalled again).
   * Compactions are still forced: they replace the base.
   */
  void saveAfterJournal() {
    save(false);
  }

  /**
   * Forces the map to disk before a journal commit when a {@code \Noselect} placeholder has an id
   * no save holds: only a child's entry names it, and a lost save would give it another.
   */
  void saveNewPlaceholders() {
    if (mailboxes.keySet().stream().anyMatch(k -> FolderMapping.placeholder(k)
        && (onDisk == null || !onDisk.marks().containsKey(k)))) {
      save(true);
    }
  }

  private void save(boolean force) {
    MapDelta.State now = state();
    try {
      if (onDisk != null) {
        MapDelta d = MapDelta.between(onDisk, now, file.generation());
        if (d != null && d.isEmpty(onDisk.nextId(), onDisk.journal())) {
          return;
        }
        String record = d == null ? null : Json.MAPPER.writeValueAsString(d.forced(force));
        if (record != null && file.appendable(record)) {
          file.append(record, force);
          onDisk = now;
          return;
        }
      }
    } catch (IOException e) {
      throw ErrorCode.INTERNAL.exception("cannot encode a change of the id map " + file.base() + ": " + e.getMessage());
    }
    rewrite();
  }

  /** Writes the whole map over the base, forced, and empties the log ({@link AccountMapFile#compact}). */
  private void rewrite() {
    MapDelta.State now = state();
    List<MappedItem> all = new ArrayList<>(items.values());
    List<Item> waiting = new ArrayList<>(awaiting.values());
    file.compact(generation -> {
      try {
        return Json.MAPPER.writeValueAsString(new Stored(generation, nextId, mailboxes, all, grants, lazyExpunge,
            waiting, journal, priors));
      } catch (IOException e) {
        throw ErrorCode.INTERNAL.exception("cannot encode the id map " + file.base() + ": " + e.getMessage());
      }
    });
    onDisk = now;
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
    if (!priors.isEmpty()) {
      // A backed-up item deleted (a healed entry of a first pass that did not save): not a prior any more.
      priors = priors.stream().filter(i -> i.id() != id).toList();
    }
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
