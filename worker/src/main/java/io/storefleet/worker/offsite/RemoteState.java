package io.storefleet.worker.offsite;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.storefleet.protocol.codec.Json;
import io.storefleet.worker.log.AppendLog;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What this worker knows it has uploaded to one off-site copy: an {@link AppendLog} in the
 * worker's data directory (never in the backup path), one record per pack whose index is whole in
 * the bucket (version 2: the metadata pack and range holding the index; version 1: the index
 * object) and per dictionary object. A record is appended only after its objects (the pack, then
 * the object holding its index) were stored, so a cut-short upload leaves out what it did not
 * finish, and the next one does that again. It also keeps the head of each snapshot object it has
 * read or written, so an upload finds the newest snapshot without reading them all, and, in a
 * file next to it, the whole newest snapshot it wrote or read (the base of the next upload's
 * deltas). A missing or stale file is rebuilt from the bucket (the pack indexes in its index
 * objects and metadata packs, the names under {@code dicts/}); the file is a cache of what the
 * bucket holds, never the other way round.
 */
final class RemoteState implements Closeable {
  /** {@code deleted}: objects a remote prune of this worker removes from the bucket. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Record(@JsonProperty("index") String index, @JsonProperty("pack") String pack,
      @JsonProperty("digests") List<String> digests, @JsonProperty("meta") String meta,
      @JsonProperty("snapshot") String snapshot, @JsonProperty("head") Manifest head,
      @JsonProperty("at") Loc at, @JsonProperty("deleted") List<String> deleted) {
    Record(String index, String pack, List<String> digests, String meta) {
      this(index, pack, digests, meta, null, null, null);
    }

    Record(String index, String pack, List<String> digests, String meta, String snapshot, Manifest head, Loc at) {
      this(index, pack, digests, meta, snapshot, head, at, null);
    }
  }

  /** A range of a metadata pack object: where a pack index (or a part of a file) is. */
  record Loc(@JsonProperty("object") String object, @JsonProperty("offset") long offset,
      @JsonProperty("length") int length) {}

  private final AppendLog log;
  /**
   * The objects the bucket held when the state was opened, and those stored since: what an upload
   * need not send again. Looking here, not with a HEAD per object, saves a request per put.
   */
  private final Set<String> inBucket;
  private final Set<String> digests = new HashSet<>();
  private final Set<String> indexes = new LinkedHashSet<>();
  private final Map<String, Loc> packIndexes = new LinkedHashMap<>();
  /** The digests of each pack, so that a pack a prune deletes takes its blobs out of {@link #digests}. */
  private final Map<String, List<String>> packs = new HashMap<>();
  private final Set<String> metas = new HashSet<>();
  /** Snapshot objects read or written, by key: {@link Manifest#head}s, so each is read once. */
  private final Map<String, Manifest> heads = new HashMap<>();

  private final Path baseFile;

  private RemoteState(AppendLog log, Set<String> inBucket, Path baseFile) {
    this.log = log;
    this.inBucket = inBucket;
    this.baseFile = baseFile;
  }

  /** The state file of the copy at {@code location}, in {@code dir}: one file per copy. */
  static Path file(Path dir, String location) {
    byte[] h = RepositoryKey.hmac("storefleet-offsite state".getBytes(StandardCharsets.UTF_8),
        location.getBytes(StandardCharsets.UTF_8));
    return dir.resolve("offsite-" + HexFormat.of().formatHex(h, 0, 8) + ".log");
  }

  /**
   * Opens the state of {@code repo}'s copy. The bucket's listing of indexes and metadata objects
   * is compared with the file: a record whose object is no longer there (a bucket emptied or
   * restored from elsewhere) makes the file be rebuilt from the bucket, so that what is missing is
   * uploaded again instead of being taken as there.
   */
  static RemoteState open(Path file, RemoteRepository repo) throws IOException {
    Set<String> listed = new HashSet<>();
    for (RemoteRepository.Kind k : List.of(RemoteRepository.Kind.DATA, RemoteRepository.Kind.INDEX,
        RemoteRepository.Kind.MPACK, RemoteRepository.Kind.DICT)) {
      listed.addAll(repo.store().list(repo.folder(k)));
    }
    RemoteState s = load(file, listed);
    boolean stale = !listed.containsAll(s.indexes) || !listed.containsAll(s.packs.keySet()) || !listed.containsAll(s.metas)
        || !s.packIndexes.values().stream().allMatch(l -> listed.contains(l.object()));
    if (!stale && !s.log.recovered().isEmpty()) {
      return s;
    }
    s.log.close();
    AppendLog.rewrite(file, List.of());
    s = load(file, listed);
    try {
      s.rebuild(repo, listed);
      return s;
    } catch (IOException | RuntimeException e) {
      s.log.close();
      throw e;
    }
  }

  private static RemoteState load(Path file, Set<String> listed) throws IOException {
    AppendLog log = AppendLog.open(file);
    RemoteState s = new RemoteState(log, listed, file.resolveSibling(file.getFileName().toString()
        .replaceFirst("\\.log$", "") + ".newest.json"));
    try {
      for (String r : log.recovered()) {
        s.apply(Json.decode(r, Record.class));
      }
      return s;
    } catch (RuntimeException e) {
      log.close();
      throw new IOException("the off-site state " + file + " does not decode (" + e.getMessage()
          + "); delete it, and the next upload rebuilds it from the bucket", e);
    }
  }

  private void rebuild(RemoteRepository repo, Set<String> listed) throws IOException {
    List<String> records = new ArrayList<>();
    for (String key : repo.store().list(repo.folder(RemoteRepository.Kind.INDEX))) {
      PackIndex idx = PackIndex.decode(repo.read(key), key);
      if (!listed.contains(idx.pack())) {
        continue; // its pack is gone: its blobs are uploaded again, in a new pack and index
      }
      Record r = new Record(key, idx.pack(), idx.digests(), null);
      apply(r);
      records.add(Json.encode(r));
    }
    for (String key : listed) {
      if (!key.startsWith(repo.folder(RemoteRepository.Kind.MPACK))) {
        continue;
      }
      MetadataPack mp = MetadataPack.decode(repo.read(key), key);
      for (MetadataPack.Entry e : mp.entries()) {
        if (!e.name().equals(MetadataPack.INDEX)) {
          continue;
        }
        PackIndex idx = PackIndex.decode(mp.slice(e.offset(), e.length(), key), key);
        if (listed.contains(idx.pack()) && !packs.containsKey(idx.pack())) {
          Record r = new Record(null, idx.pack(), idx.digests(), null, null, null, new Loc(key, e.offset(), e.length()));
          apply(r);
          records.add(Json.encode(r));
        }
      }
    }
    for (String key : listed) {
      if (!key.startsWith(repo.folder(RemoteRepository.Kind.DICT))) {
        continue;
      }
      Record r = new Record(null, null, null, key);
      apply(r);
      records.add(Json.encode(r));
    }
    if (!records.isEmpty()) {
      log.appendAll(records);
    }
  }

  private void apply(Record r) {
    if (r.index() != null || r.at() != null) {
      if (r.index() != null) {
        indexes.add(r.index());
      } else {
        packIndexes.put(r.pack(), r.at());
      }
      packs.put(r.pack(), r.digests());
      digests.addAll(r.digests());
    }
    if (r.deleted() != null) {
      forget(r.deleted());
    }
    if (r.meta() != null) {
      metas.add(r.meta());
    }
    if (r.snapshot() != null && r.head() != null) {
      heads.put(r.snapshot(), r.head());
    }
  }

  private void forget(List<String> deleted) {
    boolean packGone = false;
    for (String key : deleted) {
      indexes.remove(key);
      metas.remove(key);
      heads.remove(key);
      if (packs.remove(key) != null) {
        packIndexes.remove(key);
        packGone = true;
      }
    }
    if (packGone) { // a blob may be in more than one pack: keep those still in one
      digests.clear();
      packs.values().forEach(digests::addAll);
    }
  }

  /**
   * Notes in the state file {@code file} that a remote prune deletes {@code keys}, before it
   * does: the next upload's {@link #open} then finds the state within the bucket's listing and
   * does not rebuild it from the bucket, and sends again a deleted blob that comes back. A prune
   * cut short leaves objects the state no longer names, which costs only a resend. Without a
   * state file (no upload from this worker's data directory) there is nothing to note.
   */
  static void recordDeleted(Path file, List<String> keys) throws IOException {
    if (keys.isEmpty() || !Files.exists(file)) {
      return;
    }
    try (AppendLog log = AppendLog.openForAppends(file)) {
      log.append(Json.encode(new Record(null, null, null, null, null, null, null, List.copyOf(keys))));
    }
  }

  /** Whether the object {@code key} was in the bucket when the state was opened, or stored since. */
  synchronized boolean inBucket(String key) {
    return inBucket.contains(key);
  }

  /** Notes that the object {@code key} is now in the bucket. */
  synchronized void stored(String key) {
    inBucket.add(key);
  }

  synchronized boolean hasBlob(String digest) {
    return digests.contains(digest);
  }

  synchronized boolean hasMeta(String key) {
    return metas.contains(key);
  }

  /** The head of the snapshot object {@code key}, or null when this state has not seen it. */
  synchronized Manifest head(String key) {
    return heads.get(key);
  }

  /** Version-1 index objects of packs in the bucket. */
  synchronized List<String> indexes() {
    return List.copyOf(indexes);
  }

  /** Where the index of each pack uploaded in version 2 is, in upload order. */
  synchronized List<Loc> packIndexes() {
    return List.copyOf(packIndexes.values());
  }

  synchronized int blobs() {
    return digests.size();
  }

  /** Records packs whose indexes are now in the bucket, at {@code at} (one write for a metadata pack's indexes). */
  synchronized void recordPacks(List<Record> indexed) throws IOException {
    if (indexed.isEmpty()) {
      return;
    }
    log.appendAll(indexed.stream().map(Json::encode).toList());
    indexed.forEach(this::apply);
  }

  /** A record of the pack {@code pack}, holding {@code packDigests}, whose index is at {@code at}. */
  static Record packAt(Loc at, String pack, List<String> packDigests) {
    return new Record(null, pack, packDigests, null, null, null, at);
  }

  /**
   * The whole snapshot {@code key} when this worker last wrote or read it as the newest, else
   * null: the base of the next upload's deltas without a GET. A damaged cache is not used.
   */
  synchronized Manifest base(String key) {
    try {
      if (!Files.exists(baseFile)) {
        return null;
      }
      Record r = Json.decode(Files.readString(baseFile), Record.class);
      return key.equals(r.snapshot()) ? r.head() : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Keeps the whole snapshot {@code key} as {@link #base}, replacing the one kept before. */
  synchronized void rememberBase(String key, Manifest m) throws IOException {
    Path tmp = baseFile.resolveSibling(baseFile.getFileName() + ".tmp");
    Files.writeString(tmp, Json.encode(new Record(null, null, null, null, key, m, null)));
    Files.move(tmp, baseFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  synchronized void recordMeta(String key) throws IOException {
    Record r = new Record(null, null, null, key);
    log.append(Json.encode(r));
    apply(r);
  }

  /** Remembers a snapshot object read or written (its head; snapshot objects never change). */
  synchronized void recordSnapshot(String key, Manifest m) throws IOException {
    Record r = new Record(null, null, null, null, key, m.head(), null);
    log.append(Json.encode(r));
    apply(r);
  }

  @Override
  public void close() throws IOException {
    log.close();
  }
}
