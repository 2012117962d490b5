package io.storefleet.worker.restore;

import io.storefleet.protocol.catalogue.Table;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * doItemSearch: finds items in an account's backup (a live or a deleted account) so that
 * doItemRestore can follow. Each item is judged by its state at {@code end_date} (its newest
 * state dated up to the end of that second): that state must be dated at or after
 * {@code start_date} and match every filter given. Text filters ignore case; {@code subject}
 * needs every word; {@code folder} matches the folder and its subfolders.
 */
final class ItemSearch {
  private final RestoreContext rc;

  ItemSearch(RestoreContext rc) {
    this.rc = rc;
  }

  /** The answer: data for machines, a table for people. */
  record Answer(Map<String, Object> data, String text) {}

  Answer answer(ParsedCommand cmd) throws IOException {
    String given = cmd.required("account");
    String id = BackupAccounts.inBackup(rc, given);
    Instant from = BackupAccounts.instant(cmd.date("start_date"), rc.clock());
    Instant to = BackupAccounts.instant(cmd.date("end_date"), rc.clock());
    if (from != null && to != null && from.isAfter(to)) {
      throw ErrorCode.BAD_VALUE.exception("doItemSearch start_date " + cmd.string("start_date")
          + " is after end_date " + cmd.string("end_date") + "; swap them", rc.serverId());
    }
    BackupTimeline timeline = BackupTimeline.read(rc.backup().engine(), id);
    Map<Integer, ItemState> states = timeline.itemsAt(to == null ? null : to.plusSeconds(1).minusNanos(1));
    String type = cmd.string("type");
    String deleted = cmd.string("deleted");
    String folder = cmd.has("folder") ? FolderTarget.normalized(cmd.string("folder")).toLowerCase(Locale.ROOT) : null;
    List<String> words = cmd.has("subject")
        ? List.of(cmd.string("subject").toLowerCase(Locale.ROOT).trim().split("\\s+")) : List.of();
    List<Map<String, Object>> found = new ArrayList<>();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ITEM", "TYPE", "FOLDER", "DELETED", "SINCE", "FLAGS", "SIZE", "FROM", "SUBJECT"});
    Map<String, Integer> present = presentByDigest(id, states);
    List<ItemState> sorted = new ArrayList<>(states.values());
    sorted.sort(Comparator.comparingInt(ItemState::id));
    for (ItemState s : sorted) {
      if (from != null && s.since().isBefore(from)) {
        continue;
      }
      if (type != null && !type.equals("all") && !FolderTarget.viewFor(s.type()).equals(type)) {
        continue;
      }
      if (deleted != null && !deleted.equals("any") && Boolean.parseBoolean(deleted) != s.deleted()) {
        continue;
      }
      if (!contains(s.from(), cmd.string("from")) || !contains(s.to(), cmd.string("to"))) {
        continue;
      }
      String subject = s.subject() == null ? "" : s.subject().toLowerCase(Locale.ROOT);
      if (!words.stream().allMatch(subject::contains)) {
        continue;
      }
      Folder f = timeline.foldersAt(s.since()).get(s.folderId());
      String path = f == null ? "folder " + s.folderId() : f.path();
      String key = path.toLowerCase(Locale.ROOT);
      if (folder != null && !key.equals(folder) && !key.startsWith(folder.equals("/") ? "/" : folder + "/")) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", s.id());
      m.put("type", FolderTarget.viewFor(s.type()));
      m.put("folderId", s.folderId());
      m.put("folder", path);
      m.put("deleted", s.deleted());
      Integer back = s.deleted() ? present.get(s.digest()) : null;
      if (back != null) {
        m.put("restoredAs", back);
      }
      m.put("since", s.since().toString());
      m.put("size", s.size());
      m.put("flags", s.flags());
      m.put("tags", s.tags());
      m.put("from", s.from());
      m.put("to", s.to());
      m.put("subject", s.subject());
      m.put("states", timeline.statesOf(s.id()).size());
      found.add(m);
      rows.add(new String[] {Integer.toString(s.id()), FolderTarget.viewFor(s.type()), path, s.deleted() ? (back != null ? "yes, restored as " + back : "yes") : "no",
        BackupAccounts.shown(s.since(), rc.clock()), String.join(",", s.flags()), Long.toString(s.size()),
        s.from() == null ? "" : s.from(), s.subject() == null ? "" : s.subject()});
    }
    String name = timeline.snapshotAt(null).map(AccountSnapshot::account).map(a -> a.name()).orElse(given);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("account", name);
    data.put("accountId", id);
    data.put("items", found);
    String text = found.isEmpty() ? "no item of " + name + " in the backup matches\n"
        : Table.render(rows) + found.size() + " item(s); restore one with 'storefleet backup doItemRestore " + name
            + " <item>'\n";
    return new Answer(data, text);
  }

  /**
   * The item that holds each content now: the live mailbox's when the account lives here (a
   * restore writes there first), else the backup's undeleted states. A deleted item whose content
   * is present again, under another id, was brought back by a restore (or is a copy of it):
   * saying so keeps the operator from restoring it twice.
   */
  private Map<String, Integer> presentByDigest(String accountId, Map<Integer, ItemState> states) {
    Map<String, Integer> present = new LinkedHashMap<>();
    if (rc.store().account(accountId).isPresent()) {
      for (Item i : rc.store().items(accountId)) {
        present.putIfAbsent(i.digest(), i.id());
      }
    } else {
      for (ItemState s : states.values()) {
        if (!s.deleted()) {
          present.putIfAbsent(s.digest(), s.id());
        }
      }
    }
    return present;
  }

  private static boolean contains(String value, String wanted) {
    return wanted == null || (value != null && value.toLowerCase(Locale.ROOT).contains(wanted.toLowerCase(Locale.ROOT)));
  }
}
