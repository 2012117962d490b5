package io.storefleet.worker.service;

import io.storefleet.protocol.catalogue.BackupCommand;
import io.storefleet.protocol.parse.CommandParser;
import io.storefleet.protocol.parse.ParsedCommand;
import java.util.Map;

/**
 * Queues an operation on this server's FIFO queue on behalf of a service. The command is checked
 * against the catalogue once, here, and its task is bound to that checked command: it is not
 * parsed again when it reaches the head of the queue.
 */
@FunctionalInterface
public interface Submitter {
  /**
   * Accepts an operation; it is committed to the operation log when this returns.
   *
   * @param cmd a queued command, checked against the catalogue with its defaults filled in
   * @return the queued operation's uuid
   */
  String submit(ParsedCommand cmd);

  /** Queues a backup command with the values given and the catalogue's defaults for the rest. */
  default String submit(BackupCommand command, Map<String, String> given) {
    return submit(new CommandParser().fromValues(command, given));
  }

  /** Queues a backup command with the catalogue's defaults, as an operator typing it bare would. */
  default String submitWithDefaults(BackupCommand command) {
    return submit(command, Map.of());
  }
}
