package io.storefleet.worker.store.imap;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.UIDSet;

/**
 * What changed in a mailbox since a HIGHESTMODSEQ (QRESYNC).
 *
 * @param changed the messages changed or added
 * @param vanished the UIDs expunged (the server may name more than were, never fewer)
 */
record MailboxChanges(List<MessageMeta> changed, Set<Long> vanished) {
  /** The UIDs of the {@code VANISHED (EARLIER)} answers among {@code rs}. */
  static Set<Long> vanished(Response[] rs) {
    Set<Long> out = new HashSet<>();
    for (Response r : rs) {
      if (r instanceof IMAPResponse ir && ir.isUnTagged() && ir.keyEquals("VANISHED")) {
        String rest = ir.getRest() == null ? "" : ir.getRest().trim();
        if (rest.toUpperCase(Locale.ROOT).startsWith("(EARLIER)")) {
          rest = rest.substring("(EARLIER)".length()).trim();
        }
        if (!rest.isEmpty()) {
          for (long uid : UIDSet.toArray(UIDSet.parseUIDSets(rest))) {
            out.add(uid);
          }
        }
      }
    }
    return out;
  }
}
