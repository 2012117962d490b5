package io.storefleet.worker.backup.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.worker.store.ScanView;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** How many accounts a scan works on at once: the property, else the store's answer, else the cores. */
class ScanThreadsTest {
  @Test
  void aStoreThatWaitsOnAServerSetsTheCountWhateverTheCores() {
    assertEquals(3, ScanThreads.of(OptionalInt.of(3), null, 2));
    assertEquals(1, ScanThreads.of(OptionalInt.of(1), null, 16));
    assertEquals(1, ScanThreads.of(OptionalInt.of(0), null, 16));
  }

  @Test
  void theStoresAnswerIsCappedForMemory() {
    assertEquals(ScanThreads.MAX_FOR_STORE, ScanThreads.of(OptionalInt.of(50), null, 2));
  }

  @Test
  void withoutAnAnswerTheCoresDecideBetweenTwoAndFour() {
    assertEquals(2, ScanThreads.of(OptionalInt.empty(), null, 1));
    assertEquals(3, ScanThreads.of(OptionalInt.empty(), null, 3));
    assertEquals(4, ScanThreads.of(OptionalInt.empty(), null, 64));
  }

  @Test
  void thePropertyOverridesBoth() {
    assertEquals(6, ScanThreads.of(OptionalInt.of(3), 6, 2));
    assertEquals(1, ScanThreads.of(OptionalInt.empty(), 1, 8));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ScanThreads.of(OptionalInt.empty(), 0, 8));
    assertTrue(e.getMessage().contains(ScanThreads.PROPERTY), e.getMessage());
  }

  @Test
  void thePlainViewLeavesItToTheCores() {
    assertTrue(ScanView.of(null).accountsAtOnce().isEmpty());
  }
}
