package io.storefleet.worker.offsite;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * One server's off-site copy in an object store: its key files, its config and its sealed
 * objects, under {@code <prefix>/<server>/} (docs/backup-format.md, "The off-site copy"). Opening
 * it needs the passphrase; creating it writes a new repository key, wrapped by the passphrase.
 */
public final class RemoteRepository {
  static final String FORMAT = "storefleet-offsite";
  static final int VERSION = 1;

  /** The kinds of sealed object, each in its own folder. */
  enum Kind {
    /** A pack of blob entries, written once. */
    DATA("data/"),
    /** Where a pack's blobs are: one per pack, written once after it. */
    INDEX("index/"),
    /** One metadata file of the backup path at one content, zstd-compressed. */
    META("meta/"),
    /**
     * A zstd dictionary, named from its SHA-256, written once: every snapshot names them all, so
     * blobs uploaded from an earlier backup path (compressed with its dictionary) stay readable.
     */
    DICT("dicts/"),
    /** A manifest: which metadata objects and indexes make up the copy at one time. */
    SNAPSHOT("snapshots/");

    final String folder;

    Kind(String folder) {
      this.folder = folder;
    }
  }

  record Config(@JsonProperty("format") String format, @JsonProperty("version") int version,
      @JsonProperty("server") String server, @JsonProperty("created") String created) {}

  private final ObjectStore store;
  private final String base;
  private final String serverId;
  private final Sealer sealer;

  private RemoteRepository(ObjectStore store, String base, String serverId, Sealer sealer) {
    this.store = store;
    this.base = base;
    this.serverId = serverId;
    this.sealer = sealer;
  }

  /** Opens the copy under {@code base}, creating it (a new key wrapped by the passphrase) when there is none. */
  public static RemoteRepository openOrCreate(ObjectStore store, String base, String serverId, char[] passphrase,
      int iterations) throws IOException {
    if (store.list(base + "keys/").isEmpty()) {
      RepositoryKey key = RepositoryKey.generate();
      String now = Instant.now().toString();
      Sealer sealer = new Sealer(key);
      RemoteRepository r = new RemoteRepository(store, base, serverId, sealer);
      store.put(base + "config", sealer.seal(base + "config",
          Json.encode(new Config(FORMAT, VERSION, serverId, now)).getBytes(StandardCharsets.UTF_8)));
      // The key file last: a copy whose config is missing is not opened by mistake.
      store.put(base + "keys/" + HexFormat.of().formatHex(RepositoryKey.random(16)), key.wrap(passphrase, iterations, now));
      return r;
    }
    return open(store, base, serverId, passphrase);
  }

  /**
   * Opens an existing copy.
   *
   * @throws StorefleetException NOT_FOUND when there is none, CONFLICT when the passphrase opens no key
   */
  public static RemoteRepository open(ObjectStore store, String base, String serverId, char[] passphrase)
      throws IOException {
    List<String> keys = store.list(base + "keys/");
    if (keys.isEmpty()) {
      throw ErrorCode.NOT_FOUND.exception("there is no off-site copy at " + store.describe() + " under " + base
          + "; check the server name, the bucket and ZxBackup_RemotePrefix", serverId);
    }
    StorefleetException last = null;
    for (String k : keys) {
      try {
        RepositoryKey key = RepositoryKey.unwrap(store.get(k).orElseThrow(), passphrase, k);
        Sealer sealer = new Sealer(key);
        byte[] config = store.get(base + "config").orElseThrow(() -> ErrorCode.BACKUP_DAMAGED.exception(
            "the off-site copy under " + base + " has a key but no config object; it is damaged", serverId));
        Config c = Json.decode(new String(sealer.open(base + "config", config), StandardCharsets.UTF_8), Config.class);
        if (!FORMAT.equals(c.format()) || c.version() != VERSION) {
          throw ErrorCode.CONFLICT.exception("the off-site copy under " + base + " is " + c.format() + " version "
              + c.version() + "; this storefleet reads " + FORMAT + " version " + VERSION, serverId);
        }
        return new RemoteRepository(store, base, serverId, sealer);
      } catch (StorefleetException e) {
        if (e.code() != ErrorCode.CONFLICT) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }

  ObjectStore store() {
    return store;
  }

  /** Where this copy is, for messages and the state file's name. */
  public String location() {
    return store.describe() + " " + base;
  }

  String serverId() {
    return serverId;
  }

  /** The full key of an object of a kind, named from what identifies it. */
  String key(Kind kind, String identity) {
    return base + kind.folder + sealer.name(kind.name() + "\n" + identity);
  }

  String folder(Kind kind) {
    return base + kind.folder;
  }

  byte[] seal(String key, byte[] plain) {
    return sealer.seal(key, plain);
  }

  /** A sealed object's content; BACKUP_DAMAGED when it is missing or does not authenticate. */
  byte[] read(String key) throws IOException {
    byte[] sealed = store.get(key).orElseThrow(() -> ErrorCode.BACKUP_DAMAGED.exception(
        "off-site object " + key + " is missing from " + store.describe(), serverId));
    return sealer.open(key, sealed);
  }
}
