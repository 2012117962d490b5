package io.storefleet.worker.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.ItemType;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The embedded store cannot delete or move folders, so the case of an original folder that is
 * gone is proved here, on the rule itself.
 */
class OriginalFolderTest {
  private static ItemState in(int folderId, ItemType type) {
    return new ItemState(300, 5, Instant.EPOCH, folderId, type, "d", 1, Set.of(), Set.of(), true, false, "s", "", "");
  }

  @Test
  void theLiveFolderWinsAGoneOneIsRecreatedAtItsPathAnUnknownOneGoesToRecovered() {
    Folder now = new Folder(257, 1, "Renamed", "/Renamed", "message", null);
    Folder then = new Folder(257, 1, "Projects", "/Projects", "message", null);
    Folder gone = new Folder(258, 1, "Cards", "/Cards", "contact", null);
    assertEquals(FolderTarget.existing(now), OriginalFolder.of(in(257, ItemType.MESSAGE), Map.of(257, now),
        Map.of(257, then)));
    assertEquals(FolderTarget.path("/Cards", "contact"), OriginalFolder.of(in(258, ItemType.CONTACT), Map.of(257, now),
        Map.of(258, gone)));
    assertEquals(FolderTarget.path(OriginalFolder.UNKNOWN, "task"), OriginalFolder.of(in(999, ItemType.TASK),
        Map.of(), Map.of()));
  }
}
