package io.storefleet.worker.store.imap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.angus.mail.imap.protocol.Namespaces;

/**
 * Which mailboxes are the account's own mail: those of the personal namespace that holds INBOX.
 * The other namespaces NAMESPACE names are not, personal ones included: a site's virtual plugin
 * (a private namespace such as {@code Virtual/}) shows views of mail held in the own mailboxes,
 * which a scan would read twice; other users', shared and public mailboxes are someone else's.
 *
 * <p>NAMESPACE does not say which personal namespace holds INBOX: it is taken to be the one named
 * {@code INBOX} plus its separator (as a site with {@code prefix = INBOX/} has it), else the one
 * without a prefix, else the first. A mailbox belongs to the namespace with the longest prefix it
 * starts with, or whose prefix it names (the namespace's own placeholder, e.g. {@code Virtual}).
 */
final class OwnNamespace {
  /** A server without NAMESPACE: every mailbox is the account's own. */
  static final OwnNamespace EVERYTHING = new OwnNamespace("", List.of());

  private final String own;
  private final List<String> prefixes;

  private OwnNamespace(String own, List<String> prefixes) {
    this.own = own;
    this.prefixes = List.copyOf(prefixes);
  }

  static OwnNamespace of(Namespaces ns) {
    if (ns == null || ns.personal == null || ns.personal.length == 0) {
      return EVERYTHING;
    }
    List<String> prefixes = new ArrayList<>();
    for (Namespaces.Namespace[] group : List.of(ns.personal, orEmpty(ns.otherUsers), orEmpty(ns.shared))) {
      for (Namespaces.Namespace n : group) {
        prefixes.add(n.prefix);
      }
    }
    return new OwnNamespace(inboxNamespace(ns.personal).prefix, prefixes);
  }

  private static Namespaces.Namespace inboxNamespace(Namespaces.Namespace[] personal) {
    for (Namespaces.Namespace n : personal) {
      if (n.prefix.equalsIgnoreCase("INBOX" + n.delimiter)) {
        return n;
      }
    }
    for (Namespaces.Namespace n : personal) {
      if (n.prefix.isEmpty()) {
        return n;
      }
    }
    return personal[0];
  }

  private static Namespaces.Namespace[] orEmpty(Namespaces.Namespace[] a) {
    return a == null ? new Namespaces.Namespace[0] : a;
  }

  /** Whether the mailbox {@code name} (decoded, with its hierarchy separator) is the account's own mail. */
  boolean owns(String name, char separator) {
    if (name.toUpperCase(Locale.ROOT).equals("INBOX")) {
      return true;
    }
    String home = "";
    for (String p : prefixes) {
      String bare = p.endsWith(String.valueOf(separator)) ? p.substring(0, p.length() - 1) : p;
      if (!p.isEmpty() && p.length() > home.length() && (name.startsWith(p) || name.equals(bare))) {
        home = p;
      }
    }
    return home.equals(own);
  }

  boolean owns(MailboxStatus m) {
    return owns(m.name(), m.separator());
  }
}
