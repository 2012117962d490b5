package io.storefleet.protocol.catalogue;

import static io.storefleet.protocol.catalogue.CommandBuilder.backup;
import static io.storefleet.protocol.catalogue.ParamSpec.m;
import static io.storefleet.protocol.catalogue.ParamSpec.o;
import static io.storefleet.protocol.catalogue.ParamType.ACCOUNT;
import static io.storefleet.protocol.catalogue.ParamType.ACCOUNT_LIST;
import static io.storefleet.protocol.catalogue.ParamType.ACCOUNT_OR_ID;
import static io.storefleet.protocol.catalogue.ParamType.ACCOUNT_OR_ID_LIST;
import static io.storefleet.protocol.catalogue.ParamType.BOOLEAN;
import static io.storefleet.protocol.catalogue.ParamType.CHOICE;
import static io.storefleet.protocol.catalogue.ParamType.COS;
import static io.storefleet.protocol.catalogue.ParamType.COS_LIST;
import static io.storefleet.protocol.catalogue.ParamType.DATE;
import static io.storefleet.protocol.catalogue.ParamType.DOMAIN_LIST;
import static io.storefleet.protocol.catalogue.ParamType.EMAIL_LIST;
import static io.storefleet.protocol.catalogue.ParamType.INTEGER;
import static io.storefleet.protocol.catalogue.ParamType.PATH;
import static io.storefleet.protocol.catalogue.ParamType.STRING;
import static io.storefleet.protocol.catalogue.ParamType.UUID;

import io.storefleet.protocol.access.Role;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every command of the vendor's {@code backup} CLI table (Zextras Backup manual, "Zextras Backup
 * CLI"), with the parameters and defaults of the manual and of Carbonio's per-command pages.
 *
 * <p>Version notes: v1 is the manual's table. Parameters the manual leaves as {@code [attr1
 * value1 ...]} without a list (doItemSearch, getAccountInfo, getAvailableAccounts, getBackupInfo,
 * getProperty) are defined here and marked as storefleet's in their {@code about}.
 *
 * <p>storefleet's own commands carry "(storefleet)" in their description: doRestoreDeletedAccount
 * gives the manual's GUI-only Restore Deleted Account a CLI command.
 *
 * <p>v2: {@code scope} (server|global, default server) on setProperty and getProperty. It has a
 * default, so an older worker refuses a newer coordinator's setProperty/getProperty with
 * UNKNOWN_PARAMETER; neither command was built before v2, so nothing that worked stops working.
 *
 * <p>v3: {@code plan} and {@code plan_part} (no default) on doExternalRestore, which the
 * coordinator sets on each part of a planned import ({@code POST /api/v1/imports}). Without a
 * default they are sent only by planned imports, which an older worker could not run anyway.
 *
 * <p>v4: doCheckShares is immediate (the vendor queues it behind an async {@code start}): it only
 * reads a few records per share, and its answer is the report itself. doFixShares takes {@code
 * all} as its file for the cluster-wide fix. Neither was built before, so nothing changes for an
 * older worker, which answers NOT_IMPLEMENTED.
 *
 * <p>v5: requests carry only the values the operator gave; the worker that runs a command fills
 * in its defaults. A new optional parameter, with or without a default, reaches an older worker
 * only when the operator uses it. The routing facts (served from backups, broadcast by default or
 * on a value, placement, the coordinator's own cases) moved into the catalogue unchanged.
 *
 * <p>v6: {@code plan} and {@code plan_part} (no default) on doExport too, set by the coordinator
 * on each part of a planned export ({@code POST /api/v1/exports}), as v3 did for imports. An older
 * worker refuses them with UNKNOWN_PARAMETER, so a planned export fails at submit there.
 *
 * <p>v7: the off-site copy (docs/backup-format.md, "The off-site copy"): doFetchRemoteBackup
 * (storefleet's), and {@code remote} on doCoherencyCheck. Sent only when the operator uses them;
 * an older worker answers UNKNOWN_COMMAND or UNKNOWN_PARAMETER, and did not upload anything a
 * fetch or check could read.
 *
 * <p>v8: request ids (docs/protocol.md, "Request ids"): {@code CommandSpec.readOnly} marks the
 * queries whose answers are not kept against one; an older worker ignores the id.
 *
 * <p>v9: doPruneRemoteBackup (storefleet's): remote pruning with credentials of its own, and
 * {@code metadata_only} on doFetchRemoteBackup. Sent only when the operator uses them; an older
 * worker answers UNKNOWN_COMMAND or UNKNOWN_PARAMETER. {@code blobs_archive} keeps its type (a
 * path to the vendor): storefleet reads {@code remote} or {@code remote:<server>} there.
 *
 * <p>v10: {@code blobs_archive} on doExternalRestore (the vendor's parameter; storefleet reads the
 * same values there), and {@code backup_path} and {@code blobs_archive} on doRestoreOnNewAccount
 * (storefleet's: a single account from a lost server's fetched path and its off-site copy). An
 * older worker refuses them with UNKNOWN_PARAMETER at submit.
 */
final class BackupCommands {
  private BackupCommands() {}

  private static final String NOTIFY = "e-mail addresses told when the operation ends";
  private static final String TAKE_OVER = "upload even if the off-site copy's newest snapshot is another path's (storefleet)";
  static final String BACKUP_PATH = "backup path to read (default: the server's own)";

  /** Every command of the table: the operations here, the queries and properties in {@link BackupInfoCommands}. */
  static List<CommandSpec> all() {
    return Stream.concat(operations().stream(), BackupInfoCommands.all().stream()).toList();
  }

  private static List<CommandSpec> operations() {
    return List.of(
        backup(BackupCommand.DO_ACCOUNT_SCAN, "Perform a Smart Scan on a single account").role(Role.OPERATOR)
            .param(m("account", ACCOUNT, "the account to scan"))
            .param(o("deep", BOOLEAN, "false", "re-read every item, not only changed ones"))
            .param(o("notifications", EMAIL_LIST, null, NOTIFY))
            .param(o("remote_metadata_upload", BOOLEAN, "false", "upload metadata to remote storage"))
            .param(o("remote_take_over", BOOLEAN, "false", TAKE_OVER))
            .queued()
            .byAccount("account")
            .example("doAccountScan john@example.com", "Scans john@example.com's mailbox into the backup")
            .build(),
        backup(BackupCommand.DO_BACKUP_CLUSTER, "Perform a backup of Cluster").role(Role.OPERATOR)
            .queued()
            .broadcast()
            .example("doBackupCluster", "Backs up the cluster-wide configuration")
            .build(),
        backup(BackupCommand.DO_BACKUP_LDAP, "Perform a backup of LDAP").role(Role.OPERATOR)
            .queued()
            .broadcast()
            .example("doBackupLDAP", "Dumps the provisioning (domains, COS, accounts, lists)")
            .build(),
        backup(BackupCommand.DO_BACKUP_SERVER_CUSTOMIZATIONS, "Perform a backup of customizations").role(Role.OPERATOR)
            .queued()
            .broadcast()
            .example("doBackupServerCustomizations", "Backs up the server's customizations")
            .build(),
        backup(BackupCommand.DO_CHECK_SHARES, "Check all shares on local accounts").role(Role.OPERATOR).readOnly()
            .broadcast()
            .coordinator(Route.SHARE_CHECK, TargetKind.ALL_SERVERS)
            .example("doCheckShares", "Check all shares on local accounts")
            .build(),
        backup(BackupCommand.DO_COHERENCY_CHECK, "Check backup coherency").role(Role.OPERATOR)
            .param(m("backup_path", PATH, "the backup path to check"))
            .param(o("accounts", ACCOUNT_OR_ID_LIST, "all", "accounts to check"))
            .param(o("checkZimbra", BOOLEAN, "false", "also compare with the mail store"))
            .param(o("fixBackup", BOOLEAN, "false",
                "move corrupt and orphaned files into the quarantine folder"))
            .param(o("notifications", EMAIL_LIST, null, NOTIFY))
            .param(o("fixDoubleGzip", CHOICE, "skip", "double-compression handling", "skip", "check", "fix"))
            .param(o("remote", BOOLEAN, "false",
                "check the path's off-site copy instead: every object authenticated, every blob against its digest"
                    + " (storefleet)"))
            .queued()
            .example("doCoherencyCheck /opt/storefleet/backup accounts jack@example.com,john@example.com",
                "Checks the backup of Jack's and John's accounts")
            .build(),
        backup(BackupCommand.DO_ENABLE_DISABLE_COS, "Enable or disable the backup for a specific COS").role(Role.ADMIN)
            .param(m("cos_name", COS, "the class of service"))
            .param(m("action", CHOICE, "enable or disable the backup", "enable", "disable"))
            .broadcast()
            .example("doEnableDisableCOS default disable", "Stops backing up accounts of COS default")
            .build(),
        backup(BackupCommand.DO_EXPORT, "Perform an Export limited by domains").role(Role.OPERATOR)
            .param(m("destination_path", PATH, "an empty, writable folder"))
            .param(o("domains", DOMAIN_LIST, "all", "domains to export"))
            .param(o("cos", COS_LIST, "all", "classes of service to export"))
            .param(o("notifications", EMAIL_LIST, null, NOTIFY))
            .param(o("threshold", INTEGER, null, "size threshold in MB"))
            .param(o("read_error_threshold", INTEGER, null, "stop after this many read errors"))
            .param(o("skip_items", BOOLEAN, "false", "export provisioning only"))
            .param(o("plan", STRING, null,
                "the planned export this operation is part of; set by the coordinator (storefleet)"))
            .param(o("plan_part", STRING, null,
                "which part of the plan it is, as <i>/<n>; set by the coordinator (storefleet)"))
            .queued()
            .example("doExport /opt/storefleet/export domains example.com notifications john@example.com",
                "Exports example.com and notifies john@example.com")
            .build(),
        backup(BackupCommand.DO_EXTERNAL_RESTORE, "Perform an External Restore").role(Role.OPERATOR)
            .param(m("source_path", PATH, "an export made by doExport"))
            .param(o("accounts", ACCOUNT_LIST, "all", "accounts to import"))
            .param(o("input_file", PATH, null, "a file with one account per line"))
            .param(o("domains", DOMAIN_LIST, "all", "domains to import"))
            .param(o("filter_deleted", BOOLEAN, "true", "leave out deleted items"))
            .param(o("skip_system_accounts", BOOLEAN, "true", "leave out system accounts"))
            .param(o("skip_aliases", BOOLEAN, "false", "leave out aliases"))
            .param(o("skip_distribution_lists", BOOLEAN, "false", "leave out distribution lists"))
            .param(o("skip_coses", BOOLEAN, "false", "leave out classes of service"))
            .param(o("skip_account_provisioning", BOOLEAN, "false", "leave out account attributes"))
            .param(o("skip_domain_provisioning", BOOLEAN, "false", "leave out domain attributes"))
            .param(o("provisioning_only", BOOLEAN, "false", "import provisioning, no items"))
            .param(o("notifications", EMAIL_LIST, null, NOTIFY))
            .param(o("concurrent_accounts", INTEGER, "1", "accounts imported in parallel"))
            .param(o("max_file_size", INTEGER, null, "largest item imported, in MB"))
            .param(o("restore_datasource", BOOLEAN, "true", "re-create data sources"))
            .param(o("force_as_external_restore", BOOLEAN, "false", "treat a same-server source as external"))
            .param(o("blobs_archive", PATH, null,
                "read the contents from an off-site copy: remote (this server's) or remote:<server> (storefleet)"))
            .param(o("plan", STRING, null,
                "the planned import this operation is part of; set by the coordinator (storefleet)"))
            .param(o("plan_part", STRING, null,
                "which part of the plan it is, as <i>/<n>; set by the coordinator (storefleet)"))
            .queued()
            .example("doExternalRestore /opt/storefleet/import domains example.com concurrent_accounts 5",
                "Imports example.com, five accounts at a time")
            .build(),
        backup(BackupCommand.DO_FIX_SHARES, "Try to fix all shares on local accounts").role(Role.OPERATOR)
            .param(m("import_idmap_file", STRING,
                "an idmap file in the backup path (map_<server>), or all: every server's maps, every server's shares"))
            .queued()
            .broadcast()
            .coordinatorWhen("import_idmap_file", "all", Route.SHARE_FIX, TargetKind.NONE, TargetKind.ALL_SERVERS)
            .example("doFixShares map_mbox1", "Fixes shares with the mapping in map_mbox1")
            .build(),
        backup(BackupCommand.DO_FETCH_REMOTE_BACKUP, "Rebuild a server's backup path from its off-site copy (storefleet)").role(Role.OPERATOR)
            .param(m("destination_path", PATH, "an empty folder, which becomes a backup path"))
            .param(o("server", STRING, null, "whose copy (default: this server's)"))
            .param(o("snapshot", INTEGER, null, "snapshot number (default: newest; see doCoherencyCheck remote true)"))
            .param(o("metadata_only", BOOLEAN, "false",
                "fetch the metadata only; restores then read the blobs from the bucket (blobs_archive remote:<server>)"))
            .param(o("notifications", EMAIL_LIST, null, NOTIFY))
            .queued()
            .example("doFetchRemoteBackup /opt/storefleet/fetched/mbox1 server mbox1",
                "Rebuilds mbox1's backup path from the bucket, for doRawRestore and doRestoreBlobs")
            .build(),
        backup(BackupCommand.DO_PRUNE_REMOTE_BACKUP,
            "Remove from the off-site copy what the backup path and the snapshots kept no longer need (storefleet)")
            .role(Role.OPERATOR)
            .param(o("keep_snapshots", INTEGER, "1", "snapshots to keep, counting the one the prune writes"))
            .param(o("dryrun", BOOLEAN, "false", "only count what would be deleted"))
            .param(o("notifications", EMAIL_LIST, null, NOTIFY))
            .queued()
            .example("doPruneRemoteBackup keep_snapshots 4",
                "After doPurge: uploads, then deletes the copy's objects that neither the path nor the 4 newest"
                    + " snapshots need, with the credentials of ZxBackup_RemotePruneSecretsFile")
            .build(),
        backup(BackupCommand.DO_ITEM_RESTORE, "Restores a single item").role(Role.HELPDESK)
            .param(m("account_name", ACCOUNT, "the item's owner"))
            .param(m("item_id", INTEGER, "the item id"))
            .param(o("restore_folder", STRING, null, "folder to restore into"))
            .queued()
            .byAccount("account_name")
            .example("doItemRestore john@example.com 4784", "Restores item 4784 in john@example.com's mailbox")
            .build(),
        backup(BackupCommand.DO_ITEM_SEARCH, "Search for an item").role(Role.HELPDESK).readOnly()
            .param(m("account", ACCOUNT_OR_ID, "the account whose backup is searched (deleted ones too)"))
            .param(o("from", STRING, null, "sender contains (storefleet)"))
            .param(o("to", STRING, null, "a recipient contains (storefleet)"))
            .param(o("subject", STRING, null, "subject words (storefleet)"))
            .param(o("folder", STRING, null, "folder path (storefleet)"))
            .param(o("type", CHOICE, "all", "item type (storefleet)",
                "all", "message", "contact", "appointment", "task", "document"))
            .param(o("start_date", DATE, "first", "oldest state date (storefleet)", "first"))
            .param(o("end_date", DATE, "last", "newest state date (storefleet)", "last"))
            .param(o("deleted", CHOICE, "any", "deleted state (storefleet)", "any", "true", "false"))
            .byAccount("account")
            .fromBackup()
            .example("doItemSearch john@example.com from alice subject invoice deleted true",
                "Lists John's deleted items from alice with 'invoice' in the subject")
            .build(),
        backup(BackupCommand.DO_PURGE, "Perform a Purge Operation").role(Role.OPERATOR)
            .param(o("purgeDays", STRING, null, "retention in days; 0 means infinite"))
            .param(o("backup_path", PATH, null, BACKUP_PATH))
            .queued()
            .broadcast()
            .example("doPurge purgeDays 30", "Purges deleted items older than 30 days")
            .build(),
        backup(BackupCommand.DO_RAW_RESTORE, "Perform a raw restore [BETA]").role(Role.OPERATOR)
            .param(m("source_path", PATH, "the backup path of the lost server"))
            .param(o("notifications", EMAIL_LIST, null, NOTIFY))
            .param(o("skipProvisioning", BOOLEAN, "false", "do not re-create provisioning"))
            .param(o("deleteWhenConflict", BOOLEAN, "false", "delete a mailbox whose ids conflict"))
            .queued()
            .example("doRawRestore /my/backup/path skipProvisioning false deleteWhenConflict false",
                "Restores metadata keeping the original ids")
            .build(),
        backup(BackupCommand.DO_RESTART_SERVICE, "restart a given service").role(Role.ADMIN)
            .param(m("service_name", STRING, "a service listed by getServices"))
            .broadcast()
            .example("doRestartService realtime-scanner", "Restarts the real-time scanner")
            .build(),
        backup(BackupCommand.DO_RESTORE_BLOBS, "Start a restore blobs operation which tries to restore broken blobs").role(Role.OPERATOR)
            .param(m("volume_id", STRING, "the volume whose blobs are restored"))
            .param(o("backup_path", PATH, null, BACKUP_PATH))
            .param(o("dryrun", BOOLEAN, "true", "only report what would be restored"))
            .param(o("threads", INTEGER, "4", "parallel blob writers"))
            .param(o("blobs_archive", PATH, null, "an archive holding the blobs"))
            .queued()
            .example("doRestoreBlobs 1 dryrun false", "Restores the blobs of volume 1")
            .build(),
        backup(BackupCommand.DO_RESTORE_DELETED_ACCOUNT, "Restore a deleted account into a new account (storefleet)").role(Role.HELPDESK)
            .param(m("account", ACCOUNT_OR_ID, "the deleted account, by its last name or its id"))
            .param(m("destination_account", ACCOUNT,
                "the new account, created on the server whose backup holds the deleted one"))
            .param(o("hide_in_gal", BOOLEAN, "false", "hide the new account from the GAL"))
            .param(o("notifications", EMAIL_LIST, null, NOTIFY))
            .queued()
            .byAccount("account")
            .fromBackup()
            .example("doRestoreDeletedAccount john@example.com john.restored@example.com",
                "Restores John's deleted account, as it was when it was deleted, into a new account")
            .build(),
        backup(BackupCommand.DO_RESTORE_ON_NEW_ACCOUNT, "Perform a Restore on New Account").role(Role.HELPDESK)
            .param(m("source_account", ACCOUNT_OR_ID, "the account to restore"))
            .param(m("destination_account", ACCOUNT, "the new account, created on the source's server"))
            .param(m("date", DATE, "the instant to restore", "last"))
            .param(o("restore_chat_buddies", BOOLEAN, "false", "restore chat buddies"))
            .param(o("notifications", EMAIL_LIST, null, NOTIFY))
            .param(o("hide_in_gal", BOOLEAN, "false", "hide the new account from the GAL"))
            .param(o("apply_hsm", BOOLEAN, "false", "obey the HSM policy"))
            .param(o("restore_datasource", BOOLEAN, "true", "restore data sources"))
            .param(o("undelete", BOOLEAN, "false", "also restore deleted items"))
            .param(o("undelete_start_date", DATE, null, "oldest deletion to restore", "first"))
            .param(o("backup_path", PATH, null,
                "another backup path to read, e.g. a lost server's fetched from its off-site copy (storefleet)"))
            .param(o("blobs_archive", PATH, null,
                "read the contents from an off-site copy: remote (this server's) or remote:<server> (storefleet)"))
            .queued()
            .byAccount("source_account")
            .fromBackup()
            .example("doRestoreOnNewAccount john@example.com newjohn@example.com \"28/09/2012 10:15:10\"",
                "Restores John's account as it was then into newjohn@example.com")
            .build(),
        backup(BackupCommand.DO_SMART_SCAN, "Perform a Smart Scan").role(Role.OPERATOR)
            .param(o("notifications", EMAIL_LIST, null, NOTIFY))
            .param(o("deep", BOOLEAN, "false", "re-read every item, not only changed ones"))
            .param(o("read_error_threshold", INTEGER, null, "stop after this many read errors"))
            .param(o("remote_metadata_upload", BOOLEAN, "false", "upload metadata to remote storage"))
            .param(o("remote_take_over", BOOLEAN, "false", TAKE_OVER))
            .param(o("create_fake_blob", BOOLEAN, "false", "write a placeholder for unreadable blobs"))
            .queued()
            .broadcast()
            .example("doSmartScan notifications user1@example.com,user2@example.com",
                "Performs a smart scan and notifies user1 and user2")
            .build(),
        backup(BackupCommand.DO_START_SERVICE, "start a given service").role(Role.ADMIN)
            .param(m("service_name", STRING, "a service listed by getServices"))
            .broadcast()
            .example("doStartService realtime-scanner", "Starts the real-time scanner")
            .build(),
        backup(BackupCommand.DO_STOP_ALL_OPERATIONS, "Stops all running operations and empties the operations queue").role(Role.OPERATOR)
            .broadcast()
            .example("doStopAllOperations", "Stops all running operations")
            .build(),
        backup(BackupCommand.DO_STOP_OPERATION, "Stop a single running operation").role(Role.OPERATOR)
            .param(m("operation_uuid", UUID, "the operation to stop or remove from the queue"))
            .cluster()
            .coordinator(Route.OPERATION_HOLDER, TargetKind.NONE, TargetKind.SERVER)
            .example("doStopOperation 30ed9eb9-eb28-4ca6-b65e-9940654b8601",
                "Stops operation 30ed9eb9-eb28-4ca6-b65e-9940654b8601")
            .build(),
        backup(BackupCommand.DO_STOP_SERVICE, "stop a given service").role(Role.ADMIN)
            .param(m("service_name", STRING, "a service listed by getServices"))
            .broadcast()
            .example("doStopService realtime-scanner", "Stops the real-time scanner")
            .build(),
        backup(BackupCommand.DO_UNDELETE, "Perform an Undelete Restore").role(Role.HELPDESK)
            .param(m("account", ACCOUNT, "the account"))
            .param(m("start_date", DATE, "the start of the window", "first"))
            .param(m("end_date", DATE, "the end of the window", "last"))
            .param(o("target_original_folder", BOOLEAN, "true",
                "restore into the original folder instead of a dated restore folder"))
            .param(o("apply_hsm", BOOLEAN, "false", "obey the HSM policy"))
            .param(o("notifications", EMAIL_LIST, null, NOTIFY))
            .queued()
            .byAccount("account")
            .example("doUndelete john@example.com \"08/10/2012 10:15:00\" last",
                "Restores every item John deleted since 08/10/2012 10:15:00")
            .build());
  }
}
