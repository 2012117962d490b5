package io.storefleet.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's examples run as they are on the local cluster: every path they give a worker lies
 * in run/local (an allowed root of deploy/run-local.sh) unless the line is marked (*), which the
 * README explains with --allowed-roots; and run-local.sh refuses a wrong --allowed-roots before it
 * builds or starts anything.
 */
class LocalClusterExamplesTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern PATH = Pattern.compile("\"?(\\$PWD)?(/[^\\s\"=]+)\"?");
  private static final List<String> TAKES_PATHS = List.of("doExport", "doExternalRestore", " export ", " import ");

  @Test
  void theReadmeExamplesUsePathsTheLocalClusterAllows() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
    int start = lines.indexOf("## CLI examples");
    assertTrue(start >= 0, "README.md has a '## CLI examples' section");
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (String line : lines.subList(start, lines.size())) {
      if (line.startsWith("Grammar:")) {
        break;
      }
      if (!line.startsWith("deploy/bin/storefleet") || TAKES_PATHS.stream().noneMatch(line::contains)) {
        continue;
      }
      String command = line.substring("deploy/bin/storefleet".length());
      command = command.contains("  #") ? command.substring(0, command.indexOf("  #")) : command;
      Matcher m = PATH.matcher(command);
      while (m.find()) {
        checked++;
        boolean local = m.group(1) != null && m.group(2).startsWith("/run/local/");
        if (!local && !line.contains("(*)")) {
          wrong.add(line);
        }
      }
    }
    assertTrue(checked >= 4, "the export and import examples were found: " + checked);
    assertEquals(List.of(), wrong, "paths outside run/local need --allowed-roots: mark the line (*)");
  }

  @Test
  void runLocalRefusesAnAllowedRootThatIsNotAFolderBeforeStartingAnything() throws Exception {
    Path script = ROOT.resolve("deploy/run-local.sh");
    Process p = new ProcessBuilder("bash", script.toString(), "--allowed-roots", "/nonexistent-storefleet-root")
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "run-local.sh answered at once");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(64, p.exitValue(), out);
    assertTrue(out.contains("allowed root /nonexistent-storefleet-root is not an existing folder"), out);
    assertTrue(!out.contains("building"), "nothing was built: " + out);

    Process usage = new ProcessBuilder("bash", script.toString(), "--allowed-roots").redirectErrorStream(true).start();
    assertTrue(usage.waitFor(60, TimeUnit.SECONDS));
    assertEquals(64, usage.exitValue());
    assertTrue(new String(usage.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
        .contains("--allowed-roots DIR[,DIR...]"));
  }
}
