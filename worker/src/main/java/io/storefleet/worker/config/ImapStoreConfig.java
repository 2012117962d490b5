package io.storefleet.worker.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a worker with {@code store.kind=imap} reaches its Dovecot server (docs/mailstores.md).
 *
 * @param host the IMAP server's host
 * @param port its IMAP port
 * @param tls how the connection is protected
 * @param trustedCertificates a PEM file with the certificates to trust (the server's CA or its own
 *     certificate), or null for the JVM's default trust
 * @param masterUser the Dovecot master user; the worker logs in as {@code <account>*<masterUser>}
 * @param masterPasswordFile an owner-only file holding the master user's password
 * @param doveadmUrl the doveadm HTTP API, e.g. {@code http://127.0.0.1:8080/doveadm/v1}
 * @param doveadmPasswordFile an owner-only file holding {@code doveadm_password}
 * @param maxConnections how many IMAP connections the worker uses at once; keep it below
 *     Dovecot's {@code mail_max_userip_connections}
 * @param usersFile the passwd-file userdb the worker provisions accounts in, or null when accounts
 *     are provisioned elsewhere (LDAP, SQL)
 * @param accountCacheTtl how long the account list read through doveadm is reused
 * @param changeLog the file Dovecot writes its info log to ({@code info_log_path}), whose
 *     {@code mail_log} lines tell which users' mail changed; null to rely on the sweep alone
 * @param sweepEvery how often every mailbox's status is compared with the id maps ({@code doveadm
 *     mailbox status -A})
 * @param lazyExpungeMailbox the mailbox Dovecot's lazy_expunge plugin copies expunged messages to
 *     ({@code plugin { lazy_expunge = … }}), never an account's folder, read for the content of
 *     expunged messages; null when the site does not enable it
 * @param keptSessions how many idle logged-in sessions (one per account, the least recently used
 *     closed first) are kept besides those in use, so that an account changed again is not
 *     logged into again; 0 logs out after every call
 * @param viewNamespaces prefixes of personal namespaces that show views of mail held elsewhere
 *     (a virtual plugin's, e.g. {@code Virtual/}), never scanned as the account's own mail; every
 *     other personal namespace is (docs/mailstores.md)
 */
public record ImapStoreConfig(
    String host,
    int port,
    Tls tls,
    Path trustedCertificates,
    String masterUser,
    Path masterPasswordFile,
    URI doveadmUrl,
    Path doveadmPasswordFile,
    int maxConnections,
    Path usersFile,
    Duration accountCacheTtl,
    Path changeLog,
    Duration sweepEvery,
    String lazyExpungeMailbox,
    int keptSessions,
    List<String> viewNamespaces) {

  /** The default time between two sweeps. */
  public static final Duration DEFAULT_SWEEP = Duration.ofMinutes(5);
  /** The default number of idle sessions kept. */
  public static final int DEFAULT_KEPT_SESSIONS = 16;

  /** Settings without view namespaces. */
  public ImapStoreConfig(String host, int port, Tls tls, Path trustedCertificates, String masterUser,
      Path masterPasswordFile, URI doveadmUrl, Path doveadmPasswordFile, int maxConnections, Path usersFile,
      Duration accountCacheTtl, Path changeLog, Duration sweepEvery, String lazyExpungeMailbox, int keptSessions) {
    this(host, port, tls, trustedCertificates, masterUser, masterPasswordFile, doveadmUrl, doveadmPasswordFile,
        maxConnections, usersFile, accountCacheTtl, changeLog, sweepEvery, lazyExpungeMailbox, keptSessions, List.of());
  }

  /** Settings keeping {@link #DEFAULT_KEPT_SESSIONS} idle sessions. */
  public ImapStoreConfig(String host, int port, Tls tls, Path trustedCertificates, String masterUser,
      Path masterPasswordFile, URI doveadmUrl, Path doveadmPasswordFile, int maxConnections, Path usersFile,
      Duration accountCacheTtl, Path changeLog, Duration sweepEvery, String lazyExpungeMailbox) {
    this(host, port, tls, trustedCertificates, masterUser, masterPasswordFile, doveadmUrl, doveadmPasswordFile,
        maxConnections, usersFile, accountCacheTtl, changeLog, sweepEvery, lazyExpungeMailbox, DEFAULT_KEPT_SESSIONS,
        List.of());
  }

  /** Settings without a change log, sweeping every {@link #DEFAULT_SWEEP}. */
  public ImapStoreConfig(String host, int port, Tls tls, Path trustedCertificates, String masterUser,
      Path masterPasswordFile, URI doveadmUrl, Path doveadmPasswordFile, int maxConnections, Path usersFile,
      Duration accountCacheTtl) {
    this(host, port, tls, trustedCertificates, masterUser, masterPasswordFile, doveadmUrl, doveadmPasswordFile,
        maxConnections, usersFile, accountCacheTtl, null, DEFAULT_SWEEP, null, DEFAULT_KEPT_SESSIONS, List.of());
  }

  /** How the IMAP connection is protected. */
  public enum Tls {
    /** Plain text: only for a server on loopback or a private link. */
    NONE,
    /** Plain connect, then STARTTLS before the login (required to succeed). */
    STARTTLS,
    /** TLS from the first byte (imaps, usually port 993). */
    IMPLICIT
  }

  public ImapStoreConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("setting store.imapHost is required with store.kind=imap");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("setting store.imapPort is " + port + "; give a TCP port from 1 to 65535");
    }
    if (masterUser == null || masterUser.isBlank() || masterUser.contains("*")) {
      throw new IllegalArgumentException("setting store.imapMasterUser must name the Dovecot master user (without '*'),"
          + " got '" + masterUser + "'");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("setting store.maxConnections is " + maxConnections
          + "; give 1 or more (below Dovecot's mail_max_userip_connections)");
    }
    if (keptSessions < 0) {
      throw new IllegalArgumentException("setting store.keptSessions is " + keptSessions
          + "; give 0 (log out after every call) or more idle sessions to keep");
    }
    if (doveadmUrl == null || !("http".equals(doveadmUrl.getScheme()) || "https".equals(doveadmUrl.getScheme()))) {
      throw new IllegalArgumentException("setting store.doveadmUrl must be the doveadm HTTP API URL,"
          + " e.g. http://127.0.0.1:8080/doveadm/v1, got '" + doveadmUrl + "'");
    }
    if (sweepEvery == null || sweepEvery.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("setting store.sweepSeconds is " + (sweepEvery == null ? "missing"
          : sweepEvery.toSeconds()) + "; give 1 or more seconds between two sweeps of every mailbox's status");
    }
    viewNamespaces = viewNamespaces == null ? List.of() : List.copyOf(viewNamespaces);
    for (String prefix : viewNamespaces) {
      // A prefix without its separator would also match sibling names ("Virtual" matches "Virtually").
      if (prefix.isEmpty() || !(prefix.endsWith("/") || prefix.endsWith("."))) {
        throw new IllegalArgumentException("setting store.viewNamespaces names '" + prefix + "'; give each view"
            + " namespace's prefix as NAMESPACE lists it, ending in its separator, e.g. Virtual/");
      }
    }
  }
}
