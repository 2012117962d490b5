package io.storefleet.worker.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.worker.backup.command.BackupQueries;
import io.storefleet.worker.command.Replies;
import io.storefleet.protocol.wire.CommandReply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the backup's listings read for an operator (issue 18, items 8 and 12). */
class BackupListingTest {
  @TempDir Path dir;

  @Test
  void availableAccountsAreListedByNameWithDatesThatSayTheirZone() throws Exception {
    try (RestoreFixture f = new RestoreFixture(dir)) {
      new BackupQueries(f.vertx, new Replies("mbox1"), f.backup).register(f.registry);
      f.local.createDomain("example.com");
      // Created in an order whose ids do not sort by name.
      for (String name : List.of("zoe@example.com", "ann@example.com", "mia@example.com", "bob@example.com")) {
        f.deliver(f.account(name), "hello " + name);
      }
      f.record();
      CommandReply r = f.ask("getAvailableAccounts");
      List<String> names = new ArrayList<>();
      for (JsonNode a : r.result()) {
        names.add(a.get("name").asText());
      }
      assertEquals(List.of("ann@example.com", "bob@example.com", "mia@example.com", "zoe@example.com"), names);
      assertTrue(r.text().indexOf("ann@") < r.text().indexOf("bob@"), r.text());
      assertTrue(r.text().matches("(?s).*\\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d\\d:\\d\\d.*"),
          "the LAST RECORDED date carries its offset: " + r.text());
    }
  }
}
