package io.storefleet.protocol.catalogue;

import static io.storefleet.protocol.catalogue.BackupCommands.BACKUP_PATH;
import static io.storefleet.protocol.catalogue.CommandBuilder.backup;
import static io.storefleet.protocol.catalogue.ParamSpec.m;
import static io.storefleet.protocol.catalogue.ParamSpec.o;
import static io.storefleet.protocol.catalogue.ParamType.ACCOUNT_OR_ID;
import static io.storefleet.protocol.catalogue.ParamType.BOOLEAN;
import static io.storefleet.protocol.catalogue.ParamType.CHOICE;
import static io.storefleet.protocol.catalogue.ParamType.COS;
import static io.storefleet.protocol.catalogue.ParamType.DATE;
import static io.storefleet.protocol.catalogue.ParamType.INTEGER;
import static io.storefleet.protocol.catalogue.ParamType.PATH;
import static io.storefleet.protocol.catalogue.ParamType.STRING;
import static io.storefleet.protocol.catalogue.ParamType.UUID;

import io.storefleet.protocol.access.Role;
import java.util.List;

/**
 * The backup table's commands that are not operations (Zextras Backup manual, "Zextras Backup
 * CLI"): the get... queries, monitor, and getProperty/setProperty. The operations and the
 * catalogue's version notes are in {@link BackupCommands}.
 */
final class BackupInfoCommands {
  private BackupInfoCommands() {}

  static List<CommandSpec> all() {
    return List.of(
        backup(BackupCommand.GET_ACCOUNT_INFO, "Shows an account's information").role(Role.VIEWER).readOnly()
            .param(m("account", ACCOUNT_OR_ID, "the account"))
            .param(o("backup_path", PATH, null, BACKUP_PATH))
            .param(o("date", DATE, "last", "the state to show", "last"))
            .byAccount("account")
            .fromBackup()
            .example("getAccountInfo john@example.com", "Shows John's backed-up account")
            .build(),
        backup(BackupCommand.GET_ALL_OPERATIONS, "Displays all running and queued operations").role(Role.VIEWER).readOnly()
            .param(o("verbose", BOOLEAN, "false", "also list finished operations and parameters"))
            .cluster()
            .coordinator(Route.QUEUE_TABLE, TargetKind.NONE, TargetKind.ALL_SERVERS)
            .example("getAllOperations", "Shows all running and queued operations")
            .build(),
        backup(BackupCommand.GET_AVAILABLE_ACCOUNTS, "Displays all accounts available for restore").role(Role.VIEWER).readOnly()
            .param(o("backup_path", PATH, null, BACKUP_PATH))
            .param(o("date", DATE, "last", "accounts that existed then", "last"))
            .broadcast()
            .example("getAvailableAccounts", "Lists the accounts in the backup")
            .build(),
        backup(BackupCommand.GET_AVAILABLE_DOMAINS, "Displays all domains available for restore").role(Role.VIEWER).readOnly()
            .param(m("date", DATE, "domains that existed then", "last"))
            .param(m("backup_path", PATH, "the backup path to read"))
            .broadcast()
            .example("getAvailableDomains last /opt/storefleet/backup", "Lists the domains in the backup")
            .build(),
        backup(BackupCommand.GET_BACKUP_INFO, "Displays informations about the backup system").role(Role.VIEWER).readOnly()
            .param(o("backup_path", PATH, null, BACKUP_PATH))
            .broadcast()
            .example("getBackupInfo", "Shows the backup path, its size and its last scans")
            .build(),
        backup(BackupCommand.GET_COS_BACKUP_STATUS, "Displays the backup status of all COS").role(Role.VIEWER).readOnly()
            .broadcast()
            .example("getCOSBackupStatus", "Shows which COS are backed up")
            .build(),
        backup(BackupCommand.GET_ITEM, "Display an item in a human-readable format.").role(Role.HELPDESK).readOnly()
            .param(m("account", ACCOUNT_OR_ID, "the item's owner"))
            .param(m("item", INTEGER, "the item id"))
            .param(o("backup_path", PATH, null, BACKUP_PATH))
            .param(o("dump_blob", BOOLEAN, "false", "print the raw message"))
            .param(o("date", DATE, "last", "the state to show", "last", "all"))
            .param(o("blobs_archive", PATH, null, "an archive holding the blobs"))
            .byAccount("account")
            .fromBackup()
            .example("getItem john@example.com 339 date all", "Shows every state of item 339")
            .build(),
        backup(BackupCommand.GET_MAP, "Show binary Map<String, String> object as human readable table").role(Role.OPERATOR).readOnly()
            .param(m("file_path", PATH, "a map_<server> file"))
            .example("getMap map_mbox1", "Shows the import map from mbox1")
            .build(),
        backup(BackupCommand.GET_PROPERTY, "Get configuration properties").role(Role.VIEWER).readOnly()
            .param(o("property", STRING, null, "one property (storefleet; default: all)"))
            .param(o("scope", CHOICE, "server",
                "show the value in effect on the server or the global one (storefleet)", "server", "global"))
            .broadcast()
            .example("getProperty property ZxBackup_RealTimeScanner", "Shows whether the scanner runs")
            .build(),
        backup(BackupCommand.GET_SERVER_CONFIG, "Provides a list of stored server configs").role(Role.VIEWER).readOnly()
            .param(m("type", CHOICE, "which configuration", "standard", "customizations"))
            .param(o("date", DATE, "last", "the state to show", "last", "all"))
            .param(o("backup_path", PATH, null, BACKUP_PATH))
            .param(o("file", PATH, null, "a backup file to read instead"))
            .param(o("query", STRING, null, "section/id/key"))
            .param(o("verbose", BOOLEAN, "false", "show every attribute"))
            .param(o("colors", BOOLEAN, "false", "colored output"))
            .example("getServerConfig standard date last", "Shows the latest server configuration")
            .build(),
        backup(BackupCommand.GET_SERVICES, "show current status of all services for this module").role(Role.VIEWER).readOnly()
            .broadcast()
            .example("getServices", "Lists the worker's services and their state")
            .build(),
        backup(BackupCommand.MONITOR, "Monitor a running operation").role(Role.VIEWER).readOnly()
            .param(m("operation_uuid", UUID, "the operation"))
            .param(o("operation_host", STRING, null, "the server running it (found by uuid if left out)"))
            .cluster()
            .coordinator(Route.OPERATION_HOLDER, TargetKind.NONE, TargetKind.SERVER)
            .example("monitor 30ed9eb9-eb28-4ca6-b65e-9940654b8601", "Shows that operation's progress")
            .build(),
        backup(BackupCommand.SET_PROPERTY, "Set configuration property").role(Role.ADMIN)
            .param(m("property_name", STRING, "the property"))
            .param(m("property_value", STRING, "its new value"))
            .param(o("scope", CHOICE, "server",
                "set the server's own value or the global one every server uses unless it has its own;"
                    + " global without --host goes to all servers (storefleet)", "server", "global"))
            .broadcast()
            .broadcastWhen("scope", "global")
            .example("setProperty ZxBackup_RealTimeScanner false", "Stops the real-time scanner")
            .build());
  }
}
