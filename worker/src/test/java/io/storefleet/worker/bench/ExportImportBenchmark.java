package io.storefleet.worker.bench;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.local.LocalMailStore;
import io.storefleet.worker.testing.ServerFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Export and import benchmark on the corpus dataset of {@link BackupBenchmark}. Not a test:
 * deploy/bench/export-import.sh runs each step in its own process (wall time, peak RSS).
 *
 * <pre>
 * dataset &lt;dir&gt; &lt;corpus&gt;                       the dataset store, as server old1, in dir/old1/store
 * export &lt;dir&gt; &lt;export&gt; &lt;out&gt;                 doExport of every domain of old1 into &lt;export&gt;
 * import &lt;dir&gt; &lt;server&gt; &lt;export&gt; &lt;n&gt; &lt;out&gt;     doExternalRestore of &lt;export&gt; on a server of its own,
 *                                             concurrent_accounts n (run it twice: the second finds all)
 * ingest &lt;dir&gt; &lt;server&gt; &lt;out&gt;                 the same mailboxes added straight to a fresh store: the
 *                                             store's own write cost, which bounds an import
 * report &lt;resultsDir&gt;                          the markdown table from every step's properties
 * </pre>
 */
public final class ExportImportBenchmark {
  private ExportImportBenchmark() {}

  public static void main(String[] args) throws Exception {
    switch (args.length == 0 ? "" : args[0]) {
      case "dataset" -> {
        Map<String, String> p = new DatasetBuilder(Integer.getInteger("bench.accounts", 200),
            Double.parseDouble(System.getProperty("bench.shared", "0.20")), Long.getLong("bench.seed", 42L))
            .build(Path.of(args[1]).resolve("old1"), Path.of(args[2]));
        BackupBenchmark.write(Path.of(args[1]).resolve("dataset.properties"), p);
        System.out.println("dataset: " + p);
      }
      case "export" -> {
        try (ServerFixture old = new ServerFixture(Path.of(args[1]), "old1")) {
          long t0 = System.nanoTime();
          Operation op = old.run("doExport", "destination_path", args[2]);
          write(op, t0, Path.of(args[3]), Map.of("exportBytes", Long.toString(size(Path.of(args[2])))));
        }
      }
      case "import" -> {
        try (ServerFixture fresh = new ServerFixture(Path.of(args[1]), args[2])) {
          long t0 = System.nanoTime();
          Operation op = fresh.run("doExternalRestore", "source_path", args[3], "concurrent_accounts", args[4]);
          write(op, t0, Path.of(args[5]), Map.of("concurrent", args[4]));
        }
      }
      case "ingest" -> ingest(Path.of(args[1]), args[2], Path.of(args[3]));
      case "report" -> System.out.print(report(Path.of(args[1])));
      default -> {
        System.err.println("usage: ExportImportBenchmark dataset|export|import|ingest|report ...");
        System.exit(64);
      }
    }
  }

  private static void write(Operation op, long t0, Path out, Map<String, String> extra) throws IOException {
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (op.state() != OperationState.SUCCEEDED) {
      throw new IllegalStateException(op.command() + " ended " + op.state() + ": " + op.error() + " " + op.stats());
    }
    Map<String, String> p = new LinkedHashMap<>(extra);
    p.put("opMs", Long.toString(ms));
    op.stats().counters().forEach((k, v) -> p.put(k, Long.toString(v)));
    BackupBenchmark.write(out, p);
    System.out.println(op.command() + ": " + p);
  }

  /** The dataset's mailboxes added to an empty store with the store's own bulk call. */
  private static void ingest(Path dir, String server, Path out) throws IOException {
    try (LocalMailStore src = LocalMailStore.open(dir.resolve("old1/store"), Clock.systemUTC());
        LocalMailStore dst = LocalMailStore.open(dir.resolve(server).resolve("store"), Clock.systemUTC())) {
      Map<String, List<byte[]>> mail = new LinkedHashMap<>();
      long bytes = 0;
      for (Account a : src.accounts()) {
        List<byte[]> raws = new ArrayList<>();
        for (Item i : src.items(a.id())) {
          byte[] raw = src.content(a.id(), i.id());
          raws.add(raw);
          bytes += raw.length;
        }
        mail.put(a.name(), raws);
      }
      long t0 = System.nanoTime();
      for (String d : DatasetBuilder.DOMAINS) {
        dst.createDomain(d);
      }
      long items = 0;
      for (Map.Entry<String, List<byte[]>> e : mail.entrySet()) {
        Account a = dst.createAccount(e.getKey(), null, Map.of());
        List<byte[]> raws = e.getValue();
        for (int from = 0; from < raws.size(); from += 200) {
          items += dst.addMessages(a.id(), Folder.INBOX, raws.subList(from, Math.min(raws.size(), from + 200)),
              Set.of(), Set.of()).size();
        }
      }
      Map<String, String> p = new LinkedHashMap<>();
      p.put("opMs", Long.toString((System.nanoTime() - t0) / 1_000_000));
      p.put("restoredItems", Long.toString(items));
      p.put("bytesRestored", Long.toString(bytes));
      BackupBenchmark.write(out, p);
      System.out.println("ingest: " + p);
    }
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /** One row per step: median (min–max) of every run of it. */
  static String report(Path results) throws IOException {
    Properties dataset = BackupBenchmark.read(results.resolve("dataset.properties"));
    long items = Long.parseLong(dataset.getProperty("items"));
    double mb = Long.parseLong(dataset.getProperty("rawBytes")) / 1e6;
    Map<String, List<Properties>> steps = new TreeMap<>();
    try (Stream<Path> s = Files.list(results)) {
      for (Path f : s.sorted().toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".properties") && name.contains("-run")) {
          steps.computeIfAbsent(name.substring(0, name.indexOf("-run")), k -> new ArrayList<>())
              .add(BackupBenchmark.read(f));
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append("| step | runs | operation s, median (min–max) | process s, median | items/s (operation) | MB/s"
        + " (operation) | restored / skipped | export MB | peak RSS MiB |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<String, List<Properties>> e : steps.entrySet()) {
      List<Properties> runs = e.getValue();
      List<Double> op = values(runs, "opMs");
      double med = median(op) / 1000;
      sb.append(String.format(Locale.ROOT, "| %s | %d | %.2f (%.2f–%.2f) | %.2f | %.0f | %.1f | %s / %s | %s | %.0f |%n",
          e.getKey(), runs.size(), med, op.get(0) / 1000, op.get(op.size() - 1) / 1000,
          median(values(runs, "wallMs")) / 1000, items / med, mb / med,
          runs.get(0).getProperty("restoredItems", runs.get(0).getProperty("itemsExported", "–")),
          runs.get(0).getProperty("skippedItems", "–"),
          runs.get(0).containsKey("exportBytes")
              ? String.format(Locale.ROOT, "%.2f", Long.parseLong(runs.get(0).getProperty("exportBytes")) / 1e6) : "–",
          median(values(runs, "rssKb")) / 1024));
    }
    return sb.toString();
  }

  private static List<Double> values(List<Properties> runs, String key) {
    List<Double> v = new ArrayList<>();
    for (Properties p : runs) {
      if (p.containsKey(key)) {
        v.add(Double.parseDouble(p.getProperty(key)));
      }
    }
    v.sort(null);
    return v.isEmpty() ? List.of(Double.NaN) : v;
  }

  private static double median(List<Double> v) {
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }
}
