package io.storefleet.worker.backup.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.Zstd;
import io.storefleet.protocol.codec.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Whole-state dumps kept beside the logs: the provisioning ({@code ldap}), the server's own
 * configuration files ({@code customizations}) and the cluster's member list ({@code cluster}).
 * Each is one zstd-compressed JSON file named by kind and time, written atomically.
 */
public final class ServerDumps {
  public static final List<String> KINDS = List.of("ldap", "customizations", "cluster");
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** One dump file. */
  public record Dump(String kind, Path file, Instant at, long size) {}

  private final BackupPath path;

  public ServerDumps(BackupPath path) {
    this.path = path;
  }

  public Dump write(String kind, Object content, Instant at) throws IOException {
    byte[] json = Json.encode(content).getBytes(StandardCharsets.UTF_8);
    Path file = path.dumpsDir(kind).resolve(kind + "_" + STAMP.format(at) + ".json.zst");
    BackupPath.writeAtomically(file, Zstd.compress(json, BlobCodec.LEVEL));
    return new Dump(kind, file, at, Files.size(file));
  }

  /** The dumps of a kind, oldest first. */
  /** Deletes a dump (purge: past the retention, and not the newest of its kind). */
  public void delete(Dump d) throws IOException {
    Files.delete(d.file());
  }

  public List<Dump> list(String kind) throws IOException {
    Path dir = path.dumpsDir(kind);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Dump> out = new ArrayList<>();
    try (var s = Files.list(dir)) {
      for (Path f : s.filter(p -> p.getFileName().toString().endsWith(".json.zst")).sorted().toList()) {
        Instant at = timeOf(f);
        if (at != null) {
          out.add(new Dump(kind, f, at, Files.size(f)));
        }
      }
    }
    return out;
  }

  public static JsonNode read(Path file) throws IOException {
    byte[] z = Files.readAllBytes(file);
    long size = Zstd.getFrameContentSize(z);
    if (size <= 0 || size > Integer.MAX_VALUE) {
      throw new IOException(file + " is not a storefleet dump (no zstd frame size)");
    }
    return Json.MAPPER.readTree(Zstd.decompress(z, (int) size));
  }

  /** The time in a dump's name, or null for a file that is not a dump. */
  static Instant timeOf(Path file) {
    String name = file.getFileName().toString();
    int us = name.indexOf('_');
    int dot = name.indexOf(".json.zst");
    if (us < 0 || dot < us) {
      return null;
    }
    try {
      return Instant.from(STAMP.parse(name.substring(us + 1, dot)));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
