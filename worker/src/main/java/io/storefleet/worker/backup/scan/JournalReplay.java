package io.storefleet.worker.backup.scan;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.store.ItemType;
import io.storefleet.worker.store.JournalEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Reads the item fields of journal entries, as the MailStore contract spells them. */
final class JournalReplay {
  private JournalReplay() {}

  static ItemState created(JournalEntry e, boolean blobless) {
    JsonNode d = e.detail();
    return new ItemState(d.path("id").asInt(e.itemId()), e.seq(), e.time(), d.path("folderId").asInt(),
        ItemType.valueOf(d.path("type").asText("MESSAGE")), d.path("digest").asText(), d.path("size").asLong(),
        strings(d.path("flags")), strings(d.path("tags")), false, blobless,
        text(d, "subject"), text(d, "from"), text(d, "to"), arrival(e));
  }

  /** When the item arrived: the restored arrival an entry names, else the entry's own time. */
  private static Instant arrival(JournalEntry e) {
    String at = text(e.detail(), "receivedAt");
    return at == null ? e.time() : Instant.parse(at);
  }

  static int folderId(JournalEntry e) {
    return e.detail().path("folderId").asInt();
  }

  static Set<String> flags(JournalEntry e) {
    return strings(e.detail().path("flags"));
  }

  static Set<String> tags(JournalEntry e) {
    return strings(e.detail().path("tags"));
  }

  static List<Integer> emptiedItems(JournalEntry e) {
    List<Integer> ids = new ArrayList<>();
    e.detail().path("itemIds").forEach(n -> ids.add(n.asInt()));
    return ids;
  }

  private static String text(JsonNode d, String field) {
    JsonNode n = d.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> out = new TreeSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
