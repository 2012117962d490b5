package io.storefleet.protocol.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.protocol.operation.Operation;

/**
 * A worker's answer to a command.
 *
 * @param server the server that executed the command
 * @param proxied whether the request reached it through another server
 * @param via the server that proxied it, or null
 * @param operation for queued commands, the accepted operation
 * @param result for immediate commands, the answer's data
 * @param text the answer as people read it
 * @param repeat true when this is the first answer to the same request id given again (v8): the
 *     command was not run again; null for a first answer
 */
public record CommandReply(
    String server, boolean proxied, String via, Operation operation, JsonNode result, String text, Boolean repeat) {

  /** A first answer. */
  public CommandReply(String server, boolean proxied, String via, Operation operation, JsonNode result, String text) {
    this(server, proxied, via, operation, result, text, null);
  }

  /** The same reply marked as proxied through {@code from}. */
  public CommandReply proxiedVia(String from) {
    return new CommandReply(server, true, from, operation, result, text, repeat);
  }

  /** The same reply given again to a repeated request id. */
  public CommandReply asRepeat() {
    return new CommandReply(server, proxied, via, operation, result, text, Boolean.TRUE);
  }

  /** Whether this answers a repeated request id. */
  public boolean repeated() {
    return Boolean.TRUE.equals(repeat);
  }
}
