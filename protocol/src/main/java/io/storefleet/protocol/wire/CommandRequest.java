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
 * @param requestId the client's request id (v8), kept on forwarding and in a broadcast sent to
 *     every server; null when the client sent none
 */
public record CommandRequest(
    String module,
    String command,
    Map<String, String> params,
    String target,
    String via,
    String requester,
    String requestId) {

  public CommandRequest {
    params = params == null ? Map.of() : new LinkedHashMap<>(params);
  }

  /** A request without request id. */
  public CommandRequest(String module, String command, Map<String, String> params, String target, String via,
      String requester) {
    this(module, command, params, target, via, requester, null);
  }

  /** A request, not yet forwarded, for a command named in code by its catalogue entry. */
  public static CommandRequest of(CatalogueEntry command, Map<String, String> params, String target,
      String requester) {
    return new CommandRequest(command.module().word(), command.command(), params, target, null, requester);
  }

  /** The same request forwarded by {@code server}. */
  public CommandRequest forwardedBy(String server) {
    return new CommandRequest(module, command, params, target, server, requester, requestId);
  }

  /** The same request addressed to {@code server} by the coordinator (a broadcast's part, a placed fix). */
  public CommandRequest addressedTo(String server) {
    return new CommandRequest(module, command, params, server, null, requester, requestId);
  }
}
