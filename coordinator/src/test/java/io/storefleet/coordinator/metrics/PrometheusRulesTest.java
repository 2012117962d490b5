package io.storefleet.coordinator.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.coordinator.testing.Promtool;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The alert rules of deploy/prometheus are valid and their unit tests (each alert firing) pass. */
class PrometheusRulesTest {
  private static final Path DIR = Path.of("..", "deploy", "prometheus");

  @Test
  void rulesCheckAndTheirUnitTestsPass() throws Exception {
    Promtool.assumeInstalled();
    String check = Promtool.run(DIR, null, "check", "rules", "storefleet.rules.yml");
    assertTrue(check.contains("SUCCESS: 5 rules found"), check);
    String tests = Promtool.run(DIR, null, "test", "rules", "storefleet.rules.test.yml");
    assertTrue(tests.contains("SUCCESS"), tests);
  }
}
