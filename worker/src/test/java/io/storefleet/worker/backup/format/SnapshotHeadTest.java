package io.storefleet.worker.backup.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.storefleet.protocol.codec.Json;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotHeadTest {
  static final Account ANN = new Account("4a217bb3-0b2c-4c5e-9d1a-6f0e8c2d7a51", "ann@example.com", "example.com",
      "default", "active", Map.of("displayName", "Ann \"the\" {Smith}, \\ [x]", "note", "seq\":1,\"deleted\":true"),
      List.of("a.smith@example.com"), Instant.parse("2025-11-02T08:00:00Z"));

  static AccountSnapshot snapshot(boolean deleted, String excluded, String uncertain, boolean withoutContent, long seq) {
    return new AccountSnapshot(ANN,
        List.of(new Folder(1, 1, "", "/", "message", null), new Folder(258, 2, "Pro}jects\"", "/Inbox/Pro}jects\"",
            "message", null)),
        List.of(new Grant(ANN.id(), 258, "6bda6e0e-1957-4bcd-9c47-c3de9ce5041a", "ben@example.com", "r")), deleted,
        excluded, uncertain, withoutContent, seq, Instant.parse("2026-03-14T09:40:17.913Z"));
  }

  @Test
  void theHeadOfAnEncodedSnapshotIsWhatItsDecodingSays() {
    for (AccountSnapshot s : List.of(snapshot(false, null, null, false, 48244),
        snapshot(true, "backup disabled for COS nobackup", null, false, 48300),
        snapshot(false, null, "folder 3 was emptied at 2026-03-14T09:40:17.551Z", true, 7),
        snapshot(true, null, "a, \"quoted\" {reason}", true, Long.MAX_VALUE))) {
      String json = Json.encode(s);
      assertEquals(SnapshotHead.of(Json.decode(json, AccountSnapshot.class)), SnapshotHead.parse(json), json);
    }
  }

  @Test
  void textItCannotReadGivesNoHeadSoTheCallerDecodes() {
    assertNull(SnapshotHead.parse("{}"));
    assertNull(SnapshotHead.parse("{\"deleted\":false}"), "no seq");
    assertNull(SnapshotHead.parse("[1,2]"));
    assertNull(SnapshotHead.parse("{\"seq\":12,\"deleted\":"));
  }
}
