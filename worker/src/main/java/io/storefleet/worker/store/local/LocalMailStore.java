package io.storefleet.worker.store.local;

import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.DistributionList;
import io.storefleet.worker.store.Domain;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.JournalRequests;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.MailboxSnapshot;
import io.storefleet.worker.store.MissingContent;
import io.storefleet.worker.store.Mountpoint;
import io.storefleet.worker.store.Mutation;
import io.storefleet.worker.store.NewMessage;
import io.storefleet.worker.store.Volume;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

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
  private final StoreLock lock = new StoreLock();
  private final StoreState state;
  private final Journal journal;
  private final StoreContext ctx;
  private final Provisioning provisioning;
  private final MailboxEdits edits;
  private final Sharing sharing;
  private final RawRestores restores;
  private final ContentVolume volume;
  private final MailboxReads reads;

  private LocalMailStore(StoreState state, Journal journal, Path dir) {
    this.state = state;
    this.journal = journal;
    this.ctx = new StoreContext(state, journal);
    this.provisioning = new Provisioning(ctx);
    this.edits = new MailboxEdits(ctx);
    this.sharing = new Sharing(ctx);
    this.restores = new RawRestores(ctx);
    this.volume = new ContentVolume(lock, ctx, journal.blobs(), dir.resolve("blobs"));
    this.reads = new MailboxReads(ctx, state);
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
    return lock.call(() -> state.directory().domains());
  }

  @Override
  public Domain createDomain(String name) {
    return lock.call(() -> provisioning.createDomain(name));
  }

  @Override
  public void deleteDomain(String name) {
    lock.run(() -> provisioning.deleteDomain(name));
  }

  @Override
  public List<Cos> coses() {
    return lock.call(() -> state.directory().coses());
  }

  @Override
  public Optional<Cos> cos(String name) {
    return name == null ? Optional.empty() : lock.call(() -> state.directory().cos(name));
  }

  @Override
  public Cos createCos(String name, String notes) {
    return lock.call(() -> provisioning.createCos(name, notes));
  }

  @Override
  public Cos setCosNotes(String name, String notes) {
    return lock.call(() -> provisioning.setCosNotes(name, notes));
  }

  @Override
  public void deleteCos(String name) {
    lock.run(() -> provisioning.deleteCos(name));
  }

  @Override
  public List<Account> accounts() {
    return lock.call(() -> state.directory().accounts());
  }

  @Override
  public Optional<Account> account(String nameOrId) {
    return nameOrId == null ? Optional.empty() : lock.call(() -> state.directory().account(nameOrId));
  }

  @Override
  public Account createAccount(String name, String cos, Map<String, String> attributes) {
    return lock.call(() -> provisioning.createAccount(name, cos, attributes));
  }

  @Override
  public void deleteAccount(String accountId) {
    lock.run(() -> provisioning.deleteAccount(accountId));
  }

  @Override
  public Account addAlias(String accountId, String alias) {
    return lock.call(() -> provisioning.addAlias(accountId, alias));
  }

  @Override
  public List<DistributionList> distributionLists() {
    return lock.call(() -> state.directory().lists());
  }

  @Override
  public DistributionList createDistributionList(String name, List<String> members) {
    return lock.call(() -> provisioning.createDistributionList(name, members));
  }

  @Override
  public void deleteDistributionList(String name) {
    lock.run(() -> provisioning.deleteDistributionList(name));
  }

  // ---- mailboxes

  @Override
  public List<Folder> folders(String accountId) {
    return lock.call(() -> ctx.mailbox(accountId).box().folders());
  }

  @Override
  public Optional<Folder> folder(String accountId, String path) {
    return lock.call(() -> reads.folder(accountId, path));
  }

  @Override
  public Folder createFolder(String accountId, String path, String view) {
    return lock.call(() -> edits.createFolder(accountId, path, view));
  }

  @Override
  public List<Item> items(String accountId) {
    return lock.call(() -> ctx.mailbox(accountId).box().items());
  }

  @Override
  public int itemCount(String accountId) {
    return lock.call(() -> ctx.mailbox(accountId).box().itemCount());
  }

  @Override
  public List<Item> items(String accountId, int folderId) {
    return lock.call(() -> reads.items(accountId, folderId));
  }

  @Override
  public Optional<Item> item(String accountId, int itemId) {
    return lock.call(() -> ctx.mailbox(accountId).box().item(itemId));
  }

  @Override
  public byte[] content(String accountId, int itemId) {
    Item i = lock.call(() -> ctx.mailbox(accountId).requireItem(itemId));
    // Content files never change once written, so reading one needs no lock.
    return journal.blobs().read(i.digest(), i.size());
  }

  @Override
  public MailboxSnapshot snapshot(String accountId) {
    return lock.call(() -> reads.snapshot(accountId));
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
  public List<Item> addMessages(String accountId, int folderId, List<NewMessage> messages) {
    List<NewMessage> given = NewMessage.checked(messages, folderId);
    // Hashing and header parsing need no lock: do them before taking it.
    List<NewContent> contents = given.stream().map(m -> NewContent.message(m.raw(), null)).toList();
    List<Set<String>> flags = given.stream().map(m -> Names.flags(m.flags())).toList();
    List<Set<String>> tags = given.stream().map(m -> Names.tags(m.tags())).toList();
    List<Instant> arrivals = given.stream().map(NewMessage::receivedAt).collect(java.util.stream.Collectors.toList());
    return lock.call(() -> edits.add(accountId, folderId, ItemType.MESSAGE, contents, flags, tags, arrivals));
  }

  @Override
  public Item addItem(String accountId, int folderId, ItemType type, byte[] raw, String subject) {
    NewContent c = NewContent.item(type, raw, subject, folderId);
    return lock.call(() -> edits.add(accountId, folderId, type, List.of(c), List.of(Set.of()), List.of(Set.of()),
        Collections.singletonList(null)).get(0));
  }

  @Override
  public Item moveItem(String accountId, int itemId, int folderId) {
    return lock.call(() -> edits.move(accountId, itemId, folderId));
  }

  @Override
  public Item setFlags(String accountId, int itemId, Set<String> flags) {
    return lock.call(() -> edits.setFlags(accountId, itemId, flags));
  }

  @Override
  public Item setTags(String accountId, int itemId, Set<String> tags) {
    return lock.call(() -> edits.setTags(accountId, itemId, tags));
  }

  @Override
  public void deleteItem(String accountId, int itemId) {
    lock.run(() -> edits.delete(accountId, itemId));
  }

  @Override
  public int emptyFolder(String accountId, int folderId) {
    return lock.call(() -> edits.empty(accountId, folderId));
  }

  // ---- shares

  @Override
  public Grant grant(String ownerId, int folderId, String granteeId, String granteeName, String rights) {
    return lock.call(() -> sharing.grant(ownerId, folderId, granteeId, granteeName, rights));
  }

  @Override
  public void revoke(String ownerId, int folderId, String granteeId) {
    lock.run(() -> sharing.revoke(ownerId, folderId, granteeId));
  }

  @Override
  public List<Grant> grants(String accountId) {
    return lock.call(() -> ctx.mailbox(accountId).box().grants());
  }

  @Override
  public Folder mount(String granteeId, String path, Mountpoint target) {
    return lock.call(() -> sharing.mount(granteeId, path, target));
  }

  @Override
  public Folder repointMountpoint(String accountId, int folderId, Mountpoint target) {
    return lock.call(() -> sharing.repoint(accountId, folderId, target));
  }

  // ---- change journal

  @Override
  public long lastSequence() {
    return lock.call(state::lastSequence);
  }

  /** Also answers for a deleted account: its last change is its deletion. */
  @Override
  public long lastChange(String accountId) {
    if (accountId == null) {
      return 0;
    }
    return lock.call(() -> state.lastChange(
        state.directory().account(accountId).map(Account::id).orElse(Directory.key(accountId))));
  }

  @Override
  public List<JournalEntry> journal(long fromSeq, int limit) {
    int checked = JournalRequests.limit(limit);
    return lock.call(() -> journal.read(fromSeq, checked));
  }

  @Override
  public void addListener(Consumer<JournalEntry> listener) {
    journal.addListener(JournalRequests.listener(listener));
  }

  // ---- raw restore

  @Override
  public Domain restoreDomain(Domain domain) {
    return lock.call(() -> restores.domain(domain));
  }

  @Override
  public Cos restoreCos(Cos cos) {
    return lock.call(() -> restores.cos(cos));
  }

  @Override
  public DistributionList restoreDistributionList(DistributionList list) {
    return lock.call(() -> restores.list(list));
  }

  @Override
  public Account restoreAccount(Account account) {
    return lock.call(() -> restores.account(account));
  }

  @Override
  public Folder restoreFolder(String accountId, Folder folder) {
    return lock.call(() -> restores.folder(accountId, folder));
  }

  @Override
  public List<Item> restoreItems(String accountId, List<Item> items) {
    return lock.call(() -> restores.items(accountId, items));
  }

  @Override
  public long advanceJournal(long past) {
    return lock.call(() -> restores.advance(past));
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
    lock.close(journal);
  }
}
