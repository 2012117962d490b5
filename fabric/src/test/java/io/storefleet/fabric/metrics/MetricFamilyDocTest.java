package io.storefleet.fabric.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/metrics.md lists every family, with its type and labels, in the catalogue's order, and no other. */
class MetricFamilyDocTest {
  private static final Path DOC = Path.of("..", "docs", "metrics.md");
  private static final Pattern ROW = Pattern.compile("^\\| `(storefleet_[a-z_]+)` \\| (\\w+) \\| ([a-z, ]+) \\|");

  @Test
  void theFamilyTableIsTheCatalogue() throws Exception {
    assertTrue(Files.exists(DOC), "run from the fabric module: " + DOC.toAbsolutePath());
    List<String> documented = new ArrayList<>();
    for (String line : Files.readAllLines(DOC, StandardCharsets.UTF_8)) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        documented.add(m.group(1) + " " + m.group(2) + " " + m.group(3).trim());
      }
    }
    List<String> catalogue = new ArrayList<>();
    for (MetricFamily f : MetricFamily.values()) {
      catalogue.add(f.exposedName() + " " + f.type().name().toLowerCase() + " " + String.join(", ", f.labels()));
    }
    assertEquals(String.join("\n", catalogue), String.join("\n", documented));
  }
}
