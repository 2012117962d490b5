package io.storefleet.worker.admin;

import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.wire.AccountLocation;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.protocol.wire.CommandRequest;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Mountpoint;
import io.vertx.core.Future;
import java.util.Map;
import java.util.function.Function;

/**
 * Finds the folder a mountpoint should point at, on whichever server owns it: the owner's id
 * comes from the directory, the folder id from a {@code listFolders} routed through the normal
 * dispatch (local or proxied).
 */
public final class ShareResolver {
  private final ClusterDirectory directory;
  private final Function<CommandRequest, Future<CommandReply>> dispatch;

  public ShareResolver(ClusterDirectory directory, Function<CommandRequest, Future<CommandReply>> dispatch) {
    this.directory = directory;
    this.dispatch = dispatch;
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
          CommandRequest req = new CommandRequest(
              "admin", "listFolders", Map.of("account", loc.get().name()), null, null, requester);
          return dispatch.apply(req).map(reply -> find(loc.get(), path, reply));
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
