package io.storefleet.coordinator.exports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.coordinator.plans.PlannedParts;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.exports.ExportPlan;
import io.storefleet.protocol.wire.AccountLocation;
import io.storefleet.protocol.wire.ServerInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportPlanCheckTest {
  private static final List<AccountLocation> ACCOUNTS = List.of(
      new AccountLocation("ann@acme.example", "1", "mbox1"),
      new AccountLocation("bob@acme.example", "2", "mbox2"),
      new AccountLocation("cat@beta.example", "3", "mbox2"),
      new AccountLocation("dan@beta.example", "4", "mbox3"),
      new AccountLocation("eve@Acme.Example", "5", "mbox3"));

  private static List<PlannedParts.Part> parts(Map<String, String> params) {
    return ExportPlanCheck.parts(new ExportPlan("/srv/exports/x/", params), "export-1", ACCOUNTS);
  }

  @Test
  void onePartPerServerThatHoldsTheDomainEachNamingOnlyWhatItHolds() {
    List<PlannedParts.Part> p = parts(Map.of("domains", "beta.example", "skip_items", "true"));
    assertEquals(List.of("mbox2", "mbox3"), p.stream().map(PlannedParts.Part::server).toList());
    PlannedParts.Part first = p.get(0);
    assertEquals("/srv/exports/x/mbox2", first.command().string("destination_path"));
    assertEquals("/srv/exports/x/mbox2 on mbox2", first.describe());
    assertEquals("beta.example", first.command().given().get("domains"));
    assertEquals("export-1", first.command().given().get("plan"));
    assertEquals("1/2", first.command().given().get("plan_part"));
    assertEquals("true", first.command().given().get("skip_items"));
    assertEquals("2/2", p.get(1).command().given().get("plan_part"));

    List<PlannedParts.Part> two = parts(Map.of("domains", "acme.example,BETA.example"));
    assertEquals(3, two.size());
    assertEquals("acme.example", two.get(0).command().given().get("domains"));
    assertEquals("acme.example,beta.example", two.get(1).command().given().get("domains"));
    assertEquals("acme.example,beta.example", two.get(2).command().given().get("domains"),
        "a domain's name is compared without case");
  }

  @Test
  void withoutDomainsEveryServerWithAccountsExportsEverything() {
    List<PlannedParts.Part> p = parts(Map.of());
    assertEquals(List.of("mbox1", "mbox2", "mbox3"), p.stream().map(PlannedParts.Part::server).toList());
    assertTrue(!p.get(0).command().given().containsKey("domains"));
  }

  @Test
  void whatCannotWorkIsRefusedBeforeAnythingIsQueued() {
    StorefleetException nowhere = assertThrows(StorefleetException.class,
        () -> parts(Map.of("domains", "acme.example,gamma.example")));
    assertEquals("NOT_FOUND", nowhere.code().name());
    assertTrue(nowhere.getMessage().contains("no server of the cluster holds an account of gamma.example"),
        nowhere.getMessage());
    StorefleetException perPart = assertThrows(StorefleetException.class,
        () -> parts(Map.of("destination_path", "/elsewhere")));
    assertTrue(perPart.getMessage().contains("destination_path belongs to a part"), perPart.getMessage());
    StorefleetException noPath = assertThrows(StorefleetException.class,
        () -> ExportPlanCheck.parts(new ExportPlan(" ", Map.of()), "export-1", ACCOUNTS));
    assertTrue(noPath.getMessage().contains("give destinationPath"), noPath.getMessage());
    assertThrows(StorefleetException.class, () -> parts(Map.of("no_such_parameter", "1")),
        "the parts are parsed against the catalogue");
  }

  @Test
  void aLiveServerWhoseAccountEntriesAreMissingRefusesThePlanWithARetryHint() {
    List<ServerInfo> servers = List.of(
        new ServerInfo("mbox1", "n1", Instant.EPOCH, "local", "/b", 1, true),
        new ServerInfo("mbox2", "n2", Instant.EPOCH, "local", "/b", 2, true),
        new ServerInfo("mbox3", "n3", Instant.EPOCH, "local", "/b", 2, true),
        new ServerInfo("mbox4", "n4", Instant.EPOCH, "local", "/b", 3, true));
    StorefleetException e = assertThrows(StorefleetException.class,
        () -> ExportPlanCheck.requireEveryLiveServersEntries(servers, ACCOUNTS));
    assertEquals(ErrorCode.SERVER_UNAVAILABLE, e.code());
    assertTrue(e.getMessage().contains("mbox4 (3 account(s), 0 in the directory)"), e.getMessage());
    assertTrue(e.getMessage().contains("Retry in a minute"), e.getMessage());
    assertTrue(!e.getMessage().contains("mbox1") && !e.getMessage().contains("mbox2 "), e.getMessage());

    List<ServerInfo> fewer = List.of(new ServerInfo("mbox2", "n2", Instant.EPOCH, "local", "/b", 3, true));
    StorefleetException f = assertThrows(StorefleetException.class,
        () -> ExportPlanCheck.requireEveryLiveServersEntries(fewer, ACCOUNTS));
    assertTrue(f.getMessage().contains("mbox2 (3 account(s), 2 in the directory)"), f.getMessage());
  }

  @Test
  void completeEntriesOrAServerThatIsDownDoNotStopThePlan() {
    ExportPlanCheck.requireEveryLiveServersEntries(List.of(
        new ServerInfo("mbox1", "n1", Instant.EPOCH, "local", "/b", 1, true),
        new ServerInfo("mbox3", "n3", Instant.EPOCH, "local", "/b", 2, true),
        new ServerInfo("mbox9", "n9", Instant.EPOCH, "local", "/b", 4, false)), ACCOUNTS);
  }
}
