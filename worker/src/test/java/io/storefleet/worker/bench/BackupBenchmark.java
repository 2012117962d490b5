package io.storefleet.worker.bench;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupPath;
import io.storefleet.worker.backup.scan.ScanTask;
import io.storefleet.worker.queue.OperationLog;
import io.storefleet.worker.queue.OperationQueue;
import io.storefleet.worker.queue.Pacer;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.local.LocalMailStore;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Backup engine benchmark: storefleet's SmartScan next to restic and borg on the same mail, in
 * one run. Not a test (surefire never runs it): deploy/bench/backup.sh drives these steps, each
 * in its own process so that peak RSS and wall time are comparable between the tools.
 *
 * <pre>
 * dataset &lt;dir&gt; &lt;corpus&gt;        build dir/store (embedded store) and dir/export (the same mail as files)
 * change &lt;dir&gt; [fraction]       move ~1% of the items to /Inbox/Archive and flag them seen, in the
 *                                store and in the export tree alike
 * scan &lt;dir&gt; &lt;backup&gt; &lt;out&gt;    one SmartScan of dir/store into the backup path; counters and the
 *                                operation's own time go to the properties file &lt;out&gt;
 * worker &lt;dir&gt; &lt;out&gt;           as a running worker does it, in one warm JVM: a warm-up (four rounds of
 *                                a full and a deep scan into a scratch path, removed; bench.warmups;
 *                                each round then flags 1 % of the items, scans, takes the flag off
 *                                again and scans, unless bench.incrementalWarmups=false),
 *                                then a full SmartScan into dir/worker-backup, the 1 % change through
 *                                the open store, and an incremental SmartScan; both scans timed
 * profile &lt;dir&gt; &lt;out&gt;          where a full scan's time goes, stage by stage, single-threaded
 * report &lt;resultsDir&gt;           the markdown tables, from the properties files of every step
 * </pre>
 */
public final class BackupBenchmark {
  public static final String SERVER = "mbox1";

  private BackupBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      usage();
    }
    switch (args[0]) {
      case "dataset" -> {
        need(args, 3);
        DatasetBuilder b = new DatasetBuilder(Integer.getInteger("bench.accounts", 200),
            Double.parseDouble(System.getProperty("bench.shared", "0.20")), Long.getLong("bench.seed", 42L));
        Map<String, String> p = b.build(Path.of(args[1]), Path.of(args[2]));
        write(Path.of(args[1]).resolve("dataset.properties"), p);
        System.out.println("dataset: " + p);
      }
      case "change" -> {
        need(args, 2);
        double fraction = args.length > 2 ? Double.parseDouble(args[2]) : 0.01;
        Map<String, String> p = change(Path.of(args[1]), fraction, Long.getLong("bench.seed", 42L));
        write(Path.of(args[1]).resolve("change.properties"), p);
        System.out.println("change: " + p);
      }
      case "scan" -> {
        need(args, 4);
        Map<String, String> p = scan(Path.of(args[1]), Path.of(args[2]));
        write(Path.of(args[3]), p);
        System.out.println("scan: " + p);
      }
      case "worker" -> {
        need(args, 3);
        Map<String, String> p = worker(Path.of(args[1]), Long.getLong("bench.seed", 42L));
        write(Path.of(args[2]), p);
        System.out.println("worker: " + p);
      }
      case "profile" -> {
        need(args, 3);
        Map<String, String> p = ScanProfile.run(Path.of(args[1]));
        write(Path.of(args[2]), p);
        System.out.println("profile: " + p);
      }
      case "report" -> {
        need(args, 2);
        System.out.print(BenchReport.render(Path.of(args[1])));
      }
      default -> usage();
    }
    System.exit(0);
  }

  private static void need(String[] args, int n) {
    if (args.length < n) {
      usage();
    }
  }

  private static void usage() {
    System.err.println("usage: BackupBenchmark dataset <dir> <corpus> | change <dir> [fraction]"
        + " | scan <dir> <backupDir> <out.properties> | worker <dir> <out.properties>"
        + " | profile <dir> <out.properties> | report <resultsDir>");
    System.exit(64);
  }

  /**
   * Moves a seeded random {@code fraction} of the Inbox items to {@value DatasetBuilder#ARCHIVE}
   * and sets their seen flag; mirrors the move in the export tree (the flag has no file to change).
   */
  static Map<String, String> change(Path dir, double fraction, long seed) throws IOException {
    try (LocalMailStore store = LocalMailStore.open(dir.resolve("store"), Clock.systemUTC())) {
      return change(store, dir.resolve("export"), fraction, seed);
    }
  }

  /** The change, made through an open store (the worker mode's store). */
  public static Map<String, String> change(LocalMailStore store, Path export, double fraction, long seed) throws IOException {
    record Pick(Account account, Item item) {}
    List<Pick> inbox = new ArrayList<>();
    for (Account a : store.accounts()) {
      for (Item i : store.items(a.id())) {
        if (i.folderId() == Folder.INBOX) {
          inbox.add(new Pick(a, i));
        }
      }
    }
    long all = store.accounts().stream().mapToLong(a -> store.items(a.id()).size()).sum();
    int n = (int) Math.round(all * fraction);
    Collections.shuffle(inbox, new Random(seed ^ 0x5eedL));
    Set<String> touched = new HashSet<>();
    long bytes = 0;
    for (Pick p : inbox.subList(0, Math.min(n, inbox.size()))) {
      String acct = p.account().id();
      int archive = store.folder(acct, DatasetBuilder.ARCHIVE).orElseThrow().id();
      store.moveItem(acct, p.item().id(), archive);
      store.setFlags(acct, p.item().id(), Set.of("seen"));
      String file = p.item().id() + ".eml";
      Files.move(DatasetBuilder.folderDir(export, p.account().name(), "/Inbox").resolve(file),
          DatasetBuilder.folderDir(export, p.account().name(), DatasetBuilder.ARCHIVE).resolve(file));
      touched.add(acct);
      bytes += p.item().size();
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put("itemsChanged", Integer.toString(Math.min(n, inbox.size())));
    out.put("itemsTotal", Long.toString(all));
    out.put("accountsTouched", Integer.toString(touched.size()));
    out.put("bytesChanged", Long.toString(bytes));
    return out;
  }

  /**
   * A running worker's view: one JVM, warmed up by rounds of scans of the same store into a scratch path,
   * then, with one engine and one queue open throughout as a worker keeps them, a full SmartScan
   * into a fresh path, the 1 % change through the open store, and an incremental SmartScan.
   */
  static Map<String, String> worker(Path dir, long seed) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (LocalMailStore store = LocalMailStore.open(dir.resolve("store"), Clock.systemUTC())) {
      Path scratch = dir.resolve("warmup-backup");
      // Until the JIT compiles little more: with one round, -XX:+PrintCompilation showed 220
      // compilations during the measured full scan, with four 51. A worker that has run for a day
      // is past that.
      for (int round = 0; round < Integer.getInteger("bench.warmups", 4); round++) {
        try (Scans warmup = new Scans(store, dir, scratch)) {
          warmup.run(false);
          warmup.run(true);
          if (Boolean.parseBoolean(System.getProperty("bench.incrementalWarmups", "true"))) {
            // Most of a running worker's scans are incremental; without these the measured
            // incremental is the first, and runs code the JIT compiled for full scans only.
            List<Runnable> undo = flagSome(store, 0.01, seed + round);
            warmup.run(false);
            undo.forEach(Runnable::run);
            warmup.run(false);
          }
        }
        deleteTree(scratch);
      }
      try (Scans scans = new Scans(store, dir, dir.resolve("worker-backup"))) {
        scans.run(false).forEach((k, v) -> out.put("full." + k, v));
        change(store, dir.resolve("export"), 0.01, seed);
        scans.run(false).forEach((k, v) -> out.put("incr." + k, v));
      }
    }
    return out;
  }

  /** Adds the flagged flag to a fraction of the items; the returned actions take it off again. */
  public static List<Runnable> flagSome(LocalMailStore store, double fraction, long seed) {
    List<Runnable> undo = new ArrayList<>();
    Random random = new Random(seed);
    for (Account a : store.accounts()) {
      for (Item i : store.items(a.id())) {
        if (random.nextDouble() < fraction) {
          Set<String> flags = new HashSet<>(i.flags());
          flags.add("flagged");
          store.setFlags(a.id(), i.id(), flags);
          undo.add(() -> store.setFlags(a.id(), i.id(), i.flags()));
        }
      }
    }
    return undo;
  }

  public static void deleteTree(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** One SmartScan in a process of its own, as the benchmark's storefleet steps run it. */
  static Map<String, String> scan(Path dir, Path backupDir) throws Exception {
    long t0 = System.nanoTime();
    try (LocalMailStore store = LocalMailStore.open(dir.resolve("store"), Clock.systemUTC())) {
      long t1 = System.nanoTime();
      Map<String, String> out = new LinkedHashMap<>();
      out.put("openStoreMs", ms(t1 - t0));
      try (Scans scans = new Scans(store, dir, backupDir)) {
        out.put("openEngineMs", ms(scans.openNanos));
        out.putAll(scans.run(false));
      }
      return out;
    }
  }

  /** A backup engine and an operation queue over one store and path, as a worker has them. */
  public static final class Scans implements AutoCloseable {
    public final BackupEngine engine;
    final OperationQueue queue;
    final long openNanos;
    private final Map<String, CompletableFuture<Operation>> done = new java.util.concurrent.ConcurrentHashMap<>();
    private boolean deep;

    public Scans(MailStore store, Path dir, Path backupDir) throws IOException {
      long t = System.nanoTime();
      engine = BackupEngine.open(BackupPath.open(backupDir, SERVER), () -> false);
      openNanos = System.nanoTime() - t;
      Files.createDirectories(dir.resolve("work"));
      Path opsLog = dir.resolve("work").resolve("ops-" + System.nanoTime() + ".log");
      queue = new OperationQueue(SERVER, OperationLog.open(opsLog), Clock.systemUTC(),
          op -> new ScanTask(store, engine, null, deep, null, what -> System.err.println("corruption: " + what)),
          Pacer.NONE, op -> {
            if (op.state().terminal()) {
              done.computeIfAbsent(op.uuid(), k -> new CompletableFuture<>()).complete(op);
            }
          });
      queue.start();
    }

    /** One SmartScan through the queue; its own time and counters. */
    public Map<String, String> run(boolean deepScan) throws Exception {
      deep = deepScan;
      Map<String, String> out = new LinkedHashMap<>();
      long s0 = System.nanoTime();
      String uuid = queue.submit("doSmartScan", Map.of(), "bench", null).uuid();
      Operation op = done.computeIfAbsent(uuid, k -> new CompletableFuture<>()).get(30, TimeUnit.MINUTES);
      long s1 = System.nanoTime();
      if (op.state() != OperationState.SUCCEEDED) {
        throw new IllegalStateException("scan did not succeed: " + op.state() + " " + op.error() + " "
            + op.stats().verdict());
      }
      out.put("scanMs", ms(s1 - s0));
      new TreeMap<>(op.stats().counters()).forEach((k, v) -> out.put(k, Long.toString(v)));
      out.put("verdict", op.stats().verdict());
      return out;
    }

    @Override
    public void close() throws IOException {
      long t = System.nanoTime();
      queue.close();
      engine.close();
      System.out.println("closed in " + ms(System.nanoTime() - t) + " ms");
    }
  }

  public static String ms(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
  }

  public static void write(Path file, Map<String, String> p) throws IOException {
    Properties props = new Properties();
    props.putAll(p);
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (Writer w = Files.newBufferedWriter(file)) {
      props.store(w, null);
    }
  }

  public static Properties read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    return p;
  }
}
