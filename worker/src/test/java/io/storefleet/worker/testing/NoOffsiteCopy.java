package io.storefleet.worker.testing;

import io.storefleet.worker.backup.LocalBackup;
import io.storefleet.worker.backup.command.RemoteCopy;
import io.storefleet.worker.offsite.Bandwidth;
import io.storefleet.worker.offsite.OffsiteCopy;
import io.storefleet.worker.offsite.OffsiteOperations;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The off-site copy of a worker whose ZxBackup_RemoteEndpoint is none, as the worker builds it:
 * the backup commands of a fixture refuse and skip what needs a copy exactly as a real worker does.
 */
public final class NoOffsiteCopy {
  private NoOffsiteCopy() {}

  public static RemoteCopy of(LocalBackup local, Path stateDir, Clock clock) {
    return new OffsiteOperations(local, new OffsiteCopy(local.serverId(), () -> null, stateDir, clock,
        (volume, secrets) -> {
          throw new AssertionError("no off-site copy is configured, so none may be opened");
        }, 1000, 1, Bandwidth.Ticker.SYSTEM));
  }
}
