package io.storefleet.protocol.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The routing rule read from the catalogue's facts, for every special case the router once spelled out. */
class RoutingRuleTest {
  private static CommandSpec backup(String name) {
    return Catalogue.get().backup(name).orElseThrow();
  }

  private static CommandSpec admin(String name) {
    return Catalogue.get().find(Module.ADMIN, name).orElseThrow();
  }

  private static Route route(CommandSpec spec, String target, String... nameValues) {
    Map<String, String> values = new java.util.LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      values.put(nameValues[i], nameValues[i + 1]);
    }
    return RoutingRule.route(spec, values, target);
  }

  /**
   * The one definition of the deleted-account rule: the account commands that read the account
   * from a backup and write nothing into its mailbox are served by the server whose backup holds
   * it. They are exactly the ones whose account parameter takes a name or an id (a deleted
   * account is often known by its id only). The others (doAccountScan, doItemRestore,
   * doUndelete, every admin command) need a live mailbox and answer UNKNOWN_ACCOUNT.
   */
  @Test
  void aDeletedAccountIsServedFromBackupsByTheCommandsThatReadBackupsOnly() {
    Set<String> fromBackup = new TreeSet<>();
    for (CommandSpec s : Catalogue.get().all()) {
      if (RoutingRule.servedFromBackup(s)) {
        fromBackup.add(s.module().word() + " " + s.name());
      }
      if (s.routing() == Routing.ACCOUNT) {
        boolean byId = s.param(s.accountParam()).orElseThrow().type() == ParamType.ACCOUNT_OR_ID;
        assertEquals(byId, RoutingRule.servedFromBackup(s), s.name() + ": served from backups iff named by name or id");
      }
    }
    assertEquals(new TreeSet<>(Set.of("backup doRestoreDeletedAccount", "backup doRestoreOnNewAccount",
        "backup doItemSearch", "backup getItem", "backup getAccountInfo")), fromBackup);
    for (String live : new String[] {"doAccountScan", "doItemRestore", "doUndelete"}) {
      assertEquals(Routing.ACCOUNT, backup(live).routing(), live);
      assertEquals(false, RoutingRule.servedFromBackup(backup(live)), live + " needs a live mailbox");
    }
  }

  /** A lost server's path fetched onto the server the request was sent to is read there. */
  @Test
  void anAccountNoServerOwnsIsServedWhereItWasSentWhenTheBackupPathIsNamed() {
    CommandSpec onNew = backup("doRestoreOnNewAccount");
    assertEquals(true, RoutingRule.servedFromNamedPath(onNew, java.util.Map.of("backup_path", "/srv/restore/mbox1")));
    assertEquals(false, RoutingRule.servedFromNamedPath(onNew, java.util.Map.of("blobs_archive", "remote:mbox1")));
    assertEquals(false, RoutingRule.servedFromNamedPath(backup("doItemRestore"),
        java.util.Map.of("backup_path", "/srv/restore/mbox1")), "doItemRestore needs a live mailbox");
  }

  @Test
  void theAggregatedQueueIsTheCoordinatorsUnlessOneServerIsNamed() {
    assertEquals(Route.QUEUE_TABLE, route(backup("getAllOperations"), null));
    assertEquals(Route.QUEUE_TABLE, route(backup("getAllOperations"), "ALL_SERVERS"));
    assertEquals(Route.NAMED_SERVER, route(backup("getAllOperations"), "mbox2"));
    assertTrue(RoutingRule.allowsAllServers(backup("getAllOperations")));
  }

  @Test
  void operationsAreFoundByTheCoordinatorButNeverBroadcast() {
    assertEquals(Route.OPERATION_HOLDER, route(backup("monitor"), null, "operation_uuid", "x"));
    assertEquals(Route.OPERATION_HOLDER, route(backup("doStopOperation"), "mbox1", "operation_uuid", "x"));
    StorefleetException e = assertThrows(StorefleetException.class, () -> route(backup("monitor"), "all_servers"));
    assertEquals(ErrorCode.BROADCAST_NOT_ALLOWED, e.code());
  }

  @Test
  void shareCommandsAreAnsweredByTheCoordinatorOnlyClusterWide() {
    assertEquals(Route.SHARE_CHECK, route(backup("doCheckShares"), "all_servers"));
    assertEquals(Route.ONLY_SERVER, route(backup("doCheckShares"), null));
    assertEquals(Route.NAMED_SERVER, route(backup("doCheckShares"), "mbox1"));
    assertEquals(Route.SHARE_FIX, route(backup("doFixShares"), null, "import_idmap_file", "ALL"));
    assertEquals(Route.SHARE_FIX, route(backup("doFixShares"), "all_servers", "import_idmap_file", " all "));
    assertEquals(Route.NAMED_SERVER, route(backup("doFixShares"), "mbox1", "import_idmap_file", "all"));
    assertEquals(Route.EVERY_SERVER, route(backup("doFixShares"), "all_servers", "import_idmap_file", "map_mbox1"));
    assertEquals(Route.ONLY_SERVER, route(backup("doFixShares"), null, "import_idmap_file", "map_mbox1"));
  }

  @Test
  void aGlobalPropertyGoesToEveryServerWhenNoServerIsNamed() {
    assertEquals(Route.EVERY_SERVER, route(backup("setProperty"), null, "property_name", "p", "scope", "global"));
    assertEquals(Route.ONLY_SERVER, route(backup("setProperty"), null, "property_name", "p"));
    assertEquals(Route.NAMED_SERVER, route(backup("setProperty"), "mbox2", "scope", "global"));
  }

  @Test
  void adminProvisioningIsBroadcastByDefaultAndNewAccountsArePlaced() {
    for (String n : new String[] {"createDomain", "deleteDomain", "createCos", "deleteCos", "createDistributionList",
        "deleteDistributionList", "listAccounts"}) {
      assertEquals(Route.EVERY_SERVER, route(admin(n), null), n);
    }
    assertEquals(Route.FEWEST_ACCOUNTS, route(admin("createAccount"), null, "account", "a@b.example"));
    assertEquals(Route.NAMED_SERVER, route(admin("createAccount"), "mbox1", "account", "a@b.example"));
    assertEquals(Route.ONLY_SERVER, route(admin("getJournal"), null));
    assertEquals(Route.ONLY_SERVER, route(backup("doSmartScan"), null));
  }

  @Test
  void accountCommandsGoToTheOwnerAndAreNeverBroadcast() {
    assertEquals(Route.OWNER, route(backup("doAccountScan"), null, "account", "a@b.example"));
    assertEquals(Route.OWNER, route(backup("doAccountScan"), "mbox1", "account", "a@b.example"));
    assertEquals("a@b.example", RoutingRule.account(backup("doAccountScan"), Map.of("account", "a@b.example")));
    StorefleetException e = assertThrows(StorefleetException.class,
        () -> route(admin("listFolders"), "all_servers", "account", "a@b.example"));
    assertEquals(ErrorCode.BROADCAST_NOT_ALLOWED, e.code());
    assertTrue(e.getMessage().contains("leave it out to reach the account's owner"), e.getMessage());
  }
}
