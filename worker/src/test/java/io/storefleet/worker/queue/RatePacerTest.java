package io.storefleet.worker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import org.junit.jupiter.api.Test;

class RatePacerTest {
  /** A request of the server carries one window's worth of items: a larger one would burst, then wait. */
  @Test
  void aRequestCarriesAtMostOneSecondsItemsAndAtLeastOne() {
    assertEquals(10, new RatePacer(10, Clock.systemUTC()).itemsAtOnce());
    assertEquals(2, new RatePacer(2.5, Clock.systemUTC()).itemsAtOnce());
    assertEquals(1, new RatePacer(0.2, Clock.systemUTC()).itemsAtOnce());
    assertEquals(Integer.MAX_VALUE, Pacer.NONE.itemsAtOnce());
  }
}
