package io.storefleet.worker.testing;

import static org.awaitility.Awaitility.await;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real SMTP server for tests: Debian's python3-aiosmtpd run by the system python3, storing
 * every message it accepts in a Maildir (with the envelope in X-MailFrom and X-RcptTo headers).
 * Where it is not installed, CI ({@code CI=true}) fails and a developer machine skips, naming
 * the install command.
 */
public final class SmtpSink implements AutoCloseable {
  static final String PYTHON = "/usr/bin/python3";
  static final String INSTALL = "deploy/smtp/install.sh (as root: apt-get install python3-aiosmtpd)";

  private final int port;
  private final Path maildir;
  private final Process process;

  private SmtpSink(int port, Path maildir, Process process) {
    this.port = port;
    this.maildir = maildir;
    this.process = process;
  }

  /** Fails in CI and aborts elsewhere when the sink cannot run here. */
  public static void requireAiosmtpd() throws Exception {
    boolean present = Files.isExecutable(Path.of(PYTHON))
        && new ProcessBuilder(PYTHON, "-c", "import aiosmtpd").redirectErrorStream(true).start().waitFor() == 0;
    MissingComponent.require(present, "python3-aiosmtpd is not installed for " + PYTHON + "; install it with " + INSTALL);
  }

  /** A port nothing listens on (a relay that is down), free when this returns. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Starts a sink on a free port, its Maildir under {@code dir}. */
  public static SmtpSink start(Path dir) throws Exception {
    return start(dir, freePort());
  }

  /** Starts a sink on {@code port}, its Maildir under {@code dir}; returns once it accepts connections. */
  public static SmtpSink start(Path dir, int port) throws Exception {
    requireAiosmtpd();
    // aiosmtpd's Mailbox handler makes the Maildir (tmp, new, cur) only when the folder is not there yet.
    Path maildir = Files.createDirectories(dir).resolve("maildir-" + port);
    Process p = new ProcessBuilder(PYTHON, "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + port,
        "-c", "aiosmtpd.handlers.Mailbox", maildir.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("aiosmtpd-" + port + ".log").toFile()).start();
    SmtpSink sink = new SmtpSink(port, maildir, p);
    try {
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
        if (!p.isAlive()) {
          throw new IllegalStateException("aiosmtpd exited with " + p.exitValue() + "; see " + dir);
        }
        return sink.accepting();
      });
    } catch (RuntimeException e) {
      sink.close();
      throw e;
    }
    return sink;
  }

  private boolean accepting() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public int port() {
    return port;
  }

  /** Every message received so far, oldest first. */
  public List<MimeMessage> messages() throws Exception {
    Path dir = maildir.resolve("new");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = new ArrayList<>(s.toList());
    }
    files.sort((a, b) -> {
      try {
        return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
      } catch (IOException e) {
        return 0;
      }
    });
    List<MimeMessage> out = new ArrayList<>();
    Session session = Session.getInstance(new Properties());
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        MimeMessage m = new MimeMessage(session, in);
        m.getContent(); // read it all while the stream is open
        out.add(m);
      }
    }
    return out;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
