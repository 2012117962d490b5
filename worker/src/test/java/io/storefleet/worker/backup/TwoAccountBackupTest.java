package io.storefleet.worker.backup;

import io.storefleet.worker.store.Account;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start most backup tests share: a {@link BackupFixture} whose store has the domain
 * example.com and the accounts ann and ben, closed after each test. A subclass's own
 * {@code @BeforeEach} runs after this one, with the accounts in place.
 */
public abstract class TwoAccountBackupTest {
  @TempDir protected Path dir;
  protected BackupFixture f;
  protected Account ann;
  protected Account ben;

  @BeforeEach
  final void openFixture() throws Exception {
    f = new BackupFixture(dir);
    f.store.createDomain("example.com");
    ann = f.account("ann@example.com");
    ben = f.account("ben@example.com");
  }

  @AfterEach
  final void closeFixture() throws Exception {
    f.close();
  }
}
