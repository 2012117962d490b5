package io.storefleet.worker.restore;

import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.parse.DateArg;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.queue.OperationTask;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * doUndelete: every item deleted from the mailbox within the window comes back, with IMAP's
 * deleted flag stripped, into its original folder (re-created if gone) or under one restore
 * folder named after the window, where the original folder paths are mirrored.
 *
 * <p>The window is inclusive at both ends, to the second: an item counts when its deletion was
 * recorded at or after {@code start_date} and before the second after {@code end_date} ends.
 */
final class UndeleteTask implements OperationTask {
  private static final DateTimeFormatter FOLDER_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final RestoreContext rc;
  private final String account;
  private final DateArg start;
  private final DateArg end;
  private final boolean originalFolder;

  UndeleteTask(RestoreContext rc, String account, DateArg start, DateArg end, boolean originalFolder) {
    this.rc = rc;
    this.account = account;
    this.start = start;
    this.end = end;
    this.originalFolder = originalFolder;
  }

  /** Whether a deletion recorded at {@code at} is in the window [from, to] (nulls: open ends). */
  static boolean inWindow(Instant at, Instant from, Instant to) {
    return (from == null || !at.isBefore(from)) && (to == null || at.isBefore(to.plusSeconds(1)));
  }

  /** The restore folder for {@code restoreFolder false}: named after the window, so a re-run reuses it. */
  static String datedFolder(DateArg start, DateArg end) {
    return "/Undelete " + label(start) + " to " + label(end);
  }

  private static String label(DateArg d) {
    return d.dateTime() == null ? d.keyword() : FOLDER_DATE.format(d.dateTime());
  }

  @Override
  public OperationStats run(OperationContext ctx) throws Exception {
    Account owner = BackupAccounts.live(rc, account);
    boolean scanned = BackupCatchUp.before(rc, ctx, owner.id());
    ctx.progress("reading the backup", 0, -1, 0);
    Instant from = BackupAccounts.instant(start, rc.clock());
    Instant to = BackupAccounts.instant(end, rc.clock());
    BackupTimeline timeline = BackupTimeline.read(rc.backup().engine(), owner.id());
    List<ItemState> deleted = new ArrayList<>();
    for (ItemState s : timeline.itemsAt(null).values()) {
      if (s.deleted() && inWindow(s.since(), from, to)) {
        deleted.add(s);
      }
    }
    deleted.sort(Comparator.comparingInt(ItemState::id));
    Map<Integer, Folder> live = rc.store().folders(owner.id()).stream()
        .collect(Collectors.toMap(Folder::id, Function.identity()));
    String dated = datedFolder(start, end);
    List<PlannedItem> items = new ArrayList<>();
    for (ItemState s : deleted) {
      Map<Integer, Folder> then = timeline.foldersAt(s.since());
      FolderTarget target;
      if (originalFolder) {
        target = OriginalFolder.of(s, live, then);
      } else {
        Folder known = then.get(s.folderId());
        String path = known == null || known.isMountpoint() ? OriginalFolder.UNKNOWN : known.path();
        String view = known == null ? FolderTarget.viewFor(s.type()) : known.view();
        target = FolderTarget.path(dated + ("/".equals(path) ? "" : path), view);
      }
      items.add(new PlannedItem(s, target, PlannedItem.visible(s)));
    }
    // The dated folder holds mail folders and others alike: it is made as a mail folder first.
    List<FolderTarget> folders = originalFolder || items.isEmpty() ? List.of() : List.of(FolderTarget.path(dated, "message"));
    return new RestoreRun(rc, ctx, owner, owner.name()).count("accountScans", scanned ? 1 : 0)
        .about("items deleted from " + start + " to " + end)
        .run(new RestorePlan(folders, items, false), null, null);
  }
}
