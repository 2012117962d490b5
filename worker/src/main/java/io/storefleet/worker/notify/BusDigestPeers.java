package io.storefleet.worker.notify;

import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.wire.ServerInfo;
import io.storefleet.worker.cluster.ClusterWait;
import io.storefleet.worker.cluster.ServerLink;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** The cluster's servers for the digest, asked over the event bus (this server's own book directly). */
public final class BusDigestPeers implements DigestPeers {
  private final DigestBook own;
  private final Clock clock;
  private final ClusterDirectory directory;
  private final ServerLink link;
  private final ClusterWait wait;

  public BusDigestPeers(DigestBook own, Clock clock, ClusterDirectory directory, ServerLink link, ClusterWait wait) {
    this.own = own;
    this.clock = clock;
    this.directory = directory;
    this.link = link;
    this.wait = wait;
  }

  @Override
  public List<String> servers() {
    return wait.directory(directory.servers()).stream().map(ServerInfo::serverId).sorted().toList();
  }

  @Override
  public boolean sendsDigests(String server) {
    try {
      String answer = wait.server(link.digest(server, new DigestRequest(DigestRequest.Kind.HELLO, null, null)), server);
      return Json.decode(answer, com.fasterxml.jackson.databind.JsonNode.class).path("sendsDigests").asBoolean(false);
    } catch (RuntimeException e) {
      return false; // a server that does not answer sends nothing
    }
  }

  @Override
  public List<DigestItem> waiting(String server, Instant cutoff) {
    if (server.equals(own.serverId())) {
      return own.waiting(cutoff, clock.instant());
    }
    String answer = wait.server(link.digest(server, new DigestRequest(DigestRequest.Kind.WAITING, cutoff, null)),
        server);
    return Arrays.asList(Json.decode(answer, DigestItem[].class));
  }

  @Override
  public void report(String server, List<DigestOutcome> outcomes) {
    if (server.equals(own.serverId())) {
      own.apply(outcomes, clock.instant());
      return;
    }
    wait.server(link.digest(server, new DigestRequest(DigestRequest.Kind.REPORT, null, outcomes)), server);
  }
}
