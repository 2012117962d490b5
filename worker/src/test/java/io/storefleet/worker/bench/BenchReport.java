package io.storefleet.worker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Renders the results directory written by deploy/bench/backup.sh as markdown: the dataset, one
 * row per tool and step (medians over the runs), and the ratios the targets are stated in.
 *
 * <p>Step files are {@code <tool>-<phase>-<run>.properties} with {@code wallMs} (process wall
 * time), {@code rssKb} (peak RSS from GNU time), {@code repoBytes} (sum of file sizes of the
 * whole repository after the step), {@code repoDuKb} ({@code du -sk}), and for storefleet the
 * scan operation's own {@code scanMs} and counters.
 */
final class BenchReport {
  static final String[] TOOLS = {"storefleet", "restic", "borg"};
  static final String[] PHASES = {"full", "incr"};

  private BenchReport() {}

  record Step(String tool, String phase, List<Properties> runs) {
    double median(String key) {
      List<Double> v = values(key);
      if (v.isEmpty()) {
        return Double.NaN;
      }
      Collections.sort(v);
      int n = v.size();
      return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    double min(String key) {
      return values(key).stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max(String key) {
      return values(key).stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    List<Double> values(String key) {
      List<Double> v = new ArrayList<>();
      for (Properties p : runs) {
        String s = p.getProperty(key);
        if (s != null && !s.isBlank()) {
          v.add(Double.parseDouble(s.trim()));
        }
      }
      return v;
    }
  }

  static String render(Path results) throws IOException {
    Properties ds = BackupBenchmark.read(results.resolve("dataset.properties"));
    Properties ch = BackupBenchmark.read(results.resolve("change.properties"));
    Map<String, Step> steps = new LinkedHashMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(results)) {
      files = s.filter(f -> f.getFileName().toString().matches("[a-z]+-(full|incr)-\\d+\\.properties")).sorted().toList();
    }
    for (Path f : files) {
      String[] parts = f.getFileName().toString().split("-");
      steps.computeIfAbsent(parts[0] + "-" + parts[1], k -> new Step(parts[0], parts[1], new ArrayList<>()))
          .runs().add(BackupBenchmark.read(f));
    }
    long items = Long.parseLong(ds.getProperty("items"));
    long raw = Long.parseLong(ds.getProperty("rawBytes"));
    StringBuilder sb = new StringBuilder();
    int runs = steps.values().stream().mapToInt(s -> s.runs().size()).max().orElse(0);
    sb.append(String.format(Locale.ROOT, "%nDataset: %s accounts in %s domains; %s corpus messages (%s distinct contents,"
            + " %.1f MB); %s of them delivered to 2-5 mailboxes (%s extra copies); %s items, %.1f MB of raw messages"
            + " in the mailboxes. Change step: %s items (%.1f %%) in %s accounts moved to /Inbox/Archive and flagged seen.%n",
        ds.getProperty("accounts"), ds.getProperty("domains"), ds.getProperty("corpusMessages"),
        ds.getProperty("uniqueContents"), Long.parseLong(ds.getProperty("uniqueBytes")) / 1e6,
        ds.getProperty("sharedMessages"), ds.getProperty("extraCopies"), ds.getProperty("items"), raw / 1e6,
        ch.getProperty("itemsChanged"), 100.0 * Long.parseLong(ch.getProperty("itemsChanged")) / items,
        ch.getProperty("accountsTouched")));
    sb.append(String.format(Locale.ROOT, "%nMedian of %d run(s); items/s and MB/s are all %d items / %.1f MB of the"
        + " mailboxes over the process wall time (JVM start included for storefleet); repository sizes are of the whole"
        + " repository after the step.%n%n", runs, items, raw / 1e6));
    sb.append("| tool | step | wall s (min-max) | scan op s (min-max) | items/s | MB/s | repo MB, files | repo MB, du"
        + " | peak RSS MiB | load avg |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String tool : TOOLS) {
      for (String phase : PHASES) {
        Step s = steps.get(tool + "-" + phase);
        if (s == null) {
          continue;
        }
        double wall = s.median("wallMs") / 1000;
        double op = s.median("scanMs") / 1000;
        sb.append(String.format(Locale.ROOT, "| %s | %s | %.2f (%.2f-%.2f) | %s | %.0f | %.1f | %.2f | %.2f | %.0f | %.1f |%n",
            tool, phase.equals("full") ? "full" : "after 1 % change", wall, s.min("wallMs") / 1000,
            s.max("wallMs") / 1000, Double.isNaN(op) ? "-" : String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", op,
                s.min("scanMs") / 1000, s.max("scanMs") / 1000),
            items / wall, raw / 1e6 / wall, s.median("repoBytes") / 1e6, s.median("repoDuKb") * 1024 / 1e6,
            s.median("rssKb") / 1024, s.median("load1")));
      }
    }
    Step sf = steps.get("storefleet-full");
    Step sfi = steps.get("storefleet-incr");
    if (sf != null) {
      double all = sf.median("repoBytes");
      double dict = Double.isNaN(sf.median("dictionaryBytes")) ? 0 : sf.median("dictionaryBytes");
      sb.append(String.format(Locale.ROOT, "%nstorefleet's repository after the full scan: packs %.2f MB (%.0f %%), blob index"
              + " %.2f MB, compression dictionary %.2f MB, items.log %.2f MB, account.log %.2f MB, other %.2f MB. Its"
              + " scan process: JVM start to exit %.2f s, of which store open %.2f s, backup path open %.2f s, scan"
              + " operation %.2f s (medians).%n",
          sf.median("packsBytes") / 1e6, 100 * sf.median("packsBytes") / all, sf.median("blobIndexBytes") / 1e6,
          dict / 1e6, sf.median("itemsLogBytes") / 1e6, sf.median("accountLogBytes") / 1e6,
          (all - sf.median("packsBytes") - sf.median("blobIndexBytes") - dict - sf.median("itemsLogBytes")
              - sf.median("accountLogBytes")) / 1e6,
          sf.median("wallMs") / 1000, sf.median("openStoreMs") / 1000, sf.median("openEngineMs") / 1000,
          sf.median("scanMs") / 1000));
    }
    Step worker = workerStep(results);
    if (worker != null) {
      sb.append(String.format(Locale.ROOT, "%nstorefleet in a running worker (one warm JVM per run: a warm-up of four rounds of a full,"
              + " a deep and two incremental scans into a scratch path, then a full SmartScan into a fresh path, the same 1 %% change through the open store,"
              + " an incremental SmartScan): full %.2f s (%.2f-%.2f), incremental %.3f s (%.3f-%.3f), scan operation"
              + " times, medians of %d run(s); peak RSS of that JVM %s MiB.%n",
          worker.median("full.scanMs") / 1000, worker.min("full.scanMs") / 1000, worker.max("full.scanMs") / 1000,
          worker.median("incr.scanMs") / 1000, worker.min("incr.scanMs") / 1000, worker.max("incr.scanMs") / 1000,
          worker.runs().size(), !worker.values("rssKb").isEmpty() ? String.format(Locale.ROOT, "%.0f", worker.median("rssKb") / 1024) : "-"));
    }
    sb.append("\n| comparison | median runs | best runs | target |\n|---|---:|---:|---|\n");
    for (String peer : new String[] {"restic", "borg"}) {
      Step pf = steps.get(peer + "-full");
      if (sf == null || pf == null) {
        continue;
      }
      boolean restic = peer.equals("restic");
      double tp = pf.median("wallMs") / sf.median("wallMs");
      double tpOp = pf.median("wallMs") / sf.median("scanMs");
      double size = sf.median("repoBytes") / pf.median("repoBytes");
      sb.append(row("full backup throughput, storefleet process / " + peer + " process", tp,
          pf.min("wallMs") / sf.min("wallMs"), "x", restic ? target(tp >= 2, ">= 2x") : "-"));
      sb.append(row("full backup throughput, storefleet scan operation / " + peer + " process", tpOp,
          pf.min("wallMs") / sf.min("scanMs"), "x",
          restic ? "(fresh JVM: " + (tpOp >= 2 ? "meets" : "misses") + " >= 2x)" : "-"));
      sb.append(row("repository size after full, storefleet / " + peer, size, Double.NaN, "x",
          restic ? target(size <= 1, "<= 1x") : "-"));
      Step pi = steps.get(peer + "-incr");
      if (sfi != null && pi != null) {
        sb.append(row("incremental time, storefleet process / " + peer + " process",
            sfi.median("wallMs") / pi.median("wallMs"), sfi.min("wallMs") / pi.min("wallMs"), "x", "-"));
        sb.append(row("incremental time, storefleet scan operation / " + peer + " process",
            sfi.median("scanMs") / pi.median("wallMs"), sfi.min("scanMs") / pi.min("wallMs"), "x", "-"));
        sb.append(row("repository growth by the incremental, storefleet / " + peer,
            (sfi.median("repoBytes") - sf.median("repoBytes")) / (pi.median("repoBytes") - pf.median("repoBytes")),
            Double.NaN, "x", "-"));
      }
    }
    Step restic = steps.get("restic-full");
    if (worker != null && restic != null) {
      double tp = restic.median("wallMs") / worker.median("full.scanMs");
      sb.append(row("full backup throughput, storefleet in a running worker / restic process", tp,
          restic.min("wallMs") / worker.min("full.scanMs"), "x", target(tp >= 2, ">= 2x")));
    }
    if (worker != null) {
      double pct = 100 * worker.median("incr.scanMs") / worker.median("full.scanMs");
      sb.append(row("storefleet incremental / full, in a running worker", pct,
          100 * worker.min("incr.scanMs") / worker.min("full.scanMs"), "%", target(pct < 5, "< 5 %")));
    }
    if (sf != null && sfi != null) {
      double procPct = 100 * sfi.median("wallMs") / sf.median("wallMs");
      double opPct = 100 * sfi.median("scanMs") / sf.median("scanMs");
      sb.append(row("storefleet incremental / full, scan operation time", opPct,
          100 * sfi.min("scanMs") / sf.min("scanMs"), "%", target(opPct < 5, "< 5 %")));
      sb.append(row("storefleet incremental / full, process wall time", procPct,
          100 * sfi.min("wallMs") / sf.min("wallMs"), "%",
          "(" + (procPct < 5 ? "meets" : "misses") + " < 5 %; JVM start and store open included)"));
    }
    for (String peer : new String[] {"restic", "borg"}) {
      Step pf = steps.get(peer + "-full");
      Step pi = steps.get(peer + "-incr");
      if (pf != null && pi != null) {
        sb.append(row(peer + " incremental / full, process wall time", 100 * pi.median("wallMs") / pf.median("wallMs"),
            100 * pi.min("wallMs") / pf.min("wallMs"), "%", "-"));
      }
    }
    Path profile = results.resolve("profile.properties");
    if (Files.exists(profile)) {
      sb.append(profileTable(BackupBenchmark.read(profile)));
    }
    return sb.toString();
  }

  /** The worker mode's runs ({@code worker-<run>.properties}), or null when there are none. */
  private static Step workerStep(Path results) throws IOException {
    List<Properties> runs = new ArrayList<>();
    try (Stream<Path> s = Files.list(results)) {
      for (Path f : s.filter(f -> f.getFileName().toString().matches("worker-\\d+\\.properties")).sorted().toList()) {
        runs.add(BackupBenchmark.read(f));
      }
    }
    return runs.isEmpty() ? null : new Step("storefleet", "worker", runs);
  }

  private static String target(boolean met, String what) {
    return (met ? "met (" : "**missed** (") + what + ")";
  }

  /** A comparison row: the ratio of the medians, and of the best (fastest) runs of each side. */
  private static String row(String what, double median, double best, String unit, String target) {
    return "| " + what + " | " + fmt(median, unit) + " | " + (Double.isNaN(best) ? "-" : fmt(best, unit)) + " | "
        + target + " |\n";
  }

  private static String fmt(double v, String unit) {
    return unit.equals("%") ? String.format(Locale.ROOT, "%.1f %%", v) : String.format(Locale.ROOT, "%.2f%s", v, unit);
  }

  private static String profileTable(Properties p) {
    StringBuilder sb = new StringBuilder();
    double readMs = d(p, "stage.readMs");
    long readBytes = (long) d(p, "stage.readBytes");
    sb.append(String.format(Locale.ROOT, "%nProfile (one extra full scan and incremental scan on a copy of the same data)."
        + "%n%nStages alone, single-threaded, second of two passes (warm JIT and page cache):%n%n"
        + "| stage | ms | MB/s |%n|---|---:|---:|%n"));
    sb.append(String.format(Locale.ROOT, "| store snapshots (metadata of every account) | %.0f | - |%n", d(p, "stage.snapshotsMs")));
    sb.append(String.format(Locale.ROOT, "| store reads, %s items | %.0f | %.0f |%n", p.getProperty("stage.readItems"), readMs,
        readBytes / 1e3 / readMs));
    sb.append(String.format(Locale.ROOT, "| SHA-256 of every item | %.0f | %.0f |%n", d(p, "stage.sha256Ms"),
        readBytes / 1e3 / d(p, "stage.sha256Ms")));
    sb.append(String.format(Locale.ROOT, "| zstd level 3 of %s distinct contents (ratio %.2f) | %.0f | %.0f |%n",
        p.getProperty("stage.zstd3Contents"), d(p, "stage.zstd3RawBytes") / d(p, "stage.zstd3StoredBytes"),
        d(p, "stage.zstd3Ms"), d(p, "stage.zstd3RawBytes") / 1e3 / d(p, "stage.zstd3Ms")));
    sb.append(String.format(Locale.ROOT, "| training a %.0f KiB dictionary on 1 MB of samples | %.0f | - |%n",
        d(p, "stage.dictBytes") / 1024, d(p, "stage.dictTrainMs")));
    sb.append(String.format(Locale.ROOT, "| zstd level 3 with that dictionary (ratio %.2f) | %.0f | %.0f |%n",
        d(p, "stage.zstd3RawBytes") / d(p, "stage.zstd3DictStoredBytes"), d(p, "stage.zstd3DictMs"),
        d(p, "stage.zstd3RawBytes") / 1e3 / d(p, "stage.zstd3DictMs")));
    sb.append(String.format(Locale.ROOT, "| items.log line of every item state (%.1f MB) | %.0f | - |%n",
        d(p, "stage.linesChars") / 1e6, d(p, "stage.linesMs")));
    sb.append(String.format(Locale.ROOT, "| one 512-byte append + force() | %.2f each | - |%n", d(p, "stage.fsyncMsEach")));
    for (String phase : new String[] {"full", "incr"}) {
      String px = phase + ".";
      if (p.getProperty(px + "scanMs") == null) {
        continue;
      }
      sb.append(String.format(Locale.ROOT, "%n%s SmartScan under Java Flight Recorder: %.0f ms, %s accounts scanned,"
              + " %s item states recorded; %s FileChannel.force calls, %.0f ms summed over the scan threads:%n%n"
              + "| force() called from | ms |%n|---|---:|%n",
          phase.equals("full") ? "Full" : "Incremental", d(p, px + "scanMs"), p.getProperty(px + "accountsScanned"),
          p.getProperty(px + "itemsRecorded"), p.getProperty(px + "forceCalls"), d(p, px + "forceMs")));
      p.stringPropertyNames().stream().filter(k -> k.startsWith(px + "forceMsBy.")).sorted()
          .forEach(k -> sb.append("| ").append(k.substring((px + "forceMsBy.").length())).append(" | ")
              .append(p.getProperty(k)).append(" |\n"));
      double total = d(p, px + "samples");
      StringBuilder blocked = new StringBuilder();
      p.stringPropertyNames().stream().filter(k -> k.startsWith(px + "monitorBlockedMsOn.")).sorted()
          .forEach(k -> blocked.append(blocked.length() == 0 ? "" : ", ").append(k.substring((px + "monitorBlockedMsOn.").length()))
              .append(" ").append(p.getProperty(k)).append(" ms"));
      sb.append(String.format(Locale.ROOT, "%nScan threads' samples (every 10 ms, in Java or in native code), %.0f in all;"
          + " time blocked entering monitors (>= 1 ms each): %s.%n%n| doing | samples | share |%n|---|---:|---:|%n", total,
          blocked.length() == 0 ? "none" : blocked));
      p.stringPropertyNames().stream().filter(k -> k.startsWith(px + "samples.")).sorted(
              (a, b) -> Double.compare(d(p, b), d(p, a)))
          .forEach(k -> sb.append(String.format(Locale.ROOT, "| %s | %s | %.0f %% |%n", k.substring((px + "samples.").length()),
              p.getProperty(k), 100 * d(p, k) / total)));
    }
    return sb.toString();
  }

  private static double d(Properties p, String k) {
    String s = p.getProperty(k);
    return s == null ? Double.NaN : Double.parseDouble(s);
  }
}
