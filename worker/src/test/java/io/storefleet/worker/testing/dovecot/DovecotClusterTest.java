package io.storefleet.worker.testing.dovecot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.imap.ACL;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.Rights;
import org.junit.jupiter.api.Test;

/**
 * The cluster topology itself, with plain mail clients: a grantee logged in on their own server
 * opens a folder another server's user shared with them, and only that folder.
 */
class DovecotClusterTest {
  @Test
  void aGranteeOnItsOwnServerOpensTheOwnersFolderOnAnotherServer() throws Exception {
    DovecotExtension.requireDovecot();
    try (DovecotCluster cluster = DovecotCluster.start(3)) {
      cluster.backend(0).addUser("ann@example.test", "annpw");
      cluster.backend(1).addUser("bob@example.test", "bobpw");
      cluster.backend(2).addUser("cal@example.test", "calpw");
      Store ann = cluster.backend(0).login("ann@example.test", "annpw");
      IMAPFolder projects = (IMAPFolder) ann.getFolder("Projects");
      projects.create(Folder.HOLDS_MESSAGES);
      projects.appendMessages(new Message[] {message("plans for bob")});
      projects.addACL(new ACL("bob@example.test", new Rights("lrs")));
      ann.close();

      Store bob = cluster.backend(1).login("bob@example.test", "bobpw");
      List<String> names = Arrays.stream(bob.getDefaultFolder().list("*")).map(Folder::getFullName).toList();
      assertTrue(names.contains("shared/ann@example.test/Projects"), names + cluster.logs());
      Folder shared = bob.getFolder("shared/ann@example.test/Projects");
      shared.open(Folder.READ_ONLY);
      assertEquals("plans for bob", shared.getMessage(1).getSubject());
      shared.close();
      assertFalse(canOpen(bob, "shared/ann@example.test/INBOX"), "only the shared folder");
      bob.close();

      Store cal = cluster.backend(2).login("cal@example.test", "calpw");
      assertFalse(canOpen(cal, "shared/ann@example.test/Projects"), "not shared with cal");
      cal.close();
    }
  }

  private static boolean canOpen(Store s, String name) {
    try {
      Folder f = s.getFolder(name);
      f.open(Folder.READ_ONLY);
      f.close();
      return true;
    } catch (MessagingException e) {
      return false;
    }
  }

  private static MimeMessage message(String subject) throws MessagingException {
    return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(
        ("From: ann@example.test\r\nSubject: " + subject + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII)));
  }
}
