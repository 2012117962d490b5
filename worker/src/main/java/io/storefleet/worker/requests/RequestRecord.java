package io.storefleet.worker.requests;

import io.storefleet.protocol.error.ErrorInfo;
import io.storefleet.protocol.wire.CommandReply;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One client request id as this server keeps it in {@code requests.log}: the request it named
 * and, once answered, the first answer.
 *
 * @param id the client's request id
 * @param at when this server first saw it
 * @param command the command it named
 * @param params the command's values as this server parsed them
 * @param requester who asked
 * @param reply the first answer, when it was one
 * @param error the first answer, when it was an error
 */
public record RequestRecord(String id, Instant at, String command, Map<String, String> params, String requester,
    CommandReply reply, ErrorInfo error) {

  public RequestRecord {
    params = params == null ? Map.of() : new LinkedHashMap<>(params);
  }

  /** A request seen but not answered yet. */
  public static RequestRecord started(String id, Instant at, String command, Map<String, String> params,
      String requester) {
    return new RequestRecord(id, at, command, params, requester, null, null);
  }

  /** Whether its first answer is known. */
  public boolean answered() {
    return reply != null || error != null;
  }

  public RequestRecord answer(CommandReply r) {
    return new RequestRecord(id, at, command, params, requester, r, null);
  }

  public RequestRecord failure(ErrorInfo e) {
    return new RequestRecord(id, at, command, params, requester, null, e);
  }

  /** Whether {@code other} asks for the same thing: a true retry, not an id reused for something else. */
  public boolean sameRequest(RequestRecord other) {
    return command.equals(other.command) && params.equals(other.params)
        && Objects.equals(requester, other.requester);
  }
}
