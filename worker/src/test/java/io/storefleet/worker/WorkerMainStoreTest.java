package io.storefleet.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.fabric.config.Settings;
import io.storefleet.worker.config.StoreConfig;
import io.storefleet.worker.config.WorkerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's command line chooses its store: local by default, imap with the store.* settings. */
class WorkerMainStoreTest {
  @TempDir Path dir;

  @Test
  void theStoreKindComesFromTheCommandLine() throws Exception {
    WorkerConfig local = WorkerMain.config(Settings.parse(new String[] {"--server-id", "mbox1",
        "--server-data-dir", dir.toString()}, WorkerMain.KEYS));
    assertEquals(StoreConfig.LOCAL, local.store().kind());

    Path secret = dir.resolve("master.secret");
    Files.writeString(secret, "pw\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    WorkerConfig imap = WorkerMain.config(Settings.parse(new String[] {"--server-id", "mbox1",
        "--server-data-dir", dir.toString(), "--store-kind", "imap", "--store-imap-host", "127.0.0.1",
        "--store-imap-tls", "none", "--store-imap-master-user", "backup",
        "--store-imap-master-password-file", secret.toString(), "--store-doveadm-url",
        "http://127.0.0.1:8080/doveadm/v1", "--store-doveadm-password-file", secret.toString()}, WorkerMain.KEYS));
    assertEquals(StoreConfig.IMAP, imap.store().kind());
    assertEquals(143, imap.store().imap().port());

    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
    String e = assertThrows(IllegalArgumentException.class, () -> WorkerMain.config(Settings.parse(new String[] {
        "--server-id", "mbox1", "--store-kind", "imap", "--store-imap-host", "h", "--store-imap-master-user", "b",
        "--store-imap-master-password-file", secret.toString(), "--store-doveadm-url", "http://h/doveadm/v1",
        "--store-doveadm-password-file", secret.toString()}, WorkerMain.KEYS))).getMessage();
    assertTrue(e.contains("chmod 600"), e);
  }
}
