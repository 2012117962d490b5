package io.storefleet.worker.store.imap;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.eclipse.angus.mail.imap.protocol.Namespaces;

/**
 * The personal namespaces a store's operator names as views ({@code store.viewNamespaces}), and
 * the store's one warning about the other personal namespaces it backs up as own mail: a virtual
 * namespace left out of the setting would otherwise be read twice without anyone knowing.
 */
final class ViewNamespaces {
  private static final Logger LOG = Logger.getLogger(ViewNamespaces.class.getName());

  private final List<String> views;
  private final String server;
  private final AtomicBoolean warned = new AtomicBoolean();

  ViewNamespaces(List<String> views, String server) {
    this.views = List.copyOf(views);
    this.server = server;
  }

  /** Which mailboxes are own mail for this NAMESPACE answer; the first answer seen is reported. */
  OwnNamespace own(Namespaces ns) {
    if (!warned.getAndSet(true)) {
      for (String prefix : OwnNamespace.otherOwnPersonal(ns, views)) {
        LOG.warning("IMAP server " + server + " lists the personal namespace '" + prefix + "'; its mailboxes"
            + " are backed up as the account's own mail. If it is a view such as a virtual namespace, name it in"
            + " store.viewNamespaces");
      }
    }
    return OwnNamespace.of(ns, views);
  }
}
