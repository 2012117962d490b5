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
import java.util.Comparator;
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
 * provisioning adapter owns), maildir, a master user, METADATA, ACL and the notify plugins.
 * {@link #stop()} ends it by its master pid and deletes its directory; instances still running when
 * the JVM exits (a test that never stopped its instance, an interrupted run) are stopped then.
 */
public final class DovecotServer implements AutoCloseable {
  /** The mail uid the instance's mail files belong to; it needs no passwd entry. */
  static final int MAIL_UID = 5000;
  static final String MASTER = "backup";
  /** Where lazy_expunge keeps expunged messages when enabled. */
  public static final String LAZY_EXPUNGE_MAILBOX = "EXPUNGED";
  private static final Set<DovecotServer> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(RUNNING).forEach(DovecotServer::stop),
        "dovecot-test-stop"));
  }

  private final Path dir;
  private final int imapPort;
  private final int httpPort;
  private final int imapsPort;
  private final String masterPassword = UUID.randomUUID().toString();
  private final String doveadmPassword = UUID.randomUUID().toString();
  private boolean lazyExpunge;
  private long pid;

  private DovecotServer(Path dir, int imapPort, int httpPort, int imapsPort) {
    this.dir = dir;
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
      try {
        return startOnFreePorts(tls, lazyExpunge);
      } catch (IOException e) {
        // The free ports are only free when picked: another process on a shared machine may take
        // one before Dovecot binds it. New ports are picked for the next attempt.
        if (attempt == 3 || !String.valueOf(e.getMessage()).contains("Address already in use")) {
          throw e;
        }
      }
    }
  }

  private static DovecotServer startOnFreePorts(boolean tls, boolean lazyExpunge) throws IOException {
    Path binary = binary().orElseThrow(() -> new IllegalStateException(
        "dovecot is not installed; run deploy/dovecot/install.sh as root"));
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "sfdc");
    int[] ports = freePorts(3);
    DovecotServer server = new DovecotServer(dir, ports[0], ports[1], tls ? ports[2] : 0);
    server.lazyExpunge = lazyExpunge;
    RUNNING.add(server);
    try {
      if (tls) {
        server.makeCertificate();
      }
      server.writeFiles();
      server.launch(binary);
      return server;
    } catch (IOException | RuntimeException e) {
      server.stop();
      throw e;
    }
  }

  private void writeFiles() throws IOException {
    // Dovecot's auth process (user dovecot) must reach the users and masters files.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String sub : List.of("run", "state", "log", "mail", "shared")) {
      Files.createDirectories(dir.resolve(sub));
    }
    Files.writeString(usersFile(), "");
    Files.writeString(dir.resolve("masters"), MASTER + ":{PLAIN}" + masterPassword + "::::::\n");
    Path secret = masterPasswordFile();
    Files.writeString(secret, masterPassword + "\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Path key = doveadmPasswordFile();
    Files.writeString(key, doveadmPassword + "\n");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    String conf;
    try (InputStream in = DovecotServer.class.getResourceAsStream("/dovecot/dovecot.conf.template")) {
      if (in == null) {
        throw new IOException("dovecot/dovecot.conf.template is missing from the test resources");
      }
      conf = new String(in.readAllBytes(), StandardCharsets.UTF_8);
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
    chown(dir.resolve("mail"));
    chown(dir.resolve("shared"));
  }

  private static void chown(Path p) throws IOException {
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
        .until(() -> masterPid() > 0);
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
    endMaster();
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
   * Ends the instance by its master pid (TERM, then KILL after 15 s) and deletes its directory. A
   * pid not read at start (the file came late) is read now, so no master is left running.
   */
  public synchronized void stop() {
    RUNNING.remove(this);
    endMaster();
    if (Boolean.getBoolean("dovecot.keep")) {
      System.err.println("dovecot.keep: left " + dir);
      return;
    }
    deleteTree(dir);
  }

  private void endMaster() {
    if (pid <= 0) {
      pid = masterPid();
    }
    if (pid > 0) {
      Optional<ProcessHandle> master = ProcessHandle.of(pid);
      master.ifPresent(ProcessHandle::destroy);
      master.ifPresent(h -> {
        try {
          h.onExit().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
          h.destroyForcibly();
        }
      });
      pid = 0;
    }
  }

  @Override
  public void close() {
    stop();
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the test Dovecot directory " + root, e);
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
