package io.storefleet.worker.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a component it needs (Dovecot, an SMTP sink, promtool, a browser, a
 * size-limited file system) is not on this machine: CI installs every one of them, so there it
 * fails; on a developer's machine it skips, saying how to get the component.
 */
public final class MissingComponent {

  private MissingComponent() {
  }

  /** Whether this run is CI's ({@code CI=true}, in any case), where no such test may skip. */
  public static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Nothing when {@code present}; otherwise fails in CI and aborts the test elsewhere with {@code why}. */
  public static void require(boolean present, String why) {
    if (present) {
      return;
    }
    if (inCi()) {
      Assertions.fail(why + " (CI=true: these tests must run in CI)");
    }
    Assumptions.abort(why);
  }
}
