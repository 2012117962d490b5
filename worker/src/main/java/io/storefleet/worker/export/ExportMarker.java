package io.storefleet.worker.export;

import io.storefleet.protocol.codec.Json;
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
import java.util.List;

/**
 * What makes a backup path an export: {@code storefleet-export.json} at its root, written once
 * when the export starts. It names the server and the instant, the selection, and the accounts
 * the export is to hold, so that a stopped export resumes with exactly the accounts it started
 * with.
 *
 * @param format always {@link #FORMAT}
 * @param version always {@link #VERSION}
 * @param server the exported server
 * @param startedAt when the export started (its instant T; a resumed export keeps it)
 * @param domains the domains asked for, lower case, or {@code all}
 * @param coses the classes of service asked for, lower case, or {@code all}
 * @param skipItems whether only provisioning is exported
 * @param seq the server's journal position when the accounts were chosen
 * @param accounts the ids of the accounts to export, in export order
 */
public record ExportMarker(
    String format,
    int version,
    String server,
    Instant startedAt,
    List<String> domains,
    List<String> coses,
    boolean skipItems,
    long seq,
    List<String> accounts) {
  public static final String FORMAT = "storefleet-export";
  public static final int VERSION = 1;
  public static final String FILE = "storefleet-export.json";

  public ExportMarker {
    domains = List.copyOf(domains);
    coses = List.copyOf(coses);
    accounts = List.copyOf(accounts);
  }

  static ExportMarker of(String server, Instant startedAt, ExportSelection sel, long seq, List<String> accounts) {
    return new ExportMarker(FORMAT, VERSION, server, startedAt, sel.domainsAsked(), sel.cosesAsked(), sel.skipItems(),
        seq, accounts);
  }

  /** The marker of an export path, or null when {@code root} holds none. */
  public static ExportMarker read(Path root) throws IOException {
    Path f = root.resolve(FILE);
    if (!Files.exists(f)) {
      return null;
    }
    ExportMarker m;
    try {
      m = Json.decode(Files.readString(f), ExportMarker.class);
    } catch (RuntimeException e) {
      throw new IOException(f + " is not a storefleet export marker: " + e.getMessage(), e);
    }
    if (!FORMAT.equals(m.format()) || m.version() != VERSION) {
      throw new IOException(f + " has format '" + m.format() + "' version " + m.version()
          + ", which this storefleet cannot read (it reads " + FORMAT + " version " + VERSION + ")");
    }
    return m;
  }

  /** Whether the export in {@code root} ran to its end (its progress log says so). */
  public static boolean finished(Path root) throws IOException {
    return ExportLog.finishedEntry(ExportLog.read(root)) != null;
  }

  /** Whether a request with this selection continues this export. */
  boolean sameSelection(ExportSelection sel) {
    return domains.equals(sel.domainsAsked()) && coses.equals(sel.cosesAsked()) && skipItems == sel.skipItems();
  }

  String describeSelection() {
    return "domains " + String.join(",", domains) + ", cos " + String.join(",", coses)
        + (skipItems ? ", skip_items true" : "");
  }

  /** Writes the marker so that it is either absent or whole: temp file, sync, rename, sync folder. */
  void write(Path root) throws IOException {
    Path target = root.resolve(FILE);
    Path tmp = Files.createTempFile(root, ".tmp-", "");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(Json.encode(this).getBytes(StandardCharsets.UTF_8));
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    AppendLog.syncDirectory(root);
  }
}
