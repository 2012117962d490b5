package io.storefleet.worker.service;

import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.parse.CommandParser;
import java.util.Map;

/** Queues an operation on this server's FIFO queue on behalf of a service. */
@FunctionalInterface
public interface Submitter {
  /**
   * Accepts an operation; it is committed to the operation log when this returns.
   *
   * @param command the catalogued backup command, e.g. {@code doSmartScan}
   * @param params canonical parameter values with the defaults filled in
   * @return the queued operation's uuid
   */
  String submit(String command, Map<String, String> params);

  /** Queues a backup command with the catalogue's defaults, as an operator typing it bare would. */
  default String submitWithDefaults(String command) {
    return submit(command, new CommandParser().fromValues(Module.BACKUP, command, Map.of()).values());
  }
}
