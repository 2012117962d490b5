package io.storefleet.protocol.wire;

import java.util.List;

/**
 * The answer to an {@code all_servers} command: one result per registered server.
 *
 * @param results one per server, sorted by server id
 */
public record BroadcastReply(List<ServerResult> results) {

  public BroadcastReply {
    results = List.copyOf(results);
  }

  /** How many servers failed or did not answer. */
  public long failures() {
    return results.stream().filter(r -> !r.ok()).count();
  }
}
