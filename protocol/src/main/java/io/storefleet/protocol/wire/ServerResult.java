package io.storefleet.protocol.wire;

import io.storefleet.protocol.error.ErrorInfo;

/**
 * One server's share of a broadcast: its reply, or the error that kept it from answering.
 *
 * @param server the server
 * @param reply its reply, or null
 * @param error its failure, or null
 */
public record ServerResult(String server, CommandReply reply, ErrorInfo error) {

  /** Whether the server answered without error. */
  public boolean ok() {
    return error == null;
  }
}
