package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.MailboxSnapshot;
import io.storefleet.worker.store.Mountpoint;
import io.storefleet.worker.store.Mutation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.angus.mail.imap.ACL;
import org.eclipse.angus.mail.iap.ProtocolException;

/**
 * Shares on the imap store. A grant is an ACL entry (SETACL/DELETEACL) on the owner's mailbox for
 * the grantee's address, rights mapped by {@link AclRights}, with the grantee's account id and the
 * rights IMAP lacks in {@link GrantRecords}; entries storefleet cannot represent are never touched.
 * A mountpoint is a record in the grantee's METADATA ({@link MountpointRecords}). Either side may
 * live on another server: neither is checked here.
 */
final class ImapShares {
  private final AccountSessions sessions;
  private final ImapJournal journal;
  private final MailboxEdits edits;

  ImapShares(AccountSessions sessions, ImapJournal journal, MailboxEdits edits) {
    this.sessions = sessions;
    this.journal = journal;
    this.edits = edits;
  }

  Grant grant(String ownerId, int folderId, String granteeId, String granteeName, String rights) {
    String r = AclRights.normalize(rights);
    return sessions.with(ownerId, o -> {
      MappedFolder f = shareable(o, folderId);
      String gid = granteeId == null ? "" : granteeId.trim();
      if (gid.isEmpty()) {
        throw ErrorCode.BAD_VALUE.exception("a grant on " + describe(o, f) + " needs the grantee's account id");
      }
      if (gid.equalsIgnoreCase(o.account().id())) {
        throw ErrorCode.BAD_VALUE.exception(o.account().name() + " cannot grant rights on its own folder to itself");
      }
      String who = AclGrants.key(granteeName);
      if (!AclGrants.representable(who, o.account().name())) {
        throw ErrorCode.BAD_VALUE.exception("a grant on " + describe(o, f) + " needs the grantee's address (the IMAP"
            + " ACL names the login), got '" + granteeName + "'");
      }
      String mailbox = f.mailbox().name();
      String old = rightsOf(o.session().acl(mailbox), who);
      Map<String, GrantRecords.Entry> records = GrantRecords.read(o.session(), mailbox);
      GrantRecords.Entry rec = records.get(who);
      List<String> ids = new ArrayList<>(old.isEmpty() || rec == null ? List.of() : rec.ids());
      if (ids.stream().noneMatch(gid::equalsIgnoreCase)) {
        ids.add(gid);
      }
      GrantRecords.Entry next = new GrantRecords.Entry(ids, AclRights.beside(r));
      String imap = AclRights.merge(old, r);
      Grant granted = new Grant(o.account().id(), f.folder().id(), gid, who, AclRights.fromImap(imap, next.beside()));
      if (!next.equals(rec) || !sameLetters(imap, old)) {
        // Records first: a crash before SETACL leaves ids beside no right, which no grant reads.
        records.put(who, next);
        GrantRecords.write(o.session(), mailbox, records);
        o.session().setAcl(mailbox, who, imap);
        commit(o, Mutation.GRANT_ADDED, f.folder().id(), new JournalDetails.GrantAdded(f.folder().id(), gid, who, r),
            () -> o.map().grants(granted(o.map().grants(), granted)));
      }
      return granted;
    });
  }

  void revoke(String ownerId, int folderId, String granteeId) {
    String gid = granteeId == null ? "" : granteeId.trim();
    // Grantee ids of entries without records are found by name, outside the owner's session.
    MailboxSnapshot owner = sessions.snapshot(ownerId);
    Grant g = owner.grants().stream()
        .filter(x -> x.folderId() == folderId && x.granteeId().equalsIgnoreCase(gid)).findFirst()
        .orElseThrow(() -> ErrorCode.NOT_FOUND.exception("folder " + folderId + " of " + owner.account().name()
            + " has no grant to account " + gid + "; list shares with 'storefleet admin listShares "
            + owner.account().name() + "'"));
    sessions.with(ownerId, o -> {
      MappedFolder f = shareable(o, folderId);
      String mailbox = f.mailbox().name();
      String who = AclGrants.key(g.granteeName());
      Map<String, GrantRecords.Entry> records = GrantRecords.read(o.session(), mailbox);
      GrantRecords.Entry rec = records.get(who);
      List<String> left = rec == null ? List.of() : rec.ids().stream().filter(id -> !id.equalsIgnoreCase(gid)).toList();
      if (left.isEmpty()) {
        o.session().deleteAcl(mailbox, g.granteeName());
        records.remove(who);
      } else {
        // The same address granted to another id too (a re-granted import): its ACL entry stays.
        records.put(who, new GrantRecords.Entry(left, rec.beside()));
      }
      GrantRecords.write(o.session(), mailbox, records);
      commit(o, Mutation.GRANT_REMOVED, folderId, new JournalDetails.GrantRemoved(folderId, gid),
          () -> o.map().grants(o.map().grants().stream().filter(x -> !sameGrantee(x, g)).toList()));
      return null;
    });
  }

  Folder mount(String granteeId, String path, Mountpoint target) {
    List<String> segments = Paths.segments(path);
    if (segments.isEmpty()) {
      throw ErrorCode.BAD_VALUE.exception("a mountpoint needs a folder path such as /Shared/John, not /");
    }
    List<String> parents = segments.subList(0, segments.size() - 1);
    String parentPath = "/" + String.join("/", parents);
    String normalized = "/" + String.join("/", segments);
    if (!parents.isEmpty()) {
      sessions.withCreate(granteeId, o -> {
        checkTarget(o, target);
        edits.createPath(o, parents);
        return null;
      }, o -> null);
    }
    return sessions.with(granteeId, o -> {
      Mountpoint t = checkTarget(o, target);
      if (o.byPath(normalized).isPresent()) {
        throw ErrorCode.ALREADY_EXISTS.exception("folder " + normalized + " already exists in " + o.account().name());
      }
      MappedFolder parent = o.byPath(parentPath).orElseThrow(() -> ErrorCode.IO_ERROR.exception(
          "folder " + parentPath + " of " + o.account().name() + " was created but is not listed"));
      if (parent.folder().isMountpoint()) {
        throw ErrorCode.CONFLICT.exception("folder " + parentPath + " of " + o.account().name()
            + " is a mountpoint; a mountpoint cannot be placed in it");
      }
      MountpointRecords.Entry e = new MountpointRecords.Entry(o.map().newId(), parent.folder().id(),
          segments.get(segments.size() - 1), t.ownerId(), t.remoteFolderId(), t.ownerName());
      List<MountpointRecords.Entry> all = MountpointRecords.read(o.session());
      all.add(e);
      MountpointRecords.write(o.session(), all);
      commit(o, Mutation.MOUNTPOINT_CREATED, e.id(),
          new JournalDetails.MountpointCreated(e.id(), e.parentId(), e.name(), "message", t), null);
      return MountpointRecords.folder(e, parent.folder()).folder();
    });
  }

  /**
   * A mountpoint with the id, place and target a backup recorded (raw restore); {@code place} has
   * checked the id, the parent and the name.
   */
  Folder restoreMount(Opened o, Folder recorded, MappedFolder parent) throws ProtocolException {
    Mountpoint t = checkTarget(o, recorded.mount());
    MountpointRecords.Entry e = new MountpointRecords.Entry(recorded.id(), parent.folder().id(), recorded.name(),
        t.ownerId(), t.remoteFolderId(), t.ownerName());
    List<MountpointRecords.Entry> all = MountpointRecords.read(o.session());
    all.add(e);
    MountpointRecords.write(o.session(), all);
    o.map().seen(e.id());
    commit(o, Mutation.MOUNTPOINT_CREATED, e.id(),
        new JournalDetails.MountpointCreated(e.id(), e.parentId(), e.name(), "message", t), null);
    return MountpointRecords.folder(e, parent.folder()).folder();
  }

  Folder repoint(String accountId, int folderId, Mountpoint target) {
    return sessions.with(accountId, o -> {
      MappedFolder f = o.folder(folderId);
      if (!f.folder().isMountpoint()) {
        throw ErrorCode.CONFLICT.exception(describe(o, f) + " is not a mountpoint; only a mountpoint can be re-pointed");
      }
      Mountpoint t = checkTarget(o, target);
      Folder now = f.folder();
      if (t.equals(now.mount())) {
        return now;
      }
      List<MountpointRecords.Entry> all = new ArrayList<>();
      for (MountpointRecords.Entry e : MountpointRecords.read(o.session())) {
        all.add(e.id() == folderId ? e.pointedAt(t) : e);
      }
      MountpointRecords.write(o.session(), all);
      commit(o, Mutation.MOUNTPOINT_CHANGED, folderId, new JournalDetails.MountpointChanged(folderId, now.mount(), t), null);
      return new Folder(now.id(), now.parentId(), now.name(), now.path(), now.view(), t);
    });
  }

  /**
   * Removes the grants of a mailbox that stays when its account is deleted (INBOX), so a user
   * created later under the same name does not inherit them; other entries stay.
   */
  static void dropGrants(ImapSession s, String mailbox, String owner) throws ProtocolException {
    for (ACL a : s.acl(mailbox)) {
      if (AclGrants.representable(a.getName(), owner)) {
        s.deleteAcl(mailbox, a.getName());
      }
    }
    s.setMetadata(mailbox, GrantRecords.KEY, null);
  }

  /** A folder that can be shared: a mailbox of the owner, not the root or a mountpoint. */
  private static MappedFolder shareable(Opened o, int folderId) {
    MappedFolder f = o.folder(folderId);
    if (f.folder().isMountpoint()) {
      throw ErrorCode.CONFLICT.exception(describe(o, f) + " is a mountpoint of " + f.folder().mount().ownerName()
          + "'s folder " + f.folder().mount().remoteFolderId() + "; only its owner can share it");
    }
    if (!f.selectable()) {
      throw ErrorCode.CONFLICT.exception(describe(o, f) + " is not a mailbox on the IMAP server and cannot be shared");
    }
    return f;
  }

  private static Mountpoint checkTarget(Opened o, Mountpoint t) {
    if (t == null || t.ownerId() == null || t.ownerId().isBlank() || t.remoteFolderId() < Folder.ROOT) {
      throw ErrorCode.BAD_VALUE.exception(
          "a mountpoint in " + o.account().name() + " needs the owner's account id and folder id, got " + t);
    }
    if (t.ownerId().trim().equalsIgnoreCase(o.account().id())) {
      throw ErrorCode.BAD_VALUE.exception(o.account().name() + " cannot mount its own folder " + t.remoteFolderId());
    }
    String owner = t.ownerName() == null ? "" : t.ownerName().trim().toLowerCase(Locale.ROOT);
    return new Mountpoint(t.ownerId().trim(), t.remoteFolderId(), owner);
  }

  private static String rightsOf(ACL[] acl, String who) {
    for (ACL a : acl) {
      if (AclGrants.key(a.getName()).equals(who)) {
        return a.getRights().toString();
      }
    }
    return "";
  }

  /** Whether two IMAP rights are the same, ignoring the obsolete c and d Dovecot adds when reporting. */
  private static boolean sameLetters(String a, String b) {
    String x = a.replaceAll("[cd]", "");
    String y = b.replaceAll("[cd]", "");
    return x.length() == y.length() && x.chars().allMatch(c -> y.indexOf(c) >= 0);
  }

  private static String describe(Opened o, MappedFolder f) {
    return "folder " + f.folder().path() + " (" + f.folder().id() + ") of " + o.account().name();
  }

  /**
   * Journals one change; {@code grants}, when given, brings the grants the id map last saw up to
   * date after the journal write, so that the next read of the ACLs ({@link AclDiff}) does not
   * journal this change again.
   */
  private void commit(Opened o, Mutation type, int id, Object detail, Runnable grants) {
    ChangeSet changes = new ChangeSet(o.account().id());
    changes.add(type, id, detail, null);
    if (grants != null) {
      changes.afterJournal(grants);
    }
    changes.commit(journal, o.map());
  }

  /**
   * The grants last seen with {@code g} given: the ACL entry's rights are its address's, so every
   * grant to that address on the folder takes them.
   */
  private static List<Grant> granted(List<Grant> seen, Grant g) {
    List<Grant> out = new ArrayList<>();
    for (Grant x : seen) {
      if (!sameGrantee(x, g)) {
        boolean sameEntry = x.folderId() == g.folderId() && AclGrants.key(x.granteeName()).equals(g.granteeName());
        out.add(sameEntry ? new Grant(x.ownerId(), x.folderId(), x.granteeId(), x.granteeName(), g.rights()) : x);
      }
    }
    out.add(g);
    return out;
  }

  private static boolean sameGrantee(Grant a, Grant b) {
    return a.folderId() == b.folderId() && a.granteeId().equalsIgnoreCase(b.granteeId())
        && AclGrants.key(a.granteeName()).equals(AclGrants.key(b.granteeName()));
  }
}
