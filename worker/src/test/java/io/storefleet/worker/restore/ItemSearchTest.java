package io.storefleet.worker.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** doItemSearch: every filter, alone and together, on a live and on a deleted account. */
class ItemSearchTest {
  @TempDir Path dir;
  RestoreFixture f;
  Account ann;
  Item invoice;
  Item memo;
  Item report;
  Item contact;
  Item lunch;

  private Item mail(int folder, String from, String to, String subject) {
    byte[] raw = ("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n\r\nbody\r\n")
        .getBytes(StandardCharsets.UTF_8);
    return f.local.addMessages(ann.id(), folder, List.of(raw), Set.of(), Set.of()).get(0);
  }

  @BeforeEach
  void open() throws Exception {
    f = new RestoreFixture(dir);
    f.local.createDomain("example.com");
    ann = f.account("ann@example.com");
    Folder projects = f.local.createFolder(ann.id(), "/Inbox/Projects", "message");
    Folder q1 = f.local.createFolder(ann.id(), "/Inbox/Projects/Q1", "message");
    f.clock.set(Instant.parse("2026-04-01T08:00:00Z"));
    invoice = mail(Folder.INBOX, "Alice <alice@acme.example>", "ann@example.com", "Invoice for March");
    memo = mail(projects.id(), "bob@acme.example", "ann@example.com, carol@example.com", "Project memo");
    report = mail(q1.id(), "alice@acme.example", "ann@example.com", "March report");
    contact = f.local.addItem(ann.id(), Folder.CONTACTS, ItemType.CONTACT,
        "BEGIN:VCARD\nFN:Alice\nEND:VCARD\n".getBytes(StandardCharsets.UTF_8), "Alice");
    f.record();
    f.clock.set(Instant.parse("2026-04-02T08:00:00Z"));
    lunch = mail(Folder.INBOX, "dave@example.com", "ann@example.com", "Lunch invoice march");
    f.local.deleteItem(ann.id(), invoice.id());
    f.record();
    f.clock.set(Instant.parse("2026-04-03T08:00:00Z"));
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private List<Integer> ids(String... filters) {
    List<String> tokens = new ArrayList<>(List.of("doItemSearch", "ann@example.com"));
    tokens.addAll(List.of(filters));
    CommandReply r = f.ask(tokens.toArray(String[]::new));
    List<Integer> out = new ArrayList<>();
    for (JsonNode i : r.result().get("items")) {
      out.add(i.get("id").asInt());
    }
    return out;
  }

  @Test
  void eachFilterNarrowsTheResult() {
    assertEquals(List.of(invoice.id(), memo.id(), report.id(), contact.id(), lunch.id()), ids());
    assertEquals(List.of(invoice.id(), report.id()), ids("from", "ALICE"));
    assertEquals(List.of(memo.id()), ids("to", "carol"));
    assertEquals(List.of(invoice.id(), lunch.id()), ids("subject", "march invoice"), "every word, any order");
    assertEquals(List.of(memo.id(), report.id()), ids("folder", "/inbox/projects"), "the folder and its subfolders");
    assertEquals(List.of(report.id()), ids("folder", "/Inbox/Projects/Q1"));
    assertEquals(List.of(contact.id()), ids("type", "contact"));
    assertEquals(List.of(invoice.id()), ids("deleted", "true"));
    assertEquals(List.of(memo.id(), report.id(), contact.id(), lunch.id()), ids("deleted", "false"));
    assertEquals(List.of(invoice.id(), lunch.id()), ids("start_date", "02/04/2026 00:00:00"),
        "states recorded since then: the deletion and the new message");
    assertEquals(List.of(invoice.id(), memo.id(), report.id(), contact.id()), ids("end_date", "01/04/2026 08:00:00"),
        "as of then, the end's second included");
    assertEquals(List.of(), ids("deleted", "true", "end_date", "01/04/2026 23:59:59"), "not yet deleted then");
    assertEquals(List.of(report.id()), ids("from", "alice", "subject", "report", "type", "message"));
  }

  @Test
  void theAnswerNamesItemsWithTheirStateForPeopleAndMachines() {
    CommandReply r = f.ask("doItemSearch", "ann@example.com", "deleted", "true");
    JsonNode item = r.result().get("items").get(0);
    assertEquals("/Inbox", item.get("folder").asText());
    assertTrue(item.get("deleted").asBoolean());
    assertEquals(2, item.get("states").asInt());
    assertEquals(ann.id(), r.result().get("accountId").asText());
    assertTrue(r.text().contains("Invoice for March"), r.text());
    assertTrue(r.text().contains("doItemRestore ann@example.com <item>"), r.text());
  }

  @Test
  void aDeletedAccountIsSearchedByNameAndBadRangesAreRefused() throws Exception {
    f.local.deleteAccount(ann.id());
    f.record();
    assertEquals(5, ids("deleted", "true").size(), "every item went with the account");
    StorefleetException e = assertThrows(StorefleetException.class,
        () -> f.ask("doItemSearch", "ann@example.com", "start_date", "03/04/2026 00:00:00", "end_date",
            "01/04/2026 00:00:00"));
    assertEquals(ErrorCode.BAD_VALUE, e.code());
    assertEquals(ErrorCode.UNKNOWN_ACCOUNT, assertThrows(StorefleetException.class,
        () -> f.ask("doItemSearch", "nobody@example.com")).code());
  }
}
