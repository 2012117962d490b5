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
    } else if (args.length == 2 && args[0].equals("report")) {
      System.out.print(report(Path.of(args[1])));
      System.exit(0);
      return;
    } else {
      System.err.println("usage: OffsiteBenchmark backup <dir> <backupDir> <stateDir> <out.properties>"
          + " | fetch <dest> <out.properties> | report <resultsDir>");
      System.exit(64);
      return;
    }
    BackupBenchmark.write(file, out);
    System.out.println(args[0] + ": " + out);
    System.exit(0);
  }

  private static OffsiteCopy copy(Path stateDir) {
    RemoteVolume volume = new RemoteVolume(System.getProperty("bench.s3.endpoint"),
        System.getProperty("bench.s3.bucket"), "storefleet", "us-east-1", true,
        Path.of(System.getProperty("bench.s3.secrets")), RemoteVolume.Checksum.WHEN_REQUIRED, 0,
        Integer.getInteger("bench.readBackPercent", 5));
    return new OffsiteCopy(BackupBenchmark.SERVER, () -> volume, stateDir, Clock.systemUTC(), S3ObjectStore::open,
        RepositoryKey.DEFAULT_ITERATIONS, OffsiteCopy.PACK_TARGET, Bandwidth.Ticker.SYSTEM);
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
    b.append("\n| comparison (medians) | value | target |\n|---|---:|---|\n");
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
