package io.storefleet.fabric.metrics;

import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.access.Role;
import io.storefleet.protocol.access.TokenRecord;
import io.storefleet.protocol.error.ErrorCode;
import io.vertx.core.Future;

/**
 * Who may read {@code /metrics}, on coordinators and workers alike. By default a scrape carries
 * {@code Authorization: Bearer <token>} of an active token of role {@code viewer} or above (any
 * active token), looked up in the cluster's token map on every scrape, as the API does, so a
 * revocation applies to the next scrape. {@code metrics.access=open} drops the check for a
 * scrape network that is trusted. The metrics hold counts and server ids, never accounts or mail.
 */
public final class ScrapeAccess {
  /** The rule in force. */
  public enum Mode {
    /** A viewer token is needed (the default). */
    TOKEN,
    /** Anyone who reaches the port may read it. */
    OPEN;

    /** The mode for a setting's word. */
    public static Mode of(String word) {
      for (Mode m : values()) {
        if (m.name().equalsIgnoreCase(word)) {
          return m;
        }
      }
      throw new IllegalArgumentException("metrics.access must be token or open, got '" + word + "'");
    }
  }

  private final Mode mode;
  private final ClusterDirectory directory;

  public ScrapeAccess(Mode mode, ClusterDirectory directory) {
    this.mode = mode;
    this.directory = directory;
  }

  public Mode mode() {
    return mode;
  }

  /** Completes when the scrape may read; fails with UNAUTHORIZED naming what is wrong otherwise. */
  public Future<Void> check(String authorizationHeader) {
    if (mode == Mode.OPEN) {
      return Future.succeededFuture();
    }
    if (authorizationHeader == null || !authorizationHeader.startsWith("Bearer ")
        || authorizationHeader.substring(7).isBlank()) {
      return Future.failedFuture(ErrorCode.UNAUTHORIZED.exception("no token; /metrics needs"
          + " 'Authorization: Bearer <token>' of a viewer token (Prometheus: authorization.credentials_file"
          + " in the scrape config), or metrics.access=open on a trusted network"));
    }
    String id = TokenRecord.idOf(authorizationHeader.substring(7).trim());
    return directory.token(id).compose(found -> {
      if (found.isEmpty() || !found.get().active()) {
        return Future.failedFuture(ErrorCode.UNAUTHORIZED.exception((found.isEmpty() ? "unknown" : "revoked")
            + " token for /metrics; create one with 'storefleet tokens create prometheus viewer'"));
      }
      if (!found.get().role().includes(Role.VIEWER)) {
        return Future.failedFuture(ErrorCode.NOT_ALLOWED.exception("/metrics needs the role viewer"));
      }
      return Future.succeededFuture();
    });
  }
}
