package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.MailboxSnapshot;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ScanView.ContentSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.angus.mail.iap.ProtocolException;

/**
 * Opens accounts for calls: one at a time per account (a lock each), each time on a fresh session
 * and after a reconcile pass whose changes are journalled before the call runs. A scan's pass may
 * take the account's folders from the last full read ({@link ListedFolders}); every other call
 * may change them, so it drops that read.
 */
final class AccountSessions {
  /** Work on an opened account. */
  interface Work<T> {
    T run(Opened o) throws ProtocolException;
  }

  private final ImapConnections imap;
  private final AccountDirectory directory;
  private final ImapJournal journal;
  private final Path mapsDir;
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final Map<String, AccountMap> maps = new ConcurrentHashMap<>();
  private final Map<String, List<MappedFolder>> lastFolders = new ConcurrentHashMap<>();
  private volatile BackupIds backup = BackupIds.NONE;

  private final LazyExpunge lazy;
  private final AclReads acls;
  private final ListedFolders listed;

  AccountSessions(ImapConnections imap, AccountDirectory directory, ImapJournal journal, Path mapsDir) {
    this(imap, directory, journal, mapsDir, LazyExpunge.NONE, new AclReads(Clock.systemUTC()), Clock.systemUTC());
  }

  AccountSessions(ImapConnections imap, AccountDirectory directory, ImapJournal journal, Path mapsDir,
      LazyExpunge lazy, AclReads acls, Clock clock) {
    this.lazy = lazy;
    this.acls = acls;
    this.listed = new ListedFolders(clock);
    this.imap = imap;
    this.directory = directory;
    this.journal = journal;
    this.mapsDir = mapsDir;
  }

  <T> T with(String accountId, Work<T> work) {
    Account account = require(accountId);
    return locked(account, () -> changing(account, () -> imap.call(account.name(),
        s -> work.run(open(account, s, null)))));
  }

  /**
   * A pass of the account and nothing else (the change feed's), or false at once when another
   * thread holds it: a scan's pass holds it for as long as its pacer makes it wait, and that pass
   * reads the account's changes anyway. It only reads the folders, so it keeps their read for the
   * next scan's pass ({@link ListedFolders}).
   */
  boolean passIfFree(String accountId) {
    Account account = require(accountId);
    return ifFree(account.id(), () -> imap.call(account.name(), s -> open(account, s, null))).isPresent();
  }

  /**
   * A scan's pass of the account: new messages' bytes go to {@code sink}, and the ACLs are read
   * (and their changes journalled) only when {@link AclReads} says they are due. {@code swept}:
   * the account's mailboxes as the scan's sweep saw them, which may spare the folders' read
   * ({@link ListedFolders}).
   */
  void passForScan(String accountId, ContentSink sink, java.util.Optional<List<DoveadmClient.SweptMailbox>> swept) {
    snapshot(accountId, sink, false, swept);
  }

  /** The live items the account's id map holds, without a pass (what a scan's progress counts); -1 without a map. */
  int count(String accountId) {
    Account account = require(accountId);
    return locked(account, () -> known(account) ? map(account).items().size() : -1);
  }

  /**
   * Runs {@code work} on the id map as it stands, without a pass: for reads by id (content), where
   * a pass per call would cost a LIST-STATUS per message. {@code work} answers empty when the map
   * is out of date; then a pass runs and {@code work} is tried once more.
   */
  <T> T withoutPass(String accountId, Work<java.util.Optional<T>> work, Work<T> otherwise) {
    Account account = require(accountId);
    return locked(account, () -> imap.call(account.name(), s -> {
      AccountMap map = maps.get(account.id());
      if (map != null) {
        java.util.Optional<T> quick = work.run(new Opened(account, map, s, lastFolders.get(account.id())));
        if (quick.isPresent()) {
          return quick.get();
        }
      }
      Opened o = open(account, s, null);
      return work.run(o).orElseGet(() -> {
        try {
          return otherwise.run(o);
        } catch (ProtocolException e) {
          throw ErrorCode.IO_ERROR.exception("IMAP server " + imap.server() + " failed for " + account.name() + ": "
              + e.getMessage());
        }
      });
    }));
  }

  /** Runs {@code change}, then a second pass (which journals what it created), then {@code then}. */
  <T> T withCreate(String accountId, Work<Void> change, Work<T> then) {
    Account account = require(accountId);
    return locked(account, () -> changing(account, () -> imap.call(account.name(), s -> {
      change.run(open(account, s, null));
      return then.run(open(account, s, null));
    })));
  }

  /** Where a lost id map is rebuilt from. */
  void rebuildLostMapsFrom(BackupIds ids) {
    backup = ids;
  }

  MailboxSnapshot snapshot(String accountId) {
    return snapshot(accountId, null, true);
  }

  /**
   * The account as its id map stands, without a pass or a login: for a scan that has just passed
   * it or knows it unchanged. Empty when this worker has not opened the account since it started.
   */
  java.util.Optional<MailboxSnapshot> snapshotAsMapped(String accountId) {
    Account account = require(accountId);
    return locked(account, () -> {
      AccountMap map = maps.get(account.id());
      List<MappedFolder> folders = lastFolders.get(account.id());
      if (map == null || folders == null) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(new MailboxSnapshot(account, journal.lastSequence(),
          folders.stream().map(MappedFolder::folder).toList(), map.liveItems(),
          map.grants()));
    });
  }

  /** @param readAcls false: the ACLs are read only when {@link AclReads} says they are due */
  MailboxSnapshot snapshot(String accountId, ContentSink sink, boolean readAcls) {
    return snapshot(accountId, sink, readAcls, java.util.Optional.empty());
  }

  private MailboxSnapshot snapshot(String accountId, ContentSink sink, boolean readAcls,
      java.util.Optional<List<DoveadmClient.SweptMailbox>> swept) {
    Account account = require(accountId);
    return locked(account, () -> {
      record Read(List<Folder> folders, List<Item> items, List<AclGrants.Entry> acl, Opened opened) {}
      Read r = imap.call(account.name(), s -> {
        Opened o = open(account, s, sink, swept);
        return new Read(o.plainFolders(), o.map().liveItems(),
            readAcls || acls.due(o) ? AclGrants.read(o) : null, o);
      });
      AccountMap map = maps.get(account.id());
      if (r.acl() == null) {
        return new MailboxSnapshot(account, journal.lastSequence(), r.folders(), r.items(), map.grants());
      }
      // Grantee ids may need logins as other users: resolved after this account's session is closed.
      List<Grant> grants = AclGrants.resolve(account.id(), r.acl(), name -> directory.find(name).map(Account::id));
      AclDiff.journal(account.id(), map, grants, journal);
      acls.read(r.opened());
      return new MailboxSnapshot(account, journal.lastSequence(), r.folders(), r.items(), grants);
    });
  }

  /**
   * The last status the account's id map saw of each mailbox (by mailbox GUID), or empty when
   * the account has no map yet: what a sweep compares the server's status with. Empty (the
   * Optional) at once when another thread holds the account, as {@link #passIfFree}.
   */
  java.util.Optional<Map<String, AccountMap.MailboxMark>> marksIfFree(String accountId) {
    Account account = require(accountId);
    return ifFree(account.id(), () -> known(account) ? Map.copyOf(map(account).mailboxes()) : Map.of());
  }

  /**
   * Reads the account's id map as it stands, without IMAP; {@code unknown} for an account without
   * one (no pass has read it, no restore has written it).
   */
  <T> T onMap(Account account, java.util.function.Function<AccountMap, T> read, T unknown) {
    return locked(account, () -> known(account) ? read.apply(map(account)) : unknown);
  }

  /** Whether the account has an id map: whether a pass has ever brought it up to the server. */
  boolean known(Account account) {
    return maps.containsKey(account.id()) || AccountMap.exists(mapFile(account.id()));
  }

  /**
   * Starts an account a raw restore creates under its recorded id with an empty id map: not one
   * rebuilt from the backup (whose items would all be journalled deleted by the first pass, as
   * the new mailbox holds none of them), nor what a map of that id still holds; its items come
   * back through restoreItems.
   */
  void startEmpty(String accountId) {
    locked(accountId, () -> {
      AccountMap empty = AccountMap.empty(mapFile(accountId));
      empty.seen(journal.highestId(accountId));
      empty.journalled(JournalPlace.current(journal));
      maps.put(accountId, empty);
      lastFolders.remove(accountId);
      listed.drop(accountId);
      return null;
    });
  }

  /** Drops a deleted account's id map and closes its sessions. */
  void forget(Account account) {
    locked(account, () -> {
      imap.evict(account.name());
      maps.remove(account.id());
      lastFolders.remove(account.id());
      listed.drop(account.id());
      acls.forget(account.id());
      try {
        AccountMap.delete(mapFile(account.id()));
      } catch (IOException e) {
        throw ErrorCode.IO_ERROR.exception("cannot delete the id map of " + account.name() + ": " + e.getMessage());
      }
      return null;
    });
  }

  /** The account's id map: the cached one, else the saved one, else one rebuilt from the backup. */
  private AccountMap map(Account account) {
    return maps.computeIfAbsent(account.id(), id -> {
      boolean lost = !AccountMap.exists(mapFile(id));
      AccountMap loaded = AccountMap.load(mapFile(id));
      if (lost) {
        loaded.rebuildFrom(backup.liveItems(id));
        loaded.journalled(JournalPlace.current(journal));
      } else {
        // Saves after a journal commit are not forced: a crash may have lost the last ones.
        MapHealing.catchUp(loaded, id, journal, () -> backup.liveItems(id));
      }
      // A lost, moved-away or older map would start below ids already given: the journal holds them all.
      loaded.seen(journal.highestId(id));
      return loaded;
    });
  }

  private Opened open(Account account, ImapSession s, ContentSink sink) throws ProtocolException {
    return open(account, s, sink, java.util.Optional.empty());
  }

  private Opened open(Account account, ImapSession s, ContentSink sink,
      java.util.Optional<List<DoveadmClient.SweptMailbox>> swept) throws ProtocolException {
    AccountMap map = map(account);
    java.util.Optional<List<MappedFolder>> reused = swept.flatMap(m -> listed.reuse(account.id(), m));
    List<MappedFolder> folders = reused.orElse(null);
    boolean fullRead = reused.isEmpty();
    try {
      // A pass on the sweep's statuses that meets a change made since the sweep it could record
      // wrongly leaves everything as it was: the folders are read afresh and the pass redone.
      ChangeSet changes = fullRead ? null : Reconciler.passOnSwept(s, account.id(), map, folders, sink).orElse(null);
      if (changes == null) {
        folders = FolderMapping.read(s, map, lazy);
        fullRead = true;
        // The pass changes the map only after its changes are journalled (ChangeSet), so after a
        // failure the cached map is still where the next pass finds the same changes again.
        changes = Reconciler.pass(s, account.id(), map, folders, sink);
      }
      lazy.unseenExpunges(s, account.id(), map, journal, changes);
      changes.commit(journal, map);
    } catch (ProtocolException | RuntimeException e) {
      lastFolders.remove(account.id());
      listed.drop(account.id());
      throw e;
    }
    lastFolders.put(account.id(), folders);
    if (fullRead) {
      listed.read(account.id(), folders);
    }
    return new Opened(account, map, s, folders);
  }

  private Path mapFile(String accountId) {
    return mapsDir.resolve(accountId + ".json");
  }

  /** The account, or NOT_FOUND naming the server. */
  Account require(String accountId) {
    if (accountId == null) {
      throw ErrorCode.BAD_VALUE.exception("no account given");
    }
    return directory.find(accountId).orElseThrow(() -> ErrorCode.NOT_FOUND.exception(
        "account " + accountId + " does not exist on IMAP server " + imap.server()));
  }

  private <T> T locked(Account account, java.util.function.Supplier<T> action) {
    return locked(account.id(), action);
  }

  private <T> T locked(String accountId, java.util.function.Supplier<T> action) {
    ReentrantLock lock = locks.computeIfAbsent(accountId, id -> new ReentrantLock());
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  /** Runs a call that may change the account's folders or mountpoint records: the next scan's pass reads them. */
  private <T> T changing(Account account, java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } finally {
      listed.drop(account.id());
    }
  }

  private <T> java.util.Optional<T> ifFree(String accountId, java.util.function.Supplier<T> action) {
    ReentrantLock lock = locks.computeIfAbsent(accountId, id -> new ReentrantLock());
    if (!lock.tryLock()) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(action.get());
    } finally {
      lock.unlock();
    }
  }
}
