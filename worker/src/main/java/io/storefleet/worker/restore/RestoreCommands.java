package io.storefleet.worker.restore;

import io.storefleet.protocol.catalogue.BackupCommand;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.parse.DateArg;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.worker.backup.command.RemoteCopy;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.command.QueuedCommand;
import io.storefleet.worker.command.Replies;
import io.storefleet.worker.store.Account;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The account-level restores (doItemRestore, doUndelete, doRestoreOnNewAccount,
 * doRestoreDeletedAccount) and doItemSearch. The coordinator routes each to the server that owns
 * the account (or whose backup holds the deleted one); what can be checked before queuing is
 * checked here, so bad input fails at once. {@code notifications} is accepted and left to the
 * operation queue.
 */
public final class RestoreCommands {
  private RestoreCommands() {}

  /** @param remote the off-site copy, the blob source {@code blobs_archive} names */
  public static void register(CommandRegistry registry, Vertx vertx, Replies replies, RestoreContext rc,
      RemoteCopy remote) {
    registry.queued(BackupCommand.DO_ITEM_RESTORE, QueuedCommand.of(cmd -> {
      BackupAccounts.live(rc, cmd.required("account_name"));
      long id = cmd.integer("item_id", 0);
      if (id <= 0 || id > Integer.MAX_VALUE) {
        throw ErrorCode.BAD_VALUE.exception("doItemRestore item_id " + id + " is not an item id; find ids with"
            + " 'storefleet backup doItemSearch " + cmd.required("account_name") + "'", rc.serverId());
      }
      if (cmd.has("restore_folder") && cmd.string("restore_folder").isBlank()) {
        throw ErrorCode.BAD_VALUE.exception("doItemRestore restore_folder is empty; give a path such as /Restored",
            rc.serverId());
      }
      io(() -> itemKnown(rc, cmd.required("account_name"), (int) id));
    }, cmd -> new ItemRestoreTask(rc, cmd.required("account_name"), cmd.intValue("item_id", 0),
        cmd.string("restore_folder"))));

    registry.queued(BackupCommand.DO_UNDELETE, QueuedCommand.of(cmd -> {
      BackupAccounts.live(rc, cmd.required("account"));
      refuseTrue(cmd, "apply_hsm", "storefleet has no HSM volumes", rc);
      Instant from = BackupAccounts.instant(cmd.date("start_date"), rc.clock());
      Instant to = BackupAccounts.instant(cmd.date("end_date"), rc.clock());
      if (from != null && to != null && from.isAfter(to)) {
        throw ErrorCode.BAD_VALUE.exception("doUndelete start_date " + cmd.string("start_date") + " is after end_date "
            + cmd.string("end_date") + "; swap them", rc.serverId());
      }
    }, cmd -> new UndeleteTask(rc, cmd.required("account"), cmd.date("start_date"), cmd.date("end_date"),
        cmd.bool("target_original_folder"))));

    registry.queued(BackupCommand.DO_RESTORE_ON_NEW_ACCOUNT, QueuedCommand.of(cmd -> {
      refuseTrue(cmd, "restore_chat_buddies", "storefleet's stores keep no chat buddies", rc);
      refuseTrue(cmd, "apply_hsm", "storefleet has no HSM volumes", rc);
      if (cmd.has("undelete_start_date") && !cmd.bool("undelete")) {
        throw ErrorCode.BAD_VALUE.exception("doRestoreOnNewAccount undelete_start_date applies only with undelete"
            + " true; add 'undelete true' or leave it out", rc.serverId());
      }
      String source = cmd.required("source_account");
      if (cmd.has("backup_path") || cmd.has("blobs_archive")) {
        elsewhere(rc, remote, cmd);
        return;
      }
      Optional<Account> live = rc.store().account(source);
      String sourceId = live.isPresent() ? live.get().id() : io(() -> BackupAccounts.inBackup(rc, source));
      checkDestination(rc, cmd.required("destination_account"), sourceId, live.map(Account::name).orElse(source),
          cmd.date("date").toString());
      Instant at = BackupAccounts.instant(cmd.date("date"), rc.clock());
      // A past date stays before anything the run's catch-up records, so what the backup holds
      // now already decides it.
      if (at != null && at.isBefore(rc.clock().instant())) {
        NewAccountRestoreTask.restorableAt(rc, source, io(() -> BackupTimeline.read(rc.backup().engine(), sourceId)),
            at);
      }
    }, cmd -> new NewAccountRestoreTask(rc, new NewAccountRestoreTask.Request(cmd.required("source_account"),
        cmd.required("destination_account"), cmd.date("date"), cmd.bool("hide_in_gal"), cmd.bool("undelete"),
        cmd.date("undelete_start_date"), cmd.has("backup_path") ? cmd.string("backup_path") : null,
        cmd.has("blobs_archive") ? cmd.string("blobs_archive") : null), remote)));

    registry.queued(BackupCommand.DO_RESTORE_DELETED_ACCOUNT, QueuedCommand.of(cmd -> {
      String account = cmd.required("account");
      String sourceId = io(() -> BackupAccounts.deleted(rc, account));
      checkDestination(rc, cmd.required("destination_account"), sourceId, account, "deleted");
    }, cmd -> new NewAccountRestoreTask(rc, new NewAccountRestoreTask.Request(cmd.required("account"),
        cmd.required("destination_account"), null, cmd.bool("hide_in_gal"), false, null, null, null), remote)));

    ItemSearch search = new ItemSearch(rc);
    registry.immediate(BackupCommand.DO_ITEM_SEARCH, (cmd, ctx) -> vertx.executeBlocking(
        (Callable<CommandReply>) () -> {
          ItemSearch.Answer a = search.answer(cmd);
          return replies.result(a.data(), a.text());
        }));
  }

  /**
   * doRestoreOnNewAccount from another backup path ({@code backup_path}: a lost server's, fetched
   * from its off-site copy) or with its contents from an off-site copy ({@code blobs_archive}):
   * the account is looked for in that path alone, and checked there as it would be in this
   * server's own.
   */
  private static void elsewhere(RestoreContext rc, RemoteCopy remote, ParsedCommand cmd) {
    if (cmd.has("blobs_archive")) {
      remote.validateArchive(cmd.string("blobs_archive"), rc.serverId());
    }
    String source = cmd.required("source_account");
    String path = cmd.has("backup_path") ? cmd.string("backup_path") : null;
    io(() -> rc.backup().onBackupPath(path, "backup_path", engine -> {
      String sourceId = path != null ? BackupAccounts.inPath(rc, engine, source) : BackupAccounts.inBackup(rc, source);
      checkDestination(rc, cmd.required("destination_account"), sourceId, source, cmd.date("date").toString());
      Instant at = BackupAccounts.instant(cmd.date("date"), rc.clock());
      if (at != null && at.isBefore(rc.clock().instant())) {
        NewAccountRestoreTask.restorableAt(rc, source, BackupTimeline.read(engine, sourceId), at);
      }
      return null;
    }));
  }

  private static void checkDestination(RestoreContext rc, String destination, String sourceId, String source,
      String requested) {
    if (destination.equalsIgnoreCase(source) || destination.equalsIgnoreCase(sourceId)) {
      throw ErrorCode.BAD_VALUE.exception("destination_account " + destination + " is the source account; a restore"
          + " on a new account needs a new address", rc.serverId());
    }
    Optional<Account> existing = rc.store().account(destination);
    if (existing.isPresent()) {
      Optional<RestoreMarker> m = RestoreMarker.of(existing.get());
      if (m.isPresent() && m.get().sameRestore(sourceId, requested)) {
        return; // a re-run: it continues into the account the first run created
      }
    }
    NewAccountChecks.destinationFree(rc, destination);
  }

  /**
   * Refuses an item neither the backup nor the mailbox holds: the run records the mailbox's
   * pending changes first, so an item still in the mailbox will be in the backup by then.
   */
  private static Void itemKnown(RestoreContext rc, String account, int itemId) throws IOException {
    Account owner = BackupAccounts.live(rc, account);
    if (rc.store().item(owner.id(), itemId).isPresent()) {
      return null;
    }
    if (rc.backup().engine().knows(owner.id())
        && BackupTimeline.read(rc.backup().engine(), owner.id()).latest(itemId).isPresent()) {
      return null;
    }
    throw ItemRestoreTask.notInBackup(rc, owner, itemId);
  }

  private static void refuseTrue(ParsedCommand cmd, String param, String why, RestoreContext rc) {
    if (cmd.bool(param)) {
      throw ErrorCode.NOT_IMPLEMENTED.exception(cmd.name() + " parameter " + param + " true is not implemented in"
          + " this version (" + why + "); leave it false", rc.serverId());
    }
  }

  private interface IoCall<T> {
    T call() throws IOException;
  }

  private static <T> T io(IoCall<T> c) {
    try {
      return c.call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
