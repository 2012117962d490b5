package io.storefleet.protocol.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.parse.CommandParser;
import io.storefleet.protocol.parse.ParsedCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CatalogueTest {
  /** The vendor manual's "zxsuite backup" table, in its order. */
  static final List<String> VENDOR_TABLE = List.of(
      "doAccountScan", "doBackupCluster", "doBackupLDAP", "doBackupServerCustomizations",
      "doCheckShares", "doCoherencyCheck", "doEnableDisableCOS", "doExport", "doExternalRestore",
      "doFixShares", "doItemRestore", "doItemSearch", "doPurge", "doRawRestore", "doRestartService",
      "doRestoreBlobs", "doRestoreOnNewAccount", "doSmartScan", "doStartService",
      "doStopAllOperations", "doStopOperation", "doStopService", "doUndelete", "getAccountInfo",
      "getAllOperations", "getAvailableAccounts", "getAvailableDomains", "getBackupInfo",
      "getCOSBackupStatus", "getItem", "getMap", "getProperty", "getServerConfig", "getServices",
      "monitor", "setProperty");

  /**
   * Commands storefleet adds to the vendor's: the manual's GUI-only Restore Deleted Account, and
   * the fetch of a backup path from its off-site copy.
   */
  static final List<String> STOREFLEET_OWN = List.of("doRestoreDeletedAccount", "doFetchRemoteBackup",
      "doPruneRemoteBackup");

  /**
   * Code names commands by constants (BackupCommand.DO_SMART_SCAN): each is in its own module and
   * named after its command, so the constant a reader sees is the command that runs, and every
   * catalogued command has exactly one.
   */
  @Test
  void everyEntryIsInItsModuleAndNamedAfterItsCommand() {
    List<CatalogueEntry> entries = new ArrayList<>(List.of(BackupCommand.values()));
    entries.addAll(List.of(AdminCommand.values()));
    for (CatalogueEntry e : entries) {
      Module module = e instanceof BackupCommand ? Module.BACKUP : Module.ADMIN;
      assertEquals(module, e.spec().module(), e + " is in the wrong module");
      assertEquals(((Enum<?>) e).name(), e.spec().name().replaceAll("([a-z0-9])([A-Z])", "$1_$2")
          .replaceAll("([A-Z]+)([A-Z][a-z])", "$1_$2").toUpperCase(java.util.Locale.ROOT),
          "the entry of " + e.spec().name() + " is named after another command");
    }
    List<String> catalogued = Catalogue.get().all().stream().map(c -> c.module().word() + " " + c.name()).sorted()
        .toList();
    List<String> named = entries.stream().map(e -> e.spec().module().word() + " " + e.spec().name()).sorted()
        .toList();
    assertEquals(catalogued, named, "every catalogued command has exactly one constant in BackupCommand or"
        + " AdminCommand");
  }

  @Test
  void everyVendorCommandIsCataloguedAndNothingElseButStorefleetsOwn() {
    Set<String> names = new TreeSet<>();
    Catalogue.get().commands(Module.BACKUP).forEach(s -> names.add(s.name()));
    Set<String> expected = new TreeSet<>(VENDOR_TABLE);
    expected.addAll(STOREFLEET_OWN);
    assertEquals(expected, names);
    for (String own : STOREFLEET_OWN) {
      assertTrue(Catalogue.get().backup(own).orElseThrow().description().endsWith("(storefleet)"),
          own + " must say it is storefleet's, not the vendor's");
    }
  }

  @Test
  void everyExampleParses() {
    CommandParser parser = new CommandParser();
    for (CommandSpec spec : Catalogue.get().all()) {
      assertNotNull(spec.example(), spec.name() + " has no usage example");
      ParsedCommand cmd = parser.parse(spec.module(), Words.split(spec.example().line()));
      assertEquals(spec.name(), cmd.name());
    }
  }

  @Test
  void everyCommandParsesWithMinimalValidArguments() {
    CommandParser parser = new CommandParser();
    for (CommandSpec spec : Catalogue.get().all()) {
      List<String> words = new ArrayList<>();
      words.add(spec.name().toUpperCase());
      for (ParamSpec p : spec.positional()) {
        words.add(sample(p));
      }
      ParsedCommand cmd = parser.parse(spec.module(), words);
      for (ParamSpec p : spec.optional()) {
        if (p.defaultValue() != null) {
          assertTrue(cmd.has(p.name()), spec.name() + "." + p.name() + " default missing");
        }
      }
    }
  }

  @Test
  void routingKindsFollowTheBrief() {
    Catalogue c = Catalogue.get();
    for (String n : List.of("doRestoreOnNewAccount", "doUndelete", "doItemRestore", "doAccountScan", "getItem")) {
      assertEquals(Routing.ACCOUNT, c.backup(n).orElseThrow().routing(), n);
    }
    for (String n : List.of("doSmartScan", "doPurge", "doStopAllOperations", "setProperty", "doCheckShares")) {
      CommandSpec s = c.backup(n).orElseThrow();
      assertEquals(Routing.SERVER, s.routing(), n);
      assertTrue(s.broadcast(), n + " must allow all_servers");
    }
    for (String n : List.of("getAllOperations", "monitor", "doStopOperation")) {
      assertEquals(Routing.CLUSTER, c.backup(n).orElseThrow().routing(), n);
    }
    for (String n : List.of("doSmartScan", "doExport", "doExternalRestore", "doItemRestore", "doPurge", "doCoherencyCheck",
        "doFixShares")) {
      assertTrue(c.backup(n).orElseThrow().queued(), n + " is queued");
    }
    for (String n : List.of("setProperty", "getAllOperations", "doStopOperation", "doEnableDisableCOS", "doCheckShares",
        "getMap")) {
      assertTrue(!c.backup(n).orElseThrow().queued(), n + " is applied at once");
    }
  }

  @Test
  void manualDefaultsAreKept() {
    Catalogue c = Catalogue.get();
    assertEquals("true", c.backup("doRestoreBlobs").orElseThrow().param("dryrun").orElseThrow().defaultValue());
    assertEquals("4", c.backup("doRestoreBlobs").orElseThrow().param("threads").orElseThrow().defaultValue());
    assertEquals("true", c.backup("doExternalRestore").orElseThrow().param("filter_deleted").orElseThrow().defaultValue());
    assertEquals("true", c.backup("doExternalRestore").orElseThrow().param("skip_system_accounts").orElseThrow().defaultValue());
    assertEquals("last", c.backup("getItem").orElseThrow().param("date").orElseThrow().defaultValue());
    assertEquals("true", c.backup("doUndelete").orElseThrow().param("target_original_folder").orElseThrow().defaultValue());
    assertEquals("skip", c.backup("doCoherencyCheck").orElseThrow().param("fixDoubleGzip").orElseThrow().defaultValue());
  }

  @Test
  void helpShowsTheParameterListTable() {
    String help = HelpRenderer.help(Catalogue.get().backup("doExternalRestore").orElseThrow());
    assertTrue(help.contains("PARAMETER LIST"), help);
    assertTrue(help.matches("(?s).*NAME\\s+TYPE\\s+EXPECTED VALUES\\s+DEFAULT.*"), help);
    assertTrue(help.matches("(?s).*source_path\\(M\\)\\s+Path.*"), help);
    assertTrue(help.matches("(?s).*filter_deleted\\(O\\)\\s+Boolean\\s+true\\|false\\s+true.*"), help);
    assertTrue(help.contains("(M) == mandatory parameter, (O) == optional parameter"), help);
    assertTrue(help.contains("Usage example:"), help);
  }

  @Test
  void closestCommandIsSuggested() {
    assertEquals("doSmartScan", Catalogue.get().closest(Module.BACKUP, "doSmartscna").orElseThrow().name());
  }

  static String sample(ParamSpec p) {
    return switch (p.type()) {
      case ACCOUNT, ACCOUNT_OR_ID, ACCOUNT_LIST, ACCOUNT_OR_ID_LIST, EMAIL_LIST -> "john@example.com";
      case DOMAIN, DOMAIN_LIST -> "example.com";
      case COS, COS_LIST -> "default";
      case PATH -> "/tmp/x";
      case BOOLEAN -> "true";
      case INTEGER -> "7";
      case DATE -> p.keywords().isEmpty() ? "01/02/2024 10:00:00" : p.keywords().get(0);
      case UUID -> "30ed9eb9-eb28-4ca6-b65e-9940654b8601";
      case CHOICE -> p.keywords().get(0);
      case STRING, STRING_LIST -> "x";
    };
  }
}
