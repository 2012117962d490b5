package io.storefleet.worker.store.local;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.JournalEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One account's folders, items and grants. It changes only by {@link #apply applying} journal
 * entries, so replay at open rebuilds exactly what the live mutations built.
 */
final class Mailbox {
  private final Map<Integer, Folder> folders = new TreeMap<>();
  private final Map<String, Folder> byPath = new HashMap<>();
  private final TreeMap<Integer, Item> items = new TreeMap<>();
  private final Map<Integer, Map<String, Grant>> grants = new TreeMap<>();
  private final String accountId;
  private int nextId = Folder.FIRST_USER_ID;

  Mailbox(String accountId) {
    this.accountId = accountId;
    add(new Folder(Folder.ROOT, Folder.ROOT, "", "/", "message", null));
    system(Folder.INBOX, "Inbox", "message");
    system(Folder.TRASH, "Trash", "message");
    system(Folder.JUNK, "Junk", "message");
    system(Folder.SENT, "Sent", "message");
    system(Folder.DRAFTS, "Drafts", "message");
    system(Folder.CONTACTS, "Contacts", "contact");
    system(Folder.CALENDAR, "Calendar", "appointment");
    system(Folder.TASKS, "Tasks", "task");
    system(Folder.BRIEFCASE, "Briefcase", "document");
  }

  private void system(int id, String name, String view) {
    add(new Folder(id, Folder.ROOT, name, "/" + name, view, null));
  }

  static String pathKey(String path) {
    return path.toLowerCase(Locale.ROOT);
  }

  static String childPath(Folder parent, String name) {
    return parent.id() == Folder.ROOT ? "/" + name : parent.path() + "/" + name;
  }

  // ---- queries

  List<Folder> folders() {
    return List.copyOf(folders.values());
  }

  Optional<Folder> folder(int id) {
    return Optional.ofNullable(folders.get(id));
  }

  Optional<Folder> folder(String path) {
    return Optional.ofNullable(byPath.get(pathKey(path)));
  }

  List<Item> items() {
    return List.copyOf(items.values());
  }

  int itemCount() {
    return items.size();
  }

  List<Item> items(int folderId) {
    List<Item> inFolder = new ArrayList<>();
    for (Item i : items.values()) {
      if (i.folderId() == folderId) {
        inFolder.add(i);
      }
    }
    return inFolder;
  }

  Optional<Item> item(int id) {
    return Optional.ofNullable(items.get(id));
  }

  /** Whether a folder or an item has this id. */
  boolean idTaken(int id) {
    return folders.containsKey(id) || items.containsKey(id);
  }

  List<Grant> grants() {
    List<Grant> all = new ArrayList<>();
    grants.values().forEach(byGrantee -> all.addAll(byGrantee.values()));
    return all;
  }

  Optional<Grant> grant(int folderId, String granteeId) {
    return Optional.ofNullable(grants.getOrDefault(folderId, Map.of()).get(granteeId));
  }

  /** The id the next folder or item gets. */
  int nextId() {
    return nextId;
  }

  // ---- replay

  void apply(JournalEntry e) {
    switch (e.type()) {
      case FOLDER_CREATED, MOUNTPOINT_CREATED -> createFolder(e, JournalCodec.detail(e, Details.FolderCreated.class));
      case FOLDER_EMPTIED -> {
        for (int id : JournalCodec.detail(e, Details.FolderEmptied.class).itemIds()) {
          existing(e, id);
          items.remove(id);
        }
      }
      case ITEM_CREATED -> createItem(e, JournalCodec.detail(e, Details.ItemCreated.class));
      case ITEM_MOVED -> {
        Item i = existing(e, e.itemId());
        int to = JournalCodec.detail(e, Details.ItemMoved.class).folderId();
        existingFolder(e, to);
        items.put(i.id(), changed(i, e, to, i.flags(), i.tags()));
      }
      case ITEM_FLAGS_CHANGED -> {
        Item i = existing(e, e.itemId());
        Set<String> flags = JournalCodec.detail(e, Details.ItemFlags.class).flags();
        items.put(i.id(), changed(i, e, i.folderId(), flags, i.tags()));
      }
      case ITEM_TAGS_CHANGED -> {
        Item i = existing(e, e.itemId());
        Set<String> tags = JournalCodec.detail(e, Details.ItemTags.class).tags();
        items.put(i.id(), changed(i, e, i.folderId(), i.flags(), tags));
      }
      case ITEM_DELETED -> items.remove(existing(e, e.itemId()).id());
      case GRANT_ADDED -> {
        Details.GrantAdded g = JournalCodec.detail(e, Details.GrantAdded.class);
        existingFolder(e, g.folderId());
        grants
            .computeIfAbsent(g.folderId(), k -> new LinkedHashMap<>())
            .put(g.granteeId(), new Grant(accountId, g.folderId(), g.granteeId(), g.granteeName(), g.rights()));
      }
      case GRANT_REMOVED -> {
        Details.GrantRemoved g = JournalCodec.detail(e, Details.GrantRemoved.class);
        Map<String, Grant> byGrantee = grants.getOrDefault(g.folderId(), new HashMap<>());
        if (byGrantee.remove(g.granteeId()) == null) {
          throw corrupt(e, "there is no grant on folder " + g.folderId() + " to " + g.granteeId());
        }
        if (byGrantee.isEmpty()) {
          grants.remove(g.folderId());
        }
      }
      case MOUNTPOINT_CHANGED -> {
        Details.MountpointChanged d = JournalCodec.detail(e, Details.MountpointChanged.class);
        Folder f = existingFolder(e, d.folderId());
        if (!f.isMountpoint()) {
          throw corrupt(e, "folder " + d.folderId() + " is not a mountpoint");
        }
        add(new Folder(f.id(), f.parentId(), f.name(), f.path(), f.view(), d.to()));
      }
      default -> throw corrupt(e, "it is not a mailbox change");
    }
  }

  private void createFolder(JournalEntry e, Details.FolderCreated d) {
    Folder parent = existingFolder(e, d.parentId());
    if (folders.containsKey(d.id())) {
      throw corrupt(e, "folder id " + d.id() + " is taken");
    }
    add(new Folder(d.id(), d.parentId(), d.name(), childPath(parent, d.name()), d.view(), d.mount()));
    nextId = Math.max(nextId, d.id() + 1);
  }

  private void createItem(JournalEntry e, Details.ItemCreated d) {
    existingFolder(e, d.folderId());
    if (items.containsKey(d.id()) || folders.containsKey(d.id())) {
      throw corrupt(e, "item id " + d.id() + " is taken");
    }
    items.put(
        d.id(),
        new Item(d.id(), d.folderId(), d.type(), d.size(), d.digest(), d.flags(), d.tags(), e.seq(),
            e.time(), d.receivedAt() != null ? d.receivedAt() : e.time(), d.subject(), d.from(), d.to()));
    nextId = Math.max(nextId, d.id() + 1);
  }

  private static Item changed(Item i, JournalEntry e, int folderId, Set<String> flags, Set<String> tags) {
    return new Item(i.id(), folderId, i.type(), i.size(), i.digest(), flags, tags, e.seq(), e.time(),
        i.receivedAt(), i.subject(), i.from(), i.to());
  }

  private void add(Folder f) {
    folders.put(f.id(), f);
    byPath.put(pathKey(f.path()), f);
  }

  private Item existing(JournalEntry e, int itemId) {
    Item i = items.get(itemId);
    if (i == null) {
      throw corrupt(e, "item " + itemId + " does not exist");
    }
    return i;
  }

  private Folder existingFolder(JournalEntry e, int folderId) {
    Folder f = folders.get(folderId);
    if (f == null) {
      throw corrupt(e, "folder " + folderId + " does not exist");
    }
    return f;
  }

  private RuntimeException corrupt(JournalEntry e, String why) {
    return ErrorCode.IO_ERROR.exception(
        "journal entry " + e.seq() + " (" + e.type() + ") of account " + accountId + " cannot be applied: "
            + why + "; the journal is inconsistent, restore the store from a backup");
  }
}
