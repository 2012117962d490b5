package io.storefleet.worker.service;

import io.storefleet.protocol.error.ErrorCode;
import java.util.Locale;

/** The layer a backup property is set at. A server's own value wins over the global one. */
public enum PropertyScope {
  /** This server only. */
  SERVER,
  /** Every server that has no value of its own; a coordinator broadcasts a global set. */
  GLOBAL;

  /** The word operators type: {@code server} or {@code global}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The scope of a {@code scope} parameter; absent means {@link #SERVER}. */
  public static PropertyScope of(String word) {
    if (word == null || word.isBlank()) {
      return SERVER;
    }
    for (PropertyScope s : values()) {
      if (s.word().equalsIgnoreCase(word.strip())) {
        return s;
      }
    }
    throw ErrorCode.BAD_VALUE.exception("scope '" + word + "' is not valid; expected server|global");
  }
}
