package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.DirectoryNames;
import io.storefleet.worker.store.Mutation;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Creates and deletes accounts through the passwd-file userdb the worker owns. With provisioning
 * elsewhere (no {@code store.usersFile}) both answer a definite error naming the step the
 * operator does instead.
 */
final class Provisioner {
  /** The imap store's only class of service. */
  static final Cos DEFAULT_COS = new Cos("imap-default", AccountDirectory.COS, "");
  private static final int LOGIN_ATTEMPTS = 25;
  private static final long LOGIN_RETRY_MILLIS = 200;

  private final ImapConnections imap;
  private final AccountDirectory directory;
  private final PasswdFileUsers users;
  private final ImapJournal journal;
  private final AccountSessions sessions;

  private final KeptProvisioning kept;
  private final Clock clock;
  /** The wall-clock second (Dovecot's granularity) of the last removal from the users file. */
  private volatile long usersChangedSecond = -1;

  Provisioner(ImapConnections imap, AccountDirectory directory, PasswdFileUsers users, ImapJournal journal,
      AccountSessions sessions, KeptProvisioning kept, Clock clock) {
    this.kept = kept;
    this.clock = clock;
    this.imap = imap;
    this.directory = directory;
    this.users = users;
    this.journal = journal;
    this.sessions = sessions;
  }

  Account create(String name, String cos, Map<String, String> attributes) {
    if (users == null) {
      throw ErrorCode.NOT_IMPLEMENTED.exception("accounts of IMAP server " + imap.server() + " are provisioned"
          + " outside storefleet (no store.usersFile): create " + name + " in the site's userdb, it is listed"
          + " within store.accountCacheSeconds");
    }
    String user = userName(name);
    Cos c = cos == null || cos.isBlank() ? DEFAULT_COS : kept.requireCos(cos);
    Map<String, String> attrs = attributes(name, attributes);
    if (directory.find(user).isPresent()) {
      throw ErrorCode.ALREADY_EXISTS.exception("account " + user + " already exists on " + imap.server());
    }
    users.add(user);
    waitForReread();
    Account a = firstLogin(user);
    if (!attrs.isEmpty()) {
      a = directory.setAttributes(user, attrs);
    }
    if (!c.name().equals(a.cos())) {
      kept.assignCos(a.id(), c);
      a = directory.find(a.id()).orElseThrow();
    }
    journal.commit(List.of(new ImapJournal.Change(Mutation.ACCOUNT_CREATED, a.id(), 0,
        new JournalDetails.AccountCreated(a.id(), a.name(), a.domain(), a.cos(), a.status(), a.attributes(),
            a.createdAt()))));
    return a;
  }

  private static String userName(String name) {
    String user = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    if (!user.matches("[a-z0-9!#$%&'*+/=?^_`{|}~.-]+@[a-z0-9.-]+")) {
      throw ErrorCode.BAD_VALUE.exception("account name '" + name + "' is not an address like user@example.com");
    }
    return user;
  }

  private static Map<String, String> attributes(String name, Map<String, String> attributes) {
    if (attributes != null && attributes.entrySet().stream().anyMatch(e -> e.getKey() == null || e.getValue() == null)) {
      throw ErrorCode.BAD_VALUE.exception("an attribute of account " + name + " has no name or no value");
    }
    return attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  /**
   * Creates a user with the id, creation time, attributes, COS and aliases a backup recorded (raw
   * restore): the passwd-file line, then, in the user's first session, the ids in its METADATA,
   * before anything reads them, so the account never takes another id. Journal: ACCOUNT_CREATED,
   * then one ALIAS_ADDED per alias.
   */
  Account restore(Account recorded) {
    if (recorded == null) {
      throw ErrorCode.BAD_VALUE.exception("no account given to restore on " + imap.server());
    }
    String user = userName(recorded.name());
    if (users == null) {
      throw ErrorCode.NOT_IMPLEMENTED.exception("accounts of IMAP server " + imap.server() + " are provisioned"
          + " outside storefleet (no store.usersFile), so a raw restore cannot create " + user + " with its id");
    }
    String id = DirectoryNames.restoredId(recorded.id(), "account " + user);
    if (System.currentTimeMillis() / 1000 <= usersChangedSecond) {
      // A user just deleted (a conflict the restore removed) may still be listed within that second.
      waitForReread();
    }
    directory.invalidate();
    directory.find(id).ifPresent(other -> {
      throw ErrorCode.ALREADY_EXISTS.exception("account id " + id + " is already used by account " + other.name()
          + " on " + imap.server());
    });
    List<String> aliases = kept.checkRestored(recorded, user);
    Cos c = recorded.cos() == null || recorded.cos().isBlank() ? DEFAULT_COS : kept.requireCos(recorded.cos());
    Map<String, String> attrs = attributes(user, recorded.attributes());
    Instant created = recorded.createdAt() == null ? clock.instant() : recorded.createdAt();
    users.add(user);
    // Ids a lookup gave the user in Dovecot's stale second after an earlier delete are not its own.
    directory.forget(user);
    sessions.startEmpty(id);
    Account a;
    try {
      waitForReread();
      retryingLogin(user, () -> imap.call(user, s -> {
        s.setMetadata("", AccountDirectory.ACCOUNT_ID, id);
        s.setMetadata("", AccountDirectory.CREATED_AT, created.toString());
        return Boolean.TRUE;
      }));
      a = firstLogin(user);
      if (!a.id().equals(id)) {
        throw ErrorCode.IO_ERROR.exception("account " + user + " was restored on " + imap.server() + " with id " + id
            + " but reads back with id " + a.id() + " (another client logged in first?); run the restore again");
      }
      if (!attrs.isEmpty()) {
        a = directory.setAttributes(user, attrs);
      }
    } catch (RuntimeException e) {
      // Nobody can log in as a user without the line: the next run starts afresh.
      users.remove(user);
      usersChanged();
      imap.evict(user);
      directory.forget(user);
      throw e;
    }
    kept.assignCos(id, c);
    kept.restoreAliases(id, aliases);
    a = directory.find(id).orElseThrow();
    List<ImapJournal.Change> changes = new ArrayList<>();
    changes.add(new ImapJournal.Change(Mutation.ACCOUNT_CREATED, id, 0, new JournalDetails.AccountCreated(id,
        a.name(), a.domain(), a.cos(), a.status(), a.attributes(), a.createdAt())));
    aliases.forEach(al -> changes.add(new ImapJournal.Change(Mutation.ALIAS_ADDED, id, 0,
        new KeptProvisioning.AliasAdded(al))));
    journal.commit(changes);
    return a;
  }

  /** Notes the wall-clock second of a removal from the users file, which Dovecot may not see within it. */
  private void usersChanged() {
    usersChangedSecond = System.currentTimeMillis() / 1000;
  }

  /**
   * Dovecot looks at a changed passwd-file at most once per wall-clock second: a login in the
   * second of the write may still be refused, and each refused login costs seconds of Dovecot's
   * auth failure delay and penalty. So the first login waits for the next second.
   */
  private static void waitForReread() {
    long now = System.currentTimeMillis();
    long next = (now / 1000 + 1) * 1000 + 50;
    try {
      Thread.sleep(next - now);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The first login creates the mailbox with its special-use folders; retried for a few seconds
   * before a refusal counts, in case the server re-reads its userdb later than expected.
   */
  private Account firstLogin(String user) {
    return retryingLogin(user, () -> {
      directory.invalidate();
      Optional<Account> a = directory.find(user);
      if (a.isPresent()) {
        sessions.with(a.get().id(), o -> null);
      }
      return a.orElse(null);
    });
  }

  /** Runs {@code login} until it answers (not null) or fails otherwise than IO_ERROR, a few seconds at most. */
  private <T> T retryingLogin(String user, java.util.function.Supplier<T> login) {
    for (int attempt = 1; ; attempt++) {
      try {
        T done = login.get();
        if (done != null) {
          return done;
        }
        if (attempt >= LOGIN_ATTEMPTS) {
          throw ErrorCode.IO_ERROR.exception("account " + user + " was added to the userdb but doveadm on "
              + imap.server() + " does not list it");
        }
      } catch (StorefleetException e) {
        if (attempt >= LOGIN_ATTEMPTS || e.code() != ErrorCode.IO_ERROR) {
          throw e;
        }
      }
      try {
        Thread.sleep(LOGIN_RETRY_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ErrorCode.IO_ERROR.exception("interrupted while waiting for " + imap.server() + " to accept " + user);
      }
    }
  }

  /** Removes the account's mail and its storefleet ids from the server, then the user. */
  void delete(String accountId) {
    Account a = directory.find(accountId).orElseThrow(() -> ErrorCode.NOT_FOUND.exception(
        "account " + accountId + " does not exist on IMAP server " + imap.server()));
    if (users == null) {
      // The site's userdb knows the user by name, never by storefleet's id.
      throw ErrorCode.NOT_IMPLEMENTED.exception("accounts of IMAP server " + imap.server() + " are provisioned"
          + " outside storefleet (no store.usersFile): delete the user " + a.name() + " (account " + a.id()
          + ") in the site's userdb and its mail on " + imap.server() + " with doveadm (doveadm expunge -u "
          + a.name() + " mailbox '*' all), then its storefleet id (doveadm mailbox metadata unset -u " + a.name()
          + " -s '' " + AccountDirectory.ACCOUNT_ID + ", and likewise created-at, attributes and mountpoints under"
          + " that prefix) or its home directory: a user created again under that name would otherwise take this"
          + " account's id and backups; it leaves the listing within store.accountCacheSeconds");
    }
    if (!users.contains(a.name())) {
      throw ErrorCode.CONFLICT.exception("account " + a.name() + " is not in store.usersFile: it was provisioned"
          + " elsewhere; delete it where it was created");
    }
    imap.call(a.name(), s -> {
      List<MailboxStatus> own = FolderMapping.own(s, LazyExpunge.NONE).stream()
          .sorted(Comparator.comparingInt((MailboxStatus m) -> m.name().length()).reversed()).toList();
      for (MailboxStatus m : own) {
        if (m.name().equalsIgnoreCase("INBOX")) {
          long[] uids = s.messages("INBOX").stream().mapToLong(MessageMeta::uid).toArray();
          s.expunge("INBOX", uids);
          ImapShares.dropGrants(s, "INBOX", a.name());
        } else if (m.selectable()) {
          s.delete(m.name());
        }
      }
      s.setMetadata("", AccountDirectory.ACCOUNT_ID, null);
      s.setMetadata("", AccountDirectory.CREATED_AT, null);
      s.setMetadata("", AccountDirectory.ATTRIBUTES, null);
      s.setMetadata("", MountpointRecords.KEY, null);
      return null;
    });
    users.remove(a.name());
    usersChanged();
    // The delete's own session is kept idle: it must not serve a user of that name created later.
    imap.evict(a.name());
    kept.forgetAccount(a.id());
    directory.forget(a.name());
    sessions.forget(a);
    journal.commit(List.of(new ImapJournal.Change(Mutation.ACCOUNT_DELETED, a.id(), 0,
        new JournalDetails.Named(a.name()))));
  }
}
