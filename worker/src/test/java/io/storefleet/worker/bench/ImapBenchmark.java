package io.storefleet.worker.bench;

import io.storefleet.fabric.config.Settings;
import io.storefleet.worker.config.ImapStoreConfig;
import io.storefleet.worker.config.StoreConfig;
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
 * Dovecot's CPU. Then, in the JVM all that warmed (as a running worker's is), the same first
 * full and incremental scans and restic of the same corpus in a second Dovecot, whose accounts no
 * scan has seen. The store uses the production settings' defaults. Not a test (surefire never runs it): deploy/bench/imap.sh runs it as root.
 *
 * <pre>
 * run &lt;workDir&gt; &lt;corpus&gt; &lt;resultsDir&gt;   every step; figures to resultsDir/imap.properties
 * report &lt;resultsDir&gt;                   the markdown table
 * </pre>
 */
public final class ImapBenchmark {
  private static final String DOMAIN = "bench.test";
  private static final List<String> MAILBOXES = List.of("INBOX", "Archive", "Lists");
  /** The C1 and C2 compiler threads, as {@link JvmThreadCpu} names them. */
  private static final String JIT_THREADS = "C#_CompilerThre";

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
    out.put("jvm.options", String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean()
        .getInputArguments().stream().filter(a -> a.startsWith("-X")).toList()));
    int accounts = Integer.getInteger("bench.imapAccounts", 10);
    long seed = Long.getLong("bench.seed", 42L);
    List<byte[]> mails = DatasetBuilder.readCorpus(corpus);
    Path resticLog = results.resolve("restic.log");
    // The fresh JVM: its first scans, then everything else the bench times (also the warm-up).
    try (DovecotServer d = DovecotServer.start()) {
      ImapStoreConfig config = storeConfig(d);
      out.put("config.maxConnections", Integer.toString(config.maxConnections()));
      out.put("config.keptSessions", Integer.toString(config.keptSessions()));
      ImapTestClient client = new ImapTestClient(ImapTestClient.config(d));
      List<String> users = provision(d, client, accounts, mails, out, "");
      Path mail = d.directory().resolve("mail");
      Restic restic = new Restic(work.resolve("restic"), resticLog);
      out.put("restic.version", restic.version());
      Path backupDir = work.resolve("backup");
      try (ImapMailStore store = ImapMailStore.open(config, work.resolve("store"), Clock.systemUTC());
          BackupBenchmark.Scans scans = new BackupBenchmark.Scans(store, work, backupDir)) {
        out.putAll(fullAndIncremental(d, client, users, scans, backupDir, restic, mail, seed, ""));

        String large = users.get(0);
        long t0 = System.nanoTime();
        RestoreBenchmark.restoreOnNewAccounts(store, scans.engine, work, backupDir, Map.of(large, "r." + large), t0)
            .forEach((k, v) -> out.put("restore." + k, v));
        out.put("restic.restoreMs", restic.restore(mail.resolve(large), work.resolve("restic-restore")));
        log("restore: storefleet " + out.get("restore.restoreMs") + " ms, restic " + out.get("restic.restoreMs")
            + " ms");

        out.putAll(manyUsers(d, store, client, users.get(1), Integer.getInteger("bench.users", 10_000)));
      } finally {
        client.close();
      }
    }
    // A running worker: the same first scans in this JVM, now warmed by all of the above, of the
    // same corpus in a second Dovecot whose accounts no scan has seen (no ids set), with a new
    // store state, backup and restic repository. The first set's Dovecot and store are gone.
    try (DovecotServer d = DovecotServer.start()) {
      ImapStoreConfig config = storeConfig(d);
      ImapTestClient client = new ImapTestClient(ImapTestClient.config(d));
      List<String> users = provision(d, client, accounts, mails, out, "warm.");
      Path backupDir = work.resolve("backup-warm");
      Restic restic = new Restic(work.resolve("restic-warm"), resticLog);
      try (ImapMailStore store = ImapMailStore.open(config, work.resolve("store-warm"), Clock.systemUTC());
          BackupBenchmark.Scans scans = new BackupBenchmark.Scans(store, work, backupDir)) {
        out.putAll(fullAndIncremental(d, client, users, scans, backupDir, restic, d.directory().resolve("mail"),
            seed, "warm."));
      } finally {
        client.close();
      }
    }
    return out;
  }

  /**
   * The store's settings as a worker reads them with only the required ones given: the
   * production defaults ({@code store.maxConnections}, {@code store.keptSessions}, the account
   * cache), plus the private instance's plain-text loopback port, its passwd-file and its virtual
   * namespace named as a view (the template's {@code Virtual/All} is INBOX again; unnamed it would be
   * scanned and restored as the account's own mail, as a site that forgets the setting would see).
   */
  static ImapStoreConfig storeConfig(DovecotServer d) throws IOException {
    String[] flags = {"--store-kind", "imap", "--store-imap-host", "127.0.0.1",
        "--store-imap-port", Integer.toString(d.imapPort()), "--store-imap-tls", "none",
        "--store-imap-master-user", d.masterUser(),
        "--store-imap-master-password-file", d.masterPasswordFile().toString(),
        "--store-doveadm-url", "http://127.0.0.1:" + d.httpPort() + "/doveadm/v1",
        "--store-doveadm-password-file", d.doveadmPasswordFile().toString(),
        "--store-users-file", d.usersFile().toString(),
        "--store-view-namespaces", String.join(",", DovecotServer.VIEW_NAMESPACES)};
    return StoreConfig.from(Settings.parse(flags, StoreConfig.KEYS)).imap();
  }

  /** The accounts, the corpus appended to them and a plain fetch of every message (the ceiling). */
  private static List<String> provision(DovecotServer d, ImapTestClient client, int accounts, List<byte[]> mails,
      Map<String, String> out, String prefix) throws Exception {
    List<String> users = new ArrayList<>();
    for (int k = 0; k < accounts; k++) {
      users.add(String.format(Locale.ROOT, "user%03d@%s", k, DOMAIN));
      d.addUser(users.get(k), "bench");
    }
    Thread.sleep(1_100); // Dovecot re-reads the users file at most once a second
    long t = System.nanoTime();
    Map<String, String> dataset = new LinkedHashMap<>(dataset(client, users, mails));
    dataset.put("dataset.appendMs", BackupBenchmark.ms(System.nanoTime() - t));
    log(prefix + "dataset " + dataset);
    dataset.forEach((k, v) -> out.put(prefix + k, v));

    double[] cpu = cpu(d);
    t = System.nanoTime();
    long[] fetched = new long[2];
    for (String u : users) {
      long[] f = client.fetchAll(u);
      fetched[0] += f[0];
      fetched[1] += f[1];
    }
    out.put(prefix + "fetch.ms", BackupBenchmark.ms(System.nanoTime() - t));
    out.put(prefix + "fetch.messages", Long.toString(fetched[0]));
    out.put(prefix + "fetch.bytes", Long.toString(fetched[1]));
    out.putAll(cpuSince(d, cpu, prefix + "fetch."));
    log(prefix + "plain fetch " + out.get(prefix + "fetch.ms") + " ms");
    return users;
  }

  /**
   * The first full SmartScan of the accounts, restic's first backup, 1 % changed, the first
   * incremental SmartScan, restic's second. The fresh JVM's incremental is profiled (JFR) as
   * before; the warmed one only with {@code bench.profileFull}, like both full scans.
   */
  private static Map<String, String> fullAndIncremental(DovecotServer d, ImapTestClient client, List<String> users,
      BackupBenchmark.Scans scans, Path backupDir, Restic restic, Path mail, long seed, String prefix)
      throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    boolean profile = Boolean.getBoolean("bench.profileFull");
    String jfr = prefix.isEmpty() ? "" : "warm-";
    // The CPU by thread (the JIT compilers' and the collector's apart) is read from /proc, cheap
    // enough to take always, and before the process's CPU so that its own reading is not counted.
    Map<Long, Object[]> threads = JvmThreadCpu.now();
    double[] scanCpu = cpu(d);
    // Profiled only on request: the recording's own cost would land in the compared time.
    (profile ? ImapScanProfile.record(backupDir.resolveSibling(jfr + "full.jfr"), "profile.", () -> scans.run(false))
        : scans.run(false)).forEach((k, v) -> out.put(prefix + "full." + k, v));
    out.putAll(cpuSince(d, scanCpu, prefix + "full."));
    out.putAll(JvmThreadCpu.since(threads, prefix + "full.cpuBy."));
    out.put(prefix + "full.backupBytes", Long.toString(size(backupDir)));
    log(prefix + "storefleet full " + out.get(prefix + "full.scanMs") + " ms");
    out.put(prefix + "restic.fullMs", restic.backup(mail));
    out.put(prefix + "restic.fullRepoBytes", Long.toString(size(restic.repo)));
    log(prefix + "restic full " + out.get(prefix + "restic.fullMs") + " ms");

    change(client, users, 0.01, seed).forEach((k, v) -> out.put(prefix + k, v));
    scanCpu = cpu(d);
    (prefix.isEmpty() || profile
        ? ImapScanProfile.record(backupDir.resolveSibling(jfr + "incr.jfr"), "profile.", () -> scans.run(false))
        : scans.run(false)).forEach((k, v) -> out.put(prefix + "incr." + k, v));
    out.putAll(cpuSince(d, scanCpu, prefix + "incr."));
    out.put(prefix + "incr.backupBytes", Long.toString(size(backupDir)));
    out.put(prefix + "restic.incrMs", restic.backup(mail));
    out.put(prefix + "restic.incrRepoBytes", Long.toString(size(restic.repo)));
    log(prefix + "incremental: storefleet " + out.get(prefix + "incr.scanMs") + " ms, restic "
        + out.get(prefix + "restic.incrMs") + " ms");
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
    double restoreMs = num(p, "restore.restoreMs");
    double resticRestore = num(p, "restic.restoreMs");
    double messages = num(p, "dataset.messages");
    double mb = num(p, "dataset.bytes") / 1e6;
    double large = num(p, "dataset.largeAccountMessages");
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "dataset: %.0f messages, %.1f MB over %s accounts (the large one %.0f);"
        + " %s (compression auto); store settings: the production defaults (store.maxConnections %s,"
        + " store.keptSessions %s), store.imapTls none (loopback)%n%n", messages, mb, p.getProperty("dataset.accounts"),
        large, p.getProperty("restic.version"), p.getProperty("config.maxConnections"),
        p.getProperty("config.keptSessions")));
    sb.append("| step | storefleet (imap store) | restic | storefleet / restic | target |\n");
    sb.append("| --- | --- | --- | --- | --- |\n");
    for (String jvm : List.of("", "warm.")) {
      String label = jvm.isEmpty() ? "fresh JVM" : "running worker (warmed JVM)";
      double full = num(p, jvm + "full.scanMs");
      double restic = num(p, jvm + "restic.fullMs");
      sb.append(String.format(Locale.ROOT, "| full scan, %s | %.1f s (%.0f msg/s, %.1f MB/s) | %.1f s | %.2fx the"
          + " time | <= 1x: %s |%n", label, full / 1e3, messages / full * 1e3, mb / full * 1e3, restic / 1e3,
          full / restic, full <= restic ? "met" : "missed"));
    }
    for (String jvm : List.of("", "warm.")) {
      String label = jvm.isEmpty() ? "fresh JVM" : "running worker (warmed JVM)";
      double full = num(p, jvm + "full.scanMs");
      double incr = num(p, jvm + "incr.scanMs");
      double restic = num(p, jvm + "restic.incrMs");
      sb.append(String.format(Locale.ROOT, "| incremental (%s messages changed), %s | %.2f s = %.1f %% of its full |"
          + " %.2f s | %.2fx | <= 5 %% of full: %s |%n", p.getProperty(jvm + "change.messages"), label, incr / 1e3,
          100 * incr / full, restic / 1e3, incr / restic, incr <= 0.05 * full ? "met" : "missed"));
    }
    double backup = num(p, "incr.backupBytes");
    double repo = num(p, "restic.incrRepoBytes");
    sb.append(String.format(Locale.ROOT, "| backup size after both | %.1f MB | %.1f MB | %.2fx | <= 1x: %s |%n",
        backup / 1e6, repo / 1e6, backup / repo, backup <= repo ? "met" : "missed"));
    sb.append(String.format(Locale.ROOT, "| restore of the large account (%.0f msg) | %.1f s (%.0f msg/s) | %.1f s"
        + " (restore + sync) | %.2fx | |%n", large, restoreMs / 1e3, large / restoreMs * 1e3, resticRestore / 1e3,
        restoreMs / resticRestore));
    sb.append(String.format(Locale.ROOT, "%nplain IMAP fetch of every message (the ceiling): %.1f s (%.0f msg/s);"
        + " full scan = %.2fx the ceiling (warmed JVM, second Dovecot: fetch %.1f s, scan %.2fx)%n",
        num(p, "fetch.ms") / 1e3, messages / num(p, "fetch.ms") * 1e3, fullMs / num(p, "fetch.ms"),
        num(p, "warm.fetch.ms") / 1e3, num(p, "warm.full.scanMs") / num(p, "warm.fetch.ms")));
    sb.append(String.format(Locale.ROOT, "CPU during the full scan: fresh JVM %s s, Dovecot %s s; warmed JVM %s s,"
        + " Dovecot %s s (the plain fetch: %s s, %s s); during the incremental: fresh JVM %s s (JFR on), warmed %s s%n",
        p.getProperty("full.javaCpuS"), p.getProperty("full.dovecotCpuS"), p.getProperty("warm.full.javaCpuS"),
        p.getProperty("warm.full.dovecotCpuS"), p.getProperty("fetch.javaCpuS"), p.getProperty("fetch.dovecotCpuS"),
        p.getProperty("incr.javaCpuS"), p.getProperty("warm.incr.javaCpuS")));
    sb.append(String.format(Locale.ROOT, "the JIT compiler threads' CPU during the full scan: fresh JVM %s s,"
        + " warmed %s s; JVM options: %s%n", p.getProperty("full.cpuBy." + JIT_THREADS), p.getProperty("warm.full.cpuBy." + JIT_THREADS),
        p.getProperty("jvm.options")));
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

  /** CPU time of a process and every process below it, from /proc (exited children included). */
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
