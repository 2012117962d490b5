package io.storefleet.worker.offsite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.backup.BackupFixture;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupHistoryReader;
import io.storefleet.worker.backup.format.BackupPath;
import io.storefleet.worker.backup.format.BlobReader;
import io.storefleet.worker.backup.format.MissingBlobException;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.backup.format.OffsiteSource;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.testing.S3Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote pruning against a real S3 server (S3Proxy on loopback). S3Proxy 2.6.0 has one identity
 * and enforces no policy, so the prune's store signs with that identity whatever its secrets file
 * names; what is tested is the logic: what is deleted, that the copy still fetches whole, and that
 * only the prune's store ever deletes (the upload's refuses, and is counted).
 */
class RemotePruneTest {
  private static final String BUCKET = "backups";
  private static final String BASE = "fleet/mbox1/";

  @TempDir Path dir;
  private S3Server s3;
  private BackupFixture f;
  private Account ann;
  private Path secrets;
  private Path pruneSecrets;
  private final AtomicInteger uploadDeletes = new AtomicInteger();
  private final AtomicInteger pruneDeletes = new AtomicInteger();
  /** Reads by the upload's store of metadata packs it did not put (read back): a rebuild of its state reads them all. */
  private final AtomicInteger uploadMetadataPackGets = new AtomicInteger();

  @BeforeEach
  void setUp() throws Exception {
    s3 = new S3Server(dir.resolve("s3"), BUCKET);
    f = new BackupFixture(dir.resolve("server"));
    secrets = secretsFile("offsite.secrets", S3Server.ACCESS_KEY, S3Server.SECRET_KEY, "a passphrase");
    pruneSecrets = secretsFile("prune.secrets", "storefleet-prune", "prune-secret", null);
    f.store.createDomain("example.com");
    ann = f.store.createAccount("ann@example.com", null, Map.of());
    List<byte[]> mail = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      mail.add(BackupFixture.message("note " + i, "body " + i + " " + noise(i, 600 + i * 20)));
    }
    f.store.addMessages(ann.id(), Folder.INBOX, mail, Set.of(), Set.of());
    assertEquals(OperationState.SUCCEEDED, f.smartScan().state());
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
    s3.close();
  }

  /** Text that does not compress, so that the small packs of this test hold a few messages each. */
  private static String noise(long seed, int length) {
    java.util.Random r = new java.util.Random(seed);
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append((char) ('a' + r.nextInt(26)));
    }
    return b.toString();
  }

  private Path secretsFile(String name, String key, String secret, String passphrase) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, "access_key_id = " + key + "\nsecret_access_key = " + secret + "\n"
        + (passphrase == null ? "" : "passphrase = " + passphrase + "\n"));
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    return p;
  }

  private OffsiteCopy copy(Path pruneFile, OffsiteCopy.StoreOpener pruneOpener) {
    return copy(pruneFile, pruneOpener, key -> { });
  }

  /** {@code onUploadPut} runs after each put of the upload's store. */
  private OffsiteCopy copy(Path pruneFile, OffsiteCopy.StoreOpener pruneOpener, UploadPut onUploadPut) {
    RemoteVolume v = new RemoteVolume(s3.endpoint(), BUCKET, "fleet", "us-east-1", true, secrets,
        RemoteVolume.Checksum.WHEN_REQUIRED, 0, 100, pruneFile);
    OffsiteCopy.StoreOpener upload = (vol, sec) -> new OffsiteCopyTest.Forwarding(S3ObjectStore.open(vol, sec)) {
      private final Set<String> put = java.util.concurrent.ConcurrentHashMap.newKeySet();

      @Override
      public void put(String key, byte[] bytes) throws IOException {
        super.put(key, bytes);
        put.add(key);
        onUploadPut.after(key);
      }

      @Override
      public void delete(String key) throws IOException {
        uploadDeletes.incrementAndGet();
        super.delete(key);
      }

      @Override
      public java.util.Optional<byte[]> get(String key) throws IOException {
        if (key.startsWith(BASE + "mpacks/") && !put.contains(key)) {
          uploadMetadataPackGets.incrementAndGet();
        }
        return super.get(key);
      }

      @Override
      public java.util.Optional<byte[]> getRange(String key, long from, int length) throws IOException {
        if (key.startsWith(BASE + "mpacks/") && !put.contains(key)) {
          uploadMetadataPackGets.incrementAndGet();
        }
        return super.getRange(key, from, length);
      }
    };
    return new OffsiteCopy("mbox1", () -> v, dir.resolve("data"), f.clock, upload, pruneOpener, 1000, 2048,
        Bandwidth.Ticker.SYSTEM);
  }

  /** A copy of a worker whose state is in {@code stateDir}, with the stores of {@code upload} and {@code prune}. */
  private OffsiteCopy copy(Path stateDir, OffsiteCopy.StoreOpener upload, OffsiteCopy.StoreOpener prune) {
    RemoteVolume v = new RemoteVolume(s3.endpoint(), BUCKET, "fleet", "us-east-1", true, secrets,
        RemoteVolume.Checksum.WHEN_REQUIRED, 0, 100, pruneSecrets);
    return new OffsiteCopy("mbox1", () -> v, stateDir, f.clock, upload, prune, 1000, 2048, Bandwidth.Ticker.SYSTEM);
  }

  @FunctionalInterface
  private interface UploadPut {
    void after(String key) throws IOException;
  }

  private OffsiteCopy copy() {
    return copy(pruneSecrets, this::pruneStore);
  }

  /** The prune's store: the test's only identity, its deletes counted. */
  private ObjectStore pruneStore(RemoteVolume v, RemoteSecrets s) {
    assertEquals("storefleet-prune", s.accessKeyId(), "the prune opens its store with its own credentials");
    return new OffsiteCopyTest.Forwarding(S3ObjectStore.openForPrune(v,
        new RemoteSecrets(S3Server.ACCESS_KEY, S3Server.SECRET_KEY, s.passphrase()))) {
      @Override
      public void delete(String key) throws IOException {
        pruneDeletes.incrementAndGet();
        super.delete(key);
      }
    };
  }

  /** Deletes the first {@code n} messages, scans, uploads (the copy keeps them), and purges them locally. */
  private List<Item> deleteUploadAndPurge(int n) throws Exception {
    List<Item> gone = f.store.items(ann.id()).subList(0, n);
    for (Item i : gone) {
      f.store.deleteItem(ann.id(), i.id());
    }
    f.smartScan();
    copy().upload(f.engine, null);
    f.clock.advance(Duration.ofDays(40));
    assertEquals(OperationState.SUCCEEDED, f.run("doPurge", Map.of("purgeDays", "30")).state());
    for (Item i : gone) {
      assertFalse(f.engine.blobs().has(i.digest()), "purged locally");
    }
    return gone;
  }

  @Test
  void aPruneAfterThePurgeDeletesWhatNothingKeptNeedsAndTheCopyStillFetchesWhole() throws Exception {
    copy().upload(f.engine, null);
    List<Item> gone = deleteUploadAndPurge(12);
    int packsBefore = keys("data/").size();

    Map<String, String> bucket = objects();
    OffsiteCopy.Pruned dryRun = copy().prune(f.engine, 1, true, null);
    RemotePrune.Report dry = dryRun.prune();
    assertEquals(0, pruneDeletes.get(), "a dry run deletes nothing");
    assertEquals(bucket, objects(), "a dry run sends nothing either (the purge changed the path since the upload)");
    assertEquals(null, dryRun.upload());
    assertEquals(dry.snapshot() - 1, dry.counted(), "counted against the newest snapshot as it is");
    assertTrue(dry.packsDeleted() > 0, dry.toString());

    OffsiteCopy.Pruned p = copy().prune(f.engine, 1, false, null);
    RemotePrune.Report r = p.prune();
    assertEquals(0, uploadDeletes.get(), "the upload credentials' store never deletes");
    assertTrue(pruneDeletes.get() > 0);
    assertEquals(1, keys("snapshots/").size(), "keep 1: only the prune's snapshot");
    assertEquals(packsBefore - r.packsDeleted(), keys("data/").size(), r.toString());
    assertTrue(r.packsDeleted() >= 2, "several packs held only deleted mail: " + r);
    assertTrue(keys("locks/").isEmpty(), "the lock is released");

    // Every pack left holds a blob the path has; none of the purged blobs' packs is whole-dead.
    Set<String> live = f.engine.blobs().committed().keySet();
    Set<String> remote = new HashSet<>();
    Set<String> packs = new HashSet<>();
    try (ObjectStore store = S3ObjectStore.open(volume(), RemoteSecrets.read("test", secrets))) {
      RemoteRepository repo = RemoteRepository.open(store, BASE, "mbox1", "a passphrase".toCharArray());
      CopyReader reader = new CopyReader(repo);
      Manifest newest = reader.select(null);
      assertEquals(new HashSet<>(keys("mpacks/")), new HashSet<>(newest.objects()),
          "every metadata pack left is one the kept snapshot names");
      for (PackIndex idx : reader.indexes(newest)) {
        assertTrue(idx.digests().stream().anyMatch(live::contains), "a pack with no live blob was left: " + idx.pack());
        remote.addAll(idx.digests());
        packs.add(idx.pack());
      }
    }
    assertEquals(new HashSet<>(keys("data/")), packs, "every pack left is named by the snapshot, with its index");
    assertTrue(remote.containsAll(live));
    long deadLeft = gone.stream().filter(i -> remote.contains(i.digest())).count();
    assertTrue(deadLeft < gone.size(), "most purged blobs left the bucket: " + deadLeft + " of " + gone.size());
    assertEquals(deadLeft > 0, r.partlyUsedPacks() > 0, r.toString());

    assertFetchedIsTheLocalPath("after-prune", null);
    OffsiteRead.Report check = copy().check("mbox1", null);
    assertEquals(r.snapshot(), check.snapshot());

    // The next upload numbers its snapshot after the prune's, so it is the newest, and fetches whole.
    // The purged mail comes back too: a blob whose pack the prune deleted is sent again.
    List<byte[]> again = new ArrayList<>(List.of(BackupFixture.message("late", "after the prune")));
    for (int i = 0; i < gone.size(); i++) {
      again.add(BackupFixture.message("note " + i, "body " + i + " " + noise(i, 600 + i * 20)));
    }
    f.store.addMessages(ann.id(), Folder.INBOX, again, Set.of(), Set.of());
    f.smartScan();
    assertTrue(gone.stream().anyMatch(i -> f.engine.blobs().has(i.digest()) && !remote.contains(i.digest())),
        "a blob the prune deleted is back in the path");
    uploadMetadataPackGets.set(0);
    copy().upload(f.engine, null);
    assertEquals(0, uploadMetadataPackGets.get(), "the prune told the upload's state what it deleted: no rebuild");
    assertEquals(r.snapshot() + 1, copy().check("mbox1", null).snapshot());
    assertFetchedIsTheLocalPath("after-next-upload", null);
  }

  @Test
  void olderSnapshotsKeptStayRestorableWithEveryBlobTheirItemsNameFetchedOrReadFromTheBucket() throws Exception {
    copy().upload(f.engine, null);
    deleteUploadAndPurge(5);
    copy().prune(f.engine, 1, false, null);
    // Uploaded before the second purge: its items still name the 5 blobs that purge removes.
    List<Item> gone = deleteUploadAndPurge(5);
    long before = copy().snapshots("mbox1").get(1).manifest().number();
    RemotePrune.Report second = copy().prune(f.engine, 2, false, null).prune();
    List<CopyReader.Snapshot> left = copy().snapshots("mbox1");
    assertEquals(List.of(before, second.snapshot()), left.stream().map(s -> s.manifest().number()).toList());
    Path older = fetch("older", before);
    assertEveryItemHasItsBlob(older);
    try (BackupEngine back = BackupEngine.openForReading(BackupPath.openExistingForReading(older, "mbox1"), () -> false)) {
      for (Item i : gone) {
        assertTrue(back.blobs().has(i.digest()), "the older snapshot keeps the blob of deleted item " + i.id());
      }
    }
    assertFetchedIsTheLocalPath("newest", null);
    assertEquals(0, uploadDeletes.get());

    // blobs_archive beside the older snapshot's metadata: the blobs only the older snapshot's
    // packs hold are not in the newest snapshot's indexes, yet they are in the bucket.
    Set<String> newest = new HashSet<>();
    try (ObjectStore store = S3ObjectStore.open(volume(), RemoteSecrets.read("test", secrets))) {
      CopyReader reader = new CopyReader(RemoteRepository.open(store, BASE, "mbox1", "a passphrase".toCharArray()));
      reader.indexes(reader.select(null)).forEach(i -> newest.addAll(i.digests()));
    }
    assertTrue(gone.stream().anyMatch(i -> !newest.contains(i.digest())), "a purged blob is in no index of the newest");
    Path meta = dir.resolve("older-meta");
    copy().fetch("mbox1", before, true, meta, null);
    int read = 0;
    try (BackupEngine full = BackupEngine.openForReading(BackupPath.openExistingForReading(older, "mbox1"), () -> false);
        BackupEngine metadata = BackupEngine.openForReading(BackupPath.openExistingForReading(meta, "mbox1"), () -> false);
        BlobReader remote = copy().blobs("mbox1")) {
      for (ItemState s : new BackupHistoryReader(metadata).itemStates(ann.id())) {
        if (s.hasBlob()) {
          assertTrue(remote.has(s.digest()), "item " + s.id() + " of the older snapshot");
          assertArrayEquals(full.blobs().read(s.digest()), remote.read(s.digest()), "item " + s.id());
          read++;
        }
      }
    }
    assertTrue(read >= gone.size(), "read " + read);
  }

  @Test
  void withoutCredentialsOfItsOwnThePruneIsRefusedAndDeletesNothing() throws Exception {
    copy().upload(f.engine, null);
    int objects = keys("").size();
    StorefleetException none = assertThrows(StorefleetException.class, () -> copy(null, this::pruneStore)
        .prune(f.engine, 1, false, null));
    assertEquals(ErrorCode.BAD_VALUE, none.code());
    assertTrue(none.getMessage().contains("ZxBackup_RemotePruneSecretsFile"), none.getMessage());
    StorefleetException same = assertThrows(StorefleetException.class, () -> copy(secrets, this::pruneStore)
        .checkPruneConfigured());
    assertEquals(ErrorCode.BAD_VALUE, same.code());
    assertTrue(same.getMessage().contains("the upload's"), same.getMessage());
    // The upload's own store refuses to delete before anything is sent.
    try (ObjectStore up = S3ObjectStore.open(volume(), RemoteSecrets.read("test", secrets))) {
      IOException e = assertThrows(IOException.class, () -> up.delete(BASE + "config"));
      assertTrue(e.getMessage().contains("doPruneRemoteBackup"), e.getMessage());
    }
    assertEquals(objects, keys("").size());
  }

  @Test
  void aPruneLockStopsUploadsAndASnapshotWrittenDuringThePruneStopsItsDeletes() throws Exception {
    copy().upload(f.engine, null);
    deleteUploadAndPurge(10);
    OffsiteCopy worker = copy();
    try (ObjectStore store = pruneStore(volume(), new RemoteSecrets("storefleet-prune", "x", "a passphrase"))) {
      RemoteRepository repo = RemoteRepository.open(store, BASE, "mbox1", "a passphrase".toCharArray());
      try (PruneLock lock = PruneLock.take(repo, f.clock, worker.process())) {
        StorefleetException busy = assertThrows(StorefleetException.class, () -> worker.upload(f.engine, null));
        assertEquals(ErrorCode.CONFLICT, busy.code());
        assertTrue(busy.getMessage().contains("remote prune"), busy.getMessage());
        f.clock.advance(PruneLock.GRACE.plusMinutes(1));
        worker.upload(f.engine, null); // a lock not refreshed for that long is a prune that died
      }
    }
    write(BASE + "locks/planted", "not sealed".getBytes(StandardCharsets.UTF_8));
    copy().upload(f.engine, null); // a lock that does not authenticate stops nothing

    int objects = keys("").size();
    OffsiteCopy racing = copy(pruneSecrets, (v, s) -> new OffsiteCopyTest.Forwarding(pruneStore(v, s)) {
      @Override
      public void put(String key, byte[] bytes) throws IOException {
        super.put(key, bytes);
        if (key.startsWith(BASE + "snapshots/")) {
          write(BASE + "snapshots/written-meanwhile", bytes);
        }
      }
    });
    int deletes = pruneDeletes.get();
    StorefleetException raced = assertThrows(StorefleetException.class, () -> racing.prune(f.engine, 1, false, null));
    assertEquals(ErrorCode.CONFLICT, raced.code(), raced.getMessage());
    assertTrue(raced.getMessage().contains("nothing was deleted"), raced.getMessage());
    assertEquals(deletes + 3, pruneDeletes.get(), "only the planted lock, its own snapshot and its own lock were deleted");
    assertEquals(objects + 1, keys("").size(), "the upload's and the planted snapshots; the planted lock and the"
        + " prune's snapshot are gone");
  }

  @Test
  void anUploadAPruneOvertookWritesNoSnapshotAndAPruneAnUploadOvertookDeletesNothing() throws Exception {
    copy().upload(f.engine, null);
    deleteUploadAndPurge(10);
    f.store.addMessages(ann.id(), Folder.INBOX, List.of(BackupFixture.message("late", "sent while a prune runs")),
        Set.of(), Set.of());
    f.smartScan();
    // Another worker process prunes (keep 1) once this upload, which found no lock when it
    // started, has stored its first pack: its snapshot would name packs the prune deleted.
    OffsiteCopy other = copy(dir.resolve("other"), S3ObjectStore::open, this::pruneStore);
    AtomicReference<RemotePrune.Report> pruned = new AtomicReference<>();
    OffsiteCopy overtaken = copy(pruneSecrets, this::pruneStore, key -> {
      if (key.startsWith(BASE + "data/") && pruned.get() == null) {
        try {
          pruned.set(other.prune(f.engine, 1, false, null).prune());
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
    });
    StorefleetException e = assertThrows(StorefleetException.class, () -> overtaken.upload(f.engine, null));
    assertEquals(ErrorCode.CONFLICT, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("wrote no snapshot"), e.getMessage());
    assertTrue(pruned.get().packsDeleted() > 0, pruned.get().toString());
    assertEquals(List.of(pruned.get().snapshot()), numbers(), "only the prune's snapshot");
    // Its state recorded packs the prune deleted: the next upload finds them gone and rebuilds it.
    copy().upload(f.engine, null);
    assertFetchedIsTheLocalPath("after-overtaken-upload", null);

    // The other order: an upload that found no lock right before its snapshot write writes it
    // after the prune wrote its own; the prune, listing the snapshots again before it deletes,
    // deletes nothing but its own snapshot (numbered like the upload's).
    f.store.addMessages(ann.id(), Folder.INBOX, List.of(BackupFixture.message("later", "written past a prune")),
        Set.of(), Set.of());
    f.smartScan();
    java.util.concurrent.CountDownLatch pruneWrote = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch uploadWrote = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CompletableFuture<RemotePrune.Report> prune = new java.util.concurrent.CompletableFuture<>();
    OffsiteCopy pruning = copy(dir.resolve("other"), S3ObjectStore::open,
        (v, s) -> new OffsiteCopyTest.Forwarding(pruneStore(v, s)) {
          @Override
          public void put(String key, byte[] bytes) throws IOException {
            super.put(key, bytes);
            if (key.startsWith(BASE + "snapshots/") && pruneWrote.getCount() > 0) {
              pruneWrote.countDown();
              await(uploadWrote);
            }
          }
        });
    int deletes = pruneDeletes.get();
    java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
    OffsiteCopy overtaking = copy(dir.resolve("data"), (v, s) -> new OffsiteCopyTest.Forwarding(S3ObjectStore.open(v, s)) {
      @Override
      public List<String> listNow(String prefix) throws IOException {
        if (prefix.equals(BASE + "snapshots/") && started.compareAndSet(false, true)) { // its last check: no lock
          f.clock.advance(Duration.ofSeconds(1)); // the prune's upload's snapshot differs from this one's
          new Thread(() -> {
            try {
              prune.complete(pruning.prune(f.engine, 1, false, null).prune());
            } catch (Throwable t) {
              prune.completeExceptionally(t);
            }
          }).start();
          await(pruneWrote);
        }
        return super.listNow(prefix);
      }

      @Override
      public void put(String key, byte[] bytes) throws IOException {
        super.put(key, bytes);
        if (key.startsWith(BASE + "snapshots/")) {
          uploadWrote.countDown();
        }
      }
    }, this::pruneStore);
    UploadReport up = overtaking.upload(f.engine, null);
    java.util.concurrent.ExecutionException raced = assertThrows(java.util.concurrent.ExecutionException.class,
        () -> prune.get(30, java.util.concurrent.TimeUnit.SECONDS));
    StorefleetException conflict = assertInstanceOf(StorefleetException.class, raced.getCause(), () -> {
      java.io.StringWriter w = new java.io.StringWriter();
      raced.getCause().printStackTrace(new java.io.PrintWriter(w));
      return w.toString();
    });
    assertEquals(ErrorCode.CONFLICT, conflict.code(), conflict.getMessage());
    assertTrue(conflict.getMessage().contains("nothing was deleted but the prune's own snapshot"), conflict.getMessage());
    assertEquals(deletes + 2, pruneDeletes.get(), "its own snapshot and its lock");
    List<CopyReader.Snapshot> left = copy().snapshots("mbox1");
    long uploaded = left.stream().filter(sn -> sn.key().equals(up.snapshot())).findFirst().orElseThrow().manifest()
        .number();
    assertEquals(uploaded, left.get(left.size() - 1).manifest().number(), "none numbered past the upload's: " + numbers());
    assertTrue(keys("locks/").isEmpty());
  }

  private static void await(java.util.concurrent.CountDownLatch latch) throws IOException {
    try {
      assertTrue(latch.await(30, java.util.concurrent.TimeUnit.SECONDS), "the other side went on");
    } catch (InterruptedException e) {
      throw new IOException(e);
    }
  }

  private List<Long> numbers() throws IOException {
    return copy().snapshots("mbox1").stream().map(s -> s.manifest().number()).toList();
  }

  @Test
  void aPruneLockOfAnyProcessStopsUploadsWhileRefreshedAndAKilledPrunesForAtMostTheGrace() throws Exception {
    copy().upload(f.engine, null);
    deleteUploadAndPurge(10);
    OffsiteCopy other = copy(); // another worker process acting for mbox1 (a handover, a restart)
    // A prune whose deletes take two minutes each keeps its lock live by refreshing it.
    int[] deleted = {0};
    boolean[] refused = {false};
    OffsiteCopy pruning = copy(pruneSecrets, (v, s) -> new OffsiteCopyTest.Forwarding(pruneStore(v, s)) {
      @Override
      public void delete(String key) throws IOException {
        super.delete(key);
        if (key.startsWith(BASE + "locks/")) {
          return;
        }
        f.clock.advance(Duration.ofMinutes(2));
        if (++deleted[0] == 3) {
          StorefleetException busy = assertThrows(StorefleetException.class, () -> other.upload(f.engine, null),
              "six minutes into the prune, its lock is live for another process");
          assertEquals(ErrorCode.CONFLICT, busy.code(), busy.getMessage());
          refused[0] = true;
        }
      }
    });
    RemotePrune.Report r = pruning.prune(f.engine, 1, false, null).prune();
    assertTrue(refused[0], "the prune deleted at least three objects: " + r);
    assertTrue(keys("locks/").isEmpty(), "its last lock is released");

    // A prune killed after one refresh: its lock stops the other process's uploads and prunes
    // until the grace has passed since that refresh, then the other process uploads and prunes.
    OffsiteCopy killed = copy();
    try (ObjectStore store = pruneStore(volume(), new RemoteSecrets("storefleet-prune", "x", "a passphrase"))) {
      RemoteRepository repo = RemoteRepository.open(store, BASE, "mbox1", "a passphrase".toCharArray());
      PruneLock lock = PruneLock.take(repo, f.clock, killed.process()); // never closed: killed mid-prune
      f.clock.advance(PruneLock.GRACE.minusSeconds(10));
      lock.refresh();
      f.clock.advance(PruneLock.GRACE.minusSeconds(10));
      assertEquals(1, keys("locks/").size(), "a refresh replaces the lock");
      assertEquals(ErrorCode.CONFLICT, assertThrows(StorefleetException.class, () -> other.upload(f.engine, null))
          .code());
      StorefleetException second = assertThrows(StorefleetException.class, () -> other.prune(f.engine, 1, false,
          null));
      assertEquals(ErrorCode.CONFLICT, second.code(), "a prune too: its upload is refused");
      assertTrue(second.getMessage().contains("worker run " + killed.process()), second.getMessage());
      f.clock.advance(Duration.ofSeconds(20));
      long before = copy().snapshots("mbox1").size();
      other.upload(f.engine, null);
      assertEquals(before + 1, copy().snapshots("mbox1").size(), "past the grace, the other process uploads");
      // Had the prune only stalled that long, it would delete nothing more.
      StorefleetException lapsed = assertThrows(StorefleetException.class, lock::refresh);
      assertEquals(ErrorCode.CONFLICT, lapsed.code());
      assertTrue(lapsed.getMessage().contains("deleting more"), lapsed.getMessage());
    }
    other.prune(f.engine, 1, false, null);
    assertTrue(keys("locks/").isEmpty(), "the next prune replaced the dead one's lock, then removed its own");

    // A refresh whose PUT ended past the grace of the lock it replaced left a time without a live
    // lock, when an upload may have started: the prune deletes nothing more.
    deleteUploadAndPurge(5);
    int[] lockPuts = {0};
    int[] dataDeletes = {0};
    OffsiteCopy stalling = copy(pruneSecrets, (v, s) -> new OffsiteCopyTest.Forwarding(pruneStore(v, s)) {
      @Override
      public void put(String key, byte[] bytes) throws IOException {
        super.put(key, bytes);
        if (key.startsWith(BASE + "locks/") && ++lockPuts[0] == 2) {
          f.clock.advance(PruneLock.GRACE); // the first refresh's PUT stalls
        }
      }

      @Override
      public void delete(String key) throws IOException {
        super.delete(key);
        if (!key.startsWith(BASE + "locks/")) {
          dataDeletes[0]++;
          f.clock.advance(PruneLock.REFRESH); // a refresh is due at the next delete
        }
      }
    });
    StorefleetException stalled = assertThrows(StorefleetException.class, () -> stalling.prune(f.engine, 1, false,
        null));
    assertEquals(ErrorCode.CONFLICT, stalled.code(), stalled.getMessage());
    assertTrue(stalled.getMessage().contains("deleting more"), stalled.getMessage());
    assertEquals(2, lockPuts[0]);
    assertEquals(1, dataDeletes[0], "only the delete before the stalled refresh");
    assertTrue(keys("locks/").isEmpty(), "the replaced lock and the late one are deleted");

    // Two prunes of different processes taking the lock at once: the one whose lock is written
    // after the other listed and wrote its own sees it, deletes its own and stops.
    try (ObjectStore store = pruneStore(volume(), new RemoteSecrets("storefleet-prune", "x", "a passphrase"))) {
      RemoteRepository repo = RemoteRepository.open(store, BASE, "mbox1", "a passphrase".toCharArray());
      PruneLock[] first = {null};
      RemoteRepository racing = RemoteRepository.open(new OffsiteCopyTest.Forwarding(store) {
        @Override
        public void put(String key, byte[] bytes) throws IOException {
          if (key.startsWith(BASE + "locks/") && first[0] == null) {
            first[0] = PruneLock.take(repo, f.clock, "first");
          }
          super.put(key, bytes);
        }
      }, BASE, "mbox1", "a passphrase".toCharArray());
      StorefleetException both = assertThrows(StorefleetException.class, () -> PruneLock.take(racing, f.clock,
          "second"));
      assertEquals(ErrorCode.CONFLICT, both.code(), both.getMessage());
      assertTrue(both.getMessage().contains("worker run first"), both.getMessage());
      assertEquals(1, keys("locks/").size(), "the first's lock alone is left");
      first[0].close();
    }

    // The listing after its lock is written fails: the lock is not yet the caller's to close, so
    // take() deletes it rather than leaving it to hold uploads back for the grace.
    try (ObjectStore store = pruneStore(volume(), new RemoteSecrets("storefleet-prune", "x", "a passphrase"))) {
      boolean[] written = {false};
      RemoteRepository failing = RemoteRepository.open(new OffsiteCopyTest.Forwarding(store) {
        @Override
        public void put(String key, byte[] bytes) throws IOException {
          super.put(key, bytes);
          written[0] |= key.startsWith(BASE + "locks/");
        }

        @Override
        public List<String> list(String prefix) throws IOException {
          if (written[0] && prefix.startsWith(BASE + "locks/")) {
            throw new IOException("the listing after the lock failed");
          }
          return super.list(prefix);
        }
      }, BASE, "mbox1", "a passphrase".toCharArray());
      IOException failed = assertThrows(IOException.class, () -> PruneLock.take(failing, f.clock, "third"));
      assertEquals("the listing after the lock failed", failed.getMessage());
      assertTrue(written[0], "the lock was written before the listing failed");
      assertTrue(keys("locks/").isEmpty(), "the lock of a take that failed is deleted");
    }
  }

  @Test
  void thePruneKeepsLiveWhatItsUploadSentAlthoughThePathChangesBetween() throws Exception {
    copy().upload(f.engine, null);
    List<Item> gone = f.store.items(ann.id()).subList(0, 12);
    for (Item i : gone) {
      f.store.deleteItem(ann.id(), i.id());
    }
    f.smartScan();
    f.clock.advance(Duration.ofDays(40));
    // A purge right after the prune's upload sent its snapshot: the snapshot still names the
    // purged blobs, so the prune must not take them for dead.
    boolean[] purged = {false};
    OffsiteCopy c = copy(pruneSecrets, this::pruneStore, key -> {
      if (key.startsWith(BASE + "snapshots/") && !purged[0]) {
        purged[0] = true;
        assertEquals(OperationState.SUCCEEDED, f.run("doPurge", Map.of("purgeDays", "30")).state());
      }
    });
    c.prune(f.engine, 1, false, null);
    assertTrue(purged[0]);
    assertFalse(f.engine.blobs().has(gone.get(0).digest()), "purged locally");
    assertEveryItemHasItsBlob(fetch("newest", null));
  }

  @Test
  void readersThatOpenedTheCopyBeforeAPruneDeletedTheirSnapshotReadThePrunesOrSayToRunAgain() throws Exception {
    copy().upload(f.engine, null);
    deleteUploadAndPurge(8);
    AtomicReference<RemotePrune.Report> pruned = new AtomicReference<>();
    // A check: the prune deletes the snapshot it reads, and what only that one named.
    OffsiteRead.Report check = pruningMeanwhile("mpacks/", pruned).check("mbox1", null);
    assertTrue(pruned.get().packsDeleted() > 0, pruned.get().toString());
    assertEquals(pruned.get().snapshot(), check.snapshot(), "it checked the prune's snapshot instead");

    // A fetch: told the copy is whole and to run again.
    deleteUploadAndPurge(5);
    Path dest = dir.resolve("fetched-during-prune");
    StorefleetException fetch = assertThrows(StorefleetException.class, () -> pruningMeanwhile("mpacks/", pruned)
        .fetch("mbox1", dest, null));
    assertEquals(ErrorCode.CONFLICT, fetch.code(), fetch.getMessage());
    assertTrue(fetch.getMessage().contains("run doFetchRemoteBackup again"), fetch.getMessage());
    // The same snapshot named: it is gone for good, and running again would not help.
    deleteUploadAndPurge(3);
    long named = numbers().get(numbers().size() - 1);
    StorefleetException explicit = assertThrows(StorefleetException.class, () -> pruningMeanwhile("mpacks/", pruned)
        .fetch("mbox1", named, dir.resolve("fetched-named-during-prune"), null));
    assertEquals(ErrorCode.CONFLICT, explicit.code(), explicit.getMessage());
    assertTrue(explicit.getMessage().contains("snapshot " + named + " ") && explicit.getMessage().contains(
        "no longer in the copy") && !explicit.getMessage().contains("run doFetchRemoteBackup again"),
        explicit.getMessage());

    // blobs_archive opened before the prune: every blob the path has still reads; a purged one
    // whose pack the prune deleted is a missing blob, not a damaged copy: the first found gone
    // is "pruned ... while it was read", and, the snapshots then read again, the next ones are
    // in no snapshot; one in a pack kept for its live blobs still reads.
    List<Item> gone = deleteUploadAndPurge(6);
    Manifest opened = copy().snapshots("mbox1").get(copy().snapshots("mbox1").size() - 1).manifest();
    List<String> outcomes = new ArrayList<>();
    try (BlobReader blobs = pruningMeanwhile("data/", pruned).blobs("mbox1")) {
      assertTrue(blobs.describe().contains("snapshot " + opened.number() + " "), blobs.describe());
      for (String d : f.engine.blobs().committed().keySet()) {
        assertArrayEquals(f.engine.blobs().read(d), blobs.read(d), d);
      }
      assertTrue(pruned.get().snapshot() > opened.number(), "the prune ran after the reader opened");
      for (Item i : gone) {
        try {
          blobs.read(i.digest());
          outcomes.add("read");
        } catch (MissingBlobException e) {
          outcomes.add(e.getMessage().contains("pruned from the off-site copy at") && e.getMessage().contains(
              "while it was read") ? "pruned" : e.getMessage().contains("in no snapshot of the off-site copy at")
              ? "in no snapshot" : e.getMessage());
        }
      }
    }
    Set<String> kept = new HashSet<>();
    try (ObjectStore store = S3ObjectStore.open(volume(), RemoteSecrets.read("test", secrets))) {
      CopyReader reader = new CopyReader(RemoteRepository.open(store, BASE, "mbox1", "a passphrase".toCharArray()));
      for (CopyReader.Snapshot sn : reader.snapshots()) {
        reader.indexes(sn.manifest()).forEach(idx -> kept.addAll(idx.digests()));
      }
    }
    List<String> expected = new ArrayList<>();
    for (Item i : gone) {
      expected.add(kept.contains(i.digest()) ? "read" : expected.contains("pruned") ? "in no snapshot" : "pruned");
    }
    assertTrue(expected.contains("pruned"), "a purged blob's pack was deleted under the reader: " + expected);
    assertEquals(expected, outcomes);

    // blobs_archive opening while a prune deletes the snapshots it listed: it lists them again
    // and reads the prune's.
    deleteUploadAndPurge(4);
    try (BlobReader blobs = pruningMeanwhile("snapshots/", pruned).blobs("mbox1")) {
      assertTrue(blobs.describe().contains("snapshot " + pruned.get().snapshot() + " "), blobs.describe());
      for (String d : f.engine.blobs().committed().keySet()) {
        assertArrayEquals(f.engine.blobs().read(d), blobs.read(d), d);
      }
    }

    // A metadata pack of pack indexes deleted while the opening reads it, after its snapshot (a
    // prune's order; with this fixture's logs a real prune keeps every such pack): the newest
    // snapshot left is opened instead.
    f.store.addMessages(ann.id(), Folder.INBOX, List.of(BackupFixture.message("late", "in a pack of its own")),
        Set.of(), Set.of());
    f.smartScan();
    copy().upload(f.engine, null);
    List<CopyReader.Snapshot> snaps = copy().snapshots("mbox1");
    CopyReader.Snapshot newest = snaps.get(snaps.size() - 1);
    Manifest previous = snaps.get(snaps.size() - 2).manifest();
    Set<String> onlyNewest = new HashSet<>(newest.manifest().objects());
    onlyNewest.removeAll(previous.objects());
    assertFalse(onlyNewest.isEmpty());
    OffsiteCopy cut = reading("mpacks/", () -> {
      s3.blobStore().removeBlob(BUCKET, newest.key());
      onlyNewest.forEach(k -> s3.blobStore().removeBlob(BUCKET, k));
    });
    try (BlobReader blobs = cut.blobs("mbox1")) {
      assertTrue(blobs.describe().contains("snapshot " + previous.number() + " "), blobs.describe());
    }
  }

  @FunctionalInterface
  private interface BeforeGet {
    void run() throws Exception;
  }

  /** A copy whose reads run a prune (keep 1) of another worker's before their first GET of an object under {@code folder}. */
  private OffsiteCopy pruningMeanwhile(String folder, AtomicReference<RemotePrune.Report> pruned) {
    pruned.set(null);
    return reading(folder, () -> pruned.set(copy().prune(f.engine, 1, false, null).prune()));
  }

  /** A copy whose reads run {@code first} once, before their first GET of an object under {@code folder}. */
  private OffsiteCopy reading(String folder, BeforeGet first) {
    RemoteVolume v = new RemoteVolume(s3.endpoint(), BUCKET, "fleet", "us-east-1", true, secrets,
        RemoteVolume.Checksum.WHEN_REQUIRED, 0, 100);
    boolean[] ran = {false};
    OffsiteCopy.StoreOpener opener = (vol, sec) -> new OffsiteCopyTest.Forwarding(S3ObjectStore.open(vol, sec)) {
      @Override
      public java.util.Optional<byte[]> get(String key) throws IOException {
        once(key);
        return super.get(key);
      }

      @Override
      public java.util.Optional<byte[]> getRange(String key, long from, int length) throws IOException {
        once(key);
        return super.getRange(key, from, length);
      }

      private void once(String key) throws IOException {
        synchronized (ran) {
          if (key.startsWith(BASE + folder) && !ran[0]) {
            ran[0] = true;
            try {
              first.run();
            } catch (IOException | RuntimeException e) {
              throw e;
            } catch (Exception e) {
              throw new IOException(e);
            }
          }
        }
      }
    };
    return new OffsiteCopy("mbox1", () -> v, dir.resolve("reader"), f.clock, opener, 1000, 2048,
        Bandwidth.Ticker.SYSTEM);
  }

  private RemoteVolume volume() {
    return new RemoteVolume(s3.endpoint(), BUCKET, "fleet", "us-east-1", true, secrets,
        RemoteVolume.Checksum.WHEN_REQUIRED, 0, 100);
  }

  private Path fetch(String name, Long snapshot) throws Exception {
    Path fetched = dir.resolve(name);
    copy().fetch("mbox1", snapshot, fetched, null);
    return fetched;
  }

  /** Metadata byte for byte, every blob of the path byte for byte, every item's blob there. */
  private void assertFetchedIsTheLocalPath(String name, Long snapshot) throws Exception {
    Path fetched = fetch(name, snapshot);
    OffsiteSource src = OffsiteSource.capture(f.engine);
    for (OffsiteSource.MetaFile m : src.files()) {
      assertArrayEquals(src.read(m), Files.readAllBytes(fetched.resolve(m.relPath())), m.relPath());
    }
    try (BackupEngine back = BackupEngine.openForReading(BackupPath.openExistingForReading(fetched, "mbox1"), () -> false)) {
      for (String d : f.engine.blobs().committed().keySet()) {
        assertArrayEquals(f.engine.blobs().read(d), back.blobs().read(d), d);
      }
    }
    assertEveryItemHasItsBlob(fetched);
  }

  private void assertEveryItemHasItsBlob(Path fetched) throws Exception {
    try (BackupEngine back = BackupEngine.openForReading(BackupPath.openExistingForReading(fetched, "mbox1"), () -> false)) {
      List<ItemState> states = new BackupHistoryReader(back).itemStates(ann.id());
      assertFalse(states.isEmpty());
      for (ItemState s : states) {
        if (s.hasBlob()) {
          assertTrue(back.blobs().has(s.digest()), "item " + s.id() + " of " + fetched + " has its blob");
          back.blobs().read(s.digest());
        }
      }
    }
  }

  private List<String> keys(String under) {
    List<String> out = new ArrayList<>();
    BlobStore store = s3.blobStore();
    store.list(BUCKET, ListContainerOptions.Builder.prefix(BASE + under).recursive()).forEach(m -> out.add(m.getName()));
    out.removeIf(k -> k.endsWith("/")); // the filesystem store's folders
    return out;
  }

  /** Every object of the copy with its ETag. */
  private Map<String, String> objects() {
    Map<String, String> out = new java.util.TreeMap<>();
    s3.blobStore().list(BUCKET, ListContainerOptions.Builder.prefix(BASE).recursive())
        .forEach(m -> out.put(m.getName(), String.valueOf(m.getETag())));
    out.keySet().removeIf(k -> k.endsWith("/"));
    return out;
  }

  private void write(String key, byte[] bytes) {
    BlobStore store = s3.blobStore();
    store.putBlob(BUCKET, store.blobBuilder(key).payload(bytes).build());
  }
}
