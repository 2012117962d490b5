package io.storefleet.worker.notify;

import io.storefleet.worker.config.SecretFile;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/** Mails a notice through the configured relay with Jakarta Mail (Angus); blocking, so never on an event loop. */
public class MailSender {
  private static final String TIMEOUT_MILLIS = "20000";

  /**
   * Sends one plain-text message to every address of {@code to}.
   *
   * @param reference put in an {@code X-Storefleet-Notice} header, so a reader can match mail to operation
   * @throws DeliveryFailure saying whether trying again may help
   */
  void send(SmtpRelay relay, List<String> to, String subject, String text, Instant at, String reference)
      throws DeliveryFailure {
    Properties p = new Properties();
    p.put("mail.smtp.host", relay.host());
    p.put("mail.smtp.port", Integer.toString(relay.port()));
    p.put("mail.smtp.connectiontimeout", TIMEOUT_MILLIS);
    p.put("mail.smtp.timeout", TIMEOUT_MILLIS);
    p.put("mail.smtp.writetimeout", TIMEOUT_MILLIS);
    if (relay.startTls()) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
      p.put("mail.smtp.ssl.checkserveridentity", "true");
    }
    String password = null;
    if (relay.user() != null) {
      p.put("mail.smtp.auth", "true");
      password = password(relay);
    }
    Session session = Session.getInstance(p);
    MimeMessage m = message(session, relay, to, subject, text, at, reference);
    SMTPTransport t;
    try {
      t = (SMTPTransport) session.getTransport("smtp");
    } catch (MessagingException e) {
      throw new DeliveryFailure(false, "no SMTP transport in this JVM: " + e.getMessage(), e);
    }
    try {
      t.connect(relay.host(), relay.port(), relay.user(), password);
      t.sendMessage(m, m.getAllRecipients());
    } catch (MessagingException e) {
      throw classify(relay, e, t.getLastReturnCode(), t.getLastServerResponse());
    } finally {
      try {
        t.close();
      } catch (MessagingException e) {
        // The message was handed over or the failure is already reported; a failed QUIT adds nothing.
      }
    }
  }

  private static String password(SmtpRelay relay) throws DeliveryFailure {
    if (relay.passwordFile() == null) {
      throw new DeliveryFailure(false, "ZxBackup_NotifySmtpUser is set but ZxBackup_NotifySmtpPasswordFile is not;"
          + " set it to an owner-only file whose first line is the password", null);
    }
    try {
      return SecretFile.read("ZxBackup_NotifySmtpPasswordFile", relay.passwordFile());
    } catch (IllegalArgumentException e) {
      throw new DeliveryFailure(false, e.getMessage(), e);
    }
  }

  private static MimeMessage message(Session session, SmtpRelay relay, List<String> to, String subject, String text,
      Instant at, String reference) throws DeliveryFailure {
    try {
      MimeMessage m = new MimeMessage(session);
      m.setFrom(new InternetAddress(relay.sender(), true));
      for (String a : to) {
        m.addRecipient(Message.RecipientType.TO, new InternetAddress(a, true));
      }
      m.setSubject(subject, "UTF-8");
      m.setText(text, "UTF-8");
      m.setSentDate(Date.from(at));
      m.setHeader("X-Storefleet-Notice", reference);
      return m;
    } catch (AddressException e) {
      throw new DeliveryFailure(false, "bad address '" + e.getRef() + "': " + e.getMessage(), e);
    } catch (MessagingException e) {
      throw new DeliveryFailure(false, "cannot build the message: " + e.getMessage(), e);
    }
  }

  /** SMTP 4xx, and a connection refused, cut or timed out, may pass; anything else will not by itself. */
  private static DeliveryFailure classify(SmtpRelay relay, MessagingException e, int lastCode, String lastResponse) {
    int code = lastCode;
    Throwable c = e;
    for (int depth = 0; c != null && depth < 10; depth++, c = c.getCause()) {
      if (c instanceof SMTPSendFailedException s) {
        code = s.getReturnCode();
      } else if (c instanceof SMTPAddressFailedException s) {
        code = s.getReturnCode();
      } else if (c instanceof SMTPSenderFailedException s) {
        code = s.getReturnCode();
      } else if (c instanceof IOException && code <= 0) {
        return new DeliveryFailure(true, "relay " + relay.address() + ": " + c, e);
      }
    }
    String said = String.valueOf(e.getMessage());
    if (code >= 400 && lastResponse != null && !lastResponse.isBlank() && !said.contains(lastResponse.strip())) {
      said += " (the relay said: " + lastResponse.strip() + ")";
    }
    boolean temporary = code >= 400 && code < 500;
    return new DeliveryFailure(temporary, "relay " + relay.address() + ": " + said, e);
  }
}
