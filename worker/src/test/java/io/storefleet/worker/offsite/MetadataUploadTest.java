package io.storefleet.worker.offsite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delta rule of format version 2 (docs/backup-format.md, "Metadata packs and deltas"), on an
 * object store in memory: a grown file is sent as its tail, a file whose start changed is sent
 * whole, a file's parts never exceed {@link MetadataUpload#MAX_PARTS}, and every version reads
 * back byte for byte.
 */
class MetadataUploadTest {
  @TempDir Path dir;
  private final Memory store = new Memory();

  @Test
  void aGrownFileIsSentAsItsTailARewrittenOneWholeAndNoFileHasMoreThanSixteenParts() throws Exception {
    RemoteRepository repo = RemoteRepository.openOrCreate(store, "t/mbox1/", "mbox1", "pw".toCharArray(), 1000);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    log.writeBytes("first record\n".getBytes(StandardCharsets.UTF_8));
    Manifest base = null;
    int maxParts = 0;
    List<Integer> cuts = new ArrayList<>();
    for (int round = 0; round < 40; round++) {
      byte[] content = log.toByteArray();
      try (RemoteState state = RemoteState.open(dir.resolve("state.log"), repo)) {
        MetadataUpload up = new MetadataUpload(repo, state, base, (key, plain) -> {
          state.stored(key);
          return store.putIfAbsent(key, repo.seal(key, plain));
        }, OffsiteCopy.PACK_TARGET);
        up.addFile("server/scans.log", content);
        up.addFile("server/config.log", "never changes".getBytes(StandardCharsets.UTF_8));
        Manifest m = up.manifest("mbox1", round + 1, "2026-12-07T18:00:00Z", List.of(), "p", "/b");
        Manifest.File f = m.files().get(0);
        int before = base == null ? 0 : base.files().get(0).parts().size();
        long sent = base == null ? content.length : content.length - base.files().get(0).length();
        if (base != null && f.parts().size() == 1) {
          assertTrue(before == MetadataUpload.MAX_PARTS || round == 20,
              "sent whole only when the chain is full or the start changed, round " + round);
          cuts.add(round);
          sent = content.length;
        }
        assertEquals(sent + (base == null ? "never changes".length() : 0), up.newBytes(), "round " + round);
        maxParts = Math.max(maxParts, f.parts().size());
        assertArrayEquals(content, new CopyReader(repo).file(m, "server/scans.log"), "round " + round);
        base = m;
      }
      if (round == 19) {
        byte[] changed = log.toByteArray();
        changed[0] = 'F'; // a rewrite: the start is no longer what was sent
        log.reset();
        log.writeBytes(changed);
      }
      log.writeBytes(("record " + round + "\n").getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(MetadataUpload.MAX_PARTS, maxParts);
    assertEquals(List.of(16, 20, 36), cuts);
    assertEquals(1, base.files().get(1).parts().size(), "the unchanged file keeps its one part");
  }

  @Test
  void aMetadataPackChangedByItsOwnerIsCaughtAsAFileThatIsNotWhatItsSnapshotNames() throws Exception {
    RemoteRepository repo = RemoteRepository.openOrCreate(store, "t/mbox1/", "mbox1", "pw".toCharArray(), 1000);
    Manifest m;
    try (RemoteState state = RemoteState.open(dir.resolve("state.log"), repo)) {
      MetadataUpload up = new MetadataUpload(repo, state, null, (key, plain) -> store.putIfAbsent(key,
          repo.seal(key, plain)), OffsiteCopy.PACK_TARGET);
      up.addFile("server/scans.log", "one\ntwo\n".getBytes(StandardCharsets.UTF_8));
      m = up.manifest("mbox1", 1, "2026-12-07T18:00:00Z", List.of(), "p", "/b");
    }
    // Sealed with the right key (only the passphrase's holder can): the seal holds, the content check must not.
    String key = m.objects().get(0);
    MetadataPack.Builder b = new MetadataPack.Builder();
    b.add("server/scans.log", 0, "one\ntwX\n".getBytes(StandardCharsets.UTF_8));
    store.put(key, repo.seal(key, MetadataPack.compress(b.build())));
    StorefleetException e = assertThrows(StorefleetException.class,
        () -> new CopyReader(repo).file(m, "server/scans.log"));
    assertEquals(ErrorCode.BACKUP_DAMAGED, e.code());
    assertTrue(e.getMessage().contains("server/scans.log") && e.getMessage().contains("not the content"),
        e.getMessage());
  }

  /** An object store in memory. */
  static final class Memory implements ObjectStore {
    private final Map<String, byte[]> objects = new ConcurrentSkipListMap<>();

    @Override
    public void put(String key, byte[] bytes) {
      objects.put(key, bytes.clone());
    }

    @Override
    public Optional<byte[]> get(String key) {
      return Optional.ofNullable(objects.get(key)).map(byte[]::clone);
    }

    @Override
    public boolean exists(String key) {
      return objects.containsKey(key);
    }

    @Override
    public List<String> list(String prefix) {
      return new ArrayList<>(objects.keySet().stream().filter(k -> k.startsWith(prefix)).toList());
    }

    @Override
    public String describe() {
      return "memory";
    }

    @Override
    public void close() {}
  }
}
