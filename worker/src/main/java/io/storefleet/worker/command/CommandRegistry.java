package io.storefleet.worker.command;

import io.storefleet.protocol.catalogue.Catalogue;
import io.storefleet.protocol.catalogue.CatalogueEntry;
import io.storefleet.protocol.catalogue.CommandSpec;
import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.parse.CommandParser;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.worker.queue.OperationTask;
import io.storefleet.worker.queue.TaskFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which catalogued commands this worker has built, keyed by their catalogue entry ({@link
 * io.storefleet.protocol.catalogue.BackupCommand}, {@link
 * io.storefleet.protocol.catalogue.AdminCommand}), so a misspelt command does not compile.
 * Registering an immediate command the catalogue queues (or the reverse), or the same command
 * twice, fails at once, when the worker is wired. A catalogued command with
 * no entry answers a definite NOT_IMPLEMENTED naming it; the commands meant to be in that state
 * are listed in {@link #NOT_BUILT}, and a test checks that every other one is registered.
 */
public final class CommandRegistry {
  /**
   * The catalogued commands this version answers with NOT_IMPLEMENTED by design, as {@code
   * "<module> <name>"}. Every backup and admin command is built today; parameters that are not
   * answer NOT_IMPLEMENTED from the command itself.
   */
  public static final Set<String> NOT_BUILT = Set.of();

  private final Catalogue catalogue;
  private final CommandParser parser;
  private final Map<CommandSpec, ImmediateCommand> immediate = new HashMap<>();
  private final Map<CommandSpec, QueuedCommand> queued = new HashMap<>();

  public CommandRegistry(Catalogue catalogue) {
    this.catalogue = catalogue;
    this.parser = new CommandParser(catalogue);
  }

  public CommandRegistry() {
    this(Catalogue.get());
  }

  /** Registers an immediate command. */
  public CommandRegistry immediate(CatalogueEntry entry, ImmediateCommand c) {
    CommandSpec spec = entry.spec();
    if (spec.queued()) {
      throw new IllegalStateException(spec.name() + " is queued in the catalogue; register it as a QueuedCommand");
    }
    put(immediate, spec, c);
    return this;
  }

  /** Registers a queued command. */
  public CommandRegistry queued(CatalogueEntry entry, QueuedCommand c) {
    CommandSpec spec = entry.spec();
    if (!spec.queued()) {
      throw new IllegalStateException(spec.name() + " is immediate in the catalogue; register it as an ImmediateCommand");
    }
    put(queued, spec, c);
    return this;
  }

  private static <T> void put(Map<CommandSpec, T> map, CommandSpec spec, T c) {
    if (map.putIfAbsent(spec, c) != null) {
      throw new IllegalStateException(spec.module().word() + " " + spec.name() + " is registered twice");
    }
  }

  public Optional<ImmediateCommand> immediate(CommandSpec spec) {
    return Optional.ofNullable(immediate.get(spec));
  }

  public Optional<QueuedCommand> queued(CommandSpec spec) {
    return Optional.ofNullable(queued.get(spec));
  }

  /** Whether a catalogued command is built here. */
  public boolean registered(CommandSpec spec) {
    return immediate.containsKey(spec) || queued.containsKey(spec);
  }

  /** The catalogued commands that are neither registered nor in {@link #NOT_BUILT}, as "module name". */
  public List<String> unaccounted() {
    List<String> out = new ArrayList<>();
    for (CommandSpec spec : catalogue.all()) {
      String key = spec.module().word() + " " + spec.name();
      if (registered(spec) == NOT_BUILT.contains(key)) {
        out.add(key + (registered(spec) ? " (registered, yet listed as not built)" : " (neither registered nor listed as not built)"));
      }
    }
    return out;
  }

  /**
   * The task of a queued operation read back from its record (an operation recovered after a
   * restart): the command is looked up among the catalogue's queued commands and its values
   * checked again.
   */
  public OperationTask task(Operation op, String serverId) {
    CommandSpec spec = queuedSpec(op.command()).orElseThrow(() -> ErrorCode.NOT_IMPLEMENTED.exception(
        "operation " + op.uuid() + " is a " + op.command() + ", which this version does not queue; nothing was done",
        serverId));
    ParsedCommand cmd = parser.fromValues(spec.module(), spec.name(), op.params());
    return queued(spec).orElseThrow(() -> notImplemented(spec, serverId)).task(cmd, op);
  }

  /**
   * The task factory of a queued command checked in this run: the task is built from this very
   * command when the operation reaches the head of the queue, without parsing it again.
   */
  public TaskFactory taskOf(ParsedCommand cmd, String serverId) {
    QueuedCommand q = queued(cmd.spec()).orElseThrow(() -> notImplemented(cmd.spec(), serverId));
    return op -> q.task(cmd, op);
  }

  private Optional<CommandSpec> queuedSpec(String command) {
    for (Module m : Module.values()) {
      Optional<CommandSpec> s = catalogue.find(m, command);
      if (s.isPresent() && s.get().queued()) {
        return s;
      }
    }
    return Optional.empty();
  }

  /** The definite error for a catalogued command that is not built. */
  public static StorefleetException notImplemented(CommandSpec spec, String serverId) {
    return ErrorCode.NOT_IMPLEMENTED.exception(
        spec.module().word() + " " + spec.name() + " is catalogued but not implemented in this"
            + " version of storefleet; nothing was done",
        serverId);
  }
}
