package io.storefleet.worker.service;

import io.storefleet.protocol.catalogue.BackupCommand;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.command.Replies;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The property and service commands as one server answers them: {@code setProperty},
 * {@code getProperty}, {@code getServices}, {@code doStartService}, {@code doStopService} and
 * {@code doRestartService}. All of them run on a worker thread: they write logs and start or stop
 * threads.
 */
public final class ServiceCommands {
  private ServiceCommands() {}

  /**
   * The answer to {@code setProperty}.
   *
   * @param change what was set and the effective value before and after
   * @param smartScanOperation the uuid of the SmartScan queued because the real-time scanner was
   *     switched back on, or null
   */
  public record PropertySet(PropertyChange change, String smartScanOperation) {}

  public static void register(
      CommandRegistry registry,
      Vertx vertx,
      Replies replies,
      BackupProperties props,
      WorkerServices services,
      Submitter submitter) {
    PropertyCommand set = new PropertyCommand(props, services, submitter);
    registry.immediate(BackupCommand.SET_PROPERTY, (cmd, ctx) -> vertx.executeBlocking(() -> {
      PropertySet r = set.apply(cmd);
      return replies.result(r, set.text(r));
    }));
    registry.immediate(BackupCommand.GET_PROPERTY, (cmd, ctx) -> vertx.executeBlocking(() -> {
      PropertyScope scope = PropertyScope.of(cmd.string("scope"));
      String name = cmd.string("property");
      List<PropertyValue> values = name == null || name.isBlank()
          ? List.copyOf(props.all().values())
          : List.of(props.get(name));
      return replies.result(values, ServiceText.properties(values, scope));
    }));
    registry.immediate(BackupCommand.GET_SERVICES, (cmd, ctx) -> vertx.executeBlocking(() -> {
      List<ServiceStatus> all = services.list();
      return replies.result(all, ServiceText.services(all));
    }));
    registerLifecycle(registry, vertx, replies, services, BackupCommand.DO_START_SERVICE, "started", "was already running",
        (s, name) -> s.start(name));
    registerLifecycle(registry, vertx, replies, services, BackupCommand.DO_STOP_SERVICE, "stopped", "was already stopped",
        (s, name) -> s.stop(name));
    registerLifecycle(registry, vertx, replies, services, BackupCommand.DO_RESTART_SERVICE, "restarted", null,
        (s, name) -> s.restart(name));
  }

  private static void registerLifecycle(
      CommandRegistry registry,
      Vertx vertx,
      Replies replies,
      WorkerServices services,
      BackupCommand command,
      String done,
      String alreadyDone,
      BiFunction<WorkerServices, String, ServiceStatus> action) {
    registry.immediate(command, (cmd, ctx) -> vertx.executeBlocking(() -> {
      String name = cmd.required("service_name");
      boolean wasRunning = services.status(name).running();
      ServiceStatus after = action.apply(services, name);
      boolean noop = alreadyDone != null && wasRunning == after.running();
      String text = "service " + after.name() + " " + (noop ? alreadyDone : done) + "; it is " + after.state();
      if (after.running() && !wasRunning && after.name().equalsIgnoreCase(WorkerServices.REALTIME_SCANNER)) {
        text += "\nchanges made while it was stopped are not backed up yet: run doSmartScan";
      }
      return replies.result(after, text);
    }));
  }

  /** {@code setProperty}: sets the property, then applies what the change means at once. */
  static final class PropertyCommand {
    private final BackupProperties props;
    private final WorkerServices services;
    private final Submitter submitter;

    PropertyCommand(BackupProperties props, WorkerServices services, Submitter submitter) {
      this.props = props;
      this.services = services;
      this.submitter = submitter;
    }

    PropertySet apply(ParsedCommand cmd) {
      PropertyScope scope = PropertyScope.of(cmd.string("scope"));
      PropertyChange change = props.set(cmd.required("property_name"), cmd.required("property_value"), scope);
      if (!change.name().equals(BackupProperty.REALTIME_SCANNER.canonicalName()) || !change.effectiveChanged()) {
        return new PropertySet(change, null);
      }
      if (!props.realtimeScanner()) {
        if (services.has(WorkerServices.REALTIME_SCANNER)) {
          services.stop(WorkerServices.REALTIME_SCANNER);
        }
        return new PropertySet(change, null);
      }
      try {
        if (services.has(WorkerServices.REALTIME_SCANNER)) {
          services.start(WorkerServices.REALTIME_SCANNER);
        }
        // The manual: a scanner switched back on has missed changes; only a SmartScan finds them.
        return new PropertySet(change, submitter.submitWithDefaults(BackupCommand.DO_SMART_SCAN));
      } catch (StorefleetException e) {
        throw new StorefleetException(e.code(),
            "ZxBackup_RealTimeScanner is now true, but " + e.getMessage()
                + "; then run 'doStartService " + WorkerServices.REALTIME_SCANNER + "' and 'doSmartScan'",
            e.server(), e);
      }
    }

    String text(PropertySet r) {
      PropertyChange c = r.change();
      StringBuilder sb = new StringBuilder();
      sb.append(c.name()).append(" set to ").append(c.value()).append(" at ").append(c.scope()).append(" level");
      if (c.overridden()) {
        sb.append("; this server keeps its own value ").append(c.effective())
            .append(" (set it with scope server to change it here)");
      } else {
        sb.append("; in effect: ").append(c.effective());
      }
      sb.append('\n');
      if (c.name().equals(BackupProperty.REALTIME_SCANNER.canonicalName()) && c.effectiveChanged()) {
        if (r.smartScanOperation() != null) {
          sb.append(WorkerServices.REALTIME_SCANNER).append(" started; re-enabling it requires a SmartScan,")
              .append(" queued as operation ").append(r.smartScanOperation()).append('\n');
        } else {
          sb.append(WorkerServices.REALTIME_SCANNER).append(" stopped; changes are backed up only by SmartScans")
              .append(" until it is set to true again\n");
        }
      }
      if (c.name().equals(BackupProperty.SCAN_SCHEDULING.canonicalName()) && c.effectiveChanged()) {
        sb.append(props.scanScheduling()
            ? "scheduled scans are on: a SmartScan every night at " + props.smartScanTime() + "\n"
            : "scheduled scans are off: no nightly SmartScan and no weekly purge\n");
      }
      return sb.toString();
    }
  }
}
