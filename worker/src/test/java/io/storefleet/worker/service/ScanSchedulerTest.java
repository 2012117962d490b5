package io.storefleet.worker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.testing.MutableClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 2026-01-01 is a Thursday; the default purge day, Sunday, is 2026-01-04. */
class ScanSchedulerTest {
  @TempDir Path dir;
  final MutableClock clock = MutableClock.atEpoch2026();
  final List<String> submitted = new ArrayList<>();
  final List<Map<String, String>> params = new ArrayList<>();
  boolean queueDown;
  BackupProperties props;
  ScanScheduler scheduler;

  final Submitter submitter = cmd -> {
    if (queueDown) {
      throw ErrorCode.SERVER_UNAVAILABLE.exception("server mbox1 is shutting down", "mbox1");
    }
    submitted.add(cmd.name());
    params.add(cmd.values());
    return "uuid-" + submitted.size();
  };

  @BeforeEach
  void openProperties() throws Exception {
    props = BackupProperties.open(dir.resolve("properties.log"), dir.resolve("backup"), clock);
  }

  ScanScheduler open(Clock c) throws Exception {
    scheduler = ScanScheduler.open(dir.resolve("scheduler.log"), props, c, submitter);
    scheduler.start();
    return scheduler;
  }

  ScanScheduler open() throws Exception {
    return open(clock);
  }

  /** Stops the scheduler as a worker shutdown would, keeping its state file. */
  void restart() throws Exception {
    scheduler.close();
    open();
  }

  @AfterEach
  void close() throws Exception {
    if (scheduler != null) {
      scheduler.close();
    }
    props.close();
  }

  /** Issue 18, item 8: the nightly time is the server's, and the service says which zone that is. */
  @Test
  void theDescriptionNamesTheZoneOfTheNightlyTime() throws Exception {
    String d = open(Clock.fixed(clock.instant(), java.time.ZoneId.of("Europe/Rome"))).description();
    org.junit.jupiter.api.Assertions.assertTrue(d.contains(" (Europe/Rome) and the purge on "), d);
  }

  private List<String> tickAt(String instant) {
    clock.set(Instant.parse(instant));
    return scheduler.tick();
  }

  @Test
  void theNightlySmartScanIsQueuedOnceAtItsTime() throws Exception {
    open();
    assertEquals(List.of(), tickAt("2026-01-01T00:00:00Z"), "the first start misses nothing");
    assertEquals(List.of(), tickAt("2026-01-01T03:59:59Z"));
    assertEquals(List.of("uuid-1"), tickAt("2026-01-01T04:00:00Z"));
    assertEquals(List.of(), tickAt("2026-01-01T04:00:30Z"));
    assertEquals(List.of(), tickAt("2026-01-01T23:59:59Z"));
    assertEquals(List.of("uuid-2"), tickAt("2026-01-02T04:00:10Z"));
    assertEquals(List.of("doSmartScan", "doSmartScan"), submitted);
    assertEquals("false", params.get(0).get("deep"), "queued with the catalogue's defaults");
    assertEquals(LocalDate.of(2026, 1, 2), scheduler.lastNight().orElseThrow());
  }

  @Test
  void theWeeklyPurgeFollowsTheSmartScanOfThePurgeDay() throws Exception {
    open();
    tickAt("2026-01-01T00:00:00Z");
    List<List<String>> perNight = new ArrayList<>();
    for (int day = 1; day <= 14; day++) {
      int before = submitted.size();
      tickAt(String.format("2026-01-%02dT04:00:00Z", day));
      perNight.add(List.copyOf(submitted.subList(before, submitted.size())));
    }
    for (int day = 1; day <= 14; day++) {
      boolean sunday = day == 4 || day == 11;
      assertEquals(sunday ? List.of("doSmartScan", "doPurge") : List.of("doSmartScan"), perNight.get(day - 1),
          "night of 2026-01-" + day);
    }
  }

  @Test
  void thePurgeDayAndTheTimeComeFromTheProperties() throws Exception {
    props.set("ZxBackup_PurgeDay", "saturday", PropertyScope.GLOBAL);
    props.set("ZxBackup_SmartScanTime", "23:30", PropertyScope.SERVER);
    open();
    tickAt("2026-01-03T00:00:00Z");
    assertEquals(List.of(), tickAt("2026-01-03T04:00:00Z"));
    assertEquals(List.of(), tickAt("2026-01-03T23:29:59Z"));
    tickAt("2026-01-03T23:30:00Z");
    assertEquals(List.of("doSmartScan", "doPurge"), submitted);
    props.set("ZxBackup_PurgeDay", "never", PropertyScope.SERVER);
    tickAt("2026-01-10T23:30:00Z");
    assertEquals(List.of("doSmartScan", "doPurge", "doSmartScan"), submitted);
  }

  @Test
  void theTimeIsReadInTheClocksZone() throws Exception {
    Clock rome = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneId.of("Europe/Rome");
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return clock.instant();
      }
    };
    open(rome);
    tickAt("2026-01-01T00:00:00Z");
    assertEquals(List.of(), tickAt("2026-01-01T02:59:59Z"));
    assertEquals(1, tickAt("2026-01-01T03:00:00Z").size(), "04:00 in Rome is 03:00 UTC in winter");
  }

  @Test
  void nothingIsQueuedWhileSchedulingIsOffAndSkippedNightsAreNotCaughtUp() throws Exception {
    open();
    tickAt("2026-01-01T00:00:00Z");
    props.set("ZxBackup_ScanScheduling", "false", PropertyScope.SERVER);
    for (int day = 1; day <= 7; day++) {
      tickAt(String.format("2026-01-%02dT04:00:00Z", day));
    }
    assertEquals(List.of(), submitted);
    props.set("ZxBackup_ScanScheduling", "true", PropertyScope.SERVER);
    assertEquals(List.of(), tickAt("2026-01-07T12:00:00Z"));
    tickAt("2026-01-08T04:00:00Z");
    assertEquals(List.of("doSmartScan"), submitted);
  }

  @Test
  void aStoppedSchedulerQueuesNothing() throws Exception {
    scheduler = ScanScheduler.open(dir.resolve("scheduler.log"), props, clock, submitter);
    assertFalse(scheduler.running());
    scheduler.tick();
    tickAt("2026-01-02T04:00:00Z");
    scheduler.start();
    assertTrue(scheduler.running());
    tickAt("2026-01-02T04:00:01Z");
    scheduler.stop();
    assertFalse(scheduler.running());
    tickAt("2026-01-03T04:00:00Z");
    assertEquals(List.of(), submitted);
  }

  @Test
  void nightsMissedWhileDownRunOnceAfterTheRestart() throws Exception {
    open();
    tickAt("2026-01-01T00:00:00Z");
    tickAt("2026-01-01T04:00:00Z");
    assertEquals(List.of("doSmartScan"), submitted);
    scheduler.close();

    // Down from Thursday to Monday: the nights of Friday to Monday, Sunday's purge among them.
    clock.set(Instant.parse("2026-01-05T10:00:00Z"));
    open();
    assertEquals(2, scheduler.tick().size());
    assertEquals(List.of("doSmartScan", "doSmartScan", "doPurge"), submitted);
    assertEquals(List.of(), tickAt("2026-01-05T10:00:30Z"));
    restart();
    assertEquals(List.of(), tickAt("2026-01-05T11:00:00Z"), "a restart does not repeat the catch-up");
    tickAt("2026-01-06T04:00:00Z");
    assertEquals(List.of("doSmartScan", "doSmartScan", "doPurge", "doSmartScan"), submitted);
  }

  @Test
  void aRestartAfterTheRunDoesNotRunItAgain() throws Exception {
    open();
    tickAt("2026-01-04T00:00:00Z");
    tickAt("2026-01-04T04:00:00Z");
    assertEquals(List.of("doSmartScan", "doPurge"), submitted);
    clock.set(Instant.parse("2026-01-04T04:10:00Z"));
    restart();
    assertEquals(List.of(), scheduler.tick());
    assertEquals(List.of(), tickAt("2026-01-04T23:59:00Z"));
    assertEquals(List.of("doSmartScan", "doPurge"), submitted);
  }

  @Test
  void aNightWhoseSmartScanCouldNotBeQueuedIsTriedAgain() throws Exception {
    open();
    tickAt("2026-01-01T00:00:00Z");
    queueDown = true;
    clock.set(Instant.parse("2026-01-01T04:00:00Z"));
    assertEquals(ErrorCode.SERVER_UNAVAILABLE,
        assertThrows(io.storefleet.protocol.error.StorefleetException.class, scheduler::tick).code());
    queueDown = false;
    assertEquals(1, tickAt("2026-01-01T04:00:30Z").size());
    assertEquals(List.of(), tickAt("2026-01-01T04:01:00Z"));
  }

  @Test
  void theLastNightIsKeptInTheStateFile() throws Exception {
    open();
    tickAt("2026-01-01T00:00:00Z");
    tickAt("2026-01-02T05:00:00Z");
    scheduler.close();
    scheduler = ScanScheduler.open(dir.resolve("scheduler.log"), props, clock, submitter);
    assertEquals(LocalDate.of(2026, 1, 2), scheduler.lastNight().orElseThrow());
    assertEquals(1, submitted.size());
  }
}
