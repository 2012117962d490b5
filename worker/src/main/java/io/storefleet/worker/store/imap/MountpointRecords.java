package io.storefleet.worker.store.imap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Mountpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.angus.mail.iap.ProtocolException;

/**
 * An account's mountpoints, kept in its server METADATA entry {@link #KEY}: each one's folder id,
 * its own name and place in the account's tree (parent folder id), and where it points (owner
 * account id and address, owner folder id). IMAP has no mountpoints: Dovecot shows the owner's
 * folder itself under the shared namespace ({@code shared/<owner>/...}), on this server or, in a
 * cluster, through imapc; the record is what storefleet's tree, backups and share checks see.
 */
final class MountpointRecords {
  static final String KEY = "/private/vendor/vendor.storefleet/mountpoints";

  record Entry(int id, int parentId, String name, String ownerId, int remoteFolderId, String ownerName) {
    Mountpoint target() {
      return new Mountpoint(ownerId, remoteFolderId, ownerName);
    }

    Entry pointedAt(Mountpoint t) {
      return new Entry(id, parentId, name, t.ownerId(), t.remoteFolderId(), t.ownerName());
    }
  }

  private MountpointRecords() {}

  static List<Entry> read(ImapSession session) throws ProtocolException {
    Optional<String> text = session.metadata("", KEY);
    if (text.isEmpty() || text.get().isBlank()) {
      return new ArrayList<>();
    }
    try {
      return new ArrayList<>(Json.MAPPER.readValue(text.get(), new TypeReference<List<Entry>>() {}));
    } catch (JsonProcessingException e) {
      throw ErrorCode.IO_ERROR.exception("the mountpoint records in METADATA " + KEY + " cannot be read ("
          + e.getOriginalMessage() + "); restore them from a backup or remove the entry");
    }
  }

  static void write(ImapSession session, List<Entry> entries) throws ProtocolException {
    try {
      session.setMetadata("", KEY, entries.isEmpty() ? null : Json.MAPPER.writeValueAsString(entries));
    } catch (JsonProcessingException e) {
      throw ErrorCode.INTERNAL.exception("cannot encode the mountpoint records: " + e.getMessage());
    }
  }

  /**
   * The mountpoints as folders below the account's mailboxes, parents first (a mountpoint whose
   * parent is gone sits under the root). They have no mailbox: nothing is stored in them.
   */
  static List<MappedFolder> folders(List<Entry> entries, List<MappedFolder> mailboxes) {
    List<MappedFolder> all = new ArrayList<>(mailboxes);
    List<Entry> left = new ArrayList<>(entries);
    boolean placed = true;
    while (!left.isEmpty() && placed) {
      placed = false;
      for (Entry e : List.copyOf(left)) {
        Optional<MappedFolder> parent = all.stream().filter(f -> f.folder().id() == e.parentId()).findFirst();
        if (parent.isPresent() || left.stream().noneMatch(o -> o.id() == e.parentId())) {
          all.add(folder(e, parent.map(MappedFolder::folder).orElse(FolderMapping.root().folder())));
          left.remove(e);
          placed = true;
        }
      }
    }
    return all.subList(mailboxes.size(), all.size());
  }

  static MappedFolder folder(Entry e, Folder parent) {
    String path = (parent.id() == Folder.ROOT ? "" : parent.path()) + "/" + e.name();
    return new MappedFolder(new Folder(e.id(), parent.id(), e.name(), path, "message", e.target()), null);
  }
}
