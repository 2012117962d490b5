package io.storefleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.coordinator.CoordinatorNode;
import io.storefleet.coordinator.http.HttpTransport;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.fabric.tls.CertificateMaker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a coordinator serving HTTPS with its self-signed certificate: pinned on first use. */
@Tag("cluster")
class CliTlsIT {
  @TempDir static Path root;
  static TestCluster cluster;
  static CoordinatorNode coordinator;
  static HttpTransport transport;
  /** A second coordinator with a self-signed certificate of its own. */
  static CoordinatorNode second;

  record Run(int code, String out, String err) {}

  static Run cli(Path known, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String token = Files.readString(root.resolve("admin-token")).trim();
    StorefleetCli.Environment env = new StorefleetCli.Environment("https://127.0.0.1:" + coordinator.port(), token,
        20, known);
    int code = StorefleetCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(root, 1, 0);
    transport = HttpTransport.selfSigned(root.resolve("coordinator-tls"));
    coordinator = cluster.addCoordinator(transport);
    second = cluster.addCoordinator(HttpTransport.selfSigned(root.resolve("coordinator-tls-2")));
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  @Test
  void theFirstUsePinsTheCertificateAndLaterUsesNeedTheSame() throws Exception {
    Path known = root.resolve("pins-1/known_coordinators");
    Run first = cli(known, "servers");
    assertEquals(0, first.code(), first.err());
    String fingerprint = coordinator.certificate().orElseThrow().sha256();
    assertTrue(first.err().contains("now pinned") && first.err().contains(fingerprint), first.err());
    assertEquals(List.of("127.0.0.1:" + coordinator.port() + " " + fingerprint), Files.readAllLines(known));

    Run second = cli(known, "servers");
    assertEquals(0, second.code(), second.err());
    assertFalse(second.err().contains("pinned"), second.err());
    assertEquals(1, Files.readAllLines(known).size());
  }

  @Test
  void certificatesShowsWhenTheHttpsCertificateEnds() throws Exception {
    Path known = root.resolve("pins-3/known_coordinators");
    Run r = cli(known, "certificates");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("HTTPS (this coordinator)") && r.out().contains(coordinator.certificate().orElseThrow()
        .notAfter().toString()), r.out());
    assertTrue(r.out().contains("the event bus is plain"), r.out());
  }

  @Test
  void aChangedCertificateIsRefusedWithTheFixNamed() throws Exception {
    Path known = root.resolve("pins-2/known_coordinators");
    assertEquals(0, cli(known, "servers").code());
    String before = coordinator.certificate().orElseThrow().sha256();

    // Another certificate in the coordinator's files, taken in without a restart.
    new CertificateMaker(Clock.systemUTC()).selfSigned("impostor", List.of("127.0.0.1"), HttpTransport.SELF_SIGNED_VALIDITY)
        .writeTo(transport.files().key(), transport.files().cert());
    assertTrue(coordinator.certificates().orElseThrow().checkNow().await());
    String after = coordinator.certificate().orElseThrow().sha256();

    Run refused = cli(known, "servers");
    assertEquals(ExitCodes.NO_PERMISSION, refused.code(), refused.err());
    assertTrue(refused.err().contains("presents another certificate than the one pinned"), refused.err());
    assertTrue(refused.err().contains(before) && refused.err().contains(after), refused.err());
    assertTrue(refused.err().contains("delete line 1 of " + known), refused.err());
    assertEquals(List.of("127.0.0.1:" + coordinator.port() + " " + before), Files.readAllLines(known),
        "a refusal changes no pin");
    assertTrue(refused.out().isEmpty(), refused.out());
  }

  @Test
  void eachCoordinatorIsPinnedOnItsOwnAndAMoveToTheNextKeepsThePins() throws Exception {
    Path known = root.resolve("pins-4/known_coordinators");
    String one = "https://127.0.0.1:" + coordinator.port();
    String two = "https://127.0.0.1:" + second.port();
    String dead;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      dead = "https://127.0.0.1:" + s.getLocalPort();
    }
    Run moved = cli(known, "--url", dead + "," + two, "servers");
    assertEquals(0, moved.code(), moved.err());
    assertTrue(moved.err().contains("trying the coordinator at " + two), moved.err());
    assertEquals(0, cli(known, "--url", one, "--url", two, "servers").code());
    String oneSha = coordinator.certificate().orElseThrow().sha256();
    String twoSha = second.certificate().orElseThrow().sha256();
    assertEquals(List.of("127.0.0.1:" + second.port() + " " + twoSha), Files.readAllLines(known).subList(0, 1));
    Run pinnedBoth = cli(known, "--url", dead, "--url", one, "servers");
    assertEquals(0, pinnedBoth.code(), pinnedBoth.err());
    assertEquals(List.of("127.0.0.1:" + second.port() + " " + twoSha, "127.0.0.1:" + coordinator.port() + " " + oneSha),
        Files.readAllLines(known), "one pin per coordinator");

    // A pin that no longer matches is a refusal, not a coordinator to skip.
    Files.write(known, List.of("127.0.0.1:" + second.port() + " " + oneSha,
        "127.0.0.1:" + coordinator.port() + " " + oneSha));
    Run refused = cli(known, "--url", two + "," + one, "servers");
    assertEquals(ExitCodes.NO_PERMISSION, refused.code(), refused.err());
    assertFalse(refused.err().contains("trying the coordinator"), refused.err());
  }
}
