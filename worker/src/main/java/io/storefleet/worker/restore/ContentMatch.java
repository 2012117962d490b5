package io.storefleet.worker.restore;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BlobCodec;
import io.storefleet.worker.backup.format.BlobReader;
import io.storefleet.worker.backup.format.ServerConfigSnapshot;
import io.storefleet.worker.store.CanonicalContent;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MailStore;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a restore tells that the store holds the content the backup has. Within one store kind the
 * bytes must be the same (the content digest). When the backup path recorded a server of another
 * kind than the target's (a server moved from the embedded store to Dovecot, or back), the
 * contents are compared in their canonical form ({@link CanonicalContent}: line endings CRLF, NUL
 * as 0x80), because an IMAP server keeps mail in that form and not as the file was. Restores and
 * imports ({@code doExternalRestore}, whose source is an export or another server's backup path)
 * both compare this way. One instance serves one account on one thread: it caches per item id.
 */
public final class ContentMatch {
  private final BlobReader blobs;
  private final boolean canonical;
  private final Map<String, String> backupKeys = new HashMap<>();
  private final Map<Integer, String> storedKeys = new HashMap<>();

  private ContentMatch(BlobReader blobs, boolean canonical) {
    this.blobs = blobs;
    this.canonical = canonical;
  }

  /** For a restore from this backup path into this store (its config.log names the kinds it saw). */
  public static ContentMatch of(BackupEngine engine, MailStore target) {
    return of(engine, BlobReader.of(engine), target);
  }

  /** The same, reading the backup's contents from {@code blobs} (an off-site copy, {@code blobs_archive}). */
  public static ContentMatch of(BackupEngine engine, BlobReader blobs, MailStore target) {
    return new ContentMatch(blobs, kinds(engine).stream().anyMatch(k -> !k.equals(target.kind())));
  }

  /** Byte for byte, for contents known to come from a store of the target's kind. */
  public static ContentMatch byteForByte() {
    return new ContentMatch(null, false);
  }

  /** The store kinds the server's recorded configurations name ({@code serverConfig.store}). */
  static Set<String> kinds(BackupEngine engine) {
    Set<String> out = new TreeSet<>();
    try {
      for (ServerConfigSnapshot c : engine.serverRecords(engine.path().configLog(), ServerConfigSnapshot.class)) {
        String kind = c.sections().getOrDefault("serverConfig", Map.of()).get("store");
        if (kind != null) {
          out.add(kind);
        }
      }
    } catch (IOException e) {
      throw ErrorCode.IO_ERROR.exception("the server configurations in " + engine.path().configLog()
          + " could not be read to tell which store kinds the backup came from: " + e.getMessage());
    }
    return out;
  }

  /** Whether contents are compared in canonical form. */
  public boolean canonical() {
    return canonical;
  }

  /** The key of a backed-up content: digest and size, of the canonical form when comparing so. */
  public String backupKey(String digest, long size) {
    if (!canonical) {
      return key(digest, size);
    }
    return backupKeys.computeIfAbsent(digest, d -> {
      try {
        return canonicalKey(blobs.read(d));
      } catch (IOException e) {
        throw ErrorCode.IO_ERROR.exception("backup content " + d + " could not be read to compare it with the"
            + " store in canonical form: " + e.getMessage());
      }
    });
  }

  /** The same key for a content at hand. */
  private String keyOf(byte[] raw) {
    return canonical ? canonicalKey(raw) : key(BlobCodec.sha256(raw), raw.length);
  }

  /**
   * The key of a stored item: from its digest, or, in canonical form, from its content read once.
   *
   * @throws StorefleetException when the content cannot be read
   */
  public String storedKey(MailStore store, String accountId, Item i) {
    return canonical ? readBackKey(store, accountId, i.id()) : key(i.digest(), i.size());
  }

  /**
   * The key of a stored item's content as the store serves it now; in canonical form read once
   * per item, so the folder-wide comparison and the item's own check share the read.
   *
   * @throws StorefleetException when the content cannot be read
   */
  String readBackKey(MailStore store, String accountId, int itemId) {
    if (!canonical) {
      return keyOf(store.content(accountId, itemId));
    }
    String k = storedKeys.get(itemId);
    if (k == null) {
      k = canonicalKey(store.content(accountId, itemId));
      storedKeys.put(itemId, k);
    }
    return k;
  }

  private static String canonicalKey(byte[] raw) {
    byte[] c = CanonicalContent.of(raw);
    return key(BlobCodec.sha256(c), c.length);
  }

  static String key(String digest, long size) {
    return digest + ":" + size;
  }

  /** The size a key names. */
  public static long size(String key) {
    return Long.parseLong(key.substring(key.lastIndexOf(':') + 1));
  }
}
