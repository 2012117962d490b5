package io.storefleet.worker.store.local;

import static io.storefleet.worker.store.Mutation.FOLDER_EMPTIED;
import static io.storefleet.worker.store.Mutation.ITEM_CREATED;
import static io.storefleet.worker.store.Mutation.ITEM_DELETED;
import static io.storefleet.worker.store.Mutation.ITEM_FLAGS_CHANGED;
import static io.storefleet.worker.store.Mutation.ITEM_MOVED;
import static io.storefleet.worker.store.Mutation.ITEM_TAGS_CHANGED;

import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folder and item mutations. Setting what is already there (same folder, flags or tags) commits
 * nothing, so the journal only holds real changes.
 */
final class MailboxEdits {
  private final StoreContext ctx;

  MailboxEdits(StoreContext ctx) {
    this.ctx = ctx;
  }

  Folder createFolder(String accountId, String path, String view) {
    Owned o = ctx.mailbox(accountId);
    List<String> names = Names.path(path);
    List<Change> changes = new ArrayList<>();
    Folder f = FolderPlan.along(o, names, Names.view(view), changes);
    ctx.commit(changes);
    return o.box().folder(f.id()).orElseThrow();
  }

  /**
   * Adds contents with consecutive ids in one commit (one journal sync however many).
   *
   * @param receivedAt one arrival time per content, null for the commit's time
   */
  /** @param flags, tags one set per content */
  List<Item> add(String accountId, int folderId, ItemType type, List<NewContent> contents, List<Set<String>> flags,
      List<Set<String>> tags, List<Instant> receivedAt) {
    Owned o = ctx.mailbox(accountId);
    Folder f = o.requireWritableFolder(folderId);
    List<Change> changes = new ArrayList<>(contents.size());
    Map<String, byte[]> blobs = new LinkedHashMap<>();
    int id = o.box().nextId();
    for (int k = 0; k < contents.size(); k++) {
      NewContent c = contents.get(k);
      HeaderSummary s = c.summary();
      changes.add(new Change(ITEM_CREATED, o.account().id(), id, new Details.ItemCreated(
          id, f.id(), type, c.raw().length, c.digest(), flags.get(k), tags.get(k), s.subject(), s.from(), s.to(), receivedAt.get(k))));
      blobs.putIfAbsent(c.digest(), c.raw());
      id++;
    }
    ctx.commit(changes, blobs);
    return changes.stream().map(ch -> o.box().item(ch.itemId()).orElseThrow()).toList();
  }

  Item move(String accountId, int itemId, int folderId) {
    Owned o = ctx.mailbox(accountId);
    Item i = o.requireItem(itemId);
    Folder to = o.requireWritableFolder(folderId);
    if (i.folderId() != to.id()) {
      ctx.commit(new Change(ITEM_MOVED, o.account().id(), i.id(), new Details.ItemMoved(i.folderId(), to.id())));
    }
    return o.box().item(i.id()).orElseThrow();
  }

  Item setFlags(String accountId, int itemId, Set<String> flags) {
    Owned o = ctx.mailbox(accountId);
    Item i = o.requireItem(itemId);
    Set<String> fs = Names.flags(flags);
    if (!fs.equals(i.flags())) {
      ctx.commit(new Change(ITEM_FLAGS_CHANGED, o.account().id(), i.id(), new Details.ItemFlags(fs)));
    }
    return o.box().item(i.id()).orElseThrow();
  }

  Item setTags(String accountId, int itemId, Set<String> tags) {
    Owned o = ctx.mailbox(accountId);
    Item i = o.requireItem(itemId);
    Set<String> ts = Names.tags(tags);
    if (!ts.equals(i.tags())) {
      ctx.commit(new Change(ITEM_TAGS_CHANGED, o.account().id(), i.id(), new Details.ItemTags(ts)));
    }
    return o.box().item(i.id()).orElseThrow();
  }

  void delete(String accountId, int itemId) {
    Owned o = ctx.mailbox(accountId);
    Item i = o.requireItem(itemId);
    ctx.commit(new Change(ITEM_DELETED, o.account().id(), i.id(), new Details.ItemDeleted(i.folderId())));
  }

  int empty(String accountId, int folderId) {
    Owned o = ctx.mailbox(accountId);
    Folder f = o.requireFolder(folderId);
    List<Integer> ids = o.box().items(f.id()).stream().map(Item::id).toList();
    if (!ids.isEmpty()) {
      ctx.commit(new Change(FOLDER_EMPTIED, o.account().id(), f.id(), new Details.FolderEmptied(f.id(), ids)));
    }
    return ids.size();
  }
}
