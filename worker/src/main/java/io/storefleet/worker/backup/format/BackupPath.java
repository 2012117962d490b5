package io.storefleet.worker.backup.format;

import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.log.AppendLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a server's backup lives, and the one place its layout is spelled out (see
 * docs/backup-format.md). Opening checks the format marker: a reader refuses a version it does not
 * know rather than misreading it.
 */
public final class BackupPath {
  public static final String FORMAT = "storefleet-backup";
  public static final int VERSION = 4;
  /**
   * The version before scan positions: a version-3 path is a valid version-4 path without them,
   * so it is taken over and its marker says 4 from then on (a version-3 reader would not know the
   * new record).
   */
  static final int UPGRADED_IN_PLACE = 3;
  public static final String MARKER = "storefleet-backup.json";

  private final Path root;
  private final String serverId;

  private BackupPath(Path root, String serverId) {
    this.root = root;
    this.serverId = serverId;
  }

  /** Opens a backup path, creating it for {@code serverId} if empty, refusing unknown formats. */
  public static BackupPath open(Path root, String serverId) throws IOException {
    return open(root, serverId, true);
  }

  /**
   * @param write whether the caller will write the path: only a writer creates one or takes a
   *     version-3 path over (a reader reads version 3 as it is)
   */
  private static BackupPath open(Path root, String serverId, boolean write) throws IOException {
    if (write) {
      Files.createDirectories(root);
    }
    Path marker = root.resolve(MARKER);
    if (Files.exists(marker)) {
      var tree = Json.MAPPER.readTree(Files.readString(marker));
      int version = tree.path("version").asInt(-1);
      if (FORMAT.equals(tree.path("format").asText()) && version == UPGRADED_IN_PLACE) {
        if (write) {
          ((com.fasterxml.jackson.databind.node.ObjectNode) tree).put("version", VERSION);
          writeAtomically(marker, Json.encode(tree).getBytes(StandardCharsets.UTF_8));
        }
        version = VERSION;
      }
      if (!FORMAT.equals(tree.path("format").asText()) || version != VERSION) {
        throw ErrorCode.CONFLICT.exception(
            "backup path " + root + " has format '" + tree.path("format").asText() + "' version " + version
                + ", which this storefleet cannot read (it reads " + FORMAT + " version " + VERSION
                + "). Use a matching storefleet, or start a new backup path (a SmartScan fills it) and keep"
                + " this one until its retention has passed", serverId);
      }
      String owner = tree.path("server").asText(serverId);
      return new BackupPath(root, owner);
    }
    try (var entries = Files.list(root)) {
      if (entries.anyMatch(p -> !p.getFileName().toString().startsWith("."))) {
        throw ErrorCode.CONFLICT.exception(
            "backup path " + root + " is not empty and has no " + MARKER + "; it is not a storefleet backup."
                + " Give an empty folder or an existing storefleet backup path", serverId);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("version", VERSION);
    m.put("server", serverId);
    m.put("created", Instant.now().toString());
    writeAtomically(marker, Json.encode(m).getBytes(StandardCharsets.UTF_8));
    return new BackupPath(root, serverId);
  }

  /** Opens this server's own backup path: one that another server's marker names is refused. */
  public static BackupPath openOwn(Path root, String serverId) throws IOException {
    BackupPath p = open(root, serverId);
    if (!p.serverId.equals(serverId)) {
      throw ErrorCode.CONFLICT.exception("backup path " + root + " belongs to server " + p.serverId
          + ", not " + serverId + "; two servers must never write one backup path. Set server.backupPath"
          + " to a path of this server's own", serverId);
    }
    return p;
  }

  /** Opens an existing backup path only; never creates one. */
  public static BackupPath openExisting(Path root, String serverId) throws IOException {
    return openExisting(root, serverId, true);
  }

  /** Opens an existing backup path to read it: its marker is not rewritten, even for version 3. */
  public static BackupPath openExistingForReading(Path root, String serverId) throws IOException {
    return openExisting(root, serverId, false);
  }

  private static BackupPath openExisting(Path root, String serverId, boolean write) throws IOException {
    if (!Files.exists(root.resolve(MARKER))) {
      throw ErrorCode.NOT_FOUND.exception(
          root + " is not a storefleet backup path (no " + MARKER + "); give the folder that holds it", serverId);
    }
    return open(root, serverId, write);
  }

  public Path root() {
    return root;
  }

  /** The server this backup belongs to. */
  public String serverId() {
    return serverId;
  }

  public Path packsDir() {
    return root.resolve("blobs").resolve("packs");
  }

  Path dictionariesDir() {
    return root.resolve("blobs").resolve("dictionaries");
  }

  public Path blobIndex() {
    return root.resolve("blobs").resolve("index.log");
  }

  public Path accountsDir() {
    return root.resolve("accounts");
  }

  public Path accountDir(String accountId) {
    return accountsDir().resolve(accountId);
  }

  public Path itemsLog(String accountId) {
    return accountDir(accountId).resolve("items.log");
  }

  public Path accountLog(String accountId) {
    return accountDir(accountId).resolve("account.log");
  }

  public Path serverDir() {
    return root.resolve("server");
  }

  public Path provisioningLog() {
    return serverDir().resolve("provisioning.log");
  }

  public Path configLog() {
    return serverDir().resolve("config.log");
  }

  public Path scanLog() {
    return serverDir().resolve("scans.log");
  }

  Path realtimeCursor() {
    return serverDir().resolve("realtime.log");
  }

  /** Dumps written by doBackupLDAP, doBackupServerCustomizations and doBackupCluster. */
  Path dumpsDir(String kind) {
    return serverDir().resolve(kind);
  }

  Path quarantineDir() {
    return root.resolve("quarantine");
  }

  /** Writes a whole file so that it is either absent or complete: temp file, sync, rename, sync dir. */
  static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(target.getParent(), ".tmp-", "");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    AppendLog.syncDirectory(target.getParent());
  }
}
