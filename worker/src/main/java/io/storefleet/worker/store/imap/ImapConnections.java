package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.config.ImapStoreConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.util.MailLogger;

/**
 * Opens IMAP sessions as {@code <account>*<master>}, caps how many are in use at once, so a scan
 * never takes more connections than the site allows, and keeps idle ones for reuse
 * ({@link SessionPool}): a login costs more than the rest of an unchanged mailbox's pass. A kept
 * session idle for a while is checked (UNSELECT or NOOP) before reuse (the server may have closed it); a
 * dead one is replaced by a new login. Sessions are logged out on a thread of their own, which
 * also closes idle ones gone stale every minute. A server that cannot be reached or refuses the
 * login is an indefinite IO_ERROR naming the server and the reason.
 */
final class ImapConnections {
  private static final Logger LOG = Logger.getLogger(ImapConnections.class.getName());
  /** What the store cannot work without; each names the Dovecot setting that provides it. */
  private static final List<String[]> REQUIRED = List.of(
      new String[] {"UIDPLUS", "a Dovecot 2.3 imap service"},
      new String[] {"MOVE", "a Dovecot 2.3 imap service"},
      new String[] {"CONDSTORE", "a Dovecot 2.3 imap service"},
      new String[] {"METADATA", "imap_metadata = yes and mail_attribute_dict"});

  /** Well below Dovecot's 30-minute idle timeout for logged-in clients. */
  static final Duration MAX_IDLE = Duration.ofMinutes(10);
  /** A session idle longer is checked before reuse; calls in a row (a scan's reads) are not. */
  private static final Duration CHECK_AFTER = Duration.ofSeconds(1);
  /** How long a command may wait for the server, and a call for a free connection. */
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);
  /** How often idle sessions are looked at, so an expired one is closed without waiting for a call. */
  private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
  /** How long closing the store waits for sessions being logged out. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private final ImapStoreConfig config;
  private final String masterPassword;
  private final SessionPool pool;
  private final Properties props = new Properties();
  private final ImapTraffic traffic = new ImapTraffic();
  private final ViewNamespaces views;
  /** Closes sessions off the callers' threads and sweeps idle ones ({@link #retire}, {@link #sweepIdle}). */
  private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "storefleet-imap-sessions");
    t.setDaemon(true);
    return t;
  });

  ImapConnections(ImapStoreConfig config, String masterPassword) {
    this(config, masterPassword, Clock.systemUTC());
  }

  /** {@code clock} times how long a session has been idle. */
  ImapConnections(ImapStoreConfig config, String masterPassword, Clock clock) {
    this.config = config;
    this.masterPassword = masterPassword;
    this.views = new ViewNamespaces(config.viewNamespaces(), server());
    this.pool = new SessionPool(config.maxConnections(), config.keptSessions(), MAX_IDLE, READ_TIMEOUT, clock);
    props.setProperty("mail.imap.connectiontimeout", "20000");
    props.setProperty("mail.imap.timeout", Long.toString(READ_TIMEOUT.toMillis()));
    if (config.tls() != ImapStoreConfig.Tls.NONE) {
      props.setProperty("mail.imap.ssl.checkserveridentity", "true");
      if (config.trustedCertificates() != null) {
        props.put("mail.imap.ssl.socketFactory", trustingSocketFactory(config));
      }
    }
    // Last: the closer's thread starts with its first task, so a bad setting above leaves no thread behind.
    closer.scheduleWithFixedDelay(this::sweepIdle, SWEEP_EVERY.toSeconds(), SWEEP_EVERY.toSeconds(), TimeUnit.SECONDS);
  }

  /** A piece of work on one session. */
  interface SessionCall<T> {
    T call(ImapSession session) throws ProtocolException;
  }

  ImapTraffic traffic() {
    return traffic;
  }

  /** The server, for messages. */
  String server() {
    return config.host() + ":" + config.port();
  }

  /**
   * Runs {@code work} on a session logged in as {@code account}: an idle one of that account if
   * there is one, else a new one, waiting while every connection is in use.
   */
  <T> T call(String account, SessionCall<T> work) {
    SessionPool.Lease lease;
    try {
      lease = pool.take(account);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ErrorCode.IO_ERROR.exception("interrupted while waiting for an IMAP connection to " + server());
    }
    ImapSession session = lease.session();
    // The slot is this call's from here: a failure to close or open a session must free it too.
    try {
      retire(lease.toClose());
      if (session != null && lease.idleFor().compareTo(CHECK_AFTER) > 0 && !alive(session)) {
        retire(List.of(session));
        session = null;
      }
      if (session == null) {
        session = open(account);
      }
    } catch (RuntimeException e) {
      if (session != null) {
        retire(List.of(session));
      }
      pool.discard(account);
      throw e;
    }
    boolean reusable = false;
    try {
      T result = work.call(session);
      reusable = true;
      return result;
    } catch (ProtocolException e) {
      throw ErrorCode.IO_ERROR.exception("IMAP server " + server() + " failed a command for " + account + ": "
          + e.getMessage());
    } catch (StorefleetException e) {
      // The store's own refusal (not found, bad value): the connection is fine.
      reusable = true;
      throw e;
    } finally {
      if (reusable) {
        retire(pool.give(account, session));
      } else {
        pool.discard(account);
        retire(List.of(session));
      }
    }
  }

  /**
   * Closes the sessions of a user who no longer exists (deleted from the userdb): the idle one now,
   * those in use when their call ends. A Dovecot process keeps the uid and home it logged in with.
   */
  void evict(String account) {
    retire(pool.evict(account));
  }

  /** Closes the sessions idle longer than {@link #MAX_IDLE}; run every minute by the closer thread. */
  void sweepIdle() {
    retire(pool.sweep());
  }

  /** How many sessions may be in use at once (store.maxConnections). */
  int maxConnections() {
    return config.maxConnections();
  }

  /** Logs out every idle session; sessions still in use are closed when their call ends. */
  void close() {
    closeEach(pool.drain());
    closer.shutdown();
    try {
      closer.awaitTermination(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How many idle sessions are kept, for tests. */
  int keptSessions() {
    return pool.idleCount();
  }

  /** Whether the server still answers on a kept session: it may have closed it meanwhile. */
  private static boolean alive(ImapSession session) {
    try {
      session.checkAlive();
      return true;
    } catch (ProtocolException e) {
      return false;
    }
  }

  /**
   * Closes sessions on the closer thread: a LOGOUT waits for the server, and a session the server
   * or the network dropped may wait the whole read timeout, which no caller should. After
   * {@link #close} they are closed here.
   */
  private void retire(List<ImapSession> sessions) {
    if (sessions.isEmpty()) {
      return;
    }
    try {
      closer.execute(() -> closeEach(sessions));
    } catch (RejectedExecutionException e) {
      closeEach(sessions);
    }
  }

  /** Closes each session, whatever the others do. */
  private void closeEach(Iterable<ImapSession> sessions) {
    for (ImapSession s : sessions) {
      try {
        s.close();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "closing an IMAP session to " + server() + " failed: " + e.getMessage(), e);
      }
    }
  }

  private ImapSession open(String account) {
    XGuidProtocol p;
    try {
      MailLogger logger = new MailLogger(ImapConnections.class, "DEBUG IMAP", false, System.out);
      p = new XGuidProtocol(config.host(), config.port(), props, config.tls() == ImapStoreConfig.Tls.IMPLICIT, logger,
          traffic);
    } catch (IOException | ProtocolException e) {
      throw ErrorCode.IO_ERROR.exception("IMAP server " + server() + " is unreachable (" + e.getMessage()
          + "); check store.imapHost and store.imapPort and that Dovecot runs");
    }
    try {
      if (config.tls() == ImapStoreConfig.Tls.STARTTLS) {
        p.startTLS();
      }
      p.login(account + "*" + config.masterUser(), masterPassword);
      for (String[] need : REQUIRED) {
        if (!p.hasCapability(need[0])) {
          throw ErrorCode.IO_ERROR.exception("IMAP server " + server() + " does not offer " + need[0]
              + "; the imap store needs it (" + need[1] + ")");
        }
      }
      return new ImapSession(p, views);
    } catch (CommandFailedException e) {
      p.disconnect();
      throw ErrorCode.IO_ERROR.exception("IMAP server " + server() + " refused the master login "
          + account + "*" + config.masterUser() + " (" + e.getMessage() + "); check the account exists and"
          + " store.imapMasterUser / store.imapMasterPasswordFile match Dovecot's master passdb");
    } catch (ProtocolException e) {
      p.disconnect();
      throw ErrorCode.IO_ERROR.exception("IMAP server " + server() + " failed the login of " + account + " ("
          + e.getMessage() + ")" + (config.tls() == ImapStoreConfig.Tls.STARTTLS ? "; STARTTLS is required by store.imapTls" : ""));
    } catch (StorefleetException e) {
      p.disconnect();
      throw e;
    }
  }

  private static javax.net.ssl.SSLSocketFactory trustingSocketFactory(ImapStoreConfig config) {
    Path pem = config.trustedCertificates();
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int n = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("trusted-" + n++, c);
      }
      if (n == 0) {
        throw new IllegalArgumentException("setting store.imapTrustedCertificates: " + pem
            + " holds no PEM certificate");
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      LOG.log(Level.FINE, "trusted certificates", e);
      throw new IllegalArgumentException("setting store.imapTrustedCertificates: cannot read " + pem
          + " as PEM certificates (" + e.getMessage() + ")");
    }
  }
}
