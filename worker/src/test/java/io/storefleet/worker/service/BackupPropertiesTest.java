package io.storefleet.worker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.log.AppendLog;
import io.storefleet.worker.testing.MutableClock;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupPropertiesTest {
  @TempDir Path dir;
  final MutableClock clock = MutableClock.atEpoch2026();
  BackupProperties props;

  BackupProperties open() throws Exception {
    if (props != null) {
      props.close();
    }
    props = BackupProperties.open(dir.resolve("properties.log"), dir.resolve("backup"), clock);
    return props;
  }

  @AfterEach
  void close() throws Exception {
    if (props != null) {
      props.close();
    }
  }

  private static StorefleetException badValue(Runnable r) {
    StorefleetException e = assertThrows(StorefleetException.class, r::run);
    assertEquals(ErrorCode.BAD_VALUE, e.code(), e.getMessage());
    return e;
  }

  @Test
  void remoteVolumePropertiesTakeOnlyTheirValues() throws Exception {
    open();
    assertEquals("http://127.0.0.1:9000", props.set("ZxBackup_RemoteEndpoint", " http://127.0.0.1:9000 ",
        PropertyScope.GLOBAL).value());
    assertEquals(ErrorCode.BAD_VALUE, badValue(() -> props.set("ZxBackup_RemoteEndpoint", "s3.example.com",
        PropertyScope.SERVER)).code());
    assertEquals(ErrorCode.BAD_VALUE, badValue(() -> props.set("ZxBackup_RemoteSecretsFile", "relative/file",
        PropertyScope.SERVER)).code());
    assertEquals(ErrorCode.BAD_VALUE, badValue(() -> props.set("ZxBackup_RemoteBucket", "two words",
        PropertyScope.SERVER)).code());
    assertEquals(ErrorCode.BAD_VALUE, badValue(() -> props.set("ZxBackup_RemoteReadBackPercent", "101",
        PropertyScope.SERVER)).code());
    assertEquals("when_supported", props.set("ZxBackup_RemoteChecksum", "WHEN_SUPPORTED", PropertyScope.SERVER).value());
    assertEquals(ErrorCode.BAD_VALUE, badValue(() -> props.set("ZxBackup_RemoteChecksum", "always",
        PropertyScope.SERVER)).code());
    assertEquals("http://127.0.0.1:9000", props.effectiveValue(BackupProperty.REMOTE_ENDPOINT));
  }

  @Test
  void defaultsApplyWhenNothingIsSet() throws Exception {
    open();
    assertTrue(props.realtimeScanner());
    assertFalse(props.bloblessMode());
    assertEquals(30, props.retentionDays());
    assertTrue(props.scanScheduling());
    assertEquals(LocalTime.of(4, 0), props.smartScanTime());
    assertEquals(Optional.of(DayOfWeek.SUNDAY), props.purgeDay());
    PropertyValue dest = props.get("ZxBackup_DestPath");
    assertEquals(dir.resolve("backup").toString(), dest.value());
    assertEquals("configuration", dest.source());
    assertEquals(28, props.all().size());
    assertEquals("none", props.get("ZxBackup_RemoteEndpoint").value(), "no off-site copy unless one is set");
    assertEquals("none", props.get("ZxBackup_RemotePruneSecretsFile").value(), "no remote pruning unless set");
    assertEquals("default", props.get("ZxBackup_DataRetentionDays").source());
  }

  @Test
  void serverValueWinsOverGlobalWhichWinsOverDefault() throws Exception {
    open();
    PropertyChange g = props.set("ZxBackup_DataRetentionDays", "60", PropertyScope.GLOBAL);
    assertEquals("30", g.previous());
    assertEquals("60", g.effective());
    assertEquals(60, props.retentionDays());
    assertEquals("global", props.get("ZxBackup_DataRetentionDays").source());

    PropertyChange s = props.set("ZxBackup_DataRetentionDays", "14", PropertyScope.SERVER);
    assertEquals("14", s.effective());
    assertEquals(14, props.retentionDays());

    PropertyChange g2 = props.set("ZxBackup_DataRetentionDays", "90", PropertyScope.GLOBAL);
    assertTrue(g2.overridden(), "the server's own value hides the new global one");
    assertFalse(g2.effectiveChanged());
    assertEquals(14, props.retentionDays());
    PropertyValue v = props.get("zxbackup_dataretentiondays");
    assertEquals("14", v.value());
    assertEquals("server", v.source());
    assertEquals("14", v.serverValue());
    assertEquals("90", v.globalValue());
    assertEquals("30", v.defaultValue());
    assertEquals("90", v.valueAt(PropertyScope.GLOBAL));
  }

  @Test
  void namesAreCaseInsensitiveAndValuesCanonical() throws Exception {
    open();
    assertEquals("ZxBackup_RealTimeScanner", props.set("zxbackup_realtimescanner", "FALSE", PropertyScope.SERVER).name());
    assertFalse(props.realtimeScanner());
    assertEquals("04:05", props.set("ZxBackup_SmartScanTime", "4:05", PropertyScope.SERVER).value());
    assertEquals(LocalTime.of(4, 5), props.smartScanTime());
    assertEquals("saturday", props.set("ZxBackup_PurgeDay", "Saturday", PropertyScope.SERVER).value());
    assertEquals(Optional.of(DayOfWeek.SATURDAY), props.purgeDay());
    props.set("ZxBackup_PurgeDay", "NEVER", PropertyScope.SERVER);
    assertEquals(Optional.empty(), props.purgeDay());
    assertEquals("7", props.set("ZxBackup_DataRetentionDays", "007", PropertyScope.SERVER).value());
    assertEquals("0", props.set("ZxBackup_DataRetentionDays", "0", PropertyScope.SERVER).value());
    assertEquals(0, props.retentionDays());
    props.set("BACKUPBLOBLESSMODE", "True", PropertyScope.GLOBAL);
    assertTrue(props.bloblessMode());
  }

  @Test
  void unknownNamesBadValuesAndTheReadOnlyPathAreRefused() throws Exception {
    open();
    StorefleetException unknown = badValue(() -> props.set("ZxBackup_Nope", "1", PropertyScope.SERVER));
    assertTrue(unknown.getMessage().contains("ZxBackup_Nope"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("ZxBackup_RealTimeScanner, backupBloblessMode"), unknown.getMessage());
    badValue(() -> props.get("ZxBackup_Nope"));

    StorefleetException bool = badValue(() -> props.set("ZxBackup_RealTimeScanner", "yes", PropertyScope.SERVER));
    assertTrue(bool.getMessage().contains("true|false"), bool.getMessage());
    StorefleetException days = badValue(() -> props.set("ZxBackup_DataRetentionDays", "-1", PropertyScope.SERVER));
    assertTrue(days.getMessage().contains("integer >= 0"), days.getMessage());
    badValue(() -> props.set("ZxBackup_DataRetentionDays", "99999999999", PropertyScope.SERVER));
    StorefleetException time = badValue(() -> props.set("ZxBackup_SmartScanTime", "24:00", PropertyScope.SERVER));
    assertTrue(time.getMessage().contains("HH:mm"), time.getMessage());
    badValue(() -> props.set("ZxBackup_SmartScanTime", "4am", PropertyScope.SERVER));
    StorefleetException day = badValue(() -> props.set("ZxBackup_PurgeDay", "sun", PropertyScope.SERVER));
    assertTrue(day.getMessage().contains("monday|tuesday"), day.getMessage());
    StorefleetException path = badValue(() -> props.set("ZxBackup_DestPath", "/tmp/x", PropertyScope.SERVER));
    assertTrue(path.getMessage().contains("set server.backupPath in the worker's configuration and restart"),
        path.getMessage());

    assertEquals(30, props.retentionDays(), "a refused value changes nothing");
    assertEquals(dir.resolve("backup").toString(), props.get("ZxBackup_DestPath").value());
  }

  @Test
  void valuesSurviveReopenAndTheLatestRecordWins() throws Exception {
    open();
    props.set("ZxBackup_SmartScanTime", "01:30", PropertyScope.GLOBAL);
    props.set("ZxBackup_SmartScanTime", "02:30", PropertyScope.GLOBAL);
    props.set("ZxBackup_RealTimeScanner", "false", PropertyScope.SERVER);
    props.set("ZxBackup_PurgeDay", "monday", PropertyScope.SERVER);
    open();
    assertEquals(LocalTime.of(2, 30), props.smartScanTime());
    assertEquals("global", props.get("ZxBackup_SmartScanTime").source());
    assertFalse(props.realtimeScanner());
    assertEquals(Optional.of(DayOfWeek.MONDAY), props.purgeDay());
    assertEquals(30, props.retentionDays());
  }

  @Test
  void aRecordThisVersionCannotUseIsSkippedNotFatal() throws Exception {
    Path file = dir.resolve("properties.log");
    try (AppendLog log = AppendLog.open(file)) {
      log.append("{\"scope\":\"server\",\"key\":\"ZxBackup_Future\",\"value\":\"x\",\"at\":\"2026-01-01T00:00:00Z\"}");
      log.append("{\"scope\":\"server\",\"key\":\"ZxBackup_DataRetentionDays\",\"value\":\"-5\",\"at\":\"2026-01-01T00:00:00Z\"}");
      log.append("{\"scope\":\"server\",\"key\":\"ZxBackup_DataRetentionDays\",\"value\":\"12\",\"at\":\"2026-01-01T00:00:00Z\"}");
    }
    open();
    assertEquals(12, props.retentionDays());
  }

  @Test
  void theLogIsCompactedAndKeepsTheCurrentValues() throws Exception {
    open();
    props.set("ZxBackup_PurgeDay", "friday", PropertyScope.GLOBAL);
    for (int i = 0; i <= BackupProperties.COMPACT_AFTER + 5; i++) {
      props.set("ZxBackup_DataRetentionDays", Integer.toString(i), PropertyScope.SERVER);
    }
    props.close();
    props = null;
    try (AppendLog log = AppendLog.open(dir.resolve("properties.log"))) {
      assertTrue(log.recovered().size() < 20, "records after compaction: " + log.recovered().size());
    }
    open();
    assertEquals(BackupProperties.COMPACT_AFTER + 5, props.retentionDays());
    assertEquals(Optional.of(DayOfWeek.FRIDAY), props.purgeDay());
  }

  @Test
  void listenersHearEverySuccessfulSetWithTheEffectiveValue() throws Exception {
    open();
    List<String> heard = new ArrayList<>();
    props.onChange((name, value) -> heard.add(name + "=" + value));
    props.set("zxbackup_scanscheduling", "false", PropertyScope.SERVER);
    props.set("ZxBackup_ScanScheduling", "true", PropertyScope.GLOBAL);
    badValue(() -> props.set("ZxBackup_ScanScheduling", "maybe", PropertyScope.SERVER));
    assertEquals(List.of("ZxBackup_ScanScheduling=false", "ZxBackup_ScanScheduling=false"), heard);
  }
}
