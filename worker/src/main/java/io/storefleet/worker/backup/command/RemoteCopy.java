package io.storefleet.worker.backup.command;

import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.backup.format.BlobReader;
import java.io.IOException;
import java.util.Map;

/**
 * The backup commands' view of the off-site copy (docs/backup-format.md, "The off-site copy"):
 * the upload that follows a SmartScan or AccountScan when a remote volume is configured or the
 * command says {@code remote_metadata_upload true}, the check of {@code doCoherencyCheck remote
 * true}, the blobs read from the bucket for {@code blobs_archive}, and what {@code getBackupInfo}
 * shows.
 */
public interface RemoteCopy {
  /** Refuses, when the command is given, an upload it asks for that cannot start. */
  void validateUpload(ParsedCommand cmd, String serverId);

  /**
   * Uploads after a clean scan and returns the scan's result with the upload's counters; throws,
   * failing the operation, when the upload fails (the scan itself stays committed).
   */
  OperationStats afterScan(ParsedCommand cmd, OperationStats scan, OperationContext ctx) throws Exception;

  /** Refuses, when the command is given, a check of the copy that cannot start. */
  void validateCheck(String serverId);

  /** Reads and checks every object of {@code serverId}'s off-site copy; throws when one is damaged. */
  OperationStats check(String serverId, OperationContext ctx) throws Exception;

  /**
   * Refuses a {@code blobs_archive} value that names no off-site copy ({@code remote}: this
   * server's; {@code remote:<server>}: another's), or one that cannot be read here.
   */
  void validateArchive(String archive, String serverId);

  /** The blobs of the newest snapshot of the off-site copy {@code archive} names, read on demand. */
  BlobReader blobs(String archive) throws IOException;

  /** The remote volume, as getBackupInfo shows it; null when there is none. */
  Map<String, Object> describe();
}
