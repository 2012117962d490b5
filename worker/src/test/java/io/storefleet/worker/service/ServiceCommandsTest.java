package io.storefleet.worker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.parse.CommandParser;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.command.Replies;
import io.storefleet.worker.command.RequestContext;
import io.storefleet.worker.testing.MutableClock;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceCommandsTest {
  @TempDir Path dir;
  final MutableClock clock = MutableClock.atEpoch2026();
  final CommandParser parser = new CommandParser();
  final CommandRegistry registry = new CommandRegistry();
  final FakeService scanner = new FakeService("realtime-scanner");
  final List<String> submitted = new ArrayList<>();
  Vertx vertx;
  BackupProperties props;
  ScanScheduler scheduler;
  WorkerServices services;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    props = BackupProperties.open(dir.resolve("properties.log"), dir.resolve("backup"), clock);
    Submitter submitter = cmd -> {
      submitted.add(cmd.name());
      return "uuid-" + submitted.size();
    };
    scheduler = ScanScheduler.open(dir.resolve("scheduler.log"), props, clock, submitter);
    services = new WorkerServices("mbox1", props, clock, List.of(scanner, scheduler));
    services.startEnabled();
    ServiceCommands.register(registry, vertx, new Replies("mbox1"), props, services, submitter);
  }

  @AfterEach
  void close() throws Exception {
    scheduler.close();
    props.close();
    vertx.close().await();
  }

  private CommandReply run(String... words) {
    ParsedCommand cmd = parser.parse(Module.BACKUP, List.of(words));
    return registry.immediate(cmd.spec()).orElseThrow()
        .handle(cmd, new RequestContext("t", null))
        .await();
  }

  private ErrorCode failure(String... words) {
    return assertThrows(StorefleetException.class, () -> run(words)).code();
  }

  @Test
  void switchingTheRealtimeScannerOffStopsItAndOnAgainQueuesTheSmartScan() {
    assertTrue(scanner.running());
    CommandReply off = run("setProperty", "ZxBackup_RealTimeScanner", "FALSE");
    assertFalse(scanner.running());
    assertTrue(off.text().contains("realtime-scanner stopped"), off.text());
    assertEquals(List.of(), submitted);

    CommandReply on = run("setProperty", "zxbackup_realtimescanner", "true");
    assertTrue(scanner.running());
    assertEquals(List.of("doSmartScan"), submitted);
    assertTrue(on.text().contains("requires a SmartScan"), on.text());
    assertTrue(on.text().contains("uuid-1"), on.text());
    ServiceCommands.PropertySet data = Json.fromTree(on.result(), ServiceCommands.PropertySet.class);
    assertEquals("uuid-1", data.smartScanOperation());
    assertEquals("false", data.change().previous());
    assertEquals("true", data.change().effective());

    CommandReply again = run("setProperty", "ZxBackup_RealTimeScanner", "true");
    assertEquals(List.of("doSmartScan"), submitted, "already on: no second SmartScan");
    assertNull(Json.fromTree(again.result(), ServiceCommands.PropertySet.class).smartScanOperation());
  }

  @Test
  void aGlobalValueHiddenByTheServersOwnIsReportedSo() {
    run("setProperty", "ZxBackup_DataRetentionDays", "14");
    CommandReply r = run("setProperty", "ZxBackup_DataRetentionDays", "60", "scope", "global");
    assertTrue(r.text().contains("at global level"), r.text());
    assertTrue(r.text().contains("keeps its own value 14"), r.text());
    assertEquals(14, props.retentionDays());

    CommandReply server = run("getProperty", "property", "ZxBackup_DataRetentionDays");
    assertTrue(server.text().matches("(?s).*ZxBackup_DataRetentionDays\\s+14\\s+server\\s+14\\s+60\\s+30.*"),
        server.text());
    PropertyValue[] values = Json.fromTree(server.result(), PropertyValue[].class);
    assertEquals(1, values.length);
    assertEquals("60", values[0].globalValue());

    CommandReply global = run("getProperty", "property", "zxbackup_dataretentiondays", "scope", "global");
    assertTrue(global.text().contains("GLOBAL VALUE"), global.text());
    assertTrue(global.text().matches("(?s).*ZxBackup_DataRetentionDays\\s+60\\s+global.*"), global.text());
  }

  @Test
  void getPropertyListsEveryPropertyAndRefusesUnknownOnes() {
    CommandReply all = run("getProperty");
    assertEquals(28, Json.fromTree(all.result(), PropertyValue[].class).length);
    for (BackupProperty p : BackupProperty.values()) {
      assertTrue(all.text().contains(p.canonicalName()), all.text());
    }
    assertTrue(all.text().contains(dir.resolve("backup").toString()), all.text());
    assertEquals(ErrorCode.BAD_VALUE, failure("getProperty", "property", "ZxBackup_Nope"));
    assertEquals(ErrorCode.BAD_VALUE, failure("setProperty", "ZxBackup_DestPath", "/elsewhere"));
    assertEquals(ErrorCode.BAD_VALUE, failure("setProperty", "ZxBackup_SmartScanTime", "25:00"));
  }

  @Test
  void schedulingOffMeansTheSchedulerQueuesNothing() {
    clock.set(Instant.parse("2026-01-01T00:00:00Z"));
    scheduler.tick();
    CommandReply r = run("setProperty", "ZxBackup_ScanScheduling", "false");
    assertTrue(r.text().contains("scheduled scans are off"), r.text());
    clock.set(Instant.parse("2026-01-01T04:00:00Z"));
    scheduler.tick();
    assertEquals(List.of(), submitted);
    run("setProperty", "ZxBackup_ScanScheduling", "true");
    clock.set(Instant.parse("2026-01-02T04:00:00Z"));
    scheduler.tick();
    assertEquals(List.of("doSmartScan"), submitted);
  }

  @Test
  void servicesAreListedStartedStoppedAndRestarted() {
    CommandReply list = run("getServices");
    assertTrue(list.text().matches("(?s).*realtime-scanner\\s+running.*"), list.text());
    assertTrue(list.text().matches("(?s).*scheduler\\s+running.*"), list.text());
    assertEquals(2, Json.fromTree(list.result(), ServiceStatus[].class).length);

    CommandReply stop = run("doStopService", "scheduler");
    assertEquals("service scheduler stopped; it is stopped", stop.text());
    assertFalse(scheduler.running());
    assertEquals("service scheduler was already stopped; it is stopped", run("doStopService", "SCHEDULER").text());
    assertTrue(run("doStartService", "scheduler").text().startsWith("service scheduler started"));
    assertTrue(scheduler.running());
    assertTrue(run("doRestartService", "scheduler").text().startsWith("service scheduler restarted"));
    assertTrue(scheduler.running());

    assertEquals(ErrorCode.NOT_FOUND, failure("doStartService", "nope"));
    run("setProperty", "ZxBackup_RealTimeScanner", "false");
    assertEquals(ErrorCode.CONFLICT, failure("doStartService", "realtime-scanner"));
    assertFalse(scanner.running());
  }
}
