package io.storefleet.shares;

import com.fasterxml.jackson.core.type.TypeReference;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@link ShareServers} over the event bus. It waits for each answer on the calling thread, which
 * must therefore never be an event loop.
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
    return await(servers.get(), "the server list");
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

  private <T> T await(Future<T> f, String what) {
    try {
      // The client's own timeout ends the request first; this only guards against a lost callback.
      return f.toCompletionStage().toCompletableFuture().get(client.timeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof StorefleetException se ? se
          : ErrorCode.INTERNAL.exception("asking " + what + " failed: " + e.getCause());
    } catch (TimeoutException e) {
      throw ErrorCode.SERVER_TIMEOUT.exception(what + " did not answer in time", what);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ErrorCode.INTERNAL.exception("interrupted while asking " + what);
    }
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
