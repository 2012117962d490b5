package io.storefleet.worker.store.imap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.angus.mail.imap.protocol.Namespaces;

/**
 * Which mailboxes are the account's own mail: those of every personal namespace NAMESPACE lists,
 * except the views the operator names ({@code store.viewNamespaces}, e.g. a virtual plugin's
 * {@code Virtual/}, whose mailboxes show mail held in the own ones and would be read twice). Other
 * users', shared and public mailboxes are someone else's, whether or not a personal namespace is
 * listed. Nothing is guessed: a second private namespace holding real mail (Dovecot's extra
 * private namespaces with their own location) is backed up unless it is named as a view.
 *
 * <p>A mailbox belongs to the namespace with the longest prefix it starts with, or whose prefix
 * it names (the namespace's own placeholder, e.g. {@code Virtual}); one matching no prefix is
 * the account's own unless the namespace without a prefix is not personal.
 */
final class OwnNamespace {
  /** A server without NAMESPACE and no views: every mailbox is the account's own. */
  static final OwnNamespace EVERYTHING = new OwnNamespace(Map.of());

  /** Whether each listed prefix (not "") is own mail; "" maps to how unmatched names are taken. */
  private final Map<String, Boolean> ownByPrefix;

  private OwnNamespace(Map<String, Boolean> ownByPrefix) {
    this.ownByPrefix = Map.copyOf(ownByPrefix);
  }

  /** The rule for a NAMESPACE answer (null when the server has none) and the configured views. */
  static OwnNamespace of(Namespaces ns, List<String> views) {
    Map<String, Boolean> own = new HashMap<>();
    if (ns != null) {
      for (Namespaces.Namespace[] foreign : List.of(orEmpty(ns.otherUsers), orEmpty(ns.shared))) {
        for (Namespaces.Namespace n : foreign) {
          own.put(n.prefix, false);
        }
      }
      for (Namespaces.Namespace n : orEmpty(ns.personal)) {
        own.putIfAbsent(n.prefix, !views.contains(n.prefix));
      }
    }
    views.forEach(v -> own.put(v, false));
    return new OwnNamespace(own);
  }

  /**
   * The personal namespaces scanned as own mail besides the one without a prefix or with INBOX's,
   * which an operator with a view namespace the setting does not name needs to hear of.
   */
  static List<String> otherOwnPersonal(Namespaces ns, List<String> views) {
    List<String> out = new ArrayList<>();
    if (ns != null) {
      OwnNamespace rule = of(ns, views);
      for (Namespaces.Namespace n : orEmpty(ns.personal)) {
        if (!n.prefix.isEmpty() && !n.prefix.equalsIgnoreCase("INBOX" + n.delimiter)
            && rule.ownByPrefix.getOrDefault(n.prefix, true)) {
          out.add(n.prefix);
        }
      }
    }
    return out;
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
    for (String p : ownByPrefix.keySet()) {
      String bare = p.endsWith(String.valueOf(separator)) ? p.substring(0, p.length() - 1) : p;
      if (!p.isEmpty() && p.length() > home.length() && (name.startsWith(p) || name.equals(bare))) {
        home = p;
      }
    }
    return ownByPrefix.getOrDefault(home, true);
  }

  boolean owns(MailboxStatus m) {
    return owns(m.name(), m.separator());
  }
}
