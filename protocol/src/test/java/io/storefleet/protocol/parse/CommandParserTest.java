package io.storefleet.protocol.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandParserTest {
  private final CommandParser parser = new CommandParser();

  private ParsedCommand parse(String... words) {
    return parser.parse(Module.BACKUP, List.of(words));
  }

  private StorefleetException fails(ErrorCode code, String... words) {
    StorefleetException e = assertThrows(StorefleetException.class, () -> parse(words));
    assertEquals(code, e.code(), e.getMessage());
    assertTrue(e.code().definite(), "parse errors are definite");
    return e;
  }

  @Test
  void positionalThenNamedPairs() {
    ParsedCommand c = parse("doundelete", "John@Example.com", "08/10/2012 10:15:00", "last",
        "target_original_folder", "FALSE", "notifications", "a@x.org,b@y.org");
    assertEquals("doUndelete", c.name());
    assertEquals("john@example.com", c.string("account"));
    assertEquals(LocalDateTime.of(2012, 10, 8, 10, 15), c.date("start_date").dateTime());
    assertTrue(c.date("end_date").is("last"));
    assertEquals("false", c.string("target_original_folder"));
    assertEquals(List.of("a@x.org", "b@y.org"), c.list("notifications"));
  }

  @Test
  void defaultsAreFilledIn() {
    ParsedCommand c = parse("getItem", "john@example.com", "339");
    assertEquals("false", c.string("dump_blob"));
    assertEquals("last", c.string("date"));
    assertEquals(339, c.integer("item", 0));
  }

  @Test
  void unknownCommandSuggestsTheClosest() {
    StorefleetException e = fails(ErrorCode.UNKNOWN_COMMAND, "doSmartScn");
    assertTrue(e.getMessage().contains("did you mean doSmartScan?"), e.getMessage());
  }

  @Test
  void missingMandatoryNamesItAndTheUsage() {
    StorefleetException e = fails(ErrorCode.MISSING_PARAMETER, "doUndelete", "john@example.com", "first");
    assertTrue(e.getMessage().contains("end_date"), e.getMessage());
    assertTrue(e.getMessage().contains("usage: doUndelete {account} {start_date} {end_date}"), e.getMessage());
  }

  @Test
  void unknownParameterListsTheAcceptedOnes() {
    StorefleetException e = fails(ErrorCode.UNKNOWN_PARAMETER, "doSmartScan", "depp", "true");
    assertTrue(e.getMessage().contains("did you mean deep?"), e.getMessage());
    assertTrue(e.getMessage().contains("notifications"), e.getMessage());
  }

  @Test
  void badValueShowsTheExpectedValues() {
    StorefleetException e = fails(ErrorCode.BAD_VALUE, "doSmartScan", "deep", "yes");
    assertTrue(e.getMessage().contains("expected Boolean true|false"), e.getMessage());
    e = fails(ErrorCode.BAD_VALUE, "doUndelete", "john@example.com", "31/02/2024 10:00:00", "last");
    assertTrue(e.getMessage().contains("dd/MM/yyyy HH:mm:ss|first"), e.getMessage());
    fails(ErrorCode.BAD_VALUE, "doUndelete", "john@example.com", "last", "last");
    fails(ErrorCode.BAD_VALUE, "getItem", "john@example.com", "12x");
    fails(ErrorCode.BAD_VALUE, "monitor", "not-a-uuid");
    fails(ErrorCode.BAD_VALUE, "doItemRestore", "not an address", "5");
    fails(ErrorCode.BAD_VALUE, "doExport", "/x", "domains", "a.com,,b.com");
    fails(ErrorCode.BAD_VALUE, "doEnableDisableCOS", "default", "maybe");
  }

  @Test
  void duplicateParameter() {
    fails(ErrorCode.DUPLICATE_PARAMETER, "doSmartScan", "deep", "true", "deep", "false");
    fails(ErrorCode.DUPLICATE_PARAMETER, "getItem", "john@example.com", "5", "item", "6");
  }

  @Test
  void valueMissingAfterName() {
    StorefleetException e = fails(ErrorCode.MISSING_PARAMETER, "doSmartScan", "deep");
    assertTrue(e.getMessage().contains("deep <Boolean true|false>"), e.getMessage());
  }

  @Test
  void extraWordForCommandWithoutOptions() {
    fails(ErrorCode.TOO_MANY_ARGUMENTS, "doStopAllOperations", "now");
  }

  @Test
  void datesAcceptKeywordsInAnyCaseAndBackticks() {
    assertTrue(parse("getItem", "john@example.com", "1", "date", "ALL").date("date").is("all"));
    assertEquals(LocalDateTime.of(2012, 9, 28, 10, 15, 10),
        parse("doRestoreOnNewAccount", "a@b.c", "n@b.c", "`28/09/2012 10:15:10`").date("date").dateTime());
  }

  /** Issue 18, item 8: a date may carry its zone; without one it is the owning server's. */
  @Test
  void aDateMayNameItsZoneAndOtherwiseIsReadInTheServersZone() {
    DateArg given = parse("doRestoreOnNewAccount", "a@b.c", "n@b.c", "28/09/2012 10:15:10 +02:00").date("date");
    assertEquals(java.time.Instant.parse("2012-09-28T08:15:10Z"), given.instant(java.time.ZoneId.of("Asia/Tokyo")));
    assertEquals("28/09/2012 10:15:10 +02:00", given.toString(), "the canonical form keeps the zone");
    assertEquals(given, DateArg.parse(given.toString()));
    DateArg utc = DateArg.parse("28/09/2012 10:15:10 Z");
    assertEquals(java.time.Instant.parse("2012-09-28T10:15:10Z"), utc.instant(java.time.ZoneId.of("Europe/Rome")));
    DateArg plain = DateArg.parse("28/09/2012 10:15:10");
    assertEquals(java.time.Instant.parse("2012-09-28T08:15:10Z"), plain.instant(java.time.ZoneId.of("Europe/Rome")));
    StorefleetException e = fails(ErrorCode.BAD_VALUE, "doRestoreOnNewAccount", "a@b.c", "n@b.c",
        "28/09/2012 10:15:10 Mars/Olympus");
    assertTrue(e.getMessage().contains("date"), e.getMessage());
    assertEquals("28/09/2012 10:15:10 +02:00",
        DateText.of(java.time.Instant.parse("2012-09-28T08:15:10Z"), java.time.ZoneId.of("+02:00")),
        "printed dates carry their offset and read back as the same instant");
  }

  /** Issue 18, item 12: a bare name is told that the full address is needed. */
  @Test
  void aBareAccountNameAsksForTheFullAddress() {
    StorefleetException e = fails(ErrorCode.BAD_VALUE, "getAccountInfo", "bob");
    assertTrue(e.getMessage().contains("'bob' is not a full address for account; write the whole address, e.g."
        + " bob@<domain>"), e.getMessage());
  }

  @Test
  void namedValuesFromTheApiAreCheckedTheSameWay() {
    ParsedCommand c = parser.fromValues(Module.BACKUP, "DOACCOUNTSCAN", Map.of("account", "A@B.C", "deep", "TRUE"));
    assertEquals("a@b.c", c.string("account"));
    assertTrue(c.bool("deep"));
    StorefleetException e = assertThrows(StorefleetException.class,
        () -> parser.fromValues(Module.BACKUP, "doAccountScan", Map.of()));
    assertEquals(ErrorCode.MISSING_PARAMETER, e.code());
  }

  @Test
  void adminCommandsParseWithTheirOwnCatalogue() {
    ParsedCommand c = parser.parse(Module.ADMIN, List.of("createaccount", "John@Example.com", "cos", "staff"));
    assertEquals("createAccount", c.name());
    assertEquals("staff", c.string("cos"));
  }

  /** What travels on the wire is what the operator gave, canonical; the defaults are the receiver's. */
  @Test
  void givenValuesAreKeptApartFromTheDefaults() {
    ParsedCommand cmd = parser.parse(Module.BACKUP, List.of("doAccountScan", "Ann@Example.com", "DEEP", "True"));
    assertEquals(Map.of("account", "ann@example.com", "deep", "true"), cmd.given());
    assertEquals("false", cmd.string("remote_metadata_upload"), "the default is still there for the parser's own use");
    ParsedCommand again = parser.fromValues(Module.BACKUP, "doAccountScan", cmd.given());
    assertEquals(cmd.values(), again.values(), "the receiver fills in the same defaults");
    assertEquals(cmd.given(), again.given());
  }

  @Test
  void aHugeWordIsRefusedAtOnceWithoutASuggestion() {
    // A megabyte-long command or parameter name was compared with every name letter by letter:
    // seconds of a coordinator's event loop per request.
    String huge = "x".repeat(1_000_000);
    long t0 = System.nanoTime();
    StorefleetException command = fails(ErrorCode.UNKNOWN_COMMAND, huge);
    StorefleetException param = fails(ErrorCode.UNKNOWN_PARAMETER, "doAccountScan", "john@example.com", huge, "x");
    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(command.getMessage().contains("storefleet help backup"), "no suggestion, the list instead");
    assertTrue(param.getMessage().contains("accepted:"), "the accepted names are still listed");
    assertTrue(millis < 1_000, "took " + millis + " ms");
  }

  @Test
  void anItemIdBeyondAnIntIsRefusedNotCutToAnotherItem() {
    // (int) 4294967297L is 1: getItem, moveItem or deleteItem would have acted on item 1.
    StorefleetException e = assertThrows(StorefleetException.class,
        () -> parse("getItem", "john@example.com", "4294967297").intValue("item", -1));
    assertEquals(ErrorCode.BAD_VALUE, e.code());
    assertTrue(e.getMessage().contains("getItem: item 4294967297 is out of range"), e.getMessage());
    assertEquals(339, parse("getItem", "john@example.com", "339").intValue("item", -1));
  }

  @Test
  void quotesAreTakenOffUntilNoneAreLeftSoTheWorkerReadsWhatTheCoordinatorChecked() {
    // Found by CliGrammarFuzzTest: one pair came off per reading, so each hop read another value.
    ParsedCommand c = parse("doItemRestore", "john@example.com", "7", "restore_folder", "\"' /Restored '\"");
    assertEquals("/Restored", c.string("restore_folder"));
    assertEquals(c.values(), parser.fromValues(Module.BACKUP, "doItemRestore", c.given()).values());
  }
}
