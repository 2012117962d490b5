package io.storefleet.worker.config;

import io.storefleet.fabric.config.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Which mail store the worker serves.
 *
 * @param kind {@code local} (the embedded store in the data dir) or {@code imap} (a Dovecot server)
 * @param imap the IMAP settings when {@code kind} is imap, else null
 */
public record StoreConfig(String kind, ImapStoreConfig imap) {
  public static final String LOCAL = "local";
  public static final String IMAP = "imap";

  /** The settings keys this record reads. */
  public static final List<String> KEYS = List.of(
      "store.kind", "store.imapHost", "store.imapPort", "store.imapTls", "store.imapTrustedCertificates",
      "store.imapMasterUser", "store.imapMasterPasswordFile", "store.doveadmUrl", "store.doveadmPasswordFile",
      "store.maxConnections", "store.usersFile", "store.accountCacheSeconds", "store.imapChangeLog",
      "store.sweepSeconds", "store.imapLazyExpunge", "store.keptSessions",
      "store.viewNamespaces");

  public StoreConfig {
    if (!LOCAL.equals(kind) && !IMAP.equals(kind)) {
      throw new IllegalArgumentException("setting store.kind is '" + kind + "'; give local or imap");
    }
    if (IMAP.equals(kind) && imap == null) {
      throw new IllegalArgumentException("store.kind=imap needs the store.imap* settings");
    }
  }

  /** The embedded store. */
  public static StoreConfig local() {
    return new StoreConfig(LOCAL, null);
  }

  /** The store settings; {@code store.kind} defaults to local. */
  public static StoreConfig from(Settings s) {
    String kind = s.get("store.kind", LOCAL).trim().toLowerCase(Locale.ROOT);
    if (!IMAP.equals(kind)) {
      return new StoreConfig(kind, null);
    }
    String tlsName = s.get("store.imapTls", "starttls").trim().toUpperCase(Locale.ROOT);
    ImapStoreConfig.Tls tls;
    try {
      tls = ImapStoreConfig.Tls.valueOf(tlsName);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("setting store.imapTls is '" + tlsName.toLowerCase(Locale.ROOT)
          + "'; give none, starttls or implicit");
    }
    int defaultPort = tls == ImapStoreConfig.Tls.IMPLICIT ? 993 : 143;
    ImapStoreConfig imap = new ImapStoreConfig(
        s.required("store.imapHost"),
        s.getInt("store.imapPort", defaultPort),
        tls,
        path(s.get("store.imapTrustedCertificates", "")),
        s.required("store.imapMasterUser"),
        Path.of(s.required("store.imapMasterPasswordFile")),
        uri(s.required("store.doveadmUrl")),
        Path.of(s.required("store.doveadmPasswordFile")),
        s.getInt("store.maxConnections", 4),
        path(s.get("store.usersFile", "")),
        Duration.ofSeconds(s.getInt("store.accountCacheSeconds", 60)),
        path(s.get("store.imapChangeLog", "")),
        Duration.ofSeconds(s.getInt("store.sweepSeconds", (int) ImapStoreConfig.DEFAULT_SWEEP.toSeconds())),
        blankToNull(s.get("store.imapLazyExpunge", "")),
        s.getInt("store.keptSessions", ImapStoreConfig.DEFAULT_KEPT_SESSIONS),
        list(s.get("store.viewNamespaces", "")));
    // Read now so that a missing or group-readable password file is a settings error (exit 64).
    SecretFile.read("store.imapMasterPasswordFile", imap.masterPasswordFile());
    SecretFile.read("store.doveadmPasswordFile", imap.doveadmPasswordFile());
    return new StoreConfig(IMAP, imap);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static List<String> list(String value) {
    return value == null ? List.of()
        : java.util.Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
  }

  private static Path path(String value) {
    return value == null || value.isBlank() ? null : Path.of(value.trim());
  }

  private static URI uri(String value) {
    try {
      return new URI(value.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("setting store.doveadmUrl is not a URL: " + e.getMessage()
          + "; give e.g. http://127.0.0.1:8080/doveadm/v1");
    }
  }
}
