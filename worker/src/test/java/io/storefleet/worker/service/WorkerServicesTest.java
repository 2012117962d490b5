package io.storefleet.worker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerServicesTest {
  @TempDir Path dir;
  final MutableClock clock = MutableClock.atEpoch2026();
  final FakeService scanner = new FakeService("realtime-scanner");
  final FakeService scheduler = new FakeService("scheduler");
  BackupProperties props;
  WorkerServices services;

  @BeforeEach
  void open() throws Exception {
    props = BackupProperties.open(dir.resolve("properties.log"), dir.resolve("backup"), clock);
    services = new WorkerServices("mbox1", props, clock, List.of(scanner, scheduler));
  }

  @AfterEach
  void close() throws Exception {
    props.close();
  }

  @Test
  void startStopAndRestartByNameInAnyCase() {
    Instant t0 = clock.instant();
    assertEquals(List.of("stopped", "stopped"), services.list().stream().map(ServiceStatus::state).toList());

    Instant t1 = clock.advance(Duration.ofMinutes(5));
    ServiceStatus started = services.start("SCHEDULER");
    assertTrue(started.running());
    assertEquals("scheduler", started.name());
    assertEquals(t1, started.since());
    assertTrue(scheduler.running());

    clock.advance(Duration.ofMinutes(5));
    assertEquals(t1, services.start("scheduler").since(), "starting a running service changes nothing");
    assertEquals(1, scheduler.starts);

    Instant t3 = clock.advance(Duration.ofMinutes(5));
    ServiceStatus restarted = services.restart("Scheduler");
    assertTrue(restarted.running());
    assertEquals(2, scheduler.starts);
    assertEquals(1, scheduler.stops);

    ServiceStatus stopped = services.stop("scheduler");
    assertFalse(stopped.running());
    assertEquals(t3, stopped.since());
    assertEquals(t0, services.status("realtime-scanner").since());
  }

  @Test
  void anUnknownServiceIsNotFoundAndTheKnownOnesAreListed() {
    StorefleetException e = assertThrows(StorefleetException.class, () -> services.start("backup-engine"));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    assertEquals("service backup-engine is not known on server mbox1; known: realtime-scanner, scheduler",
        e.getMessage());
    assertEquals(ErrorCode.NOT_FOUND, assertThrows(StorefleetException.class, () -> services.stop("x")).code());
    assertEquals(ErrorCode.NOT_FOUND, assertThrows(StorefleetException.class, () -> services.restart("x")).code());
  }

  @Test
  void theRealtimeScannerDoesNotStartWhileItsPropertyIsFalse() {
    services.start("realtime-scanner");
    props.set("ZxBackup_RealTimeScanner", "false", PropertyScope.SERVER);
    StorefleetException e = assertThrows(StorefleetException.class, () -> services.restart("realtime-scanner"));
    assertEquals(ErrorCode.CONFLICT, e.code());
    assertTrue(scanner.running(), "a refused restart stops nothing");
    services.stop("realtime-scanner");
    e = assertThrows(StorefleetException.class, () -> services.start("Realtime-Scanner"));
    assertEquals(ErrorCode.CONFLICT, e.code());
    assertTrue(e.getMessage().contains("setProperty ZxBackup_RealTimeScanner true"), e.getMessage());
    assertFalse(scanner.running());
    props.set("ZxBackup_RealTimeScanner", "true", PropertyScope.SERVER);
    assertTrue(services.start("realtime-scanner").running());
  }

  @Test
  void atTheWorkersStartOnlyAllowedServicesStart() {
    props.set("ZxBackup_RealTimeScanner", "false", PropertyScope.GLOBAL);
    services.startEnabled();
    assertFalse(scanner.running());
    assertTrue(scheduler.running());
    services.stopAll();
    assertFalse(scheduler.running());
  }

  @Test
  void aServiceThatStoppedByItselfIsListedAsStopped() {
    services.start("scheduler");
    Instant later = clock.advance(Duration.ofHours(1));
    scheduler.stop();
    ServiceStatus s = services.status("scheduler");
    assertEquals("stopped", s.state());
    assertEquals(later, s.since());
  }
}
