package io.storefleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What help says without a coordinator (issue 18, items 8 and 12). */
class HelpTextTest {

  @Test
  void helpSaysWhichZoneADateIsReadIn() {
    CliIT.Run top = StorefleetCliHelp.run("help");
    assertEquals(0, top.code());
    assertTrue(top.out().contains("read in the time zone of the server that runs the command"), top.out());
    CliIT.Run command = StorefleetCliHelp.run("help", "backup", "doRestoreOnNewAccount");
    assertTrue(command.out().contains("'01/02/2026 10:00:00 +01:00'"), command.out());
    CliIT.Run noDates = StorefleetCliHelp.run("help", "backup", "doAccountScan");
    assertTrue(!noDates.out().contains("time zone"), "only commands that take a date: " + noDates.out());
  }

  @Test
  void helpListsProgressForImport() {
    assertTrue(StorefleetCliHelp.run("--help").out().contains("[--json] [--progress] [--sync] import"));
    CliIT.Run r = StorefleetCliHelp.run("import", "mirror", "--help");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("[--json] [--progress] [--sync] import mirror"), r.out());
  }
}
