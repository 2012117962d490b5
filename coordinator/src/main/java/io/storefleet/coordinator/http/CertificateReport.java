package io.storefleet.coordinator.http;

import io.storefleet.coordinator.aggregate.ServerLiveness;
import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.fabric.tls.CertificateFacts;
import io.storefleet.fabric.tls.MemberCertificate;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.wire.ServerInfo;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/certificates}: when each certificate in use ends, so that rotation is
 * planned rather than found out: this coordinator's HTTPS certificate and every cluster member's
 * event-bus certificate (from their statements in the directory), with the server each serves.
 */
final class CertificateReport {
  private final ClusterDirectory directory;
  private final ServerLiveness liveness;
  private final Supplier<CertificateFacts> http;
  private final Clock clock;

  CertificateReport(ClusterDirectory directory, ServerLiveness liveness, Supplier<CertificateFacts> http, Clock clock) {
    this.directory = directory;
    this.liveness = liveness;
    this.http = http;
    this.clock = clock;
  }

  Future<Map<String, Object>> now() {
    return liveness.servers().compose(servers -> directory.memberCertificates().map(entries -> {
      Map<String, String> serverOf = new LinkedHashMap<>();
      for (ServerInfo s : servers) {
        serverOf.put(s.nodeId(), s.serverId());
      }
      List<Map<String, Object>> members = new ArrayList<>();
      entries.forEach((member, json) -> {
        CertificateFacts f = Json.decode(json, MemberCertificate.class).leafFacts();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("member", member);
        m.put("server", serverOf.get(member));
        if (f == null) {
          m.put("unreadable", true);
        } else {
          m.putAll(described(f));
        }
        members.add(m);
      });
      members.sort(Comparator.comparing(m -> String.valueOf(m.get("server")) + m.get("member")));
      Map<String, Object> out = new LinkedHashMap<>();
      CertificateFacts h = http.get();
      out.put("http", h == null ? null : described(h));
      out.put("members", members);
      return out;
    }));
  }

  private Map<String, Object> described(CertificateFacts f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subject", f.subject());
    m.put("issuer", f.issuer());
    m.put("notAfter", f.notAfter().toString());
    m.put("daysLeft", f.daysLeft(clock));
    m.put("expiresSoon", f.expiresSoon(clock));
    m.put("sha256", f.sha256());
    return m;
  }
}
