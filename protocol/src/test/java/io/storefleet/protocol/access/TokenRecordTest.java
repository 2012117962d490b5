package io.storefleet.protocol.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.codec.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenRecordTest {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private final TokenRecord active = new TokenRecord(TokenRecord.idOf("secret"), "ann", Role.HELPDESK,
      List.of("acme.test"), T0, "admin", null, null);

  @Test
  void theIdIsTheHexSha256OfTheTokenAndNeverTheToken() {
    assertEquals("2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b", active.id());
    assertFalse(Json.encode(active).contains("\"secret\""));
  }

  @Test
  void aRevocationWinsWhateverTheOrderOfMerging() {
    TokenRecord revoked = active.revoked(T0.plusSeconds(60), "boss");
    TokenRecord revokedLater = active.revoked(T0.plusSeconds(120), "other");
    assertEquals(revoked, active.merge(revoked));
    assertEquals(revoked, revoked.merge(active));
    assertEquals(revoked, revokedLater.merge(revoked));
    assertEquals(revoked, revoked.merge(revokedLater));
    assertEquals(revoked, revoked.revoked(T0.plusSeconds(999), "again"), "a revoked record stays as it was");
  }

  @Test
  void ofTwoActiveCopiesTheEarlierCreatedIsKept() {
    TokenRecord later = new TokenRecord(active.id(), "ann", Role.HELPDESK, List.of("acme.test"), T0.plusSeconds(5),
        "admin", null, null);
    assertEquals(active, later.merge(active));
    assertEquals(active, active.merge(later));
  }

  @Test
  void copiesAtTheSameInstantMergeToTheSameRecordInEitherOrder() {
    TokenRecord byBoss = active.revoked(T0.plusSeconds(60), "boss");
    TokenRecord byOther = active.revoked(T0.plusSeconds(60), "other");
    assertEquals(byBoss, byBoss.merge(byOther));
    assertEquals(byBoss, byOther.merge(byBoss));
    TokenRecord renamed = active.named("admin-2bb80d53");
    assertEquals(active.merge(renamed), renamed.merge(active));
  }

  @Test
  void anotherTokensRecordIsNotMerged() {
    TokenRecord other = new TokenRecord(TokenRecord.idOf("x"), "bob", Role.VIEWER, List.of(), T0, "admin", null, null);
    assertEquals(active, active.merge(other.revoked(T0, "admin")));
    assertNotEquals(active.id(), other.id());
  }

  @Test
  void rolesIncludeTheOnesBelow() {
    assertTrue(Role.ADMIN.includes(Role.VIEWER));
    assertTrue(Role.OPERATOR.includes(Role.HELPDESK));
    assertTrue(Role.HELPDESK.includes(Role.HELPDESK));
    assertFalse(Role.HELPDESK.includes(Role.OPERATOR));
    assertFalse(Role.VIEWER.includes(Role.HELPDESK));
    assertEquals(Role.OPERATOR, Role.fromWord("Operator"));
  }
}
