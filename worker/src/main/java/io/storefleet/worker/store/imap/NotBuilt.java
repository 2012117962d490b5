package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;

/** The definite errors of the imap store for what it does not do (docs/mailstores.md lists them). */
final class NotBuilt {
  private NotBuilt() {}

  /** A MailStore method not built for the imap store yet. */
  static StorefleetException method(String method, String why) {
    return ErrorCode.NOT_IMPLEMENTED.exception("MailStore." + method + " is not built for store.kind=imap yet ("
        + why + "); use store.kind=local for it");
  }

  /** Something an IMAP server cannot hold at all. */
  static StorefleetException notMail(String what, String server) {
    return ErrorCode.BAD_VALUE.exception("the imap store holds messages only: " + what
        + " cannot be stored on IMAP server " + server);
  }
}
