package io.storefleet.worker.testing.dovecot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * One private Dovecot instance on 127.0.0.1, in its own directory under {@code /tmp} (short,
 * because Dovecot's UNIX socket paths are limited to 108 bytes), from {@code
 * dovecot/dovecot.conf.template}: passwd-file users in {@link #usersFile()} (the file the worker's
 * provisioning adapter owns), maildir, a master user, METADATA, ACL and the notify plugins, and
 * a virtual and a public namespace beside the account's own.
 * {@link #stop()} kills it by its master pid and deletes its directory; instances still running when
 * the JVM exits (a test that never stopped its instance, an interrupted run) are stopped then.
 */
public final class DovecotServer implements AutoCloseable {
  /** The mail uid the instance's mail files belong to; it needs no passwd entry. */
  static final int MAIL_UID = 5000;
  static final String MASTER = "backup";
  /** Where lazy_expunge keeps expunged messages when enabled. */
  public static final String LAZY_EXPUNGE_MAILBOX = "EXPUNGED";
  /** The template's view namespace, named in the store settings as a site with one names it. */
  public static final java.util.List<String> VIEW_NAMESPACES = java.util.List.of("Virtual/");
  private static final Set<DovecotServer> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(RUNNING).forEach(DovecotServer::stop),
        "dovecot-test-stop"));
  }

  /**
   * What an instance is: alone (its shared namespace shows other users of the same server), a
   * backend of a {@link DovecotCluster} (other users' folders through imapc and the proxy), or
   * that cluster's proxy.
   */
  enum Role { STANDALONE, BACKEND, PROXY }

  /** The links of a cluster's instances: the proxy's port, the imapc master secret, the shared ACL dictionary. */
  record Link(int proxyPort, String imapcSecret, Path aclDictionary) {}

  private final Path dir;
  private final Role role;
  private final Link link;
  private final int imapPort;
  private final int httpPort;
  private final int imapsPort;
  private final String masterPassword = UUID.randomUUID().toString();
  private final String doveadmPassword = UUID.randomUUID().toString();
  private boolean lazyExpunge;
  private long pid;

  private DovecotServer(Path dir, Role role, Link link, int imapPort, int httpPort, int imapsPort) {
    this.dir = dir;
    this.role = role;
    this.link = link;
    this.imapPort = imapPort;
    this.httpPort = httpPort;
    this.imapsPort = imapsPort;
  }

  /** The dovecot binary, if installed. */
  public static Optional<Path> binary() {
    return Stream.of("/usr/sbin/dovecot", "/usr/local/sbin/dovecot").map(Path::of).filter(Files::isExecutable)
        .findFirst();
  }

  /** Writes the config and starts the instance; returns once it accepts IMAP connections. */
  public static DovecotServer start() throws IOException {
    return start(false);
  }

  /**
   * As {@link #start()}; with {@code tls} it also offers STARTTLS and imaps on {@link #imapsPort()}
   * with a self-signed certificate for 127.0.0.1 ({@link #certificate()}), made with openssl
   * (which Debian's dovecot-core depends on).
   */
  public static DovecotServer start(boolean tls) throws IOException {
    return start(tls, false);
  }

  /**
   * As {@link #start(boolean)}; with {@code lazyExpunge} the lazy_expunge plugin copies every
   * expunged message's last instance to the mailbox {@link #LAZY_EXPUNGE_MAILBOX} first.
   */
  public static DovecotServer start(boolean tls, boolean lazyExpunge) throws IOException {
    for (int attempt = 1; ; attempt++) {
      DovecotServer server = create(Role.STANDALONE, null, tls);
      server.lazyExpunge = lazyExpunge;
      try {
        server.launch(List.of());
        return server;
      } catch (IOException e) {
        // The free ports are only free when picked: another process on a shared machine may take
        // one before Dovecot binds it. New ports are picked for the next attempt (launch stopped this one).
        if (attempt == 3 || !portTaken(e)) {
          throw e;
        }
      }
    }
  }

  /** Whether a failed start failed because another process took one of the picked ports first. */
  static boolean portTaken(IOException e) {
    return String.valueOf(e.getMessage()).contains("Address already in use");
  }

  /** An instance with its directory and ports, not started yet ({@link #launch}). */
  static DovecotServer create(Role role, Link link, boolean tls) throws IOException {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "sfdc");
    int[] ports = freePorts(3);
    DovecotServer server = new DovecotServer(dir, role, link, ports[0], ports[1], tls ? ports[2] : 0);
    RUNNING.add(server);
    return server;
  }

  /**
   * Writes the config and starts the instance; returns once it accepts IMAP connections. A proxy
   * routes to {@code backends}; a failed start stops the instance.
   */
  void launch(List<DovecotServer> backends) throws IOException {
    Path binary = binary().orElseThrow(() -> new IllegalStateException(
        "dovecot is not installed; run deploy/dovecot/install.sh as root"));
    try {
      if (imapsPort > 0) {
        makeCertificate();
      }
      writeFiles(backends);
      launch(binary);
    } catch (IOException | RuntimeException e) {
      stop();
      throw e;
    }
  }

  private void writeFiles(List<DovecotServer> backends) throws IOException {
    // Dovecot's auth process (user dovecot) must reach the users and masters files.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String sub : List.of("run", "state", "log", "mail", "shared", "remote")) {
      Files.createDirectories(dir.resolve(sub));
    }
    Files.writeString(usersFile(), "");
    // In a cluster the worker's master logins get no shared namespace: listing it would log in to
    // the owners' servers through imapc, and the worker never reads other users' mail that way.
    Files.writeString(dir.resolve("masters"), MASTER + ":{PLAIN}" + masterPassword
        + (role == Role.BACKEND ? "::::::userdb_namespace/shared/disabled=yes\n" : "::::::\n"));
    Path secret = masterPasswordFile();
    Files.writeString(secret, masterPassword + "\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Path key = doveadmPasswordFile();
    Files.writeString(key, doveadmPassword + "\n");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    String conf = role == Role.PROXY ? resource("cluster-proxy.conf.template")
        .replace("@BACKENDS@", proxyRoutes(backends)) : resource("dovecot.conf.template")
        .replace("@SHARED_LOCATION@", role == Role.BACKEND ? "imapc:~/shared/%%u:INDEXPVT=~/shared-pvt/%%u"
            : "maildir:@DIR@/mail/%%u/Maildir:INDEXPVT=~/Maildir/shared/%%u")
        .replace("@ACL_SHARED_DICT@", role == Role.BACKEND ? "file:" + link.aclDictionary() + ":lock=fcntl"
            : "file:@DIR@/shared/shared-mailboxes.db")
        .replace("@CLUSTER@", role == Role.BACKEND ? resource("cluster-backend.conf.template") : "");
    Link l = role == Role.PROXY ? backends.get(0).link : link;
    if (l != null) {
      conf = conf.replace("@PROXY_PORT@", Integer.toString(l.proxyPort())).replace("@IMAPC_SECRET@", l.imapcSecret());
    }
    conf = conf.replace("@DIR@", dir.toString())
        .replace("@USERS@", usersFile().toString())
        .replace("@IMAP_PORT@", Integer.toString(imapPort))
        .replace("@HTTP_PORT@", Integer.toString(httpPort))
        .replace("@MAIL_UID@", Integer.toString(MAIL_UID))
        .replace("@DOVEADM_PASSWORD@", doveadmPassword)
        .replace("@IMAPS_PORT@", Integer.toString(imapsPort))
        .replace("@SSL@", imapsPort > 0 ? "yes" : "no")
        .replace("@LAZY_EXPUNGE_PLUGIN@", lazyExpunge ? " lazy_expunge" : "")
        .replace("@LAZY_EXPUNGE_SETTINGS@", lazyExpunge ? "  lazy_expunge = " + LAZY_EXPUNGE_MAILBOX
            + "\n  lazy_expunge_only_last_instance = yes" : "")
        .replace("@SSL_FILES@", imapsPort > 0
            ? "ssl_cert = <" + certificate() + "\nssl_key = <" + dir.resolve("tls/key.pem") : "");
    Files.writeString(configFile(), conf);
    writeOtherNamespaces();
    chown(dir.resolve("mail"));
    chown(dir.resolve("shared"));
    chown(dir.resolve("remote"));
  }

  /**
   * The virtual namespace's {@code Virtual/All} (INBOX again) and the public namespace's {@code
   * Public/News} (anyone may read it; one message): mail a scan must never take for the account's own.
   */
  private void writeOtherNamespaces() throws IOException {
    Path all = Files.createDirectories(dir.resolve("virtual/All"));
    Files.writeString(all.resolve("dovecot-virtual"), "INBOX\n  all\n");
    Path news = dir.resolve("public/.News");
    for (String sub : List.of("cur", "new", "tmp")) {
      Files.createDirectories(news.resolve(sub));
    }
    Files.writeString(news.resolve("dovecot-acl"), "anyone lr\n");
    Files.writeString(news.resolve("cur/1.M1P1.storefleet:2,S"),
        "From: news@example.test\r\nSubject: public news\r\n\r\nfor everyone\r\n");
    try (Stream<Path> walk = Files.walk(dir.resolve("public"))) {
      for (Path p : walk.toList()) {
        chown(p);
      }
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = DovecotServer.class.getResourceAsStream("/dovecot/" + name)) {
      if (in == null) {
        throw new IOException("dovecot/" + name + " is missing from the test resources");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** One passdb per backend: a user found in a backend's users file is proxied there. */
  private static String proxyRoutes(List<DovecotServer> backends) {
    StringBuilder sb = new StringBuilder();
    for (DovecotServer b : backends) {
      sb.append("passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ").append(b.usersFile())
          .append("\n  override_fields = proxy=y host=127.0.0.1 port=").append(b.imapPort()).append("\n}\n");
    }
    return sb.toString();
  }

  static void chown(Path p) throws IOException {
    Files.setAttribute(p, "unix:uid", MAIL_UID);
    Files.setAttribute(p, "unix:gid", MAIL_UID);
  }

  private void launch(Path binary) throws IOException {
    // Output to a file, not a pipe: the daemonized master keeps its inherited stdout open.
    Path out = dir.resolve("log/start.out");
    Process p = new ProcessBuilder(binary.toString(), "-c", configFile().toString())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("dovecot -c " + configFile() + " did not return in 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting dovecot", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException("dovecot -c " + configFile() + " failed (exit " + p.exitValue() + "): " + Files.readString(out) + log());
    }
    Path pidFile = pidFile();
    Awaitility.await("dovecot master pid in " + pidFile).atMost(Duration.ofSeconds(20))
        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(() -> masterPid() > 0);
    pid = masterPid();
    Awaitility.await("dovecot on 127.0.0.1:" + imapPort).atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20)).until(this::accepts);
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", imapPort), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void makeCertificate() throws IOException {
    Path tls = Files.createDirectories(dir.resolve("tls"));
    Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        "-keyout", tls.resolve("key.pem").toString(), "-out", certificate().toString())
        .redirectErrorStream(true).redirectOutput(tls.resolve("openssl.out").toFile()).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("openssl could not make a test certificate: " + Files.readString(tls.resolve("openssl.out")));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making a test certificate", e);
    }
  }

  /** The instance's self-signed certificate (PEM), when started with TLS. */
  public Path certificate() {
    return dir.resolve("tls/cert.pem");
  }

  /** The imaps port, 0 without TLS. */
  public int imapsPort() {
    return imapsPort;
  }

  /** Adds a mail user with a password, as an operator's provisioning would. */
  public void addUser(String name, String password) throws IOException {
    Files.writeString(usersFile(), name + ":{PLAIN}" + password + "::::::\n", java.nio.file.StandardOpenOption.APPEND);
  }

  /**
   * Gives an existing user of {@link #usersFile()} a password (users the worker provisions have
   * none), so that a test can log in as them like a mail client.
   */
  public void setPassword(String name, String password) throws IOException {
    rewriteUser(name, line -> {
      int colon = line.indexOf(':');
      int next = line.indexOf(':', colon + 1);
      return line.substring(0, colon + 1) + "{PLAIN}" + password + (next < 0 ? "::::::" : line.substring(next));
    });
  }

  /**
   * Gives a user userdb extra fields, as a site's userdb would, e.g. {@code
   * userdb_quota_rule=*:messages=1}; sessions logged in before keep the old ones.
   */
  public void setExtraFields(String name, String fields) throws IOException {
    rewriteUser(name, line -> {
      List<String> parts = new ArrayList<>(List.of(line.split(":", -1)));
      while (parts.size() < 8) {
        parts.add("");
      }
      parts.set(7, fields);
      return String.join(":", parts.subList(0, 8));
    });
  }

  private void rewriteUser(String name, java.util.function.UnaryOperator<String> edit) throws IOException {
    List<String> lines = new ArrayList<>();
    boolean found = false;
    for (String line : Files.readAllLines(usersFile())) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
        line = edit.apply(line);
        found = true;
      }
      lines.add(line);
    }
    if (!found) {
      throw new IllegalArgumentException(name + " is not in " + usersFile());
    }
    writeUsers(lines);
  }

  /**
   * Replaces the users file. Dovecot re-reads it when its mtime (in seconds) changes: a write
   * within the second of the last one would go unseen, so the new mtime is set past it. And it
   * looks at the file at most once a wall-clock second: this returns once that second is over, so
   * the next lookup sees the new file.
   */
  public void writeUsers(List<String> lines) throws IOException {
    java.nio.file.attribute.FileTime before = Files.getLastModifiedTime(usersFile());
    long written = System.currentTimeMillis() / 1000;
    Files.write(usersFile(), lines);
    long seconds = Math.max(written, before.toMillis() / 1000 + 1);
    Files.setLastModifiedTime(usersFile(), java.nio.file.attribute.FileTime.fromMillis(seconds * 1000));
    org.awaitility.Awaitility.await().pollInterval(java.time.Duration.ofMillis(20)).atMost(java.time.Duration.ofSeconds(5))
        .until(() -> System.currentTimeMillis() / 1000 > written);
  }

  /**
   * A plain mail client's session, logged in as {@code user} with its own password (no master
   * user). Dovecot looks at a changed users file at most once a second, so a refused login is
   * tried again for a few seconds after {@link #setPassword}.
   */
  public jakarta.mail.Store login(String user, String password) {
    java.util.Properties p = new java.util.Properties();
    p.put("mail.imap.host", "127.0.0.1");
    p.put("mail.imap.port", Integer.toString(imapPort));
    jakarta.mail.Store[] s = new jakarta.mail.Store[1];
    Awaitility.await(user + " logs in on 127.0.0.1:" + imapPort).atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200)).ignoreException(jakarta.mail.AuthenticationFailedException.class)
        .until(() -> {
          s[0] = jakarta.mail.Session.getInstance(p).getStore("imap");
          s[0].connect(user, password);
          return true;
        });
    return s[0];
  }

  /** The master process's pid (0 when stopped): its children serve IMAP and doveadm. */
  public long pid() {
    return pid;
  }

  public int imapPort() {
    return imapPort;
  }

  public int httpPort() {
    return httpPort;
  }

  public String masterUser() {
    return MASTER;
  }

  public Path masterPasswordFile() {
    return dir.resolve("master.secret");
  }

  public Path doveadmPasswordFile() {
    return dir.resolve("doveadm.secret");
  }

  public Path usersFile() {
    return dir.resolve("users");
  }

  public Path configFile() {
    return dir.resolve("dovecot.conf");
  }

  public Path directory() {
    return dir;
  }

  /** The file Dovecot's info messages go to, mail_log's change lines among them (the store's change log). */
  public Path changeLog() {
    return dir.resolve("log/changes.log");
  }

  /**
   * Stops the instance as a crash or an operator would (TERM to the master, which ends every
   * session), keeping its mail and configuration for {@link #restart()}.
   */
  public synchronized void halt() {
    endMaster(false);
    try {
      // Gone with the master: a stale pid here could name another process by the time stop() reads it.
      Files.deleteIfExists(pidFile());
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove " + pidFile(), e);
    }
  }

  /** Starts a halted instance again on the same directory and ports; returns once it accepts IMAP connections. */
  public synchronized void restart() throws IOException {
    if (pid > 0) {
      throw new IllegalStateException("dovecot " + configFile() + " is running (pid " + pid + "); halt it first");
    }
    Files.deleteIfExists(pidFile());
    launch(binary().orElseThrow(() -> new IllegalStateException("dovecot is no longer installed")));
  }

  /** The instance's log, for failure messages. */
  public String log() {
    try {
      Path log = dir.resolve("log/dovecot.log");
      return Files.isRegularFile(log) ? "\n--- " + log + "\n" + Files.readString(log) : "";
    } catch (IOException e) {
      return "\n(log unreadable: " + e.getMessage() + ")";
    }
  }

  private Path pidFile() {
    return dir.resolve("run/master.pid");
  }

  /** The master's pid from its pid file, 0 while there is none (yet). */
  private long masterPid() {
    try {
      String text = Files.isRegularFile(pidFile()) ? Files.readString(pidFile()).trim() : "";
      return text.isEmpty() ? 0 : Long.parseLong(text);
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  /** Forgets the master pid read at start, as when the pid file came too late: for the fixture's own test. */
  void forgetPid() {
    pid = 0;
  }

  /**
   * Ends the instance by its master pid and deletes its directory. A pid not read at start (the
   * file came late) is read now, so no master is left running. It KILLs rather than TERMs: the
   * directory goes next, so nothing needs a clean shutdown, and a TERMed master waits a second or
   * more for its log process (several under load), paid by every test class.
   */
  public synchronized void stop() {
    stop(false);
  }

  /**
   * As {@link #stop()}, but {@code rm -rf} deletes the directory in the background (and goes on
   * should the JVM exit first): a test class's instance, whose next class need not wait seconds
   * for a corpus's files to go.
   */
  synchronized void stopDeletingInBackground() {
    stop(true);
  }

  private void stop(boolean inBackground) {
    RUNNING.remove(this);
    endMaster(true);
    if (Boolean.getBoolean("dovecot.keep")) {
      System.err.println("dovecot.keep: left " + dir);
      return;
    }
    deleteTree(dir, inBackground);
  }

  /** Ends the master and its processes: with {@code kill} at once, else TERM (KILL after 15 s). */
  private void endMaster(boolean kill) {
    if (pid <= 0) {
      pid = masterPid();
    }
    if (pid > 0) {
      Optional<ProcessHandle> master = ProcessHandle.of(pid);
      // Its imap processes may outlive it for a moment and keep serving logged-in sessions: a
      // halted instance must serve nothing, so they are ended too. Any it forks after this list
      // end themselves when they find the master gone.
      List<ProcessHandle> children = master.map(h -> h.descendants().toList()).orElse(List.of());
      master.ifPresent(kill ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
      if (!kill && !awaitEnded(master.stream().toList())) {
        master.ifPresent(ProcessHandle::destroyForcibly);
      }
      children.forEach(ProcessHandle::destroyForcibly);
      // Still there after 15 s: the next command on their connections fails all the same.
      awaitEnded(Stream.concat(master.stream(), children.stream()).toList());
      pid = 0;
    }
  }

  /**
   * Whether {@code processes} ended within 15 s. Polled finely: they are not this JVM's children,
   * and {@link ProcessHandle#onExit()} polls those at 300 ms and more.
   */
  private static boolean awaitEnded(List<ProcessHandle> processes) {
    try {
      Awaitility.await().atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
          .until(() -> processes.stream().noneMatch(DovecotServer::running));
      return true;
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      return false;
    }
  }

  /**
   * Whether a process still runs. An ended one is a zombie until init reaps it, a second or more
   * here, and {@link ProcessHandle#isAlive()} counts it alive; it holds no files or ports.
   */
  static boolean running(ProcessHandle p) {
    if (!p.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false; // reaped meanwhile
    }
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * {@code rm -rf}: a Dovecot that held a corpus leaves some 10,000 files, seconds to delete here,
   * which rm does faster than a walk from Java. {@link #stop()} waits for it: the bench's second
   * phase must not share the disk with the first phase's deletion.
   */
  private static void deleteTree(Path root, boolean inBackground) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      ProcessBuilder rm = new ProcessBuilder("rm", "-rf", "--", root.toString()).redirectErrorStream(true);
      if (inBackground) {
        rm.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return;
      }
      Process p = rm.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException("rm -rf exited " + p.exitValue() + ": " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the test Dovecot directory " + root, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while deleting the test Dovecot directory " + root, e);
    }
  }

  private static int[] freePorts(int n) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        held.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }
}
