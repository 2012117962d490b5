package io.storefleet.worker.store;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.backup.format.BlobCodec;
import java.util.Map;

/**
 * A place where a store keeps item contents. In Zimbra these are the message volumes (a primary
 * volume new content goes to, secondary ones HSM moves content to); {@code doRestoreBlobs
 * {volume_id}} brings back the contents of one of them. The embedded store has exactly one, id 1,
 * its blob directory; an IMAP store has one, the IMAP server's message storage.
 *
 * @param id its id, as operators name it on the command line
 * @param name its name, e.g. {@code primary}
 * @param kind {@code primary} (new content goes there) or {@code secondary}
 * @param location where it is, for people: a directory, a server
 * @param current whether new content is written to it
 */
public record Volume(int id, String name, String kind, String location, boolean current) {
  /**
   * Checks the contents given to {@link MailStore#restoreContent}: BAD_VALUE naming the first one
   * whose bytes do not have the digest it is given under, before anything is written.
   */
  public static void requireDigests(Map<String, byte[]> contents) {
    if (contents == null) {
      throw ErrorCode.BAD_VALUE.exception("a content restore needs the contents by digest");
    }
    for (Map.Entry<String, byte[]> e : contents.entrySet()) {
      String actual = e.getValue() == null ? null : BlobCodec.sha256(e.getValue());
      if (actual == null || !actual.equals(e.getKey())) {
        throw ErrorCode.BAD_VALUE.exception(
            "the content given for " + e.getKey() + " has digest " + actual + "; nothing was written");
      }
    }
  }
}
