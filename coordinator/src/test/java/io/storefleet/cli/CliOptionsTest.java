package io.storefleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Where global options may stand, and what a misplaced one is told (issue 18, item 6). */
class CliOptionsTest {

  @Test
  void optionsAfterTheCommandAreTheSameAsBefore() {
    CliOptions before = CliOptions.parse(new String[] {"--host", "mbox1", "--sync", "backup", "doSmartScan"});
    CliOptions after = CliOptions.parse(new String[] {"backup", "dosmartscan", "--host", "mbox1", "--sync"});
    CliOptions between = CliOptions.parse(new String[] {"backup", "--sync", "doSmartScan", "--hostname", "mbox1"});
    assertEquals("mbox1", before.host());
    assertEquals("mbox1", after.host());
    assertEquals("mbox1", between.host());
    assertTrue(before.sync() && after.sync() && between.sync());
    assertEquals(List.of("backup", "dosmartscan"), after.words());
    assertEquals(List.of("backup", "doSmartScan"), between.words());
  }

  @Test
  void aForgottenServerNamesWhereItGoes() {
    CliUsageException e = assertThrows(CliUsageException.class,
        () -> CliOptions.parse(new String[] {"--host", "backup", "doSmartScan"}));
    assertTrue(e.getMessage().contains("'backup', a command word, not a server"), e.getMessage());
    assertTrue(e.getMessage().contains("storefleet --host mbox1 backup"), e.getMessage());
    CliUsageException last = assertThrows(CliUsageException.class,
        () -> CliOptions.parse(new String[] {"backup", "doSmartScan", "--host"}));
    assertTrue(last.getMessage().contains("needs a server name or all_servers right after it"), last.getMessage());
  }

  @Test
  void anUnknownOptionListsTheOptionsAndTheParameterForm() {
    CliUsageException e = assertThrows(CliUsageException.class,
        () -> CliOptions.parse(new String[] {"backup", "doSmartScan", "--deep", "true"}));
    assertTrue(e.getMessage().contains("before or after the command"), e.getMessage());
    assertTrue(e.getMessage().contains("'deep <value>'"), e.getMessage());
  }

  @Test
  void helpAfterACommandShowsThatCommandsPage() {
    CliIT.Run r = StorefleetCliHelp.run("backup", "doUndelete", "--help");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("PARAMETER LIST") && r.out().contains("start_date(M)"), r.out());
  }

  @Test
  void twoDifferentHostsAreRefused() {
    CliUsageException e = assertThrows(CliUsageException.class,
        () -> CliOptions.parse(new String[] {"--host", "mbox1", "backup", "doSmartScan", "--host", "mbox2"}));
    assertTrue(e.getMessage().contains("given twice (mbox1 and mbox2)"), e.getMessage());
  }

  @Test
  void aCommandWithoutItsModuleSaysWhichModule() {
    CliIT.Run r = StorefleetCliHelp.run("doSmartScan", "--host", "mbox1");
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("'doSmartScan' is a backup command: write 'storefleet [options] backup doSmartScan"),
        r.err());
  }

  @Test
  void afterTheEndOfOptionsAValueMayLookLikeAnOption() {
    CliOptions o = CliOptions.parse(new String[] {"--sync", "admin", "--", "createCos", "staff", "notes", "--json",
        "--host", "--help", "--"});
    assertEquals(List.of("admin", "createCos", "staff", "notes", "--json", "--host", "--help", "--"), o.words());
    assertTrue(o.sync());
    assertTrue(!o.json() && !o.help() && o.host() == null, o.toString());
  }

  @Test
  void anUnknownOptionPointsAtTheEndOfOptions() {
    CliUsageException e = assertThrows(CliUsageException.class,
        () -> CliOptions.parse(new String[] {"admin", "createCos", "staff", "notes", "--strange"}));
    assertTrue(e.getMessage().contains("goes after '--'"), e.getMessage());
  }
}
