package io.storefleet.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens, roles and the audit trail through the storefleet CLI. */
@Tag("cluster")
class CliAccessIT {
  @TempDir static Path root;
  static TestCluster cluster;
  static Api api;

  record Run(int code, String out, String err) {}

  static Run cli(String token, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = StorefleetCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new StorefleetCli.Environment(api.base(), token, 20));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Creates a token with the CLI and returns it, read from the line the CLI prints it on. */
  static String create(String name, String... roleAndDomains) {
    String[] args = new String[3 + roleAndDomains.length];
    args[0] = "tokens";
    args[1] = "create";
    args[2] = name;
    System.arraycopy(roleAndDomains, 0, args, 3, roleAndDomains.length);
    Run r = cli(api.token(), args);
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().split("\n");
    assertTrue(lines[2].contains("only time"), r.out());
    return lines[1].trim();
  }

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(root, 1, 1);
    api = cluster.api();
    Run domain = cli(api.token(), "admin", "createDomain", "acme.test");
    assertEquals(0, domain.code(), domain.err());
    Run account = cli(api.token(), "--host", "mbox1", "admin", "createAccount", "ann@acme.test");
    assertEquals(0, account.code(), account.err());
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  @Test
  void eachRoleThroughTheCli() {
    String viewer = create("cli-viewer", "viewer");
    String helpdesk = create("cli-helpdesk", "helpdesk", "domains", "acme.test");
    String operator = create("cli-operator", "operator");

    assertEquals(0, cli(viewer, "backup", "getAllOperations").code());
    assertEquals("cli-viewer (viewer)\n", cli(viewer, "whoami").out());
    Run refused = cli(viewer, "--host", "mbox1", "backup", "doSmartScan");
    assertEquals(ExitCodes.NO_PERMISSION, refused.code());
    assertTrue(refused.err().contains("NOT_ALLOWED (definite)") && refused.err().contains("needs the role operator"),
        refused.err());

    assertEquals(0, cli(helpdesk, "backup", "doItemSearch", "ann@acme.test").code());
    assertEquals("cli-helpdesk (helpdesk, domains acme.test)\n", cli(helpdesk, "whoami").out());
    assertEquals(ExitCodes.NO_PERMISSION, cli(helpdesk, "tokens", "list").code());

    assertEquals(0, cli(operator, "--sync", "backup", "doAccountScan", "ann@acme.test").code());
    Run notAdmin = cli(operator, "admin", "createAccount", "bo@acme.test");
    assertEquals(ExitCodes.NO_PERMISSION, notAdmin.code());
    assertTrue(notAdmin.err().contains("needs the role admin"), notAdmin.err());
  }

  @Test
  void tokensAreListedAndRevokedAndTheAuditTrailIsReadThroughTheCli() {
    String token = create("cli-temp", "viewer");
    Run list = cli(api.token(), "tokens", "list");
    assertEquals(0, list.code(), list.err());
    assertTrue(list.out().lines().anyMatch(l -> l.startsWith("cli-temp") && l.contains("viewer") && l.contains("active")),
        list.out());
    assertTrue(!list.out().contains(token), "the list never shows a token");
    Run revoke = cli(api.token(), "tokens", "revoke", "cli-temp");
    assertEquals(0, revoke.code(), revoke.err());
    assertTrue(revoke.out().contains("kept on mbox1"), revoke.out());
    Run after = cli(token, "backup", "getAllOperations");
    assertEquals(ExitCodes.NO_PERMISSION, after.code());
    assertTrue(after.err().contains("UNAUTHORIZED") && after.err().contains("revoked"), after.err());

    await().until(() -> cli(api.token(), "audit", "who", "cli-temp", "outcome", "refused").out()
        .contains("backup getAllOperations"));
    Run audit = cli(api.token(), "audit", "who", "cli-temp", "outcome", "refused");
    assertTrue(audit.out().contains("REFUSED UNAUTHORIZED"), audit.out());
    assertEquals(ExitCodes.USAGE, cli(api.token(), "audit", "color", "red").code());
  }
}
