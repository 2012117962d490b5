package io.storefleet.worker.shares;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.shares.FixOutcome;
import io.storefleet.shares.IdRef;
import io.storefleet.shares.ServerShares;
import io.storefleet.shares.ShareFix;
import io.storefleet.worker.importmap.AccountMapping;
import io.storefleet.worker.importmap.IdMap;
import io.storefleet.worker.importmap.MapFiles;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.Mountpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One server's side of share checking and fixing: it reports the server's share facts, looks ids
 * up in its import maps, applies fixes to its store, and opens its folders for mountpoints on
 * other servers. Every method blocks on the store or the disk.
 */
public final class ShareService {
  private final String serverId;
  private final MailStore store;
  private final MapFiles maps;

  public ShareService(String serverId, MailStore store, Path backupRoot) {
    this.serverId = serverId;
    this.store = store;
    this.maps = new MapFiles(backupRoot.toAbsolutePath().normalize());
  }

  public String serverId() {
    return serverId;
  }

  /** The backup path that holds this server's import maps. */
  public Path backupRoot() {
    return maps.root();
  }

  /** A map file named relative to the backup path (doFixShares), which must exist. */
  public Path mapFile(String given) {
    return maps.resolve(given, serverId);
  }

  /** A file named relative to the backup path (getMap), which must stay inside it. */
  public Path inBackupPath(String given) {
    return maps.inside(given, serverId);
  }

  /** A map, parsed or from the cache. */
  public IdMap map(Path file) throws IOException {
    return maps.get(file);
  }

  /** This server's accounts, grants, mountpoints and mapped accounts. */
  public ServerShares facts() throws IOException {
    List<ServerShares.AccountFolders> accounts = new ArrayList<>();
    List<ServerShares.SharedFolder> grants = new ArrayList<>();
    List<ServerShares.MountedFolder> mounts = new ArrayList<>();
    for (Account a : store.accounts()) {
      List<Folder> folders;
      List<Grant> granted;
      try {
        folders = store.folders(a.id());
        granted = store.grants(a.id());
      } catch (StorefleetException e) {
        if (e.code() == ErrorCode.NOT_FOUND || e.code() == ErrorCode.UNKNOWN_ACCOUNT) {
          continue; // deleted while we read the list
        }
        throw e;
      }
      int[] ids = folders.stream().filter(f -> !f.isMountpoint()).mapToInt(Folder::id).sorted().toArray();
      accounts.add(new ServerShares.AccountFolders(a.id(), a.name(), a.aliases(), ids));
      for (Grant g : granted) {
        String path = folders.stream().filter(f -> f.id() == g.folderId()).map(Folder::path).findFirst().orElse("?");
        grants.add(new ServerShares.SharedFolder(a.id(), g.folderId(), path, g.granteeId(), g.granteeName(),
            g.rights()));
      }
      for (Folder f : folders) {
        if (f.isMountpoint()) {
          Mountpoint m = f.mount();
          mounts.add(new ServerShares.MountedFolder(a.id(), f.id(), f.path(), m.ownerId(), m.remoteFolderId(),
              m.ownerName()));
        }
      }
    }
    List<ServerShares.MappedAccount> mapped = new ArrayList<>();
    for (String name : maps.names()) {
      IdMap m = maps.get(maps.root().resolve(name));
      for (AccountMapping a : m.accounts().values()) {
        mapped.add(new ServerShares.MappedAccount(name, m.source(), a.oldId(), a.newId(), a.name(), a.items().size()));
      }
    }
    return new ServerShares(serverId, accounts, grants, mounts, mapped);
  }

  /** The refs with their new ids from this server's maps (-1 where a map has none). */
  public List<IdRef> translate(List<IdRef> refs) throws IOException {
    List<IdRef> out = new ArrayList<>(refs.size());
    java.util.Map<String, IdMap> byFile = new java.util.HashMap<>();
    for (IdRef r : refs) {
      IdMap m = byFile.get(r.file());
      if (m == null) {
        m = maps.get(maps.resolve(r.file(), serverId));
        byFile.put(r.file(), m);
      }
      int id = m.account(r.oldAccountId()).map(a -> a.items().get(r.oldId())).orElse(-1);
      out.add(new IdRef(r.file(), r.oldAccountId(), r.oldId(), id));
    }
    return out;
  }

  /** Applies each fix that is still valid; one outcome per fix, in order. */
  public List<FixOutcome> apply(List<ShareFix> fixes) {
    List<FixOutcome> out = new ArrayList<>(fixes.size());
    for (ShareFix f : fixes) {
      try {
        if (!serverId.equals(f.server())) {
          out.add(new FixOutcome(f, FixOutcome.Status.FAILED,
              "the fix is for server " + f.server() + " but reached " + serverId));
        } else {
          out.add(f.action() == ShareFix.Action.REGRANT ? regrant(f) : repoint(f));
        }
      } catch (StorefleetException e) {
        out.add(new FixOutcome(f, FixOutcome.Status.FAILED, e.getMessage()));
      }
    }
    return out;
  }

  private FixOutcome regrant(ShareFix f) {
    Optional<Account> owner = store.account(f.accountId());
    if (owner.isEmpty()) {
      return new FixOutcome(f, FixOutcome.Status.CHANGED, "owner " + f.accountId() + " is no longer on " + serverId);
    }
    boolean hasOld = false;
    boolean hasNew = false;
    for (Grant g : store.grants(owner.get().id())) {
      if (g.folderId() == f.folderId()) {
        hasOld |= g.granteeId().equals(f.oldGranteeId());
        hasNew |= g.granteeId().equals(f.newGranteeId());
      }
    }
    if (!hasOld) {
      return hasNew ? new FixOutcome(f, FixOutcome.Status.ALREADY, "already granted to " + f.newGranteeId())
          : new FixOutcome(f, FixOutcome.Status.CHANGED, "the grant to " + f.oldGranteeId() + " on folder "
              + f.folderId() + " is gone");
    }
    // Grant first, then revoke: a kill in between leaves both grants, never none, and the next fix
    // finds the old one again and finishes.
    store.grant(owner.get().id(), f.folderId(), f.newGranteeId(), f.newGranteeName(), f.rights());
    store.revoke(owner.get().id(), f.folderId(), f.oldGranteeId());
    return new FixOutcome(f, FixOutcome.Status.APPLIED, null);
  }

  private FixOutcome repoint(ShareFix f) {
    if (store.account(f.accountId()).isEmpty()) {
      return new FixOutcome(f, FixOutcome.Status.CHANGED, "holder " + f.accountId() + " is no longer on " + serverId);
    }
    Optional<Folder> folder = store.folders(f.accountId()).stream().filter(x -> x.id() == f.folderId()).findFirst();
    if (folder.isEmpty() || !folder.get().isMountpoint()) {
      return new FixOutcome(f, FixOutcome.Status.CHANGED, "folder " + f.folderId() + " is no longer a mountpoint");
    }
    Mountpoint now = folder.get().mount();
    if (same(now, f.to())) {
      return new FixOutcome(f, FixOutcome.Status.ALREADY, "already points at " + f.to().ownerId() + ":"
          + f.to().remoteFolderId());
    }
    if (!same(now, f.from())) {
      return new FixOutcome(f, FixOutcome.Status.CHANGED, "it points at " + now.ownerId() + ":"
          + now.remoteFolderId() + " since the check");
    }
    store.repointMountpoint(f.accountId(), f.folderId(), MountTargets.mountpoint(f.to()));
    return new FixOutcome(f, FixOutcome.Status.APPLIED, null);
  }

  private static boolean same(Mountpoint a, ShareFix.Target b) {
    return a.ownerId().equalsIgnoreCase(b.ownerId()) && a.remoteFolderId() == b.remoteFolderId();
  }

  /** An owner's folder for a mountpoint of {@code holderId}: it must exist and be shared with the holder. */
  public OpenedFolder open(String ownerId, int folderId, String holderId) {
    Account owner = store.account(ownerId).orElseThrow(() -> ErrorCode.UNKNOWN_ACCOUNT.exception(
        "share owner " + ownerId + " is not on server " + serverId + "; the mountpoint is broken, find out why with"
            + " 'storefleet --host all_servers backup doCheckShares'", serverId));
    Folder f = store.folders(owner.id()).stream().filter(x -> x.id() == folderId).findFirst()
        .orElseThrow(() -> ErrorCode.NOT_FOUND.exception("folder " + folderId + " of " + owner.name()
            + " does not exist; the mountpoint is broken, find out why with 'storefleet --host all_servers backup"
            + " doCheckShares'", serverId));
    if (f.isMountpoint()) {
      throw ErrorCode.CONFLICT.exception("folder " + f.path() + " (" + folderId + ") of " + owner.name()
          + " is itself a mountpoint; mount the original folder", serverId);
    }
    boolean granted = store.grants(owner.id()).stream()
        .anyMatch(g -> g.folderId() == folderId && g.granteeId().equalsIgnoreCase(holderId));
    if (!granted) {
      throw ErrorCode.CONFLICT.exception("folder " + f.path() + " (" + folderId + ") of " + owner.name()
          + " is not shared with account " + holderId + "; the owner must grant it ('storefleet admin grantFolder "
          + owner.name() + " " + f.path() + " <grantee>')", serverId);
    }
    return new OpenedFolder(owner.id(), owner.name(), f.id(), f.path(), store.items(owner.id(), f.id()));
  }
}
