package io.storefleet.worker.offsite;

import io.storefleet.worker.bench.BackupBenchmark;
import io.storefleet.worker.store.local.LocalMailStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Off-site copy benchmark steps, each in a process of its own (deploy/bench/offsite.sh drives
 * them next to restic's S3 backend on the same S3 server). Not a test. The S3 server comes from
 * system properties: {@code bench.s3.endpoint}, {@code bench.s3.bucket}, {@code bench.s3.secrets}
 * (an owner-only secrets file: access key, secret key, passphrase).
 *
 * <pre>
 * backup &lt;dir&gt; &lt;backupDir&gt; &lt;stateDir&gt; &lt;out&gt;  a SmartScan of dir/store into backupDir, then the
 *                                            upload of the path, each timed (scanMs, uploadMs)
 * fetch &lt;dest&gt; &lt;out&gt;                         the newest snapshot rebuilt into the empty folder dest
 * worker &lt;dir&gt; &lt;stateDir&gt; &lt;dest&gt; &lt;out&gt;     as a running worker does it, in one JVM: warm-up rounds
 *                                            (bench.warmups, default 2) of a full scan, its upload, an
 *                                            incremental one and a fetch, each round a new copy (prefix
 *                                            warm&lt;n&gt;) in bucket bench.s3.bucket + "-warmup"; then the copy created
 *                                            (untimed, as restic init), a full SmartScan and its upload,
 *                                            the 1 % change, an incremental one and a fetch into dest,
 *                                            each timed, with the bucket's size from bench.s3.data;
 *                                            then a check (the fetch's reads without its writes), timed
 * report &lt;resultsDir&gt;                        the markdown tables, from every step's properties file
 * </pre>
 */
public final class OffsiteBenchmark {
  private OffsiteBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> out;
    Path file;
    if (args.length == 5 && args[0].equals("backup")) {
      out = backup(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
      file = Path.of(args[4]);
    } else if (args.length == 3 && args[0].equals("fetch")) {
      out = fetch(Path.of(args[1]));
      file = Path.of(args[2]);
    } else if (args.length == 5 && args[0].equals("worker")) {
      out = worker(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
      file = Path.of(args[4]);
    } else if (args.length == 2 && args[0].equals("report")) {
      System.out.print(report(Path.of(args[1])));
      System.exit(0);
      return;
    } else {
      System.err.println("usage: OffsiteBenchmark backup <dir> <backupDir> <stateDir> <out.properties>"
          + " | fetch <dest> <out.properties> | worker <dir> <stateDir> <dest> <out.properties> | report <resultsDir>");
      System.exit(64);
      return;
    }
    BackupBenchmark.write(file, out);
    System.out.println(args[0] + ": " + out);
    System.exit(0);
  }

  private static RemoteVolume volume(String bucket, String prefix) {
    return new RemoteVolume(System.getProperty("bench.s3.endpoint"), bucket, prefix, "us-east-1", true,
        Path.of(System.getProperty("bench.s3.secrets")), RemoteVolume.Checksum.WHEN_REQUIRED, 0,
        Integer.getInteger("bench.readBackPercent", 5));
  }

  private static OffsiteCopy copy(Path stateDir) {
    return copy(stateDir, volume(System.getProperty("bench.s3.bucket"), "storefleet"),
        S3ObjectStore::open);
  }

  private static OffsiteCopy copy(Path stateDir, RemoteVolume volume, OffsiteCopy.StoreOpener opener) {
    return new OffsiteCopy(BackupBenchmark.SERVER, () -> volume, stateDir, Clock.systemUTC(), opener,
        RepositoryKey.DEFAULT_ITERATIONS, OffsiteCopy.PACK_TARGET, Bandwidth.Ticker.SYSTEM);
  }

  /** Opens S3 clients as the product does, adding up the time their creation took. */
  private static final class TimedOpener implements OffsiteCopy.StoreOpener {
    long nanos;
    int opened;

    @Override
    public ObjectStore open(RemoteVolume v, RemoteSecrets secrets) {
      long t = System.nanoTime();
      ObjectStore s = S3ObjectStore.open(v, secrets);
      nanos += System.nanoTime() - t;
      opened++;
      return s;
    }
  }

  /**
   * A running worker's upload and fetch: the JVM warmed up by whole rounds of the same work on
   * copies of their own, the measured copy created before the timed steps (restic's init is not
   * timed either), so the key is derived once, as in a worker after its first upload. The S3
   * clients are opened as the product opens them (one per operation); their creation is timed apart.
   */
  static Map<String, String> worker(Path dir, Path stateDir, Path dest) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    String bucket = System.getProperty("bench.s3.bucket");
    Path data = Path.of(System.getProperty("bench.s3.data"));
    long seed = Long.getLong("bench.seed", 42L);
    TimedOpener opener = new TimedOpener();
    try (LocalMailStore store = LocalMailStore.open(dir.resolve("store"), Clock.systemUTC())) {
      for (int round = 0; round < Integer.getInteger("bench.warmups", 2); round++) {
        Path scratch = dir.resolve("warmup-" + round);
        OffsiteCopy c = copy(scratch.resolve("state"), volume(bucket + "-warmup", "warm" + round), opener);
        try (BackupBenchmark.Scans scans = new BackupBenchmark.Scans(store, dir, scratch.resolve("backup"))) {
          scans.run(false);
          c.upload(scans.engine, null);
          List<Runnable> undo = BackupBenchmark.flagSome(store, 0.01, seed + round);
          scans.run(false);
          c.upload(scans.engine, null);
          undo.forEach(Runnable::run);
        }
        c.fetch(BackupBenchmark.SERVER, scratch.resolve("fetched"), null);
        BackupBenchmark.deleteTree(scratch);
      }
      OffsiteCopy c = copy(stateDir, volume(bucket, "storefleet"), opener);
      RemoteVolume v = c.volume();
      try (ObjectStore s = S3ObjectStore.open(v, v.secrets(BackupBenchmark.SERVER))) {
        RemoteRepository.openOrCreate(s, v.serverPrefix(BackupBenchmark.SERVER), BackupBenchmark.SERVER,
            v.secrets(BackupBenchmark.SERVER).passphrase().toCharArray(), RepositoryKey.DEFAULT_ITERATIONS);
      }
      try (BackupBenchmark.Scans scans = new BackupBenchmark.Scans(store, dir, dir.resolve("worker-backup"))) {
        for (String step : List.of("full", "incr")) {
          if (step.equals("incr")) {
            BackupBenchmark.change(store, dir.resolve("export"), 0.01, seed);
          }
          out.put(step + ".scanMs", scans.run(false).get("scanMs"));
          opener.nanos = 0;
          long t = System.nanoTime();
          UploadReport r = c.upload(scans.engine, null);
          out.put(step + ".uploadMs", BackupBenchmark.ms(System.nanoTime() - t));
          out.put(step + ".clientMs", BackupBenchmark.ms(opener.nanos));
          out.put(step + ".remoteBytesSent", Long.toString(r.counters().getOrDefault("remoteBytesSent", 0L)));
          bucketSize(data.resolve(bucket), step, out);
        }
      }
      opener.nanos = 0;
      long t = System.nanoTime();
      OffsiteRead.Report r = c.fetch(BackupBenchmark.SERVER, dest, null);
      out.put("fetch.fetchMs", BackupBenchmark.ms(System.nanoTime() - t));
      out.put("fetch.clientMs", BackupBenchmark.ms(opener.nanos));
      out.put("fetch.fetchBytes", Long.toString(r.bytes()));
      // The same reads and checks of every object, writing nothing: the fetch's time less this is
      // the writing of the path (each file forced, as BackupPath writes them).
      t = System.nanoTime();
      c.check(BackupBenchmark.SERVER, null);
      out.put("fetch.readMs", BackupBenchmark.ms(System.nanoTime() - t));
    }
    return out;
  }

  /** Bytes and objects the S3 server's filesystem backend keeps for a bucket. */
  private static void bucketSize(Path bucketDir, String step, Map<String, String> out) throws IOException {
    long bytes = 0;
    long objects = 0;
    try (Stream<Path> s = Files.walk(bucketDir)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        bytes += Files.size(f);
        objects++;
      }
    }
    out.put(step + ".bucketBytes", Long.toString(bytes));
    out.put(step + ".bucketObjects", Long.toString(objects));
  }

  static Map<String, String> backup(Path dir, Path backupDir, Path stateDir) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (LocalMailStore store = LocalMailStore.open(dir.resolve("store"), Clock.systemUTC());
        BackupBenchmark.Scans scans = new BackupBenchmark.Scans(store, dir, backupDir)) {
      out.putAll(scans.run(false));
      long t = System.nanoTime();
      UploadReport r = copy(stateDir).upload(scans.engine, null);
      out.put("uploadMs", BackupBenchmark.ms(System.nanoTime() - t));
      r.counters().forEach((k, v) -> out.put(k, Long.toString(v)));
    }
    return out;
  }

  static Map<String, String> fetch(Path dest) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    long t = System.nanoTime();
    OffsiteRead.Report r = copy(dest.resolveSibling(dest.getFileName() + "-state"))
        .fetch(BackupBenchmark.SERVER, dest, null);
    out.put("fetchMs", BackupBenchmark.ms(System.nanoTime() - t));
    out.put("fetchPacks", Long.toString(r.packs()));
    out.put("fetchBlobs", Long.toString(r.blobs()));
    out.put("fetchBytes", Long.toString(r.bytes()));
    return out;
  }

  /** The median of one key over the runs of one tool and step, in the unit the key is kept in. */
  private static double median(Path res, String tool, String step, String key) throws IOException {
    List<Double> v = new ArrayList<>();
    try (Stream<Path> files = Files.list(res)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith(tool + "-" + step + "-")).toList()) {
        String x = BackupBenchmark.read(f).getProperty(key);
        if (x != null) {
          v.add(Double.parseDouble(x));
        }
      }
    }
    if (v.isEmpty()) {
      return Double.NaN;
    }
    Collections.sort(v);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }

  /**
   * The running worker's rows (warm JVM, key derived and classes loaded before) next to restic as
   * an operator runs it: a fresh process each time, its own key derivation included.
   */
  private static String warm(Path res) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("\n| running worker (warm) | scan s | upload s (S3 client s) | scan + upload s | restic, fresh process s"
        + " | ratio | bucket MB, objects (restic) | sent MB (restic added MB) |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String step : List.of("full", "incr")) {
      double scan = median(res, "storefleet", "worker", step + ".scanMs") / 1e3;
      double up = median(res, "storefleet", "worker", step + ".uploadMs") / 1e3;
      double restic = median(res, "restic", step, "wallMs") / 1e3;
      b.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f (%.3f) | %.2f | %.2f | %.2fx | %.2f, %.0f (%.2f, %.0f) | %.3f (%.3f) |%n",
          step, scan, up, median(res, "storefleet", "worker", step + ".clientMs") / 1e3, scan + up, restic,
          (scan + up) / restic, median(res, "storefleet", "worker", step + ".bucketBytes") / 1e6,
          median(res, "storefleet", "worker", step + ".bucketObjects"), median(res, "restic", step, "bucketBytes") / 1e6,
          median(res, "restic", step, "bucketObjects"), median(res, "storefleet", "worker", step + ".remoteBytesSent") / 1e6,
          step.equals("full") ? median(res, "restic", "full", "bucketBytes") / 1e6
              : (median(res, "restic", "incr", "bucketBytes") - median(res, "restic", "full", "bucketBytes")) / 1e6));
    }
    double fetch = (median(res, "storefleet", "worker", "fetch.fetchMs") + median(res, "storefleet", "worker", "fetchSyncMs")) / 1e3;
    double restore = (median(res, "storefleet", "wrestore", "restoreMs") + median(res, "storefleet", "wrestore", "syncMs")) / 1e3;
    double restic = median(res, "restic", "restore", "totalMs") / 1e3;
    b.append("\n| restore from the bucket (warm) | storefleet s | restic restore + sync s | ratio |\n|---|---:|---:|---:|\n");
    b.append(String.format(Locale.ROOT, "| fetch of the path (running worker) + sync | %.2f | %.2f | %.2fx |%n", fetch, restic,
        fetch / restic));
    b.append(String.format(Locale.ROOT, "| doRestoreOnNewAccount of every account (operation) + sync | %.2f | - | - |%n",
        restore));
    b.append(String.format(Locale.ROOT, "| both | %.2f | %.2f | %.2fx |%n", fetch + restore, restic, (fetch + restore) / restic));
    return b.toString();
  }

  static String report(Path res) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("\n| tool | step | wall s | scan s | upload s | bucket MB | objects | bytes sent MB |\n");
    b.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (String step : List.of("full", "incr")) {
      b.append(String.format(Locale.ROOT, "| storefleet | %s | %.2f | %.2f | %.2f | %.2f | %.0f | %.2f |%n", step,
          median(res, "storefleet", step, "wallMs") / 1e3, median(res, "storefleet", step, "scanMs") / 1e3,
          median(res, "storefleet", step, "uploadMs") / 1e3, median(res, "storefleet", step, "bucketBytes") / 1e6,
          median(res, "storefleet", step, "bucketObjects"), median(res, "storefleet", step, "remoteBytesSent") / 1e6));
      b.append(String.format(Locale.ROOT, "| restic | %s | %.2f | - | - | %.2f | %.0f | - |%n", step,
          median(res, "restic", step, "wallMs") / 1e3, median(res, "restic", step, "bucketBytes") / 1e6,
          median(res, "restic", step, "bucketObjects")));
    }
    b.append("\n| restore from the bucket | fetch s | restore s | total s (with sync) |\n|---|---:|---:|---:|\n");
    b.append(String.format(Locale.ROOT, "| storefleet (fetch, then doRestoreOnNewAccount of every account) | %.2f | %.2f | %.2f |%n",
        median(res, "storefleet", "restore", "fetchWallMs") / 1e3, median(res, "storefleet", "restore", "wallMs") / 1e3,
        median(res, "storefleet", "restore", "totalMs") / 1e3));
    b.append(String.format(Locale.ROOT, "| restic restore | - | - | %.2f |%n", median(res, "restic", "restore", "totalMs") / 1e3));
    b.append(warm(res));
    b.append("\n| comparison, fresh processes (medians) | value | target |\n|---|---:|---|\n");
    double full = median(res, "storefleet", "full", "wallMs") / median(res, "restic", "full", "wallMs");
    double bytes = median(res, "storefleet", "full", "bucketBytes") / median(res, "restic", "full", "bucketBytes");
    double incrBytes = median(res, "storefleet", "incr", "bucketBytes") / median(res, "restic", "incr", "bucketBytes");
    double restore = median(res, "storefleet", "restore", "totalMs") / median(res, "restic", "restore", "totalMs");
    b.append(String.format(Locale.ROOT, "| full SmartScan + upload time / restic backup time | %.2fx | %s (<= 1x) |%n", full,
        full <= 1 ? "met" : "**missed**"));
    b.append(String.format(Locale.ROOT, "| bucket bytes after full, storefleet / restic | %.2fx | %s (<= 1x) |%n", bytes,
        bytes <= 1 ? "met" : "**missed**"));
    b.append(String.format(Locale.ROOT, "| bucket bytes after the 1 %% change, storefleet / restic | %.2fx | - |%n", incrBytes));
    double incr = median(res, "storefleet", "incr", "wallMs") / median(res, "restic", "incr", "wallMs");
    b.append(String.format(Locale.ROOT, "| after the 1 %% change: SmartScan + upload time / restic backup time | %.2fx | %s"
        + " (<= 1x) |%n", incr, incr <= 1 ? "met" : "**missed**"));
    // What the change added to each bucket (differences of medians): the bytes each tool sent for it.
    double added = (median(res, "storefleet", "incr", "bucketBytes") - median(res, "storefleet", "full", "bucketBytes"))
        / (median(res, "restic", "incr", "bucketBytes") - median(res, "restic", "full", "bucketBytes"));
    b.append(String.format(Locale.ROOT, "| bytes the 1 %% change added to the bucket, storefleet / restic | %.2fx | %s"
        + " (<= 1x) |%n", added, added <= 1 ? "met" : "**missed**"));
    b.append(String.format(Locale.ROOT, "| restore from the bucket, storefleet / restic | %.2fx | %s (<= 1x) |%n", restore,
        restore <= 1 ? "met" : "**missed**"));
    return b.toString();
  }
}
