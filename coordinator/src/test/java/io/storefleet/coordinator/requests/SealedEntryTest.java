package io.storefleet.coordinator.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import org.junit.jupiter.api.Test;

class SealedEntryTest {
  @Test
  void onlyTheRequestIdWithTheSameCredentialOpensWhatWasSealedUnderIt() {
    SealedEntry mine = SealedEntry.forRequest("3f0c9a5e-8f0e-4d43-9a57-1c1f1d0f2b6a", "Bearer sf_ann");
    String sealed = mine.seal("{\"token\":\"sf_secret\"}");
    assertFalse(sealed.contains("sf_secret"));
    assertFalse(mine.key().contains("3f0c9a5e"), "the map key does not reveal the id");
    assertEquals(mine.key(), SealedEntry.forRequest("3f0c9a5e-8f0e-4d43-9a57-1c1f1d0f2b6a", "Bearer sf_ann").key());
    assertEquals("{\"token\":\"sf_secret\"}", SealedEntry.forRequest("3f0c9a5e-8f0e-4d43-9a57-1c1f1d0f2b6a", "Bearer sf_ann")
        .open(sealed));
    assertNotEquals(sealed, mine.seal("{\"token\":\"sf_secret\"}"), "a fresh nonce each time");

    SealedEntry other = SealedEntry.forRequest("another-id", "Bearer sf_ann");
    assertNotEquals(mine.key(), other.key());
    StorefleetException e = assertThrows(StorefleetException.class, () -> other.open(sealed));
    assertEquals(ErrorCode.CONFLICT, e.code());

    // The same (short, guessable) id with another credential: found under the same key, not readable.
    SealedEntry guessed = SealedEntry.forRequest("3f0c9a5e-8f0e-4d43-9a57-1c1f1d0f2b6a", "Bearer sf_mallory");
    assertEquals(mine.key(), guessed.key());
    StorefleetException g = assertThrows(StorefleetException.class, () -> guessed.open(sealed));
    assertEquals(ErrorCode.CONFLICT, g.code());
    assertTrue(g.getMessage().contains("another token or session"), g.getMessage());
  }
}
