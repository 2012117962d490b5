package io.storefleet.worker.store.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.JournalEntry;

/** One journal entry per log record, as a single JSON line. */
final class JournalCodec {
  private JournalCodec() {}

  static String encode(JournalEntry entry) {
    try {
      return Json.MAPPER.writeValueAsString(entry);
    } catch (JsonProcessingException e) {
      throw ErrorCode.INTERNAL.exception(
          "cannot encode journal entry " + entry.seq() + " (" + entry.type() + "): " + e.getOriginalMessage());
    }
  }

  /** A journal record read back; {@code where} names the log in the error. */
  static JournalEntry decode(String record, Object where) {
    try {
      JournalEntry entry = Json.MAPPER.readValue(record, JournalEntry.class);
      if (entry.type() == null || entry.time() == null || entry.detail() == null) {
        throw new IllegalArgumentException("type, time or detail missing");
      }
      return entry;
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String shown = record.length() > 120 ? record.substring(0, 120) + "..." : record;
      throw ErrorCode.IO_ERROR.exception(
          "unreadable journal record in " + where + ": " + shown + " (" + e.getMessage() + ");"
              + " this store version cannot replay it, restore the journal from a copy");
    }
  }

  static JsonNode detail(Object detail) {
    return Json.MAPPER.valueToTree(detail);
  }

  /** An entry's detail as the record its type uses. */
  static <T> T detail(JournalEntry entry, Class<T> type) {
    try {
      return Json.MAPPER.treeToValue(entry.detail(), type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw ErrorCode.IO_ERROR.exception(
          "journal entry " + entry.seq() + " (" + entry.type() + ") has an unreadable detail "
              + entry.detail() + ": " + e.getMessage());
    }
  }
}
