package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;

/** The definite error of the imap store for what IMAP cannot hold (docs/mailstores.md). */
final class NotBuilt {
  private NotBuilt() {}

  /** Something an IMAP server cannot hold at all. */
  static StorefleetException notMail(String what, String server) {
    return ErrorCode.BAD_VALUE.exception("the imap store holds messages only: " + what
        + " cannot be stored on IMAP server " + server);
  }
}
