package io.storefleet.worker.store.imap;

import io.storefleet.worker.config.ImapStoreConfig;
import io.storefleet.worker.config.SecretFile;
import io.storefleet.worker.testing.dovecot.DovecotServer;
import jakarta.mail.Flags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A plain IMAP client for tests outside this package: appends and reads messages as another mail
 * client would, not through the store.
 */
public final class ImapTestClient {
  /** What Dovecot serves for one message. */
  public record Served(String mailbox, long uid, byte[] bytes, Set<String> systemFlags, Set<String> keywords,
      Instant internalDate) {
    String key() {
      return mailbox + " " + HexFormat.of().formatHex(bytes) + " " + new TreeSet<>(systemFlags) + " "
          + new TreeSet<>(keywords) + " " + internalDate;
    }
  }

  private final ImapConnections imap;

  public ImapTestClient(ImapStoreConfig config) {
    this.imap = new ImapConnections(config, SecretFile.read("test", config.masterPasswordFile()));
  }

  /** The store settings for a private test instance, accounts provisioned in its passwd-file. */
  public static ImapStoreConfig config(DovecotServer d) {
    return new ImapStoreConfig("127.0.0.1", d.imapPort(), ImapStoreConfig.Tls.NONE, null, d.masterUser(),
        d.masterPasswordFile(), java.net.URI.create("http://127.0.0.1:" + d.httpPort() + "/doveadm/v1"),
        d.doveadmPasswordFile(), 2, d.usersFile(), Duration.ofSeconds(60), null, ImapStoreConfig.DEFAULT_SWEEP, null,
        ImapStoreConfig.DEFAULT_KEPT_SESSIONS, DovecotServer.VIEW_NAMESPACES);
  }

  /** Logs out every session it holds. */
  public void close() {
    imap.close();
  }

  public void create(String user, String mailbox) {
    imap.call(user, s -> {
      s.create(mailbox);
      return null;
    });
  }

  /** Appends raw bytes; returns what Dovecot then serves for it. Flags are IMAP names ({@code \Seen}). */
  public Served append(String user, String mailbox, byte[] raw, Set<String> systemFlags, Set<String> keywords) {
    return append(user, mailbox, raw, systemFlags, keywords, null);
  }

  /** The same with an INTERNALDATE (null: the server's time). */
  public Served append(String user, String mailbox, byte[] raw, Set<String> systemFlags, Set<String> keywords,
      Instant internalDate) {
    Flags flags = new Flags();
    systemFlags.forEach(f -> flags.add(systemFlag(f)));
    keywords.forEach(flags::add);
    return imap.call(user, s -> {
      long uid = s.append(mailbox, raw, flags, internalDate).uid;
      ServedMessage served = s.served(mailbox, new long[] {uid}).get(uid);
      MessageMeta m = served.meta();
      return new Served(mailbox, uid, served.wire(), m.systemFlags(), m.keywords(), m.internalDate());
    });
  }

  /** A message for {@link #appendEach}: flags are IMAP names ({@code \Seen}), INTERNALDATE null for now. */
  public record Message(byte[] raw, Set<String> systemFlags, Set<String> keywords, Instant internalDate) {}

  /**
   * Appends many messages as a mail client importing them would: MULTIAPPEND commands of at most
   * 64 messages, each with these flags. Returns the bytes sent.
   */
  public long appendAll(String user, String mailbox, List<byte[]> raws, Set<String> systemFlags) {
    List<Message> messages = raws.stream().map(r -> new Message(r, systemFlags, Set.of(), null)).toList();
    return imap.call(user, s -> {
      multiAppend(s, mailbox, messages);
      return messages.stream().mapToLong(m -> m.raw().length).sum();
    });
  }

  /** Appends each message with its own flags, keywords and INTERNALDATE (MULTIAPPEND); what Dovecot then serves, in order. */
  public List<Served> appendEach(String user, String mailbox, List<Message> messages) {
    return imap.call(user, s -> {
      long[] uids = multiAppend(s, mailbox, messages);
      List<Served> out = new ArrayList<>();
      for (int from = 0; from < uids.length; from += 256) {
        long[] some = java.util.Arrays.copyOfRange(uids, from, Math.min(uids.length, from + 256));
        Map<Long, ServedMessage> served = s.served(mailbox, some);
        for (long uid : some) {
          MessageMeta m = served.get(uid).meta();
          out.add(new Served(mailbox, uid, served.get(uid).wire(), m.systemFlags(), m.keywords(), m.internalDate()));
        }
      }
      return out;
    });
  }

  private static long[] multiAppend(ImapSession s, String mailbox, List<Message> messages)
      throws org.eclipse.angus.mail.iap.ProtocolException {
    long[] uids = new long[messages.size()];
    for (int from = 0; from < messages.size(); from += 64) {
      List<ImapSession.Appending> batch = new ArrayList<>();
      for (Message m : messages.subList(from, Math.min(messages.size(), from + 64))) {
        Flags flags = new Flags();
        m.systemFlags().forEach(f -> flags.add(systemFlag(f)));
        m.keywords().forEach(flags::add);
        batch.add(new ImapSession.Appending(m.raw(), flags, m.internalDate()));
      }
      long[] got = s.appendAll(mailbox, batch);
      System.arraycopy(got, 0, uids, from, got.length);
    }
    return uids;
  }

  /**
   * Fetches every message of the account's own mailboxes as fast as a plain client can (see {@link
   * #all}), keeping nothing. Returns {messages, bytes}.
   */
  public long[] fetchAll(String user) {
    long[] out = new long[2];
    each(user, m -> {
      out[0]++;
      out[1] += m.bytes().length;
    });
    return out;
  }

  /** The UIDs of a mailbox's messages. */
  public List<Long> uids(String user, String mailbox) {
    return imap.call(user, s -> s.messages(mailbox).stream().map(MessageMeta::uid).toList());
  }

  /** Marks a message \Seen and moves it (UID STORE, UID MOVE), as a reader filing it would. */
  public void readAndMove(String user, String mailbox, long uid, String target) {
    Flags seen = new Flags(Flags.Flag.SEEN);
    imap.call(user, s -> {
      s.replaceFlags(mailbox, uid, seen);
      return s.move(mailbox, uid, target);
    });
  }

  /** Expunges one message, as another client deleting it would. */
  public void expunge(String user, Served message) {
    imap.call(user, s -> {
      s.expunge(message.mailbox(), new long[] {message.uid()});
      return null;
    });
  }

  /** Replaces a message's flags and keywords. Flags are IMAP names ({@code \\Seen}). */
  public void setFlags(String user, Served message, Set<String> systemFlags, Set<String> keywords) {
    Flags flags = new Flags();
    systemFlags.forEach(f -> flags.add(systemFlag(f)));
    keywords.forEach(flags::add);
    imap.call(user, s -> {
      s.replaceFlags(message.mailbox(), message.uid(), flags);
      return null;
    });
  }

  /** Moves a message to another mailbox (UID MOVE). */
  public void move(String user, Served message, String mailbox) {
    imap.call(user, s -> s.move(message.mailbox(), message.uid(), mailbox));
  }

  /** Renames a mailbox. */
  public void rename(String user, String from, String to) {
    imap.call(user, s -> {
      s.rename(from, to);
      return null;
    });
  }

  /** Grants rights on a mailbox (SETACL), as a sharing client does. */
  public void setAcl(String user, String mailbox, String grantee, String rights) {
    imap.call(user, s -> {
      s.setAcl(mailbox, grantee, rights);
      return null;
    });
  }

  /** Every message of the account's own mailboxes, as Dovecot serves it. */
  public List<Served> all(String user) {
    List<Served> out = new ArrayList<>();
    each(user, out::add);
    return out;
  }

  /** Reads every message of the account's own mailboxes: the UIDs, then UID FETCHes of 256 messages. */
  private void each(String user, java.util.function.Consumer<Served> to) {
    imap.call(user, s -> {
      for (MailboxStatus m : s.mailboxes()) {
        if (!m.selectable() || !ownInTheTemplate(m.name())) {
          continue;
        }
        long[] uids = s.messages(m.name()).stream().mapToLong(MessageMeta::uid).toArray();
        for (int from = 0; from < uids.length; from += 256) {
          long[] some = java.util.Arrays.copyOfRange(uids, from, Math.min(uids.length, from + 256));
          Map<Long, ServedMessage> served = s.served(m.name(), some);
          for (long uid : some) {
            ServedMessage one = served.get(uid);
            MessageMeta meta = one.meta();
            to.accept(new Served(m.name(), uid, one.wire(), meta.systemFlags(), meta.keywords(), meta.internalDate()));
          }
        }
      }
      return null;
    });
  }

  /**
   * The template's own mailboxes, by a rule of the tests' own (not production's {@link OwnNamespace}),
   * so that a production rule dropping real mail shows as a difference: everything but the virtual,
   * public and shared namespaces.
   */
  private static boolean ownInTheTemplate(String name) {
    return java.util.stream.Stream.of("Virtual", "Public", "shared")
        .noneMatch(ns -> name.equals(ns) || name.startsWith(ns + "/"));
  }

  /** Messages as a comparable multiset: mailbox, bytes, flags, keywords and INTERNALDATE. */
  public static Map<String, Integer> multiset(List<Served> served) {
    Map<String, Integer> out = new TreeMap<>();
    served.forEach(s -> out.merge(s.key(), 1, Integer::sum));
    return out;
  }

  private static Flags.Flag systemFlag(String name) {
    return switch (name) {
      case "\\Seen" -> Flags.Flag.SEEN;
      case "\\Flagged" -> Flags.Flag.FLAGGED;
      case "\\Answered" -> Flags.Flag.ANSWERED;
      case "\\Draft" -> Flags.Flag.DRAFT;
      case "\\Deleted" -> Flags.Flag.DELETED;
      default -> throw new IllegalArgumentException("not a system flag: " + name);
    };
  }
}
