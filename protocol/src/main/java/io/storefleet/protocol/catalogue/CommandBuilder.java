package io.storefleet.protocol.catalogue;

import io.storefleet.protocol.access.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Fluent construction of {@link CommandSpec}s, so the catalogue reads like the manual's table. */
final class CommandBuilder {
  private final String name;
  private final Module module;
  private final String description;
  private final List<ParamSpec> params = new ArrayList<>();
  private boolean queued;
  private Routing routing = Routing.SERVER;
  private String accountParam;
  private boolean broadcast;
  private boolean fromBackup;
  private Route noTarget = Route.ONLY_SERVER;
  private ParamValue broadcastWhen;
  private final List<CoordinatorRule> coordinatorRules = new ArrayList<>();
  private CommandSpec.Example example;
  private Role role;
  private boolean readOnly;

  private CommandBuilder(String name, Module module, String description) {
    this.name = name;
    this.module = module;
    this.description = description;
  }

  static CommandBuilder backup(BackupCommand command, String description) {
    return new CommandBuilder(command.command(), command.module(), description);
  }

  static CommandBuilder admin(AdminCommand command, String description) {
    return new CommandBuilder(command.command(), command.module(), description);
  }

  CommandBuilder param(ParamSpec p) {
    params.add(p);
    return this;
  }

  /** Runs through the server's FIFO queue as an operation. */
  CommandBuilder queued() {
    this.queued = true;
    return this;
  }

  /** Routed to the server that owns the account named by {@code param}. */
  CommandBuilder byAccount(String param) {
    this.routing = Routing.ACCOUNT;
    this.accountParam = param;
    return this;
  }

  /** Answered by the coordinator across all servers. */
  CommandBuilder cluster() {
    this.routing = Routing.CLUSTER;
    return this;
  }

  /** {@code all_servers} is an allowed target. */
  CommandBuilder broadcast() {
    this.broadcast = true;
    return this;
  }

  /** A deleted account is served by the server whose backup holds it (account-routed commands). */
  CommandBuilder fromBackup() {
    this.fromBackup = true;
    return this;
  }

  /** Without a named server, sent to every server ({@code all_servers} is allowed too). */
  CommandBuilder broadcastByDefault() {
    this.broadcast = true;
    this.noTarget = Route.EVERY_SERVER;
    return this;
  }

  /** Without a named server, sent to every server when {@code param} is {@code value}. */
  CommandBuilder broadcastWhen(String param, String value) {
    this.broadcastWhen = new ParamValue(param, value);
    return this;
  }

  /** Without a named server, sent to the live server with the fewest accounts. */
  CommandBuilder placedOnFewestAccounts() {
    this.noTarget = Route.FEWEST_ACCOUNTS;
    return this;
  }

  /** The coordinator answers it itself for these targets. */
  CommandBuilder coordinator(Route answer, TargetKind... targets) {
    coordinatorRules.add(new CoordinatorRule(answer, Set.of(targets), null));
    return this;
  }

  /** The coordinator answers it itself for these targets when {@code param} is {@code value}. */
  CommandBuilder coordinatorWhen(String param, String value, Route answer, TargetKind... targets) {
    coordinatorRules.add(new CoordinatorRule(answer, Set.of(targets), new ParamValue(param, value)));
    return this;
  }

  CommandBuilder example(String line, String explanation) {
    this.example = new CommandSpec.Example(line, explanation);
    return this;
  }

  /** The least role a token needs to run it. */
  CommandBuilder role(Role needed) {
    this.role = needed;
    return this;
  }

  /** Changes nothing: a query, whose answer a repeated request id asks for again. */
  CommandBuilder readOnly() {
    this.readOnly = true;
    return this;
  }

  CommandSpec build() {
    return new CommandSpec(
        name, module, description, params, queued, routing, accountParam, broadcast, fromBackup, noTarget,
        broadcastWhen, coordinatorRules, example, role, readOnly);
  }
}
