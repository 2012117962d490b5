package io.storefleet.worker.command;

import io.storefleet.protocol.catalogue.CommandSpec;
import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which catalogued commands this worker has built. A catalogued command with no entry answers a
 * definite NOT_IMPLEMENTED naming it.
 */
public final class CommandRegistry {
  private final Map<String, ImmediateCommand> immediate = new HashMap<>();
  private final Map<String, QueuedCommand> queued = new HashMap<>();

  private static String key(Module module, String name) {
    return module.word() + ":" + name.toLowerCase(Locale.ROOT);
  }

  public CommandRegistry immediate(Module module, String name, ImmediateCommand c) {
    immediate.put(key(module, name), c);
    return this;
  }

  public CommandRegistry queued(Module module, String name, QueuedCommand c) {
    queued.put(key(module, name), c);
    return this;
  }

  public Optional<ImmediateCommand> immediate(CommandSpec spec) {
    return Optional.ofNullable(immediate.get(key(spec.module(), spec.name())));
  }

  public Optional<QueuedCommand> queued(CommandSpec spec) {
    return Optional.ofNullable(queued.get(key(spec.module(), spec.name())));
  }

  /** The definite error for a catalogued command that is not built. */
  public static StorefleetException notImplemented(CommandSpec spec, String serverId) {
    return ErrorCode.NOT_IMPLEMENTED.exception(
        spec.module().word() + " " + spec.name() + " is catalogued but not implemented in this"
            + " version of storefleet; nothing was done",
        serverId);
  }
}
