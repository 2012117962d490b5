package io.storefleet.worker.backup.scan;

import io.storefleet.worker.backup.LocalBackup;
import io.storefleet.worker.backup.command.BackupContext;
import io.storefleet.worker.backup.BackupFixture;
import io.storefleet.worker.backup.command.BackupQueries;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.storefleet.protocol.catalogue.Module;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.protocol.parse.CommandParser;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.command.ImmediateCommand;
import io.storefleet.worker.command.Replies;
import io.storefleet.worker.command.RequestContext;
import io.storefleet.worker.config.PathPolicy;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.testing.NoOffsiteCopy;
import io.storefleet.worker.testing.S3Server;
import io.storefleet.worker.offsite.Bandwidth;
import io.storefleet.worker.offsite.OffsiteCopy;
import io.storefleet.worker.offsite.RemoteVolume;
import io.storefleet.worker.offsite.S3ObjectStore;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupPath;
import java.nio.file.attribute.PosixFilePermissions;
import io.storefleet.worker.testing.SharedCorpus;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every corpus message goes through a SmartScan and comes back byte for byte from
 * {@code getItem dump_blob true}, the way an operator would pull it out. Skipped where the shared
 * corpus is not checked out; a corpus that is there is always used
 * ({@link io.storefleet.worker.testing.SharedCorpus}), and an empty one fails.
 */
class CorpusBackupTest {
  private static final int ACCOUNTS = 97;

  @TempDir Path dir;

  @Test
  void everyCorpusMessageRoundTripsThroughBackupGetItemDumpBlobAndTheOffSiteCopy() throws Exception {
    Optional<Path> corpus = SharedCorpus.find();
    assumeTrue(corpus.isPresent(), "no shared/corpus next to the repository");
    List<Path> files;
    try (Stream<Path> s = Files.walk(corpus.get())) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".eml") && Files.isRegularFile(p)).sorted().toList();
    }
    assertTrue(!files.isEmpty(), "the corpus holds no .eml files");
    Vertx vertx = Vertx.vertx();
    try (BackupFixture f = new BackupFixture(dir)) {
      f.store.createDomain("corpus.test");
      List<Account> accounts = new ArrayList<>();
      List<List<byte[]>> mail = new ArrayList<>();
      for (int i = 0; i < ACCOUNTS; i++) {
        accounts.add(f.account("user" + i + "@corpus.test"));
        mail.add(new ArrayList<>());
      }
      Map<String, Map<Integer, Path>> sources = new LinkedHashMap<>();
      Map<Path, String> digests = new LinkedHashMap<>();
      List<List<Path>> origin = new ArrayList<>();
      for (int i = 0; i < ACCOUNTS; i++) {
        origin.add(new ArrayList<>());
      }
      for (int i = 0; i < files.size(); i++) {
        mail.get(i % ACCOUNTS).add(Files.readAllBytes(files.get(i)));
        origin.get(i % ACCOUNTS).add(files.get(i));
      }
      for (int i = 0; i < ACCOUNTS; i++) {
        List<Item> added = f.store.addMessages(accounts.get(i).id(), Folder.INBOX, mail.get(i), Set.of(), Set.of());
        Map<Integer, Path> ids = new LinkedHashMap<>();
        for (int k = 0; k < added.size(); k++) {
          ids.put(added.get(k).id(), origin.get(i).get(k));
          digests.put(origin.get(i).get(k), added.get(k).digest());
        }
        sources.put(accounts.get(i).name(), ids);
      }
      assertEquals(OperationState.SUCCEEDED, f.smartScan().state());

      CommandRegistry registry = new CommandRegistry();
      BackupContext b = new BackupContext(
          new LocalBackup("mbox1", f.store, f.engine, new PathPolicy(List.of(dir), "mbox1")), f.clock, () -> 30, c -> "none", f.realtime, null, Map::of, List.of());
      new BackupQueries(vertx, new Replies("mbox1"), b, NoOffsiteCopy.of(b.local(), dir.resolve("data"), f.clock))
          .register(registry);
      CommandParser parser = new CommandParser();
      ImmediateCommand getItem = registry.immediate(parser.lookup(Module.BACKUP, "getItem")).orElseThrow();
      int checked = 0;
      for (Map.Entry<String, Map<Integer, Path>> account : sources.entrySet()) {
        for (Map.Entry<Integer, Path> item : account.getValue().entrySet()) {
          var cmd = parser.parse(Module.BACKUP,
              List.of("getItem", account.getKey(), Integer.toString(item.getKey()), "dump_blob", "true"));
          CommandReply reply = getItem.handle(cmd, new RequestContext("test", null))
              .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
          byte[] dumped = Base64.getDecoder().decode(reply.result().get("blobBase64").asText());
          assertArrayEquals(Files.readAllBytes(item.getValue()), dumped, item.getValue().toString());
          checked++;
        }
      }
      assertEquals(files.size(), checked);
      assertTheBucketAloneGivesEveryMessageBack(f, digests);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * The scanned path uploaded to a real S3 server (S3Proxy), then fetched into an empty folder
   * from the bucket and the passphrase alone: every message is there byte for byte.
   */
  private void assertTheBucketAloneGivesEveryMessageBack(BackupFixture f, Map<Path, String> digests) throws Exception {
    try (S3Server s3 = new S3Server(dir.resolve("s3"), "backups")) {
      Path secrets = dir.resolve("offsite.secrets");
      Files.writeString(secrets, "access_key_id = " + S3Server.ACCESS_KEY + "\nsecret_access_key = "
          + S3Server.SECRET_KEY + "\npassphrase = corpus\n");
      Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rw-------"));
      RemoteVolume v = new RemoteVolume(s3.endpoint(), "backups", "fleet", "us-east-1", true, secrets,
          RemoteVolume.Checksum.WHEN_REQUIRED, 0, 5);
      OffsiteCopy up = new OffsiteCopy("mbox1", () -> v, dir.resolve("data"), f.clock, S3ObjectStore::open, 1000,
          16L << 20, Bandwidth.Ticker.SYSTEM);
      up.upload(f.engine, null);
      OffsiteCopy replacement = new OffsiteCopy("mbox1", () -> v, dir.resolve("new-data"), f.clock,
          S3ObjectStore::open, 1000, 16L << 20, Bandwidth.Ticker.SYSTEM);
      Path fetched = dir.resolve("fetched");
      replacement.fetch("mbox1", fetched, null);
      try (BackupEngine back = BackupEngine.openForReading(BackupPath.openExistingForReading(fetched, "mbox1"),
          () -> false)) {
        for (Map.Entry<Path, String> m : digests.entrySet()) {
          assertArrayEquals(Files.readAllBytes(m.getKey()), back.blobs().read(m.getValue()), m.getKey().toString());
        }
      }
    }
  }
}
