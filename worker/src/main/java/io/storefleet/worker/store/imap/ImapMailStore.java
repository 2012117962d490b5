package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.config.ImapStoreConfig;
import io.storefleet.worker.config.SecretFile;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.JournalRequests;
import io.storefleet.worker.store.MailboxSnapshot;
import io.storefleet.worker.store.MissingContent;
import io.storefleet.worker.store.Mountpoint;
import io.storefleet.worker.store.NewMessage;
import io.storefleet.worker.store.ScanView;
import io.storefleet.worker.store.Volume;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The {@code imap} store: the mailboxes of one Dovecot server behind the MailStore SPI
 * (docs/mailstores.md has the method-by-method mapping). Every call that reads or changes an
 * account first reconciles the account's id map with the server ({@link Reconciler}), so what it
 * answers, and the journal, include changes other IMAP clients made. All I/O blocks: call it from
 * worker threads only, as the SPI says. Accounts, domains, COS, aliases and lists are {@link
 * ImapDirectoryStore}'s; raw and blob restore are {@link ImapRawRestores}' and {@link AwaitedContent}'s.
 *
 * <p>Layout of its directory: {@code journal.log} (the change journal), {@code accounts.json}
 * (cache of the account ids kept in METADATA), {@code maps/<account id>.json} and {@code .json.log}
 * (item id maps, and items awaiting their content; {@link AccountMapFile}),
 * {@code directory.json} (domains, COS, aliases and lists, which Dovecot does not hold).
 */
public final class ImapMailStore extends ImapDirectoryStore {
  private final ImapConnections imap;
  private final ImapJournal journal;
  private final AccountSessions sessions;
  private final MailboxEdits edits;
  private final ChangeFeed feed;
  private final LazyExpunge lazy;

  private final ImapShares shares;
  private final ImapRawRestores raw;
  private final AwaitedContent awaited;
  private final ReadAhead readAhead = new ReadAhead();
  private final ImapScanView scanView;

  private ImapMailStore(ImapConnections imap, AccountDirectory directory, PasswdFileUsers users, ImapJournal journal,
      AccountSessions sessions, ChangeFeed feed, LazyExpunge lazy, KeptProvisioning kept, ScanWindow scans,
      Clock clock) {
    super(directory, kept, new Provisioner(imap, directory, users, journal, sessions, kept, clock));
    this.scanView = new ImapScanView(imap, journal, sessions, lazy, scans);
    this.imap = imap;
    this.journal = journal;
    this.sessions = sessions;
    this.edits = new MailboxEdits(journal, imap.server());
    this.shares = new ImapShares(sessions, journal, edits);
    this.raw = new ImapRawRestores(sessions, journal, shares, imap.server());
    this.awaited = new AwaitedContent(directory, sessions, edits, journal, imap.server());
    this.feed = feed;
    this.lazy = lazy;
  }

  /**
   * Opens the store for a server; reads the password files now, so a bad setting fails the start.
   *
   * @param dir the worker's folder for the store's own files
   */
  public static ImapMailStore open(ImapStoreConfig config, Path dir, Clock clock) throws IOException {
    String master = SecretFile.read("store.imapMasterPasswordFile", config.masterPasswordFile());
    String doveadm = SecretFile.read("store.doveadmPasswordFile", config.doveadmPasswordFile());
    ImapConnections imap = new ImapConnections(config, master, clock);
    ImapJournal journal = null;
    try {
      DoveadmClient doveadmClient = new DoveadmClient(config.doveadmUrl(), doveadm);
      KeptDirectory keptFile = KeptDirectory.open(dir.resolve("directory.json"));
      AccountDirectory directory = new AccountDirectory(doveadmClient, imap, clock,
          config.accountCacheTtl(), dir.resolve("accounts.json"), keptFile);
      journal = ImapJournal.open(dir.resolve("journal.log"), clock);
      PasswdFileUsers users = config.usersFile() == null ? null : new PasswdFileUsers(config.usersFile());
      LazyExpunge lazy = new LazyExpunge(config.lazyExpungeMailbox());
      AclReads acls = new AclReads(clock);
      AccountSessions sessions = new AccountSessions(imap, directory, journal, dir.resolve("maps"), lazy, acls, clock);
      ChangeFeed feed = new ChangeFeed(config.changeLog() == null ? null : ChangeLog.follow(config.changeLog()),
          doveadmClient, directory, sessions, clock, config.sweepEvery(), imap.server());
      return new ImapMailStore(imap, directory, users, journal, sessions, feed, lazy,
          new KeptProvisioning(keptFile, directory, journal, clock, imap.server()),
          new ScanWindow(() -> MailboxSweep.take(doveadmClient, directory, sessions), acls), clock);
    } catch (IOException | RuntimeException e) {
      // The connections' closer thread is running already: a failed start must not leave it behind.
      imap.close();
      if (journal != null) {
        try {
          journal.close();
        } catch (IOException closing) {
          e.addSuppressed(closing);
        }
      }
      throw e;
    }
  }

  /** Starts journalling other clients' changes as they happen (docs/mailstores.md, "The change journal"). */
  public void startChangeFeed() {
    feed.start();
  }

  /** Blob restore's side of the store, for tests that count its listings. */
  AwaitedContent awaitedContent() {
    return awaited;
  }

  /** How many idle sessions are kept, for tests. */
  int keptSessions() {
    return imap.keptSessions();
  }

  /** The change feed, for tests that run it step by step. */
  ChangeFeed changeFeed() {
    return feed;
  }

  @Override
  public String kind() {
    return "imap";
  }

  // ---- mailboxes

  @Override
  public List<Folder> folders(String accountId) {
    return sessions.with(accountId, Opened::plainFolders);
  }

  @Override
  public Optional<Folder> folder(String accountId, String path) {
    String normalized = "/" + String.join("/", Paths.segments(path));
    return sessions.with(accountId, o -> o.byPath(normalized).map(MappedFolder::folder));
  }

  @Override
  public Folder createFolder(String accountId, String path, String view) {
    if (view != null && !view.equalsIgnoreCase("message")) {
      throw NotBuilt.notMail("a " + view + " folder (" + path + ")", imap.server());
    }
    List<String> segments = Paths.segments(path);
    if (segments.isEmpty()) {
      throw ErrorCode.BAD_VALUE.exception("folder path '" + path + "' names the root; give e.g. /Projects");
    }
    String normalized = "/" + String.join("/", segments);
    return sessions.withCreate(accountId, o -> {
      edits.createPath(o, segments);
      return null;
    },
        o -> o.byPath(normalized).map(MappedFolder::folder).orElseThrow(() -> ErrorCode.IO_ERROR.exception(
            "folder " + normalized + " was created on " + imap.server() + " but is not listed")));
  }

  /** The messages on the server and the items a raw restore left awaiting their content ({@link AwaitedContent}). */
  @Override
  public List<Item> items(String accountId) {
    return sessions.with(accountId, o -> o.map().liveItems());
  }

  @Override
  public List<Item> items(String accountId, int folderId) {
    return sessions.with(accountId, o -> {
      o.folder(folderId);
      return o.map().liveItems().stream().filter(i -> i.folderId() == folderId).toList();
    });
  }

  @Override
  public Optional<Item> item(String accountId, int itemId) {
    return sessions.with(accountId, o -> o.map().item(itemId).map(MappedItem::item).or(() -> o.map().awaiting(itemId)));
  }

  /**
   * The wire bytes Dovecot serves ({@code BODY.PEEK[]}): LF-only mail comes back CRLF. Reads in
   * id order are read ahead ({@link ReadAhead}).
   */
  @Override
  public byte[] content(String accountId, int itemId) {
    return sessions.withoutPass(accountId, o -> readAhead.body(o, itemId), o -> {
      o.item(itemId); // NOT_FOUND, or an item awaiting its content
      throw ErrorCode.NOT_FOUND.exception("item " + itemId + " of " + o.account().name() + " was expunged from "
          + imap.server() + " by another client; the next scan records its deletion");
    });
  }

  /** An expunged message's bytes from the lazy_expunge mailbox ({@code store.imapLazyExpunge}), if kept. */
  @Override
  public Optional<byte[]> retainedContent(String digest, long size) {
    return lazy.retained(digest, size, journal, directory, imap);
  }

  @Override
  public MailboxSnapshot snapshot(String accountId) {
    return sessions.snapshot(accountId);
  }

  @Override
  public List<Item> addMessages(String accountId, int folderId, List<NewMessage> messages) {
    List<NewMessage> given = NewMessage.checked(messages, folderId);
    return sessions.with(accountId, o -> edits.add(o, folderId, given));
  }

  @Override
  public Item addItem(String accountId, int folderId, ItemType type, byte[] raw, String subject) {
    if (type != ItemType.MESSAGE) {
      throw NotBuilt.notMail("a " + type + " item", imap.server());
    }
    return addMessages(accountId, folderId, List.of(raw), Set.of(), Set.of()).get(0);
  }

  @Override
  public Item moveItem(String accountId, int itemId, int folderId) {
    return sessions.with(accountId, o -> edits.move(o, itemId, folderId));
  }

  @Override
  public Item setFlags(String accountId, int itemId, Set<String> flags) {
    return sessions.with(accountId, o -> edits.setFlags(o, itemId, flags));
  }

  @Override
  public Item setTags(String accountId, int itemId, Set<String> tags) {
    return sessions.with(accountId, o -> edits.setTags(o, itemId, tags));
  }

  @Override
  public void deleteItem(String accountId, int itemId) {
    sessions.with(accountId, o -> {
      edits.delete(o, itemId);
      return null;
    });
  }

  @Override
  public int emptyFolder(String accountId, int folderId) {
    return sessions.with(accountId, o -> edits.empty(o, folderId));
  }

  // ---- shares: IMAP ACLs and mountpoint records (ImapShares)

  @Override
  public Grant grant(String ownerId, int folderId, String granteeId, String granteeName, String rights) {
    return shares.grant(ownerId, folderId, granteeId, granteeName, rights);
  }

  @Override
  public void revoke(String ownerId, int folderId, String granteeId) {
    shares.revoke(ownerId, folderId, granteeId);
  }

  @Override
  public List<Grant> grants(String accountId) {
    return sessions.snapshot(accountId).grants();
  }

  @Override
  public Folder mount(String granteeId, String path, Mountpoint target) {
    return shares.mount(granteeId, path, target);
  }

  @Override
  public Folder repointMountpoint(String accountId, int folderId, Mountpoint target) {
    return shares.repoint(accountId, folderId, target);
  }

  // ---- raw restore and blob restore (docs/mailstores.md, "Raw and blob restore")

  @Override
  public Folder restoreFolder(String accountId, Folder folder) {
    return raw.folder(accountId, folder);
  }

  @Override
  public List<Item> restoreItems(String accountId, List<Item> items) {
    try {
      return raw.items(accountId, items);
    } finally {
      awaited.forgetListing();
    }
  }

  @Override
  public long advanceJournal(long past) {
    return journal.advance(past);
  }

  @Override
  public List<Volume> volumes() {
    return awaited.volumes();
  }

  @Override
  public List<MissingContent> missingContent(int volumeId) {
    return awaited.missing(volumeId);
  }

  @Override
  public Set<String> restoreContent(int volumeId, Map<String, byte[]> contents) {
    return awaited.restore(volumeId, contents);
  }

  // ---- change journal

  /**
   * Rebuilds a lost worker-kept directory, a lost journal and lost id maps from the backup path
   * ({@link BackupIds}); call it before any use. Refuses (IO_ERROR naming the fix) when a lost
   * directory cannot be rebuilt.
   */
  public void recoverFrom(BackupIds backup) {
    backup.recover(journal, sessions, kept.file());
  }

  /** The journal, for tests that make its writes fail. */
  ImapJournal journal() {
    return journal;
  }

  @Override
  public long lastSequence() {
    return journal.lastSequence();
  }

  /** Reconciles the account with the server first, so changes other clients made count. */
  @Override
  public long lastChange(String accountId) {
    if (accountId == null) {
      return 0;
    }
    Optional<Account> a = directory.find(accountId);
    if (a.isEmpty()) {
      return journal.lastChange(accountId);
    }
    sessions.with(a.get().id(), o -> null);
    return journal.lastChange(a.get().id());
  }

  /** A scan reads each message once and opens no account it knows unchanged ({@link ImapScanView}). */
  @Override
  public ScanView scanView() {
    return scanView;
  }

  /** What the store asked of the server since it opened. */
  public ImapTraffic.Counts traffic() {
    return imap.traffic().counts();
  }

  @Override
  public List<JournalEntry> journal(long fromSeq, int limit) {
    return journal.read(fromSeq, JournalRequests.limit(limit));
  }

  @Override
  public void addListener(Consumer<JournalEntry> listener) {
    journal.addListener(JournalRequests.listener(listener));
  }

  @Override
  public void close() throws IOException {
    feed.stop();
    imap.close();
    journal.close();
  }
}
