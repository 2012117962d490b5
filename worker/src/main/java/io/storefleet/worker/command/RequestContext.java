package io.storefleet.worker.command;

/**
 * Who asked for a command and how it arrived.
 *
 * @param requester who asked
 * @param via the server that forwarded it here, or null
 * @param requestId the client's request id, or null
 */
public record RequestContext(String requester, String via, String requestId) {

  /** A request without request id. */
  public RequestContext(String requester, String via) {
    this(requester, via, null);
  }
}
