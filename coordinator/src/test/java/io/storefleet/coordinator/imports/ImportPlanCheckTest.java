package io.storefleet.coordinator.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.imports.ImportPart;
import io.storefleet.protocol.imports.ImportPlan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImportPlanCheckTest {
  @Test
  void eachPartBecomesADoExternalRestoreCarryingThePlan() {
    ImportPlan plan = new ImportPlan("composite", List.of(
        new ImportPart("mbox1", "/e/old1", List.of("ann@a.example"), null),
        new ImportPart("mbox2", "/e/old1", null, List.of("b.example"))), Map.of("concurrent_accounts", "4"));
    List<List<String>> cmds = ImportPlanCheck.commands(plan, "composite-1");
    assertEquals(List.of("doExternalRestore", "/e/old1", "accounts", "ann@a.example", "concurrent_accounts", "4",
        "plan", "composite-1", "plan_part", "1/2"), cmds.get(0));
    assertEquals(List.of("doExternalRestore", "/e/old1", "domains", "b.example", "concurrent_accounts", "4",
        "plan", "composite-1", "plan_part", "2/2"), cmds.get(1));
  }

  @Test
  void mirrorPlansTakeEachSourceWholeOntoItsOwnServer() {
    assertEquals(2, ImportPlanCheck.commands(new ImportPlan("mirror", List.of(new ImportPart("mbox1", "/e/1", null, null),
        new ImportPart("mbox2", "/e/2", null, null)), null), "mirror-1").size());
    assertTrue(refused(new ImportPlan("mirror", List.of(new ImportPart("mbox1", "/e/1", null, null),
        new ImportPart("mbox1", "/e/2", null, null)), null)).contains("server mbox1 takes two parts"));
    assertTrue(refused(new ImportPlan("mirror", List.of(new ImportPart("mbox1", "/e/1", null, List.of("a.example"))),
        null)).contains("Use kind 'composite'"));
    assertTrue(refused(new ImportPlan("mirror", List.of(new ImportPart("mbox1", "/e/1", null, null),
        new ImportPart("mbox2", "/e/1", null, null)), null)).contains("appears twice"));
  }

  @Test
  void compositePlansMayNotTakeAnythingTwiceFromOneSource() {
    assertTrue(refused(composite(new ImportPart("mbox1", "/e/1", null, List.of("a.example")),
        new ImportPart("mbox2", "/e/1", List.of("Ann@A.example"), null)))
        .contains("parts 1 and 2 both take account ann@a.example from /e/1"));
    assertTrue(refused(composite(new ImportPart("mbox1", "/e/1", null, null),
        new ImportPart("mbox2", "/e/1", null, List.of("b.example")))).contains("both take domain b.example"));
    assertTrue(refused(composite(new ImportPart("mbox1", "/e/1", List.of("x@a.example"), null),
        new ImportPart("mbox2", "/e/1", List.of("x@a.example"), null))).contains("account x@a.example"));
    // The same names from two different sources are two different accounts' sources: allowed here,
    // and each server refuses an account that exists elsewhere when it gets there.
    assertEquals(2, ImportPlanCheck.commands(composite(new ImportPart("mbox1", "/e/1", null, List.of("a.example")),
        new ImportPart("mbox2", "/e/2", null, List.of("a.example"))), "composite-1").size());
  }

  @Test
  void badShapesAreRefusedWithTheFix() {
    assertTrue(refused(new ImportPlan("sideways", List.of(new ImportPart("mbox1", "/e/1", null, null)), null))
        .contains("kind 'mirror'"));
    assertTrue(refused(new ImportPlan("mirror", List.of(), null)).contains("no parts"));
    assertTrue(refused(new ImportPlan("mirror", List.of(new ImportPart("mbox1", "/e/1", null, null)),
        Map.of("accounts", "x@a.example"))).contains("belongs to a part"));
    assertTrue(refused(new ImportPlan("mirror", List.of(new ImportPart(null, "/e/1", null, null)), null))
        .contains("part 1 needs a server"));
    StorefleetException badValue = assertThrows(StorefleetException.class, () -> ImportPlanCheck.commands(
        new ImportPlan("mirror", List.of(new ImportPart("mbox1", "/e/1", null, null)),
            Map.of("concurrent_accounts", "many")), "mirror-1"));
    assertEquals(ErrorCode.BAD_VALUE, badValue.code());
  }

  private static ImportPlan composite(ImportPart... parts) {
    return new ImportPlan("composite", List.of(parts), null);
  }

  private static String refused(ImportPlan plan) {
    StorefleetException e = assertThrows(StorefleetException.class, () -> ImportPlanCheck.commands(plan, "p-1"));
    assertEquals(ErrorCode.BAD_VALUE, e.code());
    return e.getMessage();
  }
}
