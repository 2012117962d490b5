package io.storefleet.worker.bench;

import io.storefleet.worker.config.ImapStoreConfig;
import io.storefleet.worker.store.imap.FeedRuns;
import io.storefleet.worker.store.imap.ImapMailStore;
import io.storefleet.worker.store.imap.ImapTestClient;
import io.storefleet.worker.testing.dovecot.DovecotServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;

/**
 * The imap store's benchmark (issue 12), in one run on one private Dovecot: the corpus appended
 * over IMAP; a plain client fetching every message (the ceiling); full and incremental (1 %
 * changed by another client) SmartScan next to restic over the maildir folder; the largest
 * account restored onto a new account next to {@code restic restore} plus {@code sync}; the
 * change-detection pass (the change feed's sweep) with 10,000 passwd-file users, wall time and
 * Dovecot's CPU. Not a test (surefire never runs it): deploy/bench/imap.sh runs it as root.
 *
 * <pre>
 * run &lt;workDir&gt; &lt;corpus&gt; &lt;resultsDir&gt;   every step; figures to resultsDir/imap.properties
 * report &lt;resultsDir&gt;                   the markdown table
 * </pre>
 */
public final class ImapBenchmark {
  private static final String DOMAIN = "bench.test";
  private static final List<String> MAILBOXES = List.of("INBOX", "Archive", "Lists");

  private ImapBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 4 && args[0].equals("run")) {
      Map<String, String> p = run(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
      BackupBenchmark.write(Path.of(args[3]).resolve("imap.properties"), p);
      System.out.println("imap: " + p);
    } else if (args.length >= 2 && args[0].equals("report")) {
      System.out.print(report(BackupBenchmark.read(Path.of(args[1]).resolve("imap.properties"))));
    } else {
      System.err.println("usage: ImapBenchmark run <workDir> <corpus> <resultsDir> | report <resultsDir>");
      System.exit(64);
    }
    System.exit(0);
  }

  static Map<String, String> run(Path work, Path corpus, Path results) throws Exception {
    Files.createDirectories(work);
    Files.createDirectories(results);
    ImapScanProfile.warmUp();
    Map<String, String> out = new LinkedHashMap<>();
    int accounts = Integer.getInteger("bench.imapAccounts", 10);
    long seed = Long.getLong("bench.seed", 42L);
    try (DovecotServer d = DovecotServer.start()) {
      ImapStoreConfig config = ImapTestClient.config(d);
      ImapTestClient client = new ImapTestClient(config);
      List<String> users = new ArrayList<>();
      for (int k = 0; k < accounts; k++) {
        users.add(String.format(Locale.ROOT, "user%03d@%s", k, DOMAIN));
        d.addUser(users.get(k), "bench");
      }
      Thread.sleep(1_100); // Dovecot re-reads the users file at most once a second
      long t = System.nanoTime();
      out.putAll(dataset(client, users, DatasetBuilder.readCorpus(corpus)));
      out.put("dataset.appendMs", BackupBenchmark.ms(System.nanoTime() - t));
      log("dataset " + out);

      double[] cpu = cpu(d);
      t = System.nanoTime();
      long[] fetched = new long[2];
      for (String u : users) {
        long[] f = client.fetchAll(u);
        fetched[0] += f[0];
        fetched[1] += f[1];
      }
      out.put("fetch.ms", BackupBenchmark.ms(System.nanoTime() - t));
      out.put("fetch.messages", Long.toString(fetched[0]));
      out.put("fetch.bytes", Long.toString(fetched[1]));
      out.putAll(cpuSince(d, cpu, "fetch."));
      log("plain fetch " + out.get("fetch.ms") + " ms");

      Path mail = d.directory().resolve("mail");
      Restic restic = new Restic(work.resolve("restic"), results.resolve("restic.log"));
      out.put("restic.version", restic.version());
      Path backupDir = work.resolve("backup");
      try (ImapMailStore store = ImapMailStore.open(config, work.resolve("store"), Clock.systemUTC());
          BackupBenchmark.Scans scans = new BackupBenchmark.Scans(store, work, backupDir)) {
        double[] scanCpu = cpu(d);
        Map<Long, Object[]> threads = JvmThreadCpu.now();
        // Profiled only on request: the recording's own cost would land in the compared time.
        (Boolean.getBoolean("bench.profileFull")
            ? ImapScanProfile.record(work.resolve("full.jfr"), "profile.", () -> scans.run(false)) : scans.run(false))
            .forEach((k, v) -> out.put("full." + k, v));
        out.putAll(cpuSince(d, scanCpu, "full."));
        if (Boolean.getBoolean("bench.profileFull")) {
          out.putAll(JvmThreadCpu.since(threads, "full.cpuBy."));
        }
        out.put("full.backupBytes", Long.toString(size(backupDir)));
        log("storefleet full " + out.get("full.scanMs") + " ms");
        out.put("restic.fullMs", restic.backup(mail));
        out.put("restic.fullRepoBytes", Long.toString(size(restic.repo)));
        log("restic full " + out.get("restic.fullMs") + " ms");

        out.putAll(warmFull(config, d, work));
        log("storefleet full, second in this JVM " + out.get("warm.scanMs") + " ms");

        out.putAll(change(client, users, 0.01, seed));
        ImapScanProfile.record(work.resolve("incr.jfr"), "profile.", () -> scans.run(false))
            .forEach((k, v) -> out.put("incr." + k, v));
        out.put("incr.backupBytes", Long.toString(size(backupDir)));
        out.put("restic.incrMs", restic.backup(mail));
        out.put("restic.incrRepoBytes", Long.toString(size(restic.repo)));
        log("incremental: storefleet " + out.get("incr.scanMs") + " ms, restic " + out.get("restic.incrMs") + " ms");

        String large = users.get(0);
        long t0 = System.nanoTime();
        RestoreBenchmark.restoreOnNewAccounts(store, scans.engine, work, backupDir, Map.of(large, "r." + large), t0)
            .forEach((k, v) -> out.put("restore." + k, v));
        out.put("restic.restoreMs", restic.restore(mail.resolve(large), work.resolve("restic-restore")));
        log("restore: storefleet " + out.get("restore.restoreMs") + " ms, restic " + out.get("restic.restoreMs")
            + " ms");

        out.putAll(manyUsers(d, store, client, users.get(1), Integer.getInteger("bench.users", 10_000)));
      }
    }
    return out;
  }

  /**
   * The corpus appended by a plain client: half of it to the first account (the large one), the
   * rest spread over the others; 70 % to INBOX, 20 % Archive, 10 % Lists; two thirds \Seen.
   */
  private static Map<String, String> dataset(ImapTestClient client, List<String> users, List<byte[]> corpus) {
    record Box(String user, String mailbox, boolean seen) {}
    Map<Box, List<byte[]>> boxes = new LinkedHashMap<>();
    for (int i = 0; i < corpus.size(); i++) {
      String user = i % 2 == 0 || users.size() == 1 ? users.get(0) : users.get(1 + (i / 2) % (users.size() - 1));
      int r = i % 10;
      String mailbox = r < 7 ? MAILBOXES.get(0) : r < 9 ? MAILBOXES.get(1) : MAILBOXES.get(2);
      boxes.computeIfAbsent(new Box(user, mailbox, i % 3 != 0), b -> new ArrayList<>()).add(corpus.get(i));
    }
    for (String u : users) {
      MAILBOXES.stream().filter(m -> !m.equals("INBOX")).forEach(m -> client.create(u, m));
    }
    long bytes = 0;
    for (Map.Entry<Box, List<byte[]>> e : boxes.entrySet()) {
      Box b = e.getKey();
      bytes += client.appendAll(b.user(), b.mailbox(), e.getValue(), b.seen() ? Set.of("\\Seen") : Set.of());
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put("dataset.accounts", Integer.toString(users.size()));
    out.put("dataset.messages", Integer.toString(corpus.size()));
    out.put("dataset.bytes", Long.toString(bytes));
    out.put("dataset.largeAccountMessages", Long.toString(boxes.entrySet().stream()
        .filter(e -> e.getKey().user().equals(users.get(0))).mapToLong(e -> e.getValue().size()).sum()));
    return out;
  }

  /** Another client reads and files a seeded random {@code fraction} of all messages: \Seen, then INBOX to Archive. */
  private static Map<String, String> change(ImapTestClient client, List<String> users, double fraction, long seed) {
    record Pick(String user, long uid) {}
    List<Pick> inbox = new ArrayList<>();
    for (String u : users) {
      client.uids(u, "INBOX").forEach(uid -> inbox.add(new Pick(u, uid)));
    }
    int total = users.stream().mapToInt(u -> MAILBOXES.stream().mapToInt(m -> client.uids(u, m).size()).sum()).sum();
    int n = (int) Math.round(total * fraction);
    Collections.shuffle(inbox, new Random(seed ^ 0x5eedL));
    for (Pick p : inbox.subList(0, Math.min(n, inbox.size()))) {
      client.readAndMove(p.user(), "INBOX", p.uid(), "Archive");
    }
    return Map.of("change.messages", Integer.toString(Math.min(n, inbox.size())), "change.total",
        Integer.toString(total));
  }

  /**
   * The change feed's detection pass with {@code n} more passwd-file users (no mail yet): the
   * first run resolves every new user's id (METADATA), a second run is the steady state; one
   * account is changed before it, which that run must find.
   */
  private static Map<String, String> manyUsers(DovecotServer d, ImapMailStore store, ImapTestClient client,
      String changed, int n) throws Exception {
    StringBuilder lines = new StringBuilder();
    for (int k = 0; k < n; k++) {
      lines.append(String.format(Locale.ROOT, "many%05d@%s::::::\n", k, DOMAIN));
    }
    Files.writeString(d.usersFile(), lines, StandardOpenOption.APPEND);
    Thread.sleep(1_100);
    Map<String, String> out = new LinkedHashMap<>();
    out.put("users.added", Integer.toString(n));
    for (String round : List.of("first", "steady")) {
      if (round.equals("steady")) {
        long uid = client.uids(changed, "Archive").get(0);
        client.readAndMove(changed, "Archive", uid, "Lists");
      }
      double cpu0 = DovecotCpu.seconds(d.pid());
      long t = System.nanoTime();
      FeedRuns.Result r = FeedRuns.sweepNow(store);
      out.put("users." + round + ".ms", BackupBenchmark.ms(System.nanoTime() - t));
      out.put("users." + round + ".dovecotCpuS", String.format(Locale.ROOT, "%.2f", DovecotCpu.seconds(d.pid()) - cpu0));
      out.put("users." + round + ".passed", Integer.toString(r.passed()));
      log("change detection (" + round + ") " + out.get("users." + round + ".ms") + " ms, passed " + r.passed());
    }
    return out;
  }

  static long size(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (var s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void log(String line) {
    System.err.println("  " + line);
  }

  static String report(Properties p) {
    double fullMs = num(p, "full.scanMs");
    double resticFull = num(p, "restic.fullMs");
    double incrMs = num(p, "incr.scanMs");
    double restoreMs = num(p, "restore.restoreMs");
    double resticRestore = num(p, "restic.restoreMs");
    double messages = num(p, "dataset.messages");
    double mb = num(p, "dataset.bytes") / 1e6;
    double large = num(p, "dataset.largeAccountMessages");
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "dataset: %.0f messages, %.1f MB over %s accounts (the large one %.0f);"
        + " %s (compression auto)%n%n", messages, mb, p.getProperty("dataset.accounts"), large,
        p.getProperty("restic.version")));
    sb.append("| step | storefleet (imap store) | restic | storefleet / restic | target |\n");
    sb.append("| --- | --- | --- | --- | --- |\n");
    sb.append(String.format(Locale.ROOT, "| full scan | %.1f s (%.0f msg/s, %.1f MB/s) | %.1f s | %.2fx the time | "
        + "<= 1x: %s |%n", fullMs / 1e3, messages / fullMs * 1e3, mb / fullMs * 1e3, resticFull / 1e3,
        fullMs / resticFull, fullMs <= resticFull ? "met" : "missed"));
    sb.append(String.format(Locale.ROOT, "| incremental (%s messages changed) | %.2f s = %.1f %% of full | %.2f s |"
        + " %.2fx | <= 5 %% of full: %s |%n", p.getProperty("change.messages"), incrMs / 1e3, 100 * incrMs / fullMs,
        num(p, "restic.incrMs") / 1e3, incrMs / num(p, "restic.incrMs"), incrMs <= 0.05 * fullMs ? "met" : "missed"));
    double backup = num(p, "incr.backupBytes");
    double repo = num(p, "restic.incrRepoBytes");
    sb.append(String.format(Locale.ROOT, "| backup size after both | %.1f MB | %.1f MB | %.2fx | <= 1x: %s |%n",
        backup / 1e6, repo / 1e6, backup / repo, backup <= repo ? "met" : "missed"));
    sb.append(String.format(Locale.ROOT, "| restore of the large account (%.0f msg) | %.1f s (%.0f msg/s) | %.1f s"
        + " (restore + sync) | %.2fx | |%n", large, restoreMs / 1e3, large / restoreMs * 1e3, resticRestore / 1e3,
        restoreMs / resticRestore));
    sb.append(String.format(Locale.ROOT, "%nplain IMAP fetch of every message (the ceiling): %.1f s (%.0f msg/s);"
        + " full scan = %.2fx the ceiling%n", num(p, "fetch.ms") / 1e3, messages / num(p, "fetch.ms") * 1e3,
        fullMs / num(p, "fetch.ms")));
    sb.append(String.format(Locale.ROOT, "CPU during the full scan: this JVM %s s, Dovecot %s s (the plain fetch: %s s,"
        + " %s s); the same full scan again in this JVM (new store state and backup, the code compiled): %.1f s ="
        + " %.2fx restic's full (JVM CPU %s s)%n", p.getProperty("full.javaCpuS"), p.getProperty("full.dovecotCpuS"),
        p.getProperty("fetch.javaCpuS"), p.getProperty("fetch.dovecotCpuS"), num(p, "warm.scanMs") / 1e3,
        num(p, "warm.scanMs") / resticFull, p.getProperty("warm.javaCpuS")));
    sb.append(String.format(Locale.ROOT, "change detection with %s more passwd-file users: first run %.1f s (Dovecot"
        + " CPU %s s), steady state %.1f s (Dovecot CPU %s s, %s account passed)%n", p.getProperty("users.added"),
        num(p, "users.first.ms") / 1e3, p.getProperty("users.first.dovecotCpuS"), num(p, "users.steady.ms") / 1e3,
        p.getProperty("users.steady.dovecotCpuS"), p.getProperty("users.steady.passed")));
    return sb.toString();
  }

  private static double num(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null) {
      throw new IllegalStateException("no " + key + " in the results");
    }
    return Double.parseDouble(v);
  }

  /** restic over a folder, timed: backups into one repository, a restore of a sub-folder plus sync. */
  private static final class Restic {
    final Path repo;
    private final Path log;

    Restic(Path repo, Path log) throws Exception {
      this.repo = repo;
      this.log = log;
      run("restic", "init", "--repository-version", "2");
    }

    String version() throws Exception {
      return new String(new ProcessBuilder("restic", "version").start().getInputStream().readAllBytes()).trim()
          .replaceAll(" compiled.*", "");
    }

    /** Wall time of one backup of {@code dir}. */
    String backup(Path dir) throws Exception {
      long t = System.nanoTime();
      run("restic", "backup", "--compression", "auto", "-q", dir.toString());
      return BackupBenchmark.ms(System.nanoTime() - t);
    }

    /** Wall time of restoring {@code dir} from the last snapshot into {@code target}, then sync. */
    String restore(Path dir, Path target) throws Exception {
      long t = System.nanoTime();
      run("restic", "restore", "latest", "--target", target.toString(), "--include", dir.toString());
      run("sync");
      return BackupBenchmark.ms(System.nanoTime() - t);
    }

    private void run(String... command) throws Exception {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().put("RESTIC_REPOSITORY", repo.toString());
      pb.environment().put("RESTIC_PASSWORD", "storefleet-bench");
      pb.environment().put("RESTIC_CACHE_DIR", repo.resolveSibling("restic-cache").toString());
      int rc = pb.start().waitFor();
      if (rc != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited " + rc + "; see " + log);
      }
    }
  }

  /** CPU time of a process and every process below it, from /proc (exited children included). */
  /**
   * The same full scan again from nothing (a new store state and backup), now that this JVM has
   * compiled the scan's code: the first scan of a fresh JVM spends about as much CPU in the JIT
   * compilers as in its own work, which a running worker has behind it.
   */
  private static Map<String, String> warmFull(ImapStoreConfig config, DovecotServer d, Path work) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (ImapMailStore store = ImapMailStore.open(config, work.resolve("store-warm"), Clock.systemUTC());
        BackupBenchmark.Scans scans = new BackupBenchmark.Scans(store, work, work.resolve("backup-warm"))) {
      double[] before = cpu(d);
      Map<Long, Object[]> threads = JvmThreadCpu.now();
      Map<String, String> r = scans.run(false);
      out.put("warm.scanMs", r.get("scanMs"));
      out.put("warm.itemsNew", r.get("itemsNew"));
      out.putAll(cpuSince(d, before, "warm."));
      if (Boolean.getBoolean("bench.profileFull")) {
        out.putAll(JvmThreadCpu.since(threads, "warm.cpuBy."));
      }
    }
    return out;
  }

  /** This JVM's CPU seconds and Dovecot's (its processes and their children). */
  private static double[] cpu(DovecotServer d) throws IOException {
    return new double[] {((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9, DovecotCpu.seconds(d.pid())};
  }

  /** The CPU used since {@code before}: whether a step waited or had both cores busy. */
  private static Map<String, String> cpuSince(DovecotServer d, double[] before, String prefix) throws IOException {
    double[] now = cpu(d);
    return Map.of(prefix + "javaCpuS", String.format(Locale.ROOT, "%.2f", now[0] - before[0]),
        prefix + "dovecotCpuS", String.format(Locale.ROOT, "%.2f", now[1] - before[1]));
  }

  static final class DovecotCpu {
    private DovecotCpu() {}

    static double seconds(long master) throws IOException {
      Map<Long, Long> parent = new LinkedHashMap<>();
      Map<Long, long[]> times = new LinkedHashMap<>();
      try (var procs = Files.list(Path.of("/proc"))) {
        for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
          try {
            String stat = Files.readString(p.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long pid = Long.parseLong(p.getFileName().toString());
            parent.put(pid, Long.parseLong(f[1]));
            times.put(pid, new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]),
                Long.parseLong(f[13]) + Long.parseLong(f[14])});
          } catch (IOException | RuntimeException gone) {
            // the process ended while /proc was read
          }
        }
      }
      long ticks = 0;
      for (Map.Entry<Long, long[]> e : times.entrySet()) {
        if (e.getKey() == master) {
          ticks += e.getValue()[0] + e.getValue()[1];
        } else if (below(e.getKey(), master, parent)) {
          ticks += e.getValue()[0];
        }
      }
      return ticks / 100.0; // USER_HZ is 100 on Linux
    }

    private static boolean below(long pid, long master, Map<Long, Long> parent) {
      Long p = parent.get(pid);
      for (int depth = 0; p != null && depth < 16; depth++) {
        if (p == master) {
          return true;
        }
        p = parent.get(p);
      }
      return false;
    }
  }
}
