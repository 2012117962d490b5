package io.storefleet.worker.cluster;

import com.fasterxml.jackson.core.type.TypeReference;
import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.wire.ServerInfo;
import io.storefleet.shares.FixOutcome;
import io.storefleet.shares.IdRef;
import io.storefleet.shares.ServerShares;
import io.storefleet.shares.ShareFix;
import io.storefleet.shares.ShareRequest.Kind;
import io.storefleet.shares.ShareRequest;
import io.storefleet.shares.ShareServers;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ShareServers} for a worker's share check and fix: every registered server's share
 * endpoint, asked through the {@link ServerLink}. It waits, so it runs on the survey's worker
 * threads or the queue's thread.
 */
public final class LinkShareServers implements ShareServers {
  private final ClusterDirectory directory;
  private final ServerLink link;
  private final ClusterWait wait;

  public LinkShareServers(ClusterDirectory directory, ServerLink link, ClusterWait wait) {
    this.directory = directory;
    this.link = link;
    this.wait = wait;
  }

  @Override
  public List<String> servers() {
    return wait.directory(directory.servers()).stream().map(ServerInfo::serverId).toList();
  }

  @Override
  public ServerShares facts(String server) {
    return Json.decode(wait.server(link.shares(server, request(Kind.FACTS, null, null)), server), ServerShares.class);
  }

  @Override
  public List<ServerShares> facts(List<String> all) {
    List<Future<String>> asked = all.stream().map(s -> link.shares(s, request(Kind.FACTS, null, null))).toList();
    List<ServerShares> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      out.add(Json.decode(wait.server(asked.get(i), all.get(i)), ServerShares.class));
    }
    return out;
  }

  @Override
  public List<IdRef> translate(String server, List<IdRef> refs) {
    return list(wait.server(link.shares(server, request(Kind.TRANSLATE, refs, null)), server), new TypeReference<>() {});
  }

  @Override
  public List<FixOutcome> apply(String server, List<ShareFix> fixes) {
    return list(wait.server(link.shares(server, request(Kind.APPLY, null, fixes)), server), new TypeReference<>() {});
  }

  private static ShareRequest request(Kind kind, List<IdRef> refs, List<ShareFix> fixes) {
    return new ShareRequest(kind, refs, fixes, null, 0, null);
  }

  private static <T> List<T> list(String json, TypeReference<List<T>> type) {
    try {
      return Json.MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw ErrorCode.MALFORMED_REQUEST.exception("cannot read a share answer: " + e.getMessage());
    }
  }
}
