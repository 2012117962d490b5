package io.storefleet.worker.backup.maintenance;

import io.storefleet.worker.backup.TwoAccountBackupTest;
import io.storefleet.worker.backup.format.BlobPacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.store.Item;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CoherencyCheckTest extends TwoAccountBackupTest {
  @BeforeEach
  void deliver() throws Exception {
    f.deliver(ann, 6, "a");
    f.deliver(ben, 3, "b");
    f.smartScan();
  }

  private Operation check(boolean fix) {
    return f.run("doCoherencyCheck", Map.of("fixBackup", Boolean.toString(fix)));
  }

  @Test
  void aSoundBackupPasses() {
    Operation ok = check(false);
    assertEquals(OperationState.SUCCEEDED, ok.state(), String.valueOf(ok.error()));
    assertEquals(0, ok.stats().counter("problems"));
    assertEquals(9, ok.stats().counter("blobsChecked"));
  }

  @Test
  void flippedBlobBytesAndATruncatedRecordAreFoundThenQuarantinedAndHealedByTheNextScan() throws Exception {
    Item victim = f.store.items(ann.id()).get(3);
    BlobPacks.Location l = f.engine.blobs().committed().get(victim.digest());
    Path pack = dir.resolve("backup/blobs/packs").resolve(l.pack());
    byte[] bytes = Files.readAllBytes(pack);
    bytes[(int) l.offset() + BlobPacks.HEADER + l.length() / 2] ^= 0x5a;
    Files.write(pack, bytes);
    Path items = dir.resolve("backup/accounts").resolve(ben.id()).resolve("items.log");
    byte[] log = Files.readAllBytes(items);
    Files.write(items, java.util.Arrays.copyOf(log, log.length - 20));

    Operation found = check(false);
    assertEquals(OperationState.FAILED, found.state());
    assertEquals("BACKUP_DAMAGED", found.error().code());
    String why = found.error().message();
    assertTrue(why.contains("blob " + victim.digest()) && why.contains("checksum"), why);
    assertTrue(why.contains("truncated record"), why);
    assertArrayEquals(bytes, Files.readAllBytes(pack), "a check without fixBackup changes nothing");

    Operation fixed = check(true);
    assertEquals(OperationState.SUCCEEDED, fixed.state(), String.valueOf(fixed.error()));
    assertEquals(2, fixed.stats().counter("filesQuarantined"));
    String said = fixed.stats().verdict();
    assertTrue(said.contains("blobs/corrupt/" + victim.digest()), said);
    assertTrue(said.contains("accounts/" + ben.id() + "/items.log"), said);
    Path quarantine;
    try (Stream<Path> s = Files.list(dir.resolve("backup/quarantine"))) {
      quarantine = s.findFirst().orElseThrow();
    }
    assertEquals(log.length - 20, Files.size(quarantine.resolve("accounts").resolve(ben.id()).resolve("items.log")));
    assertFalse(f.engine.blobs().has(victim.digest()));

    Operation scan = f.smartScan();
    assertEquals(OperationState.SUCCEEDED, scan.state());
    assertArrayEquals(f.store.content(ann.id(), victim.id()), f.engine.blobs().read(victim.digest()),
        "the account that lost a blob was rescanned and the blob copied again");
    Operation again = check(false);
    assertEquals(OperationState.SUCCEEDED, again.state(), String.valueOf(again.error()));
  }

  @Test
  void aDamagedBlobIndexIsRebuiltFromThePacksOnOpen() throws Exception {
    int blobs = f.engine.blobs().count();
    f.reopenEngine();
    f.engine.close();
    Path index = dir.resolve("backup/blobs/index.log");
    byte[] bytes = Files.readAllBytes(index);
    bytes[12] ^= 0x7f;
    Files.write(index, bytes);
    // One entry in the middle of a pack damaged too: the rebuild resumes at the next whole entry.
    Item damaged = f.store.items(ann.id()).get(2);
    BlobPacks.Location l = f.engine.blobs().committed().get(damaged.digest());
    Path pack = dir.resolve("backup/blobs/packs").resolve(l.pack());
    byte[] p = Files.readAllBytes(pack);
    p[(int) l.offset() + BlobPacks.HEADER + 2] ^= 0x11;
    Files.write(pack, p);
    f.openEngine();
    assertEquals(blobs - 1, f.engine.blobs().count(), "every whole blob found again from the pack headers");
    for (Item i : f.store.items(ann.id())) {
      if (i.id() != damaged.id()) {
        assertArrayEquals(f.store.content(ann.id(), i.id()), f.engine.blobs().read(i.digest()));
      }
    }
    Operation found = check(false);
    assertEquals(OperationState.FAILED, found.state(), "the state naming the damaged blob is reported");
    assertTrue(found.error().message().contains(damaged.digest()), found.error().message());
  }

  @Test
  void aLostIndexLineDoesNotTakeTheBlobWithIt() throws Exception {
    int blobs = f.engine.blobs().count();
    f.reopenEngine();
    f.engine.close();
    Path index = dir.resolve("backup/blobs/index.log");
    java.util.List<String> lines = Files.readAllLines(index);
    Files.write(index, lines.subList(0, lines.size() - 2));
    // And damage one whole entry in the middle of the pack: the rebuild skips past it.
    f.openEngine();
    assertEquals(blobs, f.engine.blobs().count(), "whole entries past the index are indexed again, not cut");
    Operation ok = check(false);
    assertEquals(OperationState.SUCCEEDED, ok.state(), String.valueOf(ok.error()));
  }

  @Test
  void aDeepScanThatMeetsACorruptBlobAsksForACoherencyCheck() throws Exception {
    Item victim = f.store.items(ben.id()).get(0);
    BlobPacks.Location l = f.engine.blobs().committed().get(victim.digest());
    Path pack = dir.resolve("backup/blobs/packs").resolve(l.pack());
    byte[] bytes = Files.readAllBytes(pack);
    bytes[(int) l.offset() + BlobPacks.HEADER + 1] ^= 0x01;
    Files.write(pack, bytes);
    Operation deep = f.run("doSmartScan", Map.of("deep", "true"));
    assertEquals(OperationState.FAILED, deep.state());
    assertEquals(1, f.corruptionReports.size(), f.corruptionReports.toString());
  }
}
