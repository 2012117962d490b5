package io.storefleet.worker.store.imap;

import java.io.IOException;
import java.util.Properties;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.ParsingException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.FetchItem;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.ResyncData;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.MailboxInfo;
import org.eclipse.angus.mail.util.MailLogger;

/**
 * Angus's IMAP protocol taught Dovecot's {@code X-GUID} FETCH item: a message's GUID, which
 * survives MOVE and a UIDVALIDITY change and so keeps item ids stable. Without it Angus rejects
 * the FETCH response as unparsable. It also counts logins, mailboxes opened and whole messages read ({@link ImapTraffic}).
 */
final class XGuidProtocol extends IMAPProtocol {
  static final String X_GUID = "X-GUID";

  private static final FetchItem[] ITEMS = {
    new FetchItem(X_GUID, null) {
      @Override
      public Object parseItem(FetchResponse r) throws ParsingException {
        String guid = r.readAtomString();
        if (guid == null) {
          throw new ParsingException("X-GUID without a value");
        }
        return guid;
      }
    }
  };

  private final ImapTraffic traffic;

  XGuidProtocol(String host, int port, Properties props, boolean ssl, MailLogger logger, ImapTraffic traffic)
      throws IOException, ProtocolException {
    super("imap", host, port, props, ssl, logger);
    this.traffic = traffic;
  }

  @Override
  public void login(String u, String p) throws ProtocolException {
    traffic.login();
    super.login(u, p);
  }

  @Override
  public MailboxInfo select(String mbox, ResyncData resync) throws ProtocolException {
    traffic.mailboxOpened();
    return super.select(mbox, resync);
  }

  @Override
  public MailboxInfo examine(String mbox, ResyncData resync) throws ProtocolException {
    traffic.mailboxOpened();
    return super.examine(mbox, resync);
  }

  @Override
  public Response[] command(String command, Argument args) {
    // The super constructor may run commands (CAPABILITY) before the field is set.
    if (traffic != null && command.startsWith("LIST ")) {
      traffic.listed();
    }
    return super.command(command, args);
  }

  /**
   * Every response passes here, whatever command (or none) it answers, so the whole messages read
   * are counted from what the server sent ({@link ImapTraffic#received}).
   */
  @Override
  public Response readResponse() throws IOException, ProtocolException {
    Response r = super.readResponse();
    // The greeting is read by the super constructor, before the field is set; it reads no message.
    if (traffic != null) {
      traffic.received(r);
    }
    return r;
  }

  /** A flag list as APPEND and STORE write it: {@code (\Seen keyword)}. */
  String flagList(jakarta.mail.Flags flags) {
    return createFlagList(flags);
  }

  @Override
  public FetchItem[] getFetchItems() {
    return ITEMS;
  }
}
