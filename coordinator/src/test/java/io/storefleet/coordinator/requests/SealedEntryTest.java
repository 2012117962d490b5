package io.storefleet.coordinator.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import org.junit.jupiter.api.Test;

class SealedEntryTest {
  @Test
  void onlyTheRequestIdOpensWhatWasSealedUnderIt() {
    SealedEntry mine = SealedEntry.forRequest("3f0c9a5e-8f0e-4d43-9a57-1c1f1d0f2b6a");
    String sealed = mine.seal("{\"token\":\"sf_secret\"}");
    assertFalse(sealed.contains("sf_secret"));
    assertFalse(mine.key().contains("3f0c9a5e"), "the map key does not reveal the id");
    assertEquals(mine.key(), SealedEntry.forRequest("3f0c9a5e-8f0e-4d43-9a57-1c1f1d0f2b6a").key());
    assertEquals("{\"token\":\"sf_secret\"}", SealedEntry.forRequest("3f0c9a5e-8f0e-4d43-9a57-1c1f1d0f2b6a")
        .open(sealed));
    assertNotEquals(sealed, mine.seal("{\"token\":\"sf_secret\"}"), "a fresh nonce each time");

    SealedEntry other = SealedEntry.forRequest("another-id");
    assertNotEquals(mine.key(), other.key());
    StorefleetException e = assertThrows(StorefleetException.class, () -> other.open(sealed));
    assertEquals(ErrorCode.DIRECTORY_DAMAGED, e.code());
  }
}
