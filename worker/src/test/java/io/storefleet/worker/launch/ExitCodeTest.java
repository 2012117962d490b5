package io.storefleet.worker.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storefleet.fabric.membership.ServerIdClaim;
import io.storefleet.fabric.membership.ServerIdInUseException;
import io.storefleet.protocol.error.ErrorCode;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Which code a start failure ends with; the systemd unit retries all but 64, 73 and 75. */
class ExitCodeTest {
  private static final ServerIdClaim HOLDER =
      new ServerIdClaim("mbox1", "m-1", "10.0.0.11:5701", 4242, "/srv/storefleet/mbox1", Instant.EPOCH);

  @Test
  void aHolderThatAnsweredIsNotRetriedButASilentOneIs() {
    assertEquals(75, ExitCode.of(new ServerIdInUseException(HOLDER, true)).code());
    assertEquals(ExitCode.SERVER_ID_HOLDER_SILENT, ExitCode.of(new ServerIdInUseException(HOLDER, false)));
    assertEquals(69, ExitCode.SERVER_ID_HOLDER_SILENT.code());
  }

  @Test
  void everyConflictWhileOpeningTheDataIsDataInUseAsDocumented() {
    assertEquals(73, ExitCode.of(new CompletionException(
        ErrorCode.CONFLICT.exception("backup path /b is open in another storefleet engine").onServer("mbox1"))).code());
    assertEquals(ExitCode.DATA_IN_USE,
        ExitCode.of(ErrorCode.CONFLICT.exception("backup path /b has format 'x' version 9, which this storefleet")));
    assertEquals(ExitCode.START_FAILED, ExitCode.of(ErrorCode.IO_ERROR.exception("disk full")));
  }
}
