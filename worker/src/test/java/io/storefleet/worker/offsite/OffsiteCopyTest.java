package io.storefleet.worker.offsite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.backup.BackupFixture;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupPath;
import io.storefleet.worker.backup.format.OffsiteSource;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.testing.S3Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The off-site copy against a real S3 server (S3Proxy on loopback): upload, fetch back byte for
 * byte, resume after the server went away, nothing readable in the bucket, tampering caught.
 */
class OffsiteCopyTest {
  private static final String BUCKET = "backups";
  private static final String PASSPHRASE = "correct horse battery staple";
  /** What the mail says; none of it may reach the bucket in clear. */
  private static final List<String> SECRETS = List.of("zanzibar.quartermaster@example.com",
      "Quarterly invoice Zeppelin", "confidential marmalade recipe");

  @TempDir Path dir;
  private S3Server s3;
  private BackupFixture f;
  private Path secrets;
  private final AtomicLong paused = new AtomicLong();
  /** Real time plus the waits, which only move this time: a limited upload takes no longer to test. */
  private final Bandwidth.Ticker ticker = new Bandwidth.Ticker() {
    @Override
    public long nanoTime() {
      return System.nanoTime() + paused.get();
    }

    @Override
    public void pause(long nanos) {
      paused.addAndGet(nanos);
    }
  };
  private long bandwidth;

  @BeforeEach
  void setUp() throws Exception {
    s3 = new S3Server(dir.resolve("s3"), BUCKET);
    f = new BackupFixture(dir.resolve("server"));
    secrets = dir.resolve("offsite.secrets");
    Files.writeString(secrets, "access_key_id = " + S3Server.ACCESS_KEY + "\nsecret_access_key = "
        + S3Server.SECRET_KEY + "\npassphrase = " + PASSPHRASE + "\n");
    Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rw-------"));
    f.store.createDomain("example.com");
    Account a = f.store.createAccount(SECRETS.get(0), null, java.util.Map.of());
    List<byte[]> mail = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      mail.add(BackupFixture.message(SECRETS.get(1) + " " + i, SECRETS.get(2) + " number " + i + " "
          + "x".repeat(i * 50)));
    }
    f.store.addMessages(a.id(), Folder.INBOX, mail, Set.of(), Set.of());
    assertEquals(OperationState.SUCCEEDED, f.smartScan().state());
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
    s3.close();
  }

  private RemoteVolume volume(String passphraseFile) {
    return new RemoteVolume(s3.endpoint(), BUCKET, "fleet", "us-east-1", true, Path.of(passphraseFile),
        RemoteVolume.Checksum.WHEN_REQUIRED, bandwidth, 100);
  }

  private OffsiteCopy copy(OffsiteCopy.StoreOpener opener) {
    return new OffsiteCopy("mbox1", () -> volume(secrets.toString()), dir.resolve("data"), f.clock, opener, 1000,
        2048, ticker);
  }

  private OffsiteCopy copy() {
    return copy(S3ObjectStore::open);
  }

  @Test
  void anUploadFetchesBackAsTheSameBackupPathAndTheNextUploadSendsOnlyWhatIsNew() throws Exception {
    UploadReport first = copy().upload(f.engine, null);
    assertTrue(first.packs() > 3, "small packs in this test: " + first);
    assertEquals(f.engine.blobs().count(), first.blobs());
    assertTrue(first.metadataFiles() >= 4, first.toString());
    assertEquals(1, first.metadata(), "every metadata file and index in one metadata pack: " + first);
    assertTrue(first.readBack() > first.packs(), "every object read back at 100 %: " + first);

    UploadReport again = copy().upload(f.engine, null);
    assertEquals(0, again.packs(), "nothing new: " + again);
    assertEquals(0, again.metadata(), "nothing new: " + again);

    Account a = f.store.account(SECRETS.get(0)).orElseThrow();
    f.store.addMessages(a.id(), Folder.INBOX, List.of(BackupFixture.message("one more", "new body")), Set.of(), Set.of());
    f.smartScan();
    UploadReport third = copy().upload(f.engine, null);
    assertEquals(1, third.blobs(), third.toString());
    assertEquals(1, third.metadata(), third.toString());
    assertTrue(third.deltas() >= 1 && third.metadataBytes() < first.metadataBytes() / 2, third.toString());

    assertFetchedIsTheSame(copy(), "fetched");
  }

  @Test
  void anIncrementalUploadWritesThreeObjectsAndSendsEachGrownFileAsItsTail() throws Exception {
    UploadReport first = copy().upload(f.engine, null);
    assertEquals(first.packs() + 1 + 1 + 2, s3.objectFiles().size(),
        "the packs, one metadata pack, one snapshot, the config and the key file: " + first);
    java.util.Map<String, byte[]> before = new java.util.HashMap<>();
    OffsiteSource old = OffsiteSource.capture(f.engine);
    for (OffsiteSource.MetaFile m : old.files()) {
      before.put(m.relPath(), old.read(m));
    }

    Account a = f.store.account(SECRETS.get(0)).orElseThrow();
    f.store.addMessages(a.id(), Folder.INBOX, List.of(BackupFixture.message("one more", "new body")), Set.of(), Set.of());
    f.smartScan();
    int objects = s3.objectFiles().size();
    UploadReport r = copy().upload(f.engine, null);
    assertEquals(objects + 3, s3.objectFiles().size(), "one pack, one metadata pack, one snapshot: " + r);

    // What the rule says must be sent: the tail of a file whose old content is a prefix of the
    // new one, the whole of any other file that changed.
    long expected = 0;
    long tails = 0;
    OffsiteSource now = OffsiteSource.capture(f.engine);
    for (OffsiteSource.MetaFile m : now.files()) {
      byte[] b = now.read(m);
      byte[] was = before.get(m.relPath());
      if (was != null && was.length <= b.length && java.util.Arrays.equals(was, 0, was.length, b, 0, was.length)) {
        expected += b.length - was.length;
        tails += was.length > 0 && b.length > was.length ? 1 : 0;
      } else {
        expected += b.length;
      }
    }
    assertTrue(tails >= 2, "the account's logs grew: " + tails);
    assertEquals(expected, r.metadataBytes(), r.toString());
    assertEquals(tails, r.deltas(), r.toString());
    assertTrue(r.metadataBytes() < first.metadataBytes() / 4, r + " after " + first);

    Manifest m = copy().snapshots("mbox1").get(1).manifest();
    String items = "accounts/" + a.id() + "/items.log";
    Manifest.File file = m.files().stream().filter(x -> x.path().equals(items)).findFirst().orElseThrow();
    assertEquals(2, file.parts().size(), "the part sent first, then the tail");
    assertEquals(file.length() - before.get(items).length, file.parts().get(1).length());
    assertFetchedIsTheSame(copy(), "fetched");
  }

  @Test
  void aVersion1CopyIsFetchedAndItsNextUploadMakesItVersion2WithoutSendingItsBlobsAgain() throws Exception {
    String base = "fleet/mbox1/";
    try (ObjectStore store = S3ObjectStore.open(volume(secrets.toString()), volume(secrets.toString()).secrets("mbox1"))) {
      RemoteRepository repo = RemoteRepository.openOrCreate(store, base, "mbox1", PASSPHRASE.toCharArray(), 1000);
      writeVersion1Copy(repo, OffsiteSource.capture(f.engine));
    }
    assertEquals(f.engine.blobs().count(), copy().check("mbox1", null).blobs());
    assertFetchedIsTheSame(copy(), "fetched-v1");

    UploadReport r = copy().upload(f.engine, null);
    assertEquals(0, r.blobs(), "the version-1 indexes say every blob is there: " + r);
    assertEquals(0, r.deltas(), "a version-1 snapshot is no base for a delta: " + r);
    try (ObjectStore store = S3ObjectStore.open(volume(secrets.toString()), volume(secrets.toString()).secrets("mbox1"))) {
      assertEquals(RemoteRepository.VERSION, RemoteRepository.open(store, base, "mbox1", PASSPHRASE.toCharArray())
          .version());
    }
    assertFetchedIsTheSame(copy(), "fetched-v2");
    assertEquals(1, copy().fetch("mbox1", 1L, dir.resolve("fetched-snapshot-1"), null).snapshot(),
        "the version-1 snapshot stays readable");

    writeConfigVersion(3);
    StorefleetException newer = assertThrows(StorefleetException.class, () -> copy().check("mbox1", null));
    assertEquals(ErrorCode.CONFLICT, newer.code());
    assertTrue(newer.getMessage().contains("version 3") && newer.getMessage().contains("versions 1 to 2"),
        newer.getMessage());
  }

  /** Writes {@code src} as the version-1 format laid it out: an object per metadata file and per pack index. */
  private void writeVersion1Copy(RemoteRepository repo, OffsiteSource src) throws Exception {
    writeConfigVersion(1);
    List<java.util.Map<String, Object>> files = new ArrayList<>();
    for (OffsiteSource.MetaFile m : src.files()) {
      byte[] bytes = src.read(m);
      String sha = io.storefleet.worker.backup.format.BlobCodec.sha256(bytes);
      String key = repo.key(RemoteRepository.Kind.META, m.relPath() + "\n" + sha);
      repo.store().put(key, repo.seal(key, com.github.luben.zstd.Zstd.compress(bytes, 3)));
      files.add(java.util.Map.of("path", m.relPath(), "object", key, "sha256", sha, "length", bytes.length));
    }
    java.io.ByteArrayOutputStream pack = new java.io.ByteArrayOutputStream();
    List<PackIndex.Blob> entries = new ArrayList<>();
    for (var e : src.blobs().entrySet()) {
      entries.add(new PackIndex.Blob(e.getKey(), pack.size(), e.getValue().length(), e.getValue().rawSize()));
      pack.writeBytes(src.entry(e.getValue()));
    }
    String packKey = repo.key(RemoteRepository.Kind.DATA, "the one pack");
    repo.store().put(packKey, repo.seal(packKey, pack.toByteArray()));
    String indexKey = repo.key(RemoteRepository.Kind.INDEX, packKey);
    repo.store().put(indexKey, repo.seal(indexKey, new PackIndex(packKey, entries).encode()));
    byte[] snapshot = io.storefleet.protocol.codec.Json.encode(java.util.Map.of("server", "mbox1", "number", 1,
        "at", "2026-12-01T10:00:00Z", "files", files, "indexes", List.of(indexKey), "dictionaries", List.of(),
        "path", src.pathIdentity(), "root", src.pathRoot())).getBytes(StandardCharsets.UTF_8);
    String key = repo.key(RemoteRepository.Kind.SNAPSHOT, "1\n" + io.storefleet.worker.backup.format.BlobCodec
        .sha256(snapshot));
    repo.store().put(key, repo.seal(key, snapshot));
  }

  /** Rewrites the config of the copy as of format version {@code version}, sealed with its key. */
  private void writeConfigVersion(int version) throws Exception {
    try (ObjectStore store = S3ObjectStore.open(volume(secrets.toString()), volume(secrets.toString()).secrets("mbox1"))) {
      String config = "fleet/mbox1/config";
      RemoteRepository repo = RemoteRepository.open(store, "fleet/mbox1/", "mbox1", PASSPHRASE.toCharArray());
      var c = io.storefleet.protocol.codec.Json.decode(new String(repo.read(config), StandardCharsets.UTF_8),
          RemoteRepository.Config.class);
      store.put(config, repo.seal(config, io.storefleet.protocol.codec.Json.encode(new RemoteRepository.Config(
          c.format(), version, c.server(), c.created(), c.id())).getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void aNewBackupPathKeepsTheBlobsOfTheOldOneReadableWithTheirDictionary() throws Exception {
    Account a = f.store.account(SECRETS.get(0)).orElseThrow();
    // Enough to train a dictionary (docs/backup-format.md: at least 64 items and 256 KiB).
    List<byte[]> mail = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      mail.add(BackupFixture.message("report " + i, ("line " + i + " of the weekly figures, region " + (i * 7919 % 97)
          + ", total " + (i * 104729 % 100003) + "\n").repeat(60)));
    }
    f.store.addMessages(a.id(), Folder.INBOX, mail, Set.of(), Set.of());
    f.smartScan();
    Set<String> dictsOfA = dictionaries(f.engine);
    assertEquals(1, dictsOfA.size(), "path A trained a dictionary");
    copy().upload(f.engine, null);

    // The same server, a new empty backup path (server.backupPath changed, taken over on
    // purpose); its mail differs a little, so it trains a dictionary of its own.
    f.deliver(a, 70, "after the move ");
    f.realtime.close();
    f.engine.close();
    f.engine = BackupEngine.open(BackupPath.open(dir.resolve("backupB"), "mbox1"), () -> false);
    f.realtime = new io.storefleet.worker.backup.scan.RealtimeScanner(f.store, f.engine, f.clock);
    assertEquals(OperationState.SUCCEEDED, f.smartScan().state());
    Set<String> dictsOfB = dictionaries(f.engine);
    assertEquals(1, dictsOfB.size());
    assertFalse(dictsOfB.equals(dictsOfA), "path B has another dictionary, so A's blobs need A's");
    UploadReport second = copy().upload(f.engine, true, null);
    assertEquals(70, second.blobs(), "only B's new blobs are sent; the others are A's, in the bucket: " + second);

    assertEquals(f.engine.blobs().count(), copy().check("mbox1", null).blobs());
    assertFetchedIsTheSame(copy(), "fetched");
  }

  @Test
  void aReplacementServerThatScansBeforeFetchingCannotHideTheLostServersBackup() throws Exception {
    copy().upload(f.engine, null);
    Path lost = f.engine.path().root();
    try (BackupFixture replacement = new BackupFixture(dir.resolve("replacement"))) {
      // Same server id, the inherited ZxBackup_Remote* settings, an empty store: its first scan.
      assertEquals(OperationState.SUCCEEDED, replacement.smartScan().state());
      StorefleetException e = assertThrows(StorefleetException.class, () -> copy().upload(replacement.engine, null));
      assertEquals(ErrorCode.CONFLICT, e.code(), e.getMessage());
      assertTrue(e.getMessage().contains(lost.toString()) && e.getMessage().contains(
          replacement.engine.path().root().toString()) && e.getMessage().contains("remote_take_over"), e.getMessage());
      assertEquals(1, copy().snapshots("mbox1").size(), "nothing was uploaded");
      assertFetchedIsTheSame(copy(), "fetched");

      // A path fetched from the copy continues its history: it uploads without a take-over.
      try (BackupEngine continued = BackupEngine.open(BackupPath.open(dir.resolve("fetched"), "mbox1"), () -> false)) {
        UploadReport r = copy().upload(continued, null);
        assertEquals(0, r.blobs(), r.toString());
      }

      copy().upload(replacement.engine, true, null);
      List<CopyReader.Snapshot> snapshots = copy().snapshots("mbox1");
      assertEquals(3, snapshots.size());
      assertEquals(replacement.engine.path().root().toString(), snapshots.get(2).manifest().root());
      assertEquals(3, copy().fetch("mbox1", dir.resolve("newest"), null).snapshot());
      assertArrayEquals(Files.readAllBytes(replacement.engine.path().root().resolve(BackupPath.MARKER)),
          Files.readAllBytes(dir.resolve("newest").resolve(BackupPath.MARKER)), "the newest is the replacement's");
      Path first = dir.resolve("first");
      assertEquals(1, copy().fetch("mbox1", 1L, first, null).snapshot());
      assertArrayEquals(Files.readAllBytes(lost.resolve(BackupPath.MARKER)),
          Files.readAllBytes(first.resolve(BackupPath.MARKER)), "snapshot 1 is the lost server's path");
      StorefleetException none = assertThrows(StorefleetException.class,
          () -> copy().fetch("mbox1", 9L, dir.resolve("nine"), null));
      assertEquals(ErrorCode.NOT_FOUND, none.code());
      assertTrue(none.getMessage().contains("1 to 3"), none.getMessage());
    }
  }

  private static Set<String> dictionaries(BackupEngine e) throws IOException {
    Path d = e.path().root().resolve("blobs").resolve("dictionaries");
    if (!Files.isDirectory(d)) {
      return Set.of();
    }
    try (var s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
    }
  }

  @Test
  void anUploadCutShortByTheServerGoingAwayResumesAndLosesNothing() throws Exception {
    AtomicInteger puts = new AtomicInteger();
    OffsiteCopy.StoreOpener stopsAfterFivePuts = (v, s) -> new Forwarding(S3ObjectStore.open(v, s)) {
      @Override
      public void put(String key, byte[] bytes) throws IOException {
        if (puts.incrementAndGet() == 6) {
          try {
            s3.stop();
          } catch (Exception e) {
            throw new IOException(e);
          }
        }
        super.put(key, bytes);
      }
    };
    StorefleetException e = assertThrows(StorefleetException.class, () -> copy(stopsAfterFivePuts).upload(f.engine, null));
    assertEquals(ErrorCode.IO_ERROR, e.code());
    assertTrue(e.getMessage().contains("failed 3 times") && e.getMessage().contains("next SmartScan"), e.getMessage());
    assertTrue(paused.get() > 0, "attempts are spaced");

    s3.start();
    UploadReport resumed = copy().upload(f.engine, null);
    assertTrue(resumed.blobs() < f.engine.blobs().count(), "the packs of the first try stay uploaded: " + resumed);
    assertTrue(resumed.blobs() > 0, resumed.toString());
    assertFetchedIsTheSame(copy(), "fetched");
  }

  /** Counts what an upload asks the store beyond its puts and listings. */
  private static class Counting extends Forwarding {
    final ObjectStore real;
    final AtomicInteger heads = new AtomicInteger();
    final List<String> snapshotGets = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<String> putsOfExisting = java.util.Collections.synchronizedList(new ArrayList<>());

    Counting(ObjectStore real) {
      super(real);
      this.real = real;
    }

    @Override
    public boolean exists(String key) throws IOException {
      heads.incrementAndGet();
      return super.exists(key);
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
      if (key.contains("/snapshots/")) {
        snapshotGets.add(key);
      }
      return super.get(key);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
      if (real.exists(key)) {
        putsOfExisting.add(key);
      }
      return real.putIfAbsent(key, bytes);
    }
  }

  @Test
  void anUploadReadsEachSnapshotOnceAndSendsNoHeadBeforeItsPuts() throws Exception {
    for (int i = 0; i < 3; i++) {
      copy().upload(f.engine, null);
    }
    List<Counting> opened = new ArrayList<>();
    OffsiteCopy.StoreOpener counting = (v, s) -> {
      Counting c = new Counting(S3ObjectStore.open(v, s));
      opened.add(c);
      return c;
    };
    Account a = f.store.account(SECRETS.get(0)).orElseThrow();
    f.store.addMessages(a.id(), Folder.INBOX, List.of(BackupFixture.message("one more", "new body")), Set.of(), Set.of());
    f.smartScan();
    UploadReport r = copy(counting).upload(f.engine, null);
    assertEquals(1, r.blobs(), r.toString());
    Counting c = opened.get(0);
    assertEquals(0, c.heads.get(), "objects are looked up in the listing");
    assertEquals(List.of(r.snapshot()), c.snapshotGets, "only the new snapshot, read back; the 3 before are known");

    // Without its state, the worker reads each snapshot once more, then remembers them again.
    try (var states = Files.list(dir.resolve("data"))) {
      for (Path p : states.filter(p -> p.getFileName().toString().startsWith("offsite-")).toList()) {
        Files.delete(p);
      }
    }
    opened.clear();
    UploadReport again = copy(counting).upload(f.engine, null);
    assertEquals(4, opened.get(0).snapshotGets.stream().filter(k -> !k.equals(again.snapshot())).distinct().count(),
        opened.get(0).snapshotGets.toString());
    opened.clear();
    UploadReport third = copy(counting).upload(f.engine, null);
    assertEquals(List.of(third.snapshot()), opened.get(0).snapshotGets);
    assertEquals(6, copy().snapshots("mbox1").size());
  }

  @Test
  void anObjectStoredWhoseAnswerWasLostIsNotSentAgain() throws Exception {
    AtomicInteger packs = new AtomicInteger();
    List<Counting> opened = new ArrayList<>();
    OffsiteCopy.StoreOpener losesTheFirstPacksAnswer = (v, s) -> {
      Counting c = new Counting(S3ObjectStore.open(v, s)) {
        @Override
        public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
          boolean stored = super.putIfAbsent(key, bytes);
          if (key.contains("/data/") && packs.incrementAndGet() == 1) {
            throw new IOException("connection reset after the put of " + key);
          }
          return stored;
        }
      };
      opened.add(c);
      return c;
    };
    UploadReport r = copy(losesTheFirstPacksAnswer).upload(f.engine, null);
    assertEquals(2, opened.size(), "the second attempt resumed");
    assertEquals(1, r.objectsSkipped(), "the pack stored by the first attempt: " + r);
    assertEquals(List.of(), opened.get(1).putsOfExisting, "nothing there is sent again");
    assertTrue(r.blobs() > 0 && r.blobs() < f.engine.blobs().count(), "the first pack's blobs are not sent again: " + r);
    assertEquals(f.engine.blobs().count(), copy().check("mbox1", null).blobs());
    assertFetchedIsTheSame(copy(), "fetched");
  }

  @Test
  void objectsTheBucketLostAreSentAgainByTheNextUpload() throws Exception {
    UploadReport first = copy().upload(f.engine, null);
    BlobStore store = s3.blobStore();
    String pack = keys(store, "fleet/mbox1/data/").get(0);
    String meta = keys(store, "fleet/mbox1/mpacks/").get(0);
    store.removeBlob(BUCKET, pack);
    store.removeBlob(BUCKET, meta);
    assertThrows(StorefleetException.class, () -> copy().check("mbox1", null));

    UploadReport again = copy().upload(f.engine, null);
    assertEquals(1, again.metadata(), again.toString());
    assertTrue(again.packs() >= 1 && again.blobs() < first.blobs(), again.toString());
    assertTrue(store.blobExists(BUCKET, pack), "the same blobs make the same pack, under the same name");
    assertTrue(store.blobExists(BUCKET, meta), "the same file content makes the same object");
    assertEquals(f.engine.blobs().count(), copy().check("mbox1", null).blobs());
    assertFetchedIsTheSame(copy(), "fetched");
  }

  @Test
  void nothingInTheBucketNamesOrShowsTheMail() throws Exception {
    copy().upload(f.engine, null);
    List<String> digests = new ArrayList<>(f.engine.blobs().committed().keySet());
    int localHits = 0;
    try (var s = Files.walk(f.engine.path().root())) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        localHits += SECRETS.stream().anyMatch(text::contains) ? 1 : 0;
      }
    }
    assertTrue(localHits > 0, "the test's needles are in the local backup path, so a leak would be found");
    List<Path> objects = s3.objectFiles();
    for (String kind : List.of("/config", "/keys/", "/data/", "/mpacks/", "/snapshots/")) {
      assertTrue(objects.stream().anyMatch(p -> p.toString().contains(kind)), "an object " + kind + " is examined: "
          + objects);
    }
    for (Path p : objects) {
      String name = s3.dir().relativize(p).toString();
      String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
      for (String needle : SECRETS) {
        assertFalse(text.contains(needle), needle + " in clear in " + name);
        assertFalse(name.contains(needle), needle + " in the name " + name);
      }
      for (String d : digests) {
        assertFalse(name.contains(d) || name.contains(d.substring(0, 16)), "a blob digest names " + name);
        assertFalse(text.contains(d), "a blob digest in clear in " + name);
      }
      assertFalse(name.contains("items.log") || name.contains(f.store.account(SECRETS.get(0)).orElseThrow().id()),
          "a path or account id names " + name);
      byte[] bytes = Files.readAllBytes(p);
      if (!name.contains("/keys/")) {
        assertArrayEquals(Sealer.MAGIC, java.util.Arrays.copyOf(bytes, 4), "not sealed: " + name);
        // After the header and nonce: neither a zstd frame nor JSON, whatever the content was.
        byte[] body = java.util.Arrays.copyOfRange(bytes, 16, bytes.length);
        assertFalse(body.length >= 4 && (body[0] & 0xff) == 0x28 && (body[1] & 0xff) == 0xb5
            && (body[2] & 0xff) == 0x2f && (body[3] & 0xff) == 0xfd, "a zstd frame in " + name);
        assertThrows(Exception.class, () -> com.github.luben.zstd.Zstd.decompress(body, 1 << 20), name);
        assertThrows(Exception.class, () -> new com.fasterxml.jackson.databind.ObjectMapper().readTree(body), name);
      }
    }
  }

  @Test
  void aTamperedOrMovedObjectOfEachKindIsCaughtAndAWrongPassphraseOpensNothing() throws Exception {
    copy().upload(f.engine, null);
    BlobStore store = s3.blobStore();
    for (String kind : List.of("data/", "mpacks/", "snapshots/")) {
      String key = keys(store, "fleet/mbox1/" + kind).get(0);
      byte[] good = read(store, key);
      byte[] bad = good.clone();
      bad[bad.length / 2] ^= 0x01;
      write(store, key, bad);
      StorefleetException e = assertThrows(StorefleetException.class, () -> copy().check("mbox1", null), kind);
      assertEquals(ErrorCode.BACKUP_DAMAGED, e.code(), e.getMessage());
      assertTrue(e.getMessage().contains(key) && e.getMessage().contains("fails authentication"), e.getMessage());
      assertThrows(StorefleetException.class, () -> copy().fetch("mbox1", dir.resolve("f-" + kind.charAt(0)), null));
      assertFalse(Files.exists(dir.resolve("f-" + kind.charAt(0)).resolve(BackupPath.MARKER)),
          "a fetch that failed leaves no backup path");
      write(store, key, good);
    }
    for (String key : List.of(keys(store, "fleet/mbox1/keys/").get(0), "fleet/mbox1/config")) {
      byte[] good = read(store, key);
      byte[] bad = good.clone();
      // In the key file, a character of the wrapped key (its other fields are not secret); in the
      // config, a byte of its ciphertext.
      int at = key.endsWith("config") ? bad.length - 20
          : new String(good, StandardCharsets.US_ASCII).indexOf("\"wrapped\":\"") + 13;
      bad[at] = (byte) (bad[at] == 'A' ? 'B' : 'A');
      write(store, key, bad);
      StorefleetException e = assertThrows(StorefleetException.class, () -> copy().check("mbox1", null), key);
      assertTrue(e.getMessage().contains(key), e.getMessage());
      assertThrows(StorefleetException.class, () -> copy().upload(f.engine, null), "no upload over a damaged " + key);
      write(store, key, good);
    }
    List<String> metas = keys(store, "fleet/mbox1/data/");
    byte[] first = read(store, metas.get(0));
    byte[] second = read(store, metas.get(1));
    write(store, metas.get(1), first);
    StorefleetException moved = assertThrows(StorefleetException.class, () -> copy().check("mbox1", null));
    assertTrue(moved.getMessage().contains(metas.get(1)), moved.getMessage());
    write(store, metas.get(1), second);
    OffsiteRead.Report ok = copy().check("mbox1", null);
    assertEquals(f.engine.blobs().count(), ok.blobs());

    Path wrong = dir.resolve("wrong.secrets");
    Files.writeString(wrong, Files.readString(secrets).replace(PASSPHRASE, "not it"));
    Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
    OffsiteCopy other = new OffsiteCopy("mbox1", () -> volume(wrong.toString()), dir.resolve("data2"), f.clock,
        S3ObjectStore::open, 1000, 2048, ticker);
    StorefleetException refused = assertThrows(StorefleetException.class, () -> other.check("mbox1", null));
    assertEquals(ErrorCode.CONFLICT, refused.code());
    assertTrue(refused.getMessage().contains("passphrase"), refused.getMessage());
  }

  @Test
  void blobsReadStraightFromTheBucketAreTheSameAndAChangedEntryIsCaught() throws Exception {
    copy().upload(f.engine, null);
    AtomicInteger whole = new AtomicInteger();
    OffsiteCopy ranged = copy((v, s) -> new Forwarding(S3ObjectStore.open(v, s)) {
      @Override
      public Optional<byte[]> get(String key) throws IOException {
        if (key.contains("/data/")) {
          whole.incrementAndGet();
        }
        return super.get(key);
      }
    });
    try (var blobs = ranged.blobs("mbox1")) {
      for (String d : f.engine.blobs().committed().keySet()) {
        assertTrue(blobs.has(d));
        assertArrayEquals(f.engine.blobs().read(d), blobs.read(d), d);
      }
      assertEquals(0, whole.get(), "no pack is read whole: each blob is a ranged GET of its entry");
    }
    BlobStore store = s3.blobStore();
    String pack = keys(store, "fleet/mbox1/data/").get(0);
    byte[] good = read(store, pack);
    byte[] bad = good.clone();
    bad[bad.length - 20] ^= 0x01; // inside its last entry, past the header: the GCM tag is not read by a range
    write(store, pack, bad);
    int caught = 0;
    try (var blobs = copy().blobs("mbox1")) {
      for (String d : f.engine.blobs().committed().keySet()) {
        try {
          assertArrayEquals(f.engine.blobs().read(d), blobs.read(d), d);
        } catch (io.storefleet.worker.backup.format.CorruptBlobException e) {
          caught++;
        }
      }
      // In no snapshot: a missing item, not damage.
      assertThrows(io.storefleet.worker.backup.format.MissingBlobException.class, () -> blobs.read("00".repeat(32)));
    }
    assertEquals(1, caught, "the one blob whose entry changed, and only it");

    // A pack the snapshot names gone from the bucket: each of its blobs is damaged, naming it
    // (not a missing item: no prune deleted it), and the others still read.
    String several; // a pack of several blobs
    try (ObjectStore os = S3ObjectStore.open(volume(secrets.toString()), volume(secrets.toString()).secrets("mbox1"))) {
      CopyReader reader = new CopyReader(RemoteRepository.open(os, "fleet/mbox1/", "mbox1", PASSPHRASE.toCharArray()));
      several = reader.indexes(reader.select(null)).stream().filter(i -> i.entries().size() > 1).findFirst()
          .orElseThrow().pack();
    }
    write(store, pack, good);
    store.removeBlob(BUCKET, several);
    int damaged = 0;
    AtomicInteger snapshotGets = new AtomicInteger();
    OffsiteCopy counting = copy((v, s) -> new Forwarding(S3ObjectStore.open(v, s)) {
      @Override
      public Optional<byte[]> get(String key) throws IOException {
        if (key.contains("/snapshots/")) {
          snapshotGets.incrementAndGet();
        }
        return super.get(key);
      }
    });
    int snapshots = keys(store, "fleet/mbox1/snapshots/").size();
    try (var blobs = counting.blobs("mbox1")) {
      int opening = snapshotGets.get();
      for (String d : f.engine.blobs().committed().keySet()) {
        try {
          assertArrayEquals(f.engine.blobs().read(d), blobs.read(d), d);
        } catch (io.storefleet.worker.backup.format.CorruptBlobException e) {
          assertTrue(e.getMessage().contains(several) && e.getMessage().contains("the copy is damaged"), e.getMessage());
          damaged++;
        }
      }
      assertEquals(snapshots, snapshotGets.get() - opening, "the snapshots were read again once, not per blob of the"
          + " lost pack (" + damaged + ")");
    }
    assertTrue(damaged > 1 && damaged < f.engine.blobs().count(), damaged + " of " + f.engine.blobs().count());

    // A metadata pack of pack indexes gone, after the reader opened, while its snapshot is still
    // listed: a blob looked for in every snapshot is BACKUP_DAMAGED naming it, not a missing item.
    String mpack = keys(store, "fleet/mbox1/mpacks/").get(0);
    try (var blobs = copy().blobs("mbox1")) {
      store.removeBlob(BUCKET, mpack);
      StorefleetException e = assertThrows(StorefleetException.class, () -> blobs.read("00".repeat(32)));
      assertEquals(ErrorCode.BACKUP_DAMAGED, e.code(), e.getMessage());
      assertTrue(e.getMessage().contains(mpack), e.getMessage());
    }
  }

  @Test
  void damagedOrHostileKeyFilesAreSkippedAndTheGoodOneStillOpensTheCopy() throws Exception {
    copy().upload(f.engine, null);
    BlobStore store = s3.blobStore();
    // Listed before the real key file (a random hex name): an empty JSON object, and a key file
    // asking for two billion PBKDF2 iterations, which would take hours if honoured.
    write(store, "fleet/mbox1/keys/0000", "{}".getBytes(StandardCharsets.UTF_8));
    write(store, "fleet/mbox1/keys/0001", ("{\"kdf\":\"PBKDF2WithHmacSHA256\",\"iterations\":2000000000,"
        + "\"salt\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"nonce\":\"AAAAAAAAAAAAAAAA\",\"wrapped\":\"AAAA\",\"created\":\"x\"}")
        .getBytes(StandardCharsets.UTF_8));
    long start = System.nanoTime();
    assertEquals(f.engine.blobs().count(), copy().check("mbox1", null).blobs());
    assertTrue(System.nanoTime() - start < 60_000_000_000L, "the planted iterations were not run");

    store.removeBlob(BUCKET, keys(store, "fleet/mbox1/keys/").get(2));
    StorefleetException none = assertThrows(StorefleetException.class, () -> copy().check("mbox1", null));
    assertEquals(ErrorCode.BACKUP_DAMAGED, none.code(), none.getMessage());
    assertTrue(none.getMessage().contains("keys/0000") && none.getMessage().contains("keys/0001")
        && none.getMessage().contains("2000000000"), none.getMessage());
  }

  @Test
  void aCopyWhoseKeyFilesAreGoneIsNotGivenANewKey() throws Exception {
    copy().upload(f.engine, null);
    BlobStore store = s3.blobStore();
    for (String k : keys(store, "fleet/mbox1/keys/")) {
      store.removeBlob(BUCKET, k);
    }
    int objects = s3.objectFiles().size();
    StorefleetException e = assertThrows(StorefleetException.class, () -> copy().upload(f.engine, null));
    assertEquals(ErrorCode.CONFLICT, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("fleet/mbox1/keys/") && e.getMessage().contains("no key file"), e.getMessage());
    assertEquals(objects, s3.objectFiles().size(), "nothing was written");
  }

  @Test
  void aBandwidthLimitSpacesTheObjects() throws Exception {
    bandwidth = 1;
    long start = ticker.nanoTime();
    UploadReport r = copy().upload(f.engine, null);
    double seconds = (ticker.nanoTime() - start) / 1e9;
    // Every object but the last waits for the ones before it: at 1 KiB/s the upload takes at
    // least (bytesSent - last object) / 1024 s; the last is well under half of them here.
    assertTrue(r.packs() > 3, r.toString());
    assertTrue(seconds >= r.bytesSent() / 2 / 1024.0, seconds + " s for " + r.bytesSent() + " bytes");
    assertTrue(paused.get() > 0);
  }

  @Test
  void aSecretsFileOthersCanReadIsRefused() throws Exception {
    Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rw-r--r--"));
    StorefleetException e = assertThrows(StorefleetException.class, () -> copy().upload(f.engine, null));
    assertEquals(ErrorCode.BAD_VALUE, e.code());
    assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
  }

  private void assertFetchedIsTheSame(OffsiteCopy copy, String name) throws Exception {
    Path fetched = dir.resolve(name);
    OffsiteRead.Report r = copy.fetch("mbox1", fetched, null);
    assertEquals(f.engine.blobs().count(), r.blobs());
    OffsiteSource src = OffsiteSource.capture(f.engine);
    for (OffsiteSource.MetaFile m : src.files()) {
      assertArrayEquals(src.read(m), Files.readAllBytes(fetched.resolve(m.relPath())), m.relPath());
    }
    try (BackupEngine back = BackupEngine.openForReading(BackupPath.openExistingForReading(fetched, "mbox1"), () -> false)) {
      assertEquals(f.engine.blobs().count(), back.blobs().count());
      for (String d : f.engine.blobs().committed().keySet()) {
        assertArrayEquals(f.engine.blobs().read(d), back.blobs().read(d), d);
      }
    }
  }

  private static List<String> keys(BlobStore store, String prefix) {
    List<String> out = new ArrayList<>();
    store.list(BUCKET, ListContainerOptions.Builder.prefix(prefix).recursive()).forEach(m -> out.add(m.getName()));
    out.sort(null);
    assertTrue(out.size() >= 1, "objects under " + prefix);
    return out;
  }

  private static byte[] read(BlobStore store, String key) throws IOException {
    Blob b = store.getBlob(BUCKET, key);
    try (var in = b.getPayload().openStream()) {
      return in.readAllBytes();
    }
  }

  private static void write(BlobStore store, String key, byte[] bytes) {
    store.putBlob(BUCKET, store.blobBuilder(key).payload(bytes).build());
  }

  /** An object store that passes every call on, for tests that fail one on purpose. */
  static class Forwarding extends ForwardingStore {
    Forwarding(ObjectStore to) {
      super(to);
    }

    // Not in ForwardingStore, which the upload's store is made of: a store that deletes is the prune's alone.
    @Override
    public void delete(String key) throws IOException {
      to.delete(key);
    }

    @Override
    public Optional<byte[]> getRange(String key, long from, int length) throws IOException {
      return to.getRange(key, from, length);
    }
  }
}
