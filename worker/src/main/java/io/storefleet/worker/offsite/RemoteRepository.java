package io.storefleet.worker.offsite;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One server's off-site copy in an object store: its key files, its config and its sealed
 * objects, under {@code <prefix>/<server>/} (docs/backup-format.md, "The off-site copy"). Opening
 * it needs the passphrase; creating it writes a new repository key, wrapped by the passphrase.
 */
public final class RemoteRepository {
  static final String FORMAT = "storefleet-offsite";
  /** The version this storefleet writes; it reads version 1 too (docs/backup-format.md, "Versioning of the copy"). */
  static final int VERSION = 2;
  static final int OLDEST_READ = 1;

  /** The kinds of sealed object, each in its own folder. */
  enum Kind {
    /** A pack of blob entries, written once. */
    DATA("data/"),
    /** Where a pack's blobs are: one per pack, written once after it. */
    INDEX("index/"),
    /** Version 1 only: one metadata file of the backup path at one content, zstd-compressed. */
    META("meta/"),
    /**
     * Version 2: a metadata pack ({@link MetadataPack}), the metadata files (or their new tails) and
     * pack indexes of one upload, zstd-compressed, up to about 16 MiB; written once.
     */
    MPACK("mpacks/"),
    /**
     * A zstd dictionary, named from its SHA-256, written once: every snapshot names them all, so
     * blobs uploaded from an earlier backup path (compressed with its dictionary) stay readable.
     */
    DICT("dicts/"),
    /** A manifest: which metadata objects and indexes make up the copy at one time. */
    SNAPSHOT("snapshots/"),
    /** A running remote prune's lock (see {@link PruneLock}): the one kind of object that is deleted by design. */
    LOCK("locks/");

    final String folder;

    Kind(String folder) {
      this.folder = folder;
    }
  }

  /**
   * The config object: format, version, server, creation time and a random repository id, which
   * names the worker's state file of this copy (a copy made anew at the same place gets a new
   * state). {@code id} is null in copies made before it was added.
   */
  record Config(@JsonProperty("format") String format, @JsonProperty("version") int version,
      @JsonProperty("server") String server, @JsonProperty("created") String created,
      @JsonProperty("id") String id) {}

  private final ObjectStore store;
  private final String base;
  private final String serverId;
  private final Sealer sealer;
  private Config config;

  private RemoteRepository(ObjectStore store, String base, String serverId, Sealer sealer, Config config) {
    this.store = store;
    this.base = base;
    this.serverId = serverId;
    this.sealer = sealer;
    this.config = config;
  }

  /**
   * Opens the copy under {@code base}, creating it (a new key wrapped by the passphrase) when
   * there is none: when {@code base} holds nothing, or only a config left by a creation cut short
   * before its key file. A copy whose objects are there but whose key files are not is refused
   * with CONFLICT: a new key would make a second copy that cannot read the first. A version-1
   * copy is upgraded: its config says version 2 from here on (its objects stay and are read).
   */
  public static RemoteRepository openOrCreate(ObjectStore store, String base, String serverId, char[] passphrase,
      int iterations) throws IOException {
    if (!store.list(base + "keys/").isEmpty()) {
      RemoteRepository r = open(store, base, serverId, passphrase);
      r.upgrade();
      return r;
    }
    List<String> there = store.list(base);
    if (there.stream().anyMatch(k -> !k.equals(base + "config"))) {
      throw ErrorCode.CONFLICT.exception("the off-site copy at " + store.describe() + " under " + base + " holds "
          + there.size() + " objects but no key file (" + base + "keys/ is empty); nothing was uploaded. Restore the"
          + " key file (from the bucket's object versions, or a copy of it), or set another ZxBackup_RemotePrefix"
          + " to start a new copy", serverId);
    }
    RepositoryKey key = RepositoryKey.generate();
    String now = Instant.now().toString();
    String id = HexFormat.of().formatHex(RepositoryKey.random(16));
    Sealer sealer = new Sealer(key);
    RemoteRepository r = new RemoteRepository(store, base, serverId, sealer, new Config(FORMAT, VERSION, serverId,
        now, id));
    r.writeConfig();
    // The key file last: a copy whose config is missing is not opened by mistake. The config is
    // the one object put unconditionally: a creation cut short may have left one without a key.
    store.putIfAbsent(base + "keys/" + HexFormat.of().formatHex(RepositoryKey.random(16)),
        key.wrap(passphrase, iterations, now));
    return r;
  }

  /**
   * Opens an existing copy with the first key file that the passphrase opens and that opens the
   * config; damaged key files, and keys that do not open the config, are skipped.
   *
   * @throws StorefleetException NOT_FOUND when there is none, CONFLICT when the passphrase opens no key,
   *     BACKUP_DAMAGED when no key file is usable, naming each one skipped and why
   */
  public static RemoteRepository open(ObjectStore store, String base, String serverId, char[] passphrase)
      throws IOException {
    List<String> keys = store.list(base + "keys/");
    if (keys.isEmpty()) {
      throw ErrorCode.NOT_FOUND.exception("there is no off-site copy at " + store.describe() + " under " + base
          + "; check the server name, the bucket and ZxBackup_RemotePrefix", serverId);
    }
    List<String> skipped = new ArrayList<>();
    boolean wrongPassphrase = false;
    byte[] config = null;
    for (String k : keys) {
      Sealer sealer;
      try {
        Optional<byte[]> file = store.get(k);
        if (file.isEmpty()) {
          continue; // removed since the listing
        }
        sealer = new Sealer(RepositoryKey.unwrap(file.get(), passphrase, k));
      } catch (StorefleetException e) {
        wrongPassphrase |= e.code() == ErrorCode.CONFLICT;
        skipped.add(e.getMessage());
        continue;
      }
      if (config == null) {
        config = store.get(base + "config").orElseThrow(() -> ErrorCode.BACKUP_DAMAGED.exception(
            "the off-site copy under " + base + " has a key but no config object; it is damaged", serverId));
      }
      Config c;
      try {
        c = Json.decode(new String(sealer.open(base + "config", config), StandardCharsets.UTF_8), Config.class);
      } catch (RuntimeException e) {
        skipped.add("the key " + k + " does not open the config (" + e.getMessage() + ")");
        continue;
      }
      if (!FORMAT.equals(c.format()) || c.version() < OLDEST_READ || c.version() > VERSION) {
        throw ErrorCode.CONFLICT.exception("the off-site copy under " + base + " is " + c.format() + " version "
            + c.version() + "; this storefleet reads " + FORMAT + " versions " + OLDEST_READ + " to " + VERSION
            + ": read it with the storefleet that wrote it (a newer one), or set another ZxBackup_RemotePrefix",
            serverId);
      }
      return new RemoteRepository(store, base, serverId, sealer, c);
    }
    String why = String.join("; ", skipped);
    if (wrongPassphrase) {
      throw ErrorCode.CONFLICT.exception("the passphrase opens none of the " + keys.size() + " key files of the"
          + " off-site copy under " + base + "; give the passphrase the copy was created with (without it the copy"
          + " cannot be read). Skipped: " + why, serverId);
    }
    throw ErrorCode.BACKUP_DAMAGED.exception("no key file of the off-site copy under " + base + " is usable: " + why,
        serverId);
  }

  /**
   * Makes a version-1 copy a version-2 one before anything is added to it: the config is rewritten
   * (the one object ever put over itself), so that a storefleet that reads only version 1 refuses
   * the copy instead of misreading its new snapshots.
   */
  private void upgrade() throws IOException {
    if (config.version() < VERSION) {
      config = new Config(FORMAT, VERSION, config.server(), config.created(), config.id());
      writeConfig();
    }
  }

  private void writeConfig() throws IOException {
    store.put(base + "config", sealer.seal(base + "config", Json.encode(config).getBytes(StandardCharsets.UTF_8)));
  }

  /** The copy's format version, from its config. */
  int version() {
    return config.version();
  }

  ObjectStore store() {
    return store;
  }

  /** Where this copy is, for messages. */
  public String location() {
    return store.describe() + " " + base;
  }

  /** What names this copy's state file: its place and, when the config has one, its random id. */
  String stateName() {
    return config.id() == null ? location() : location() + " " + config.id();
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

  /** Decrypts a range of a sealed object's ciphertext, unauthenticated: see {@link Sealer#openRange}. */
  byte[] openRange(String key, byte[] prefix, long block, byte[] ciphertext) {
    return sealer.openRange(key, prefix, block, ciphertext);
  }

  /** A sealed object's content; BACKUP_DAMAGED when it is missing or does not authenticate. */
  byte[] read(String key) throws IOException {
    return readIfPresent(key).orElseThrow(() -> ErrorCode.BACKUP_DAMAGED.exception(
        "off-site object " + key + " is missing from " + store.describe(), serverId));
  }

  /** A sealed object's content, empty when it is missing; BACKUP_DAMAGED when it does not authenticate. */
  java.util.Optional<byte[]> readIfPresent(String key) throws IOException {
    java.util.Optional<byte[]> sealed = store.get(key);
    return sealed.isEmpty() ? sealed : java.util.Optional.of(sealer.open(key, sealed.get()));
  }
}
