package io.storefleet.coordinator.auth;

import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.access.TokenRecord;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.vertx.core.Future;

/**
 * Finds the token of a call in the cluster's token map, on every call: a coordinator keeps no
 * copy, so a revocation applies to the next call through any coordinator.
 */
public final class Authenticator {
  private final ClusterDirectory directory;

  public Authenticator(ClusterDirectory directory) {
    this.directory = directory;
  }

  /** A refused call: the error, and the name of the token when it was a known (revoked) one. */
  public static final class Refused extends StorefleetException {
    private final String tokenName;

    Refused(String message, String tokenName) {
      this(ErrorCode.UNAUTHORIZED, message, tokenName);
    }

    Refused(ErrorCode code, String message, String tokenName) {
      super(code, message, null);
      this.tokenName = tokenName;
    }

    /** The revoked token's name, or null for a missing or unknown token. */
    public String tokenName() {
      return tokenName;
    }
  }

  /** The caller of an {@code Authorization} header, or a {@link Refused} failure. */
  public Future<Caller> authenticate(String authorizationHeader) {
    if (authorizationHeader == null || !authorizationHeader.startsWith("Bearer ")
        || authorizationHeader.substring(7).isBlank()) {
      return Future.failedFuture(new Refused("no token; send 'Authorization: Bearer <token>' with your"
          + " storefleet token (STOREFLEET_TOKEN or STOREFLEET_TOKEN_FILE for the CLI)", null));
    }
    return caller(TokenRecord.idOf(authorizationHeader.substring(7).trim()));
  }

  /** The caller of the token whose id (SHA-256) is {@code id}, or a {@link Refused} failure. */
  public Future<Caller> caller(String id) {
    return directory.token(id).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new Refused("unknown token; check STOREFLEET_TOKEN or"
            + " STOREFLEET_TOKEN_FILE, or ask an admin for a token ('storefleet tokens create')", null));
      }
      TokenRecord t = found.get();
      if (!t.active()) {
        return Future.failedFuture(new Refused("token '" + t.name() + "' was revoked at " + t.revokedAt()
            + " by " + t.revokedBy() + "; ask an admin for a new one", t.name()));
      }
      return Future.succeededFuture(Caller.of(t));
    });
  }
}
