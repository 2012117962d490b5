package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;

/** Folder paths as the SPI gives them ({@code /Inbox/Projects}). */
final class Paths {
  private Paths() {}

  /** The names of a path; empty for the root. */
  static List<String> segments(String path) {
    if (path == null || !path.startsWith("/")) {
      throw ErrorCode.BAD_VALUE.exception("folder path '" + path + "' must be absolute, e.g. /Inbox/Projects");
    }
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (s.isEmpty()) {
        continue;
      }
      if (s.equals(".") || s.equals("..") || s.chars().anyMatch(c -> c < 0x20)) {
        throw ErrorCode.BAD_VALUE.exception("folder path '" + path + "' has an invalid name '" + s + "'");
      }
      out.add(s);
    }
    return out;
  }
}
