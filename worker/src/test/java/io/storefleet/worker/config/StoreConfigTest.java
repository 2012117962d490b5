package io.storefleet.worker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.fabric.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreConfigTest {
  @TempDir Path dir;

  private static StoreConfig parse(String... flags) throws Exception {
    List<String> keys = new ArrayList<>(StoreConfig.KEYS);
    return StoreConfig.from(Settings.parse(flags, keys));
  }

  private static String error(String... flags) {
    return assertThrows(IllegalArgumentException.class, () -> parse(flags)).getMessage();
  }

  @Test
  void theEmbeddedStoreIsTheDefault() throws Exception {
    StoreConfig c = parse();
    assertEquals(StoreConfig.LOCAL, c.kind());
    assertNull(c.imap());
  }

  private Path secret(String name) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, "pw\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    return p;
  }

  @Test
  void anImapStoreIsReadFromFlags() throws Exception {
    StoreConfig c = parse("--store-kind", "imap", "--store-imap-host", "mail.example.test",
        "--store-imap-master-user", "backup", "--store-imap-master-password-file", secret("master").toString(),
        "--store-doveadm-url", "http://127.0.0.1:8080/doveadm/v1", "--store-doveadm-password-file",
        secret("doveadm").toString(),
        "--store-imap-tls", "implicit", "--store-max-connections", "3", "--store-users-file", "/etc/dovecot/users");
    ImapStoreConfig i = c.imap();
    assertEquals("mail.example.test", i.host());
    assertEquals(993, i.port());
    assertEquals(ImapStoreConfig.Tls.IMPLICIT, i.tls());
    assertEquals(3, i.maxConnections());
    assertEquals(Path.of("/etc/dovecot/users"), i.usersFile());
    assertEquals("backup", i.masterUser());
  }

  @Test
  void theChangeFeedSettingsAreReadWithDefaults() throws Exception {
    String[] base = {"--store-kind", "imap", "--store-imap-host", "h", "--store-imap-master-user", "backup",
        "--store-imap-master-password-file", secret("m").toString(), "--store-doveadm-url", "http://h/doveadm/v1",
        "--store-doveadm-password-file", secret("d").toString()};
    ImapStoreConfig plain = parse(base).imap();
    assertNull(plain.changeLog());
    assertNull(plain.lazyExpungeMailbox());
    assertEquals(ImapStoreConfig.DEFAULT_SWEEP, plain.sweepEvery());
    assertEquals(ImapStoreConfig.DEFAULT_KEPT_SESSIONS, plain.keptSessions());
    assertEquals(List.of(), plain.viewNamespaces());
    List<String> flags = new ArrayList<>(List.of(base));
    flags.addAll(List.of("--store-imap-change-log", "/var/log/dovecot-info.log", "--store-sweep-seconds", "60",
        "--store-imap-lazy-expunge", "EXPUNGED", "--store-kept-sessions", "0",
        "--store-view-namespaces", " Virtual/, Views.Flagged. ,"));
    ImapStoreConfig feed = parse(flags.toArray(String[]::new)).imap();
    assertEquals(0, feed.keptSessions());
    assertEquals(Path.of("/var/log/dovecot-info.log"), feed.changeLog());
    assertEquals(java.time.Duration.ofSeconds(60), feed.sweepEvery());
    assertEquals("EXPUNGED", feed.lazyExpungeMailbox());
    assertEquals(List.of("Virtual/", "Views.Flagged."), feed.viewNamespaces());
    flags.addAll(List.of("--store-sweep-seconds", "0"));
    String sweep = error(flags.toArray(String[]::new));
    assertTrue(sweep.contains("store.sweepSeconds is 0"), sweep);
    List<String> negative = new ArrayList<>(List.of(base));
    negative.addAll(List.of("--store-kept-sessions", "-1"));
    String kept = error(negative.toArray(String[]::new));
    assertTrue(kept.contains("store.keptSessions is -1"), kept);
    List<String> bare = new ArrayList<>(List.of(base));
    bare.addAll(List.of("--store-view-namespaces", "Virtual"));
    String view = error(bare.toArray(String[]::new));
    assertTrue(view.contains("store.viewNamespaces names 'Virtual'") && view.contains("e.g. Virtual/"), view);
  }

  @Test
  void badSettingsNameTheKeyAndTheFix() throws Exception {
    assertTrue(error("--store-kind", "zimbra").contains("store.kind is 'zimbra'; give local or imap"));
    assertTrue(error("--store-kind", "imap").contains("store.imapHost is required"));
    String tls = error("--store-kind", "imap", "--store-imap-host", "h", "--store-imap-tls", "sometimes");
    assertTrue(tls.contains("store.imapTls") && tls.contains("none, starttls or implicit"), tls);
    String m = secret("m").toString();
    String d = secret("d").toString();
    String master = error("--store-kind", "imap", "--store-imap-host", "h", "--store-imap-master-user", "a*b",
        "--store-imap-master-password-file", m, "--store-doveadm-url", "http://h/doveadm/v1",
        "--store-doveadm-password-file", d);
    assertTrue(master.contains("store.imapMasterUser"), master);
    String url = error("--store-kind", "imap", "--store-imap-host", "h", "--store-imap-master-user", "backup",
        "--store-imap-master-password-file", m, "--store-doveadm-url", "ftp://h",
        "--store-doveadm-password-file", d);
    assertTrue(url.contains("store.doveadmUrl"), url);
    String missing = error("--store-kind", "imap", "--store-imap-host", "h", "--store-imap-master-user", "backup",
        "--store-imap-master-password-file", dir.resolve("absent").toString(), "--store-doveadm-url",
        "http://h/doveadm/v1", "--store-doveadm-password-file", d);
    assertTrue(missing.contains("store.imapMasterPasswordFile") && missing.contains("absent"), missing);
  }

  @Test
  void aSecretFileMustBeOwnerOnly() throws Exception {
    Path secret = dir.resolve("master");
    Files.writeString(secret, "s3cret\nignored\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
    String e = assertThrows(IllegalArgumentException.class, () -> SecretFile.read("store.imapMasterPasswordFile",
        secret)).getMessage();
    assertTrue(e.contains("store.imapMasterPasswordFile") && e.contains("chmod 600 " + secret), e);
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    assertEquals("s3cret", SecretFile.read("store.imapMasterPasswordFile", secret));
    String missing = assertThrows(IllegalArgumentException.class,
        () -> SecretFile.read("store.doveadmPasswordFile", dir.resolve("none"))).getMessage();
    assertTrue(missing.contains("store.doveadmPasswordFile"), missing);
  }
}
