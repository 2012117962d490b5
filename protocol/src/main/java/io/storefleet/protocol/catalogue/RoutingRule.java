package io.storefleet.protocol.catalogue;

import io.storefleet.protocol.error.ErrorCode;
import java.util.Map;

/**
 * The one routing rule, read from the catalogue's facts. The coordinator asks it where a request
 * goes; the worker asks it which account a request is for and whether an account no server owns
 * is served from this server's backup.
 */
public final class RoutingRule {
  private RoutingRule() {}

  /**
   * Where a request goes.
   *
   * @param values the parameter values (given ones are enough: a missing one counts as its default)
   * @param target the server the operator named, {@code all_servers}, or null
   * @throws io.storefleet.protocol.error.StorefleetException BROADCAST_NOT_ALLOWED for {@code
   *     all_servers} on a command that has no meaning there; NOT_IMPLEMENTED for a cluster command
   *     the coordinator has no rule for
   */
  public static Route route(CommandSpec spec, Map<String, String> values, String target) {
    TargetKind kind = TargetKind.of(target);
    for (CoordinatorRule r : spec.coordinatorRules()) {
      if (r.applies(spec, values, kind)) {
        return r.answer();
      }
    }
    if (kind == TargetKind.ALL_SERVERS) {
      if (!allowsAllServers(spec)) {
        throw ErrorCode.BROADCAST_NOT_ALLOWED.exception(
            spec.name() + " cannot be sent to all_servers; name one server with --host"
                + (spec.routing() == Routing.ACCOUNT ? " or leave it out to reach the account's owner" : ""));
      }
      return Route.EVERY_SERVER;
    }
    return switch (spec.routing()) {
      case ACCOUNT -> Route.OWNER;
      case SERVER -> kind == TargetKind.SERVER ? Route.NAMED_SERVER
          : spec.broadcastWhen() != null && spec.broadcastWhen().matches(spec, values) ? Route.EVERY_SERVER
          : spec.noTarget();
      case CLUSTER -> {
        if (kind == TargetKind.SERVER) {
          yield Route.NAMED_SERVER;
        }
        throw ErrorCode.NOT_IMPLEMENTED.exception(
            spec.name() + " is a cluster command the coordinator does not implement yet; nothing was done");
      }
    };
  }

  /**
   * Whether {@code all_servers} is a valid target: the command allows broadcast, or the
   * coordinator answers it for all servers whatever its parameters.
   */
  public static boolean allowsAllServers(CommandSpec spec) {
    return spec.broadcast() || spec.coordinatorRules().stream()
        .anyMatch(r -> r.when() == null && r.targets().contains(TargetKind.ALL_SERVERS));
  }

  /** The account an account-routed request is for, or null for other commands. */
  public static String account(CommandSpec spec, Map<String, String> values) {
    return spec.routing() == Routing.ACCOUNT ? values.get(spec.accountParam()) : null;
  }

  /**
   * Whether a request for an account that no server owns any more (a deleted one) is served by
   * the server whose backup holds it. Other account commands answer UNKNOWN_ACCOUNT for it.
   */
  public static boolean servedFromBackup(CommandSpec spec) {
    return spec.routing() == Routing.ACCOUNT && spec.fromBackup();
  }

  /**
   * Whether a request for an account that is not live on the server it was sent to is served
   * there anyway, because it names the backup path to read ({@code backup_path}: a path on that
   * server's machine, e.g. a lost server's fetched from its off-site copy, whose directory entries
   * may still name the lost server). Without it, such a request goes to the owner.
   */
  public static boolean servedFromNamedPath(CommandSpec spec, Map<String, String> values) {
    return servedFromBackup(spec) && values.get("backup_path") != null;
  }
}
