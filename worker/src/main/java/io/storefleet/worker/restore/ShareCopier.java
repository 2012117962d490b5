package io.storefleet.worker.restore;

import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.cluster.RemoteShares;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.Mountpoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Carries a restored account's shares over to the new account, which the vendor does not: the
 * grants the source made are made again on the new account's folders, and its mountpoints are
 * re-created and given, by each owner, the rights the owner gave the source. Owners may live on
 * other servers ({@link RemoteShares}). Everything here is idempotent, so a re-run completes it.
 */
final class ShareCopier {
  /** What was carried over, and what could not be. */
  /**
   * @param grants grants made now
   * @param mountpoints mountpoints made now
   * @param alreadyThere grants and mountpoints an earlier run made, left as they are
   */
  record Outcome(long grants, long mountpoints, long alreadyThere, long unsharedAtSource, List<String> problems) {}

  private final MailStore store;
  private final RemoteShares remote;
  private final String sourceId;
  private final Account target;
  private final TargetFolders folders;

  ShareCopier(MailStore store, RemoteShares remote, String sourceId, Account target, TargetFolders folders) {
    this.store = store;
    this.remote = remote;
    this.sourceId = sourceId;
    this.target = target;
    this.folders = folders;
  }

  Outcome copy(AccountSnapshot snap) {
    List<String> problems = new ArrayList<>();
    Map<Integer, Folder> source = snap.folders().stream().collect(Collectors.toMap(Folder::id, Function.identity()));
    long grants = 0;
    long alreadyThere = 0;
    List<Grant> present = store.grants(target.id());
    for (Grant g : snap.grants()) {
      Folder sf = source.get(g.folderId());
      if (sf == null || sf.isMountpoint()) {
        problems.add("the grant to " + g.granteeName() + " names folder " + g.folderId() + ", which the backup's"
            + " folder tree does not have");
        continue;
      }
      if (g.granteeId().equalsIgnoreCase(target.id())) {
        continue; // the new account is the grantee: it reaches that content as its owner now
      }
      Optional<Folder> tf = folders.at(sf.path());
      if (tf.isEmpty()) {
        problems.add("the grant on " + sf.path() + " to " + g.granteeName() + " has no folder to go on");
        continue;
      }
      Grant wanted = new Grant(target.id(), tf.get().id(), g.granteeId(), g.granteeName(), g.rights());
      if (present.contains(wanted)) {
        // A re-run: counted apart, so its result does not claim to have restored it again.
        alreadyThere++;
        continue;
      }
      store.grant(target.id(), tf.get().id(), g.granteeId(), g.granteeName(), g.rights());
      grants++;
    }
    long mounts = 0;
    long unshared = 0;
    List<Folder> mountpoints = snap.folders().stream().filter(Folder::isMountpoint)
        .sorted(Comparator.comparing(Folder::path)).toList();
    for (Folder mp : mountpoints) {
      Mountpoint m = mp.mount();
      Optional<Folder> there = folders.at(mp.path());
      if (there.isPresent()) {
        if (!there.get().isMountpoint() || !sameTarget(there.get().mount(), m)) {
          problems.add("mountpoint " + mp.path() + " cannot be re-created: the path is taken by another folder");
          continue;
        }
        alreadyThere++;
      } else {
        try {
          folders.added(store.mount(target.id(), mp.path(), m));
        } catch (StorefleetException e) {
          problems.add("mountpoint " + mp.path() + " cannot be re-created: " + e.getMessage());
          continue;
        }
        mounts++;
      }
      try {
        Optional<String> given = rights(m, sourceId);
        if (given.isEmpty()) {
          // The owner no longer shares that folder with the source either: the mountpoint is
          // restored as it was, and does not open for the source's owner either.
          unshared++;
        } else if (!given.equals(rights(m, target.id()))) {
          grant(m, given.get());
        }
      } catch (StorefleetException e) {
        problems.add("mountpoint " + mp.path() + ": the rights of its owner " + m.ownerName()
            + " could not be copied (" + e.getMessage() + "); run the restore again when it is reachable");
      }
    }
    return new Outcome(grants, mounts, alreadyThere, unshared, problems);
  }

  /**
   * What did not come out as planned: a grant that is not there with its rights, a mountpoint
   * that does not point where the source's did, an owner that shares with the source but not
   * with the new account.
   */
  List<String> verify(AccountSnapshot snap) {
    List<String> out = new ArrayList<>();
    Map<Integer, Folder> source = snap.folders().stream().collect(Collectors.toMap(Folder::id, Function.identity()));
    List<Grant> now = store.grants(target.id());
    for (Grant g : snap.grants()) {
      Folder sf = source.get(g.folderId());
      if (sf == null || sf.isMountpoint() || g.granteeId().equalsIgnoreCase(target.id())) {
        continue;
      }
      Optional<Folder> tf = folders.at(sf.path());
      boolean there = tf.isPresent() && now.stream().anyMatch(x -> x.folderId() == tf.get().id()
          && x.granteeId().equalsIgnoreCase(g.granteeId()) && x.rights().equals(g.rights()));
      if (!there) {
        out.add("grant on " + sf.path() + " to " + g.granteeName() + " (" + g.rights() + ") is missing");
      }
    }
    for (Folder mp : snap.folders()) {
      if (!mp.isMountpoint()) {
        continue;
      }
      Optional<Folder> f = store.folder(target.id(), mp.path());
      if (f.isEmpty() || !f.get().isMountpoint() || !sameTarget(f.get().mount(), mp.mount())) {
        out.add("mountpoint " + mp.path() + " is missing");
        continue;
      }
      try {
        Optional<String> given = rights(mp.mount(), sourceId);
        if (given.isPresent() && !given.equals(rights(mp.mount(), target.id()))) {
          out.add("mountpoint " + mp.path() + " does not open: " + mp.mount().ownerName()
              + " does not give the new account the rights it gives the source (" + given.get() + ")");
        }
      } catch (StorefleetException e) {
        out.add("mountpoint " + mp.path() + " could not be checked: " + e.getMessage());
      }
    }
    return out;
  }

  private static boolean sameTarget(Mountpoint a, Mountpoint b) {
    return a.ownerId().equalsIgnoreCase(b.ownerId()) && a.remoteFolderId() == b.remoteFolderId();
  }

  private boolean ownerIsLocal(Mountpoint m) {
    return store.account(m.ownerId()).isPresent();
  }

  private Optional<String> rights(Mountpoint m, String granteeId) {
    if (!ownerIsLocal(m)) {
      return remote.rights(m, granteeId);
    }
    return store.grants(m.ownerId()).stream()
        .filter(g -> g.folderId() == m.remoteFolderId() && g.granteeId().equalsIgnoreCase(granteeId))
        .map(Grant::rights).filter(Objects::nonNull).findFirst();
  }

  private void grant(Mountpoint m, String rights) {
    if (ownerIsLocal(m)) {
      store.grant(m.ownerId(), m.remoteFolderId(), target.id(), target.name(), rights);
    } else {
      remote.grant(m, target, rights);
    }
  }
}
