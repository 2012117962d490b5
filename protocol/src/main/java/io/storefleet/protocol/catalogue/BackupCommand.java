package io.storefleet.protocol.catalogue;

/**
 * The backup commands of the catalogue ({@link BackupCommands}) as names code can use: workers
 * register and queue commands by these constants, so a misspelt command does not compile. Each
 * command's name is written here only: {@link BackupCommands} and {@link BackupInfoCommands} build
 * its entry from the constant, and {@code CatalogueTest} checks that every constant has exactly one
 * entry, named after it. A command added to either gets its constant here first.
 */
public enum BackupCommand implements CatalogueEntry {
  DO_ACCOUNT_SCAN("doAccountScan"),
  DO_BACKUP_CLUSTER("doBackupCluster"),
  DO_BACKUP_LDAP("doBackupLDAP"),
  DO_BACKUP_SERVER_CUSTOMIZATIONS("doBackupServerCustomizations"),
  DO_CHECK_SHARES("doCheckShares"),
  DO_COHERENCY_CHECK("doCoherencyCheck"),
  DO_ENABLE_DISABLE_COS("doEnableDisableCOS"),
  DO_EXPORT("doExport"),
  DO_EXTERNAL_RESTORE("doExternalRestore"),
  DO_FETCH_REMOTE_BACKUP("doFetchRemoteBackup"),
  DO_FIX_SHARES("doFixShares"),
  DO_ITEM_RESTORE("doItemRestore"),
  DO_ITEM_SEARCH("doItemSearch"),
  DO_PRUNE_REMOTE_BACKUP("doPruneRemoteBackup"),
  DO_PURGE("doPurge"),
  DO_RAW_RESTORE("doRawRestore"),
  DO_RESTART_SERVICE("doRestartService"),
  DO_RESTORE_BLOBS("doRestoreBlobs"),
  DO_RESTORE_DELETED_ACCOUNT("doRestoreDeletedAccount"),
  DO_RESTORE_ON_NEW_ACCOUNT("doRestoreOnNewAccount"),
  DO_SMART_SCAN("doSmartScan"),
  DO_START_SERVICE("doStartService"),
  DO_STOP_ALL_OPERATIONS("doStopAllOperations"),
  DO_STOP_OPERATION("doStopOperation"),
  DO_STOP_SERVICE("doStopService"),
  DO_UNDELETE("doUndelete"),
  GET_ACCOUNT_INFO("getAccountInfo"),
  GET_ALL_OPERATIONS("getAllOperations"),
  GET_AVAILABLE_ACCOUNTS("getAvailableAccounts"),
  GET_AVAILABLE_DOMAINS("getAvailableDomains"),
  GET_BACKUP_INFO("getBackupInfo"),
  GET_COS_BACKUP_STATUS("getCOSBackupStatus"),
  GET_ITEM("getItem"),
  GET_MAP("getMap"),
  GET_PROPERTY("getProperty"),
  GET_SERVER_CONFIG("getServerConfig"),
  GET_SERVICES("getServices"),
  MONITOR("monitor"),
  SET_PROPERTY("setProperty");

  private final String command;

  BackupCommand(String command) {
    this.command = command;
  }

  @Override
  public String command() {
    return command;
  }

  @Override
  public Module module() {
    return Module.BACKUP;
  }
}
