package io.storefleet.worker.store.local;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.ItemType;
import java.util.ArrayList;
import java.util.List;

/** Content about to be added, with what is computed from it before taking the store's lock. */
record NewContent(byte[] raw, String digest, HeaderSummary summary) {

  /** The messages an operator adds to folder {@code folderId}; none may be missing. */
  static List<NewContent> messages(List<byte[]> raws, int folderId) {
    if (raws == null) {
      throw ErrorCode.BAD_VALUE.exception("no message list given to add to folder " + folderId);
    }
    List<NewContent> contents = new ArrayList<>(raws.size());
    for (int i = 0; i < raws.size(); i++) {
      if (raws.get(i) == null) {
        throw ErrorCode.BAD_VALUE.exception("message " + (i + 1) + " of " + raws.size() + " has no content");
      }
      contents.add(message(raws.get(i), null));
    }
    return contents;
  }

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
