package io.storefleet.worker.bench;

import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.parse.CommandParser;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.worker.backup.LocalBackup;
import io.storefleet.worker.backup.command.BackupContext;
import io.storefleet.worker.backup.command.BackupOperations;
import io.storefleet.worker.testing.NoOffsiteCopy;
import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupPath;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.backup.format.ServerConfigSnapshot;
import io.storefleet.worker.cluster.AccountDirectory;
import io.storefleet.worker.cluster.RemoteShares;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.command.Replies;
import io.storefleet.worker.config.PathPolicy;
import io.storefleet.worker.queue.OperationLog;
import io.storefleet.worker.queue.OperationQueue;
import io.storefleet.worker.queue.Pacer;
import io.storefleet.worker.restore.RestoreCommands;
import io.storefleet.worker.restore.RestoreContext;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.local.LocalMailStore;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Restore throughput: every account of a scanned dataset (or only its largest) restored with
 * doRestoreOnNewAccount into an empty store, through the operation queue as a worker runs it.
 * The empty store matters: the embedded store keeps contents by digest, so a restore into the
 * dataset's own store would write no content at all, while restic's restore writes every file.
 */
public final class RestoreBenchmark {
  private RestoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 5 && args[0].equals("restore")) {
      Map<String, String> p = restore(Path.of(args[1]), Path.of(args[2]), args[4]);
      BackupBenchmark.write(Path.of(args[3]), p);
      System.out.println("restore: " + p);
    } else if (args.length >= 4 && args[0].equals("ingest")) {
      Map<String, String> p = ingest(Path.of(args[1]), Path.of(args[2]));
      BackupBenchmark.write(Path.of(args[3]), p);
      System.out.println("ingest: " + p);
    } else if (args.length >= 2 && args[0].equals("report")) {
      System.out.print(report(Path.of(args[1])));
    } else {
      System.err.println("usage: RestoreBenchmark restore <freshStoreDir> <backupDir> <out.properties> all|largest"
          + " | ingest <datasetDir> <freshStoreDir> <out.properties> | report <resultsDir>");
      System.exit(64);
    }
    System.exit(0);
  }

  private record Source(String name, long items, long bytes) {}

  static Map<String, String> restore(Path fresh, Path backupDir, String which) throws Exception {
    long t0 = System.nanoTime();
    Map<String, String> out = new LinkedHashMap<>();
    Files.createDirectories(fresh);
    try (LocalMailStore store = LocalMailStore.open(fresh.resolve("store"), Clock.systemUTC());
        BackupEngine engine = BackupEngine.open(BackupPath.open(backupDir, BackupBenchmark.SERVER), () -> false)) {
      for (String d : DatasetBuilder.DOMAINS) {
        store.createDomain(d);
      }
      List<Source> sources = sources(engine);
      if (which.equals("largest")) {
        sources = List.of(sources.stream().max(Comparator.comparingLong(Source::items)).orElseThrow());
      }
      Map<String, String> targets = new LinkedHashMap<>();
      sources.forEach(s -> targets.put(s.name(), "r." + s.name()));
      out.put("accounts", Integer.toString(sources.size()));
      out.put("items", Long.toString(sources.stream().mapToLong(Source::items).sum()));
      out.put("bytes", Long.toString(sources.stream().mapToLong(Source::bytes).sum()));
      out.putAll(restoreOnNewAccounts(store, engine, fresh, backupDir, targets, t0));
    }
    return out;
  }

  /**
   * Restores each source account of the backup onto a new account ({@code doRestoreOnNewAccount
   * source target last}), all queued at once through the operation queue as a worker runs them;
   * the setup and restore times and the summed counters. Fails when one does not succeed.
   *
   * @param t0 when the caller started setting up (System.nanoTime)
   */
  static Map<String, String> restoreOnNewAccounts(MailStore store, BackupEngine engine, Path work, Path backupDir,
      Map<String, String> targets, long t0) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    Vertx vertx = Vertx.vertx();
    try {
      CommandRegistry registry = new CommandRegistry();
      CommandParser parser = new CommandParser();
      LocalBackup local = new LocalBackup(BackupBenchmark.SERVER, store, engine,
          new PathPolicy(List.of(work, backupDir), BackupBenchmark.SERVER));
      BackupContext backup = new BackupContext(local, Clock.systemUTC(), () -> 0,
          cmd -> {
            throw new IllegalStateException("the benchmark queues nothing else: " + cmd.name());
          },
          null, () -> new ServerConfigSnapshot(Map.of(), Clock.systemUTC().instant()), () -> Map.of(), List.of());
      RestoreCommands.register(registry, vertx, new Replies(BackupBenchmark.SERVER),
          new RestoreContext(local, Clock.systemUTC(), null,
              account -> BackupOperations.scan(backup, account, false), AccountDirectory.NONE, RemoteShares.NONE),
          NoOffsiteCopy.of(local, work.resolve("offsite-none"), Clock.systemUTC()));
      Map<String, Operation> ended = new ConcurrentHashMap<>();
      CountDownLatch all = new CountDownLatch(targets.size());
      OperationQueue queue = new OperationQueue(BackupBenchmark.SERVER,
          OperationLog.open(work.resolve("ops-" + System.nanoTime() + ".log")), Clock.systemUTC(), op -> {
            ParsedCommand cmd = parser.fromValues(Module.BACKUP, op.command(), op.params());
            return registry.queued(cmd.spec()).orElseThrow().task(cmd, op);
          }, Pacer.NONE, op -> {
            if (op.state().terminal() && ended.putIfAbsent(op.uuid(), op) == null) {
              all.countDown();
            }
          });
      long t1 = System.nanoTime();
      queue.start();
      for (Map.Entry<String, String> t : targets.entrySet()) {
        ParsedCommand cmd = parser.parse(Module.BACKUP,
            List.of("doRestoreOnNewAccount", t.getKey(), t.getValue(), "last"));
        registry.queued(cmd.spec()).orElseThrow().validate(cmd);
        queue.submit(cmd.name(), cmd.values(), "bench", null);
      }
      if (!all.await(60, TimeUnit.MINUTES)) {
        throw new IllegalStateException("restores did not end within an hour");
      }
      long t2 = System.nanoTime();
      queue.close();
      Map<String, Long> counters = new TreeMap<>();
      List<String> failed = new ArrayList<>();
      for (Operation op : ended.values()) {
        if (op.state() != OperationState.SUCCEEDED) {
          failed.add(op.params().get("source_account") + ": " + op.state() + " " + op.error() + " "
              + op.stats().verdict());
        }
        op.stats().counters().forEach((k, v) -> counters.merge(k, v, Long::sum));
      }
      if (!failed.isEmpty()) {
        throw new IllegalStateException(failed.size() + " restores failed, e.g. " + failed.get(0));
      }
      out.put("setupMs", BackupBenchmark.ms(t1 - t0));
      out.put("restoreMs", BackupBenchmark.ms(t2 - t1));
      counters.forEach((k, v) -> out.put("counter." + k, Long.toString(v)));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    return out;
  }

  /**
   * The direct-call peer: the same messages written straight into an empty store with
   * {@code addMessages}, in the batches a restore uses, contents read into memory beforehand. It
   * is what the store itself can take, so it bounds any restore into it.
   */
  static Map<String, String> ingest(Path dataset, Path fresh) throws Exception {
    Map<String, List<byte[]>> mail = new LinkedHashMap<>();
    try (LocalMailStore source = LocalMailStore.open(dataset.resolve("store"), Clock.systemUTC())) {
      for (var a : source.accounts()) {
        List<byte[]> raws = new ArrayList<>();
        for (var i : source.items(a.id())) {
          raws.add(source.content(a.id(), i.id()));
        }
        mail.put(a.name(), raws);
      }
    }
    long items = 0;
    long bytes = 0;
    Files.createDirectories(fresh);
    long t0;
    long t1;
    try (LocalMailStore store = LocalMailStore.open(fresh.resolve("store"), Clock.systemUTC())) {
      for (String d : DatasetBuilder.DOMAINS) {
        store.createDomain(d);
      }
      t0 = System.nanoTime();
      for (var e : mail.entrySet()) {
        var account = store.createAccount("r." + e.getKey(), null, Map.of());
        List<byte[]> raws = e.getValue();
        for (int from = 0; from < raws.size(); from += 64) {
          List<byte[]> batch = raws.subList(from, Math.min(raws.size(), from + 64));
          store.addMessages(account.id(), io.storefleet.worker.store.Folder.INBOX, batch, java.util.Set.of(),
              java.util.Set.of());
          items += batch.size();
          for (byte[] b : batch) {
            bytes += b.length;
          }
        }
      }
      t1 = System.nanoTime();
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put("items", Long.toString(items));
    out.put("bytes", Long.toString(bytes));
    out.put("restoreMs", BackupBenchmark.ms(t1 - t0));
    return out;
  }

  /** The backup's live accounts with their live item counts and sizes. */
  private static List<Source> sources(BackupEngine engine) throws Exception {
    List<Source> out = new ArrayList<>();
    for (String id : engine.accountIds()) {
      AccountSnapshot snap = engine.history(id).lastSnapshot();
      if (snap == null || snap.deleted()) {
        continue;
      }
      long items = 0;
      long bytes = 0;
      for (ItemState s : engine.history(id).latestStates()) {
        if (!s.deleted()) {
          items++;
          bytes += s.size();
        }
      }
      out.add(new Source(snap.account().name(), items, bytes));
    }
    return out;
  }

  /**
   * The results table: for each dataset, storefleet's restore (whole process and restore only)
   * next to restic's, as medians over the runs, with storefleet's throughput as a ratio of restic's.
   */
  static String report(Path results) throws Exception {
    StringBuilder sb = new StringBuilder();
    sb.append("| Dataset | Tool | Items | MB | Wall s (median) | Items/s | MB/s | Peak RSS MB | vs restic |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|\n");
    for (String set : List.of("large", "many")) {
      double restic = median(results, set, "restic", "wallMs");
      if (Double.isNaN(restic)) {
        continue;
      }
      Properties any = BackupBenchmark.read(first(results, set, "storefleet"));
      double items = Double.parseDouble(any.getProperty("items"));
      double mb = Double.parseDouble(any.getProperty("bytes")) / 1e6;
      double process = median(results, set, "storefleet", "wallMs");
      double only = median(results, set, "storefleet", "restoreMs");
      row(sb, set, "storefleet (process)", items, mb, process, median(results, set, "storefleet", "rssKb"), restic);
      row(sb, set, "storefleet (restore only)", items, mb, only, Double.NaN, restic);
      row(sb, set, "restic restore", items, mb, restic, median(results, set, "restic", "rssKb"), restic);
      double ingest = median(results, set, "ingest", "restoreMs");
      if (!Double.isNaN(ingest)) {
        row(sb, set, "store ingest, direct call (writes only)", items, mb, ingest, Double.NaN, restic);
      }
    }
    return sb.toString();
  }

  private static void row(StringBuilder sb, String set, String tool, double items, double mb, double ms, double rssKb,
      double resticMs) {
    double s = ms / 1000;
    sb.append(String.format(java.util.Locale.ROOT, "| %s | %s | %.0f | %.1f | %.2f | %.0f | %.1f | %s | %.2fx |\n",
        set, tool, items, mb, s, items / s, mb / s, Double.isNaN(rssKb) ? "" : String.format(java.util.Locale.ROOT,
            "%.0f", rssKb / 1024), resticMs / ms));
  }

  private static Path first(Path results, String set, String tool) throws Exception {
    try (var s = Files.list(results)) {
      return s.filter(p -> p.getFileName().toString().startsWith("restore-" + set + "-" + tool + "-")).sorted()
          .findFirst().orElseThrow();
    }
  }

  private static double median(Path results, String set, String tool, String key) throws Exception {
    List<Double> v = new ArrayList<>();
    try (var s = Files.list(results)) {
      for (Path p : s.filter(f -> f.getFileName().toString().startsWith("restore-" + set + "-" + tool + "-"))
          .toList()) {
        String x = BackupBenchmark.read(p).getProperty(key);
        if (x != null && !x.isBlank()) {
          v.add(Double.parseDouble(x));
        }
      }
    }
    if (v.isEmpty()) {
      return Double.NaN;
    }
    v.sort(Double::compare);
    return v.get(v.size() / 2);
  }
}
