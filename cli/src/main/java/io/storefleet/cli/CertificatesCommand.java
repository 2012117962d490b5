package io.storefleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.protocol.catalogue.Table;
import io.storefleet.protocol.codec.Json;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** {@code storefleet certificates}: when the coordinator's HTTPS certificate and each member's cluster certificate end. */
final class CertificatesCommand {
  private final ApiClient api;
  private final PrintStream out;

  CertificatesCommand(ApiClient api, PrintStream out) {
    this.api = api;
    this.out = out;
  }

  int run(boolean json) {
    JsonNode body = api.get("/api/v1/certificates");
    if (json) {
      out.println(Json.pretty(body));
      return ExitCodes.OK;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"WHAT", "SUBJECT", "NOT AFTER", "DAYS LEFT", "SHA-256"});
    if (body.path("http").isObject()) {
      rows.add(row("HTTPS (this coordinator)", body.get("http")));
    }
    for (JsonNode m : body.path("members")) {
      String what = m.path("server").isTextual() ? "member " + m.get("member").asText() + " (" + m.get("server").asText()
          + ")" : "member " + m.get("member").asText();
      rows.add(m.path("unreadable").asBoolean() ? new String[] {what, "UNREADABLE", "", "", ""} : row(what, m));
    }
    out.print(Table.render(rows));
    if (body.path("members").isEmpty()) {
      out.println("No member publishes a cluster certificate: the event bus is plain (docs/security.md).");
    }
    return ExitCodes.OK;
  }

  private static String[] row(String what, JsonNode c) {
    String days = c.get("daysLeft").asText() + (c.path("expiresSoon").asBoolean() ? " ROTATE SOON" : "");
    return new String[] {what, c.get("subject").asText(), c.get("notAfter").asText(), days, c.get("sha256").asText()};
  }
}
