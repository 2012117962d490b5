package io.storefleet.worker.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.backup.command.BackupQueries;
import io.storefleet.worker.command.Replies;
import io.storefleet.worker.offsite.OffsiteCopy;
import io.storefleet.worker.offsite.OffsiteOperations;
import io.storefleet.worker.offsite.RemoteVolume;
import io.storefleet.worker.service.BackupProperties;
import io.storefleet.worker.service.PropertyScope;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.testing.NoOffsiteCopy;
import io.storefleet.protocol.wire.CommandReply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the backup's listings read for an operator (issue 18, items 8 and 12). */
class BackupListingTest {
  @TempDir Path dir;

  @Test
  void availableAccountsAreListedByNameWithDatesThatSayTheirZone() throws Exception {
    try (RestoreFixture f = new RestoreFixture(dir)) {
      new BackupQueries(f.vertx, new Replies("mbox1"), f.backup, NoOffsiteCopy.of(f.backup.local(), dir.resolve("data"), f.clock))
          .register(f.registry);
      f.local.createDomain("example.com");
      // Created in an order whose ids do not sort by name.
      for (String name : List.of("zoe@example.com", "ann@example.com", "mia@example.com", "bob@example.com")) {
        f.deliver(f.account(name), "hello " + name);
      }
      f.record();
      CommandReply r = f.ask("getAvailableAccounts");
      List<String> names = new ArrayList<>();
      for (JsonNode a : r.result()) {
        names.add(a.get("name").asText());
      }
      assertEquals(List.of("ann@example.com", "bob@example.com", "mia@example.com", "zoe@example.com"), names);
      assertTrue(r.text().indexOf("ann@") < r.text().indexOf("bob@"), r.text());
      assertTrue(r.text().matches("(?s).*\\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d\\d:\\d\\d.*"),
          "the LAST RECORDED date carries its offset: " + r.text());
    }
  }

  @Test
  void getBackupInfoShowsTheRemoteVolumeSetByPropertiesAndNoSecret() throws Exception {
    try (RestoreFixture f = new RestoreFixture(dir);
        BackupProperties props = BackupProperties.open(dir.resolve("props.log"), dir.resolve("backup"), f.clock)) {
      OffsiteOperations none = new OffsiteOperations(f.backup.local(), OffsiteCopy.of("mbox1", props, dir, f.clock));
      assertEquals(null, none.describe(), "no volume until ZxBackup_RemoteEndpoint is set");
      props.set("ZxBackup_RemoteEndpoint", "https://s3.example.net", PropertyScope.GLOBAL);
      props.set("ZxBackup_RemoteBucket", "mail-backups", PropertyScope.GLOBAL);
      props.set("ZxBackup_RemotePrefix", "fleet", PropertyScope.SERVER);
      // A real secrets file, so a reply that read it and showed its values would be caught.
      java.nio.file.Path secrets = dir.resolve("offsite.secrets");
      java.util.List<String> values = java.util.List.of("AKIAQUOKKAWOMBAT1234", "s3cr3t-platypus-echidna-key",
          "a long phrase about marmalade and zeppelins");
      java.nio.file.Files.writeString(secrets, "access_key_id = " + values.get(0) + "\nsecret_access_key = "
          + values.get(1) + "\npassphrase = " + values.get(2) + "\n");
      java.nio.file.Files.setPosixFilePermissions(secrets,
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      props.set("ZxBackup_RemoteSecretsFile", secrets.toString(), PropertyScope.GLOBAL);
      new BackupQueries(f.vertx, new Replies("mbox1"), f.backup, none).register(f.registry);

      CommandReply r = f.ask("getBackupInfo");
      JsonNode v = r.result().get("remoteVolume");
      assertEquals("https://s3.example.net", v.get("endpoint").asText());
      assertEquals("mail-backups", v.get("bucket").asText());
      assertEquals("fleet", v.get("prefix").asText());
      assertEquals("when_required", v.get("checksum").asText());
      assertEquals(secrets.toString(), v.get("secretsFile").asText());
      assertTrue(r.text().contains("s3.example.net"), r.text());
      for (String secret : values) {
        assertFalse(r.text().contains(secret), "a secret in the reply's text: " + r.text());
        assertFalse(r.result().toString().contains(secret), "a secret in the reply: " + r.result());
      }
      assertEquals("fleet/mbox1/", RemoteVolume.of(props).serverPrefix("mbox1"));
    }
  }

  @Test
  void getItemDumpsABlobReadStraightFromTheOffSiteCopy() throws Exception {
    try (RestoreFixture f = new RestoreFixture(dir);
        io.storefleet.worker.testing.S3Server s3 = new io.storefleet.worker.testing.S3Server(dir.resolve("s3"), "backups")) {
      java.nio.file.Path secrets = dir.resolve("offsite.secrets");
      java.nio.file.Files.writeString(secrets, "access_key_id = " + io.storefleet.worker.testing.S3Server.ACCESS_KEY
          + "\nsecret_access_key = " + io.storefleet.worker.testing.S3Server.SECRET_KEY + "\npassphrase = p\n");
      java.nio.file.Files.setPosixFilePermissions(secrets,
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      RemoteVolume volume = new RemoteVolume(s3.endpoint(), "backups", "fleet", "us-east-1", true, secrets,
          RemoteVolume.Checksum.WHEN_REQUIRED, 0, 0);
      OffsiteCopy copy = new OffsiteCopy("mbox1", () -> volume, dir.resolve("data"), f.clock,
          io.storefleet.worker.offsite.S3ObjectStore::open, 1000, 1 << 20, io.storefleet.worker.offsite.Bandwidth.Ticker.SYSTEM);
      new BackupQueries(f.vertx, new Replies("mbox1"), f.backup, new OffsiteOperations(f.backup.local(), copy))
          .register(f.registry);
      f.local.createDomain("example.com");
      Account ann = f.account("ann@example.com");
      io.storefleet.worker.store.Item item = f.deliver(ann, "kept off-site").get(0);
      f.record();
      StorefleetException none = assertThrows(StorefleetException.class, () -> f.ask("getItem", "ann@example.com",
          Integer.toString(item.id()), "dump_blob", "true", "blobs_archive", "remote"));
      assertEquals(ErrorCode.NOT_FOUND, none.code(), "no copy uploaded yet: " + none.getMessage());
      copy.upload(f.engine, null);

      CommandReply r = f.ask("getItem", "ann@example.com", Integer.toString(item.id()), "dump_blob", "true",
          "blobs_archive", "remote");
      assertArrayEquals(f.local.content(ann.id(), item.id()),
          java.util.Base64.getDecoder().decode(r.result().get("blobBase64").asText()));
      StorefleetException bad = assertThrows(StorefleetException.class, () -> f.ask("getItem", "ann@example.com",
          Integer.toString(item.id()), "dump_blob", "true", "blobs_archive", "/srv/blobs.tar"));
      assertEquals(ErrorCode.BAD_VALUE, bad.code());
      assertTrue(bad.getMessage().contains("remote:<server>"), bad.getMessage());
    }
  }
}
