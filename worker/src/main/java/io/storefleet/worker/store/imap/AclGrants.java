package io.storefleet.worker.store.imap;

import io.storefleet.worker.store.Grant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.angus.mail.imap.ACL;
import org.eclipse.angus.mail.imap.Rights;
import org.eclipse.angus.mail.iap.ProtocolException;

/**
 * The shares an account gave, read from its mailboxes' ACLs (RFC 4314): every identifier other
 * than the owner and the special ones. IMAP rights become storefleet's letters: {@code r} (l+r),
 * {@code w} (w: flags), {@code i} (i: insert), {@code d} (t or e: delete messages), {@code x}
 * (x: delete the folder), {@code a} (a: administer).
 */
final class AclGrants {
  /** An ACL entry before its grantee's account id is known. */
  record Entry(int folderId, String grantee, String rights) {}

  private AclGrants() {}

  static List<Entry> read(Opened o) throws ProtocolException {
    List<Entry> out = new ArrayList<>();
    for (MappedFolder f : o.folders()) {
      if (!f.selectable()) {
        continue;
      }
      for (ACL acl : o.session().acl(f.mailbox().name())) {
        String who = acl.getName();
        if (who.equalsIgnoreCase(o.account().name()) || who.equals("owner") || who.startsWith("$")
            || who.equals("anyone") || who.equals("authenticated") || who.startsWith("-")) {
          continue;
        }
        String rights = letters(acl.getRights());
        if (!rights.isEmpty()) {
          out.add(new Entry(f.folder().id(), who, rights));
        }
      }
    }
    return out;
  }

  /** The grants, with grantee ids from {@code ids} (empty id: a grantee this server does not know). */
  static List<Grant> resolve(String ownerId, List<Entry> entries, Function<String, Optional<String>> ids) {
    return entries.stream().map(e -> new Grant(ownerId, e.folderId(), ids.apply(e.grantee()).orElse(""),
        e.grantee(), e.rights())).toList();
  }

  static String letters(Rights r) {
    StringBuilder sb = new StringBuilder();
    if (has(r, 'r')) {
      sb.append('r');
    }
    if (has(r, 'w')) {
      sb.append('w');
    }
    if (has(r, 'i')) {
      sb.append('i');
    }
    if (has(r, 't') || has(r, 'e') || has(r, 'd')) {
      sb.append('d');
    }
    if (has(r, 'x')) {
      sb.append('x');
    }
    if (has(r, 'a')) {
      sb.append('a');
    }
    return sb.toString();
  }

  private static boolean has(Rights r, char letter) {
    return r.contains(Rights.Right.getInstance(letter));
  }
}
