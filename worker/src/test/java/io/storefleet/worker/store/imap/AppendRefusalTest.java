package io.storefleet.worker.store.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.Response;
import org.junit.jupiter.api.Test;

/**
 * An APPEND's NO, scripted as a server sends it: a refusal of the message stays a definite
 * BAD_VALUE (the restore reports that message), a quota, limit or server trouble is an indefinite
 * IO_ERROR naming the server and its reason (the restore fails, to be run again).
 */
class AppendRefusalTest {
  private static StorefleetException refusal(String line) {
    return AppendRefusal.of(new CommandFailedException(new Response(line)), "one of 3 messages for INBOX of ann@x.test",
        "127.0.0.1:143");
  }

  @Test
  void aRefusalOfTheMessageIsBadValue() {
    for (String line : new String[] {"A7 NO Mail is empty", "A7 NO [CANNOT] Message has invalid headers",
        "A7 NO [PARSE] Invalid message", "A7 NO [TOOBIG] Message too large", "A7 NO [CLIENTBUG] Bad date"}) {
      StorefleetException e = refusal(line);
      assertEquals(ErrorCode.BAD_VALUE, e.code(), line);
      assertTrue(e.getMessage().contains("127.0.0.1:143") && e.getMessage().contains(line.substring(6)),
          e.getMessage());
    }
  }

  @Test
  void quotaLimitsAndServerTroubleFailTheOperationAsRetriable() {
    for (String code : new String[] {"OVERQUOTA", "LIMIT", "UNAVAILABLE", "SERVERBUG", "INUSE", "NOPERM",
        "CONTACTADMIN", "SOMETHINGNEW"}) {
      StorefleetException e = refusal("A7 NO [" + code + "] the server's words");
      assertEquals(ErrorCode.IO_ERROR, e.code(), code);
      assertFalse(e.code().definite(), code);
      assertTrue(e.getMessage().contains("127.0.0.1:143") && e.getMessage().contains(code)
          && e.getMessage().contains("the server's words"), e.getMessage());
    }
    assertTrue(refusal("A7 NO [OVERQUOTA] Quota exceeded").getMessage().contains("quota"));
  }

  @Test
  void aMailboxThatIsGoneIsNotFound() {
    assertEquals(ErrorCode.NOT_FOUND, refusal("A7 NO [TRYCREATE] Mailbox doesn't exist: Projects").code());
    assertEquals(ErrorCode.NOT_FOUND, refusal("A7 NO [NONEXISTENT] Unknown mailbox").code());
  }
}
