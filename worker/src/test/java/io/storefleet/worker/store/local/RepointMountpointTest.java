package io.storefleet.worker.store.local;

import static io.storefleet.worker.store.local.ProvisioningTest.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.Mountpoint;
import io.storefleet.worker.store.Mutation;
import io.storefleet.worker.testing.MutableClock;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepointMountpointTest {
  @TempDir Path dir;
  private final MutableClock clock = MutableClock.atEpoch2026();

  @Test
  void aRepointedMountpointKeepsItsPlaceAndSurvivesReopen() throws Exception {
    Mountpoint old = new Mountpoint("old-owner-id", 300, "bob@example.org");
    Mountpoint now = new Mountpoint("new-owner-id", 263, "Bob@Example.org");
    int id;
    long seq;
    try (LocalMailStore s = LocalMailStore.open(dir, clock)) {
      s.createDomain("example.com");
      Account john = s.createAccount("john@example.com", null, Map.of());
      Folder m = s.mount(john.id(), "/Shared/Bob", old);
      id = m.id();
      Folder after = s.repointMountpoint(john.id(), id, now);
      assertEquals(new Folder(id, m.parentId(), "Bob", "/Shared/Bob", m.view(), new Mountpoint("new-owner-id", 263,
          "bob@example.org")), after);
      JournalEntry e = s.journal(s.lastSequence(), 1).get(0);
      assertEquals(Mutation.MOUNTPOINT_CHANGED, e.type());
      assertEquals("old-owner-id", e.detail().get("from").get("ownerId").asText());
      seq = s.lastSequence();
      s.repointMountpoint(john.id(), id, now);
      assertEquals(seq, s.lastSequence(), "pointing it where it points commits nothing");

      fails(ErrorCode.CONFLICT, "is not a mountpoint", () -> s.repointMountpoint(john.id(), Folder.INBOX, now));
      fails(ErrorCode.NOT_FOUND, "folder 999 not found", () -> s.repointMountpoint(john.id(), 999, now));
      fails(ErrorCode.BAD_VALUE, "cannot mount its own folder",
          () -> s.repointMountpoint(john.id(), id, new Mountpoint(john.id(), 2, "john@example.com")));
      fails(ErrorCode.BAD_VALUE, "needs the owner's account id",
          () -> s.repointMountpoint(john.id(), id, new Mountpoint("", 2, "x@y.z")));
    }
    try (LocalMailStore s = LocalMailStore.open(dir, clock)) {
      Account john = s.account("john@example.com").orElseThrow();
      Folder m = s.folders(john.id()).stream().filter(f -> f.id() == id).findFirst().orElseThrow();
      assertEquals(new Mountpoint("new-owner-id", 263, "bob@example.org"), m.mount());
      assertEquals(seq, s.lastSequence());
    }
  }
}
