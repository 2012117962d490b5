package io.storefleet.coordinator.auth;

import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.access.ConsoleSession;
import io.storefleet.protocol.access.TokenRecord;
import io.storefleet.protocol.error.ErrorCode;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;

/**
 * Web console sessions: a token exchanged at sign-in for a session secret (sent back in an
 * HttpOnly cookie) and a CSRF token. The cluster keeps only their hashes and the token's id, so a
 * session works through any coordinator, and every call reads the token's record again: a revoked
 * token ends its sessions at their next call.
 */
public final class ConsoleSessions {
  /** How long a session lasts at most; signing out ends it sooner. */
  public static final Duration LIFETIME = Duration.ofHours(12);

  private final ClusterDirectory directory;
  private final Authenticator authenticator;
  private final Clock clock;

  public ConsoleSessions(ClusterDirectory directory, Authenticator authenticator, Clock clock) {
    this.directory = directory;
    this.authenticator = authenticator;
    this.clock = clock;
  }

  /** A new session: its secret and CSRF token, shown once, and who it is for. */
  public record Opened(String secret, String csrf, Caller caller) {}

  /** Checks {@code token} as a bearer token would be checked, then opens a session for it. */
  public Future<Opened> signIn(String token) {
    if (token == null || token.isBlank()) {
      return Future.failedFuture(new Authenticator.Refused("no token; sign in with your storefleet token"
          + " (an admin makes one with 'storefleet tokens create <name> <role>')", null));
    }
    String tokenId = TokenRecord.idOf(token.trim());
    return authenticator.caller(tokenId).compose(caller -> {
      String secret = AdminToken.newToken();
      String csrf = AdminToken.newToken();
      ConsoleSession s = new ConsoleSession(tokenId, TokenRecord.idOf(csrf), clock.instant());
      return directory.putConsoleSession(TokenRecord.idOf(secret), s, LIFETIME)
          .map(v -> new Opened(secret, csrf, caller));
    });
  }

  /**
   * The caller of a session secret. A call that changes something ({@code mutating}) must carry
   * the session's CSRF token: a page of another site can make the browser send the cookie, but
   * cannot read the CSRF token to send with it.
   */
  public Future<Caller> caller(String secret, String csrf, boolean mutating) {
    String id = TokenRecord.idOf(secret);
    return directory.consoleSession(id).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new Authenticator.Refused("the console session has ended (signed out or"
            + " expired after " + LIFETIME.toHours() + " h); sign in again", null));
      }
      ConsoleSession s = found.get();
      return authenticator.caller(s.tokenId()).recover(failure -> failure instanceof Authenticator.Refused
          // The token is revoked or gone: so is every session made with it. A directory that could
          // not be read refuses nothing: the session stays for the next call.
          ? directory.removeConsoleSession(id).<Caller>transform(ignored -> Future.failedFuture(failure))
          : Future.failedFuture(failure))
          .compose(caller -> {
            if (mutating && (csrf == null || !sameHash(TokenRecord.idOf(csrf), s.csrfHash()))) {
              return Future.failedFuture(new Authenticator.Refused(ErrorCode.NOT_ALLOWED, "a console call that"
                  + " changes something needs its session's X-Storefleet-CSRF header; reload the console page",
                  caller.name()));
            }
            return Future.succeededFuture(caller);
          });
    });
  }

  /** Ends the session of {@code secret}, whoever holds it. */
  public Future<Void> signOut(String secret) {
    return directory.removeConsoleSession(TokenRecord.idOf(secret));
  }

  private static boolean sameHash(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }
}
