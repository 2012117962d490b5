package io.storefleet.protocol.wire;

import java.util.List;

/**
 * A command as a client submits it to the coordinator's HTTP API.
 *
 * @param module {@code backup} (default) or {@code admin}
 * @param args the command name followed by its arguments, exactly as typed on the command line
 * @param target a server id, {@code all_servers}, or null to let the coordinator route it
 * @param requestId the client's id of this request ({@link RequestId}), the same on every retry,
 *     or null (clients before v8): the server that runs a command answers a repeated id with its
 *     first answer instead of running it again
 */
public record CommandSubmission(String module, List<String> args, String target, String requestId) {

  /** A submission without request id, as clients before v8 send it. */
  public CommandSubmission(String module, List<String> args, String target) {
    this(module, args, target, null);
  }
}
