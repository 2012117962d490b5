package io.storefleet.architecture;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.storefleet.worker.admin.ShareResolver;
import io.storefleet.worker.fixture.AsksPastTheBridge;
import io.storefleet.worker.fixture.ProxiesPastTheBridge;
import io.vertx.core.eventbus.EventBus;
import org.junit.jupiter.api.Test;

/**
 * Only worker/cluster asks other servers: everything else in the worker goes through its
 * {@code ServerLink} (and waits with its {@code ClusterWait}), so that a failure has one timeout
 * and one error code whichever operation family meets it (docs/architecture.md, "Reaching other
 * servers"). The coordinator's clients (fabric's WorkerClient, the shares module's ShareClient and
 * BusShareServers) are a second transport the worker must not use.
 */
class ClusterBridgeArchitectureTest {
  private static final String BRIDGE = "io.storefleet.worker.cluster..";

  static final ArchRule ONLY_THE_BRIDGE_ASKS_OTHER_SERVERS = noClasses()
      .that().resideInAPackage("io.storefleet.worker..")
      .and().resideOutsideOfPackage(BRIDGE)
      .should().callMethodWhere(target(AccessTarget.Predicates.declaredIn(EventBus.class)
          .and(nameMatching("request|send"))))
      .orShould().dependOnClassesThat().haveFullyQualifiedName("io.storefleet.fabric.bus.WorkerClient")
      .orShould().dependOnClassesThat().haveFullyQualifiedName("io.storefleet.shares.ShareClient")
      .orShould().dependOnClassesThat().haveFullyQualifiedName("io.storefleet.shares.BusShareServers")
      .because("a worker asks other servers only through worker/cluster (ServerLink, ClusterWait), which holds"
          + " the one timeout policy and the one mapping of bus failures to error codes");

  @Test
  void onlyTheClusterBridgeAsksOtherServers() {
    JavaClasses main = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.storefleet.worker");
    ONLY_THE_BRIDGE_ASKS_OTHER_SERVERS.check(main);
  }

  @Test
  void aBusRequestOutsideTheBridgeBreaksTheRule() {
    JavaClasses asking = new ClassFileImporter().importClasses(AsksPastTheBridge.class);
    EvaluationResult r = ONLY_THE_BRIDGE_ASKS_OTHER_SERVERS.evaluate(asking);
    assertTrue(r.hasViolation(), "an event-bus request outside worker/cluster must break the rule");
    assertTrue(r.getFailureReport().toString().contains("EventBus.request"), r.getFailureReport().toString());
  }

  @Test
  void theCoordinatorsClientInTheWorkerBreaksTheRule() {
    JavaClasses proxying = new ClassFileImporter().importClasses(ProxiesPastTheBridge.class);
    EvaluationResult r = ONLY_THE_BRIDGE_ASKS_OTHER_SERVERS.evaluate(proxying);
    assertTrue(r.hasViolation(), "a worker class using WorkerClient must break the rule");
    assertTrue(r.getFailureReport().toString().contains("WorkerClient"), r.getFailureReport().toString());
  }

  @Test
  void aFamilyAskingThroughTheLinkKeepsTheRule() {
    JavaClasses resolver = new ClassFileImporter().importClasses(ShareResolver.class);
    assertFalse(ONLY_THE_BRIDGE_ASKS_OTHER_SERVERS.evaluate(resolver).hasViolation());
  }
}
