package io.storefleet.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console's pages are whole and self-contained: every file they load is in the jar, and none
 * names another origin (no CDN, nothing fetched at run time), which the coordinator's
 * Content-Security-Policy would refuse anyway.
 */
class ConsoleAssetsTest {
  private static final Pattern LOCAL_REF = Pattern.compile("(?m)(?:src|href)=\"([^\"#:]+)\"|^import [^;]* from '([^']+)'");
  private static final Pattern OTHER_ORIGIN = Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}");

  private static Path root() throws URISyntaxException {
    return Path.of(ConsoleAssetsTest.class.getResource("/console/index.html").toURI()).getParent();
  }

  private static List<Path> files() throws Exception {
    try (Stream<Path> s = Files.walk(root())) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void everyFileThatAPageLoadsIsServedFromTheJar() throws Exception {
    List<String> missing = new ArrayList<>();
    int refs = 0;
    for (Path f : files()) {
      if (!f.toString().endsWith(".html") && !f.toString().endsWith(".js")) {
        continue;
      }
      Matcher m = LOCAL_REF.matcher(Files.readString(f));
      while (m.find()) {
        String ref = m.group(1) != null ? m.group(1) : m.group(2);
        refs++;
        if (!Files.isRegularFile(f.getParent().resolve(ref).normalize())) {
          missing.add(root().relativize(f) + " -> " + ref);
        }
      }
    }
    assertEquals(List.of(), missing);
    assertTrue(refs > 10, "the scan found the pages' references: " + refs);
  }

  @Test
  void noPageNamesAnotherOrigin() throws Exception {
    List<String> found = new ArrayList<>();
    for (Path f : files()) {
      Matcher m = OTHER_ORIGIN.matcher(read(f));
      while (m.find()) {
        found.add(root().relativize(f) + ": " + m.group());
      }
    }
    assertEquals(List.of(), found);
  }

  private static String read(Path f) throws IOException {
    return Files.readString(f);
  }
}
