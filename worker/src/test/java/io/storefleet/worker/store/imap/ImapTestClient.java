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
        d.doveadmPasswordFile(), 2, d.usersFile(), Duration.ofSeconds(60));
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

  /** Every message of the account's own mailboxes, as Dovecot serves it. */
  public List<Served> all(String user) {
    return imap.call(user, s -> {
      List<Served> out = new ArrayList<>();
      List<String> foreign = s.foreignPrefixes();
      for (MailboxStatus m : s.mailboxes()) {
        if (!m.selectable() || foreign.stream().anyMatch(p -> !p.isEmpty() && (m.name() + "/").startsWith(p))) {
          continue;
        }
        for (MessageMeta meta : s.messages(m.name())) {
          out.add(new Served(m.name(), meta.uid(), s.body(m.name(), meta.uid()).orElseThrow(), meta.systemFlags(),
              meta.keywords(), meta.internalDate()));
        }
      }
      return out;
    });
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
