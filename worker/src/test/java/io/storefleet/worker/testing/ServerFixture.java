package io.storefleet.worker.testing;

import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.parse.CommandParser;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.worker.backup.LocalBackup;
import io.storefleet.worker.backup.command.BackupContext;
import io.storefleet.worker.backup.command.BackupOperations;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupPath;
import io.storefleet.worker.cluster.AccountDirectory;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.command.QueuedCommand;
import io.storefleet.worker.config.PathPolicy;
import io.storefleet.worker.export.ExportOperations;
import io.storefleet.worker.imports.ImportOperations;
import io.storefleet.worker.backup.command.RemoteCopy;
import io.storefleet.worker.queue.OperationLog;
import io.storefleet.worker.queue.OperationQueue;
import io.storefleet.worker.queue.OperationTask;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.local.LocalMailStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One server as the queued backup commands see it, without the cluster: a store, its own backup
 * path, the command registry and a queue whose items pass a {@link GatePacer}. Commands are
 * checked (validate) and queued as the worker's endpoint does.
 */
public final class ServerFixture implements AutoCloseable {
  public final String serverId;
  public final Path dir;
  public final MutableClock clock = MutableClock.atEpoch2026();
  public final LocalMailStore store;
  public final BackupEngine engine;
  public final GatePacer gate = new GatePacer();
  public final BackupContext context;
  /** What an import or export asks of the cluster; a server alone by default. */
  public volatile AccountDirectory cluster = AccountDirectory.NONE;
  /** Every progress phase a running operation reported, in order, without repeats. */
  public final List<String> phases = new CopyOnWriteArrayList<>();
  private final CommandRegistry registry = new CommandRegistry();
  private final CommandParser parser = new CommandParser();
  private final OperationQueue queue;

  /**
   * A cluster as an import or export asks it: {@code owners} maps addresses to the other server
   * that owns them, {@code elsewhere} is every domain's accounts on other servers, by server.
   */
  public static AccountDirectory clusterOf(Map<String, String> owners, Map<String, Long> elsewhere) {
    return new AccountDirectory() {
      @Override
      public Optional<String> serverOf(String nameOrAlias) {
        return Optional.ofNullable(owners.get(nameOrAlias));
      }

      @Override
      public void publish(Account a) {}

      @Override
      public Map<String, Long> elsewhere(Set<String> domains, String server) {
        return elsewhere;
      }
    };
  }

  /** A server {@code serverId} with its data under {@code root/serverId}; paths under {@code root} are allowed. */
  public ServerFixture(Path root, String serverId) throws Exception {
    this(root, serverId, List.of(root));
  }

  /** As above, with the roots operator-given paths must be in. */
  public ServerFixture(Path root, String serverId, List<Path> allowedRoots) throws Exception {
    this.serverId = serverId;
    this.dir = root.resolve(serverId);
    store = LocalMailStore.open(dir.resolve("store"), clock);
    engine = BackupEngine.open(BackupPath.openOwn(dir.resolve("backup"), serverId), () -> false);
    LocalBackup local = new LocalBackup(serverId, store, engine, new PathPolicy(allowedRoots, serverId));
    context = new BackupContext(local, clock, () -> 30, cmd -> null, null, null, () -> Map.of(),
        List.of());
    RemoteCopy noCopy = NoOffsiteCopy.of(local, dir.resolve("data"), clock);
    BackupOperations.register(registry, context, noCopy);
    AccountDirectory asked = new AccountDirectory() {
      @Override
      public Optional<String> serverOf(String nameOrAlias) {
        return cluster.serverOf(nameOrAlias);
      }

      @Override
      public void publish(Account a) {
        cluster.publish(a);
      }

      @Override
      public Map<String, Long> elsewhere(Set<String> domains, String server) {
        return cluster.elsewhere(domains, server);
      }
    };
    ExportOperations.register(registry, local, asked);
    ImportOperations.register(registry, local, asked, noCopy);
    gate.open();
    queue = new OperationQueue(serverId, OperationLog.open(dir.resolve("ops.log")), clock, this::task, gate, op -> {
      String phase = op.progress() == null ? null : op.progress().phase();
      if (phase != null && (phases.isEmpty() || !phases.get(phases.size() - 1).equals(phase))) {
        phases.add(phase);
      }
    });
    queue.start();
  }

  private OperationTask task(Operation op) {
    return registry.task(op, serverId);
  }

  /** Checks and queues a command given as name/value pairs after its name; returns the operation's uuid. */
  public String submit(String command, String... nameValues) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      values.put(nameValues[i], nameValues[i + 1]);
    }
    ParsedCommand cmd = parser.fromValues(Module.BACKUP, command, values);
    QueuedCommand q = registry.queued(cmd.spec()).orElseThrow();
    q.validate(cmd);
    return queue.submit(cmd.spec().name(), cmd.values(), "test", null).uuid();
  }

  /** Runs a command to its end. */
  public Operation run(String command, String... nameValues) {
    return await(submit(command, nameValues));
  }

  public Operation await(String uuid) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> queue.get(uuid).orElseThrow().state().terminal());
    return queue.get(uuid).orElseThrow();
  }

  public Operation operation(String uuid) {
    return queue.get(uuid).orElseThrow();
  }

  public void stop(String uuid) {
    queue.stop(uuid);
  }

  public Account account(String name) {
    return store.createAccount(name, null, Map.of());
  }

  public static byte[] message(String subject, String body) {
    return ("From: a@example.com\r\nTo: b@example.com\r\nSubject: " + subject + "\r\n\r\n" + body + "\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws Exception {
    gate.open();
    queue.close();
    engine.close();
    store.close();
  }
}
