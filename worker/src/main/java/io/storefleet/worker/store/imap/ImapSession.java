package io.storefleet.worker.store.imap;

import jakarta.mail.Flags;
import java.io.Closeable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.ACL;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxDecoder;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.ListInfo;
import org.eclipse.angus.mail.imap.protocol.MailboxInfo;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.eclipse.angus.mail.imap.protocol.UIDSet;

/**
 * One logged-in IMAP connection acting as one account, with the commands the store uses. Every
 * method blocks on the network: call it from a worker thread. Mailbox names are given decoded;
 * they are encoded to modified UTF-7 here.
 */
final class ImapSession implements Closeable {
  private static final Pattern STATUS = Pattern.compile("^\\* STATUS (\"(?:[^\"\\\\]|\\\\.)*\"|\\S+) \\(");
  private static final Pattern APPENDUID = Pattern.compile("\\[APPENDUID (\\d+) ([0-9:,]+)]",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern COPYUID = Pattern.compile("\\[COPYUID (\\d+) (\\S+) (\\S+)]", Pattern.CASE_INSENSITIVE);

  private final XGuidProtocol protocol;
  private String selected;
  private boolean writable;
  private boolean qresync;
  private final ViewNamespaces views;
  private OwnNamespace own;

  ImapSession(XGuidProtocol protocol, ViewNamespaces views) {
    this.protocol = protocol;
    this.views = views;
  }

  /** Which mailboxes are the account's own mail; NAMESPACE asked once per session (the server's settings give it). */
  OwnNamespace ownNamespace() throws ProtocolException {
    if (own == null) {
      own = views.own(protocol.namespace());
    }
    return own;
  }

  /**
   * Every mailbox the account can see, with its status, in one LIST-STATUS round trip (names
   * decoded from modified UTF-7).
   */
  List<MailboxStatus> mailboxes() throws ProtocolException {
    if (selected != null) {
      // Dovecot answers STATUS of the selected mailbox from this session's view, which may not
      // have caught up with other clients' changes yet.
      protocol.unselect();
      selected = null;
    }
    Response[] rs = run(
        "LIST \"\" \"*\" RETURN (SPECIAL-USE STATUS (UIDVALIDITY HIGHESTMODSEQ X-GUID))", null);
    Map<String, ListInfo> lists = new LinkedHashMap<>();
    Map<String, String> statuses = new HashMap<>();
    for (Response r : rs) {
      if (r instanceof IMAPResponse ir && ir.isUnTagged()) {
        if (ir.keyEquals("LIST")) {
          ListInfo info = new ListInfo(ir);
          lists.put(info.name, info);
        } else if (ir.keyEquals("STATUS")) {
          Matcher m = STATUS.matcher(ir.toString());
          if (m.find()) {
            statuses.put(decodeName(m.group(1)), ir.toString());
          }
        }
      }
    }
    List<MailboxStatus> out = new ArrayList<>();
    for (ListInfo info : lists.values()) {
      Set<String> attrs = new HashSet<>(Arrays.asList(info.attrs == null ? new String[0] : info.attrs));
      boolean selectable = info.canOpen && attrs.stream().noneMatch(a -> a.equalsIgnoreCase("\\NonExistent"));
      String status = statuses.get(info.name);
      out.add(new MailboxStatus(info.name, info.separator, attrs, selectable && status != null,
          number(status, "UIDVALIDITY"), number(status, "HIGHESTMODSEQ"), word(status, "X-GUID")));
    }
    return out;
  }

  private static String decodeName(String raw) {
    String name = raw.startsWith("\"") ? raw.substring(1, raw.length() - 1).replace("\\\"", "\"")
        .replace("\\\\", "\\") : raw;
    return BASE64MailboxDecoder.decode(name);
  }

  private static long number(String status, String item) {
    String w = word(status, item);
    return w.isEmpty() ? 0 : Long.parseLong(w);
  }

  private static String word(String status, String item) {
    if (status == null) {
      return "";
    }
    Matcher m = Pattern.compile("[ (]" + item + " ([^ )]+)").matcher(status);
    return m.find() ? m.group(1) : "";
  }

  /**
   * Fails when the server no longer answers (a kept session it may have closed). With a mailbox
   * selected, by closing it (UNSELECT): a NOOP there would make the server send every change other
   * clients made to it since, and the next mailbox list needs it closed anyway.
   */
  void checkAlive() throws ProtocolException {
    if (selected != null) {
      protocol.unselect();
      selected = null;
    } else {
      run("NOOP", null);
    }
  }

  MailboxInfo examine(String mailbox) throws ProtocolException {
    // A failed EXAMINE or SELECT leaves no mailbox selected on the server.
    selected = null;
    MailboxInfo info = protocol.examine(mailbox);
    selected = mailbox;
    writable = false;
    return info;
  }

  private void select(String mailbox) throws ProtocolException {
    if (!mailbox.equals(selected) || !writable) {
      selected = null;
      protocol.select(mailbox);
      selected = mailbox;
      writable = true;
    }
  }

  /** UID, X-GUID, size, INTERNALDATE and flags of every message of a mailbox. */
  List<MessageMeta> messages(String mailbox) throws ProtocolException {
    MailboxInfo info = examine(mailbox);
    return info.total == 0 ? List.of() : fetchMeta("1:*");
  }

  /**
   * The messages whose MODSEQ is above {@code modSeq} and the UIDs expunged since then (QRESYNC:
   * {@code CHANGEDSINCE} with {@code VANISHED}), in one round trip and without listing the
   * mailbox's other UIDs. The server may name more vanished UIDs than were expunged (never fewer).
   */
  MailboxChanges changesSince(String mailbox, long modSeq) throws ProtocolException {
    if (!qresync) {
      run("ENABLE QRESYNC", null);
      qresync = true;
    }
    examine(mailbox);
    Response[] rs = run("UID FETCH 1:* (UID FLAGS X-GUID RFC822.SIZE INTERNALDATE) (CHANGEDSINCE "
        + modSeq + " VANISHED)", null);
    return new MailboxChanges(metas(rs), MailboxChanges.vanished(rs));
  }

  /** A mailbox's UIDVALIDITY and HIGHESTMODSEQ (STATUS), or empty if it does not exist. */
  Optional<long[]> status(String mailbox) throws ProtocolException {
    if (mailbox.equals(selected)) {
      // STATUS of the selected mailbox may answer from this session's older view.
      protocol.unselect();
      selected = null;
    }
    try {
      org.eclipse.angus.mail.imap.protocol.Status st = protocol.status(mailbox,
          new String[] {"UIDVALIDITY", "HIGHESTMODSEQ"});
      return Optional.of(new long[] {st.uidvalidity, st.highestmodseq});
    } catch (org.eclipse.angus.mail.iap.CommandFailedException e) {
      return Optional.empty();
    }
  }

  /** The UIDs of a mailbox's messages of exactly this wire size ({@code UID SEARCH LARGER … SMALLER …}). */
  List<Long> uidsOfSize(String mailbox, long size) throws ProtocolException {
    examine(mailbox);
    Response[] rs = run("UID SEARCH LARGER " + (size - 1) + " SMALLER " + (size + 1), null);
    List<Long> out = new ArrayList<>();
    for (Response r : rs) {
      if (r instanceof IMAPResponse ir && ir.isUnTagged() && ir.keyEquals("SEARCH")) {
        String rest = ir.getRest() == null ? "" : ir.getRest().trim();
        for (String n : rest.isEmpty() ? new String[0] : rest.split("\\s+")) {
          out.add(Long.parseLong(n));
        }
      }
    }
    return out;
  }

  private List<MessageMeta> fetchMeta(String uids) throws ProtocolException {
    Response[] rs = run("UID FETCH " + uids + " (UID FLAGS X-GUID RFC822.SIZE INTERNALDATE)", null);
    return metas(rs);
  }

  private static List<MessageMeta> metas(Response[] rs) {
    List<MessageMeta> out = new ArrayList<>();
    for (Response r : rs) {
      if (r instanceof FetchResponse f && f.getItem(UID.class) != null && f.getItem(RFC822SIZE.class) != null) {
        out.add(MessageMeta.of(f));
      }
    }
    return out;
  }

  /** A message's wire bytes ({@code BODY.PEEK[]}), or empty if the UID is gone. */
  Optional<byte[]> body(String mailbox, long uid) throws ProtocolException {
    return Optional.ofNullable(served(mailbox, new long[] {uid}).get(uid)).map(ServedMessage::wire);
  }

  /**
   * What {@link #messages} tells and the wire bytes ({@code BODY.PEEK[]}) of these UIDs, in one
   * UID FETCH, by UID; UIDs that are gone are left out.
   */
  Map<Long, ServedMessage> served(String mailbox, long[] uids) throws ProtocolException {
    if (uids.length == 0) {
      return Map.of();
    }
    boolean reopened = !mailbox.equals(selected);
    if (reopened) {
      examine(mailbox);
    }
    Map<Long, ServedMessage> found = fetchServed(uids);
    if (found.size() < uids.length && !reopened) {
      // A reused session's view may lag behind other clients: look again with a fresh one, for the missing only.
      examine(mailbox);
      found.putAll(fetchServed(Arrays.stream(uids).filter(u -> !found.containsKey(u)).toArray()));
    }
    return found;
  }

  private Map<Long, ServedMessage> fetchServed(long[] uids) throws ProtocolException {
    Response[] rs = run("UID FETCH " + UIDSet.toString(UIDSet.createUIDSets(uids))
        + " (UID FLAGS X-GUID RFC822.SIZE INTERNALDATE BODY.PEEK[])", null);
    Map<Long, ServedMessage> out = new HashMap<>();
    for (Response r : rs) {
      if (r instanceof FetchResponse f && f.getItem(UID.class) != null && f.getItem(RFC822SIZE.class) != null
          && f.getItem(BODY.class) != null && f.getItem(BODY.class).getByteArray() != null) {
        byte[] wire = f.getItem(BODY.class).getByteArray().getNewBytes();
        out.put(f.getItem(UID.class).uid, new ServedMessage(MessageMeta.of(f), wire));
      }
    }
    return out;
  }

  /** Appends raw bytes with flags and INTERNALDATE; the UIDPLUS answer. */
  AppendUID append(String mailbox, byte[] raw, Flags flags, Instant internalDate) throws ProtocolException {
    AppendUID uid = protocol.appenduid(mailbox, flags, internalDate == null ? null : Date.from(internalDate),
        new BytesLiteral(raw));
    if (uid == null) {
      throw new ProtocolException("the server gave no APPENDUID for " + mailbox + " (UIDPLUS is required)");
    }
    return uid;
  }

  /** One message of a MULTIAPPEND: bytes as they are sent, flags and keywords, INTERNALDATE (null: now). */
  record Appending(byte[] raw, Flags flags, Instant internalDate) {}

  /**
   * Appends messages in one MULTIAPPEND command (RFC 3502), which the server takes all or none;
   * with LITERAL+ the whole batch goes out without waiting for the server between messages. The
   * UIDs from APPENDUID, in the order given.
   */
  long[] appendAll(String mailbox, List<Appending> messages) throws ProtocolException {
    Argument args = new Argument().writeString(BASE64MailboxEncoder.encode(mailbox));
    for (Appending m : messages) {
      args.writeAtom(protocol.flagList(m.flags()));
      if (m.internalDate() != null) {
        args.writeString(INTERNALDATE.format(Date.from(m.internalDate())));
      }
      args.writeBytes(new BytesLiteral(m.raw()));
    }
    Response[] rs = run("APPEND", args);
    Matcher uid = APPENDUID.matcher(rs[rs.length - 1].toString());
    long[] uids = uid.find() ? UIDSet.toArray(UIDSet.parseUIDSets(uid.group(2))) : null;
    if (uids == null || uids.length != messages.size()) {
      throw new ProtocolException("the server gave no APPENDUID for the " + messages.size() + " message(s) appended to "
          + mailbox + " (UIDPLUS is required): " + rs[rs.length - 1]);
    }
    return uids;
  }

  /** Replaces a message's flags and keywords. */
  void replaceFlags(String mailbox, long uid, Flags flags) throws ProtocolException {
    select(mailbox);
    run("UID STORE " + uid + " FLAGS.SILENT " + protocol.flagList(flags), null);
  }

  /** Marks exactly these UIDs \Deleted and expunges exactly them (UID EXPUNGE), nothing else. */
  void expunge(String mailbox, long[] uids) throws ProtocolException {
    if (uids.length == 0) {
      return;
    }
    select(mailbox);
    UIDSet[] set = UIDSet.createUIDSets(uids);
    run("UID STORE " + UIDSet.toString(set) + " +FLAGS.SILENT (\\Deleted)", null);
    protocol.uidexpunge(set);
  }

  /** Moves one message (UID MOVE); its new UID in the target, from COPYUID. */
  long move(String mailbox, long uid, String target) throws ProtocolException {
    select(mailbox);
    Argument args = new Argument().writeAtom(Long.toString(uid)).writeString(BASE64MailboxEncoder.encode(target));
    Response[] rs = run("UID MOVE", args);
    for (Response r : rs) {
      Matcher m = COPYUID.matcher(r.toString());
      if (m.find()) {
        return UIDSet.toArray(UIDSet.parseUIDSets(m.group(3)))[0];
      }
    }
    throw new ProtocolException("UID MOVE of " + uid + " from " + mailbox + " to " + target + " gave no COPYUID");
  }

  void create(String mailbox) throws ProtocolException {
    protocol.create(mailbox);
  }

  void delete(String mailbox) throws ProtocolException {
    if (mailbox.equals(selected)) {
      protocol.unselect();
      selected = null;
    }
    protocol.delete(mailbox);
  }

  void rename(String from, String to) throws ProtocolException {
    if (from.equals(selected)) {
      protocol.unselect();
      selected = null;
    }
    protocol.rename(from, to);
  }

  /** Grants rights on a mailbox (SETACL), as a sharing client does. */
  void setAcl(String mailbox, String identifier, String rights) throws ProtocolException {
    Argument args = new Argument().writeString(BASE64MailboxEncoder.encode(mailbox)).writeString(identifier)
        .writeString(rights);
    run("SETACL", args);
  }

  /** Removes an identifier's ACL entry (DELETEACL); the mailbox's other entries stay. */
  void deleteAcl(String mailbox, String identifier) throws ProtocolException {
    Argument args = new Argument().writeString(BASE64MailboxEncoder.encode(mailbox)).writeString(identifier);
    run("DELETEACL", args);
  }

  /** Runs a command the client library has no call for; a NO or BAD fails it. */
  Response[] run(String command, Argument args) throws ProtocolException {
    Response[] rs = protocol.command(command, args);
    protocol.handleResult(rs[rs.length - 1]);
    return rs;
  }

  ACL[] acl(String mailbox) throws ProtocolException {
    return protocol.getACL(mailbox);
  }

  /** A METADATA entry of a mailbox ({@code ""}: the server entry), or empty if unset. */
  Optional<String> metadata(String mailbox, String key) throws ProtocolException {
    return MetadataValue.get(this, mailbox, key);
  }

  /** Sets a METADATA entry; a null value removes it. */
  void setMetadata(String mailbox, String key, String value) throws ProtocolException {
    MetadataValue.set(this, mailbox, key, value);
  }

  @Override
  public void close() {
    try {
      protocol.logout();
    } catch (ProtocolException e) {
      protocol.disconnect();
    }
  }
}
