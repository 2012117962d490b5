package io.storefleet.worker.store.imap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.Response;
import org.junit.jupiter.api.Test;

/**
 * An APPEND's NO, scripted as a server sends it: a refusal of the message stays a definite
 * BAD_VALUE (the restore reports that message), a quota, limit or server trouble is an indefinite
 * IO_ERROR naming the server and its reason (the restore fails, to be run again), and a NO without
 * a response code is tried once more before it is taken as a refusal.
 */
class AppendRefusalTest {
  private static final long[] UIDS = {41, 42, 43};

  /** Answers each APPEND with the next scripted NO line, or with the UIDs once the script is used up. */
  private static final class ScriptedServer implements AppendRefusal.Attempt {
    private final Deque<String> noLines;
    private int appends;

    ScriptedServer(String... noLines) {
      this.noLines = new ArrayDeque<>(List.of(noLines));
    }

    @Override
    public long[] append() throws CommandFailedException {
      appends++;
      if (noLines.isEmpty()) {
        return UIDS;
      }
      throw new CommandFailedException(new Response(noLines.removeFirst()));
    }
  }

  private static StorefleetException refusal(ScriptedServer server) {
    return assertThrows(StorefleetException.class,
        () -> AppendRefusal.appended(server, "one of 3 messages for INBOX of ann@x.test", "127.0.0.1:143"));
  }

  /** The same NO to every APPEND. */
  private static StorefleetException refusal(String line) {
    return refusal(new ScriptedServer(line, line, line));
  }

  @Test
  void aRefusalOfTheMessageIsBadValue() {
    for (String line : new String[] {"A7 NO Can't save a zero byte message.", "A7 NO [CANNOT] Message has invalid headers",
        "A7 NO [PARSE] Invalid message", "A7 NO [TOOBIG] Message too large", "A7 NO [CLIENTBUG] Bad date"}) {
      StorefleetException e = refusal(line);
      assertEquals(ErrorCode.BAD_VALUE, e.code(), line);
      assertTrue(e.getMessage().contains("127.0.0.1:143") && e.getMessage().contains(line.substring(6)),
          e.getMessage());
    }
  }

  /**
   * RFC 3501 lets a codeless NO to APPEND mean the mailbox as well as the message: only a second
   * codeless NO to the same APPEND (nothing of the first was appended) makes it the message's.
   */
  @Test
  void aNoWithoutACodeIsTriedOnceMoreSoGoodMailGoesIn() throws Exception {
    ScriptedServer once = new ScriptedServer("A7 NO Operation interrupted");
    assertArrayEquals(UIDS, AppendRefusal.appended(once, "the message for INBOX of ann@x.test", "127.0.0.1:143"));
    assertEquals(2, once.appends);

    ScriptedServer twice = new ScriptedServer("A7 NO Can't save a zero byte message.",
        "A8 NO Can't save a zero byte message.");
    StorefleetException e = refusal(twice);
    assertEquals(ErrorCode.BAD_VALUE, e.code());
    assertEquals(2, twice.appends, "tried once more, then taken as the message's");
    assertTrue(e.getMessage().contains("zero byte") && e.getMessage().contains("no response code"), e.getMessage());

    ScriptedServer thenQuota = new ScriptedServer("A7 NO Operation interrupted", "A8 NO [OVERQUOTA] Quota exceeded");
    assertEquals(ErrorCode.IO_ERROR, refusal(thenQuota).code(), "the second answer's code decides");
    assertEquals(2, thenQuota.appends);
  }

  @Test
  void aNoWithACodeIsNotTriedAgain() {
    for (String line : new String[] {"A7 NO [CANNOT] Message has invalid headers", "A7 NO [OVERQUOTA] Quota exceeded",
        "A7 NO [TRYCREATE] Mailbox doesn't exist: Projects"}) {
      ScriptedServer server = new ScriptedServer(line);
      refusal(server);
      assertEquals(1, server.appends, line);
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
