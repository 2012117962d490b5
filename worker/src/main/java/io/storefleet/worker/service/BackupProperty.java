package io.storefleet.worker.service;

import io.storefleet.protocol.error.ErrorCode;
import java.time.DayOfWeek;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The backup properties a server knows, with their vendor names, defaults and accepted values.
 * Names are matched case-insensitively; values are stored in canonical form.
 */
public enum BackupProperty {
  REALTIME_SCANNER("ZxBackup_RealTimeScanner", Kind.BOOLEAN, "true",
      "back up every change as it happens, following the store's change journal"),
  BLOBLESS_MODE("backupBloblessMode", Kind.BOOLEAN, "false",
      "back up item metadata only, without message content (blobs)"),
  DATA_RETENTION_DAYS("ZxBackup_DataRetentionDays", Kind.DAYS, "30",
      "days a deleted item stays in the backup before a purge removes it; 0 keeps it forever"),
  SCAN_SCHEDULING("ZxBackup_ScanScheduling", Kind.BOOLEAN, "true",
      "run a SmartScan every night and a purge once a week"),
  SMART_SCAN_TIME("ZxBackup_SmartScanTime", Kind.TIME, "04:00",
      "when the nightly SmartScan is queued, in the server's time zone"),
  PURGE_DAY("ZxBackup_PurgeDay", Kind.DAY, "sunday",
      "the day whose SmartScan is followed by the weekly purge; never for none"),
  DEST_PATH("ZxBackup_DestPath", Kind.READ_ONLY, null,
      "the server's backup path (server.backupPath in the worker's configuration)"),
  REMOTE_ENDPOINT("ZxBackup_RemoteEndpoint", Kind.URL, "none",
      "the S3-compatible endpoint of the off-site copy (storefleet); none: no off-site copy"),
  REMOTE_BUCKET("ZxBackup_RemoteBucket", Kind.WORD, "storefleet-backup",
      "the off-site copy's bucket (storefleet)"),
  REMOTE_PREFIX("ZxBackup_RemotePrefix", Kind.WORD, "storefleet",
      "the key prefix in the bucket; each server's copy is under <prefix>/<server>/ (storefleet)"),
  REMOTE_REGION("ZxBackup_RemoteRegion", Kind.WORD, "us-east-1",
      "the region the requests are signed for (storefleet)"),
  REMOTE_PATH_STYLE("ZxBackup_RemotePathStyle", Kind.BOOLEAN, "true",
      "address the bucket in the path (most S3-compatible servers) rather than the host name (storefleet)"),
  REMOTE_SECRETS_FILE("ZxBackup_RemoteSecretsFile", Kind.FILE, "none",
      "an owner-only file with the access key, the secret key and the passphrase (storefleet)"),
  REMOTE_PRUNE_SECRETS_FILE("ZxBackup_RemotePruneSecretsFile", Kind.FILE, "none",
      "an owner-only file with the access key and secret key allowed to delete, used only by doPruneRemoteBackup"
          + " (storefleet)"),
  REMOTE_CHECKSUM("ZxBackup_RemoteChecksum", Kind.CHECKSUM, "when_required",
      "when the S3 client adds its own checksums; when_required suits most S3-compatible servers (storefleet)"),
  REMOTE_BANDWIDTH("ZxBackup_RemoteBandwidthKBps", Kind.DAYS, "0",
      "upload bandwidth limit in KiB/s, 0 for none (storefleet)"),
  REMOTE_READ_BACK("ZxBackup_RemoteReadBackPercent", Kind.PERCENT, "5",
      "percent of the objects of each upload read back and checked, at least one (storefleet)"),
  NOTIFY_SMTP_HOST("ZxBackup_NotifySmtpHost", Kind.WORD, "none",
      "the SMTP relay notices are mailed through; none: notices are not mailed (storefleet)"),
  NOTIFY_SMTP_PORT("ZxBackup_NotifySmtpPort", Kind.PORT, "25",
      "the SMTP relay's port (storefleet)"),
  NOTIFY_SMTP_STARTTLS("ZxBackup_NotifySmtpStartTls", Kind.BOOLEAN, "true",
      "require STARTTLS with a verified certificate before mail is sent to the relay (storefleet)"),
  NOTIFY_SMTP_USER("ZxBackup_NotifySmtpUser", Kind.WORD, "none",
      "the login at the relay; none: no login (storefleet)"),
  NOTIFY_SMTP_PASSWORD_FILE("ZxBackup_NotifySmtpPasswordFile", Kind.FILE, "none",
      "an owner-only file whose first line is the relay login's password (storefleet)"),
  NOTIFY_SENDER("ZxBackup_NotifySender", Kind.ADDRESSES, "storefleet@localhost",
      "the From address of notices (storefleet)"),
  NOTIFY_WEBHOOKS("ZxBackup_NotifyWebhooks", Kind.URLS, "none",
      "URLs that receive every notice as signed JSON, comma-separated; none for none (storefleet)"),
  NOTIFY_WEBHOOK_SECRET_FILE("ZxBackup_NotifyWebhookSecretFile", Kind.FILE, "none",
      "an owner-only file whose first line is the secret webhooks are signed with (storefleet)"),
  NOTIFY_RECIPIENTS("ZxBackup_NotifyRecipients", Kind.ADDRESSES, "none",
      "addresses that get the notices of every operation of this server, comma-separated (storefleet)"),
  NOTIFY_EVENTS("ZxBackup_NotifyEvents", Kind.EVENTS, "failed,interrupted,stopped",
      "operation ends that are notified at once to ZxBackup_NotifyRecipients and the webhooks (storefleet)"),
  NOTIFY_DIGEST_TIME("ZxBackup_NotifyDigestTime", Kind.TIME_OR_NONE, "none",
      "when the daily digest of the other ends goes to ZxBackup_NotifyRecipients; none: no digest (storefleet)");

  /** What a property's values look like. */
  enum Kind {
    BOOLEAN("true|false"),
    DAYS("an integer >= 0"),
    TIME("HH:mm, from 00:00 to 23:59"),
    DAY("monday|tuesday|wednesday|thursday|friday|saturday|sunday|never"),
    URL("an http:// or https:// URL, or none"),
    WORD("a non-empty value without spaces"),
    FILE("an absolute path, or none"),
    CHECKSUM("when_required|when_supported"),
    PERCENT("an integer from 0 to 100"),
    PORT("an integer from 1 to 65535"),
    URLS("http:// or https:// URLs, comma-separated, or none"),
    ADDRESSES("mail addresses (name@domain), comma-separated, or none"),
    EVENTS("end states, comma-separated, of succeeded|failed|stopped|removed|interrupted, or none"),
    TIME_OR_NONE("HH:mm, from 00:00 to 23:59, or none"),
    READ_ONLY("read-only");

    private static final Pattern HH_MM = Pattern.compile("(\\d{1,2}):(\\d{2})");
    private final String expected;

    Kind(String expected) {
      this.expected = expected;
    }

    /** The canonical form of {@code raw}, or null when it is not a value of this kind. */
    String canonical(String raw) {
      String v = raw.strip();
      return switch (this) {
        case BOOLEAN -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false") ? v.toLowerCase(Locale.ROOT) : null;
        case DAYS -> days(v);
        case TIME -> time(v);
        case DAY -> v.equalsIgnoreCase("never") || day(v) != null ? v.toLowerCase(Locale.ROOT) : null;
        case URL -> v.equalsIgnoreCase("none") ? "none" : v.matches("https?://[^\\s/]+(/\\S*)?") ? v : null;
        case WORD -> v.isEmpty() || v.matches(".*\\s.*") ? null : v;
        case FILE -> v.equalsIgnoreCase("none") ? "none" : v.startsWith("/") && !v.matches(".*\\s.*") ? v : null;
        case CHECKSUM -> v.equalsIgnoreCase("when_required") || v.equalsIgnoreCase("when_supported")
            ? v.toLowerCase(Locale.ROOT) : null;
        case PERCENT -> days(v) != null && Integer.parseInt(days(v)) <= 100 ? days(v) : null;
        case PORT -> days(v) != null && Integer.parseInt(days(v)) >= 1 && Integer.parseInt(days(v)) <= 65535
            ? days(v) : null;
        case URLS -> list(v, "https?://[^\\s/,]+(/[^\\s,]*)?", false);
        case ADDRESSES -> list(v, "[^\\s@,]+@[^\\s@,]+", false);
        case EVENTS -> list(v, "succeeded|failed|stopped|removed|interrupted", true);
        case TIME_OR_NONE -> v.equalsIgnoreCase("none") ? "none" : time(v);
        case READ_ONLY -> null;
      };
    }

    /** A comma-separated list whose every element matches, canonical; none for the empty list. */
    private static String list(String v, String element, boolean lowerCase) {
      if (v.equalsIgnoreCase("none")) {
        return "none";
      }
      java.util.List<String> out = new java.util.ArrayList<>();
      for (String part : v.split(",", -1)) {
        String e = lowerCase ? part.strip().toLowerCase(Locale.ROOT) : part.strip();
        if (!e.matches(element)) {
          return null;
        }
        if (!out.contains(e)) {
          out.add(e);
        }
      }
      return String.join(",", out);
    }

    private static String days(String v) {
      if (!v.matches("\\d{1,9}")) {
        return null;
      }
      return Integer.toString(Integer.parseInt(v));
    }

    private static String time(String v) {
      Matcher m = HH_MM.matcher(v);
      if (!m.matches()) {
        return null;
      }
      int h = Integer.parseInt(m.group(1));
      int min = Integer.parseInt(m.group(2));
      return h < 24 && min < 60 ? String.format(Locale.ROOT, "%02d:%02d", h, min) : null;
    }
  }

  private final String canonicalName;
  private final Kind kind;
  private final String defaultValue;
  private final String about;

  BackupProperty(String canonicalName, Kind kind, String defaultValue, String about) {
    this.canonicalName = canonicalName;
    this.kind = kind;
    this.defaultValue = defaultValue;
    this.about = about;
  }

  /** The name as the vendor writes it. */
  public String canonicalName() {
    return canonicalName;
  }

  /** The value when neither the server nor the global layer sets one; null for read-only ones. */
  public String defaultValue() {
    return defaultValue;
  }

  public String about() {
    return about;
  }

  /** The accepted values, as error messages and listings show them. */
  public String expected() {
    return kind.expected;
  }

  public boolean readOnly() {
    return kind == Kind.READ_ONLY;
  }

  /** The canonical form of a value, or BAD_VALUE naming the accepted ones. */
  public String canonicalValue(String raw) {
    if (readOnly()) {
      throw ErrorCode.BAD_VALUE.exception(canonicalName + " is read-only: set server.backupPath in the"
          + " worker's configuration and restart");
    }
    String v = raw == null ? null : kind.canonical(raw);
    if (v == null) {
      throw ErrorCode.BAD_VALUE.exception(
          "'" + raw + "' is not a valid value of " + canonicalName + "; expected " + kind.expected);
    }
    return v;
  }

  /** A property by name, case-insensitive. */
  public static Optional<BackupProperty> find(String name) {
    if (name == null) {
      return Optional.empty();
    }
    return Arrays.stream(values()).filter(p -> p.canonicalName.equalsIgnoreCase(name.strip())).findFirst();
  }

  /** A property by name, or BAD_VALUE naming it and listing the known ones. */
  public static BackupProperty named(String name) {
    return find(name).orElseThrow(() -> ErrorCode.BAD_VALUE.exception(
        "unknown backup property '" + name + "'; known properties: " + knownNames()));
  }

  static String knownNames() {
    return Arrays.stream(values()).map(BackupProperty::canonicalName).collect(Collectors.joining(", "));
  }

  /** The day of a canonical {@link Kind#DAY} value, or null for {@code never}. */
  static DayOfWeek day(String v) {
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.name().equalsIgnoreCase(v)) {
        return d;
      }
    }
    return null;
  }
}
