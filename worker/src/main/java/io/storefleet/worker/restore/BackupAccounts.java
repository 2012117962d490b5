package io.storefleet.worker.restore;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.parse.DateArg;
import io.storefleet.protocol.parse.DateText;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupHistoryReader;
import io.storefleet.worker.store.Account;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Finds the accounts restores name, in the store and in the backup, and reads their dates. */
final class BackupAccounts {

  private BackupAccounts() {}

  /** A live account of this server, which a restore writes into. */
  static Account live(RestoreContext rc, String given) {
    return rc.store().account(given).orElseThrow(() -> ErrorCode.UNKNOWN_ACCOUNT.exception(
        "account " + given + " is not on server " + rc.serverId() + "; a restore into a mailbox runs on the"
            + " server that owns it (leave --host out and storefleet finds it)", rc.serverId()));
  }

  /** The backup's id for an account that is live here, or only in the backup (deleted). */
  static String inBackup(RestoreContext rc, String given) throws IOException {
    Optional<Account> live = rc.store().account(given);
    if (live.isPresent() && rc.backup().engine().knows(live.get().id())) {
      return live.get().id();
    }
    return new BackupHistoryReader(rc.backup().engine()).findAccount(given).orElseThrow(() -> notInBackup(rc, given));
  }

  /**
   * The id of an account in a backup path that is not necessarily this server's ({@code
   * backup_path}): only the path decides, since a live account of that name may be another one.
   */
  static String inPath(RestoreContext rc, BackupEngine engine, String given) throws IOException {
    return new BackupHistoryReader(engine).findAccount(given).orElseThrow(() -> ErrorCode.UNKNOWN_ACCOUNT.exception(
        "account " + given + " is not in the backup path " + engine.path().root() + "; list what it holds with"
            + " 'storefleet backup getAvailableAccounts backup_path " + engine.path().root() + "'", rc.serverId()));
  }

  /** The backup's id for the account deleted most recently under this name or id. */
  static String deleted(RestoreContext rc, String given) throws IOException {
    Optional<String> id = new BackupHistoryReader(rc.backup().engine()).findDeletedAccount(given);
    if (id.isPresent()) {
      return id.get();
    }
    Optional<Account> live = rc.store().account(given);
    if (live.isPresent()) {
      throw ErrorCode.CONFLICT.exception("account " + given + " is not deleted: it lives on server " + rc.serverId()
          + "; restore it as it was at a date with doRestoreOnNewAccount, or give the id of the deleted account"
          + " (getAvailableAccounts lists it)", rc.serverId());
    }
    throw ErrorCode.UNKNOWN_ACCOUNT.exception("no deleted account " + given + " in the backup of server "
        + rc.serverId() + "; list the backup's accounts with 'storefleet backup getAvailableAccounts'", rc.serverId());
  }

  static RuntimeException notInBackup(RestoreContext rc, String given) {
    return ErrorCode.UNKNOWN_ACCOUNT.exception("account " + given + " is not in the backup of server " + rc.serverId()
        + "; list what it holds with 'storefleet backup getAvailableAccounts'", rc.serverId());
  }

  /** A date parameter as an instant of the server's time zone; null for a keyword. */
  static Instant instant(DateArg d, Clock clock) {
    return d == null ? null : d.instant(clock.getZone());
  }

  static String shown(Instant t, Clock clock) {
    return DateText.of(t, clock.getZone());
  }
}
