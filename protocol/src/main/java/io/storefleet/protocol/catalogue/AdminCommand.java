package io.storefleet.protocol.catalogue;

/**
 * The admin commands of the catalogue ({@link AdminCommands}) as names code can use: workers
 * register and queue commands by these constants, so a misspelt command does not compile. Each
 * command's name is written here only: {@link AdminCommands} builds its entry from the constant,
 * and {@code CatalogueTest} checks that every constant has exactly one entry, named after it. A
 * command added to {@link AdminCommands} gets its constant here first.
 */
public enum AdminCommand implements CatalogueEntry {
  CREATE_DOMAIN("createDomain"),
  DELETE_DOMAIN("deleteDomain"),
  CREATE_COS("createCos"),
  DELETE_COS("deleteCos"),
  CREATE_ACCOUNT("createAccount"),
  DELETE_ACCOUNT("deleteAccount"),
  ADD_ALIAS("addAlias"),
  CREATE_DISTRIBUTION_LIST("createDistributionList"),
  DELETE_DISTRIBUTION_LIST("deleteDistributionList"),
  LIST_ACCOUNTS("listAccounts"),
  CREATE_FOLDER("createFolder"),
  LIST_FOLDERS("listFolders"),
  LIST_ITEMS("listItems"),
  INJECT_MESSAGES("injectMessages"),
  MOVE_ITEM("moveItem"),
  FLAG_ITEM("flagItem"),
  TAG_ITEM("tagItem"),
  DELETE_ITEM("deleteItem"),
  EMPTY_FOLDER("emptyFolder"),
  GRANT_FOLDER("grantFolder"),
  MOUNT_SHARE("mountShare"),
  LIST_SHARES("listShares"),
  GET_JOURNAL("getJournal");

  private final String command;

  AdminCommand(String command) {
    this.command = command;
  }

  @Override
  public String command() {
    return command;
  }

  @Override
  public Module module() {
    return Module.ADMIN;
  }
}
