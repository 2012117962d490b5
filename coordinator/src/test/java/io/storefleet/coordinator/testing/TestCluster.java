package io.storefleet.coordinator.testing;

import io.storefleet.coordinator.CoordinatorConfig;
import io.storefleet.coordinator.CoordinatorNode;
import io.storefleet.fabric.node.ClusterNode;
import io.storefleet.fabric.node.ClusterSettings;
import io.storefleet.fabric.tls.ClusterCaTool;
import io.storefleet.fabric.tls.PemFiles;
import io.storefleet.worker.WorkerNode;
import io.storefleet.worker.config.WorkerConfig;
import io.storefleet.worker.testing.GatePacer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Real Hazelcast members in one JVM: workers {@code mbox1..mboxN}, each on its own clustered
 * Vert.x with its own data dir, and coordinators with HTTP APIs. Each cluster has a random name
 * so that parallel or leftover nodes never merge. Nodes are created and closed from the test
 * thread, never from a Vert.x callback.
 */
public final class TestCluster implements AutoCloseable {
  static {
    // A worker process joining, or a scan starting, can take well over Awaitility's 10 s default
    // on a loaded 2-core machine; a wait that never ends still fails, just later.
    org.awaitility.Awaitility.setDefaultTimeout(java.time.Duration.ofSeconds(60));
  }

  /** One worker and the things a test reaches into. */
  public static final class Worker {
    public final String serverId;
    public final GatePacer gate = new GatePacer();
    ClusterNode node;
    WorkerNode worker;
    public final WorkerConfig config;

    Worker(String serverId, WorkerConfig config) {
      this.serverId = serverId;
      this.config = config;
      gate.open();
    }

    /** The running worker's cluster node (its Vert.x and metrics registry). */
    public ClusterNode node() {
      return node;
    }

    /** The running worker. */
    public WorkerNode worker() {
      return worker;
    }

    /** The running worker's store, for setting up what no command makes (e.g. an import's leftovers). */
    public io.storefleet.worker.store.MailStore store() {
      return worker.store();
    }

  }

  private final ClusterSettings settings;
  private final Path root;
  private final Map<String, Worker> workers = new LinkedHashMap<>();
  private final List<ClusterNode> coordinatorNodes = new ArrayList<>();
  private final List<Api> apis = new ArrayList<>();
  private final List<CoordinatorNode> coordinators = new ArrayList<>();
  private final Duration requestTimeout;
  private final BlockedThreadWatch blocked = BlockedThreadWatch.install();
  private Clock clock = Clock.systemUTC();

  private TestCluster(Path root, Duration requestTimeout, ClusterSettings settings) {
    this.root = root;
    this.settings = settings;
    this.requestTimeout = requestTimeout;
  }

  private TestCluster(Path root, Duration requestTimeout) {
    this(root, requestTimeout, ClusterSettings.loopback("sf-test-" + UUID.randomUUID()));
  }

  /**
   * As {@link #start}, with mutual TLS on the event bus: a cluster CA under {@code root/ca} and one
   * node certificate that every member here uses.
   */
  public static TestCluster startWithTls(Path root, int workers, int coordinators) throws Exception {
    Path ca = root.resolve("ca");
    ClusterCaTool tool = new ClusterCaTool();
    tool.run(List.of("init", ca.toString()));
    tool.run(List.of("issue", ca.toString(), "member", "127.0.0.1"));
    ClusterSettings s = ClusterSettings.loopback("sf-test-" + UUID.randomUUID()).withTls(new PemFiles(
        ca.resolve("nodes/member.crt"), ca.resolve("nodes/member.key"), ca.resolve("trust.crt")));
    return start(new TestCluster(root, Duration.ofSeconds(10), s), workers, coordinators);
  }

  /** Starts {@code workers} workers and {@code coordinators} coordinators under {@code root}. */
  public static TestCluster start(Path root, int workers, int coordinators) throws Exception {
    return start(new TestCluster(root, Duration.ofSeconds(10)), workers, coordinators);
  }

  /** As {@link #start(Path, int, int)}, the workers reading time from {@code clock} (e.g. one a test moves on). */
  public static TestCluster start(Path root, int workers, int coordinators, Clock clock) throws Exception {
    TestCluster c = new TestCluster(root, Duration.ofSeconds(10));
    c.clock = clock;
    return start(c, workers, coordinators);
  }

  private static TestCluster start(TestCluster c, int workers, int coordinators) throws Exception {
    try {
      for (int i = 1; i <= workers; i++) {
        c.addWorker("mbox" + i);
      }
      for (int i = 0; i < coordinators; i++) {
        c.addCoordinator();
      }
    } catch (Exception e) {
      c.close();
      throw e;
    }
    return c;
  }

  public Worker addWorker(String serverId) throws Exception {
    return addWorker(serverId, io.storefleet.worker.config.StoreConfig.local());
  }

  /** A worker serving {@code store} (e.g. the imap store on a test Dovecot). */
  public Worker addWorker(String serverId, io.storefleet.worker.config.StoreConfig store) throws Exception {
    Path data = root.resolve(serverId);
    List<Path> roots = new ArrayList<>(List.of(root));
    Path corpus = Corpus.dir();
    if (corpus != null) {
      roots.add(corpus);
    }
    WorkerConfig cfg = new WorkerConfig(serverId, data, data.resolve("backup"), roots, settings, 0, requestTimeout,
        store);
    Worker w = new Worker(serverId, cfg);
    workers.put(serverId, w);
    startWorker(serverId);
    return w;
  }

  /** Starts (or restarts) a worker's process-equivalent: a new cluster member on the same data. */
  public void startWorker(String serverId) throws Exception {
    Worker w = workers.get(serverId);
    w.node = ClusterNode.start(settings).await();
    w.worker = WorkerNode.start(w.node.vertx(), w.node.nodeId(), w.config, clock, w.gate,
        w.node.metrics()).await();
  }

  /** Stops a worker's member as if its process ended: it leaves the cluster. */
  public void stopWorker(String serverId) throws Exception {
    Worker w = workers.get(serverId);
    if (w.worker != null) {
      w.worker.stop().await();
      w.node.close().await();
      w.worker = null;
      w.node = null;
    }
  }

  public Api addCoordinator() throws Exception {
    ClusterNode node = ClusterNode.start(settings).await();
    coordinatorNodes.add(node);
    CoordinatorConfig cfg = new CoordinatorConfig("127.0.0.1", 0, root.resolve("admin-token"), settings, requestTimeout);
    CoordinatorNode c = CoordinatorNode.start(node.vertx(), node::liveNodes, cfg, node.metrics(),
        io.storefleet.fabric.metrics.ScrapeAccess.Mode.TOKEN).await();
    Api api = new Api("http://127.0.0.1:" + c.port(), Files.readString(root.resolve("admin-token")).trim());
    apis.add(api);
    return api;
  }

  /** A coordinator serving the API with {@code transport} (HTTPS, say); the test talks to it itself. */
  public CoordinatorNode addCoordinator(io.storefleet.coordinator.http.HttpTransport transport) throws Exception {
    ClusterNode node = ClusterNode.start(settings).await();
    coordinatorNodes.add(node);
    CoordinatorConfig cfg = new CoordinatorConfig("127.0.0.1", 0, root.resolve("admin-token"), settings, requestTimeout,
        transport);
    CoordinatorNode c = CoordinatorNode.start(node.vertx(), node::liveNodes, cfg, node.metrics(),
        io.storefleet.fabric.metrics.ScrapeAccess.Mode.TOKEN).await();
    coordinators.add(c);
    return c;
  }

  public Worker worker(String serverId) {
    return workers.get(serverId);
  }

  public Api api() {
    return apis.get(0);
  }

  public Api api(int i) {
    return apis.get(i);
  }

  public ClusterSettings settings() {
    return settings;
  }

  /** A vertx of a coordinator member, for sending raw event-bus requests. */
  public io.vertx.core.Vertx coordinatorVertx() {
    return coordinatorNodes.get(0).vertx();
  }

  /** Watches members join and leave, as the first coordinator sees them, from now on. */
  public MemberWatch watchMembers() {
    return new MemberWatch(coordinatorNodes.get(0).hazelcast(), settings.silentMemberDroppedAfter());
  }

  /**
   * The Hazelcast member of the first coordinator, or of the first running worker when there is
   * no coordinator in this JVM: the cluster as this JVM sees it.
   */
  public com.hazelcast.core.HazelcastInstance hazelcast() {
    if (!coordinatorNodes.isEmpty()) {
      return coordinatorNodes.get(0).hazelcast();
    }
    return workers.values().stream().filter(w -> w.node != null).findFirst().orElseThrow().node.hazelcast();
  }

  /**
   * The members' Hazelcast addresses ({@code host:port}), for a node that must join this cluster
   * even when other clusters on the machine hold the ports it would try first.
   */
  public List<String> memberAddresses() {
    return coordinatorNodes.get(0).hazelcast().getCluster().getMembers().stream()
        .map(m -> m.getAddress().getHost() + ":" + m.getAddress().getPort()).toList();
  }

  /** How many members the cluster has, as the first coordinator sees it. */
  public int memberCount() {
    return coordinatorNodes.get(0).liveNodes().size();
  }

  public Path root() {
    return root;
  }

  /**
   * Stops every worker and coordinator, then takes all members out of the cluster at once: a
   * member that is the master when it leaves takes about 3 s (Hazelcast waits for its executors,
   * the master's search for other clusters among them), and each member left becomes the master
   * in turn, so leaving one after the other took about 3 s per member.
   */
  @Override
  public void close() throws Exception {
    for (Worker w : workers.values()) {
      w.gate.open();
    }
    List<ClusterNode> members = new ArrayList<>();
    for (Worker w : workers.values()) {
      if (w.worker != null) {
        try {
          w.worker.stop().await();
        } catch (Exception e) {
          // Keep closing the others; its member still leaves below.
        }
        members.add(w.node);
        w.worker = null;
        w.node = null;
      }
    }
    for (CoordinatorNode c : coordinators) {
      c.stop().await();
    }
    members.addAll(coordinatorNodes);
    SideBySide.each(members, n -> n.close().await());
    blocked.check();
  }
}
