package io.storefleet.protocol.catalogue;

import io.storefleet.protocol.access.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One catalogued command: its parameters, whether it is queued, and how it is routed.
 *
 * @param name the canonical name (case is ignored when parsing)
 * @param module the command family
 * @param description one line for the command table
 * @param params positional mandatory parameters first, in order, then the optional ones
 * @param queued whether it goes through the server's FIFO queue (an operation) or is answered at
 *     once
 * @param routing how its target server is found
 * @param accountParam for {@link Routing#ACCOUNT}, the parameter that names the account
 * @param broadcast whether {@code all_servers} is allowed as target
 * @param fromBackup for {@link Routing#ACCOUNT}: whether an account no server owns any more (a
 *     deleted one) is served by the server whose backup holds it. True for the commands that
 *     read the account from a backup and write nothing into its mailbox; those name the account
 *     by name or id
 * @param noTarget for {@link Routing#SERVER}: where the command goes when no server is named
 *     ({@link Route#ONLY_SERVER}, {@link Route#EVERY_SERVER} or {@link Route#FEWEST_ACCOUNTS})
 * @param broadcastWhen for {@link Routing#SERVER}: a parameter value that sends the command to
 *     every server when no server is named, or null
 * @param coordinatorRules the cases the coordinator answers (or places) itself, first match wins
 * @param example a usage example line and what it does
 * @param role the least {@link Role} a token needs to run it (greater roles may run it too)
 * @param readOnly whether it changes nothing (a query): its answer is not kept against a request
 *     id, and a repeat simply asks again. Queued commands are never read-only here: an operation
 *     is accepted once per request id
 */
public record CommandSpec(
    String name,
    Module module,
    String description,
    List<ParamSpec> params,
    boolean queued,
    Routing routing,
    String accountParam,
    boolean broadcast,
    boolean fromBackup,
    Route noTarget,
    ParamValue broadcastWhen,
    List<CoordinatorRule> coordinatorRules,
    Example example,
    Role role,
    boolean readOnly) {

  /** A usage example as printed under the help table. */
  public record Example(String line, String explanation) {}

  public CommandSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, () -> name + ": every command names the role it needs");
    params = List.copyOf(params);
    if (routing == Routing.ACCOUNT && accountParam == null) {
      throw new IllegalArgumentException(name + ": account-routed command needs an accountParam");
    }
    if (fromBackup && routing != Routing.ACCOUNT) {
      throw new IllegalArgumentException(name + ": only account-routed commands are served from backups");
    }
    if (noTarget != Route.ONLY_SERVER && noTarget != Route.EVERY_SERVER && noTarget != Route.FEWEST_ACCOUNTS) {
      throw new IllegalArgumentException(name + ": " + noTarget + " is not a default for a command without target");
    }
    coordinatorRules = List.copyOf(coordinatorRules);
    if (readOnly && queued) {
      throw new IllegalArgumentException(name + ": a queued command is an operation, never read-only");
    }
    boolean seenOptional = false;
    for (ParamSpec p : params) {
      if (p.mandatory() && seenOptional) {
        throw new IllegalArgumentException(name + ": mandatory " + p.name() + " after optionals");
      }
      seenOptional |= !p.mandatory();
    }
  }

  /** The positional (mandatory) parameters in order. */
  public List<ParamSpec> positional() {
    List<ParamSpec> out = new ArrayList<>();
    for (ParamSpec p : params) {
      if (p.mandatory()) {
        out.add(p);
      }
    }
    return out;
  }

  /** The optional {@code name value} parameters. */
  public List<ParamSpec> optional() {
    List<ParamSpec> out = new ArrayList<>();
    for (ParamSpec p : params) {
      if (!p.mandatory()) {
        out.add(p);
      }
    }
    return out;
  }

  /** A parameter by name, case-insensitive. */
  public Optional<ParamSpec> param(String paramName) {
    for (ParamSpec p : params) {
      if (p.name().equalsIgnoreCase(paramName)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The syntax line, e.g. {@code doUndelete {account} {start_date} {end_date} [attr1 value1 ...]}. */
  public String syntax() {
    StringBuilder sb = new StringBuilder(name);
    for (ParamSpec p : positional()) {
      sb.append(" {").append(p.name()).append('}');
    }
    if (!optional().isEmpty()) {
      sb.append(" [attr1 value1 [attr2 value2...]]");
    }
    return sb.toString();
  }
}
