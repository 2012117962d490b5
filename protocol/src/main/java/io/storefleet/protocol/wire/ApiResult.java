package io.storefleet.protocol.wire;

/**
 * The coordinator's answer to a submitted command. Exactly one of {@code reply}, {@code broadcast}
 * and {@code table} is set, as {@code kind} says; {@code text} is the same answer for people.
 *
 * @param kind {@code reply} (one server), {@code broadcast} (all_servers) or {@code table} (the
 *     aggregated queue)
 * @param reply one server's reply
 * @param broadcast one result per server
 * @param table the cluster's queue
 * @param text the answer as the CLI prints it
 */
public record ApiResult(
    String kind, CommandReply reply, BroadcastReply broadcast, OperationTable table, String text) {

  public static ApiResult of(CommandReply r, String text) {
    return new ApiResult("reply", r, null, null, text);
  }

  public static ApiResult of(BroadcastReply b, String text) {
    return new ApiResult("broadcast", null, b, null, text);
  }

  public static ApiResult of(OperationTable t, String text) {
    return new ApiResult("table", null, null, t, text);
  }
}
