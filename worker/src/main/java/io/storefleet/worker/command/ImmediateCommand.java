package io.storefleet.worker.command;

import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.protocol.wire.CommandReply;
import io.vertx.core.Future;

/** A command answered at once (configuration, queries, store administration). */
@FunctionalInterface
public interface ImmediateCommand {
  /** Answers the command; blocking work must go to a worker thread. */
  Future<CommandReply> handle(ParsedCommand cmd, RequestContext ctx);
}
