package io.storefleet.worker.store.local;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.ItemType;

/** Content about to be added, with what is computed from it before taking the store's lock. */
record NewContent(byte[] raw, String digest, HeaderSummary summary) {

  /** One item of any type for folder {@code folderId}. */
  static NewContent item(ItemType type, byte[] raw, String subject, int folderId) {
    if (type == null || raw == null) {
      throw ErrorCode.BAD_VALUE.exception("an item needs a type and a content (folder " + folderId + ")");
    }
    return type == ItemType.MESSAGE ? message(raw, subject) : other(raw, subject);
  }

  /** A message; a non-blank {@code subject} overrides its Subject header. */
  static NewContent message(byte[] raw, String subject) {
    byte[] copy = raw.clone(); // the caller may reuse its array while we hash and write
    HeaderSummary s = HeaderSummary.of(copy);
    if (subject != null && !subject.isBlank()) {
      s = new HeaderSummary(subject, s.from(), s.to());
    }
    return new NewContent(copy, BlobFiles.digest(copy), s);
  }

  /** A contact, appointment, task or document, which has no mail headers. */
  static NewContent other(byte[] raw, String subject) {
    byte[] copy = raw.clone();
    return new NewContent(copy, BlobFiles.digest(copy), new HeaderSummary(subject == null ? "" : subject, "", ""));
  }
}
