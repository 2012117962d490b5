package io.storefleet.shares;

import io.storefleet.shares.ServerShares.MountedFolder;
import io.storefleet.shares.ServerShares.SharedFolder;
import io.storefleet.shares.ShareIndex.Live;
import io.storefleet.shares.ShareIndex.Resolved;
import io.storefleet.shares.ShareProblem.Cause;
import io.storefleet.shares.ShareProblem.Kind;
import io.storefleet.shares.ShareProblem.Resolution;
import io.storefleet.shares.ShareProblem.Side;
import io.storefleet.shares.ShareProblem.Via;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Judges every grant and mountpoint of the cluster and plans the fixes. Grants come first,
 * because whether a mountpoint will work after the fix depends on the grants as they will be.
 * Pure: it reads the facts and the translations and changes nothing.
 */
final class ShareCheck {
  private final ShareIndex index;
  private final Translations translations;
  /** owner id + folder id → grantees the folder is shared with now. */
  private final Map<String, Set<String>> sharedNow = new HashMap<>();
  /** owner id + folder id → grantees it will be shared with once the planned re-grants are done. */
  private final Map<String, Set<String>> sharedAfter = new HashMap<>();
  /** owner id → its folders that have a grant; for the folder fallback. */
  private final Map<String, Set<Integer>> grantedFolders = new HashMap<>();
  private final List<ShareProblem> problems = new ArrayList<>();

  private ShareCheck(ShareIndex index, Translations translations) {
    this.index = index;
    this.translations = translations;
  }

  /** Checks every share in {@code facts}; {@code index} is built from the same facts and the selected maps. */
  static ShareReport check(List<ServerShares> facts, ShareIndex index, Translations translations) {
    ShareCheck c = new ShareCheck(index, translations);
    List<ShareReport.Checked> checked = new ArrayList<>();
    for (ServerShares s : facts) {
      for (SharedFolder g : s.grants()) {
        c.grant(s.server(), g);
      }
      checked.add(new ShareReport.Checked(s.server(), s.grants().size(), s.mountpoints().size()));
    }
    for (ServerShares s : facts) {
      for (MountedFolder m : s.mountpoints()) {
        c.mountpoint(s.server(), m);
      }
    }
    c.problems.sort(Comparator.comparing(ShareProblem::server).thenComparing(ShareProblem::kind)
        .thenComparingInt(ShareProblem::folderId).thenComparing(p -> p.grantee().id()));
    checked.sort(Comparator.comparing(ShareReport.Checked::server));
    return ShareReport.of(checked, index.maps(), c.problems);
  }

  private static String key(String ownerId, int folderId) {
    return ownerId + '/' + folderId;
  }

  private void grant(String server, SharedFolder g) {
    String k = key(g.ownerId(), g.folderId());
    Live owner = index.live(g.ownerId());
    Side ownerSide = new Side(g.ownerId(), owner == null ? g.ownerId() : owner.account().name(), server);
    Live grantee = index.live(g.granteeId());
    if (grantee != null) {
      sharedNow.computeIfAbsent(k, x -> new HashSet<>()).add(grantee.account().id());
      sharedAfter.computeIfAbsent(k, x -> new HashSet<>()).add(grantee.account().id());
      grantedFolders.computeIfAbsent(g.ownerId(), x -> new TreeSet<>()).add(g.folderId());
      return;
    }
    Side granteeSide = new Side(g.granteeId(), g.granteeName(), null);
    Resolved r = index.resolve(g.granteeId(), g.granteeName());
    String detail = "the grant names grantee id " + g.granteeId() + ", which no server has";
    if (!r.found()) {
      problems.add(new ShareProblem(Kind.GRANT, server, g.folderId(), g.folderPath(), ownerSide, granteeSide, 0,
          Cause.GRANTEE_UNKNOWN, detail, null, null, false,
          "none: " + r.note() + "; revoke the grant or re-create the account"));
      return;
    }
    String newId = r.live().account().id();
    sharedAfter.computeIfAbsent(k, x -> new HashSet<>()).add(newId);
    grantedFolders.computeIfAbsent(g.ownerId(), x -> new TreeSet<>()).add(g.folderId());
    ShareFix fix = ShareFix.regrant(server, g.ownerId(), g.folderId(), g.granteeId(), newId,
        r.live().account().name(), g.rights());
    problems.add(new ShareProblem(Kind.GRANT, server, g.folderId(), g.folderPath(), ownerSide, granteeSide, 0,
        Cause.GRANTEE_UNKNOWN, detail, fix, resolution(r), true,
        "re-grant '" + g.rights() + "' to " + r.live().account().name() + " (" + r.live().server() + ") ["
            + evidence(r) + "]"));
  }

  private void mountpoint(String server, MountedFolder m) {
    Live holder = index.live(m.holderId());
    String holderName = holder == null ? m.holderId() : holder.account().name();
    Side granteeSide = new Side(m.holderId(), holderName, server);
    Live owner = index.live(m.ownerId());
    Side ownerSide = new Side(m.ownerId(), m.ownerName(), owner == null ? null : owner.server());
    ShareFix.Target from = new ShareFix.Target(m.ownerId(), m.remoteFolderId(), m.ownerName());
    if (owner != null && owner.account().hasFolder(m.remoteFolderId())) {
      String k = key(m.ownerId(), m.remoteFolderId());
      if (sharedNow.getOrDefault(k, Set.of()).contains(m.holderId())) {
        return;
      }
      boolean later = sharedAfter.getOrDefault(k, Set.of()).contains(m.holderId());
      String detail = owner.account().name() + "'s folder " + m.remoteFolderId() + " is not shared with " + holderName;
      problems.add(new ShareProblem(Kind.MOUNTPOINT, server, m.folderId(), m.path(), ownerSide, granteeSide,
          m.remoteFolderId(), Cause.NO_GRANT, detail, null,
          later ? new Resolution(Via.GRANT_FIX, null, null, "the owner's grant to an old id of " + holderName) : null,
          later,
          later ? "none here: the re-grant of " + owner.account().name() + "'s folder " + m.remoteFolderId()
              + " (on " + owner.server() + ") to " + holderName + " repairs it"
              : "none: ask " + owner.account().name() + " to share the folder again, or remove the mountpoint"));
      return;
    }
    if (owner != null) {
      folderMissing(server, m, owner, ownerSide, granteeSide, from);
      return;
    }
    Resolved r = index.resolve(m.ownerId(), m.ownerName());
    String detail = "the mountpoint names owner id " + m.ownerId() + ", which no server has";
    if (!r.found()) {
      problems.add(new ShareProblem(Kind.MOUNTPOINT, server, m.folderId(), m.path(), ownerSide, granteeSide,
          m.remoteFolderId(), Cause.OWNER_UNKNOWN, detail, null, null, false,
          "none: " + r.note() + "; remove the mountpoint"));
      return;
    }
    Live newOwner = r.live();
    int folder = -1;
    String folderNote = null;
    String folderEvidence = "folder by the same map";
    if (r.via() == Via.MAP) {
      int t = translations.newId(r.map().server(), r.map().entry().file(), m.ownerId(), m.remoteFolderId());
      if (t > 0 && newOwner.account().hasFolder(t)) {
        folder = t;
        folderNote = "folder " + m.remoteFolderId() + " -> " + t + " by the same map";
      } else {
        folderNote = t > 0 ? "the map's folder " + t + " is not an ordinary folder of " + newOwner.account().name()
            : "the map has no entry for folder " + m.remoteFolderId();
      }
    }
    Via folderVia = Via.MAP;
    if (folder < 0) {
      FolderGuess g = sharedWith(newOwner, m.holderId(), holderName);
      folderNote = (folderNote == null ? "" : folderNote + "; ") + g.note();
      folder = g.folderId();
      folderVia = Via.OWNER_GRANT;
      folderEvidence = "folder: the one " + newOwner.account().name() + " shares with " + holderName;
    }
    Via via = r.via() == Via.NAME ? Via.NAME : folderVia;
    Resolution how = new Resolution(via, r.map() == null ? null : r.map().server(),
        r.map() == null ? null : r.map().entry().file(), r.note() + "; " + folderNote);
    repoint(server, m, Cause.OWNER_UNKNOWN, detail, ownerSide, granteeSide, from, newOwner, folder, how,
        evidence(r) + "; " + folderEvidence, holderName);
  }

  private void folderMissing(String server, MountedFolder m, Live owner, Side ownerSide, Side granteeSide,
      ShareFix.Target from) {
    String detail = owner.account().name() + " has no ordinary folder " + m.remoteFolderId();
    int folder = -1;
    Resolution how = null;
    String evidence = null;
    // The owner may have been re-pointed already but not the folder: its old id is in a map.
    for (ShareIndex.Mapped e : index.mappedTo(owner.account().id())) {
      int t = translations.newId(e.server(), e.entry().file(), e.entry().oldId(), m.remoteFolderId());
      if (t > 0 && owner.account().hasFolder(t)) {
        folder = t;
        how = new Resolution(Via.MAP, e.server(), e.entry().file(), "map " + e.server() + ":" + e.entry().file()
            + " names folder " + m.remoteFolderId() + " of " + e.entry().oldId() + " -> " + t);
        evidence = "folder by map " + e.server() + ":" + e.entry().file() + " of the owner's old id";
        break;
      }
    }
    if (folder < 0) {
      FolderGuess g = sharedWith(owner, m.holderId(), granteeSide.name());
      folder = g.folderId();
      how = new Resolution(Via.OWNER_GRANT, null, null, "no map entry for folder " + m.remoteFolderId() + "; "
          + g.note());
      evidence = "folder: the one " + owner.account().name() + " shares with " + granteeSide.name();
    }
    repoint(server, m, Cause.FOLDER_MISSING, detail, ownerSide, granteeSide, from, owner, folder, how, evidence,
        granteeSide.name());
  }

  private void repoint(String server, MountedFolder m, Cause cause, String detail, Side ownerSide, Side granteeSide,
      ShareFix.Target from, Live newOwner, int folder, Resolution how, String evidence, String holderName) {
    if (folder < 0) {
      problems.add(new ShareProblem(Kind.MOUNTPOINT, server, m.folderId(), m.path(), ownerSide, granteeSide,
          m.remoteFolderId(), cause, detail, null, null, false, "none: " + how.note() + "; remove the mountpoint"));
      return;
    }
    ShareFix.Target to = new ShareFix.Target(newOwner.account().id(), folder, newOwner.account().name());
    boolean granted = sharedAfter.getOrDefault(key(to.ownerId(), folder), Set.of()).contains(m.holderId());
    String text = "re-point to " + to.ownerName() + " folder " + folder + " (" + newOwner.server() + ") ["
        + evidence + "]"
        + (granted ? "" : "; that folder is not shared with " + holderName + ": ask the owner to share it again");
    problems.add(new ShareProblem(Kind.MOUNTPOINT, server, m.folderId(), m.path(), ownerSide, granteeSide,
        m.remoteFolderId(), cause, detail, ShareFix.repoint(server, m.holderId(), m.folderId(), from, to), how,
        granted, text));
  }

  /** A folder found without a map entry, or -1 with why not. */
  private record FolderGuess(int folderId, String note) {}

  /** The one folder of {@code owner} shared (after the re-grants) with {@code holderId}. */
  private FolderGuess sharedWith(Live owner, String holderId, String holderName) {
    Set<Integer> candidates = new TreeSet<>();
    for (int f : grantedFolders.getOrDefault(owner.account().id(), Set.of())) {
      if (owner.account().hasFolder(f)
          && sharedAfter.getOrDefault(key(owner.account().id(), f), Set.of()).contains(holderId)) {
        candidates.add(f);
      }
    }
    if (candidates.size() == 1) {
      int id = candidates.iterator().next();
      return new FolderGuess(id, "folder " + id + " is the one " + owner.account().name() + " shares with " + holderName);
    }
    return new FolderGuess(-1, candidates.isEmpty()
        ? owner.account().name() + " shares no folder with " + holderName
        : owner.account().name() + " shares " + candidates.size() + " folders with " + holderName + " " + candidates
            + ", so which one is meant is unknown");
  }

  /** How an account was found, briefly; the resolution's note has the ids. */
  private static String evidence(Resolved r) {
    return r.via() == Via.MAP ? "map " + r.map().server() + ":" + r.map().entry().file() : "by address, no map entry";
  }

  private static Resolution resolution(Resolved r) {
    return new Resolution(r.via(), r.map() == null ? null : r.map().server(),
        r.map() == null ? null : r.map().entry().file(), r.note());
  }
}
