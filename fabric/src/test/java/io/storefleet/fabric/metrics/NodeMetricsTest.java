package io.storefleet.fabric.metrics;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import org.junit.jupiter.api.Test;

class NodeMetricsTest {
  @Test
  void everyFamilyIsExposedUnderItsDocumentedNameWithItsHelp() {
    try (NodeMetrics m = new NodeMetrics()) {
      for (MetricFamily f : MetricFamily.values()) {
        String[] labels = Collections.nCopies(f.labels().size(), "x").toArray(String[]::new);
        switch (f.type()) {
          case COUNTER -> m.counter(f, labels).increment();
          case GAUGE -> m.gauge(f, f, x -> 1.0, labels);
          case HISTOGRAM -> m.timer(f, labels).record(java.time.Duration.ofMillis(20));
        }
      }
      String text = m.scrape();
      for (MetricFamily f : MetricFamily.values()) {
        String base = f.type() == MetricFamily.Type.COUNTER ? f.exposedName().replaceAll("_total$", "") : f.exposedName();
        assertTrue(text.contains("# HELP " + base + " " + f.help()) || text.contains("# HELP " + f.exposedName() + " "
            + f.help()), f + " has no HELP as " + f.exposedName() + ":\n" + text);
        String sample = f.type() == MetricFamily.Type.HISTOGRAM ? f.exposedName() + "_bucket{" : f.exposedName() + "{";
        assertTrue(text.contains("\n" + sample), f + " is not exposed as " + sample);
      }
      assertTrue(text.contains("jvm_memory_used_bytes"), "JVM meters are bound");
      assertTrue(text.contains("process_cpu_usage"), "process meters are bound");
    }
  }

  @Test
  void aWrongTypeOrLabelCountIsRefused() {
    try (NodeMetrics m = new NodeMetrics()) {
      IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
          () -> m.counter(MetricFamily.QUEUE_DEPTH, "mbox1"));
      assertTrue(type.getMessage().contains("GAUGE"), type.getMessage());
      IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
          () -> m.counter(MetricFamily.OPERATIONS_SUBMITTED, "mbox1"));
      assertTrue(labels.getMessage().contains("[server, command]"), labels.getMessage());
    }
  }
}
