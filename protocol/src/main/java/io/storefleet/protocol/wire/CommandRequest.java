package io.storefleet.protocol.wire;

import io.storefleet.protocol.catalogue.CatalogueEntry;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A command sent to a worker on the event bus.
 *
 * @param module {@code backup} or {@code admin}
 * @param command the command name
 * @param params canonical parameter values (the worker checks them again against the catalogue)
 * @param target the server the client named, or null when the coordinator chose the owner
 * @param via the server that already forwarded this request once, or null; a request with a via
 *     is never forwarded again
 * @param requester who asked
 */
public record CommandRequest(
    String module,
    String command,
    Map<String, String> params,
    String target,
    String via,
    String requester) {

  public CommandRequest {
    params = params == null ? Map.of() : new LinkedHashMap<>(params);
  }

  /** A request, not yet forwarded, for a command named in code by its catalogue entry. */
  public static CommandRequest of(CatalogueEntry command, Map<String, String> params, String target,
      String requester) {
    return new CommandRequest(command.module().word(), command.command(), params, target, null, requester);
  }

  /** The same request forwarded by {@code server}. */
  public CommandRequest forwardedBy(String server) {
    return new CommandRequest(module, command, params, target, server, requester);
  }
}
