package io.storefleet.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedStepsTest {
  @TempDir Path dir;

  /** A cluster that remembers what was created and refuses to create it twice, as the servers do. */
  static final class FakeCluster implements SeedSteps.Runner {
    final Set<String> created = new HashSet<>();
    final List<String> ran = new ArrayList<>();
    String killAt;

    @Override
    public SeedSteps.Outcome run(List<String> args) {
      String key = String.join(" ", args);
      ran.add(key);
      if (!created.add(key)) {
        return new SeedSteps.Outcome(65, "== mbox1: FAILED ALREADY_EXISTS (definite): cos staff already exists on this"
            + " store\n== mbox2: FAILED ALREADY_EXISTS (definite): cos staff already exists on this store\n"
            + "2 of 2 server(s) failed\n");
      }
      if (key.equals(killAt)) {
        // Done on the servers, then the seed dies before recording it.
        throw new IllegalStateException("killed");
      }
      return new SeedSteps.Outcome(0, "ok\n");
    }
  }

  private static void seed(SeedSteps s) throws Exception {
    s.step("admin", "createCos", "staff");
    s.step("admin", "createDomain", "acme.example");
    s.step("admin", "injectMessages", "bob@acme.example", "/m");
    s.step("admin", "grantFolder", "bob@acme.example", "/Inbox");
  }

  @Test
  void anInterruptedSeedCompletesOnTheNextRunWithoutDoingAnythingTwice() throws Exception {
    FakeCluster cluster = new FakeCluster();
    cluster.killAt = "admin injectMessages bob@acme.example /m";
    Path journal = dir.resolve("steps.done");
    assertThrows(IllegalStateException.class, () -> seed(SeedSteps.open(journal, cluster)));

    cluster.killAt = null;
    cluster.ran.clear();
    SeedSteps again = SeedSteps.open(journal, cluster);
    seed(again);
    assertEquals(2, again.skipped(), "the recorded steps are not run again");
    assertEquals(List.of("admin injectMessages bob@acme.example /m", "admin grantFolder bob@acme.example /Inbox"),
        cluster.ran, "the step done but not recorded is tried once, answers ALREADY_EXISTS and counts as done");

    cluster.ran.clear();
    SeedSteps third = SeedSteps.open(journal, cluster);
    seed(third);
    assertEquals(4, third.skipped());
    assertEquals(List.of(), cluster.ran);
  }

  @Test
  void anyOtherFailureStopsTheSeedAndSaysHowToResumeOrReset() throws Exception {
    SeedSteps s = SeedSteps.open(dir.resolve("steps.done"), args -> new SeedSteps.Outcome(69,
        "storefleet: SERVER_UNAVAILABLE (indefinite): server mbox2 is not reachable\n"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.step("admin", "createCos", "staff"));
    assertTrue(e.getMessage().contains("SERVER_UNAVAILABLE"), e.getMessage());
    assertTrue(e.getMessage().contains("--reset"), e.getMessage());
    assertTrue(e.getMessage().contains("resumes the seeding"), e.getMessage());
  }

  @Test
  void onlyAnswersWhereEveryErrorIsAlreadyExistsCountAsDone() {
    assertTrue(SeedSteps.onlyAlreadyExists("storefleet: ALREADY_EXISTS (definite): domain acme.example exists\n"));
    assertFalse(SeedSteps.onlyAlreadyExists("== mbox1: FAILED ALREADY_EXISTS (definite): x\n"
        + "== mbox2: FAILED SERVER_UNAVAILABLE (indefinite): y\n1 of 2 server(s) failed\n"));
    assertFalse(SeedSteps.onlyAlreadyExists("something went wrong\n"));
  }
}
