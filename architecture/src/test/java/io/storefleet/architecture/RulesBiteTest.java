package io.storefleet.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import io.storefleet.cli.fixture.LeaksVertx;
import io.storefleet.coordinator.fixture.LeaksWorker;
import io.storefleet.coordinator.routing.CommandRouter;
import io.storefleet.shares.ShareReport;
import io.storefleet.shares.fixture.LeaksCoordinator;
import org.junit.jupiter.api.Test;

/** The rules fail on what they forbid: a rule that cannot fail would prove nothing. */
class RulesBiteTest {

  @Test
  void aCoordinatorClassUsingTheWorkerBreaksTheModuleRule() {
    JavaClasses leaking = new ClassFileImporter().importClasses(LeaksWorker.class);
    EvaluationResult r = ModuleRulesTest.COORDINATOR_WITHOUT_WORKER.evaluate(leaking);
    assertTrue(r.hasViolation(), "a coordinator class depending on the worker must break the rule");
    assertTrue(r.getFailureReport().toString().contains("io.storefleet.worker.store.Mountpoint"),
        r.getFailureReport().toString());
  }

  @Test
  void theCoordinatorAsBuiltKeepsTheModuleRule() {
    JavaClasses router = new ClassFileImporter().importClasses(CommandRouter.class);
    assertFalse(ModuleRulesTest.COORDINATOR_WITHOUT_WORKER.evaluate(router).hasViolation());
  }

  @Test
  void aSharesClassUsingTheCoordinatorBreaksTheSharesRule() {
    JavaClasses leaking = new ClassFileImporter().importClasses(LeaksCoordinator.class);
    EvaluationResult r = ModuleRulesTest.SHARES_BELOW_BOTH_SERVERS.evaluate(leaking);
    assertTrue(r.hasViolation(), "a shares class depending on the coordinator must break the rule");
    assertTrue(r.getFailureReport().toString().contains("io.storefleet.coordinator.routing.CommandRouter"),
        r.getFailureReport().toString());
  }

  @Test
  void aCliClassUsingVertxBreaksTheThinClientRule() {
    JavaClasses leaking = new ClassFileImporter().importClasses(LeaksVertx.class);
    EvaluationResult r = ModuleRulesTest.CLI_IS_A_THIN_CLIENT.evaluate(leaking);
    assertTrue(r.hasViolation(), "a CLI class depending on Vert.x must break the rule");
    assertTrue(r.getFailureReport().toString().contains("io.vertx.core.Vertx"), r.getFailureReport().toString());
  }

  @Test
  void aClassLongerThanTheLimitBreaksTheSizeRule() {
    JavaClasses check = new ClassFileImporter().importClasses(ShareReport.class);
    EvaluationResult r = classes().that(ClassSizeTest.topLevel()).should(ClassSizeTest.haveAtMostLines(50))
        .evaluate(check);
    assertTrue(r.hasViolation(), "ShareReport has over 50 lines and must break a limit of 50");
    assertTrue(r.getFailureReport().toString().contains("io/storefleet/shares/ShareReport.java has "),
        r.getFailureReport().toString());
  }
}
