package io.storefleet.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Which module may use which, over the main classes of every module. Maven already refuses a
 * missing dependency; these rules also catch one added back to a pom.
 */
@AnalyzeClasses(packages = "io.storefleet", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleRulesTest {

  @ArchTest
  static final ArchRule COORDINATOR_WITHOUT_WORKER = noClasses()
      .that().resideInAPackage("io.storefleet.coordinator..")
      .should().dependOnClassesThat().resideInAPackage("io.storefleet.worker..")
      .because("the coordinator is a stateless front door: it must not ship the mail store, the backup engine"
          + " and zstd; what both sides need goes to a module below both (io.storefleet.shares)");

  @ArchTest
  static final ArchRule SHARES_BELOW_BOTH_SERVERS = noClasses()
      .that().resideInAPackage("io.storefleet.shares..")
      .should().dependOnClassesThat().resideInAnyPackage("io.storefleet.worker..", "io.storefleet.coordinator..")
      .because("the share check is used by the coordinator and by the workers, so it can use neither");

  @ArchTest
  static final ArchRule CLI_IS_A_THIN_CLIENT = noClasses()
      .that().resideInAnyPackage("io.storefleet.cli..", "io.storefleet.demo..")
      .should().dependOnClassesThat().resideInAnyPackage("io.storefleet.worker..", "io.storefleet.coordinator..",
          "io.storefleet.fabric..", "io.storefleet.shares..", "io.vertx..", "com.hazelcast..")
      .because("the CLI talks HTTP to a coordinator and nothing else; its jar must stay small and start fast");
}
