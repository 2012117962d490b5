package io.storefleet.worker.testing;

import io.storefleet.worker.importmap.IdMapWriter;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import io.storefleet.worker.store.MailStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fast stand-in for an import, for share tests: the mailbox of one account is re-created under
 * a new account id with every folder and item under a new id, grants and mountpoints are copied
 * as they were (so they still name the old ids), and the destination's import map records old →
 * new ids. It skips the export and the import's phases, so that share tests can build many
 * servers cheaply; the real import, end to end, is covered by the coordinator's
 * CrossServerImportIT.
 */
public final class ImportSimulator {
  /** The folder created first in the new mailbox, so that no id stays what it was. */
  public static final String PAD = "/Imported";

  private ImportSimulator() {}

  /** An account as read from its source store, with every item's content. */
  public record Captured(Account account, List<Folder> folders, List<Item> items, Map<Integer, byte[]> contents,
      List<Grant> grants) {}

  public static Captured capture(MailStore source, String name) {
    Account a = source.account(name).orElseThrow();
    List<Item> items = source.items(a.id());
    Map<Integer, byte[]> contents = new LinkedHashMap<>();
    for (Item i : items) {
      contents.put(i.id(), source.content(a.id(), i.id()));
    }
    return new Captured(a, source.folders(a.id()), items, contents, source.grants(a.id()));
  }

  /** Re-creates {@code c} in the new, empty account {@code newAccountId} of {@code dest}; old → new ids. */
  public static Map<Integer, Integer> recreate(Captured c, MailStore dest, String newAccountId) {
    Map<Integer, Integer> ids = new LinkedHashMap<>();
    dest.createFolder(newAccountId, PAD, "message");
    List<Folder> folders = new ArrayList<>(c.folders());
    folders.sort(Comparator.comparingInt(Folder::id));
    for (Folder f : folders) {
      if (f.id() < Folder.FIRST_USER_ID) {
        ids.put(f.id(), f.id());
      } else if (f.isMountpoint()) {
        ids.put(f.id(), dest.mount(newAccountId, f.path(), f.mount()).id());
      } else {
        ids.put(f.id(), dest.createFolder(newAccountId, f.path(), f.view()).id());
      }
    }
    for (Item i : c.items()) {
      int folder = ids.get(i.folderId());
      byte[] raw = c.contents().get(i.id());
      Item added = i.type() == ItemType.MESSAGE
          ? dest.addMessages(newAccountId, folder, List.of(raw), Set.copyOf(i.flags()), Set.copyOf(i.tags())).get(0)
          : dest.addItem(newAccountId, folder, i.type(), raw, i.subject());
      ids.put(i.id(), added.id());
    }
    for (Grant g : c.grants()) {
      dest.grant(newAccountId, ids.get(g.folderId()), g.granteeId(), g.granteeName(), g.rights());
    }
    return ids;
  }

  /** Appends the account and its ids to {@code map_<sourceServer>} in {@code backupRoot}. */
  public static void writeMap(Path backupRoot, String sourceServer, Captured c, String newAccountId,
      Map<Integer, Integer> ids) throws IOException {
    try (IdMapWriter w = IdMapWriter.open(backupRoot, sourceServer)) {
      w.account(c.account().id(), newAccountId, c.account().name());
      int[] olds = ids.keySet().stream().mapToInt(Integer::intValue).toArray();
      int[] news = ids.values().stream().mapToInt(Integer::intValue).toArray();
      w.items(c.account().id(), olds, news);
    }
  }
}
