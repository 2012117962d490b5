package io.storefleet.worker.command;

import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.wire.CommandReply;

/** Builds a server's replies. */
public final class Replies {
  private final String serverId;

  public Replies(String serverId) {
    this.serverId = serverId;
  }

  /** An immediate answer: data for machines and text for people. */
  public CommandReply result(Object data, String text) {
    return new CommandReply(serverId, false, null, null, data == null ? null : Json.tree(data), text);
  }
}
