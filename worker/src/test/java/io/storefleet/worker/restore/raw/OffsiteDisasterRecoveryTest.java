package io.storefleet.worker.restore.raw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.operation.OperationText;
import io.storefleet.protocol.operation.Unrestored;
import io.storefleet.worker.backup.format.BackupPath;
import io.storefleet.worker.offsite.Bandwidth;
import io.storefleet.worker.offsite.OffsiteCopy;
import io.storefleet.worker.offsite.RemoteVolume;
import io.storefleet.worker.offsite.S3ObjectStore;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.testing.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.List;
import java.util.stream.Stream;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disaster recovery from the bucket alone: a server whose SmartScans upload its off-site copy is
 * lost with its disk; a replacement with an empty data directory, given only the bucket's
 * credentials and the passphrase, fetches the backup path, checks it, and runs the manual's raw
 * restore then blob restore.
 */
class OffsiteDisasterRecoveryTest {
  @TempDir Path dir;

  private static void succeeded(Operation op) {
    assertEquals(OperationState.SUCCEEDED, op.state(), () -> op.error() + "\n" + OperationText.stats(op.stats()));
  }

  private OffsiteCopy copy(S3Server s3, String name) throws Exception {
    Path secrets = dir.resolve(name + ".secrets");
    Files.writeString(secrets, "# the bucket's keys and the passphrase, nothing else\naccess_key_id = "
        + S3Server.ACCESS_KEY + "\nsecret_access_key = " + S3Server.SECRET_KEY + "\npassphrase = lost and found\n");
    Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rw-------"));
    RemoteVolume v = new RemoteVolume(s3.endpoint(), "backups", "fleet", "us-east-1", true, secrets,
        RemoteVolume.Checksum.WHEN_REQUIRED, 0, 5);
    Files.createDirectories(dir.resolve(name + "-data"));
    return new OffsiteCopy("mbox1", () -> v, dir.resolve(name + "-data"), java.time.Clock.systemUTC(),
        S3ObjectStore::open, 1000, 1 << 20, Bandwidth.Ticker.SYSTEM);
  }

  /**
   * The same, with prune credentials of its own. S3Proxy has one identity, so the prune's store
   * signs with it whatever the prune secrets file names.
   */
  private OffsiteCopy pruning(S3Server s3, String name) throws Exception {
    RemoteVolume upload = copy(s3, name).volume();
    Path pruneSecrets = dir.resolve(name + ".prune.secrets");
    Files.writeString(pruneSecrets, "access_key_id = storefleet-prune\nsecret_access_key = prune-secret\n");
    Files.setPosixFilePermissions(pruneSecrets, PosixFilePermissions.fromString("rw-------"));
    RemoteVolume v = new RemoteVolume(upload.endpoint(), upload.bucket(), upload.prefix(), upload.region(),
        upload.pathStyle(), upload.secretsFile(), upload.checksum(), upload.bandwidthKiBps(), upload.readBackPercent(),
        pruneSecrets);
    return new OffsiteCopy("mbox1", () -> v, dir.resolve(name + "-data"), java.time.Clock.systemUTC(),
        S3ObjectStore::open, (vol, sec) -> S3ObjectStore.openForPrune(vol, new io.storefleet.worker.offsite.RemoteSecrets(
            S3Server.ACCESS_KEY, S3Server.SECRET_KEY, sec.passphrase())), 1000, 1 << 20, Bandwidth.Ticker.SYSTEM);
  }

  /** The server whose scans upload its copy, then lost with its disk: what it held. */
  private LostServer.Expected lose(S3Server s3) throws Exception {
    return lose(s3, null);
  }

  /** The same, after an export of the whole server, moved to {@code exportTo} (off the lost disk). */
  private LostServer.Expected lose(S3Server s3, Path exportTo) throws Exception {
    LostServer.Expected lost;
    try (DrFixture f = new DrFixture(dir.resolve("lost"), exportTo == null ? copy(s3, "lost") : pruning(s3, "lost"))) {
      lost = LostServer.populate(f);
      Operation scan = f.run("doSmartScan");
      succeeded(scan);
      assertTrue(scan.stats().verdict().contains("off-site copy up to date"), scan.stats().verdict());
      assertEquals(0, scan.stats().counter("remoteBlobs"), "every blob went up with the earlier scans");
      if (exportTo != null) {
        // An AccountScan uploads too, and remote_metadata_upload true asks for an upload.
        for (String[] again : List.of(new String[] {"doAccountScan", "bob@other.org"},
            new String[] {"doSmartScan", "remote_metadata_upload", "true"})) {
          Operation up = f.run(again);
          succeeded(up);
          assertTrue(up.stats().verdict().contains("off-site copy up to date"), up.stats().verdict());
        }
        // The weekly prune, as a command: a dry run counts and deletes nothing; the prune keeps
        // one snapshot, and every pack (nothing was purged).
        int objects = keys(s3.blobStore(), "fleet/mbox1/").size();
        Operation dry = f.run("doPruneRemoteBackup", "keep_snapshots", "1", "dryrun", "true");
        succeeded(dry);
        assertTrue(dry.stats().verdict().startsWith("dry run"), dry.stats().verdict());
        assertEquals(objects, keys(s3.blobStore(), "fleet/mbox1/").size());
        Operation prune = f.run("doPruneRemoteBackup", "keep_snapshots", "1");
        succeeded(prune);
        assertEquals(dry.stats().counter("remoteSnapshotsDeleted") + 1, prune.stats().counter("remoteSnapshotsDeleted"),
            "the dry run counted against the newest snapshot, which the real prune's replaces");
        assertEquals(0, prune.stats().counter("remotePacksDeleted"), () -> OperationText.stats(prune.stats()));
        assertEquals(1, keys(s3.blobStore(), "fleet/mbox1/snapshots/").size());
        Path export = dir.resolve("lost").resolve("export");
        succeeded(f.run("doExport", export.toString()));
        Files.createDirectories(exportTo.getParent());
        Files.move(export, exportTo);
      }
    }
    deleteTree(dir.resolve("lost"));
    deleteTree(dir.resolve("lost-data"));
    return lost;
  }

  @Test
  void aReplacementWithAnEmptyDataDirectoryRestoresTheLostServerFromTheBucketAndThePassphrase() throws Exception {
    try (S3Server s3 = new S3Server(dir.resolve("s3"), "backups")) {
      LostServer.Expected lost = lose(s3);
      try (DrFixture g = new DrFixture(dir.resolve("new"), copy(s3, "new"))) {
        assertTrue(g.store.accounts().isEmpty());
        succeeded(g.run("doCoherencyCheck", g.backupPath.toString(), "remote", "true"));
        Path fetched = dir.resolve("new").resolve("fetched-mbox1");
        Operation fetch = g.run("doFetchRemoteBackup", fetched.toString(), "server", "mbox1");
        succeeded(fetch);
        assertTrue(fetch.stats().verdict().contains("doRawRestore " + fetched), fetch.stats().verdict());
        succeeded(g.run("doCoherencyCheck", fetched.toString()));

        // The metadata alone, for a restore that takes the blobs from the bucket: the same files, no packs.
        Path metadata = dir.resolve("new").resolve("metadata-mbox1");
        Operation meta = g.run("doFetchRemoteBackup", metadata.toString(), "server", "mbox1", "metadata_only", "true");
        succeeded(meta);
        assertTrue(meta.stats().verdict().contains("blobs_archive remote:mbox1"), meta.stats().verdict());
        assertEquals(0, meta.stats().counter("blobs"));
        try (Stream<Path> files = Files.walk(metadata)) {
          for (Path p : files.filter(Files::isRegularFile).toList()) {
            Path rel = metadata.relativize(p);
            if (rel.toString().equals("blobs/index.log")) {
              assertEquals(0, Files.size(p), "no blob is in the metadata-only path");
              continue;
            }
            assertArrayEquals(Files.readAllBytes(fetched.resolve(rel)), Files.readAllBytes(p), rel.toString());
          }
        }
        try (Stream<Path> packs = Files.list(metadata.resolve("blobs").resolve("packs"))) {
          assertEquals(0, packs.count());
        }

        succeeded(g.run("doRawRestore", metadata.toString()));
        Operation fromPath = g.run("doRestoreBlobs", "1", "backup_path", fetched.toString());
        succeeded(fromPath);
        // The contents come from the bucket itself, read blob by blob (the fetched path gives the same).
        Operation dry = g.run("doRestoreBlobs", "1", "blobs_archive", "remote:mbox1");
        succeeded(dry);
        assertEquals(fromPath.stats().counter("blobsToRestore"), dry.stats().counter("blobsToRestore"));
        assertTrue(dry.stats().counter("blobsToRestore") > 0, () -> OperationText.stats(dry.stats()));
        Operation blobs = g.run("doRestoreBlobs", "1", "blobs_archive", "remote:mbox1", "dryrun", "false");
        succeeded(blobs);
        assertEquals(0, blobs.stats().counter("unrestored"));
        assertTrue(blobs.stats().verdict().contains("off-site copy"), blobs.stats().verdict());
        StorefleetException both = assertThrows(StorefleetException.class, () -> g.run("doRestoreBlobs", "1",
            "backup_path", fetched.toString(), "blobs_archive", "remote"));
        assertEquals(ErrorCode.BAD_VALUE, both.code(), both.getMessage());
        StorefleetException notRemote = assertThrows(StorefleetException.class, () -> g.run("doRestoreBlobs", "1",
            "blobs_archive", "/srv/archive.tar"));
        assertTrue(notRemote.getMessage().contains("remote:<server>"), notRemote.getMessage());

        lost.assertMailboxes(g.store);
        for (Account a : lost.accounts().values()) {
          for (Item i : g.store.items(a.id())) {
            assertArrayEquals(lost.contents().get(LostServer.key(a, i.id())), g.store.content(a.id(), i.id()),
                "content of item " + i.id() + " of " + a.name());
          }
        }
        StorefleetException outside = assertThrows(StorefleetException.class,
            () -> g.run("doFetchRemoteBackup", "/elsewhere/x"));
        assertEquals(ErrorCode.PATH_NOT_ALLOWED, outside.code(), outside.getMessage());
        StorefleetException notAServer = assertThrows(StorefleetException.class,
            () -> g.run("doFetchRemoteBackup", fetched + "-2", "server", "../mbox2"));
        assertEquals(ErrorCode.BAD_VALUE, notAServer.code(), notAServer.getMessage());
        Operation again = g.run("doFetchRemoteBackup", fetched.toString());
        assertEquals(OperationState.FAILED, again.state());
        assertTrue(again.error().message().contains("not empty"), again.error().message());

        // The replacement's own backup path is new: a scan there must not upload it over the lost
        // server's copy. The scan's work is kept in the record next to the upload's error.
        Operation scan = g.run("doSmartScan");
        assertEquals(OperationState.FAILED, scan.state());
        assertEquals(ErrorCode.CONFLICT.name(), scan.error().code(), scan.error().message());
        assertTrue(scan.error().message().contains("remote_take_over"), scan.error().message());
        assertTrue(scan.stats() != null && scan.stats().verdict().contains("off-site upload failed"),
            () -> OperationText.stats(scan.stats()));
        assertTrue(scan.stats().counter("accountsScanned") > 0, () -> OperationText.stats(scan.stats()));
        Path again2 = dir.resolve("new").resolve("fetched-again");
        succeeded(g.run("doFetchRemoteBackup", again2.toString()));
        assertArrayEquals(Files.readAllBytes(fetched.resolve(BackupPath.MARKER)),
            Files.readAllBytes(again2.resolve(BackupPath.MARKER)), "the copy's newest is still the lost server's");
      }
    }
  }

  @Test
  void withoutAnOffSiteCopyAnUploadOrRemoteCheckIsRefusedAtSubmit() throws Exception {
    try (DrFixture f = new DrFixture(dir)) {
      StorefleetException up = assertThrows(StorefleetException.class,
          () -> f.run("doSmartScan", "remote_metadata_upload", "true"));
      assertEquals(ErrorCode.BAD_VALUE, up.code());
      assertTrue(up.getMessage().contains("ZxBackup_RemoteEndpoint"), up.getMessage());
      StorefleetException check = assertThrows(StorefleetException.class,
          () -> f.run("doCoherencyCheck", f.backupPath.toString(), "remote", "true"));
      assertEquals(ErrorCode.BAD_VALUE, check.code());
      StorefleetException archive = assertThrows(StorefleetException.class,
          () -> f.run("doRestoreBlobs", "1", "blobs_archive", "remote"));
      assertEquals(ErrorCode.BAD_VALUE, archive.code());
      assertTrue(archive.getMessage().contains("ZxBackup_RemoteEndpoint"), archive.getMessage());
      assertFalse(f.registry.queued(f.parser.parse(Module.BACKUP, List.of("doFetchRemoteBackup", "/x")).spec())
          .isPresent(), "the fetch is registered only where an off-site copy can be configured");
    }
  }

  /**
   * Single accounts from the bucket alone: a metadata-only fetch, then an import of one account
   * whose contents are read from the bucket by ranged GETs; damaged objects and wrong values are
   * refused with errors that name them.
   */
  @Test
  void singleAccountsComeBackFromTheMetadataAndTheBucketAlone() throws Exception {
    try (S3Server s3 = new S3Server(dir.resolve("s3"), "backups")) {
      Path export = dir.resolve("new").resolve("export-mbox1");
      LostServer.Expected lost = lose(s3, export);
      try (DrFixture g = new DrFixture(dir.resolve("new"), copy(s3, "new"))) {
        g.clock.advance(java.time.Duration.ofDays(1)); // the replacement starts after the loss
        Path metadata = dir.resolve("new").resolve("metadata-mbox1");
        succeeded(g.run("doFetchRemoteBackup", metadata.toString(), "server", "mbox1", "metadata_only", "true"));

        for (String wrong : List.of("/srv/archive.tar", "remote:../mbox2", "remote:")) {
          StorefleetException e = assertThrows(StorefleetException.class, () -> g.run("doExternalRestore",
              metadata.toString(), "accounts", "bob@other.org", "blobs_archive", wrong));
          assertEquals(ErrorCode.BAD_VALUE, e.code(), e.getMessage());
          assertTrue(e.getMessage().contains("blobs_archive '" + wrong + "'") && e.getMessage().contains("remote:<server>"),
              e.getMessage());
        }
        Operation noCopy = g.run("doExternalRestore", metadata.toString(), "accounts", "bob@other.org",
            "blobs_archive", "remote:mbox9", "force_as_external_restore", "true");
        assertEquals(OperationState.FAILED, noCopy.state());
        assertEquals(ErrorCode.NOT_FOUND.name(), noCopy.error().code(), noCopy.error().message());
        assertTrue(noCopy.error().message().contains("mbox9"), noCopy.error().message());
        assertTrue(g.store.account("bob@other.org").isEmpty(), "nothing is created before the blobs can be read");

        Operation bob = g.run("doExternalRestore", metadata.toString(), "accounts", "bob@other.org",
            "blobs_archive", "remote:mbox1", "force_as_external_restore", "true");
        succeeded(bob);
        assertTrue(bob.stats().verdict().contains("off-site copy"), bob.stats().verdict());
        assertEquals(contents(lost, "bob@other.org"), contents(g.store, "bob@other.org"));

        // An export of the lost server as the source: its contents read from the bucket by digest.
        Operation john = g.run("doExternalRestore", export.toString(), "accounts", "john@example.com",
            "blobs_archive", "remote:mbox1", "force_as_external_restore", "true");
        succeeded(john);
        assertTrue(john.stats().verdict().contains("the export of mbox1")
            && john.stats().verdict().contains("off-site copy"), john.stats().verdict());
        assertEquals(contents(lost, "john@example.com"), contents(g.store, "john@example.com"));

        // The same account on a new account, read from the lost server's metadata: the live bob
        // (imported, another id) is not what backup_path names.
        Operation onNew = g.run("doRestoreOnNewAccount", "bob@other.org", "bob.back@other.org", "last",
            "backup_path", metadata.toString(), "blobs_archive", "remote:mbox1");
        succeeded(onNew);
        assertTrue(onNew.stats().verdict().contains("off-site copy"), onNew.stats().verdict());
        assertEquals(contents(lost, "bob@other.org"), contents(g.store, "bob.back@other.org"));
        assertEquals(lost.items().get("bob@other.org").size(), onNew.stats().counter("restored"));
        StorefleetException notThere = assertThrows(StorefleetException.class, () -> g.run("doRestoreOnNewAccount",
            "nobody@other.org", "nobody.back@other.org", "last", "backup_path", metadata.toString(), "blobs_archive",
            "remote:mbox1"));
        assertEquals(ErrorCode.UNKNOWN_ACCOUNT, notThere.code(), notThere.getMessage());
        assertTrue(notThere.getMessage().contains(metadata.toString()), notThere.getMessage());
        StorefleetException archive = assertThrows(StorefleetException.class, () -> g.run("doRestoreOnNewAccount",
            "bob@other.org", "bob.two@other.org", "last", "backup_path", metadata.toString(), "blobs_archive",
            "/srv/archive.tar"));
        assertEquals(ErrorCode.BAD_VALUE, archive.code(), archive.getMessage());
        assertTrue(g.store.account("bob.two@other.org").isEmpty());

        // A changed byte in every entry of every pack: each content read is caught, none imported.
        BlobStore bucket = s3.blobStore();
        List<String> packs = keys(bucket, "fleet/mbox1/data/");
        Map<String, byte[]> good = new java.util.HashMap<>();
        for (String key : packs) {
          byte[] bytes = read(bucket, key);
          good.put(key, bytes);
          byte[] bad = bytes.clone();
          for (int i = 40; i < bad.length - 16; i += 24) {
            bad[i] ^= 0x01;
          }
          write(bucket, key, bad);
        }
        Operation ann = g.run("doExternalRestore", metadata.toString(), "accounts", "ann@example.com",
            "blobs_archive", "remote:mbox1", "force_as_external_restore", "true");
        assertEquals(OperationState.FAILED, ann.state());
        assertEquals(ErrorCode.IO_ERROR.name(), ann.error().code(), ann.error().message());
        List<Unrestored> broken = ann.stats().unrestored();
        assertEquals(lost.items().get("ann@example.com").size(), broken.size(), () -> OperationText.stats(ann.stats()));
        for (Unrestored u : broken) {
          assertTrue(u.cause().startsWith("broken item") && packs.stream().anyMatch(
              k -> u.cause().contains(k.substring("fleet/mbox1/".length()))), u.cause());
        }
        Operation bobTwo = g.run("doRestoreOnNewAccount", "bob@other.org", "bob.two@other.org", "last",
            "backup_path", metadata.toString(), "blobs_archive", "remote:mbox1");
        assertEquals(OperationState.FAILED, bobTwo.state());
        assertEquals(lost.items().get("bob@other.org").size(), bobTwo.stats().unrestored().size(),
            () -> OperationText.stats(bobTwo.stats()));
        for (Unrestored u : bobTwo.stats().unrestored()) {
          assertTrue(u.cause().startsWith("broken item") && packs.stream().anyMatch(
              k -> u.cause().contains(k.substring("fleet/mbox1/".length()))), u.cause());
        }
        good.forEach((key, bytes) -> write(bucket, key, bytes));

        // A changed metadata pack (where the pack indexes are): the copy does not open, nothing is created.
        List<String> mpacks = keys(bucket, "fleet/mbox1/mpacks/");
        for (String key : mpacks) {
          byte[] bad = read(bucket, key);
          bad[bad.length / 2] ^= 0x01;
          write(bucket, key, bad);
        }
        Operation damaged = g.run("doRestoreOnNewAccount", "bob@other.org", "bob.three@other.org", "last",
            "backup_path", metadata.toString(), "blobs_archive", "remote:mbox1");
        assertEquals(OperationState.FAILED, damaged.state());
        assertEquals(ErrorCode.BACKUP_DAMAGED.name(), damaged.error().code(), damaged.error().message());
        assertTrue(mpacks.stream().anyMatch(k -> damaged.error().message().contains(k)), damaged.error().message());
        assertTrue(g.store.account("bob.three@other.org").isEmpty(), "nothing is created from a copy that does not open");
      }
    }
  }

  /** An account's contents, sorted, as the test compares them: byte for byte, whatever their ids. */
  private static List<String> contents(LostServer.Expected lost, String name) {
    Account a = lost.accounts().get(name);
    return lost.items().get(name).stream()
        .map(i -> Base64.getEncoder().encodeToString(lost.contents().get(LostServer.key(a, i.id())))).sorted().toList();
  }

  private static List<String> contents(MailStore store, String name) {
    Account a = store.account(name).orElseThrow();
    return store.items(a.id()).stream()
        .map(i -> Base64.getEncoder().encodeToString(store.content(a.id(), i.id()))).sorted().toList();
  }

  private static List<String> keys(BlobStore store, String prefix) {
    List<String> out = new ArrayList<>();
    store.list("backups", ListContainerOptions.Builder.prefix(prefix).recursive()).forEach(m -> out.add(m.getName()));
    assertFalse(out.isEmpty(), "objects under " + prefix);
    return out;
  }

  private static byte[] read(BlobStore store, String key) throws java.io.IOException {
    try (var in = store.getBlob("backups", key).getPayload().openStream()) {
      return in.readAllBytes();
    }
  }

  private static void write(BlobStore store, String key, byte[] bytes) {
    store.putBlob("backups", store.blobBuilder(key).payload(bytes).build());
  }

  private static void deleteTree(Path p) throws Exception {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
