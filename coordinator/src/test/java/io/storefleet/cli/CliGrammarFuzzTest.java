package io.storefleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.coordinator.testing.BadInput;
import io.storefleet.coordinator.testing.FuzzCases;
import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.parse.CommandParser;
import io.storefleet.protocol.parse.ParsedCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The CLI grammar under generated command lines (issue 16): options anywhere, catalogued commands
 * with values of every kind, hostile words. Every line is either understood or refused with a
 * usage error or a definite parse error naming the command; what the coordinator checked is what
 * the worker runs (a canonical value reads back as itself); help never fails.
 * {@code -Dstorefleet.fuzz.cases} changes the number of lines (10,000 here).
 */
class CliGrammarFuzzTest {
  private static final Set<ErrorCode> PARSE_ERRORS = EnumSet.of(ErrorCode.UNKNOWN_COMMAND,
      ErrorCode.MISSING_PARAMETER, ErrorCode.UNKNOWN_PARAMETER, ErrorCode.BAD_VALUE, ErrorCode.DUPLICATE_PARAMETER,
      ErrorCode.TOO_MANY_ARGUMENTS);
  private static final BadInput.PathTargets PATHS = new BadInput.PathTargets(Path.of("/srv/allowed"),
      Path.of("/srv/outside"), Path.of("/srv/allowed/link-out"), Path.of("/srv/allowed/dangling"));

  private final CommandParser parser = new CommandParser();
  private int parsed;
  private int accepted;

  @Test
  void everyCommandLineIsUnderstoodOrRefusedByName() throws Exception {
    int cases = FuzzCases.count(10_000);
    int ran = FuzzCases.run("CLI grammar", cases, r -> Arrays.asList(new BadInput(r, PATHS).commandLine()),
        this::check);
    assertEquals(cases, ran);
    System.out.println("CLI grammar fuzz: " + parsed + " of " + cases + " lines reached the parser, " + accepted
        + " accepted");
    // A generator that drifted into lines the CLI throws away before parsing would check nothing.
    assertTrue(parsed >= cases / 8, parsed + " of " + cases + " lines reached the command parser");
    assertTrue(accepted >= cases / 100, accepted + " of " + cases + " lines were accepted");
  }

  private String check(List<String> line) {
    String[] args = line.toArray(String[]::new);
    CliOptions opts;
    try {
      opts = CliOptions.parse(args);
    } catch (CliUsageException e) {
      return e.getMessage() == null || e.getMessage().isBlank() ? "a usage error without a message" : null;
    }
    List<String> words = opts.words();
    if (words.isEmpty() || words.get(0).equals("help") || opts.help()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = StorefleetCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8), null);
      if (code != ExitCodes.OK && code != ExitCodes.USAGE && code != ExitCodes.of(ErrorCode.UNKNOWN_COMMAND)) {
        return "help exits " + code + ": " + err.toString(StandardCharsets.UTF_8);
      }
      return code != ExitCodes.OK && err.size() == 0 ? "help exits " + code + " without saying why" : null;
    }
    Module module = Module.fromWord(words.get(0));
    if (module == null || words.size() < 2) {
      return null;
    }
    List<String> command = words.subList(1, words.size());
    ParsedCommand parsed;
    this.parsed++;
    try {
      parsed = parser.parse(module, command);
    } catch (StorefleetException e) {
      if (!PARSE_ERRORS.contains(e.code()) || !e.code().definite()) {
        return "refused with " + e.code() + ", not a parse error: " + e.getMessage();
      }
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        return e.code() + " without a message";
      }
      if (e.code() != ErrorCode.UNKNOWN_COMMAND && !e.getMessage().startsWith(parser.lookup(module, command.get(0)).name())) {
        return e.code() + " does not name the command: " + e.getMessage();
      }
      return null;
    }
    accepted++;
    // The coordinator sends the given values; the worker reads them again with its own parser.
    ParsedCommand again = parser.fromValues(module, parsed.name(), parsed.given());
    if (!again.values().equals(parsed.values())) {
      return "the worker would run " + again.values() + " where the coordinator checked " + parsed.values();
    }
    return null;
  }
}
