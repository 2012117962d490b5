package io.storefleet.coordinator.auth;

import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.access.Role;
import io.storefleet.protocol.catalogue.CommandSpec;
import io.storefleet.protocol.catalogue.ParamSpec;
import io.storefleet.protocol.catalogue.ParamType;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.parse.ParsedCommand;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one rule of who may do what: a call needs a role (a command's from its catalogue entry), and
 * a domain-limited helpdesk token may name only accounts and domains of its domains.
 */
public final class Permissions {
  private static final Set<ParamType> ACCOUNTS =
      Set.of(ParamType.ACCOUNT, ParamType.ACCOUNT_OR_ID, ParamType.ACCOUNT_LIST, ParamType.ACCOUNT_OR_ID_LIST);
  private static final Set<ParamType> DOMAINS = Set.of(ParamType.DOMAIN, ParamType.DOMAIN_LIST);

  private final ClusterDirectory directory;

  public Permissions(ClusterDirectory directory) {
    this.directory = directory;
  }

  /** Refuses with NOT_ALLOWED naming {@code needed} unless the caller's role includes it. */
  public static void require(Caller caller, Role needed, String what) {
    if (!caller.role().includes(needed)) {
      throw ErrorCode.NOT_ALLOWED.exception(what + " needs the role " + needed.word() + "; token '"
          + caller.name() + "' has the role " + caller.role().word() + ". Ask an admin for a token with the role "
          + needed.word() + " or above");
    }
  }

  /** {@link #require} for a catalogued command. */
  public static void command(Caller caller, CommandSpec spec) {
    require(caller, spec.role(), spec.module().word() + " " + spec.name());
  }

  /**
   * Checks the accounts and domains a parsed command names against a domain-limited caller's
   * domains; an account given by id is looked up in the directory.
   */
  public Future<Void> names(Caller caller, ParsedCommand cmd) {
    if (!caller.domainLimited()) {
      return Future.succeededFuture();
    }
    List<Future<Void>> checks = new ArrayList<>();
    for (ParamSpec p : cmd.spec().params()) {
      if (!cmd.given().containsKey(p.name()) || !(ACCOUNTS.contains(p.type()) || DOMAINS.contains(p.type()))) {
        continue;
      }
      for (String value : p.type().isList() ? cmd.list(p.name()) : List.of(cmd.string(p.name()))) {
        checks.add(DOMAINS.contains(p.type()) ? inDomains(caller, value, value) : account(caller, value));
      }
    }
    return Future.all(checks).mapEmpty();
  }

  /** Checks one account name (or id) against a domain-limited caller's domains. */
  public Future<Void> account(Caller caller, String nameOrId) {
    if (!caller.domainLimited()) {
      return Future.succeededFuture();
    }
    int at = nameOrId.lastIndexOf('@');
    if (at >= 0) {
      return inDomains(caller, nameOrId, nameOrId.substring(at + 1));
    }
    return directory.locate(nameOrId).compose(loc -> {
      if (loc.isEmpty()) {
        return Future.failedFuture(outside(caller, nameOrId));
      }
      String name = loc.get().name();
      return inDomains(caller, nameOrId, name.substring(name.lastIndexOf('@') + 1));
    });
  }

  private static Future<Void> inDomains(Caller caller, String named, String domain) {
    return caller.domains().contains(domain.toLowerCase(Locale.ROOT))
        ? Future.succeededFuture()
        : Future.failedFuture(outside(caller, named));
  }

  private static StorefleetException outside(Caller caller, String named) {
    return ErrorCode.NOT_ALLOWED.exception("token '" + caller.name() + "' (helpdesk) is limited to the domains "
        + String.join(",", caller.domains()) + " and '" + named + "' is not known to be in them; name accounts"
        + " of those domains by their address, or use a token without a domain limit");
  }
}
