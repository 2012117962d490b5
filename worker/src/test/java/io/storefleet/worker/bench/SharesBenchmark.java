package io.storefleet.worker.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import io.storefleet.protocol.codec.Json;
import io.storefleet.shares.FixOutcome;
import io.storefleet.shares.IdRef;
import io.storefleet.shares.MapSelection;
import io.storefleet.shares.ServerShares;
import io.storefleet.shares.ShareFix;
import io.storefleet.shares.ShareReport;
import io.storefleet.shares.ShareServers;
import io.storefleet.shares.ShareSurvey;
import io.storefleet.worker.importmap.IdMap;
import io.storefleet.worker.importmap.IdMapWriter;
import io.storefleet.worker.shares.ShareCluster;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Mountpoint;
import io.storefleet.worker.store.local.LocalMailStore;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Share check and fix at scale, in one process: a synthetic cluster as an import leaves it (every
 * account under a new id, every grant and mountpoint naming old ids, a million import-map
 * entries), then the merge, the check, the fix and the second check, each timed with its peak
 * heap. Answers cross a JSON encoding as they would cross the event bus. Peers measured in the
 * same run: the vendor's map shape (a Java-serialized {@code HashMap<String, String>} of the same
 * entries) and the bare store commits the fix makes. Not a test: run by deploy/bench/shares.sh.
 *
 * <p>System properties: {@code bench.servers} (3), {@code bench.accounts} (10000), {@code
 * bench.itemsPerAccount} (100 map entries per account, its folders included), {@code
 * bench.shares} (100000 grants, each with its mountpoint), {@code bench.folders} (4 per account).
 */
public final class SharesBenchmark {
  private static final Random RANDOM = new Random(42);
  private static final List<String[]> ROWS = new ArrayList<>();
  /** Fixes' worth of bare commits the peer makes. */
  private static final int PEER_SAMPLE = 20_000;

  private SharesBenchmark() {}

  /** An account as the benchmark built it: its old id and folder ids, and what they became. */
  private record Synthetic(String name, String server, String oldId, String newId, int[] oldFolders, int[] newFolders) {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: SharesBenchmark <empty work dir>");
      System.exit(64);
    }
    Path dir = Path.of(args[0]);
    int servers = Integer.getInteger("bench.servers", 3);
    int accounts = Integer.getInteger("bench.accounts", 10_000);
    int perAccount = Integer.getInteger("bench.itemsPerAccount", 100);
    int shares = Integer.getInteger("bench.shares", 100_000);
    int folders = Integer.getInteger("bench.folders", 4);
    System.out.printf("servers=%d accounts=%d mapEntries=%d shares=%d (grants, each with a mountpoint)%n",
        servers, accounts, (long) accounts * perAccount, shares);
    try (ShareCluster cluster = new ShareCluster(dir, servers, Clock.systemUTC())) {
      List<Synthetic> all = timed("setup: accounts and folders (not measured against a peer)",
          () -> accounts(cluster, accounts, folders));
      timed("setup: " + shares + " grants and mountpoints naming old ids", () -> shares(cluster, all, shares));
      long mapBytes = timed("write import maps (" + (long) accounts * perAccount + " entries)",
          () -> writeMaps(cluster, all, perAccount));
      System.out.printf("import maps: %.1f MB on disk%n", mapBytes / 1e6);
      timed("read import maps (storefleet text format)", () -> readMaps(cluster));
      retained("import maps held in memory", () -> readMaps(cluster));
      Path vendor = dir.resolve("vendor-map.ser");
      timed("peer: write the same entries as a serialized HashMap<String,String>",
          () -> writeVendorMap(all, perAccount, vendor));
      System.out.printf("peer map: %.1f MB on disk%n", Files.size(vendor) / 1e6);
      timed("peer: read the serialized HashMap<String,String>", () -> readVendorMap(vendor));
      retained("peer map held in memory", () -> readVendorMap(vendor));

      // The peer runs before the fix, on a sample of the fix's commit mix, leaving every object as
      // it was (grant then revoke a dummy; re-point a mountpoint away and back), then is scaled.
      long regrants = shares;
      long repoints = shares;
      double sample = Math.min(1.0, PEER_SAMPLE / (double) (regrants + repoints));
      long sr = Math.round(regrants * sample);
      long sp = Math.round(repoints * sample);
      long t0 = System.nanoTime();
      timed("peer: bare store commits, sample (" + sr + " grant+revoke, " + sp + " re-points)",
          () -> bareCommits(cluster, all, sr, sp));
      double secs = (System.nanoTime() - t0) / 1e9 / sample;
      ROWS.add(new String[] {"peer: bare store commits of " + regrants + " re-grants and " + repoints
          + " re-points, scaled from the sample", String.format("%.1f", secs), "", ""});

      ShareServers bus = new JsonServers(cluster);
      ShareSurvey survey = new ShareSurvey(bus);
      long baseline = usedAfterGc();
      List<ServerShares> facts = timed("gather every server's facts (maps cold)", survey::facts);
      ShareReport report = timed("merge maps and check every share", () -> survey.check(facts, MapSelection.all()));
      System.out.println("report: " + report.summary());
      long held = usedAfterGc() - baseline;
      ROWS.add(new String[] {"facts, parsed maps and report held in memory (retained)", "", "", Long.toString(held >> 20)});
      System.out.printf("facts, parsed maps and report held: %d MB%n", held >> 20);
      Map<String, List<ShareFix>> byServer = new LinkedHashMap<>();
      report.fixes().forEach(f -> byServer.computeIfAbsent(f.server(), k -> new ArrayList<>()).add(f));
      List<FixOutcome> outcomes = timed("apply " + report.fixes().size() + " fixes", () -> {
        List<FixOutcome> out = new ArrayList<>();
        byServer.forEach((s, fixes) -> {
          for (int i = 0; i < fixes.size(); i += 1000) {
            out.addAll(bus.apply(s, fixes.subList(i, Math.min(fixes.size(), i + 1000))));
          }
        });
        return out;
      });
      long applied = outcomes.stream().filter(o -> o.status() == FixOutcome.Status.APPLIED).count();
      System.out.println("applied: " + applied + " of " + outcomes.size());
      ShareReport after = timed("check again (maps cached)", () -> survey.check(MapSelection.all()));
      System.out.println("after: " + after.summary());
      // Timings of a fix that did not fix anything would mean nothing.
      if (report.summary().broken() == 0 || applied != outcomes.size() || after.summary().broken() != 0) {
        throw new IllegalStateException("the fix did not repair every share: " + report.summary().broken()
            + " broken before, " + applied + " of " + outcomes.size() + " fixes applied, " + after.summary().broken()
            + " broken after");
      }
    }
    System.out.println();
    System.out.println("| step | wall s | of which GC s | peak heap above the step's start, MB |");
    System.out.println("|---|---:|---:|---:|");
    for (String[] r : ROWS) {
      System.out.println("| " + String.join(" | ", r) + " |");
    }
  }

  private static List<Synthetic> accounts(ShareCluster cluster, int accounts, int folders) {
    for (String s : cluster.servers()) {
      cluster.store(s).createDomain("example.com");
    }
    List<Synthetic> out = new ArrayList<>(accounts);
    List<String> servers = cluster.servers();
    for (int i = 0; i < accounts; i++) {
      String server = servers.get(i % servers.size());
      LocalMailStore store = cluster.store(server);
      Account a = store.createAccount("user" + i + "@example.com", null, Map.of());
      int[] oldFolders = new int[folders];
      int[] newFolders = new int[folders];
      for (int f = 0; f < folders; f++) {
        oldFolders[f] = 300 + 7 * f;
        newFolders[f] = store.createFolder(a.id(), "/Shared by me/F" + f, "message").id();
      }
      out.add(new Synthetic(a.name(), server, UUID.randomUUID().toString(), a.id(), oldFolders, newFolders));
    }
    return out;
  }

  /** Each share: a grant on a random owner folder to an account of another server, and that account's mountpoint. */
  private static Void shares(ShareCluster cluster, List<Synthetic> all, int shares) {
    int n = cluster.servers().size();
    for (int i = 0; i < shares; i++) {
      Synthetic owner = all.get(RANDOM.nextInt(all.size()));
      Synthetic grantee;
      do {
        grantee = all.get(RANDOM.nextInt(all.size()));
      } while (grantee.server().equals(owner.server()) && n > 1);
      int f = RANDOM.nextInt(owner.newFolders().length);
      cluster.store(owner.server()).grant(owner.newId(), owner.newFolders()[f], grantee.oldId(), grantee.name(), "rw");
      cluster.store(grantee.server()).mount(grantee.newId(), "/Shares/S" + i,
          new Mountpoint(owner.oldId(), owner.oldFolders()[f], owner.name()));
    }
    return null;
  }

  /** One map per (source, destination) pair: accounts came from the server after their own. */
  private static long writeMaps(ShareCluster cluster, List<Synthetic> all, int perAccount) throws IOException {
    List<String> servers = cluster.servers();
    Map<String, IdMapWriter> writers = new HashMap<>();
    try {
      for (Synthetic a : all) {
        String source = "old-" + servers.get((servers.indexOf(a.server()) + 1) % servers.size());
        IdMapWriter w = writers.get(a.server());
        if (w == null) {
          w = IdMapWriter.open(cluster.backup(a.server()), source);
          writers.put(a.server(), w);
        }
        int[] olds = new int[perAccount];
        int[] news = new int[perAccount];
        for (int k = 0; k < perAccount; k++) {
          boolean folder = k < a.oldFolders().length;
          olds[k] = folder ? a.oldFolders()[k] : 1000 + k;
          news[k] = folder ? a.newFolders()[k] : 5000 + k;
        }
        w.account(a.oldId(), a.newId(), a.name());
        w.items(a.oldId(), olds, news);
      }
    } finally {
      for (IdMapWriter w : writers.values()) {
        w.close();
      }
    }
    long bytes = 0;
    for (String s : servers) {
      try (var files = Files.list(cluster.backup(s))) {
        for (Path p : files.filter(p -> IdMap.isMapName(p.getFileName().toString())).toList()) {
          bytes += Files.size(p);
        }
      }
    }
    return bytes;
  }

  private static List<IdMap> readMaps(ShareCluster cluster) throws IOException {
    List<IdMap> maps = new ArrayList<>();
    for (String s : cluster.servers()) {
      try (var files = Files.list(cluster.backup(s))) {
        for (Path p : files.filter(p -> IdMap.isMapName(p.getFileName().toString())).toList()) {
          maps.add(IdMap.read(p));
        }
      }
    }
    return maps;
  }

  private static Void writeVendorMap(List<Synthetic> all, int perAccount, Path file) throws IOException {
    HashMap<String, String> m = new HashMap<>();
    for (Synthetic a : all) {
      m.put(a.oldId(), a.newId());
      for (int k = 0; k < perAccount; k++) {
        m.put(a.oldId() + ":" + (1000 + k), a.newId() + ":" + (5000 + k));
      }
    }
    try (ObjectOutputStream out = new ObjectOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeObject(m);
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static HashMap<String, String> readVendorMap(Path file) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      return (HashMap<String, String>) in.readObject();
    }
  }

  /**
   * The commits the fix makes, without the check and without leaving a trace: grant and revoke
   * a dummy grantee, and re-point a mountpoint away and back ({@code repoints} commits in all).
   */
  private static Void bareCommits(ShareCluster cluster, List<Synthetic> all, long regrants, long repoints) {
    for (long i = 0; i < regrants; i++) {
      Synthetic a = all.get((int) (i % all.size()));
      LocalMailStore s = cluster.store(a.server());
      s.grant(a.newId(), a.newFolders()[0], "peer-" + i, "peer@example.com", "r");
      s.revoke(a.newId(), a.newFolders()[0], "peer-" + i);
    }
    long pairs = repoints / 2;
    for (Synthetic a : all) {
      LocalMailStore s = cluster.store(a.server());
      List<Folder> mounts = s.folders(a.newId()).stream().filter(Folder::isMountpoint).toList();
      for (Folder m : mounts) {
        if (pairs-- <= 0) {
          return null;
        }
        s.repointMountpoint(a.newId(), m.id(), new Mountpoint("peer-owner", m.mount().remoteFolderId(), "p@example.com"));
        s.repointMountpoint(a.newId(), m.id(), m.mount());
      }
    }
    return null;
  }

  /** The servers, with every request and answer through JSON as over the event bus. */
  private record JsonServers(ShareCluster cluster) implements ShareServers {
    @Override
    public List<String> servers() {
      return cluster.servers();
    }

    @Override
    public ServerShares facts(String server) {
      return Json.decode(Json.encode(cluster.facts(server)), ServerShares.class);
    }

    @Override
    public List<IdRef> translate(String server, List<IdRef> refs) {
      List<IdRef> sent = through(refs, new TypeReference<>() {});
      return through(cluster.translate(server, sent), new TypeReference<>() {});
    }

    @Override
    public List<FixOutcome> apply(String server, List<ShareFix> fixes) {
      List<ShareFix> sent = through(fixes, new TypeReference<>() {});
      return through(cluster.apply(server, sent), new TypeReference<>() {});
    }

    private static <T> T through(Object value, TypeReference<T> type) {
      try {
        return Json.MAPPER.readValue(Json.encode(value), type);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  interface Step<T> {
    T run() throws Exception;
  }

  /** Runs a step; its memory is the peak heap above what was in use when it started (the stores' state). */
  private static <T> T timed(String name, Step<T> step) throws Exception {
    long start = usedAfterGc();
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    long gc0 = gcMillis();
    long t0 = System.nanoTime();
    T result = step.run();
    double secs = (System.nanoTime() - t0) / 1e9;
    double gc = (gcMillis() - gc0) / 1e3;
    long peak = Math.max(0, heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() - start);
    ROWS.add(new String[] {name, String.format("%.1f", secs), String.format("%.1f", gc), Long.toString(peak >> 20)});
    System.out.printf("%-70s %8.1f s (gc %.1f s)  peak heap above start %5d MB%n", name, secs, gc, peak >> 20);
    return result;
  }

  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionTime()))
        .sum();
  }

  private static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    return rt.totalMemory() - rt.freeMemory();
  }

  /** Heap still in use while {@code value} is held, minus the heap in use before it was made. */
  private static void retained(String name, Step<Object> make) throws Exception {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long before = rt.totalMemory() - rt.freeMemory();
    Object held = make.run();
    System.gc();
    long after = rt.totalMemory() - rt.freeMemory();
    ROWS.add(new String[] {name + " (retained)", "", "", Long.toString(Math.max(0, after - before) >> 20)});
    System.out.printf("%-70s retained %d MB (%s)%n", name, Math.max(0, after - before) >> 20,
        held.getClass().getSimpleName());
  }
}
