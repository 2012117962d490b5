package io.storefleet.coordinator.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.coordinator.CoordinatorNode;
import io.storefleet.coordinator.http.HttpTransport;
import io.storefleet.coordinator.testing.Api;
import io.storefleet.coordinator.testing.Messages;
import io.storefleet.coordinator.testing.SharesAfterImport;
import io.storefleet.coordinator.testing.TestCluster;
import io.storefleet.protocol.access.TokenChange;
import io.storefleet.protocol.access.TokenRequest;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.imports.ImportPart;
import io.storefleet.protocol.imports.ImportPlan;
import io.storefleet.protocol.imports.ImportStatus;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.wire.ApiResult;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.testing.ServerFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real browser (Debian's headless Chromium through Selenium) against one
 * three-worker cluster shared by every test, served over HTTPS by two coordinators: sign-in,
 * the servers page, a broadcast SmartScan followed live, stopping a queued operation, an account
 * search and an item restore, a share check and fix after an import, a planned import's parts, a
 * viewer's narrower console and its revocation, and sign-out. Screenshots of each page are saved
 * in {@code target/console-screenshots} (deploy/console/screenshots.sh copies them to docs/console).
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {
  @TempDir static Path root;
  static TestCluster cluster;
  static Api api;
  static ConsoleBrowser browser;
  static String browserMissing;
  static String console;
  static String otherConsole;
  static String operatorToken;
  static String viewerToken;
  static String scanOfMbox1;
  static final List<String> SERVERS = List.of("mbox1", "mbox2", "mbox3");

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(root, 3, 1);
    api = cluster.api();
    Path tls = root.resolve("coordinator-tls");
    CoordinatorNode first = cluster.addCoordinator(HttpTransport.selfSigned(tls));
    CoordinatorNode second = cluster.addCoordinator(HttpTransport.selfSigned(tls));
    console = "https://127.0.0.1:" + first.port() + "/";
    otherConsole = "https://127.0.0.1:" + second.port() + "/";
    operatorToken = token("ops", "operator");
    viewerToken = token("vic", "viewer");
    api.admin(null, "createDomain", "con.test").result();
    String[][] accounts = {{"ann", "mbox1"}, {"bea", "mbox2"}, {"cal", "mbox3"}};
    for (String[] a : accounts) {
      api.admin(a[1], "createAccount", a[0] + "@con.test").result();
      api.admin(null, "injectMessages", a[0] + "@con.test",
          Messages.folder(root.resolve("mail-" + a[0]), a[0], 4).toString()).result();
    }
    api.admin(null, "addAlias", "bea@con.test", "beatrice@con.test").result();
    try {
      browser = ConsoleBrowser.start(root, Path.of("target/console-screenshots"));
    } catch (org.opentest4j.TestAbortedException e) {
      // Only the browser's tests are skipped (never in CI): the session's API test needs none.
      browserMissing = e.getMessage();
    }
  }

  private static ConsoleBrowser browser() {
    if (browserMissing != null) {
      org.junit.jupiter.api.Assumptions.abort(browserMissing);
    }
    return browser;
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  private static String token(String name, String role) {
    Api.Answer a = api.post("/api/v1/tokens", new TokenRequest(name, role, List.of()));
    assertEquals(200, a.status(), a.body().toString());
    return Json.fromTree(a.body(), TokenChange.class).token();
  }

  private static Operation finish(String uuid) {
    await().atMost(Duration.ofSeconds(90)).until(() -> api.operation(uuid).state().terminal());
    return api.operation(uuid);
  }

  /** Pages axe-core has scanned with no serious or critical violation. */
  static final Set<String> scanned = new java.util.TreeSet<>();

  /**
   * The page as it is now works for a keyboard and a screen reader: every control has a name and
   * is in the tab order, and axe-core finds no serious or critical violation (where axe is
   * missing, on a developer's machine only, the last test says so and is skipped).
   */
  private static void accessible(String name) {
    assertEquals(List.of(), browser().unusableControls());
    if (browser().axeMissing() == null) {
      assertEquals(List.of(), browser().seriousViolations(), "axe-core on " + name);
      scanned.add(name);
    }
  }

  private static void page(String hash) {
    browser().open(console + "#/" + hash);
    browser().awaitPresent("#page[data-page='" + hash.split("/")[0] + "']");
  }

  private static void signIn(String token) {
    browser().awaitPresent("#sign-in:not([hidden])");
    browser().type("#token", token);
    browser().click("#sign-in-button");
  }

  @Test
  @Order(1)
  void anOperatorSignsInWithATokenThatTheBrowserNeverKeeps() throws Exception {
    browser().open(console);
    browser().awaitPresent("#sign-in:not([hidden])");
    accessible("sign-in");
    browser().screenshot("sign-in");
    signIn("not-a-token");
    browser().awaitText("#errors .error", "UNAUTHORIZED");
    assertTrue(browser().text("#errors .error").contains("unknown token"), browser().text("#errors .error"));

    signIn(operatorToken);
    browser().awaitText("#who", "ops (operator)");
    Cookie session = browser().driver.manage().getCookieNamed("storefleet-session");
    assertTrue(session.isHttpOnly(), "the session cookie is out of the page's scripts' reach");
    assertTrue(session.isSecure());
    assertEquals("Strict", session.getSameSite());
    assertFalse(session.getValue().contains(operatorToken));
    assertFalse(browser().driver.getCurrentUrl().contains(operatorToken), browser().driver.getCurrentUrl());
    assertEquals("", browser().find("#token").getAttribute("value"), "the field is emptied after sign-in");
    Object stored = ((org.openqa.selenium.JavascriptExecutor) browser().driver).executeScript(
        "return JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie");
    assertFalse(String.valueOf(stored).contains(operatorToken), "the token is kept nowhere the page can read");
  }

  @Test
  @Order(2)
  void theServersPageShowsTheThreeWorkersThroughEitherCoordinator() throws Exception {
    page("servers");
    for (String s : List.of("mbox1", "mbox2", "mbox3")) {
      browser().awaitText("#servers-table tr[data-key='" + s + "']", "up");
    }
    assertEquals(3, browser().all("#servers-table tbody tr").size());
    assertTrue(browser().text("#servers-table tr[data-key='mbox2']").contains("local"));
    accessible("servers");
    browser().size(ConsoleBrowser.NARROW);
    browser().awaitText("#servers-table tr[data-key='mbox3']", "up");
    assertTrue(browser().find("#nav a[data-page='queue']").isDisplayed(), "the navigation stays usable when narrow");
    accessible("servers-narrow");
    browser().screenshot("servers-narrow");
    browser().size(ConsoleBrowser.DESKTOP);

    // The session is the cluster's, not the coordinator's: the other one knows it without a sign-in.
    browser().open(otherConsole + "#/servers");
    browser().awaitText("#who", "ops (operator)");
    browser().awaitText("#servers-table tr[data-key='mbox1']", "up");
  }

  @Test
  @Order(3)
  void aBroadcastSmartScanIsFollowedLiveToItsEnd() throws Exception {
    cluster.worker("mbox1").gate.shut();
    try {
      page("broadcast");
      new Select(browser().find("#broadcast-command")).selectByValue("doSmartScan");
      browser().click("#broadcast-deep");
      // The first answer is lost after the command was sent: the page must send it again with the
      // same request id (api.js call), and the repeat gets the first answer, not a second run.
      ((org.openqa.selenium.JavascriptExecutor) browser().driver).executeScript("""
          const real = window.fetch;
          window.sentCommandIds = [];
          window.fetch = async (path, init) => {
            if (path !== '/api/v1/commands') {
              return real(path, init);
            }
            window.sentCommandIds.push(JSON.parse(init.body).requestId);
            const res = await real(path, init);
            if (window.sentCommandIds.length === 1) {
              throw new TypeError('answer lost (test)');
            }
            return res;
          };""");
      browser().click("#broadcast-send");
      browser().awaitText("#broadcast-results pre.cli", "storefleet --host all_servers backup doSmartScan deep true");
      browser().awaitText("#broadcast-table tr[data-key='mbox2'] td.state", "SUCCEEDED");
      browser().awaitText("#broadcast-table tr[data-key='mbox3'] td.state", "SUCCEEDED");
      await().until(() -> cluster.worker("mbox1").gate.holding());
      browser().awaitText("#broadcast-table tr[data-key='mbox1'] td.state", "RUNNING");
      browser().awaitText("#broadcast-summary", "2 of 3 server(s) finished; following");
      accessible("broadcast");
    browser().screenshot("broadcast");
    } finally {
      cluster.worker("mbox1").gate.open();
    }
    // No reload: the page sees the end through the progress stream.
    browser().awaitText("#broadcast-table tr[data-key='mbox1'] td.state", "SUCCEEDED");
    browser().awaitText("#broadcast-summary", "3 of 3 server(s) finished.");
    scanOfMbox1 = browser().find("#broadcast-table tr[data-key='mbox1'] a").getText();
    Operation op = api.operation(scanOfMbox1);
    assertEquals(OperationState.SUCCEEDED, op.state());
    assertEquals("mbox1", op.server());
    // The console sends a request id of its own with every command, as the CLI does.
    assertTrue(op.requestId() != null && op.requestId().matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"),
        "request id " + op.requestId());
    assertEquals(op.requestId(), api.operation(browser().find("#broadcast-table tr[data-key='mbox2'] a").getText())
        .requestId(), "one id for the whole broadcast");
    @SuppressWarnings("unchecked")
    List<String> sentIds = (List<String>) ((org.openqa.selenium.JavascriptExecutor) browser().driver)
        .executeScript("return window.sentCommandIds;");
    assertEquals(List.of(op.requestId(), op.requestId()), sentIds, "sent twice, with one request id");
    assertEquals(3, api.backup(null, "getAllOperations", "verbose", "true").result().table().operations().stream()
        .filter(o -> op.requestId().equals(o.requestId())).count(), "one operation per server: the resend ran nothing");

    page("operation/" + scanOfMbox1);
    browser().awaitText("#op-state", "SUCCEEDED");
    assertEquals("mbox1", browser().text("#op-server"));
    assertEquals(op.stats().verdict() == null ? "—" : op.stats().verdict().replaceAll("\\s+", " ").trim(),
        browser().text("#op-verdict"));
    browser().awaitPresent("#op-stats");
    for (Map.Entry<String, Long> c : op.stats().counters().entrySet()) {
      assertTrue(browser().text("#op-stats").contains(c.getKey() + " " + c.getValue()),
          "the page shows what the API says: " + c + " in " + browser().text("#op-stats"));
    }
    accessible("operation");
    browser().screenshot("operation");
  }

  @Test
  @Order(4)
  void theServersPageShowsEachServersHealthAsTheApiSaysIt() throws Exception {
    // Workers report every 15 s; a sample now makes the broadcast's SmartScans the last ones at once.
    for (String s : SERVERS) {
      cluster.worker(s).worker().metrics().refresh();
    }
    await().until(() -> scanOfMbox1.equals(server("mbox1").path("health").path("lastSmartScan").path("uuid").asText()));
    page("servers");
    for (String s : SERVERS) {
      String row = "#servers-table tr[data-key='" + s + "'] ";
      // Both are read again until they agree: the page polls every 2 s, the worker reports every 15 s.
      await().ignoreExceptions().pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        JsonNode server = server(s);
        JsonNode health = server.get("health");
        assertTrue(server.get("reachable").asBoolean());
        assertEquals("up", browser().text(row + "td.state"));
        assertEquals(bytes(health.get("backupPathBytes")), browser().text(row + "td.size"));
        JsonNode scan = health.get("lastSmartScan");
        assertEquals(when(scan.get("endedAt").asText()) + " " + scan.get("state").asText(),
            browser().text(row + "td.scan"));
        assertEquals(lag(health), browser().text(row + "td.lag"));
      });
      JsonNode health = server(s).get("health");
      assertTrue(health.get("backupPathBytes").asLong() > 0, "the backup path holds the scans: " + health);
      assertEquals("SUCCEEDED", health.get("lastSmartScan").get("state").asText());
      assertTrue(health.get("scannerRunning").isBoolean() && health.get("scannerLagEntries").asLong() >= 0, "" + health);
    }
    assertTrue(browser().find("#servers-table tr[data-key='mbox1'] td.scan a").getAttribute("href")
        .endsWith("#/operation/" + scanOfMbox1));
    accessible("servers");
    browser().screenshot("servers");
  }

  /** One server's entry in the API's answer. */
  private static JsonNode server(String id) {
    for (JsonNode s : api.get("/api/v1/servers").body()) {
      if (id.equals(s.get("serverId").asText())) {
        return s;
      }
    }
    throw new AssertionError("no " + id + " in GET /api/v1/servers");
  }

  /** As the page writes an instant (dom.js when). */
  private static String when(String instant) {
    return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(java.time.ZoneOffset.UTC)
        .format(java.time.Instant.parse(instant));
  }

  /** As the page writes a byte count (servers.js bytes). */
  private static String bytes(JsonNode n) {
    return n == null || n.isNull() ? "not surveyed yet" : String.format(java.util.Locale.US, "%,d bytes", n.asLong());
  }

  /** As the page writes the scanner's lag (servers.js lag). */
  private static String lag(JsonNode health) {
    if (health.path("scannerLagEntries").isMissingNode() || health.get("scannerLagEntries").isNull()) {
      return "not read yet";
    }
    String behind = health.get("scannerLagEntries").asLong() + " entries, "
        + Math.round(health.get("scannerLagSeconds").asDouble()) + " s behind";
    return health.get("scannerRunning").asBoolean() ? behind : "stopped; " + behind;
  }

  @Test
  @Order(5)
  void aQueuedOperationIsStoppedAfterAConfirmation() throws Exception {
    cluster.worker("mbox2").gate.shut();
    try {
      Operation running = api.backup("mbox2", "doSmartScan", "deep", "true").result().reply().operation();
      await().until(() -> cluster.worker("mbox2").gate.holding());
      Operation queued = api.backup("mbox2", "doSmartScan").result().reply().operation();
      assertEquals(OperationState.QUEUED, api.operation(queued.uuid()).state());

      page("queue");
      browser().awaitPresent("#filter-server option[value='mbox2']");
      new Select(browser().find("#filter-server")).selectByValue("mbox2");
      browser().awaitText("#queue-table tr[data-key='" + running.uuid() + "']", "RUNNING");
      browser().awaitText("#queue-table tr[data-key='" + queued.uuid() + "']", "QUEUED");
      accessible("queue");
    browser().screenshot("queue");

      browser().click("button[data-stop='" + queued.uuid() + "']");
      assertTrue(browser().confirm(false).contains(queued.uuid()));
      assertEquals(OperationState.QUEUED, api.operation(queued.uuid()).state(), "a dismissed confirmation stops nothing");

      browser().click("button[data-stop='" + queued.uuid() + "']");
      browser().confirm(true);
      browser().awaitText("#queue-status", "is now REMOVED");
      assertEquals(OperationState.REMOVED, api.operation(queued.uuid()).state());
      assertEquals(OperationState.RUNNING, api.operation(running.uuid()).state());
      cluster.worker("mbox2").gate.open();
      assertEquals(OperationState.SUCCEEDED, finish(running.uuid()).state());
    } finally {
      cluster.worker("mbox2").gate.open();
    }
  }

  @Test
  @Order(6)
  void anAccountFoundByItsAliasHasAnItemRestored() throws Exception {
    JsonNode items = api.admin(null, "listItems", "bea@con.test").result().reply().result();
    int id = items.get(0).get("id").asInt();
    String subject = items.get(0).get("subject").asText();
    api.admin(null, "deleteItem", "bea@con.test", Integer.toString(id)).result();
    await().until(() -> api.backup(null, "doItemSearch", "bea@con.test", "deleted", "true").result().reply().result()
        .get("items").size() == 1);

    page("account");
    browser().type("#account-name", "beatrice@con.test");
    browser().click("#account-form button[type='submit']");
    browser().awaitText("#account-server", "mbox2");
    assertEquals("bea@con.test", browser().text("#account-found-name"));
    browser().awaitPresent("#items-table");
    new Select(browser().find("#search-deleted")).selectByValue("true");
    browser().click("#item-search-form button[type='submit']");
    browser().awaitText("#item-results pre.cli", "storefleet backup doItemSearch bea@con.test deleted true");
    browser().awaitText("#items-table caption", "1 item(s)");
    assertTrue(browser().text("#items-table tr[data-key='" + id + "']").contains(subject));

    browser().click("button[data-restore='" + id + "']");
    browser().awaitText("#account-action pre.cli", "storefleet backup doItemRestore bea@con.test " + id);
    browser().awaitText("#account-action #op-state", "SUCCEEDED");
    browser().awaitText("#account-action #op-server", "mbox2");
    accessible("account");
    browser().screenshot("account");
    JsonNode after = api.admin(null, "listItems", "bea@con.test").result().reply().result();
    List<String> subjects = new ArrayList<>();
    after.forEach(i -> subjects.add(i.get("subject").asText()));
    assertTrue(subjects.contains(subject), subject + " is back: " + subjects);
  }

  @Test
  @Order(7)
  void theSharesAnImportBrokeAreCheckedAndFixedFromTheConsole() throws Exception {
    SharesAfterImport.share(api, root.resolve("shares"));
    SharesAfterImport.importAll(cluster, api);

    page("shares");
    browser().click("#check-shares");
    browser().awaitText("#shares-summary", "10 broken, 10 fixable");
    assertEquals(10, browser().all("#shares-table tbody tr").size());
    assertTrue(browser().text("#shares-table").contains("ann@example.com"), browser().text("#shares-table"));
    accessible("shares");
    browser().screenshot("shares");

    browser().click("#fix-shares");
    browser().confirm(true);
    browser().awaitText("#shares-fix pre.cli", "storefleet --host all_servers backup doFixShares all");
    browser().awaitText("#shares-fix #op-state", "SUCCEEDED");
    // The page checks again once the fix has ended.
    browser().awaitText("#shares-summary", "mountpoint(s): 0 broken");
    assertEquals(0, api.backup("all_servers", "doCheckShares").result().reply().result().get("summary").get("broken")
        .asInt());
  }

  @Test
  @Order(8)
  void aPlannedImportShowsItsParts() throws Exception {
    Path export = root.resolve("exports/old9");
    java.nio.file.Files.createDirectories(export.getParent());
    try (ServerFixture old = new ServerFixture(root.resolve("old"), "old9", List.of(root))) {
      old.store.createDomain("imp.test");
      for (String who : List.of("ida", "ivo")) {
        Account a = old.account(who + "@imp.test");
        old.store.addMessages(a.id(), Folder.INBOX, List.of(ServerFixture.message(who + " 1", "hello")), Set.of(),
            Set.of());
      }
      assertEquals(OperationState.SUCCEEDED, old.run("doExport", "destination_path", export.toString()).state());
    }
    Api.Answer a = api.post("/api/v1/imports", new ImportPlan("mirror",
        List.of(new ImportPart("mbox3", export.toString(), null, null)), Map.of()));
    assertEquals(200, a.status(), a.body().toString());
    ImportStatus started = Json.fromTree(a.body(), ImportStatus.class);

    page("imports/" + started.plan());
    browser().awaitText("#import-state", "SUCCEEDED");
    ImportStatus done = Json.fromTree(api.get("/api/v1/imports/" + started.plan()).body(), ImportStatus.class);
    assertEquals("SUCCEEDED", done.state());
    String part = done.operations().get(0).uuid();
    assertTrue(browser().text("#import-parts tr[data-key='" + part + "']").contains("mbox3"));
    accessible("imports");
    browser().screenshot("imports");
  }

  @Test
  @Order(9)
  void signOutEndsTheSessionOnEveryCoordinator() throws Exception {
    String secret = browser().driver.manage().getCookieNamed("storefleet-session").getValue();
    assertEquals(200, withSession(cluster.api().base(), "GET", "/api/v1/whoami", secret, null).statusCode());
    page("servers");
    browser().click("#sign-out");
    browser().awaitPresent("#sign-in:not([hidden])");
    assertNull(browser().driver.manage().getCookieNamed("storefleet-session"));
    assertEquals(401, withSession(cluster.api().base(), "GET", "/api/v1/whoami", secret, null).statusCode(),
        "the session is gone from the cluster, not only from this browser");
  }

  @Test
  @Order(10)
  void aViewerSeesWhatItsRoleAllowsUntilItsTokenIsRevoked() throws Exception {
    browser().open(console + "#/queue");
    signIn(viewerToken);
    browser().awaitText("#who", "vic (viewer)");
    assertFalse(browser().find("#nav a[data-page='broadcast']").isDisplayed(), "a viewer cannot broadcast");
    browser().awaitPresent("#queue-table");
    assertTrue(browser().all("#stop-server-form").isEmpty() && browser().all("button[data-stop]").isEmpty());
    accessible("viewer-queue");
    page("account/ann@con.test");
    browser().awaitText("#account-found", "need the role helpdesk");
    // The API refuses what the page hides, with the same check as for a token.
    page("broadcast");
    browser().awaitText("#page", "need the role operator");

    page("queue");
    assertEquals(200, api.delete("/api/v1/tokens/vic").status());
    browser().awaitPresent("#sign-in:not([hidden])");
    browser().awaitText("#errors .error", "revoked");
  }

  @Test
  @Order(11)
  void theSessionCookieIsAcceptedLikeATokenWithACsrfHeaderForChanges() throws Exception {
    String base = cluster.api().base();
    java.net.http.HttpResponse<String> in = withSession(base, "POST", "/api/v1/session", null,
        Json.encode(Map.of("token", operatorToken)));
    assertEquals(200, in.statusCode(), in.body());
    List<String> cookies = in.headers().allValues("set-cookie");
    String sessionCookie = cookies.stream().filter(c -> c.startsWith("storefleet-session=")).findFirst().orElseThrow();
    for (String attribute : List.of("; httponly", "; secure", "; samesite=strict", "; path=/")) {
      assertTrue(sessionCookie.toLowerCase(java.util.Locale.ROOT).contains(attribute), attribute + " in " + sessionCookie);
    }
    String secret = sessionCookie.substring("storefleet-session=".length(), sessionCookie.indexOf(';'));
    String csrf = Json.MAPPER.readTree(in.body()).get("csrf").asText();
    assertFalse(in.body().contains(operatorToken));

    String scan = Json.encode(Map.of("module", "backup", "args", List.of("doSmartScan"), "target", "mbox3"));
    java.net.http.HttpResponse<String> noCsrf = withSession(base, "POST", "/api/v1/commands", secret, scan);
    assertEquals(403, noCsrf.statusCode(), noCsrf.body());
    assertTrue(noCsrf.body().contains("X-Storefleet-CSRF"), noCsrf.body());
    java.net.http.HttpResponse<String> wrongCsrf = withSession(base, "POST", "/api/v1/commands", secret, scan,
        "X-Storefleet-CSRF", "0".repeat(64));
    assertEquals(403, wrongCsrf.statusCode(), wrongCsrf.body());
    java.net.http.HttpResponse<String> ok = withSession(base, "POST", "/api/v1/commands", secret, scan,
        "X-Storefleet-CSRF", csrf);
    assertEquals(200, ok.statusCode(), ok.body());
    ApiResult queued = Json.decode(ok.body(), ApiResult.class);
    assertEquals("ops", queued.reply().operation().requester(), "the session's token names the requester");
    finish(queued.reply().operation().uuid());
    // The same role check as the token: an operator may not manage tokens.
    java.net.http.HttpResponse<String> tokens = withSession(base, "GET", "/api/v1/tokens", secret, null);
    assertEquals(403, tokens.statusCode());
    assertTrue(tokens.body().contains("needs the role admin"), tokens.body());

    // Recorded like any call: who, and what.
    await().until(() -> api.get("/api/v1/audit?who=ops&contains=console%20sign-in").body().get("records").size() >= 1);
    // The two CSRF refusals, recorded with the session's name like any refused call.
    await().until(() -> api.get("/api/v1/audit?who=ops&outcome=refused&contains=doSmartScan").body().get("records")
        .size() >= 2);

    // A revoked token ends the sessions made with it, on the next call.
    assertEquals(200, api.delete("/api/v1/tokens/ops").status());
    java.net.http.HttpResponse<String> after = withSession(base, "GET", "/api/v1/whoami", secret, null);
    assertEquals(401, after.statusCode());
    assertTrue(after.body().contains("revoked"), after.body());
    assertEquals(401, withSession(base, "GET", "/api/v1/whoami", secret, null).statusCode());
  }

  @Test
  @Order(12)
  void openProgressStreamsEndOnSignOutAndOnRevocationThroughAnyCoordinator() throws Exception {
    String token = token("sse", "operator");
    cluster.worker("mbox2").gate.shut();
    try {
      Operation held = api.backup("mbox2", "doSmartScan", "deep", "true").result().reply().operation();
      await().until(() -> cluster.worker("mbox2").gate.holding());
      String events = "/api/v1/operations/" + held.uuid() + "/events";

      // A console session's stream on one coordinator; the sign-out through another.
      java.net.http.HttpResponse<String> in = withSession(cluster.api().base(), "POST", "/api/v1/session", null,
          Json.encode(Map.of("token", token)));
      String cookie = in.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("storefleet-session="))
          .findFirst().orElseThrow();
      String secret = cookie.substring("storefleet-session=".length(), cookie.indexOf(';'));
      String csrf = Json.MAPPER.readTree(in.body()).get("csrf").asText();
      java.util.concurrent.CompletableFuture<String> sessionStream = stream(console, events, "Cookie",
          "storefleet-session=" + secret);
      awaitOpen(held.uuid(), 1);
      assertEquals(200, withSession(cluster.api().base(), "DELETE", "/api/v1/session", secret, null,
          "X-Storefleet-CSRF", csrf).statusCode());
      String ended = sessionStream.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(ended.contains("event: error") && ended.contains("UNAUTHORIZED") && ended.contains("session has ended"),
          ended);

      // A token's stream on one coordinator; the revocation through another.
      java.util.concurrent.CompletableFuture<String> tokenStream = stream(otherConsole, events, "Authorization",
          "Bearer " + token);
      awaitOpen(held.uuid(), 1);
      assertEquals(200, api.delete("/api/v1/tokens/sse").status());
      String revoked = tokenStream.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(revoked.contains("event: error") && revoked.contains("UNAUTHORIZED") && revoked.contains("revoked"),
          revoked);
      assertEquals(OperationState.RUNNING, api.operation(held.uuid()).state(), "the streams ended, not the operation");
      cluster.worker("mbox2").gate.open();
      assertEquals(OperationState.SUCCEEDED, finish(held.uuid()).state());
    } finally {
      cluster.worker("mbox2").gate.open();
    }
  }

  /** Waits until a stream has sent its first snapshot of the held operation (it is then open). */
  private static void awaitOpen(String uuid, int streams) {
    // The stream answers with headers and the first snapshot at once; a short wait for them is enough
    // to be sure the sign-out or revocation comes after the stream opened.
    await().until(() -> openStreams.get() >= streams);
    openStreams.set(0);
  }

  private static final java.util.concurrent.atomic.AtomicInteger openStreams =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Reads a progress stream from an HTTPS coordinator (its self-signed certificate trusted) until it ends. */
  private static java.util.concurrent.CompletableFuture<String> stream(String base, String path, String header,
      String value) throws Exception {
    javax.net.ssl.SSLContext trustAll = javax.net.ssl.SSLContext.getInstance("TLS");
    trustAll.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
      @Override
      public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

      @Override
      public java.security.cert.X509Certificate[] getAcceptedIssuers() {
        return new java.security.cert.X509Certificate[0];
      }
    }}, null);
    java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path.substring(1)))
        .timeout(Duration.ofSeconds(60)).header(header, value).GET().build();
    return java.net.http.HttpClient.newBuilder().sslContext(trustAll).build()
        .sendAsync(req, java.net.http.HttpResponse.BodyHandlers.ofLines())
        .thenApply(res -> {
          StringBuilder all = new StringBuilder();
          res.body().forEach(line -> {
            if (line.startsWith("data: {") && all.indexOf("data: {") < 0) {
              openStreams.incrementAndGet();
            }
            all.append(line).append('\n');
          });
          return all.toString();
        });
  }

  @Test
  @Order(13)
  void aServerThatLeftIsShownUnreachableSinceTheTimeTheApiGives() throws Exception {
    String token = token("ops2", "operator");
    browser().open(console + "#/servers");
    signIn(token);
    browser().awaitText("#who", "ops2 (operator)");
    browser().awaitText("#servers-table tr[data-key='mbox3'] td.state", "up");
    java.time.Instant before = java.time.Instant.now();
    cluster.stopWorker("mbox3");
    // The departure is recorded by the members as Hazelcast reports the removal, moments after.
    await().until(() -> server("mbox3").hasNonNull("unreachableSince"));
    java.time.Instant seen = java.time.Instant.now();
    JsonNode gone = server("mbox3");
    assertFalse(gone.get("reachable").asBoolean());
    java.time.Instant since = java.time.Instant.parse(gone.get("unreachableSince").asText());
    assertTrue(!since.isBefore(before) && !since.isAfter(seen),
        since + " is when the cluster noticed: after the stop began at " + before + ", before the API said so at " + seen);
    assertTrue(since.isAfter(java.time.Instant.parse(gone.get("health").get("at").asText())),
        "later than the worker's last report " + gone.get("health").get("at"));
    browser().awaitText("#servers-table tr[data-key='mbox3'] td.state", "unreachable since " + when(since.toString()));
    // What it last reported stays on the page.
    assertEquals(bytes(gone.get("health").get("backupPathBytes")),
        browser().text("#servers-table tr[data-key='mbox3'] td.size"));
    accessible("servers-unreachable");
  }

  @Test
  @Order(14)
  void axeCoreScannedEveryPage() {
    String missing = browser().axeMissing();
    io.storefleet.worker.testing.MissingComponent.require(missing == null, missing);
    assertEquals(new java.util.TreeSet<>(List.of("sign-in", "servers", "servers-narrow", "broadcast", "operation",
        "queue", "account", "shares", "imports", "servers-unreachable", "viewer-queue")), scanned);
  }

  private static java.net.http.HttpResponse<String> withSession(String base, String method, String path,
      String secret, String body, String... headers) throws Exception {
    java.net.http.HttpRequest.Builder req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
            : java.net.http.HttpRequest.BodyPublishers.ofString(body));
    if (secret != null) {
      req.header("Cookie", "storefleet-session=" + secret);
    }
    if (body != null) {
      req.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      req.header(headers[i], headers[i + 1]);
    }
    return java.net.http.HttpClient.newHttpClient().send(req.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }
}
