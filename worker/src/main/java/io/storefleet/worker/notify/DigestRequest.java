package io.storefleet.worker.notify;

import java.time.Instant;
import java.util.List;

/**
 * A request of the digest-sending server to another server's digest endpoint.
 *
 * @param kind what is asked
 * @param cutoff for WAITING: the digest time the notices must be older than
 * @param outcomes for REPORT: what the digest came to for that server's notices
 */
public record DigestRequest(Kind kind, Instant cutoff, List<DigestOutcome> outcomes) {

  public enum Kind {
    /** Does the server send digests itself? Answer: {@code {"sendsDigests": bool}}. */
    HELLO,
    /** The notices waiting for the digest. Answer: an array of {@link DigestItem}. */
    WAITING,
    /** Write the outcomes into the notices. Answer: {@code {"applied": n}}. */
    REPORT
  }
}
