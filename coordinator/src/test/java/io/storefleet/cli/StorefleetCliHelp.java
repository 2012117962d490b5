package io.storefleet.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the CLI with no environment at all, as help must work without a coordinator. */
final class StorefleetCliHelp {
  private StorefleetCliHelp() {}

  static CliIT.Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = StorefleetCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        new StorefleetCli.Environment("http://127.0.0.1:1", "none", 10));
    return new CliIT.Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
