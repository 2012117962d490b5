package io.storefleet.worker.store.local;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.DistributionList;
import io.storefleet.worker.store.Domain;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.MailboxSnapshot;
import io.storefleet.worker.store.MissingContent;
import io.storefleet.worker.store.Mountpoint;
import io.storefleet.worker.store.Mutation;
import io.storefleet.worker.store.Volume;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The embedded {@code local} store. Layout of its directory:
 *
 * <pre>
 * journal.log            one JSON {@link JournalEntry} per record ({@link io.storefleet.worker.log.AppendLog})
 * blobs/ab/abcd...       item contents, named by SHA-256, each stored once: volume 1
 * </pre>
 *
 * <p>Items created by a raw restore have no content file until a blob restore writes it.
 *
 * <p>The journal is the truth: opening replays it into memory. A mutation checks everything
 * first, so that a failure changes nothing, then writes contents, then appends its entries with
 * one sync, then applies them. One lock serializes every call.
 */
public final class LocalMailStore implements MailStore {
  private final ReentrantLock lock = new ReentrantLock();
  private final StoreState state;
  private final Journal journal;
  private final StoreContext ctx;
  private final Provisioning provisioning;
  private final MailboxEdits edits;
  private final Sharing sharing;
  private final RawRestores restores;
  private final ContentVolume volume;

  private LocalMailStore(StoreState state, Journal journal, Path dir) {
    this.state = state;
    this.journal = journal;
    this.ctx = new StoreContext(state, journal);
    this.provisioning = new Provisioning(ctx);
    this.edits = new MailboxEdits(ctx);
    this.sharing = new Sharing(ctx);
    this.restores = new RawRestores(ctx);
    this.volume = new ContentVolume(lock, ctx, journal.blobs(), dir.resolve("blobs"));
  }

  /** Opens (creating if needed) the store in {@code dir}; {@code clock} stamps journal entries. */
  public static LocalMailStore open(Path dir, Clock clock) throws IOException {
    StoreState state = new StoreState();
    LocalMailStore store = new LocalMailStore(state, Journal.open(dir, clock, state), dir);
    if (state.lastSequence() == 0) {
      store.ctx.commit(new Change(Mutation.COS_CREATED, null, 0, new Details.CosState(StoreContext.uuid(), "default", "")));
    }
    return store;
  }

  @Override
  public String kind() {
    return "local";
  }

  // ---- provisioning

  @Override
  public List<Domain> domains() {
    return locked(() -> state.directory().domains());
  }

  @Override
  public Domain createDomain(String name) {
    return locked(() -> provisioning.createDomain(name));
  }

  @Override
  public void deleteDomain(String name) {
    locked(() -> provisioning.deleteDomain(name));
  }

  @Override
  public List<Cos> coses() {
    return locked(() -> state.directory().coses());
  }

  @Override
  public Optional<Cos> cos(String name) {
    return name == null ? Optional.empty() : locked(() -> state.directory().cos(name));
  }

  @Override
  public Cos createCos(String name, String notes) {
    return locked(() -> provisioning.createCos(name, notes));
  }

  @Override
  public Cos setCosNotes(String name, String notes) {
    return locked(() -> provisioning.setCosNotes(name, notes));
  }

  @Override
  public void deleteCos(String name) {
    locked(() -> provisioning.deleteCos(name));
  }

  @Override
  public List<Account> accounts() {
    return locked(() -> state.directory().accounts());
  }

  @Override
  public Optional<Account> account(String nameOrId) {
    return nameOrId == null ? Optional.empty() : locked(() -> state.directory().account(nameOrId));
  }

  @Override
  public Account createAccount(String name, String cos, Map<String, String> attributes) {
    return locked(() -> provisioning.createAccount(name, cos, attributes));
  }

  @Override
  public void deleteAccount(String accountId) {
    locked(() -> provisioning.deleteAccount(accountId));
  }

  @Override
  public Account addAlias(String accountId, String alias) {
    return locked(() -> provisioning.addAlias(accountId, alias));
  }

  @Override
  public List<DistributionList> distributionLists() {
    return locked(() -> state.directory().lists());
  }

  @Override
  public DistributionList createDistributionList(String name, List<String> members) {
    return locked(() -> provisioning.createDistributionList(name, members));
  }

  @Override
  public void deleteDistributionList(String name) {
    locked(() -> provisioning.deleteDistributionList(name));
  }

  // ---- mailboxes

  @Override
  public List<Folder> folders(String accountId) {
    return locked(() -> ctx.mailbox(accountId).box().folders());
  }

  @Override
  public Optional<Folder> folder(String accountId, String path) {
    return locked(() -> {
      Mailbox box = ctx.mailbox(accountId).box();
      List<String> names = Names.path(path);
      return box.folder("/" + String.join("/", names));
    });
  }

  @Override
  public Folder createFolder(String accountId, String path, String view) {
    return locked(() -> edits.createFolder(accountId, path, view));
  }

  @Override
  public List<Item> items(String accountId) {
    return locked(() -> ctx.mailbox(accountId).box().items());
  }

  @Override
  public int itemCount(String accountId) {
    return locked(() -> ctx.mailbox(accountId).box().itemCount());
  }

  @Override
  public List<Item> items(String accountId, int folderId) {
    return locked(() -> {
      Owned o = ctx.mailbox(accountId);
      return o.box().items(o.requireFolder(folderId).id());
    });
  }

  @Override
  public Optional<Item> item(String accountId, int itemId) {
    return locked(() -> ctx.mailbox(accountId).box().item(itemId));
  }

  @Override
  public byte[] content(String accountId, int itemId) {
    Item i = locked(() -> ctx.mailbox(accountId).requireItem(itemId));
    // Content files never change once written, so reading one needs no lock.
    return journal.blobs().read(i.digest(), i.size());
  }

  @Override
  public MailboxSnapshot snapshot(String accountId) {
    return locked(() -> {
      Owned o = ctx.mailbox(accountId);
      return new MailboxSnapshot(o.account(), state.lastSequence(), o.box().folders(), o.box().items(), o.box().grants());
    });
  }

  /** Content files are never deleted, so every digest ever committed can be read back. */
  @Override
  public Optional<byte[]> retainedContent(String digest, long size) {
    try {
      return Optional.of(journal.blobs().read(digest, size));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<Item> addMessages(
      String accountId, int folderId, List<byte[]> raws, Set<String> flags, Set<String> tags) {
    if (raws == null) {
      throw ErrorCode.BAD_VALUE.exception("no message list given to add to folder " + folderId);
    }
    // Hashing and header parsing need no lock: do them before taking it.
    List<NewContent> contents = new ArrayList<>(raws.size());
    for (int i = 0; i < raws.size(); i++) {
      if (raws.get(i) == null) {
        throw ErrorCode.BAD_VALUE.exception("message " + (i + 1) + " of " + raws.size() + " has no content");
      }
      contents.add(NewContent.message(raws.get(i), null));
    }
    return locked(() -> edits.add(accountId, folderId, ItemType.MESSAGE, contents, Names.flags(flags), Names.tags(tags)));
  }

  @Override
  public Item addItem(String accountId, int folderId, ItemType type, byte[] raw, String subject) {
    if (type == null || raw == null) {
      throw ErrorCode.BAD_VALUE.exception("an item needs a type and a content (folder " + folderId + ")");
    }
    NewContent c = type == ItemType.MESSAGE ? NewContent.message(raw, subject) : NewContent.other(raw, subject);
    return locked(() -> edits.add(accountId, folderId, type, List.of(c), Set.of(), Set.of()).get(0));
  }

  @Override
  public Item moveItem(String accountId, int itemId, int folderId) {
    return locked(() -> edits.move(accountId, itemId, folderId));
  }

  @Override
  public Item setFlags(String accountId, int itemId, Set<String> flags) {
    return locked(() -> edits.setFlags(accountId, itemId, flags));
  }

  @Override
  public Item setTags(String accountId, int itemId, Set<String> tags) {
    return locked(() -> edits.setTags(accountId, itemId, tags));
  }

  @Override
  public void deleteItem(String accountId, int itemId) {
    locked(() -> edits.delete(accountId, itemId));
  }

  @Override
  public int emptyFolder(String accountId, int folderId) {
    return locked(() -> edits.empty(accountId, folderId));
  }

  // ---- shares

  @Override
  public Grant grant(String ownerId, int folderId, String granteeId, String granteeName, String rights) {
    return locked(() -> sharing.grant(ownerId, folderId, granteeId, granteeName, rights));
  }

  @Override
  public void revoke(String ownerId, int folderId, String granteeId) {
    locked(() -> sharing.revoke(ownerId, folderId, granteeId));
  }

  @Override
  public List<Grant> grants(String accountId) {
    return locked(() -> ctx.mailbox(accountId).box().grants());
  }

  @Override
  public Folder mount(String granteeId, String path, Mountpoint target) {
    return locked(() -> sharing.mount(granteeId, path, target));
  }

  @Override
  public Folder repointMountpoint(String accountId, int folderId, Mountpoint target) {
    return locked(() -> sharing.repoint(accountId, folderId, target));
  }

  // ---- change journal

  @Override
  public long lastSequence() {
    return locked(state::lastSequence);
  }

  /** Also answers for a deleted account: its last change is its deletion. */
  @Override
  public long lastChange(String accountId) {
    if (accountId == null) {
      return 0;
    }
    return locked(() -> state.lastChange(
        state.directory().account(accountId).map(Account::id).orElse(Directory.key(accountId))));
  }

  @Override
  public List<JournalEntry> journal(long fromSeq, int limit) {
    if (limit < 0) {
      throw ErrorCode.BAD_VALUE.exception("journal limit " + limit + " is negative; give 0 or more");
    }
    return locked(() -> journal.read(fromSeq, limit));
  }

  @Override
  public void addListener(Consumer<JournalEntry> listener) {
    if (listener == null) {
      throw ErrorCode.BAD_VALUE.exception("a journal listener is required");
    }
    journal.addListener(listener);
  }

  // ---- raw restore

  @Override
  public Domain restoreDomain(Domain domain) {
    return locked(() -> restores.domain(domain));
  }

  @Override
  public Cos restoreCos(Cos cos) {
    return locked(() -> restores.cos(cos));
  }

  @Override
  public DistributionList restoreDistributionList(DistributionList list) {
    return locked(() -> restores.list(list));
  }

  @Override
  public Account restoreAccount(Account account) {
    return locked(() -> restores.account(account));
  }

  @Override
  public Folder restoreFolder(String accountId, Folder folder) {
    return locked(() -> restores.folder(accountId, folder));
  }

  @Override
  public List<Item> restoreItems(String accountId, List<Item> items) {
    return locked(() -> restores.items(accountId, items));
  }

  @Override
  public long advanceJournal(long past) {
    return locked(() -> restores.advance(past));
  }

  // ---- volumes

  @Override
  public List<Volume> volumes() {
    return volume.volumes();
  }

  @Override
  public List<MissingContent> missingContent(int volumeId) {
    return volume.missing(volumeId);
  }

  @Override
  public Set<String> restoreContent(int volumeId, Map<String, byte[]> contents) {
    return volume.restore(volumeId, contents);
  }

  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      journal.close();
    } finally {
      lock.unlock();
    }
  }

  private <T> T locked(Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  private void locked(Runnable action) {
    lock.lock();
    try {
      action.run();
    } finally {
      lock.unlock();
    }
  }
}
