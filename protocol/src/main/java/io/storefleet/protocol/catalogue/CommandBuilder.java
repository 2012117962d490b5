package io.storefleet.protocol.catalogue;

import java.util.ArrayList;
import java.util.List;

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
  private CommandSpec.Example example;

  private CommandBuilder(String name, Module module, String description) {
    this.name = name;
    this.module = module;
    this.description = description;
  }

  static CommandBuilder backup(String name, String description) {
    return new CommandBuilder(name, Module.BACKUP, description);
  }

  static CommandBuilder admin(String name, String description) {
    return new CommandBuilder(name, Module.ADMIN, description);
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

  CommandBuilder example(String line, String explanation) {
    this.example = new CommandSpec.Example(line, explanation);
    return this;
  }

  CommandSpec build() {
    return new CommandSpec(
        name, module, description, params, queued, routing, accountParam, broadcast, example);
  }
}
