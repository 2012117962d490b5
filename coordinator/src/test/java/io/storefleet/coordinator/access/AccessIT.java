package io.storefleet.coordinator.access;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.Messages;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.protocol.access.AuditAnswer;
import io.storefleet.protocol.access.AuditRecord;
import io.storefleet.protocol.access.Role;
import io.storefleet.protocol.access.TokenChange;
import io.storefleet.protocol.access.TokenRequest;
import io.storefleet.protocol.catalogue.Catalogue;
import io.storefleet.protocol.catalogue.CommandSpec;
import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.operation.Operation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens, roles and the audit trail through the API of two coordinators: the role × command
 * matrix generated from the catalogue, each role on real commands, a domain-limited helpdesk, the
 * requester taken from the token whatever the header says, revocation on every coordinator, and
 * the audit records of accepted and refused calls.
 */
@Tag("cluster")
class AccessIT {
  /** Errors that show a call got past the role check to the parser, which the matrix calls fail in. */
  private static final Set<ErrorCode> PARSE_ERRORS =
      Set.of(ErrorCode.MISSING_PARAMETER, ErrorCode.UNKNOWN_PARAMETER, ErrorCode.TOO_MANY_ARGUMENTS);

  @TempDir static Path root;
  static TestCluster cluster;
  static Api admin;
  static final Map<Role, Api> byRole = new EnumMap<>(Role.class);
  static Api helpdeskAcme;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(root, 2, 2);
    admin = cluster.api();
    byRole.put(Role.ADMIN, admin);
    for (Role r : List.of(Role.VIEWER, Role.HELPDESK, Role.OPERATOR)) {
      byRole.put(r, admin.as(create(admin, r.word() + "-1", r, List.of()).token()));
    }
    helpdeskAcme = admin.as(create(admin, "helpdesk-acme", Role.HELPDESK, List.of("acme.test")).token());
    for (String d : List.of("acme.test", "other.test")) {
      assertEquals(200, admin.admin(null, "createDomain", d).status());
    }
    assertEquals(200, admin.admin("mbox1", "createAccount", "ann@acme.test").status());
    assertEquals(200, admin.admin("mbox2", "createAccount", "ole@other.test").status());
    Path mail = Messages.folder(root.resolve("mail"), "ann", 3);
    assertEquals(200, admin.admin(null, "injectMessages", "ann@acme.test", mail.toString()).status());
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  static TokenChange create(Api api, String name, Role role, List<String> domains) {
    Api.Answer a = api.post("/api/v1/tokens", new TokenRequest(name, role.word(), domains));
    assertEquals(200, a.status(), a.body().toString());
    return Json.fromTree(a.body(), TokenChange.class);
  }

  private static void assertRefused(Api.Answer a, Role needed) {
    ErrorInfo e = a.error();
    assertEquals(403, a.status(), a.body().toString());
    assertEquals(ErrorCode.NOT_ALLOWED.name(), e.code());
    assertTrue(e.definite());
    assertTrue(e.message().contains("needs the role " + needed.word()), e.message());
  }

  /**
   * Every catalogued command against every role. The calls carry arguments the parser rejects,
   * so an allowed call runs nothing: it gets past the role check and fails to parse, while a
   * refused one is NOT_ALLOWED naming the role its catalogue entry names.
   */
  @Test
  void everyRoleAgainstEveryCommandAsTheCatalogueSays() {
    List<String> wrong = new ArrayList<>();
    int calls = 0;
    for (CommandSpec spec : Catalogue.get().all()) {
      List<String> args = new ArrayList<>(List.of(spec.name()));
      if (spec.positional().isEmpty()) {
        args.addAll(List.of("zz_no_such_parameter", "x"));
      }
      for (Role role : Role.values()) {
        Api.Answer a = byRole.get(role).submit(spec.module().word(), null, args.toArray(String[]::new)).join();
        calls++;
        ErrorInfo e = a.status() < 400 ? null : a.error();
        boolean allowed = role.includes(spec.role());
        // The status too: a refusal is 403, a parse error its own 4xx, never a success.
        boolean right = e != null && a.status() == ErrorCode.valueOf(e.code()).httpStatus() && (allowed
            ? PARSE_ERRORS.contains(ErrorCode.valueOf(e.code()))
            : e.code().equals(ErrorCode.NOT_ALLOWED.name()) && a.status() == 403
                && e.message().contains("needs the role " + spec.role().word()));
        if (!right) {
          wrong.add(role + " " + spec.module().word() + " " + spec.name() + " (needs " + spec.role() + "): "
              + a.status() + " " + a.body());
        }
      }
    }
    assertEquals(List.of(), wrong);
    // Every command of both modules was called as every role.
    for (Module m : Module.values()) {
      assertFalse(Catalogue.get().commands(m).isEmpty(), m.word());
    }
    assertEquals(Catalogue.get().all().size() * Role.values().length, calls);
  }

  @Test
  void routesOutsideTheCatalogueNeedTheirRoles() {
    record Route(String method, String path, Role needed) {}
    List<Route> routes = List.of(
        new Route("GET", "/api/v1/servers", Role.VIEWER),
        new Route("GET", "/api/v1/operations", Role.VIEWER),
        new Route("GET", "/api/v1/tokens", Role.ADMIN),
        new Route("GET", "/api/v1/audit?limit=1", Role.ADMIN),
        new Route("DELETE", "/api/v1/operations/00000000-0000-0000-0000-000000000000", Role.OPERATOR),
        new Route("POST", "/api/v1/imports", Role.OPERATOR),
        new Route("POST", "/api/v1/exports", Role.OPERATOR),
        new Route("GET", "/api/v1/certificates", Role.VIEWER),
        new Route("GET", "/api/v1/accounts/ann@acme.test", Role.VIEWER),
        new Route("GET", "/api/v1/operations/00000000-0000-0000-0000-000000000000",
            Catalogue.get().backup("monitor").orElseThrow().role()),
        new Route("GET", "/api/v1/imports/no-such-plan",
            Catalogue.get().backup("getAllOperations").orElseThrow().role()),
        new Route("GET", "/api/v1/exports/no-such-plan",
            Catalogue.get().backup("getAllOperations").orElseThrow().role()),
        new Route("POST", "/api/v1/tokens", Role.ADMIN),
        new Route("DELETE", "/api/v1/tokens/no-such-token", Role.ADMIN));
    for (Route route : routes) {
      for (Role role : Role.values()) {
        Api api = byRole.get(role);
        Api.Answer a = switch (route.method()) {
          case "GET" -> api.get(route.path());
          case "DELETE" -> api.delete(route.path());
          default -> api.post(route.path(), Map.of("not", "a plan"));
        };
        if (role.includes(route.needed())) {
          assertNotEquals(403, a.status(), role + " " + route + ": " + a.body());
        } else {
          assertRefused(a, route.needed());
        }
      }
    }
  }

  @Test
  void eachRoleRunsItsSampleOfRealCommands() {
    assertEquals(200, byRole.get(Role.VIEWER).backup(null, "getAllOperations").status());
    assertEquals(200, byRole.get(Role.VIEWER).admin("mbox1", "listAccounts").status());
    assertRefused(byRole.get(Role.VIEWER).backup(null, "doItemSearch", "ann@acme.test"), Role.HELPDESK);
    assertRefused(byRole.get(Role.VIEWER).backup("mbox1", "doSmartScan"), Role.OPERATOR);

    assertEquals(200, byRole.get(Role.HELPDESK).backup(null, "doItemSearch", "ann@acme.test").status());
    assertEquals(200, byRole.get(Role.HELPDESK).admin(null, "listItems", "ann@acme.test").status());
    assertRefused(byRole.get(Role.HELPDESK).backup(null, "doAccountScan", "ann@acme.test"), Role.OPERATOR);

    Operation scan = byRole.get(Role.OPERATOR).backup(null, "doAccountScan", "ann@acme.test").result().reply().operation();
    assertEquals("operator-1", scan.requester());
    assertRefused(byRole.get(Role.OPERATOR).admin(null, "createAccount", "x@acme.test"), Role.ADMIN);
    assertRefused(byRole.get(Role.OPERATOR).get("/api/v1/tokens"), Role.ADMIN);
    await().until(() -> admin.operation(scan.uuid()).state().terminal());
  }

  @Test
  void aDomainLimitedHelpdeskNamesOnlyAccountsOfItsDomains() {
    assertEquals(200, helpdeskAcme.backup(null, "doItemSearch", "ann@acme.test").status());
    assertEquals(200, helpdeskAcme.get("/api/v1/accounts/ann@acme.test").status());
    Api.Answer other = helpdeskAcme.backup(null, "doItemSearch", "ole@other.test");
    assertEquals(ErrorCode.NOT_ALLOWED.name(), other.error().code());
    assertTrue(other.error().message().contains("acme.test"), other.error().message());
    // A restore into an account of another domain is refused too, not only the source account.
    Api.Answer into = helpdeskAcme.backup(null, "doRestoreOnNewAccount", "ann@acme.test", "ann.copy@other.test", "last");
    assertEquals(ErrorCode.NOT_ALLOWED.name(), into.error().code());
    assertEquals(ErrorCode.NOT_ALLOWED.name(), helpdeskAcme.get("/api/v1/accounts/ole@other.test").error().code());
  }

  @Test
  void aForgedRequesterHeaderHasNoEffectOnTheRecordedRequester() {
    Api forged = byRole.get(Role.OPERATOR).withHeader("X-Storefleet-Requester", "mallory");
    Operation op = forged.backup(null, "doAccountScan", "ann@acme.test").result().reply().operation();
    assertEquals("operator-1", op.requester());
    await().until(() -> admin.operation(op.uuid()).state().terminal());
    assertEquals("operator-1", admin.operation(op.uuid()).requester());
    AuditRecord r = awaitOne("operator-1", op.uuid());
    assertEquals("operator-1", r.who());
    assertTrue(audit("who=mallory").records().isEmpty());
  }

  @Test
  void aRevokedTokenIsRefusedOnEveryCoordinatorWithinFiveSeconds() {
    String token = create(admin, "short-lived", Role.VIEWER, List.of()).token();
    Api viaFirst = cluster.api(0).as(token);
    Api viaSecond = cluster.api(1).as(token);
    assertEquals(200, viaFirst.get("/api/v1/whoami").status());
    assertEquals(200, viaSecond.get("/api/v1/whoami").status());
    Api.Answer revoked = admin.delete("/api/v1/tokens/short-lived");
    assertEquals(200, revoked.status(), revoked.body().toString());
    assertEquals(List.of("mbox1", "mbox2"), Json.fromTree(revoked.body(), TokenChange.class).keptOn());
    await().atMost(Duration.ofSeconds(5)).until(() -> viaSecond.get("/api/v1/whoami").status() == 401
        && viaFirst.get("/api/v1/whoami").status() == 401);
    ErrorInfo e = viaSecond.backup(null, "getAllOperations").error();
    assertEquals(ErrorCode.UNAUTHORIZED.name(), e.code());
    assertTrue(e.message().contains("revoked"), e.message());
    await().until(() -> audit("who=short-lived&outcome=refused").records().size() >= 3);
  }

  @Test
  void aSubmissionWithoutACommandIsAnsweredAsMalformed() {
    Api.Answer empty = admin.post("/api/v1/commands", Map.of("module", "backup", "args", List.of()));
    assertEquals(ErrorCode.MALFORMED_REQUEST.name(), empty.error().code(), empty.body().toString());
    Api.Answer unreadable = admin.post("/api/v1/commands", List.of("not", "a", "submission"));
    assertEquals(400, unreadable.status(), unreadable.body().toString());
  }

  @Test
  void theLastAdminTokenCannotBeRevoked() {
    Api.Answer a = admin.delete("/api/v1/tokens/admin");
    assertEquals(ErrorCode.CONFLICT.name(), a.error().code(), a.body().toString());
    assertTrue(a.error().message().contains("last active admin"), a.error().message());
  }

  @Test
  void acceptedAndRefusedCallsAreAuditedReadsIncluded() throws Exception {
    Operation scan = admin.backup(null, "doAccountScan", "ann@acme.test").result().reply().operation();
    await().until(() -> admin.operation(scan.uuid()).state().terminal());
    JsonNode items = admin.admin(null, "listItems", "ann@acme.test").result().reply().result();
    String id = items.get(0).get("id").asText();
    assertEquals(200, admin.backup(null, "getItem", "ann@acme.test", id, "dump_blob", "true").status());
    assertEquals(200, helpdeskAcme.backup(null, "doItemSearch", "ann@acme.test").status());
    assertEquals(ErrorCode.NOT_ALLOWED.name(), helpdeskAcme.backup(null, "getItem", "ole@other.test", "1").error().code());
    assertEquals(401, admin.as("not-a-token").get("/api/v1/servers").status());
    assertEquals(200, cluster.api(1).as(byRole.get(Role.VIEWER).token()).get("/api/v1/operations?verbose=false").status());

    AuditRecord dump = awaitOne("admin", "getItem ann@acme.test " + id + " dump_blob true");
    assertEquals(AuditRecord.Outcome.ACCEPTED, dump.outcome());
    assertEquals("mbox1", dump.server(), "kept by the worker that served it");
    assertEquals("127.0.0.1", dump.client());
    assertEquals(cluster.api(0).base().substring("http://".length()), dump.coordinator());
    assertTrue(dump.what().startsWith("backup getItem"), dump.what());

    AuditRecord search = awaitOne("helpdesk-acme", "doItemSearch ann@acme.test");
    assertEquals(AuditRecord.Outcome.ACCEPTED, search.outcome());
    assertEquals(Role.HELPDESK, search.role());
    AuditRecord refused = awaitOne("helpdesk-acme", "getItem ole@other.test");
    assertEquals(AuditRecord.Outcome.REFUSED, refused.outcome());
    assertEquals("NOT_ALLOWED", refused.error());
    assertEquals("mbox1", refused.server(), "a call no worker served is kept by the lowest server id");
    AuditRecord anonymous = awaitOne("-", "GET /api/v1/servers");
    assertEquals("UNAUTHORIZED", anonymous.error());
    AuditRecord listing = awaitOne("viewer-1", "GET /api/v1/operations?verbose=false");
    assertEquals(cluster.api(1).base().substring("http://".length()), listing.coordinator());
    AuditRecord scanned = awaitOne("admin", "backup doAccountScan ann@acme.test");
    assertEquals(scan.uuid(), scanned.operations());

    AuditAnswer refusals = audit("outcome=refused&who=helpdesk-acme");
    assertTrue(refusals.records().stream().allMatch(r -> r.outcome() == AuditRecord.Outcome.REFUSED));
    assertEquals(ErrorCode.BAD_VALUE.name(), admin.get("/api/v1/audit?since=yesterday").error().code());
  }

  private static AuditAnswer audit(String query) {
    Api.Answer a = admin.get("/api/v1/audit?" + query);
    assertEquals(200, a.status(), a.body().toString());
    return Json.fromTree(a.body(), AuditAnswer.class);
  }

  /** The newest record by {@code who} whose command line contains {@code text} or names the operation, once kept. */
  private static AuditRecord awaitOne(String who, String text) {
    List<AuditRecord> found = new ArrayList<>();
    await().until(() -> {
      found.clear();
      audit("who=" + java.net.URLEncoder.encode(who, java.nio.charset.StandardCharsets.UTF_8)).records().stream()
          .filter(r -> r.what().contains(text) || text.equals(r.operations()))
          .forEach(found::add);
      return !found.isEmpty();
    });
    return found.get(found.size() - 1);
  }
}
