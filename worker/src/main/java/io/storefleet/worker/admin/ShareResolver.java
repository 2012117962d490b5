package io.storefleet.worker.admin;

import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.catalogue.AdminCommand;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.wire.AccountLocation;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.shares.ShareRequest;
import io.storefleet.worker.cluster.ServerLink;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Mountpoint;
import io.vertx.core.Future;
import java.util.Map;

/**
 * Finds the folder a mountpoint should point at, on whichever server owns it: the owner's id
 * comes from the directory, the folder id from a {@code listFolders} asked of the owner's server
 * (this one included). Also opens a mountpoint: its owner's server answers with the folder's
 * items if the folder is shared with the holder.
 */
public final class ShareResolver {
  private final ClusterDirectory directory;
  private final ServerLink link;

  public ShareResolver(ClusterDirectory directory, ServerLink link) {
    this.directory = directory;
    this.link = link;
  }

  /**
   * The JSON of the {@link io.storefleet.worker.shares.OpenedFolder} that {@code holder}'s
   * mountpoint {@code mount} shows, from the server that has the owner id it names.
   */
  public Future<String> open(Account holder, Folder mount) {
    Mountpoint m = mount.mount();
    return directory.locate(m.ownerId()).compose(loc -> {
      if (loc.isEmpty() || !loc.get().accountId().equalsIgnoreCase(m.ownerId())) {
        return Future.failedFuture(ErrorCode.UNKNOWN_ACCOUNT.exception(
            "mountpoint " + mount.path() + " of " + holder.name() + " names owner " + m.ownerName() + " by id "
                + m.ownerId() + ", which no server has; the share is broken, see 'storefleet --host all_servers"
                + " backup doCheckShares'"));
      }
      return link.shares(loc.get().server(),
          new ShareRequest(ShareRequest.Kind.OPEN, null, null, m.ownerId(), m.remoteFolderId(), holder.id()));
    });
  }

  /** The mount target for {@code owner}'s folder at {@code path}. */
  public Future<Mountpoint> remoteFolder(String owner, String path, String requester) {
    return directory
        .locate(owner)
        .compose(loc -> {
          if (loc.isEmpty()) {
            return Future.failedFuture(ErrorCode.UNKNOWN_ACCOUNT.exception(
                "share owner " + owner + " does not exist on any server; check the name"));
          }
          String server = loc.get().server();
          CommandRequest req = CommandRequest.of(AdminCommand.LIST_FOLDERS, Map.of("account", loc.get().name()), server,
              requester);
          return link.command(server, req).map(reply -> find(loc.get(), path, reply));
        });
  }

  private static Mountpoint find(AccountLocation owner, String path, CommandReply reply) {
    Folder[] folders = Json.fromTree(reply.result(), Folder[].class);
    for (Folder f : folders) {
      if (f.path().equalsIgnoreCase(path)) {
        if (f.isMountpoint()) {
          throw ErrorCode.CONFLICT.exception(
              "folder " + path + " of " + owner.name() + " is itself a mountpoint; mount the original folder");
        }
        return new Mountpoint(owner.accountId(), f.id(), owner.name());
      }
    }
    throw ErrorCode.NOT_FOUND.exception(
        "folder " + path + " does not exist in " + owner.name() + " (server " + owner.server()
            + "); list its folders with 'storefleet admin listFolders " + owner.name() + "'",
        owner.server());
  }
}
