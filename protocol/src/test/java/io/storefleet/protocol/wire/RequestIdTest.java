package io.storefleet.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import org.junit.jupiter.api.Test;

class RequestIdTest {
  @Test
  void aNewIdIsAValidUniqueOne() {
    String a = RequestId.next();
    assertEquals(a, RequestId.check(a));
    assertNotEquals(a, RequestId.next());
    assertNull(RequestId.check(null), "no id: an older client");
  }

  @Test
  void anIdOfAnotherFormIsRefusedNamingTheField() {
    for (String bad : new String[] {"", "a b", "../x", "x".repeat(101), "é"}) {
      StorefleetException e = assertThrows(StorefleetException.class, () -> RequestId.check(bad), bad);
      assertEquals(ErrorCode.MALFORMED_REQUEST, e.code());
      assertTrue(e.getMessage().startsWith("requestId '"), e.getMessage());
    }
    assertEquals("ci:run-7.step_2", RequestId.check("ci:run-7.step_2"));
  }
}
