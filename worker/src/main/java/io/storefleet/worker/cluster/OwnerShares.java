package io.storefleet.worker.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.catalogue.AdminCommand;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.wire.AccountLocation;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Mountpoint;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * {@link RemoteShares} asked of the share owner's server: the directory names it, and the admin
 * commands listShares, listFolders and grantFolder go straight to it. Restores run on the
 * queue's thread, so these calls wait.
 */
public final class OwnerShares implements RemoteShares {
  private static final String REQUESTER = "storefleet-restore";

  private final ClusterDirectory directory;
  private final ServerLink link;
  private final ClusterWait wait;

  public OwnerShares(ClusterDirectory directory, ServerLink link, ClusterWait wait) {
    this.directory = directory;
    this.link = link;
    this.wait = wait;
  }

  @Override
  public Optional<String> rights(Mountpoint target, String granteeId) {
    Optional<AccountLocation> owner = wait.directory(directory.locate(target.ownerId()));
    if (owner.isEmpty()) {
      return Optional.empty();
    }
    JsonNode shares = admin(AdminCommand.LIST_SHARES, Map.of("account", owner.get().name()), owner.get()).get("grants");
    return Arrays.stream(Json.fromTree(shares, Grant[].class))
        .filter(g -> g.folderId() == target.remoteFolderId() && g.granteeId().equalsIgnoreCase(granteeId))
        .map(Grant::rights).findFirst();
  }

  @Override
  public void grant(Mountpoint target, Account grantee, String rights) {
    AccountLocation owner = wait.directory(directory.locate(target.ownerId()))
        .orElseThrow(() -> ErrorCode.UNKNOWN_ACCOUNT.exception("share owner " + target.ownerName()
            + " no longer exists on any server"));
    Folder[] folders = Json.fromTree(admin(AdminCommand.LIST_FOLDERS, Map.of("account", owner.name()), owner), Folder[].class);
    Folder shared = Arrays.stream(folders).filter(f -> f.id() == target.remoteFolderId()).findFirst()
        .orElseThrow(() -> ErrorCode.NOT_FOUND.exception("folder " + target.remoteFolderId() + " of " + owner.name()
            + " no longer exists", owner.server()));
    admin(AdminCommand.GRANT_FOLDER, Map.of("account", owner.name(), "folder", shared.path(), "grantee", grantee.name(),
        "rights", rights), owner);
  }

  private JsonNode admin(AdminCommand command, Map<String, String> params, AccountLocation owner) {
    CommandRequest req = CommandRequest.of(command, params, owner.server(), REQUESTER);
    return wait.server(link.command(owner.server(), req), owner.server()).result();
  }
}
