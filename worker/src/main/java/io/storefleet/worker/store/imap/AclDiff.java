package io.storefleet.worker.store.imap;

import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Mutation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Journals how an account's grants changed since its ACLs were last read: Dovecot logs nothing
 * for SETACL, so a grant another client gives or takes is found when the ACLs are read again (a
 * scan's snapshot, {@code grants}). A new grant, or new rights, is GRANT_ADDED; a grant gone is
 * GRANT_REMOVED; a grantee id that changed under the same name is the old id removed and the new
 * one added.
 */
final class AclDiff {
  private AclDiff() {}

  static void journal(String accountId, AccountMap map, List<Grant> now, ImapJournal journal) {
    Map<String, Grant> was = byKey(map.grants());
    Map<String, Grant> is = byKey(now);
    ChangeSet changes = new ChangeSet(accountId);
    for (Map.Entry<String, Grant> e : is.entrySet()) {
      Grant g = e.getValue();
      Grant before = was.get(e.getKey());
      if (before == null || !before.rights().equals(g.rights())) {
        changes.add(Mutation.GRANT_ADDED, g.folderId(),
            new JournalDetails.GrantAdded(g.folderId(), g.granteeId(), g.granteeName(), g.rights()), null);
      }
    }
    for (Map.Entry<String, Grant> e : was.entrySet()) {
      if (!is.containsKey(e.getKey())) {
        Grant g = e.getValue();
        changes.add(Mutation.GRANT_REMOVED, g.folderId(), new JournalDetails.GrantRemoved(g.folderId(),
            g.granteeId()), null);
      }
    }
    changes.afterJournal(() -> map.grants(now));
    changes.commit(journal, map);
  }

  /**
   * Grants by folder, grantee name (the IMAP identifier) and grantee id: one ACL entry may stand
   * for several grantee ids (its records), each a grant of its own.
   */
  private static Map<String, Grant> byKey(List<Grant> grants) {
    Map<String, Grant> out = new LinkedHashMap<>();
    grants.forEach(g -> out.put(g.folderId() + "\u0000" + AclGrants.key(g.granteeName()) + "\u0000"
        + g.granteeId().toLowerCase(java.util.Locale.ROOT), g));
    return out;
  }
}
