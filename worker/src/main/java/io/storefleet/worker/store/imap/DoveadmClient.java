package io.storefleet.worker.store.imap;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Dovecot's doveadm HTTP API ({@code doc.dovecot.org/admin_manual/doveadm_http_api}): the user
 * database listing and the whole-server mailbox status the IMAP protocol has no command for. Blocking: call it from a worker thread.
 */
final class DoveadmClient {
  private final URI url;
  private final String authorization;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();

  DoveadmClient(URI url, String password) {
    this.url = url;
    this.authorization = "Basic " + Base64.getEncoder()
        .encodeToString(("doveadm:" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Every user the server's userdb iterates ({@code doveadm user '*'}), in its order. */
  List<String> users() {
    JsonNode reply = call("user", Map.of("userMask", List.of("*")));
    List<String> out = new ArrayList<>();
    reply.path("userList").forEach(n -> out.add(n.asText()));
    return out;
  }

  /** One mailbox as {@code doveadm mailbox status -A} shows it. */
  record SweptMailbox(String user, String mailbox, String guid, long uidValidity, long highestModSeq,
      long messages) {}

  /**
   * The GUID, UIDVALIDITY, HIGHESTMODSEQ and message count of every mailbox of every user
   * ({@code doveadm mailbox status -A 'guid uidvalidity highestmodseq messages' '*'}): one
   * request for the whole server.
   */
  List<SweptMailbox> mailboxStatusOfAll() {
    JsonNode reply = call("mailboxStatus", Map.of("allUsers", true,
        "field", List.of("guid", "uidvalidity", "highestmodseq", "messages"), "mailboxMask", List.of("*")));
    List<SweptMailbox> out = new ArrayList<>();
    for (JsonNode n : reply) {
      out.add(new SweptMailbox(n.path("username").asText(), n.path("mailbox").asText(), n.path("guid").asText(),
          n.path("uidvalidity").asLong(), n.path("highestmodseq").asLong(), n.path("messages").asLong()));
    }
    return out;
  }

  private JsonNode call(String command, Map<String, Object> params) {
    String body;
    try {
      body = Json.MAPPER.writeValueAsString(List.of(List.of(command, params, "sf")));
    } catch (IOException e) {
      throw ErrorCode.INTERNAL.exception("cannot encode doveadm " + command + ": " + e.getMessage());
    }
    HttpRequest request = HttpRequest.newBuilder(url)
        .timeout(Duration.ofSeconds(120))
        .header("Authorization", authorization)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw ErrorCode.IO_ERROR.exception("doveadm HTTP API " + url + " is unreachable (" + e
          + "); check store.doveadmUrl and Dovecot's doveadm inet_listener http");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ErrorCode.IO_ERROR.exception("interrupted while calling doveadm " + command + " at " + url);
    }
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw ErrorCode.IO_ERROR.exception("doveadm HTTP API " + url + " refused the password (HTTP "
          + response.statusCode() + "); store.doveadmPasswordFile must hold Dovecot's doveadm_password");
    }
    if (response.statusCode() != 200) {
      throw ErrorCode.IO_ERROR.exception("doveadm HTTP API " + url + " answered HTTP " + response.statusCode()
          + " to " + command + ": " + response.body());
    }
    JsonNode reply;
    try {
      reply = Json.MAPPER.readTree(response.body()).path(0);
    } catch (IOException e) {
      throw ErrorCode.IO_ERROR.exception("doveadm HTTP API " + url + " answered " + command
          + " with unreadable JSON: " + e.getMessage());
    }
    if (!"doveadmResponse".equals(reply.path(0).asText())) {
      throw ErrorCode.IO_ERROR.exception("doveadm " + command + " failed at " + url + ": " + reply.path(1)
          + " (see Dovecot's log)");
    }
    return reply.path(1);
  }
}
