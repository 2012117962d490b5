package io.storefleet.worker.backup;

import com.github.luben.zstd.Zstd;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.log.AppendLog;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A server's backup path (format version 1, first form):
 *
 * <pre>
 * storefleet-backup.json            format marker: {"format":"storefleet-backup","version":1,...}
 * blobs/ab/&lt;sha256&gt;.zst           item contents, zstd, named by the SHA-256 of the raw bytes
 * accounts/&lt;accountId&gt;/items.log   every state of every item (AppendLog of ItemState JSON)
 * accounts/&lt;accountId&gt;/account.log account snapshots (AppendLog of AccountSnapshot JSON)
 * server/provisioning.log           domain, COS and list snapshots (AppendLog)
 * </pre>
 *
 * Blobs are written (temp file, sync, rename) before the metadata that names them, so a
 * committed metadata record never points at a missing blob.
 */
public final class BackupPath {
  static final String FORMAT = "storefleet-backup";
  static final int VERSION = 1;

  private final Path root;

  private BackupPath(Path root) {
    this.root = root;
  }

  /** Opens a backup path, creating it for {@code serverId} if empty, refusing unknown versions. */
  public static BackupPath open(Path root, String serverId) throws IOException {
    Files.createDirectories(root);
    Path marker = root.resolve("storefleet-backup.json");
    if (Files.exists(marker)) {
      var tree = Json.MAPPER.readTree(Files.readString(marker));
      int version = tree.path("version").asInt(-1);
      if (!FORMAT.equals(tree.path("format").asText()) || version != VERSION) {
        throw ErrorCode.CONFLICT.exception(
            "backup path " + root + " has format " + tree.path("format").asText() + " version " + version
                + ", which this storefleet cannot read (it reads " + FORMAT + " version " + VERSION
                + "); use a matching storefleet or another backup path", serverId);
      }
    } else {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("format", FORMAT);
      m.put("version", VERSION);
      m.put("server", serverId);
      m.put("created", Instant.now().toString());
      writeAtomically(marker, Json.encode(m).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return new BackupPath(root);
  }

  public Path root() {
    return root;
  }

  Path blobFile(String digest) {
    return root.resolve("blobs").resolve(digest.substring(0, 2)).resolve(digest + ".zst");
  }

  boolean hasBlob(String digest) {
    return Files.exists(blobFile(digest));
  }

  /** Stores a blob unless present; returns the compressed size written, 0 when it was there. */
  long putBlob(String digest, byte[] raw) throws IOException {
    Path f = blobFile(digest);
    if (Files.exists(f)) {
      return 0;
    }
    byte[] z = Zstd.compress(raw, 3);
    writeAtomically(f, z);
    return z.length;
  }

  /** A blob's raw content. */
  public byte[] readBlob(String digest) throws IOException {
    byte[] z = Files.readAllBytes(blobFile(digest));
    long size = Zstd.getFrameContentSize(z);
    return Zstd.decompress(z, (int) size);
  }

  AppendLog itemsLog(String accountId) throws IOException {
    return AppendLog.open(root.resolve("accounts").resolve(accountId).resolve("items.log"));
  }

  AppendLog accountLog(String accountId) throws IOException {
    return AppendLog.open(root.resolve("accounts").resolve(accountId).resolve("account.log"));
  }

  AppendLog provisioningLog() throws IOException {
    return AppendLog.open(root.resolve("server").resolve("provisioning.log"));
  }

  static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(target.getParent(), ".tmp-", "");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    AppendLog.syncDirectory(target.getParent());
  }
}
