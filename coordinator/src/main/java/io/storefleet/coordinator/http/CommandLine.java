package io.storefleet.coordinator.http;

import io.storefleet.protocol.catalogue.Module;
import java.util.List;

/** A submitted command as the operator would have typed it, for the audit trail. */
final class CommandLine {
  private CommandLine() {}

  static String of(Module module, List<String> args, String target) {
    StringBuilder sb = new StringBuilder(module.word());
    for (String a : args) {
      sb.append(' ').append(a.isEmpty() || a.chars().anyMatch(Character::isWhitespace) || a.contains("'")
          ? "'" + a.replace("'", "'\\''") + "'" : a);
    }
    if (target != null) {
      sb.append(" --host ").append(target);
    }
    return sb.toString();
  }
}
