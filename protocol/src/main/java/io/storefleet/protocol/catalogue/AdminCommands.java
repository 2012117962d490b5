package io.storefleet.protocol.catalogue;

import static io.storefleet.protocol.catalogue.CommandBuilder.admin;
import static io.storefleet.protocol.catalogue.ParamSpec.m;
import static io.storefleet.protocol.catalogue.ParamSpec.o;
import static io.storefleet.protocol.catalogue.ParamType.ACCOUNT;
import static io.storefleet.protocol.catalogue.ParamType.ACCOUNT_LIST;
import static io.storefleet.protocol.catalogue.ParamType.CHOICE;
import static io.storefleet.protocol.catalogue.ParamType.COS;
import static io.storefleet.protocol.catalogue.ParamType.DOMAIN;
import static io.storefleet.protocol.catalogue.ParamType.INTEGER;
import static io.storefleet.protocol.catalogue.ParamType.PATH;
import static io.storefleet.protocol.catalogue.ParamType.STRING;
import static io.storefleet.protocol.catalogue.ParamType.STRING_LIST;

import io.storefleet.protocol.access.Role;
import java.util.List;

/**
 * Administration of the embedded {@code local} store: what zmprov and zmmailbox do on a real
 * mail system. Provisioning objects that every server must know (domains, COS, distribution
 * lists) allow {@code all_servers}, which is their default target in the CLI.
 */
final class AdminCommands {
  private AdminCommands() {}

  static final String FLAGS = "seen,answered,flagged,draft,deleted";

  static List<CommandSpec> all() {
    return List.of(
        admin(AdminCommand.CREATE_DOMAIN, "Create a domain").role(Role.ADMIN)
            .param(m("domain", DOMAIN, "the domain name"))
            .broadcastByDefault()
            .example("createDomain example.com", "Creates example.com")
            .build(),
        admin(AdminCommand.DELETE_DOMAIN, "Delete an empty domain").role(Role.ADMIN)
            .param(m("domain", DOMAIN, "the domain name"))
            .broadcastByDefault()
            .example("deleteDomain example.com", "Deletes example.com (it must hold no accounts)")
            .build(),
        admin(AdminCommand.CREATE_COS, "Create a class of service").role(Role.ADMIN)
            .param(m("cos", COS, "the COS name"))
            .param(o("notes", STRING, "", "the notes field"))
            .broadcastByDefault()
            .example("createCos staff", "Creates the COS staff")
            .build(),
        admin(AdminCommand.DELETE_COS, "Delete a class of service no account uses").role(Role.ADMIN)
            .param(m("cos", COS, "the COS name"))
            .broadcastByDefault()
            .example("deleteCos staff", "Deletes the COS staff")
            .build(),
        admin(AdminCommand.CREATE_ACCOUNT, "Create an account on the target server").role(Role.ADMIN)
            .param(m("account", ACCOUNT, "the account name (user@domain)"))
            .param(o("cos", COS, "default", "its class of service"))
            .param(o("display_name", STRING, null, "its display name"))
            .placedOnFewestAccounts()
            .example("createAccount john@example.com cos staff", "Creates john@example.com")
            .build(),
        admin(AdminCommand.DELETE_ACCOUNT, "Delete an account and its mailbox").role(Role.ADMIN)
            .param(m("account", ACCOUNT, "the account"))
            .byAccount("account")
            .example("deleteAccount john@example.com", "Deletes john@example.com")
            .build(),
        admin(AdminCommand.ADD_ALIAS, "Add an alias to an account").role(Role.ADMIN)
            .param(m("account", ACCOUNT, "the account"))
            .param(m("alias", ACCOUNT, "the alias address"))
            .byAccount("account")
            .example("addAlias john@example.com j@example.com", "Adds the alias j@example.com")
            .build(),
        admin(AdminCommand.CREATE_DISTRIBUTION_LIST, "Create a distribution list").role(Role.ADMIN)
            .param(m("list", ACCOUNT, "the list address"))
            .param(o("members", ACCOUNT_LIST, "", "member addresses"))
            .broadcastByDefault()
            .example("createDistributionList all@example.com members john@example.com",
                "Creates the list all@example.com")
            .build(),
        admin(AdminCommand.DELETE_DISTRIBUTION_LIST, "Delete a distribution list").role(Role.ADMIN)
            .param(m("list", ACCOUNT, "the list address"))
            .broadcastByDefault()
            .example("deleteDistributionList all@example.com", "Deletes the list")
            .build(),
        admin(AdminCommand.LIST_ACCOUNTS, "List the accounts of the target server").role(Role.VIEWER).readOnly()
            .broadcastByDefault()
            .example("listAccounts", "Lists the accounts")
            .build(),
        admin(AdminCommand.CREATE_FOLDER, "Create a folder (parents are created too)").role(Role.ADMIN)
            .param(m("account", ACCOUNT, "the mailbox"))
            .param(m("path", STRING, "the folder path, e.g. /Inbox/Projects"))
            .param(o("view", CHOICE, "message", "what the folder holds",
                "message", "contact", "appointment", "task", "document"))
            .byAccount("account")
            .example("createFolder john@example.com /Inbox/Projects", "Creates /Inbox/Projects")
            .build(),
        admin(AdminCommand.LIST_FOLDERS, "List an account's folders").role(Role.HELPDESK).readOnly()
            .param(m("account", ACCOUNT, "the mailbox"))
            .byAccount("account")
            .example("listFolders john@example.com", "Lists John's folders")
            .build(),
        admin(AdminCommand.LIST_ITEMS, "List the items of a folder").role(Role.HELPDESK).readOnly()
            .param(m("account", ACCOUNT, "the mailbox"))
            .param(o("folder", STRING, "/Inbox", "the folder path"))
            .byAccount("account")
            .example("listItems john@example.com folder /Inbox", "Lists John's inbox")
            .build(),
        admin(AdminCommand.INJECT_MESSAGES, "Add messages from an .eml file, a folder of them or an mbox file").role(Role.ADMIN)
            .param(m("account", ACCOUNT, "the mailbox"))
            .param(m("source", PATH, "an .eml file, a folder of files, or an mbox file"))
            .param(o("folder", STRING, "/Inbox", "the folder path"))
            .param(o("flags", STRING_LIST, "", "flags to set: " + FLAGS))
            .param(o("tags", STRING_LIST, "", "tags to set"))
            .byAccount("account")
            .example("injectMessages john@example.com /tmp/mail.mbox folder /Inbox",
                "Adds every message of mail.mbox to John's inbox")
            .build(),
        admin(AdminCommand.MOVE_ITEM, "Move an item to another folder").role(Role.ADMIN)
            .param(m("account", ACCOUNT, "the mailbox"))
            .param(m("item_id", INTEGER, "the item"))
            .param(m("folder", STRING, "the destination folder path"))
            .byAccount("account")
            .example("moveItem john@example.com 257 /Trash", "Moves item 257 to the trash")
            .build(),
        admin(AdminCommand.FLAG_ITEM, "Set an item's flags (replaces them)").role(Role.ADMIN)
            .param(m("account", ACCOUNT, "the mailbox"))
            .param(m("item_id", INTEGER, "the item"))
            .param(m("flags", STRING_LIST, "flags: " + FLAGS + "; 'none' clears them"))
            .byAccount("account")
            .example("flagItem john@example.com 257 seen,flagged", "Marks item 257 seen and flagged")
            .build(),
        admin(AdminCommand.TAG_ITEM, "Set an item's tags (replaces them)").role(Role.ADMIN)
            .param(m("account", ACCOUNT, "the mailbox"))
            .param(m("item_id", INTEGER, "the item"))
            .param(m("tags", STRING_LIST, "tag names; 'none' clears them"))
            .byAccount("account")
            .example("tagItem john@example.com 257 urgent", "Tags item 257 urgent")
            .build(),
        admin(AdminCommand.DELETE_ITEM, "Delete an item").role(Role.ADMIN)
            .param(m("account", ACCOUNT, "the mailbox"))
            .param(m("item_id", INTEGER, "the item"))
            .byAccount("account")
            .example("deleteItem john@example.com 257", "Deletes item 257")
            .build(),
        admin(AdminCommand.EMPTY_FOLDER, "Delete every item of a folder").role(Role.ADMIN)
            .param(m("account", ACCOUNT, "the mailbox"))
            .param(m("folder", STRING, "the folder path"))
            .byAccount("account")
            .example("emptyFolder john@example.com /Trash", "Empties John's trash")
            .build(),
        admin(AdminCommand.GRANT_FOLDER, "Share a folder with another account").role(Role.ADMIN)
            .param(m("account", ACCOUNT, "the owner"))
            .param(m("folder", STRING, "the folder path"))
            .param(m("grantee", ACCOUNT, "the account given access (any server)"))
            .param(o("rights", STRING, "r", "rights: r, rw, rwidx"))
            .byAccount("account")
            .example("grantFolder john@example.com /Inbox/Projects alice@example.com rights rw",
                "Shares John's Projects folder with Alice")
            .build(),
        admin(AdminCommand.MOUNT_SHARE, "Mount a folder another account shared").role(Role.ADMIN)
            .param(m("account", ACCOUNT, "the grantee, whose mailbox gets the mountpoint"))
            .param(m("owner", ACCOUNT, "the owner of the shared folder (any server)"))
            .param(m("remote_folder", STRING, "the owner's folder path"))
            .param(m("name", STRING, "the mountpoint's folder path in the grantee's mailbox"))
            .byAccount("account")
            .example("mountShare alice@example.com john@example.com /Inbox/Projects /John-Projects",
                "Mounts John's Projects folder in Alice's mailbox")
            .build(),
        admin(AdminCommand.LIST_SHARES, "List an account's grants and mountpoints").role(Role.HELPDESK).readOnly()
            .param(m("account", ACCOUNT, "the mailbox"))
            .byAccount("account")
            .example("listShares john@example.com", "Lists John's shares")
            .build(),
        admin(AdminCommand.GET_JOURNAL, "Show the store's change journal").role(Role.OPERATOR).readOnly()
            .param(o("since", INTEGER, "0", "first sequence number"))
            .param(o("limit", INTEGER, "100", "most entries"))
            .example("getJournal since 100 limit 20", "Shows 20 changes from sequence 100")
            .build());
  }
}
