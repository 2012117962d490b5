package io.storefleet.worker.store.imap;

import io.storefleet.worker.store.Folder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.angus.mail.iap.ProtocolException;

/**
 * Folders are mailboxes. INBOX is folder 2 ({@code /Inbox}); the mailboxes with the special-use
 * attributes \Trash, \Junk, \Sent and \Drafts are folders 3 to 6 whatever their names; every
 * other mailbox of the account's own namespaces ({@link OwnNamespace}) is a user folder whose id is
 * kept in its METADATA entry {@link #FOLDER_ID} (Dovecot keys it by mailbox GUID, so it survives a
 * rename and the loss of the worker's disk). Views, other users', shared and public mailboxes are
 * never the account's own folders; its mountpoints come from {@link MountpointRecords}, after its mailboxes.
 */
final class FolderMapping {
  static final String FOLDER_ID = "/private/vendor/vendor.storefleet/folder-id";
  private static final String PLACEHOLDER = "name:";
  private static final Map<String, Integer> SPECIAL = Map.of(
      "\\trash", Folder.TRASH, "\\junk", Folder.JUNK, "\\sent", Folder.SENT, "\\drafts", Folder.DRAFTS);
  private static final Map<Integer, String> SYSTEM_NAMES = Map.of(
      Folder.INBOX, "Inbox", Folder.TRASH, "Trash", Folder.JUNK, "Junk", Folder.SENT, "Sent", Folder.DRAFTS, "Drafts");

  private FolderMapping() {}

  /** The root folder, which IMAP does not have. */
  static MappedFolder root() {
    return new MappedFolder(new Folder(Folder.ROOT, Folder.ROOT, "", "/", "message", null), null);
  }

  /**
   * The account's folders, root first then by path; user folders without an id get one (written to
   * METADATA) from {@code map}.
   */
  static List<MappedFolder> read(ImapSession session, AccountMap map) throws ProtocolException {
    return read(session, map, LazyExpunge.NONE);
  }

  /** As {@link #read(ImapSession, AccountMap)}, without the lazy_expunge mailbox. */
  static List<MappedFolder> read(ImapSession session, AccountMap map, LazyExpunge lazy) throws ProtocolException {
    List<MailboxStatus> own = own(session, lazy);
    Map<String, Integer> systemByTopName = new HashMap<>();
    Map<Integer, MailboxStatus> system = new HashMap<>();
    for (MailboxStatus m : own) {
      String use = m.specialUse();
      Integer id = m.name().equalsIgnoreCase("INBOX") ? Integer.valueOf(Folder.INBOX)
          : use == null ? null : SPECIAL.get(use);
      if (id != null && !system.containsKey(id) && m.name().indexOf(m.separator()) < 0) {
        system.put(id, m);
        systemByTopName.put(m.name().toLowerCase(Locale.ROOT), id);
      }
    }
    Map<String, MappedFolder> byPath = new LinkedHashMap<>();
    MappedFolder root = root();
    byPath.put("/", root);
    own.sort((a, b) -> Integer.compare(depth(a), depth(b)));
    for (MailboxStatus m : own) {
      String[] segments = m.name().split(java.util.regex.Pattern.quote(String.valueOf(m.separator())));
      Integer systemId = null;
      for (Map.Entry<Integer, MailboxStatus> e : system.entrySet()) {
        if (e.getValue() == m) {
          systemId = e.getKey();
        }
      }
      List<String> names = new ArrayList<>(List.of(segments));
      Integer top = systemByTopName.get(segments[0].toLowerCase(Locale.ROOT));
      if (top != null) {
        names.set(0, SYSTEM_NAMES.get(top));
      }
      String path = "/" + String.join("/", names);
      String parentPath = names.size() == 1 ? "/" : "/" + String.join("/", names.subList(0, names.size() - 1));
      MappedFolder parent = byPath.get(parentPath.toLowerCase(Locale.ROOT));
      int parentId = parent == null ? Folder.ROOT : parent.folder().id();
      int id = systemId != null ? systemId : userFolderId(session, map, m);
      byPath.put(path.toLowerCase(Locale.ROOT),
          new MappedFolder(new Folder(id, parentId, names.get(names.size() - 1), path, "message", null), m));
    }
    List<MappedFolder> out = new ArrayList<>(byPath.values());
    List<MountpointRecords.Entry> mounts = MountpointRecords.read(session);
    mounts.forEach(e -> map.seen(e.id()));
    out.addAll(MountpointRecords.folders(mounts, out));
    return out;
  }

  /** The account's own mailboxes ({@link OwnNamespace}), not the lazy_expunge one. */
  static List<MailboxStatus> own(ImapSession session, LazyExpunge lazy) throws ProtocolException {
    OwnNamespace ns = session.ownNamespace();
    List<MailboxStatus> own = new ArrayList<>();
    for (MailboxStatus m : session.mailboxes()) {
      if (ns.owns(m) && !lazy.hides(m)) {
        own.add(m);
      }
    }
    return own;
  }

  private static int depth(MailboxStatus m) {
    return (int) m.name().chars().filter(c -> c == m.separator()).count();
  }

  private static int userFolderId(ImapSession session, AccountMap map, MailboxStatus m) throws ProtocolException {
    String key = key(m);
    AccountMap.MailboxMark mark = map.mailboxes().get(key);
    if (mark != null) {
      return mark.folderId();
    }
    if (!m.selectable()) {
      // A \Noselect placeholder has no GUID and no METADATA: its id lives only in the id map.
      int id = map.newId();
      map.mailboxes().put(key, new AccountMap.MailboxMark(id, m.name(), 0, 0));
      return id;
    }
    Optional<String> stored = session.metadata(m.name(), FOLDER_ID);
    int id;
    if (stored.isPresent() && stored.get().matches("\\d{1,9}")) {
      id = Integer.parseInt(stored.get());
      map.seen(id);
    } else {
      id = map.newId();
      session.setMetadata(m.name(), FOLDER_ID, Integer.toString(id));
    }
    map.mailboxes().put(key, new AccountMap.MailboxMark(id, m.name(), 0, 0));
    return id;
  }

  /** The id map's key of a mailbox: its GUID, or its name for a placeholder without one. */
  static String key(MailboxStatus m) {
    return m.guid().isEmpty() ? PLACEHOLDER + m.name() : m.guid();
  }

  /** Whether an id map key is a placeholder's ({@link #key}): its id is held nowhere else. */
  static boolean placeholder(String key) {
    return key.startsWith(PLACEHOLDER);
  }

  /**
   * The mailbox name for a new folder path, e.g. {@code /Inbox/Projects} → {@code INBOX/Projects}:
   * a first segment naming a system folder becomes that folder's mailbox.
   */
  static String mailboxFor(List<MappedFolder> folders, List<String> segments, char separator) {
    List<String> names = new ArrayList<>(segments);
    for (MappedFolder f : folders) {
      if (f.mailbox() != null && f.folder().id() < Folder.FIRST_USER_ID
          && f.folder().name().equalsIgnoreCase(names.get(0))) {
        names.set(0, f.mailbox().name());
        break;
      }
    }
    return String.join(String.valueOf(separator), names);
  }
}
