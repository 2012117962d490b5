package io.storefleet.worker.launch;

import io.storefleet.fabric.membership.ServerIdInUseException;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;

/**
 * How a worker process that could not start ends (sysexits values). Every one leaves the cluster
 * first; docs/operations.md and the systemd unit list them.
 */
public enum ExitCode {
  /** A setting is missing or wrong; nothing was started. */
  BAD_SETTINGS(64),
  /** The cluster could not be joined. */
  CLUSTER_UNAVAILABLE(69),
  /**
   * The member holding this server id did not answer, yet was not dropped within the wait: maybe
   * a killed worker the cluster drops late, so a retry may succeed. Shares 69 with
   * {@link #CLUSTER_UNAVAILABLE}: both are a peer that is unavailable for now.
   */
  SERVER_ID_HOLDER_SILENT(69),
  /** Any other failure while opening the data or starting to serve; the message says which. */
  START_FAILED(70),
  /**
   * A conflict found while opening the data: the data dir or the backup path is locked by another
   * worker process, or the backup path cannot be used (another server's, an unreadable format
   * version, not a storefleet backup). Every one needs the operator, so retrying cannot help.
   */
  DATA_IN_USE(73),
  /** A live cluster member serves this server id. Retrying cannot help until it stops. */
  SERVER_ID_IN_USE(75);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The code for a failure met after the cluster was joined. */
  static ExitCode of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ServerIdInUseException e) {
        return e.answered() ? SERVER_ID_IN_USE : SERVER_ID_HOLDER_SILENT;
      }
      if (t instanceof StorefleetException s && s.code() == ErrorCode.CONFLICT) {
        return DATA_IN_USE;
      }
    }
    return START_FAILED;
  }
}
