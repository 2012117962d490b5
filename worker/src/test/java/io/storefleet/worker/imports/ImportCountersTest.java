package io.storefleet.worker.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.operation.OperationStats;
import org.junit.jupiter.api.Test;

class ImportCountersTest {

  @Test
  void anAccountWhoseItemsAllFailedIsCountedAsLostMailNotAsAnOtherObject() {
    ImportCounters c = new ImportCounters();
    c.itemsNotImported("ann@a.example", 12, "items not imported: source log unreadable");
    OperationStats s = c.stats("v");
    assertEquals(1, s.counter("accountsItemsUnrestored"));
    assertEquals(12, s.counter("itemsOfAccountsUnrestored"));
    assertEquals(0, s.counter("objectsUnrestored"));
    assertEquals(1, s.unrestored().size());
    assertFalse(c.clean());
    String words = c.lostBesidesItems();
    assertTrue(words.contains("1 account(s) whose 12 item(s) were NOT imported at all"), words);
    assertFalse(words.contains("other object"), words);
  }

  @Test
  void otherObjectsKeepTheirOwnWordsAndNothingLostSaysNothing() {
    ImportCounters c = new ImportCounters();
    assertEquals("", c.lostBesidesItems());
    c.unrestored("ann@a.example", 0, "alias refused");
    assertEquals(", 1 other object(s) (folders, aliases, lists, shares, mountpoints) not restored", c.lostBesidesItems());
  }
}
