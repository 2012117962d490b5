package io.storefleet.shares;

import com.fasterxml.jackson.core.type.TypeReference;
import io.storefleet.fabric.bus.BlockingAnswer;
import io.storefleet.fabric.bus.ClusterErrors;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@link ShareServers} over the event bus. It waits for each answer on the calling thread, which
 * must therefore never be an event loop; a failure gets the code a worker's bridge gives the same
 * failure ({@link ClusterErrors}).
 */
public final class BusShareServers implements ShareServers {
  private final ShareClient client;
  private final Supplier<Future<List<String>>> servers;

  /** @param servers every registered server; fails if one cannot be asked */
  public BusShareServers(ShareClient client, Supplier<Future<List<String>>> servers) {
    this.client = client;
    this.servers = servers;
  }

  @Override
  public List<String> servers() {
    // The list comes from the cluster directory, which no one server answers for.
    return await(servers.get(), "the cluster directory", null);
  }

  @Override
  public ServerShares facts(String server) {
    return decode(await(client.send(server, ShareRequest.facts()), server), ServerShares.class);
  }

  @Override
  public List<ServerShares> facts(List<String> all) {
    List<Future<String>> asked = all.stream().map(s -> client.send(s, ShareRequest.facts())).toList();
    java.util.ArrayList<ServerShares> out = new java.util.ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      out.add(decode(await(asked.get(i), all.get(i)), ServerShares.class));
    }
    return out;
  }

  @Override
  public List<IdRef> translate(String server, List<IdRef> refs) {
    return decode(await(client.send(server, ShareRequest.translate(refs)), server), new TypeReference<>() {});
  }

  @Override
  public List<FixOutcome> apply(String server, List<ShareFix> fixes) {
    return decode(await(client.send(server, ShareRequest.apply(fixes)), server), new TypeReference<>() {});
  }

  private <T> T await(Future<T> answer, String server) {
    return await(answer, "server " + server, server);
  }

  private <T> T await(Future<T> answer, String asked, String server) {
    // The client's own timeout ends the request first; this only guards against a lost callback.
    return BlockingAnswer.await(answer, client.timeout().plusSeconds(5), asked, server);
  }

  private static <T> T decode(String json, Class<T> type) {
    return Json.decode(json, type);
  }

  private static <T> T decode(String json, TypeReference<T> type) {
    try {
      return Json.MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw ErrorCode.MALFORMED_REQUEST.exception("cannot read a share answer: " + e.getMessage());
    }
  }
}
