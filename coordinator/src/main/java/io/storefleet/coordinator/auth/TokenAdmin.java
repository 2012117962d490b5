package io.storefleet.coordinator.auth;

import io.storefleet.coordinator.aggregate.ServerLiveness;
import io.storefleet.fabric.bus.AccessClient;
import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.access.Role;
import io.storefleet.protocol.access.TokenChange;
import io.storefleet.protocol.access.TokenRecord;
import io.storefleet.protocol.access.TokenRequest;
import io.storefleet.protocol.error.ErrorCode;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Creates, lists and revokes tokens. A change is written to the cluster map and to the disk of
 * every reachable worker ({@code tokens.log}); a creation needs at least one worker to keep it,
 * a revocation takes effect in the map at once even when none is reachable.
 */
public final class TokenAdmin {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");

  private final ClusterDirectory directory;
  private final ServerLiveness liveness;
  private final AccessClient client;
  private final Clock clock;

  public TokenAdmin(ClusterDirectory directory, ServerLiveness liveness, AccessClient client, Clock clock) {
    this.directory = directory;
    this.liveness = liveness;
    this.client = client;
    this.clock = clock;
  }

  /**
   * Adds the token file's token as an admin token unless the cluster already has its record
   * (revoked or not). It is named {@code admin}, or {@code admin-<first 8 hex of its id>} when
   * another active token is named {@code admin} (a replaced token file), so names stay unique.
   */
  public Future<TokenRecord> bootstrap(AdminToken fileToken) {
    TokenRecord fresh = fileToken.record(clock.instant());
    return directory.tokens().compose(all -> {
      boolean nameTaken = all.stream().anyMatch(t -> t.active() && t.name().equals(fresh.name())
          && !t.id().equals(fresh.id()));
      return directory.mergeToken(nameTaken ? fresh.named(AdminToken.NAME + "-" + fresh.id().substring(0, 8)) : fresh);
    });
  }

  public Future<TokenChange> create(TokenRequest request, Caller by) {
    TokenRecord fresh;
    String token = AdminToken.newToken();
    try {
      fresh = validated(request, token, by);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return directory.tokens().compose(all -> {
      if (all.stream().anyMatch(t -> t.active() && t.name().equals(fresh.name()))) {
        return Future.failedFuture(ErrorCode.ALREADY_EXISTS.exception("an active token is named '" + fresh.name()
            + "'; choose another name, or revoke it first ('storefleet tokens revoke " + fresh.name() + "')"));
      }
      return persist(fresh);
    }).compose(keptOn -> keptOn.isEmpty()
        ? Future.failedFuture(ErrorCode.SERVER_UNAVAILABLE.exception("no worker is reachable to keep token '"
            + fresh.name() + "' on disk, so it was not created; start a worker and retry"))
        : directory.mergeToken(fresh).map(r -> new TokenChange(token, r, keptOn)));
  }

  /** Every token, revoked ones included (never the tokens themselves). */
  public Future<List<TokenRecord>> list() {
    return directory.tokens();
  }

  /** Revokes the active token named {@code name}; the last active admin token cannot be revoked. */
  public Future<TokenChange> revoke(String name, Caller by) {
    return directory.tokens().compose(all -> {
      TokenRecord target = all.stream().filter(t -> t.active() && t.name().equals(name)).findFirst().orElse(null);
      if (target == null) {
        return Future.failedFuture(ErrorCode.NOT_FOUND.exception("no active token is named '" + name
            + "'; 'storefleet tokens list' shows them"));
      }
      long admins = all.stream().filter(t -> t.active() && t.role() == Role.ADMIN).count();
      if (target.role() == Role.ADMIN && admins == 1) {
        return Future.failedFuture(ErrorCode.CONFLICT.exception("'" + name + "' is the last active admin token;"
            + " create another admin token first ('storefleet tokens create <name> admin')"));
      }
      TokenRecord revoked = target.revoked(clock.instant(), by.name());
      // The map first: from this moment every coordinator refuses the token.
      return directory.mergeToken(revoked)
          .compose(r -> persist(r).map(keptOn -> new TokenChange(null, r, keptOn)));
    });
  }

  /** Writes the record to every reachable worker's disk; completes with those that kept it. */
  private Future<List<String>> persist(TokenRecord record) {
    return liveness.reachableIds().compose(up -> {
      List<Future<TokenRecord>> writes = new ArrayList<>();
      up.forEach(s -> writes.add(client.persistToken(s, record)));
      return Future.join(writes).transform(ignored -> {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < up.size(); i++) {
          if (writes.get(i).succeeded()) {
            kept.add(up.get(i));
          }
        }
        return Future.succeededFuture(kept);
      });
    });
  }

  private TokenRecord validated(TokenRequest r, String token, Caller by) {
    if (r == null || r.name() == null || !NAME.matcher(r.name()).matches()) {
      throw ErrorCode.BAD_VALUE.exception("a token name is 1 to 64 letters, digits, '.', '_' or '-'; got '"
          + (r == null ? null : r.name()) + "'");
    }
    Role role = r.role() == null ? null : Role.fromWord(r.role());
    if (role == null) {
      throw ErrorCode.BAD_VALUE.exception("token role '" + r.role() + "' is not one of admin, operator,"
          + " helpdesk, viewer");
    }
    List<String> domains = new ArrayList<>();
    for (String d : r.domains() == null ? List.<String>of() : r.domains()) {
      String domain = d.trim().toLowerCase(Locale.ROOT);
      if (!DOMAIN.matcher(domain).matches()) {
        throw ErrorCode.BAD_VALUE.exception("'" + d + "' is not a domain name (e.g. acme.example)");
      }
      domains.add(domain);
    }
    if (!domains.isEmpty() && role != Role.HELPDESK) {
      throw ErrorCode.BAD_VALUE.exception("only helpdesk tokens are limited to domains; drop the domains or"
          + " use the role helpdesk");
    }
    return new TokenRecord(TokenRecord.idOf(token), r.name(), role, domains, clock.instant(), by.name(), null, null);
  }
}
