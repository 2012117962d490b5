package io.storefleet.worker.imports;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupHistoryReader;
import io.storefleet.worker.backup.format.BlobReader;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.backup.format.ProvisioningSnapshot;
import io.storefleet.worker.export.ExportMarker;
import io.storefleet.worker.restore.ContentMatch;
import io.storefleet.worker.store.MailStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an external restore reads: an export made by doExport, or any server's backup path, read
 * through the backup engine's readers only. Each account is taken as its last snapshot says and
 * each item as its latest state says.
 */
final class ImportSource {
  private static final String BACKUP_MARKER = "storefleet-backup.json";

  private final Path root;
  private final BackupEngine engine;
  private final ExportMarker export;
  private final BlobReader blobs;

  ImportSource(Path root, BackupEngine engine, ExportMarker export) {
    this(root, engine, export, BlobReader.of(engine));
  }

  /** A source whose contents are read from {@code blobs} (the off-site copy {@code blobs_archive} names). */
  ImportSource(Path root, BackupEngine engine, ExportMarker export, BlobReader blobs) {
    this.root = root;
    this.engine = engine;
    this.export = export;
    this.blobs = blobs;
  }

  /** Where the contents come from, for messages. */
  String blobSource() {
    return blobs.describe();
  }

  /**
   * Checks that {@code root} holds something to import before anything is opened: a backup path,
   * and if it is an export, a finished one. Answers the export marker, or null for a backup path.
   */
  static ExportMarker check(Path root, String serverId) {
    if (!Files.isDirectory(root) || !Files.exists(root.resolve(BACKUP_MARKER))) {
      throw ErrorCode.NOT_FOUND.exception("doExternalRestore source_path " + root + " is not a storefleet export or"
          + " backup path (no " + BACKUP_MARKER + " in it); give the folder doExport wrote, or a server's backup"
          + " path", serverId);
    }
    try {
      ExportMarker m = ExportMarker.read(root);
      if (m != null && !ExportMarker.finished(root)) {
        throw ErrorCode.CONFLICT.exception("doExternalRestore source_path " + root + " holds an unfinished export of "
            + m.server() + " started at " + m.startedAt() + "; finish it first by running the same doExport on "
            + m.server() + " again (it resumes), then import it", serverId);
      }
      return m;
    } catch (IOException e) {
      throw ErrorCode.CONFLICT.exception("doExternalRestore source_path " + root + " cannot be read as an export: "
          + e.getMessage(), serverId);
    }
  }

  Path root() {
    return root;
  }

  /** The server the data comes from. */
  String serverId() {
    return engine.path().serverId();
  }

  /** The export's marker, or null when the source is a backup path. */
  ExportMarker export() {
    return export;
  }

  /** When the data was taken: the export's start, or null for a backup path (each account has its own). */
  Instant takenAt() {
    return export == null ? null : export.startedAt();
  }

  /** The last recorded provisioning, empty when none was recorded. */
  ProvisioningSnapshot provisioning() throws IOException {
    List<ProvisioningSnapshot> all = engine.serverRecords(engine.path().provisioningLog(), ProvisioningSnapshot.class);
    return all.isEmpty() ? new ProvisioningSnapshot(List.of(), List.of(), List.of(), 0, null) : all.get(all.size() - 1);
  }

  /** Every account the source has a snapshot of, deleted ones included. */
  List<SourceAccount> accounts() throws IOException {
    BackupHistoryReader reader = new BackupHistoryReader(engine);
    List<SourceAccount> out = new ArrayList<>();
    for (String id : engine.accountIds()) {
      Optional<AccountSnapshot> s = reader.snapshotAt(id, null);
      s.ifPresent(snap -> out.add(new SourceAccount(id, snap)));
    }
    return out;
  }

  /**
   * The latest state of each item of an account, read without opening its logs for writing: an
   * import must not change (cut a torn tail of) the source it reads.
   */
  List<ItemState> latestStates(String accountId) throws IOException {
    Map<Integer, ItemState> latest = new LinkedHashMap<>();
    for (ItemState s : new BackupHistoryReader(engine).itemStates(accountId)) {
      latest.put(s.id(), s);
    }
    return new ArrayList<>(latest.values());
  }

  /**
   * How contents of this source are compared with the target's: byte for byte, or in canonical
   * form when the source came from a store of another kind (its config.log says which). One per
   * account and thread.
   */
  ContentMatch match(MailStore target) {
    return ContentMatch.of(engine, blobs, target);
  }

  /** An item's content, checked against its digest ({@code CorruptBlobException} when damaged). */
  byte[] content(String digest) throws IOException {
    return blobs.read(digest);
  }
}
