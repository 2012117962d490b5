package io.storefleet.worker.store.imap;

import io.storefleet.worker.store.Grant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.angus.mail.imap.ACL;
import org.eclipse.angus.mail.iap.ProtocolException;

/**
 * The shares an account gave, read from its mailboxes' ACLs (RFC 4314): every identifier other
 * than the owner and those storefleet cannot represent ({@link #representable}), with rights
 * mapped by {@link AclRights} and the grantee ids kept beside the ACL ({@link GrantRecords}).
 */
final class AclGrants {
  /**
   * An ACL entry before its grantee's account id is known.
   *
   * @param ids the grantee ids recorded beside it; empty for an entry another client made
   */
  record Entry(int folderId, String grantee, String rights, List<String> ids) {}

  private AclGrants() {}

  static List<Entry> read(Opened o) throws ProtocolException {
    List<Entry> out = new ArrayList<>();
    for (MappedFolder f : o.folders()) {
      if (!f.selectable()) {
        continue;
      }
      String mailbox = f.mailbox().name();
      Map<String, GrantRecords.Entry> records = null;
      for (ACL acl : o.session().acl(mailbox)) {
        String who = acl.getName();
        if (!representable(who, o.account().name())) {
          continue;
        }
        if (records == null) {
          records = GrantRecords.read(o.session(), mailbox);
        }
        GrantRecords.Entry rec = records.get(key(who));
        String rights = AclRights.fromImap(acl.getRights().toString(), rec == null ? "" : rec.beside());
        if (!rights.isEmpty()) {
          out.add(new Entry(f.folder().id(), who, rights, rec == null ? List.of() : rec.ids()));
        }
      }
    }
    return out;
  }

  /**
   * Whether an ACL identifier can be a storefleet grant: not the owner, not {@code owner},
   * {@code anyone}, {@code authenticated}, a group ({@code $name}) or a negative entry ({@code
   * -name}). The others are never read, changed or removed by storefleet.
   */
  static boolean representable(String identifier, String ownerName) {
    String who = key(identifier);
    return !who.isEmpty() && !who.equals(key(ownerName)) && !who.equals("owner") && !who.equals("anyone")
        && !who.equals("authenticated") && !who.startsWith("$") && !who.startsWith("-");
  }

  /** An identifier as records key it. */
  static String key(String identifier) {
    return identifier == null ? "" : identifier.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * The grants: one per recorded grantee id, or, for an entry without records, one whose id comes
   * from {@code ids} (empty id: a grantee this server does not know).
   */
  static List<Grant> resolve(String ownerId, List<Entry> entries, Function<String, Optional<String>> ids) {
    List<Grant> out = new ArrayList<>();
    for (Entry e : entries) {
      if (e.ids().isEmpty()) {
        out.add(new Grant(ownerId, e.folderId(), ids.apply(e.grantee()).orElse(""), e.grantee(), e.rights()));
      }
      for (String id : e.ids()) {
        out.add(new Grant(ownerId, e.folderId(), id, e.grantee(), e.rights()));
      }
    }
    return out;
  }
}
