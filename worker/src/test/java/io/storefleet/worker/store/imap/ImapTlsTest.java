package io.storefleet.worker.store.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.config.ImapStoreConfig;
import io.storefleet.worker.config.SecretFile;
import io.storefleet.worker.testing.dovecot.DovecotExtension;
import io.storefleet.worker.testing.dovecot.DovecotServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** STARTTLS and implicit TLS against a Dovecot with a self-signed certificate, trusted by PEM file or not. */
class ImapTlsTest {
  @RegisterExtension static final DovecotExtension DOVECOT = new DovecotExtension(true);

  @BeforeAll
  static void user() throws Exception {
    DOVECOT.server().addUser("tls@example.test", "pw");
  }

  private static ImapConnections connections(ImapStoreConfig.Tls tls, int port, Path trusted) {
    DovecotServer d = DOVECOT.server();
    ImapStoreConfig c = new ImapStoreConfig("127.0.0.1", port, tls, trusted, d.masterUser(), d.masterPasswordFile(),
        ImapTestClient.config(d).doveadmUrl(), d.doveadmPasswordFile(), 1, null, Duration.ofSeconds(60));
    return new ImapConnections(c, SecretFile.read("test", c.masterPasswordFile()));
  }

  @Test
  void startTlsWithTheServersCertificateTrusted() {
    ImapConnections imap = connections(ImapStoreConfig.Tls.STARTTLS, DOVECOT.server().imapPort(),
        DOVECOT.server().certificate());
    assertTrue(imap.call("tls@example.test", s -> s.mailboxes()).stream().anyMatch(m -> m.name().equals("INBOX")));
  }

  @Test
  void implicitTlsWithTheServersCertificateTrusted() {
    ImapConnections imap = connections(ImapStoreConfig.Tls.IMPLICIT, DOVECOT.server().imapsPort(),
        DOVECOT.server().certificate());
    assertTrue(imap.call("tls@example.test", s -> s.mailboxes()).stream().anyMatch(m -> m.name().equals("INBOX")));
  }

  @Test
  void anUntrustedCertificateIsRefusedNamingTheServer() {
    ImapConnections imap = connections(ImapStoreConfig.Tls.STARTTLS, DOVECOT.server().imapPort(), null);
    StorefleetException e = assertThrows(StorefleetException.class, () -> imap.call("tls@example.test", s -> null));
    assertEquals(ErrorCode.IO_ERROR, e.code());
    assertFalse(e.code().definite());
    assertTrue(e.getMessage().contains("127.0.0.1:" + DOVECOT.server().imapPort()), e.getMessage());
    assertTrue(e.getMessage().contains("STARTTLS"), e.getMessage());
  }
}
